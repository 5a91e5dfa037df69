fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    kassa::cli::run()
}

/// glibc gives each thread that allocates its own malloc arena, up to eight per core, and
/// keeps what they grew. kassa's threads are few but busy (the HTTP workers, the database
/// threads), and under an on-sale rush the arenas took the resident memory from 45 to 127 MiB.
/// Two arenas keep it under 50 MiB at no measurable cost in speed (see docs/BENCHMARKS.md).
/// `MALLOC_ARENA_MAX` in the environment still wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets an allocator parameter; it runs before any other thread
        // exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

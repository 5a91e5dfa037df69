fn main() -> std::process::ExitCode {
    kassa::cli::run()
}

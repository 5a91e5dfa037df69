//! `kassa backup` and `kassa restore` (the real binary) and the scheduled backup.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use reqwest::StatusCode;

use crate::cli::{kassa, text};
use crate::helpers::{TestDatabase, spawn_app_on, spawn_app_with};
use crate::pages::{get_with, page_session};
use crate::process::{Kassa, fresh_connections};
use crate::rush::{self, Rush};
use kassa::domain::Role;

fn references(conn: &mut kassa::db::DbConnection) -> BTreeSet<String> {
    use kassa::db::schema::bookings;
    bookings::table
        .select(bookings::reference)
        .load::<String>(conn)
        .unwrap()
        .into_iter()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_during_a_booking_rush_holds_every_booking_confirmed_before_it() {
    let (database, app, performance, seats) = rush::arranged().await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let copy_arg = copy.to_str().unwrap().to_owned();
    if database.postgres().is_some() {
        for (args, tool) in [
            (["backup", "--to"], "pg_dump"),
            (["restore", "--from"], "pg_restore"),
        ] {
            let output = kassa(&database, &[args[0], args[1], &copy_arg], "", &[]);
            assert_eq!(output.status.code(), Some(2), "{args:?}");
            assert!(
                text(&output.stderr).contains(tool),
                "{}",
                text(&output.stderr)
            );
        }
        return;
    }
    let mut server = Kassa::start(&database, &[]).await;
    let rush = Rush::start(8, vec![server.address.clone()], performance, seats);
    rush.until_confirmed(10).await;
    let before = references(&mut app.db());
    let backup = {
        let (database, copy_arg) = (database.clone(), copy_arg.clone());
        tokio::task::spawn_blocking(move || {
            kassa(&database, &["backup", "--to", &copy_arg], "", &[])
        })
    };
    let output = backup.await.unwrap();
    rush.until_confirmed(rush.confirmed_so_far() + 5).await;
    server.kill();
    let confirmed = rush::confirmed(&rush.finish().await);
    let said = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(said.contains("integrity check ok"), "{said}");

    // The copy is whole, and restores into a database that serves every booking made before.
    let restored = dir.path().join("restored.db");
    let restored_url = format!("sqlite://{}", restored.display());
    let output = kassa(
        &database,
        &["restore", "--from", &copy_arg],
        "",
        &[("KASSA__DATABASE__URL", &restored_url)],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut conn = kassa::db::DbConnection::establish(restored.to_str().unwrap()).unwrap();
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        check
            .iter()
            .map(|c| c.integrity_check.as_str())
            .collect::<Vec<_>>(),
        ["ok"]
    );
    let in_copy = references(&mut conn);
    assert!(
        before.is_subset(&in_copy),
        "missing: {:?}",
        before.difference(&in_copy).collect::<Vec<_>>()
    );
    let bookings = in_copy.len();
    assert!(
        said.contains(&format!("{bookings} bookings")),
        "{said} vs {bookings}"
    );
    eprintln!(
        "backup during a rush: {} bookings before it began, {bookings} in the copy, {} by the end",
        before.len(),
        confirmed.len()
    );

    let restored_server = Kassa::start_on(&restored_url, &[]).await;
    let kept: Vec<rush::Confirmed> = confirmed
        .into_iter()
        .filter(|c| before.contains(&c.reference))
        .collect();
    assert!(!kept.is_empty());
    rush::assert_all_kept(&fresh_connections(), &restored_server.address, &kept).await;
}

#[tokio::test]
async fn restore_refuses_a_database_in_use_and_backup_never_overwrites() {
    let database = TestDatabase::create();
    if database.postgres().is_some() {
        eprintln!("SQLite only: skipped on PostgreSQL");
        return;
    }
    let app = spawn_app_on(database.clone(), |_| {}).await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let booking = app
        .book_online(performance, &seats[..1], serde_json::json!({}))
        .await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let copy_arg = copy.to_str().unwrap();
    assert_eq!(
        kassa(&database, &["backup", "--to", copy_arg], "", &[])
            .status
            .code(),
        Some(0)
    );

    let again = kassa(&database, &["backup", "--to", copy_arg], "", &[]);
    assert_eq!(again.status.code(), Some(3));
    assert!(
        text(&again.stderr).contains("exists"),
        "{}",
        text(&again.stderr)
    );

    // kassa serves this database: no restore over it.
    let refused = kassa(&database, &["restore", "--from", copy_arg], "", &[]);
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        text(&refused.stderr).contains("in use"),
        "{}",
        text(&refused.stderr)
    );
    let reference = booking["reference"].as_str().unwrap();
    let shown = app
        .client
        .get(app.url(&format!("/api/v1/bookings/{reference}")))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK, "the database is untouched");

    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, b"SQLite format 3\0 but nothing after").unwrap();
    let refused = kassa(
        &database,
        &["restore", "--from", damaged.to_str().unwrap()],
        "",
        &[],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
}

#[tokio::test]
async fn the_scheduled_backup_keeps_the_newest_copies_and_the_director_sees_a_failure() {
    let database = TestDatabase::create();
    if database.postgres().is_some() {
        eprintln!("SQLite only (PostgreSQL has pg_dump): skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let older = ["kassa-20240101-030000.db", "kassa-20240102-030000.db"];
    for name in older {
        std::fs::write(dir.path().join(name), b"an older copy").unwrap();
    }
    let backup_dir = dir.path().to_owned();
    let app = spawn_app_on(database, |s| {
        s.backup.dir = backup_dir;
        s.backup.keep = 2;
    })
    .await;
    let copies = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !copies(dir.path())
        .iter()
        .any(|n| !older.contains(&n.as_str()))
    {
        assert!(
            Instant::now() < deadline,
            "a backup is made at start: {:?}",
            copies(dir.path())
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let names = copies(dir.path());
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], older[1], "the oldest copy was removed: {names:?}");
    let summary =
        kassa::db::backup::check(&dir.path().join(&names[1])).expect("the copy passes the check");
    assert_eq!(summary.bookings, 0);
    drop(app);

    // A backup directory that cannot be made: the director is told on the schedule and mail pages.
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"").unwrap();
    let failing = spawn_app_with(|s| s.backup.dir = blocker.join("backups")).await;
    let cookies = format!(
        "{}; kassa_lang=en",
        page_session(&failing, Role::Director).await
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    for page in ["/director/mail", "/director"] {
        loop {
            let body = get_with(&failing, &cookies, page)
                .await
                .text()
                .await
                .unwrap();
            if body.contains("The scheduled backup failed") {
                assert!(
                    body.contains("cannot create backup.dir"),
                    "the cause is shown"
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{page} warns of the failed backup"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let metrics = failing.get("/metrics", None).await.text().await.unwrap();
    assert!(
        metrics.lines().any(|l| l == "kassa_backup_failing 1"),
        "{metrics}"
    );
}

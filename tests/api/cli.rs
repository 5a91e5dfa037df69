use std::io::Write;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;

use crate::helpers::{TestDatabase, spawn_app_on};

/// Runs the real `kassa` binary on the test database, feeding `stdin`.
pub fn kassa(
    database: &TestDatabase,
    args: &[&str],
    stdin: &str,
    extra_env: &[(&str, &str)],
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kassa"))
        .args(args)
        .env("KASSA_ENV", "test")
        .env(
            "KASSA_CONFIG_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/config"),
        )
        .env("KASSA__DATABASE__URL", database.url_string())
        .envs(extra_env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kassa runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn migrate_brings_an_empty_database_up_to_date() {
    let database = TestDatabase::create();
    let output = kassa(&database, &["migrate"], "", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("up to date"));
    // And again: nothing left to do is still success.
    assert_eq!(
        kassa(&database, &["migrate"], "", &[]).status.code(),
        Some(0)
    );
}

#[tokio::test]
async fn user_add_reads_the_password_from_standard_input() {
    let database = TestDatabase::create();
    let output = kassa(
        &database,
        &[
            "user",
            "add",
            "--email",
            "Door@2act.example",
            "--role",
            "staff",
        ],
        "a long door password\n",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));

    let app = spawn_app_on(database.clone(), |_| {}).await;
    let response = app.login("door@2act.example", "a long door password").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["role"], "staff");

    let again = kassa(
        &database,
        &[
            "user",
            "add",
            "--email",
            "door@2act.example",
            "--role",
            "director",
        ],
        "another long password\n",
        &[],
    );
    assert_eq!(
        again.status.code(),
        Some(3),
        "an existing account is exit 3"
    );
    assert!(text(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn set_password_replaces_the_password_and_signs_out_everywhere() {
    let database = TestDatabase::create();
    kassa(
        &database,
        &[
            "user",
            "add",
            "--email",
            "director@2act.example",
            "--role",
            "director",
        ],
        "the first long password\n",
        &[],
    );
    let app = spawn_app_on(database.clone(), |_| {}).await;
    let body: serde_json::Value = app
        .login("director@2act.example", "the first long password")
        .await
        .json()
        .await
        .unwrap();
    let old = crate::helpers::Session {
        token: body["token"].as_str().unwrap().to_owned(),
    };

    let output = kassa(
        &database,
        &["user", "set-password", "--email", "director@2act.example"],
        "the second long password\n",
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&old)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.login("director@2act.example", "the second long password")
            .await
            .status(),
        StatusCode::OK
    );
    let unknown = kassa(
        &database,
        &["user", "set-password", "--email", "nobody@2act.example"],
        "the second long password\n",
        &[],
    );
    assert_eq!(unknown.status.code(), Some(3));
}

#[tokio::test]
async fn bad_input_and_bad_settings_exit_2_with_a_message() {
    let database = TestDatabase::create();
    let short = kassa(
        &database,
        &[
            "user",
            "add",
            "--email",
            "a@2act.example",
            "--role",
            "staff",
        ],
        "short\n",
        &[],
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(text(&short.stderr).contains("password"));
    let bad_role = kassa(
        &database,
        &[
            "user",
            "add",
            "--email",
            "a@2act.example",
            "--role",
            "usher",
        ],
        "a long enough password\n",
        &[],
    );
    assert_eq!(bad_role.status.code(), Some(2));
    let in_argv = kassa(
        &database,
        &[
            "user",
            "add",
            "--email",
            "a@2act.example",
            "--role",
            "staff",
            "--password",
            "x",
        ],
        "",
        &[],
    );
    assert_eq!(
        in_argv.status.code(),
        Some(2),
        "there is no way to pass a password in argv"
    );
    let unknown_key = kassa(&database, &["migrate"], "", &[("KASSA__SERVER__PROT", "1")]);
    assert_eq!(unknown_key.status.code(), Some(2));
    assert!(
        text(&unknown_key.stderr).contains("prot"),
        "{}",
        text(&unknown_key.stderr)
    );
}

//! Staff accounts and passwords on the pages, without JavaScript: the director's list, an
//! invitation (re-shown with its refusal), switching an account off, the last director kept;
//! "forgot password" and setting a password from the link.

use reqwest::StatusCode;

use crate::helpers::spawn_app;
use crate::pages::{Visitor, csrf_field, get_with, page_session, post_with};
use crate::staff::password_link;
use kassa::domain::Role;

fn encode(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('@', "%40")
        .replace(' ', "+")
}

#[tokio::test]
async fn the_director_invites_changes_and_switches_off_staff_on_the_page() {
    let app = spawn_app().await;
    let cookies = page_session(&app, Role::Director).await;
    let page = get_with(&app, &cookies, "/director/staff").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("это вы"),
        "the director's own account is marked"
    );
    let csrf = csrf_field(&html);

    let form = format!("csrf={csrf}&email=dana%402act.example&role=staff&language=en");
    let invited = post_with(&app, &cookies, "/director/staff", form.clone()).await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let location = invited.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/director/staff?invited="),
        "{location}"
    );
    let html = get_with(&app, &cookies, &location)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Приглашение отправлено на dana@2act.example"),
        "{html}"
    );
    assert!(html.contains("приглашён(а), пароль не задан"));

    // The same address again: the form comes back as typed, with the reason.
    let twice = post_with(&app, &cookies, "/director/staff", form).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let html = twice.text().await.unwrap();
    assert!(html.contains("Учётная запись с этим адресом уже есть"));
    assert!(html.contains(r#"value="dana@2act.example""#));
    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 1);
    let (_, subject) = password_link(&app, "invited");
    assert!(subject.contains("door staff"), "in English: {subject}");

    let id = location.rsplit('=').next().unwrap();
    let off = post_with(
        &app,
        &cookies,
        &format!("/director/staff/{id}"),
        format!("csrf={csrf}&action=off"),
    )
    .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    let html = get_with(&app, &cookies, "/director/staff")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("отключена"));
    assert!(html.contains("Включить снова"));

    // The director's own account is the last director's: it stays.
    let me = {
        let start = html.find("это вы").unwrap();
        let form_at = html[start..].find("/director/staff/").unwrap() + start;
        html[form_at + "/director/staff/".len()..]
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    let demote = post_with(
        &app,
        &cookies,
        &format!("/director/staff/{me}"),
        format!("csrf={csrf}&action=staff"),
    )
    .await;
    assert_eq!(demote.status(), StatusCode::CONFLICT);
    assert!(
        demote
            .text()
            .await
            .unwrap()
            .contains("Театру нужен действующий директор")
    );

    // Without the form's token nothing changes; staff may not see the page.
    let forged = post_with(
        &app,
        &cookies,
        &format!("/director/staff/{me}"),
        "action=off".into(),
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let staff = page_session(&app, Role::Staff).await;
    let refused = get_with(&app, &staff, "/director/staff").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forgot_password_and_a_new_one_from_the_link_on_the_pages() {
    let app = spawn_app().await;
    let (email, _) = app.create_user(Role::Staff);
    let mut visitor = Visitor::new(&app);
    let (status, signin) = visitor.get("/signin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(signin.contains(r#"href="/signin/forgot""#));
    let (_, page) = visitor.get("/signin/forgot").await;
    let csrf = csrf_field(&page);
    let (status, _, answer) = visitor
        .post(
            "/signin/forgot",
            &format!("csrf={csrf}&email={}", encode(&email)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, unknown) = visitor
        .post(
            "/signin/forgot",
            &format!("csrf={csrf}&email=nobody%402act.example"),
        )
        .await;
    let strip = |html: &str| html.replace(&csrf, "");
    assert_eq!(
        strip(&answer),
        strip(&unknown),
        "the same page for both addresses"
    );
    assert!(answer.contains("Если учётная запись с этим адресом есть"));

    app.courier().deliver_due().await.unwrap();
    let (token, _) = password_link(&app, "пароль");
    let path = format!("/password/{token}");
    let (status, form) = visitor.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&email), "the page names the account");
    let csrf = csrf_field(&form);
    let (status, _, mismatch) = visitor
        .post(
            &path,
            &format!("csrf={csrf}&password=a+long+new+password&repeat=another+one+here"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.contains("Пароли не совпадают"));
    let (status, _, short) = visitor
        .post(&path, &format!("csrf={csrf}&password=short&repeat=short"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.contains("не короче 12 символов"));
    let (status, _, done) = visitor
        .post(
            &path,
            &format!("csrf={csrf}&password=a+long+new+password&repeat=a+long+new+password"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(done.contains("Пароль задан"));
    let (status, used) = visitor.get(&path).await;
    assert_eq!(status, StatusCode::GONE, "the link works once");
    assert!(used.contains("Забыли пароль?"));
    assert_eq!(
        app.login(&email, "a long new password").await.status(),
        StatusCode::OK
    );
}

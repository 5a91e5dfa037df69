//! The mail the director can see: a message the SMTP server never took is listed as failed with
//! its error, the schedule warns about it, **Send again** tries it once more (and it arrives once
//! the server is back), and a sent message cannot be sent twice from the page.

use kassa::config::{MailTransport, SmtpTls};
use kassa::domain::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app_with;
use crate::pages::{csrf_field, get_with, page_session, post_with};
use crate::smtp::{SmtpServer, unused_port};

#[tokio::test]
async fn a_failed_message_is_listed_warned_about_and_sent_again_once() {
    let port = unused_port();
    let app = spawn_app_with(move |s| {
        s.mail.transport = MailTransport::Smtp;
        s.mail.smtp.host = "127.0.0.1".into();
        s.mail.smtp.port = port;
        s.mail.smtp.tls = SmtpTls::None;
        s.mail.smtp.timeout_seconds = 2;
        s.mail.max_attempts = 1;
    })
    .await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-02-11T19:00").await;
    let booked = app
        .book_online(
            performance,
            &seats[..1],
            json!({"email": "aliya@example.kz"}),
        )
        .await;
    let reference = booked["reference"].as_str().unwrap().to_owned();
    let first = app.courier().deliver_due().await.unwrap();
    assert_eq!((first.sent, first.failed), (0, 1), "the server is down");

    let cookies = page_session(&app, Role::Director).await;
    let schedule = get_with(&app, &cookies, "/director")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        schedule.contains("За последнюю неделю не удалось доставить писем: 1"),
        "the schedule warns"
    );
    assert!(schedule.contains(r#"href="/director/mail?status=failed""#));
    let page = get_with(&app, &cookies, "/director/mail?status=failed").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Бронь подтверждена") && html.contains("aliya@example.kz"));
    assert!(html.contains(&reference) && html.contains("не доставлено"));
    assert!(html.contains("Попыток: 1"));
    let id = {
        let at = html.find("/director/mail/").expect("a Send again form") + "/director/mail/".len();
        html[at..].split('/').next().unwrap().to_owned()
    };
    let sent_list = get_with(&app, &cookies, "/director/mail?status=sent")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sent_list.contains("Писем нет"),
        "the filter keeps to its status"
    );

    let csrf = csrf_field(&html);
    let again = post_with(
        &app,
        &cookies,
        &format!("/director/mail/{id}/again"),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    // A second click while it waits sends nothing more.
    let twice = post_with(
        &app,
        &cookies,
        &format!("/director/mail/{id}/again"),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(twice.status(), StatusCode::NOT_FOUND);
    let smtp = SmtpServer::start_on(port).await;
    let second = app.courier().deliver_due().await.unwrap();
    assert_eq!((second.sent, second.failed), (1, 0));
    assert_eq!(smtp.messages().len(), 1);

    let sent = post_with(
        &app,
        &cookies,
        &format!("/director/mail/{id}/again"),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(
        sent.status(),
        StatusCode::NOT_FOUND,
        "a sent message is not sent again"
    );
    assert_eq!(app.courier().deliver_due().await.unwrap().sent, 0);
    assert_eq!(smtp.messages().len(), 1, "delivered once");
    let schedule = get_with(&app, &cookies, "/director")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !schedule.contains("не удалось доставить"),
        "the warning is gone"
    );
    let html = get_with(&app, &cookies, "/director/mail")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Попыток: 2") && html.contains("отправлено"));
    let now = chrono::Utc::now();
    let noted = kassa::db::audit::between(
        &mut app.db(),
        now - chrono::Duration::hours(1),
        now + chrono::Duration::minutes(1),
        None,
        100,
    )
    .unwrap();
    let again: Vec<_> = noted
        .iter()
        .filter(|e| e.action.as_str() == "mail_sent_again")
        .collect();
    assert_eq!(again.len(), 1, "the audit log has the one Send again");
    assert!(again[0].by.is_some());
}

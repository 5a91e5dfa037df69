//! The waiting list on the pages, without JavaScript: the form under a sold-out performance's
//! map, and the page its mail's link opens to leave the list.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::pages::{Visitor, csrf_field, get_with, page_session};

#[tokio::test]
async fn a_visitor_joins_a_sold_out_performances_waiting_list_and_leaves_it_from_the_mail() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-05-10T19:00").await;
    let mut visitor = Visitor::new(&app);
    let path = format!("/performances/{performance}");
    let (_, page) = visitor.get(&path).await;
    assert!(
        !page.contains("/waitlist\""),
        "no waiting list while four seats are free"
    );
    app.book_online(performance, &seats, json!({})).await;

    let (_, page) = visitor.get(&path).await;
    let action = format!("action=\"/performances/{performance}/waitlist\"");
    assert!(page.contains(&action), "the form under a sold-out map");
    assert!(page.contains("Свободных мест нет"));
    let csrf = csrf_field(&page);
    let join = format!("/performances/{performance}/waitlist");

    let (status, _, page) = visitor
        .post(
            &join,
            &format!("csrf={csrf}&name=Dana&email=not-an-address&seats=2"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Электронная почта"),
        "the field named: {page}"
    );

    let form = format!("csrf={csrf}&name=Dana&email=dana%40example.kz&seats=2");
    let (status, _, page) = visitor.post(&join, &form).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("1-е место в очереди") && page.contains("dana@example.kz"),
        "{page}"
    );

    // The director sees who waits, for how many seats.
    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let figures = get_with(
        &app,
        &cookies,
        &format!("/director/performances/{performance}"),
    )
    .await
    .text()
    .await
    .unwrap();
    let line = &figures[figures.find("id=\"waitlist\"").expect("the waiting list")..];
    assert!(
        line.contains("Dana, dana@example.kz") && line.contains("ждёт"),
        "{line}"
    );

    // The mail's link opens the entry, which the visitor leaves.
    app.courier().deliver_due().await.unwrap();
    let (subject, text) = app
        .mails()
        .into_iter()
        .find(|(subject, _)| subject.starts_with("Лист ожидания"))
        .expect("the waiting list's mail");
    assert!(subject.contains("Здесь.Алматы"), "{subject}");
    let link = text
        .split_whitespace()
        .find(|word| word.contains("/waitlist/"))
        .expect("a link to leave")
        .to_owned();
    let entry_path = link.trim_start_matches(&app.public_url).to_owned();
    let (status, page) = visitor.get(&entry_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Выйти из листа ожидания"));
    let token = entry_path.split("token=").nth(1).unwrap();
    let id = entry_path
        .trim_start_matches("/waitlist/")
        .split('?')
        .next()
        .unwrap();
    let (status, _) = visitor.get(&format!("/waitlist/{id}?token=wrong")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let leave = format!("csrf={}&token={token}", csrf_field(&page));
    let (status, _, page) = visitor.post(&format!("/waitlist/{id}"), &leave).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Вы вышли из листа ожидания."), "{page}");
    assert!(!page.contains("name=\"token\""), "nothing left to leave");
}

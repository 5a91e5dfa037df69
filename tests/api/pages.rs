use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

async fn home(
    app: &TestApp,
    accept_language: Option<&str>,
    cookie: Option<&str>,
) -> (reqwest::header::HeaderMap, String) {
    let mut request = app.client.get(app.url("/"));
    if let Some(languages) = accept_language {
        request = request.header("Accept-Language", languages);
    }
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    (response.headers().clone(), response.text().await.unwrap())
}

/// A client that shows redirects instead of following them.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_home_page_lists_what_is_on_in_russian_by_default() {
    let app = spawn_app().await;
    let director = app.director().await;
    app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let (headers, html) = home(&app, None, None).await;
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("Ближайшие спектакли"));
    assert!(html.contains("Здесь.Алматы"));
    assert!(
        html.contains("1 марта 2031, 19:00"),
        "the time in the venue's zone"
    );
    assert!(
        html.contains("от 4\u{a0}500\u{a0}₸"),
        "the lowest price in tenge"
    );
    assert!(html.contains("осталось мест: 4"));
}

#[tokio::test]
async fn the_browser_language_and_then_the_visitors_choice_decide_the_language() {
    let app = spawn_app().await;
    let director = app.director().await;
    app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let (_, kazakh) = home(&app, Some("kk-KZ,kk;q=0.9,ru;q=0.8"), None).await;
    assert!(
        kazakh.contains("Жақын арадағы қойылымдар"),
        "Kazakh, not Russian with a Kazakh label"
    );
    assert!(kazakh.contains("2031 жылғы 1 наурыз, 19:00"));

    let switch = no_redirects()
        .get(app.url("/lang/en?back=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()["location"], "/");
    let cookie = switch.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("kassa_lang=en")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let (_, english) = home(&app, Some("kk"), Some("kassa_lang=en")).await;
    assert!(
        english.contains("Coming up"),
        "the choice wins over the browser"
    );
    assert!(english.contains("1 March 2031, 19:00"));
}

#[tokio::test]
async fn the_language_switch_never_redirects_off_site() {
    let app = spawn_app().await;
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = no_redirects()
            .get(app.url(&format!("/lang/kk?back={back}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["location"], "/", "{back}");
    }
}

#[tokio::test]
async fn pages_send_a_content_security_policy_and_escape_what_people_typed() {
    let app = spawn_app().await;
    let director = app.director().await;
    let venue = app.create_venue(&director).await["id"].as_i64().unwrap();
    let body = json!({"title": "<script>alert('x')</script>", "duration_minutes": 60, "age_rating": "0+", "language": "ru"});
    let production = app
        .post("/api/v1/productions", Some(&director), &body)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.schedule(
        &director,
        venue,
        production,
        "2031-03-01T19:00",
        "published",
    )
    .await;
    let (headers, html) = home(&app, None, None).await;
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(!html.contains("<script>alert"), "user text is escaped");
    assert!(html.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn the_stylesheet_is_served_from_the_binary() {
    let app = spawn_app().await;
    let response = app.get("/static/kassa.css", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn the_performance_page_draws_the_hall_with_prices_and_seat_states() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    app.post(
        &format!("/api/v1/performances/{performance}/holds"),
        None,
        &json!({"seat_ids": [seats[1]]}),
    )
    .await;
    let response = app.get(&format!("/performances/{performance}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<svg viewBox"), "the hall is an SVG");
    assert!(html.contains("Сцена"), "the stage is shown");
    assert!(
        html.contains("front: 6\u{a0}000\u{a0}₸") && html.contains("standard: 4\u{a0}500\u{a0}₸"),
        "a price legend per zone"
    );
    assert!(
        html.contains("aria-label=\"Ряд 1, место 1, front, 6\u{a0}000\u{a0}₸: свободно\""),
        "each seat is labelled for screen readers"
    );
    assert!(
        html.contains(
            "data-seat-id=\"{}\" data-status=\"held\""
                .replace("{}", &seats[1].to_string())
                .as_str()
        )
    );
    assert!(
        html.contains("место для зрителя на коляске"),
        "wheelchair spaces are marked"
    );
    let missing = app.get("/performances/999999", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

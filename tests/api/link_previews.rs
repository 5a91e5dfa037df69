//! What a performance page tells messengers and search engines: Open Graph and Twitter tags
//! in the page's language, and schema.org `TheaterEvent` JSON-LD that agrees with the API,
//! rescheduled and cancelled included.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::pages::json_ld;

/// An attribute's text as a browser (or a messenger's scraper) reads it.
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `content` of `<meta property|name="{key}">` on `page`, unescaped.
fn meta(page: &str, key: &str) -> Option<String> {
    let at = page
        .find(&format!("property=\"{key}\""))
        .or_else(|| page.find(&format!("name=\"{key}\"")))?;
    let rest = &page[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    Some(unescape(&rest[start..start + rest[start..].find('"')?]))
}

async fn page(app: &TestApp, path: &str, language: &str) -> String {
    let response = app
        .client
        .get(app.url(path))
        .header("Accept-Language", language)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_performance_page_carries_open_graph_tags_and_a_theater_event_that_agrees_with_the_api() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, _) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let api_path = format!("/api/v1/performances/{performance}");
    let shown: Value = app.get(&api_path, None).await.json().await.unwrap();
    let path = format!("/performances/{performance}");
    let url = format!("{}{path}", app.public_url);

    let ru = page(&app, &path, "ru").await;
    assert_eq!(
        meta(&ru, "og:title").as_deref(),
        Some("Здесь.Алматы — 1 марта 2031, 19:00")
    );
    assert_eq!(meta(&ru, "og:url"), Some(url.clone()));
    assert_eq!(meta(&ru, "og:locale").as_deref(), Some("ru_RU"));
    assert_eq!(meta(&ru, "twitter:card").as_deref(), Some("summary"));
    let description = meta(&ru, "og:description").unwrap();
    assert!(
        description
            .starts_with("1 марта 2031, 19:00, 2act studio, Almaty. Билеты от 4\u{a0}500\u{a0}₸"),
        "{description}"
    );
    assert!(unescape(&ru).contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));

    let event = json_ld(&ru);
    assert_eq!(event["@type"], "TheaterEvent");
    assert_eq!(event["name"], shown["production"]["title"]);
    assert_eq!(
        event["startDate"], shown["starts_at"],
        "the venue's offset, as the API says it"
    );
    assert_eq!(event["endDate"], shown["ends_at"]);
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(event["location"]["name"], shown["venue"]["name"]);
    assert_eq!(event["url"], url);
    let offers = event["offers"].as_array().unwrap();
    let prices: serde_json::Map<String, Value> = shown["prices"].as_object().unwrap().clone();
    assert_eq!(offers.len(), prices.len());
    for (offer, (zone, price)) in offers.iter().zip(prices.iter()) {
        assert_eq!(
            offer["name"],
            zone.as_str(),
            "a zone without a name reads as its key"
        );
        assert_eq!(&offer["price"], price);
        assert_eq!(offer["priceCurrency"], "KZT");
        assert_eq!(offer["availability"], "https://schema.org/InStock");
    }

    let kk = page(&app, &path, "kk").await;
    assert_eq!(meta(&kk, "og:locale").as_deref(), Some("kk_KZ"));
    assert!(
        meta(&kk, "og:title")
            .unwrap()
            .contains("2031 жылғы 1 наурыз"),
        "the title's date in Kazakh"
    );
    assert_eq!(json_ld(&kk)["inLanguage"], "kk");

    // Moved: rescheduled, with the start it had.
    let moved = app
        .patch(
            &api_path,
            Some(&director),
            &json!({"starts_at": "2031-03-02T19:00"}),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    let event = json_ld(&page(&app, &path, "ru").await);
    assert_eq!(event["eventStatus"], "https://schema.org/EventRescheduled");
    assert_eq!(event["startDate"], moved["starts_at"]);
    assert_eq!(event["previousStartDate"], shown["starts_at"]);

    // Cancelled.
    let cancelled = app
        .patch(&api_path, Some(&director), &json!({"status": "cancelled"}))
        .await;
    assert_eq!(cancelled.status(), StatusCode::OK);
    let event = json_ld(&page(&app, &path, "ru").await);
    assert_eq!(event["eventStatus"], "https://schema.org/EventCancelled");
    assert_eq!(
        event["offers"][0]["availability"],
        "https://schema.org/SoldOut"
    );
}

//! Zones people read: a hall's zones named per language in the seat-plan JSON and on the hall's
//! page, and the names on the seat map (API and page), checkout, booking page, mail and CSV;
//! the key stays in the API as `zone`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, spawn_app};
use crate::pages::{Visitor, csrf_field, followed, get_with, page_session, post_with, said};

/// The seat map's (zone, zone_name) of its first seat of each zone, in `lang` if given.
async fn map_zones(app: &TestApp, performance: i64, lang: Option<&str>) -> Vec<(String, String)> {
    let query = lang.map(|l| format!("?lang={l}")).unwrap_or_default();
    let map: Value = app
        .get(
            &format!("/api/v1/performances/{performance}/seats{query}"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let mut zones: Vec<(String, String)> = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["zone"].as_str().unwrap().to_owned(),
                s["zone_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    zones.dedup();
    zones
}

#[tokio::test]
async fn a_hall_names_its_zones_in_three_languages_and_the_seat_map_reads_them() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, _) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let venue: Value = app
        .get(
            &format!("/api/v1/performances/{performance}"),
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    let venue_id = venue["venue"]["id"].as_i64().unwrap();
    assert_eq!(
        map_zones(&app, performance, None).await,
        [
            ("front".into(), "front".into()),
            ("standard".into(), "standard".into())
        ],
        "no names yet: the keys"
    );

    let names = json!({
        "front": {"ru": "Первые ряды", "kk": "Алдыңғы қатарлар", "en": "Front rows"},
        "standard": {"ru": "Партер", "kk": "Партер"}
    });
    let path = format!("/api/v1/venues/{venue_id}/zone-names");
    let named = app
        .send(reqwest::Method::PUT, &path, Some(&director), Some(&names))
        .await;
    assert_eq!(named.status(), StatusCode::OK);
    let hall: Value = named.json().await.unwrap();
    assert_eq!(hall["zone_names"], names);
    assert_eq!(
        map_zones(&app, performance, None).await,
        [
            ("front".into(), "Первые ряды".into()),
            ("standard".into(), "Партер".into())
        ],
        "the map kept in memory is made again with the names, in Russian by default"
    );
    assert_eq!(
        map_zones(&app, performance, Some("kk")).await,
        [
            ("front".into(), "Алдыңғы қатарлар".into()),
            ("standard".into(), "Партер".into())
        ]
    );
    assert_eq!(
        map_zones(&app, performance, Some("en")).await,
        [
            ("front".into(), "Front rows".into()),
            ("standard".into(), "Партер".into())
        ],
        "no English name: the Russian one"
    );
    let unknown = app
        .get(
            &format!("/api/v1/performances/{performance}/seats?lang=de"),
            None,
        )
        .await;
    error_of(
        unknown,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let balcony = json!({"balcony": {"ru": "Балкон"}});
    let refused = app
        .send(reqwest::Method::PUT, &path, Some(&director), Some(&balcony))
        .await;
    let error = error_of(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "zone_names.balcony");
    let long = json!({"front": {"en": "x".repeat(61)}});
    let refused = app
        .send(reqwest::Method::PUT, &path, Some(&director), Some(&long))
        .await;
    let error = error_of(
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "zone_names.front.en");
    assert_eq!(
        map_zones(&app, performance, None).await[0].1,
        "Первые ряды",
        "a refused change changes nothing"
    );
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let forbidden = app
        .send(reqwest::Method::PUT, &path, Some(&staff), Some(&names))
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let missing = app
        .send(
            reqwest::Method::PUT,
            "/api/v1/venues/9999/zone-names",
            Some(&director),
            Some(&names),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn names_given_with_the_seat_plan_reach_the_pages_the_mail_and_the_csv() {
    let app = spawn_app().await;
    let director = app.director().await;
    let created = app
        .post(
            "/api/v1/venues",
            Some(&director),
            &json!({
                "name": "Малый зал", "address": "Алматы", "timezone": "Asia/Almaty",
                "seats": [
                    {"row": 1, "number": 1, "zone": "front", "x": 0, "y": 0},
                    {"row": 1, "number": 2, "zone": "front", "x": 40, "y": 0}
                ],
                "zone_names": {"front": {"ru": "Партер", "kk": "Партер", "en": "Stalls"}}
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let hall: Value = created.json().await.unwrap();
    assert_eq!(hall["zone_names"]["front"]["en"], "Stalls");
    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    let scheduled = app
        .post(
            "/api/v1/performances",
            Some(&director),
            &json!({"production_id": production, "venue_id": hall["id"], "starts_at": "2031-03-08T19:00",
                    "prices": {"front": 5000}, "status": "published"}),
        )
        .await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let performance = scheduled.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let seats: Vec<i64> = hall["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();

    // The performance page and checkout, in Russian.
    let mut visitor = Visitor::new(&app);
    let (_, page) = visitor.get(&format!("/performances/{performance}")).await;
    assert!(
        page.contains("Партер: 5\u{a0}000\u{a0}₸"),
        "the legend names the zone"
    );
    assert!(
        page.contains("Ряд 1, место 1, Партер, 5\u{a0}000\u{a0}₸"),
        "each seat's label"
    );
    assert!(
        !page.contains(">front") && !page.contains(" front,"),
        "the key is not shown"
    );
    let form = format!("csrf={}&seat={}", csrf_field(&page), seats[0]);
    let (_, checkout, _) = visitor
        .post(&format!("/performances/{performance}/hold"), &form)
        .await;
    let (_, page) = visitor.get(&checkout.unwrap()).await;
    assert!(page.contains("ряд 1, место 1, Партер"), "checkout");

    // A booking in English: its page and its mail say "Stalls".
    let booking = app
        .book_online(
            performance,
            &[seats[1]],
            json!({"language": "en", "name": "Dana"}),
        )
        .await;
    let delivered = app.courier().deliver_due().await.unwrap();
    assert_eq!(delivered.sent, 1);
    let (_, text) = app.mails().pop().expect("the confirmation");
    assert!(text.contains("row 1, seat 2, Stalls"), "{text}");
    let manage = booking["manage_url"].as_str().unwrap();
    let path = &manage[manage.find("/bookings/").unwrap()..];
    let (_, page) = visitor.get(path).await;
    assert!(
        page.contains("ряд 1, место 2, Партер"),
        "the booking page in the reader's language"
    );

    // The director's attendee list.
    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let csv = get_with(
        &app,
        &cookies,
        &format!("/director/performances/{performance}/attendees.csv"),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(csv.lines().nth(1).unwrap().contains(";Партер;"), "{csv}");

    // The hall's page renames the zone.
    let page = get_with(&app, &cookies, &format!("/director/venues/{}", hall["id"]))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"name.front.kk\" value=\"Партер\""),
        "the form shows the names"
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf", csrf_field(&page).as_str()),
            ("name.front.ru", "Первые ряды"),
            ("name.front.kk", "Алдыңғы қатарлар"),
            ("name.front.en", ""),
        ])
        .finish();
    let path = format!("/director/venues/{}/zone-names", hall["id"]);
    let answer = post_with(&app, &cookies, &path, body).await;
    assert_eq!(
        said(&followed(&app, &cookies, answer).await).as_deref(),
        Some("Названия зон зала «Малый зал» сохранены.")
    );
    let (_, page) = visitor.get(&format!("/performances/{performance}")).await;
    assert!(page.contains("Первые ряды: 5\u{a0}000\u{a0}₸"));
    let page = get_with(&app, &cookies, &format!("/director/venues/{}", hall["id"]))
        .await
        .text()
        .await
        .unwrap();
    let too_long = "x".repeat(61);
    let long = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf", csrf_field(&page).as_str()),
            ("name.front.en", too_long.as_str()),
        ])
        .finish();
    let refused = post_with(&app, &cookies, &path, long).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Проверьте поле «Названия зон «front»: По-английски»")
    );
}

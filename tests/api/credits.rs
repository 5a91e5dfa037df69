//! Credits: the director enters who made a production and who plays in it, a role and a name
//! each, in the API or a line each on the production's page; the audience reads them, in that
//! order, on the production's page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, error_of, spawn_app};
use crate::pages::{csrf_field, followed, json_ld, page_session, post_with, said, text_of};

/// The credits of a production as the API shows them: (kind, role, name).
async fn credits_of(
    app: &TestApp,
    director: &Session,
    production: i64,
) -> Vec<(String, String, String)> {
    let shown: Value = app
        .get(&format!("/api/v1/productions/{production}"), Some(director))
        .await
        .json()
        .await
        .unwrap();
    shown["credits"]
        .as_array()
        .expect("credits are always a list")
        .iter()
        .map(|c| {
            let text = |key: &str| c[key].as_str().unwrap().to_owned();
            (text("kind"), text("role"), text("name"))
        })
        .collect()
}

/// A new performance on sale and its production, whose page is so public: (performance,
/// production).
async fn announced_production(app: &TestApp, director: &Session) -> (i64, i64) {
    let (performance, _) = app.performance_on_sale(director, "2031-03-01T19:00").await;
    let shown: Value = app
        .get(&format!("/api/v1/performances/{performance}"), None)
        .await
        .json()
        .await
        .unwrap();
    (performance, shown["production"]["id"].as_i64().unwrap())
}

/// The text of the page's credits section of `kind`, tags removed, one line per credit.
fn credits_section(page: &str, kind: &str) -> Option<Vec<String>> {
    let start = page.find(&format!("<section class=\"credits {kind}\""))?;
    let section = &page[start..start + page[start..].find("</section>")?];
    Some(
        section
            .split("<li>")
            .skip(1)
            .map(|item| {
                let mut text = String::new();
                let mut in_tag = false;
                for c in item.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                text.trim().to_owned()
            })
            .collect(),
    )
}

#[tokio::test]
async fn credits_given_in_the_api_are_kept_in_order_replaced_as_a_whole_and_shown_to_the_audience()
{
    let app = spawn_app().await;
    let director = app.director().await;
    let created = app
        .post(
            "/api/v1/productions",
            Some(&director),
            &json!({
                "title": "Баба Мания", "duration_minutes": 90, "age_rating": "12+", "language": "ru",
                "credits": [
                    {"kind": "crew", "role": " Режиссёр ", "name": " Дина Ахметова "},
                    {"kind": "cast", "role": "Айгерим", "name": "Дана <Сейткали>"},
                    {"kind": "crew", "role": "Художник", "name": "Арман Ли"},
                    {"kind": "cast", "name": "Аружан Ким"}
                ]
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["credits"][0]["role"], "Режиссёр", "trimmed");
    let production = created["id"].as_i64().unwrap();
    let given =
        |kind: &str, role: &str, name: &str| (kind.to_owned(), role.to_owned(), name.to_owned());
    assert_eq!(
        credits_of(&app, &director, production).await,
        [
            given("crew", "Режиссёр", "Дина Ахметова"),
            given("cast", "Айгерим", "Дана <Сейткали>"),
            given("crew", "Художник", "Арман Ли"),
            given("cast", "", "Аружан Ким"),
        ]
    );

    // A change that leaves the credits out keeps them; one that gives them replaces them all.
    let path = format!("/api/v1/productions/{production}");
    let renamed = app
        .patch(&path, Some(&director), &json!({"title": "Баба Мания!"}))
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    assert_eq!(credits_of(&app, &director, production).await.len(), 4);
    let replaced = app
        .patch(
            &path,
            Some(&director),
            &json!({"credits": [{"kind": "crew", "role": "Режиссёр", "name": "Дина Ахметова"}]}),
        )
        .await;
    assert_eq!(replaced.status(), StatusCode::OK);
    assert_eq!(
        credits_of(&app, &director, production).await,
        [given("crew", "Режиссёр", "Дина Ахметова")]
    );

    // A credit without a name, a kind kassa does not know, too many: refused, nothing changed.
    let nameless = json!({"credits": [
        {"kind": "cast", "role": "Айгерим", "name": "Дана"},
        {"kind": "cast", "role": "Аружан", "name": "  "}
    ]});
    let error = error_of(
        app.patch(&path, Some(&director), &nameless).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "credits[1].name");
    let unknown = json!({"credits": [{"kind": "chorus", "name": "Дана"}]});
    let unknown = app.patch(&path, Some(&director), &unknown).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let many: Vec<Value> = (0..101)
        .map(|i| json!({"kind": "cast", "name": format!("Актёр {i}")}))
        .collect();
    let error = error_of(
        app.patch(&path, Some(&director), &json!({ "credits": many }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(error["details"]["field"], "credits");
    assert_eq!(
        credits_of(&app, &director, production).await,
        [given("crew", "Режиссёр", "Дина Ахметова")]
    );

    // The audience's page lists them under their headings, escaped.
    let (performance, announced) = announced_production(&app, &director).await;
    let credits = json!({"credits": [
        {"kind": "cast", "role": "Айгерим, переехала из Москвы", "name": "Дана <Сейткали>"},
        {"kind": "crew", "role": "Режиссёр", "name": "Дина Ахметова"},
        {"kind": "cast", "name": "Аружан Ким"}
    ]});
    let given = app
        .patch(
            &format!("/api/v1/productions/{announced}"),
            Some(&director),
            &credits,
        )
        .await;
    assert_eq!(given.status(), StatusCode::OK);
    let page = text_of(&app, "", &format!("/productions/{announced}")).await;
    assert!(
        page.contains("<h2 id=\"credits-crew\">Постановочная группа</h2>"),
        "{page}"
    );
    assert!(page.contains("<h2 id=\"credits-cast\">В ролях</h2>"));
    assert_eq!(
        credits_section(&page, "crew").unwrap(),
        ["Режиссёр Дина Ахметова"]
    );
    assert_eq!(
        credits_section(&page, "cast").unwrap(),
        [
            "Айгерим, переехала из Москвы Дана &lt;Сейткали&gt;",
            "Аружан Ким"
        ]
    );
    let english = text_of(&app, "kassa_lang=en", &format!("/productions/{announced}")).await;
    assert!(english.contains(">Creative team</h2>") && english.contains(">Cast</h2>"));
    // Search engines read the cast as the performance's performers.
    let performance_page = text_of(&app, "", &format!("/performances/{performance}")).await;
    // `json_ld` also checks that no `<` of a name stands in the script to close it.
    let event = json_ld(&performance_page);
    assert_eq!(
        event["performer"],
        json!([
            {"@type": "Person", "name": "Дана <Сейткали>"},
            {"@type": "Person", "name": "Аружан Ким"}
        ]),
        "{event}"
    );

    // A production without credits shows no empty headings.
    let cleared = app
        .patch(
            &format!("/api/v1/productions/{announced}"),
            Some(&director),
            &json!({"credits": []}),
        )
        .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let page = text_of(&app, "", &format!("/productions/{announced}")).await;
    assert!(!page.contains("class=\"credits"), "{page}");
}

#[tokio::test]
async fn the_director_types_the_credits_a_line_each_and_a_line_without_a_name_is_refused_by_its_number()
 {
    let app = spawn_app().await;
    let director = app.director().await;
    let (_, production) = announced_production(&app, &director).await;
    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let edit = format!("/director/productions/{production}");
    let page = text_of(&app, &cookies, &edit).await;
    assert!(page.contains("<textarea name=\"crew\"") && page.contains("<textarea name=\"cast\""));
    let csrf = csrf_field(&page);
    let fields = |crew: &'static str, cast: &'static str| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf", csrf.as_str()),
                ("title", "Здесь.Алматы"),
                ("description", "Монологи"),
                ("duration_minutes", "100"),
                ("intermission_minutes", "15"),
                ("age_rating", "16+"),
                ("language", "ru"),
                ("crew", crew),
                ("cast", cast),
            ])
            .finish()
    };

    let refused = post_with(
        &app,
        &cookies,
        &edit,
        fields(
            "Режиссёр — Дина Ахметова",
            "Айгерим — Дана Сейткали\r\nАружан —\r\n",
        ),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Проверьте поле «В ролях, строка 2»."),
        "{page}"
    );
    assert!(
        page.contains("Айгерим — Дана Сейткали\r\nАружан —"),
        "what was typed stays in the form"
    );
    assert!(
        credits_of(&app, &director, production).await.is_empty(),
        "nothing was saved"
    );

    let saved = post_with(
        &app,
        &cookies,
        &edit,
        fields(
            "Режиссёр — Дина Ахметова\r\n\r\nХудожник по свету: Арман Ли",
            "Айгерим, переехала из Москвы — Дана Сейткали\r\nАнна-Мария Ким",
        ),
    )
    .await;
    assert_eq!(
        said(&followed(&app, &cookies, saved).await).as_deref(),
        Some("Постановка «Здесь.Алматы» сохранена.")
    );
    let given =
        |kind: &str, role: &str, name: &str| (kind.to_owned(), role.to_owned(), name.to_owned());
    assert_eq!(
        credits_of(&app, &director, production).await,
        [
            given("crew", "Режиссёр", "Дина Ахметова"),
            given("crew", "Художник по свету", "Арман Ли"),
            given("cast", "Айгерим, переехала из Москвы", "Дана Сейткали"),
            given("cast", "", "Анна-Мария Ким"),
        ]
    );
    // The edit page shows them back as lines, so saving it again changes nothing.
    let page = text_of(&app, &cookies, &edit).await;
    assert!(
        page.contains(">Режиссёр — Дина Ахметова\nХудожник по свету — Арман Ли</textarea>"),
        "{page}"
    );
    assert!(
        page.contains(">Айгерим, переехала из Москвы — Дана Сейткали\nАнна-Мария Ким</textarea>")
    );
    let public = text_of(&app, "", &format!("/productions/{production}")).await;
    assert_eq!(
        credits_section(&public, "crew").unwrap(),
        ["Режиссёр Дина Ахметова", "Художник по свету Арман Ли"]
    );
    assert_eq!(
        credits_section(&public, "cast").unwrap(),
        [
            "Айгерим, переехала из Москвы Дана Сейткали",
            "Анна-Мария Ким"
        ]
    );

    // In Kazakh the refusal names the line in Kazakh.
    let kazakh = format!("{cookies}; kassa_lang=kk");
    let refused = post_with(&app, &kazakh, &edit, fields("Режиссёр:", "")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Қойылым тобы, 1-жол"), "{page}");

    // A new production takes its credits from the same boxes.
    let created = post_with(
        &app,
        &cookies,
        "/director/productions",
        fields("Режиссёр — Дина Ахметова", "Аружан Ким"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let all: Value = app
        .get("/api/v1/productions", Some(&director))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let new = *ids.iter().max().unwrap();
    assert_ne!(new, production);
    assert_eq!(
        credits_of(&app, &director, new).await,
        [
            given("crew", "Режиссёр", "Дина Ахметова"),
            given("cast", "", "Аружан Ким")
        ]
    );
}

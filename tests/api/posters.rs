//! Posters: the director uploads one on the production's page; kassa checks what the file is,
//! strips its metadata, keeps copies 320, 640 and 1280 px wide, and serves them with srcset,
//! a year's cache and an ETag; the production page and the home page's card show it.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app_with};
use crate::pages::{csrf_field, followed, get_with, json_ld, page_session, said, text_of};

const BOUNDARY: &str = "kassa-test-boundary-7MA4YWxkTrZu0gW";

/// A form as a browser posts it with a file: the token and the file part.
fn multipart(csrf: Option<&str>, filename: &str, content_type: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(csrf) = csrf {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"poster\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(app: &TestApp, cookies: &str, production: i64, body: Vec<u8>) -> reqwest::Response {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url(&format!("/director/productions/{production}/poster")))
        .header("Cookie", cookies)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

/// CRC-32 of a PNG chunk's type and data.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG of `width` × `height` carrying a text chunk, as a phone's or an editor's metadata.
fn png_with_metadata(width: u32, height: u32, secret: &str) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x / 4 % 256) as u8, (y / 4 % 256) as u8, 120])
    });
    let mut png = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    let mut chunk = b"tEXt".to_vec();
    chunk.extend_from_slice(format!("Location\0{secret}").as_bytes());
    let mut text = ((chunk.len() - 4) as u32).to_be_bytes().to_vec();
    text.extend_from_slice(&chunk);
    text.extend_from_slice(&crc32(&chunk).to_be_bytes());
    // After the signature (8 bytes) and IHDR (25 bytes).
    png.splice(33..33, text);
    png
}

#[tokio::test]
async fn the_director_uploads_a_poster_served_in_three_widths_with_an_etag_on_both_pages() {
    let app = spawn_app_with(|settings| settings.posters.max_mib = 1).await;
    let director = app.director().await;
    let (performance, _) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let shown: serde_json::Value = app
        .get(&format!("/api/v1/performances/{performance}"), None)
        .await
        .json()
        .await
        .unwrap();
    let production = shown["production"]["id"].as_i64().unwrap();
    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let edit = format!("/director/productions/{production}");
    let csrf = csrf_field(&text_of(&app, &cookies, &edit).await);

    let poster = png_with_metadata(900, 1260, "43.2389,76.8897 home");
    let forged = upload(
        &app,
        &cookies,
        production,
        multipart(None, "poster.png", "image/png", &poster),
    )
    .await;
    assert_eq!(
        forged.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no poster"
    );

    let text = multipart(
        Some(&csrf),
        "poster.jpg",
        "image/jpeg",
        b"not an image at all, whatever its name says",
    );
    let refused = upload(&app, &cookies, production, text).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Это не изображение JPEG, PNG или WebP.")
    );
    let mut damaged = poster.clone();
    damaged.truncate(400);
    let refused = upload(
        &app,
        &cookies,
        production,
        multipart(Some(&csrf), "p.png", "image/png", &damaged),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Изображение не читается")
    );
    let huge = vec![0x89u8; 1024 * 1024 + 10];
    let refused = upload(
        &app,
        &cookies,
        production,
        multipart(Some(&csrf), "big.png", "image/png", &huge),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Файл больше 1 МБ"));
    let page = get_with(&app, "", &format!("/productions/{production}")).await;
    assert!(
        !page.text().await.unwrap().contains("/posters/"),
        "nothing was stored"
    );

    let done = upload(
        &app,
        &cookies,
        production,
        multipart(Some(&csrf), "poster.png", "image/png", &poster),
    )
    .await;
    assert_eq!(
        said(&followed(&app, &cookies, done).await).as_deref(),
        Some("Афиша «Здесь.Алматы» загружена.")
    );

    let page = text_of(&app, "", &format!("/productions/{production}")).await;
    let start = page.find("srcset=\"").expect("a srcset") + "srcset=\"".len();
    let srcset = page[start..start + page[start..].find('"').unwrap()].replace("&#x2f;", "/");
    let copies: Vec<(&str, &str)> = srcset
        .split(", ")
        .map(|c| c.split_once(' ').unwrap())
        .collect();
    assert_eq!(
        copies.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        ["320w", "640w", "1280w"]
    );
    assert!(page.contains("loading=\"lazy\""));
    for ((url, _), width) in copies.iter().zip([320, 640, 900]) {
        let served = app.client.get(app.url(url)).send().await.unwrap();
        assert_eq!(served.status(), StatusCode::OK, "{url}");
        assert_eq!(served.headers()["content-type"], "image/jpeg");
        assert_eq!(
            served.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let etag = served.headers()["etag"].to_str().unwrap().to_owned();
        let bytes = served.bytes().await.unwrap();
        let copy = image::load_from_memory_with_format(&bytes, ImageFormat::Jpeg).unwrap();
        assert_eq!(copy.width(), width, "{url}: never wider than the upload");
        assert_eq!(copy.height(), width * 1260 / 900);
        assert!(
            !bytes.windows(8).any(|w| w == b"43.2389,"),
            "the upload's metadata is not in the copy"
        );
        let again = app
            .client
            .get(app.url(url))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{url}");
    }
    // Previews in messengers show the poster, on the production's page and each performance's.
    let widest = format!("{}{}", app.public_url, copies[2].0).replace('/', "&#x2f;");
    for path in [
        format!("/productions/{production}"),
        format!("/performances/{performance}"),
    ] {
        let page = text_of(&app, "", &path).await;
        assert!(
            page.contains(&format!(
                "<meta property=\"og:image\" content=\"{widest}\">"
            )),
            "{path}"
        );
        assert!(
            page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"),
            "{path}"
        );
    }
    let performance_page = text_of(&app, "", &format!("/performances/{performance}")).await;
    let event = json_ld(&performance_page);
    assert_eq!(
        event["image"],
        format!("{}{}", app.public_url, copies[2].0),
        "the JSON-LD's image"
    );
    let production_page = text_of(&app, "", &format!("/productions/{production}")).await;
    assert!(production_page.contains("<meta property=\"og:title\" content=\"Здесь.Алматы\">"));
    assert!(
        production_page.contains(
            "<meta property=\"og:description\" content=\"Ближайший спектакль — 1 марта 2031, 19:00, 2act studio. Monologues\">"
        ),
        "the production's preview says its next date and hall: {production_page}"
    );

    let missing = app
        .client
        .get(app.url("/posters/0123456789abcdef0123/320.jpg"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let odd = app
        .client
        .get(app.url(&format!("{}x", copies[0].0)))
        .send()
        .await
        .unwrap();
    assert_eq!(odd.status(), StatusCode::NOT_FOUND);

    let home = text_of(&app, "", "/").await;
    assert!(
        home.contains(&format!("href=\"/productions/{production}\"")),
        "a card links the production"
    );
    assert!(
        home.contains(&copies[0].0.replace('/', "&#x2f;")),
        "the card shows the poster"
    );

    let staff = page_session(&app, kassa::domain::Role::Staff).await;
    let csrf = csrf_field(&text_of(&app, &staff, "/door").await);
    let refused = upload(
        &app,
        &staff,
        production,
        multipart(Some(&csrf), "p.png", "image/png", &poster),
    )
    .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "staff do not change posters"
    );
}

#[tokio::test]
async fn a_production_never_announced_has_no_page() {
    let app = spawn_app_with(|_| {}).await;
    let director = app.director().await;
    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    let page = get_with(&app, "", &format!("/productions/{production}")).await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let page = get_with(&app, "", "/productions/9999").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
}

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
async fn every_page_names_a_favicon_that_is_served_and_so_is_favicon_ico() {
    let app = spawn_app().await;
    let home = app.get("/", None).await.text().await.unwrap();
    assert!(home.contains(r#"<link rel="icon" href="/static/favicon.svg""#));
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "image/svg+xml",
            "{path}"
        );
        assert!(response.text().await.unwrap().starts_with("<svg"), "{path}");
    }
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

/// A browser without JavaScript: it keeps the CSRF cookie and posts forms.
pub(crate) struct Visitor<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    pub(crate) cookie: Option<String>,
}

impl<'a> Visitor<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            client: no_redirects(),
            cookie: None,
        }
    }

    pub(crate) async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let mut request = self.client.get(self.app.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        if let Some(set) = response.headers().get("set-cookie") {
            self.cookie = Some(set.to_str().unwrap().split(';').next().unwrap().to_owned());
        }
        (response.status(), response.text().await.unwrap())
    }

    pub(crate) async fn post(
        &self,
        path: &str,
        form: &str,
    ) -> (StatusCode, Option<String>, String) {
        let mut request = self
            .client
            .post(self.app.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", cookie);
        }
        let response = request.send().await.unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        (response.status(), location, response.text().await.unwrap())
    }
}

pub(crate) fn csrf_field(html: &str) -> String {
    let start =
        html.find("name=\"csrf\" value=\"").expect("a CSRF field") + "name=\"csrf\" value=\"".len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_buyer_without_javascript_picks_seats_checks_out_sees_the_tickets_and_cancels() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let mut visitor = Visitor::new(&app);

    let (_, page) = visitor.get(&format!("/performances/{performance}")).await;
    let csrf = csrf_field(&page);
    assert!(
        visitor
            .cookie
            .as_deref()
            .unwrap()
            .starts_with("kassa_csrf=")
    );
    let form = format!("csrf={csrf}&seat={}&seat={}", seats[0], seats[2]);
    let (status, location, _) = visitor
        .post(&format!("/performances/{performance}/hold"), &form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let checkout = location.unwrap();
    assert!(checkout.starts_with("/checkout/"));

    let (status, page) = visitor.get(&checkout).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("ряд 1, место 1") && page.contains("ряд 2, место 1"));
    assert!(page.contains("10\u{a0}500\u{a0}₸"), "the total");

    let bad = format!(
        "csrf={}&name=%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%B8%D0%BC&email=not-an-address&phone=",
        csrf_field(&page)
    );
    let (status, _, page) = visitor.post(&checkout, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""),
        "the error is next to its field"
    );
    assert!(page.contains("value=\"Айгерим\""), "what was typed is kept");
    assert!(
        page.contains("Это не похоже на адрес электронной почты."),
        "the error is in the page's language"
    );

    let good = format!(
        "csrf={}&name=Aigerim&email=aigerim%40example.kz&phone=",
        csrf_field(&page)
    );
    let (status, location, _) = visitor.post(&checkout, &good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let booking = location.unwrap();
    assert!(booking.starts_with("/bookings/") && booking.contains("?token="));

    let (status, page) = visitor.get(&booking).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page.matches("src=\"data:image/png;base64,").count(),
        2,
        "one QR code per ticket"
    );
    assert!(page.contains("aigerim@example.kz"));
    let calendar = page
        .split("href=\"")
        .find(|s| s.contains("calendar.ics"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let (status, ics) = visitor.get(&calendar).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ics.contains("DTSTART:20310301T140000Z"));

    let reference = booking
        .trim_start_matches("/bookings/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let token = booking.split("token=").nth(1).unwrap().to_owned();
    // One tap on "Cancel the booking" only asks; the page itself cancels nothing.
    assert!(!page.contains(&format!("action=\"/bookings/{reference}/cancel\"")));
    let asking = format!("/bookings/{reference}?token={token}&amp;cancel=1#confirm-cancel");
    assert!(page.contains(&asking), "{page}");
    let (status, question) = visitor
        .get(&asking.replace("&amp;", "&").replace("#confirm-cancel", ""))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(question.contains("Отменить эту бронь?"));
    assert!(question.contains("Билеты (2) перестанут действовать"));
    assert!(question.contains(&format!("action=\"/bookings/{reference}/cancel\"")));
    assert!(question.contains("Нет, оставить"));
    let (status, location, _) = visitor
        .post(
            &format!("/bookings/{reference}/cancel"),
            &format!("csrf={}&token={token}", csrf_field(&question)),
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some(booking.as_str()))
    );
    let (_, page) = visitor.get(&booking).await;
    assert!(page.contains("Бронь отменена"));
    let (_, map) = visitor.get(&format!("/performances/{performance}")).await;
    assert!(
        !map.contains("data-status=\"booked\""),
        "the seats are free again"
    );
}

#[tokio::test]
async fn forms_posted_without_their_csrf_token_are_refused() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let mut visitor = Visitor::new(&app);
    let (_, page) = visitor.get(&format!("/performances/{performance}")).await;
    let path = format!("/performances/{performance}/hold");

    let (status, _, _) = visitor.post(&path, &format!("seat={}", seats[0])).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no token");
    let (status, _, _) = visitor
        .post(
            &path,
            &format!("csrf={}x&seat={}", csrf_field(&page), seats[0]),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a wrong token");
    let stranger = Visitor::new(&app);
    let (status, _, _) = stranger
        .post(
            &path,
            &format!("csrf={}&seat={}", csrf_field(&page), seats[0]),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a token without its cookie, as from another site"
    );
    let (_, map) = visitor.get(&format!("/performances/{performance}")).await;
    assert!(!map.contains("data-status=\"held\""), "nothing was held");
}

#[tokio::test]
async fn a_seat_taken_meanwhile_sends_the_buyer_back_to_the_map_with_a_message() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let mut visitor = Visitor::new(&app);
    let (_, page) = visitor.get(&format!("/performances/{performance}")).await;
    app.post(
        &format!("/api/v1/performances/{performance}/holds"),
        None,
        &json!({"seat_ids": [seats[0]]}),
    )
    .await;
    let (status, _, page) = visitor
        .post(
            &format!("/performances/{performance}/hold"),
            &format!("csrf={}&seat={}", csrf_field(&page), seats[0]),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("Некоторые из этих мест только что заняли"));
    assert!(
        page.contains("<svg viewBox"),
        "the map again, to pick others"
    );
}

#[tokio::test]
async fn an_unknown_page_is_an_html_404_in_the_visitors_language() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/no/such/page"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("Page not found."));
    let api = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert!(
        api.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "the API keeps its JSON errors"
    );
}

#[tokio::test]
async fn the_schedule_page_is_the_directors_only() {
    let app = spawn_app().await;
    let anonymous = no_redirects()
        .get(app.url("/director"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()["location"], "/signin?back=/director");

    for (role, expected) in [
        (kassa::domain::Role::Staff, StatusCode::FORBIDDEN),
        (kassa::domain::Role::Director, StatusCode::OK),
    ] {
        let cookies = page_session(&app, role).await;
        let schedule = get_with(&app, &cookies, "/director").await;
        assert_eq!(schedule.status(), expected, "{role:?}");
    }
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_kassa_is_reached_over_https() {
    let app = spawn_app().await;
    let (email, password) = app.create_user(kassa::domain::Role::Director);
    let client = no_redirects();
    let signin = client
        .get(app.url("/signin"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    let csrf_cookie = signin.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
    let page = signin.text().await.unwrap();
    let form = format!(
        "csrf={}&email={}&password={}",
        csrf_field(&page),
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    let response = client
        .post(app.url("/signin"))
        .header("X-Forwarded-Proto", "https")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", csrf_cookie.split(';').next().unwrap())
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let session = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        session.starts_with("kassa_session=")
            && session.contains("Secure")
            && session.contains("HttpOnly"),
        "{session}"
    );
}

/// Signs in on the pages; returns the cookies to send.
pub(crate) async fn page_session(app: &TestApp, role: kassa::domain::Role) -> String {
    let (email, password) = app.create_user(role);
    let mut visitor = Visitor::new(app);
    let (_, page) = visitor.get("/signin").await;
    let form = format!(
        "csrf={}&email={}&password={}",
        csrf_field(&page),
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    let response = visitor
        .client
        .post(app.url("/signin"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", visitor.cookie.clone().unwrap())
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let start = match role {
        kassa::domain::Role::Director => "/director",
        kassa::domain::Role::Staff => "/door",
    };
    assert_eq!(
        response.headers()["location"],
        start,
        "each role starts on its own page"
    );
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(
        !set_cookie.contains("Secure"),
        "plain HTTP on loopback: {set_cookie}"
    );
    let session = set_cookie.split(';').next().unwrap().to_owned();
    format!("{}; {session}", visitor.cookie.unwrap())
}

/// A page fetched with a session's cookies, redirects not followed.
pub(crate) async fn get_with(app: &TestApp, cookies: &str, path: &str) -> reqwest::Response {
    no_redirects()
        .get(app.url(path))
        .header("Cookie", cookies)
        .send()
        .await
        .unwrap()
}

/// Follows a form's `303 See Other` as a browser would, with the cookie it set for the next page
/// (what the form did); returns that page, and checks the page removes the cookie again.
pub(crate) async fn followed(app: &TestApp, cookies: &str, answer: reqwest::Response) -> String {
    assert_eq!(answer.status(), reqwest::StatusCode::SEE_OTHER);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    let flash = answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("kassa_flash="));
    let cookies = match &flash {
        Some(flash) => format!("{cookies}; {flash}"),
        None => cookies.to_owned(),
    };
    let page = get_with(app, &cookies, &location).await;
    assert_eq!(page.status(), reqwest::StatusCode::OK, "{location}");
    if flash.is_some() {
        let removed = page.headers().get_all("set-cookie").iter().any(|c| {
            c.to_str().unwrap().starts_with("kassa_flash=;")
                || c.to_str().unwrap().contains("kassa_flash=; ")
        });
        assert!(removed, "the page that said it removes the cookie");
    }
    page.text().await.unwrap()
}

/// A page's HTML, fetched with `cookies` (an empty string: none).
pub(crate) async fn text_of(app: &TestApp, cookies: &str, path: &str) -> String {
    get_with(app, cookies, path).await.text().await.unwrap()
}

/// The page's JSON-LD, parsed. No `<` stands in it as such, so no text in it (a name, a title)
/// can close the script.
pub(crate) fn json_ld(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("a JSON-LD block") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    assert!(!page[start..end].contains('<'), "{}", &page[start..end]);
    serde_json::from_str(&page[start..end]).expect("JSON-LD that parses")
}

/// The sentence a page says about what the last form did, if any.
pub(crate) fn said(page: &str) -> Option<String> {
    let start = page.find("<p class=\"notice done\" role=\"status\">")?;
    let rest = &page[start..];
    let text = &rest[rest.find('>')? + 1..rest.find("</p>")?];
    Some(text.replace("&#x2f;", "/").replace("&quot;", "\""))
}

/// A form posted with a session's cookies, redirects not followed.
pub(crate) async fn post_with(
    app: &TestApp,
    cookies: &str,
    path: &str,
    form: String,
) -> reqwest::Response {
    no_redirects()
        .post(app.url(path))
        .header("Cookie", cookies)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_director_sees_a_performances_sales_by_zone_holds_and_bookings() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    // A booking of a front and a standard seat, and a hold still in checkout.
    let held: serde_json::Value = app
        .post(
            &format!("/api/v1/performances/{performance}/holds"),
            None,
            &json!({"seat_ids": [seats[0], seats[2]]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"hold_token": held["hold_token"], "name": "Айгерим", "email": "a@example.kz", "language": "ru"});
    let booking: serde_json::Value = app
        .post("/api/v1/bookings", None, &body)
        .await
        .json()
        .await
        .unwrap();
    app.post(
        &format!("/api/v1/performances/{performance}/holds"),
        None,
        &json!({"seat_ids": [seats[3]]}),
    )
    .await;

    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let page = get_with(
        &app,
        &cookies,
        &format!("/director/performances/{performance}"),
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<th scope=\"row\">front</th><td>1 / 2</td><td>6\u{a0}000\u{a0}₸</td>"),
        "{html}"
    );
    assert!(
        html.contains("<th scope=\"row\">standard</th><td>1 / 2</td><td>4\u{a0}500\u{a0}₸</td>")
    );
    assert!(
        html.contains("<td>2 / 4</td><td>10\u{a0}500\u{a0}₸</td>"),
        "the totals"
    );
    assert!(html.contains("Сейчас на оформлении: мест — 1."));
    assert!(
        html.contains(booking["reference"].as_str().unwrap())
            && html.contains("Айгерим")
            && html.contains("оплата на входе")
    );
    assert!(html.contains("Не оплачено: 10\u{a0}500\u{a0}₸."), "{html}");

    // A Kaspi transfer before the show, recorded from the booking's line; sent twice (the
    // director's double tap), it is recorded once.
    let reference = booking["reference"].as_str().unwrap();
    let form_key = html
        .split("name=\"key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    for _ in 0..2 {
        let posted = post_with(
            &app,
            &cookies,
            &format!("/director/performances/{performance}/bookings/{reference}/payments"),
            format!(
                "csrf={}&key={form_key}&kind=payment&amount=10500&method=kaspi&note=Kaspi+99",
                csrf_field(&html)
            ),
        )
        .await;
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    }
    let html = get_with(
        &app,
        &cookies,
        &format!("/director/performances/{performance}"),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(html.contains("Не оплачено: 0\u{a0}₸."), "{html}");
    assert!(
        html.contains("оплата: 10\u{a0}500\u{a0}₸, Kaspi (Kaspi 99)"),
        "{html}"
    );
    let api = app.director().await;
    let cashup: serde_json::Value = app
        .get(
            &format!("/api/v1/performances/{performance}/cashup"),
            Some(&api),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        cashup["payments"].as_array().unwrap().len(),
        1,
        "recorded once"
    );

    let staff = page_session(&app, kassa::domain::Role::Staff).await;
    let refused = get_with(
        &app,
        &staff,
        &format!("/director/performances/{performance}"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_director_moves_a_performance_from_its_page_and_its_holders_are_told() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let held: serde_json::Value = app
        .post(
            &format!("/api/v1/performances/{performance}/holds"),
            None,
            &json!({"seat_ids": [seats[0]]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"hold_token": held["hold_token"], "name": "Guest", "email": "g@example.kz", "language": "ru"});
    let booking: serde_json::Value = app
        .post("/api/v1/bookings", None, &body)
        .await
        .json()
        .await
        .unwrap();
    let venue = app
        .get(&format!("/api/v1/performances/{performance}"), None)
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap()["venue"]["id"]
        .as_i64()
        .unwrap();
    let production = app.create_production(&director).await["id"]
        .as_i64()
        .unwrap();
    app.schedule(
        &director,
        venue,
        production,
        "2031-03-02T19:00",
        "published",
    )
    .await;

    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let page_path = format!("/director/performances/{performance}");
    let page = get_with(&app, &cookies, &page_path)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("value=\"2031-03-01T19:00\""),
        "the form starts from the current time"
    );
    let (csrf, reschedule) = (csrf_field(&page), format!("{page_path}/reschedule"));
    let post = |starts_at: &str| {
        post_with(
            &app,
            &cookies,
            &reschedule,
            format!("csrf={csrf}&starts_at={starts_at}"),
        )
    };

    let clash = post("2031-03-02T19:30").await;
    assert_eq!(clash.status(), StatusCode::CONFLICT);
    assert!(clash.text().await.unwrap().contains("Зал занят"));

    let moved = post("2031-03-01T20:00").await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    assert_eq!(moved.headers()["location"], page_path.as_str());
    let now: serde_json::Value = app
        .get(&format!("/api/v1/performances/{performance}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["starts_at"], "2031-03-01T20:00:00+05:00");
    let id = crate::booking_id_of(&app, booking["reference"].as_str().unwrap());
    assert_eq!(
        app.outbox(id).await,
        ["booking_confirmed", "performance_rescheduled"],
        "the holder is told"
    );
}

#[tokio::test]
async fn the_director_keeps_house_seats_off_sale_from_the_page_and_puts_them_back() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, seats) = app.performance_on_sale(&director, "2031-03-01T19:00").await;
    let cookies = page_session(&app, kassa::domain::Role::Director).await;
    let page_path = format!("/director/performances/{performance}");
    let page = get_with(&app, &cookies, &page_path)
        .await
        .text()
        .await
        .unwrap();
    let csrf = csrf_field(&page);
    let blocked = post_with(
        &app,
        &cookies,
        &format!("{page_path}/block"),
        format!(
            "csrf={csrf}&seat={}&seat={}&reason=camera",
            seats[0], seats[1]
        ),
    )
    .await;
    assert_eq!(blocked.status(), StatusCode::SEE_OTHER);
    let map: serde_json::Value = app
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            map["seats"][0]["status"].as_str(),
            map["seats"][1]["status"].as_str()
        ),
        (Some("blocked"), Some("blocked"))
    );

    let no_reason = post_with(
        &app,
        &cookies,
        &format!("{page_path}/block"),
        format!("csrf={csrf}&seat={}&reason=", seats[2]),
    )
    .await;
    assert_eq!(
        no_reason.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );

    let page = get_with(&app, &cookies, &page_path)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("camera"));
    let lift = page
        .split("action=\"")
        .find(|s| s.contains("/lift\""))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        post_with(&app, &cookies, &lift, format!("csrf={csrf}"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let map: serde_json::Value = app
        .get(&format!("/api/v1/performances/{performance}/seats"), None)
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> = map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "blocked").count(),
        1,
        "one seat is back on sale"
    );
}

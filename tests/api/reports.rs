//! The sales report, the cash-up and the CSV files add up to the payment rows, to the tenge,
//! for a performance with every kind of booking; the CSV files read back with a real CSV
//! reader.

use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

/// A hall of ten seats (row 1 front, row 2 standard) and a performance in it at 19:00 on
/// 1 March 2031 with student prices: (performance id, seat ids in plan order).
async fn ten_seat_performance(app: &TestApp, director: &Session) -> (i64, Vec<i64>) {
    let seats: Vec<Value> = (1..=2)
        .flat_map(|row| {
            (1..=5).map(move |number| {
                json!({"row": row, "number": number, "zone": if row == 1 { "front" } else { "standard" },
                       "x": number * 40, "y": row * 50, "accessible": false})
            })
        })
        .collect();
    let venue: Value = app
        .post(
            "/api/v1/venues",
            Some(director),
            &json!({"name": "Зал", "address": "Алматы", "timezone": "Asia/Almaty", "seats": seats}),
        )
        .await
        .json()
        .await
        .unwrap();
    let production = app.create_production(director).await;
    let response = app
        .post(
            "/api/v1/performances",
            Some(director),
            &json!({
                "production_id": production["id"], "venue_id": venue["id"],
                "starts_at": "2031-03-01T19:00", "prices": {"front": 6000, "standard": 4500},
                "concessions": {"student": {"front": 4000, "standard": 3000}}, "status": "published"
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let performance: Value = response.json().await.unwrap();
    let ids = venue["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    (performance["id"].as_i64().unwrap(), ids)
}

async fn book(app: &TestApp, performance: i64, seats: &[i64], name: &str, student: bool) -> Value {
    let tickets: Vec<Value> = seats
        .iter()
        .filter(|_| student)
        .map(|seat| json!({"seat_id": seat, "type": "student"}))
        .collect();
    app.book_online(
        performance,
        seats,
        json!({"name": name, "tickets": tickets}),
    )
    .await
}

async fn record(app: &TestApp, director: &Session, booking: &Value, body: Value) {
    let reference = booking["reference"].as_str().unwrap();
    let response = app
        .post(
            &format!("/api/v1/bookings/{reference}/payments"),
            Some(director),
            &body,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "{body}");
}

async fn cancel(app: &TestApp, booking: &Value) {
    let path = format!(
        "/api/v1/bookings/{}/cancel",
        booking["reference"].as_str().unwrap()
    );
    let response = app
        .client
        .post(app.url(&path))
        .header("X-Manage-Token", booking["manage_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

/// Every payment row of a performance: (kind, method, amount).
fn payment_rows(app: &TestApp, performance: i64) -> Vec<(String, String, i64)> {
    use kassa::db::schema::{bookings, payments};
    payments::table
        .inner_join(bookings::table)
        .filter(bookings::performance_id.eq(performance as i32))
        .select((payments::kind, payments::method, payments::amount))
        .load(&mut app.db())
        .unwrap()
}

fn sum(rows: &[(String, String, i64)], kind: &str, method: Option<&str>) -> i64 {
    rows.iter()
        .filter(|(k, m, _)| k == kind && method.is_none_or(|method| m == method))
        .map(|(_, _, amount)| amount)
        .sum()
}

/// A CSV file as a Russian Excel reads it: BOM, `;`, header row.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte-order mark"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

async fn download(app: &TestApp, director: &Session, path: &str) -> Vec<u8> {
    let response = app.get(path, Some(director)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=")
    );
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn the_report_the_cash_up_and_the_csv_files_add_up_to_the_payment_rows() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    let (performance, s) = ten_seat_performance(&app, &director).await;
    let tricky = "Иванов, \"Ваня\"\nмладший";

    book(&app, performance, &[s[0]], tricky, false).await; // 6000 due
    let student = book(&app, performance, &[s[5], s[6]], "Студенты", true).await; // 6000
    record(
        &app,
        &director,
        &student,
        json!({"amount": 6000, "method": "kaspi", "note": "Kaspi, \"№ 77\""}),
    )
    .await;
    let partly = book(&app, performance, &[s[1]], "Частично", false).await; // 6000
    record(
        &app,
        &director,
        &partly,
        json!({"amount": 2500, "method": "transfer"}),
    )
    .await;
    let cancelled = book(&app, performance, &[s[7]], "Передумал", false).await;
    cancel(&app, &cancelled).await;
    let refunded = book(&app, performance, &[s[2]], "Вернули", false).await;
    record(
        &app,
        &director,
        &refunded,
        json!({"amount": 6000, "method": "card"}),
    )
    .await;
    cancel(&app, &refunded).await;
    record(
        &app,
        &director,
        &refunded,
        json!({"amount": 6000, "method": "card", "kind": "refund"}),
    )
    .await;
    let owed = book(&app, performance, &[s[8]], "Ждёт возврата", false).await;
    record(
        &app,
        &director,
        &owed,
        json!({"amount": 4500, "method": "cash"}),
    )
    .await;
    cancel(&app, &owed).await;
    let sale = |seats: Vec<i64>, payment: &'static str, tickets: Value| {
        let body = json!({"seat_ids": seats, "payment": payment, "tickets": tickets});
        let path = format!("/api/v1/performances/{performance}/sales");
        let staff = staff.clone();
        let app = &app;
        async move {
            let response = app.post(&path, Some(&staff), &body).await;
            assert_eq!(response.status(), StatusCode::CREATED);
        }
    };
    sale(
        vec![s[3], s[9]],
        "cash",
        json!([{"seat_id": s[9], "type": "student"}]),
    )
    .await; // 6000 + 3000
    sale(vec![s[4]], "comp", json!([])).await;
    let admitted = app
        .post(
            "/api/v1/checkins",
            Some(&staff),
            &json!({"code": student["tickets"][0]["code"], "performance_id": performance, "direction": "in"}),
        )
        .await;
    assert_eq!(admitted.status(), StatusCode::OK);

    let rows = payment_rows(&app, performance);
    let report: Value = app
        .get(
            "/api/v1/reports/sales?from=2031-03-01&to=2031-03-01",
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        report["performances"].as_array().unwrap().len(),
        1,
        "{report}"
    );
    let row = &report["performances"][0];
    let money = &row["money"];
    assert_eq!(money["taken"], sum(&rows, "payment", None));
    assert_eq!(money["refunded"], sum(&rows, "refund", None));
    assert_eq!(money["taken"], 6000 + 2500 + 6000 + 4500 + 9000);
    assert_eq!(money["refunded"], 6000);
    assert_eq!(money["net"], 28000 - 6000);
    for method in ["cash", "card", "kaspi", "transfer"] {
        assert_eq!(
            money["by_method"][method],
            sum(&rows, "payment", Some(method)) - sum(&rows, "refund", Some(method)),
            "{method}"
        );
    }
    assert_eq!(money["outstanding"], 6000 + 3500, "unpaid and partly paid");
    assert_eq!(money["refunds_due"], 4500);
    assert_eq!(row["sold"], 7, "cancelled tickets are not sold");
    assert_eq!(row["capacity"], 10);
    assert_eq!(row["occupancy_percent"], 70.0);
    assert_eq!(row["admitted"], 1);
    assert!(row["no_shows"].is_null(), "not before the start");
    let count = |channel: &str, kind: &str| -> i64 {
        row["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["channel"] == channel && l["type"] == kind)
            .map(|l| l["tickets"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(count("online", "full"), 2);
    assert_eq!(count("online", "student"), 2);
    assert_eq!(count("walk_up", "full"), 1);
    assert_eq!(count("walk_up", "student"), 1);
    assert_eq!(count("comp", "full"), 1);
    assert_eq!(report["totals"]["money"], row["money"]);
    assert_eq!(report["totals"]["tickets"]["student"], 3);
    assert_eq!(report["totals"]["tickets"]["comp"], 1);

    let cashup: Value = app
        .get(
            &format!("/api/v1/performances/{performance}/cashup"),
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cashup["totals"]["taken"], money["taken"], "{cashup}");
    assert_eq!(cashup["totals"]["refunded"], money["refunded"]);
    assert_eq!(cashup["totals"]["net"], money["net"]);

    let (headers, lines) = read_csv(
        &download(
            &app,
            &director,
            "/api/v1/reports/sales.csv?from=2031-03-01&to=2031-03-01",
        )
        .await,
    );
    assert_eq!(headers[0], "Дата");
    assert_eq!(lines.len(), 1);
    let column = |name: &str| {
        let i = headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {headers:?}"));
        lines[0][i].clone()
    };
    assert_eq!(column("Дата"), "2031-03-01");
    assert_eq!(column("Время"), "19:00");
    assert_eq!(column("Спектакль"), "Здесь.Алматы");
    assert_eq!(column("Итого, ₸"), "22000");
    assert_eq!(column("К оплате, ₸"), "9500");
    assert_eq!(column("Студенческие"), "3");
    assert_eq!(column("Заполняемость, %"), "70.0");

    let (headers, lines) =
        read_csv(&download(&app, &director, "/api/v1/reports/payments.csv?lang=en").await);
    assert_eq!(headers[7], "Amount, ₸");
    // The payments were recorded today, whatever the performance's date.
    assert_eq!(lines.len(), rows.len());
    let signed: i64 = lines.iter().map(|l| l[7].parse::<i64>().unwrap()).sum();
    assert_eq!(signed, 22000, "refunds are negative");
    assert!(
        lines.iter().any(|l| l[10] == "Kaspi, \"№ 77\""),
        "a note with a comma and quotes survives: {lines:?}"
    );

    let (headers, lines) = read_csv(
        &download(
            &app,
            &director,
            &format!("/api/v1/performances/{performance}/attendees.csv"),
        )
        .await,
    );
    assert_eq!(headers[0], "Ряд");
    assert_eq!(lines.len(), 10, "every ticket, valid or void");
    let name = headers.iter().position(|h| h == "Имя").unwrap();
    assert!(
        lines.iter().any(|l| l[name] == tricky),
        "a name with a comma, quotes and a newline survives: {lines:?}"
    );
    let came = headers.iter().position(|h| h == "Пришли").unwrap();
    assert_eq!(lines.iter().filter(|l| l[came] == "да").count(), 1);
}

#[tokio::test]
async fn reports_are_the_directors_and_a_range_that_ends_first_is_empty() {
    let app = spawn_app().await;
    let director = app.director().await;
    let staff = app.sign_in_as(kassa::domain::Role::Staff).await;
    for path in [
        "/api/v1/reports/sales",
        "/api/v1/reports/sales.csv",
        "/api/v1/reports/payments.csv",
        "/api/v1/performances/1/attendees.csv",
    ] {
        assert_eq!(
            app.get(path, None).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        assert_eq!(
            app.get(path, Some(&staff)).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let backwards: Value = app
        .get(
            "/api/v1/reports/sales?from=2031-03-02&to=2031-03-01",
            Some(&director),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(backwards["performances"], json!([]));
    assert_eq!(backwards["totals"]["sold"], 0);
    let bad = app
        .get("/api/v1/reports/sales?from=1%20March", Some(&director))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .get("/api/v1/performances/999999/attendees.csv", Some(&director))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_reports_page_shows_a_month_with_its_chart_and_links_its_csv_files() {
    let app = spawn_app().await;
    let director = app.director().await;
    let (performance, s) = ten_seat_performance(&app, &director).await;
    let paid = book(&app, performance, &[s[0], s[5]], "Айгерим", false).await;
    record(
        &app,
        &director,
        &paid,
        json!({"amount": 10500, "method": "kaspi"}),
    )
    .await;
    let cookies = crate::pages::page_session(&app, kassa::domain::Role::Director).await;

    let page = crate::pages::get_with(&app, &cookies, "/director/reports?month=2031-03").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("2031-03-01 — 2031-03-31"),
        "the month's range"
    );
    assert!(html.contains(&format!("/director/performances/{performance}\"")));
    assert!(html.contains("10\u{a0}500\u{a0}₸"), "the money taken");
    assert!(
        html.contains("<svg viewBox=\"0 0 620 200\""),
        "the chart, drawn on the server"
    );
    assert_eq!(
        html.matches("<rect class=\"bar\"").count(),
        31,
        "the day itself and 30 before"
    );
    assert!(
        html.contains("30 дн. до спектакля: 2"),
        "booked today, years ahead: counted in the earliest bar"
    );
    assert!(!html.contains("<script"), "no script needed");

    let csv = crate::pages::get_with(
        &app,
        &cookies,
        "/director/reports/sales.csv?from=2031-03-01&to=2031-03-31",
    )
    .await;
    assert_eq!(csv.status(), StatusCode::OK);
    let (headers, lines) = read_csv(&csv.bytes().await.unwrap());
    assert_eq!(headers[0], "Дата", "in the page's language");
    assert_eq!(lines.len(), 1);

    let empty = crate::pages::get_with(&app, &cookies, "/director/reports?month=2031-04").await;
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("В этом периоде спектаклей нет.")
    );
    let staff = crate::pages::page_session(&app, kassa::domain::Role::Staff).await;
    let refused = crate::pages::get_with(&app, &staff, "/director/reports").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

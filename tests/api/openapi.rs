use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

/// Every /api route the application serves, as (method, OpenAPI path).
const ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("post", "/api/v1/auth/forgot"),
    ("post", "/api/v1/auth/reset"),
    ("get", "/api/v1/staff"),
    ("post", "/api/v1/staff"),
    ("patch", "/api/v1/staff/{id}"),
    ("delete", "/api/v1/staff/{id}"),
    ("post", "/api/v1/venues"),
    ("get", "/api/v1/venues"),
    ("get", "/api/v1/venues/{id}"),
    ("put", "/api/v1/venues/{id}/zone-names"),
    ("post", "/api/v1/productions"),
    ("get", "/api/v1/productions"),
    ("get", "/api/v1/productions/{id}"),
    ("patch", "/api/v1/productions/{id}"),
    ("get", "/api/v1/performances"),
    ("post", "/api/v1/performances"),
    ("post", "/api/v1/performances/run"),
    ("get", "/api/v1/performances/{id}"),
    ("patch", "/api/v1/performances/{id}"),
    ("post", "/api/v1/performances/{id}/blocks"),
    ("get", "/api/v1/performances/{id}/blocks"),
    ("delete", "/api/v1/performances/{id}/blocks/{block_id}"),
    ("get", "/api/v1/performances/{id}/seats"),
    ("post", "/api/v1/performances/{id}/holds"),
    ("delete", "/api/v1/holds/{token}"),
    ("post", "/api/v1/bookings"),
    ("get", "/api/v1/bookings/{reference}"),
    ("post", "/api/v1/bookings/{reference}/cancel"),
    ("post", "/api/v1/bookings/{reference}/exchange"),
    ("post", "/api/v1/performances/{id}/waitlist"),
    ("get", "/api/v1/performances/{id}/waitlist"),
    ("delete", "/api/v1/waitlist/{id}"),
    ("post", "/api/v1/checkins"),
    ("delete", "/api/v1/checkins/{id}"),
    ("get", "/api/v1/performances/{id}/door"),
    ("get", "/api/v1/performances/{id}/attendees"),
    ("post", "/api/v1/performances/{id}/sales"),
    ("post", "/api/v1/bookings/{reference}/payments"),
    ("get", "/api/v1/performances/{id}/cashup"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/reports/sales"),
    ("get", "/api/v1/reports/sales.csv"),
    ("get", "/api/v1/reports/payments.csv"),
    ("get", "/api/v1/performances/{id}/attendees.csv"),
];

#[tokio::test]
async fn the_openapi_document_covers_every_api_route_with_schemas() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let paths = document["paths"].as_object().unwrap();
    for (method, path) in ROUTES {
        let operation = &paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is documented"))[*method];
        assert!(operation.is_object(), "{method} {path} is documented");
        let responses = operation["responses"].as_object().unwrap();
        assert!(!responses.is_empty(), "{method} {path} has responses");
        let bodiless = ["/api/v1/auth/logout", "/api/v1/bookings/{reference}/cancel"];
        if ["post", "patch"].contains(method) && !bodiless.contains(path) {
            assert!(
                operation["requestBody"].is_object(),
                "{method} {path} documents its body"
            );
        }
    }
    let documented: usize = paths
        .iter()
        .filter(|(p, _)| p.starts_with("/api/"))
        .map(|(_, ops)| ops.as_object().unwrap().len())
        .sum();
    assert_eq!(
        documented,
        ROUTES.len(),
        "no route documented that this test does not know"
    );
    let schemas = document["components"]["schemas"].as_object().unwrap();
    for schema in [
        "PerformanceView",
        "NewPerformance",
        "VenueView",
        "ErrorBody",
        "LoginResponse",
    ] {
        assert!(
            schemas.contains_key(schema),
            "{schema} is in the components"
        );
    }
}

#[tokio::test]
async fn the_docs_page_is_served_from_the_binary() {
    let app = spawn_app().await;
    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    // Its script comes from kassa itself, not a CDN.
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from the internet"
    );
    let script = app.get("/api/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(script.status(), StatusCode::OK);
}

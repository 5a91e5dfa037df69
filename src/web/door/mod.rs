//! The door on a phone: pick the performance, scan or type codes (the script in
//! static/door.js does the scanning, the offline list and the upload), and sell walk-up seats
//! ([`sale`]). Staff and the director only.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, Utc};
use minijinja::{Value, context};

use super::PageLanguage;
use super::render::{not_found, page_for as show};
use crate::app::door::list::door_list;
use crate::db::performances::{self, Filter};
use crate::db::sessions::Principal;
use crate::db::zone_names;
use crate::domain::booking::Language;
use crate::domain::performance::Status;
use crate::http::auth::signed_in;
use crate::http::views::DoorData;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};

mod cashup;
mod sale;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/door", web::get().to(choose))
        .route("/door/{id}", web::get().to(scanner))
        .configure(sale::routes)
        .configure(cashup::routes);
}

/// Staff or the director, or the response to send instead (sign in first).
pub(super) async fn door_keeper(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Result<Principal, HttpResponse>, ApiError> {
    Ok(match signed_in(req, state).await? {
        Some(principal) => Ok(principal),
        None => Err(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/signin?back={}", req.path())))
            .finish()),
    })
}

/// `GET /door`: the performances of today and the next days, to pick one.
async fn choose(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = door_keeper(&req, &state).await? {
        return Ok(response);
    }
    let lang = language.0;
    let performances = state
        .with_db(move |conn, _| {
            let now = Utc::now();
            let rows = performances::list(
                conn,
                &Filter {
                    statuses: vec![Status::Published],
                    // Still at the door until the end: a performance that began hours ago.
                    starts_from: Some(now - Duration::hours(6)),
                    starts_before: Some(now + Duration::days(7)),
                    ..Default::default()
                },
            )?;
            Ok(performances::details(conn, rows, now)?
                .into_iter()
                .filter(|p| p.row.slot().ends_at > now)
                .map(|p| {
                    let starts_at = p.row.slot().starts_at;
                    context! {
                        id => p.row.id,
                        title => p.production_title,
                        when => date_time(lang, p.zone, starts_at),
                        today => p.zone.local_date(starts_at) == p.zone.local_date(now),
                        sold => p.seats_total - p.seats_available,
                        total => p.seats_total,
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    show(
        &req,
        language,
        StatusCode::OK,
        "door_choose.html",
        context! { performances => performances },
    )
}

/// The texts the door script shows, in the page's language; `{name}` marks are filled in by
/// the script.
fn script_texts(lang: Language) -> Value {
    let keys = [
        "door-admitted",
        "door-left",
        "door-already",
        "door-not-inside",
        "door-wrong",
        "door-cancelled",
        "door-unknown",
        "door-undone",
        "door-signed-out",
        "door-admit",
        "door-let-out",
        "door-no-match",
        "door-offline-admit",
        "door-no-camera",
        "door-scan-camera",
        "door-stop-camera",
        "door-inside",
        "door-server-error",
        "door-pay-cash",
        "door-pay-card",
        "door-pay-kaspi",
        "door-check-student",
        "door-check-pensioner",
        "door-check-child",
    ];
    let mut texts: std::collections::BTreeMap<&str, String> =
        keys.iter().map(|key| (*key, t(lang, key, &[]))).collect();
    fn marks<'a>(names: &[&'a str]) -> Vec<(&'a str, String)> {
        names.iter().map(|n| (*n, format!("{{{n}}}"))).collect()
    }
    texts.insert(
        "door-already-detail",
        t(lang, "door-already-detail", &marks(&["at", "by"])),
    );
    texts.insert(
        "door-wrong-detail",
        t(lang, "door-wrong-detail", &marks(&["title", "when"])),
    );
    texts.insert("door-offline", t(lang, "door-offline", &marks(&["count"])));
    texts.insert(
        "door-conflict",
        t(lang, "door-conflict", &marks(&["name", "seat", "result"])),
    );
    texts.insert(
        "door-payment-due",
        t(lang, "door-payment-due", &marks(&["amount"])),
    );
    texts.insert(
        "door-payment-due-detail",
        t(
            lang,
            "door-payment-due-detail",
            &marks(&["name", "reference", "seats"]),
        ),
    );
    texts.insert(
        "door-paid",
        t(lang, "door-paid", &marks(&["amount", "method"])),
    );
    texts.insert("door-this-device", t(lang, "door-this-device", &[]));
    texts.insert("walk-up", t(lang, "page-walk-up-buyer", &[]));
    texts.insert("seat", t(lang, "mail-seat", &marks(&["row", "number"])));
    Value::from(minijinja::value::Serde(&texts))
}

/// `GET /door/{id}`: the scanner of one performance, with its door data for working offline.
async fn scanner(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = door_keeper(&req, &state).await? {
        return Ok(response);
    }
    let (lang, id) = (language.0, id.into_inner());
    let found = state
        .with_db(move |conn, _| {
            let Some(staged) =
                performances::staged(conn, id)?.filter(|s| s.performance.status != Status::Draft)
            else {
                return Ok(None);
            };
            let names = zone_names::of_venue(conn, staged.venue.id)?;
            Ok(Some((staged, door_list(conn, id, Utc::now())?, names)))
        })
        .await?;
    let Some((staged, door_data, names)) = found else {
        return not_found(&req, language);
    };
    let door_data = DoorData::from(door_data);
    let zone = staged.venue.zone();
    let context = context! {
        id => id,
        title => staged.title,
        when => date_time(lang, zone, staged.performance.slot().starts_at),
        timezone => zone.name(),
        counts => Value::from(minijinja::value::Serde(&door_data.counts)),
        door_data => Value::from(minijinja::value::Serde(&door_data)),
        texts => script_texts(lang),
        // Tickets name their zone by key; the door reads it out by name.
        zone_names => names.iter().map(|(zone, _)| (zone.clone(), names.read_in(zone, lang).to_owned())).collect::<std::collections::BTreeMap<_, _>>(),
    };
    show(&req, language, StatusCode::OK, "door.html", context)
}

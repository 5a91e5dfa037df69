//! `GET /door/{id}/cashup`: the cash-up at the end of the door, to count the drawer against:
//! every payment and refund of the performance, by method and by who took it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::door_keeper;
use crate::app::cashup;
use crate::db::performances;
use crate::domain::Tenge;
use crate::domain::payment::Kind;
use crate::http::{ApiError, AppState};
use crate::i18n::{date_time, t};
use crate::web::PageLanguage;
use crate::web::money::money_context;
use crate::web::render::{not_found, page_for as show};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/door/{id}/cashup", web::get().to(cashup_page));
}

async fn cashup_page(
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
            let Some(staged) = performances::staged(conn, id)? else {
                return Ok(None);
            };
            Ok(Some((
                staged,
                cashup::of_performance(conn, id, Utc::now())?,
            )))
        })
        .await?;
    let Some((staged, cashup)) = found else {
        return not_found(&req, language);
    };
    let zone = staged.venue.zone();
    let records: Vec<_> = cashup
        .payments
        .iter()
        .map(|r| {
            let at = chrono::DateTime::parse_from_rfc3339(&r.at)
                .map(|at| zone.local(at.to_utc()).format("%H:%M").to_string())
                .unwrap_or_default();
            context! {
                reference => &r.reference,
                refund => r.kind == Kind::Refund,
                kind => t(lang, &format!("page-kind-{}", r.kind.as_str()), &[]),
                method => t(lang, &format!("page-method-{}", r.method.as_str()), &[]),
                amount => Tenge::from_stored(r.amount).to_string(),
                by => &r.by,
                at => at,
                note => &r.note,
            }
        })
        .collect();
    let context = context! {
        id => id,
        title => staged.title,
        when => date_time(lang, zone, staged.performance.slot().starts_at),
        money => money_context(lang, &cashup),
        records => records,
    };
    show(&req, language, StatusCode::OK, "door_cashup.html", context)
}

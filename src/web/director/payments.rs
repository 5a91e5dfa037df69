//! Money the director records from a performance's booking list: a payment that came in
//! outside the door (a Kaspi transfer before the show), or the refund a cancelled booking is
//! owed. The form carries a key made when the page was drawn, so a form sent twice records once.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;

use super::director_form;
use crate::app::Idempotency;
use crate::app::payments::{self, Money};
use crate::domain::payment::{Kind, Method};
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::PageLanguage;
use crate::web::flash::see_other_saying;
use crate::web::render::refused;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/director/performances/{id}/bookings/{reference}/payments",
        web::post().to(record),
    );
}

/// `POST …/bookings/{reference}/payments`: records it and shows the performance again.
async fn record(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    path: web::Path<(i32, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let (performance_id, reference) = path.into_inner();
    let money = Money {
        // Not a number is no amount: the use case refuses 0 with the field named.
        amount: posted.text("amount").trim().parse().unwrap_or(0),
        method: posted.text("method").parse().unwrap_or(Method::Transfer),
        kind: posted.text("kind").parse().unwrap_or(Kind::Payment),
        note: posted.get("note").map(str::to_owned),
    };
    let idempotency = posted
        .get("key")
        .filter(|key| !key.trim().is_empty())
        .map(|key| Idempotency::new(format!("page:{key}:{reference}"), &(&reference, &money)));
    let user_id = principal.user_id;
    let said = t(
        language.0,
        if money.kind == Kind::Refund {
            "page-done-refund"
        } else {
            "page-done-payment"
        },
        &[(
            "amount",
            crate::domain::Tenge::from_stored(money.amount).to_string(),
        )],
    );
    let recorded = state
        .with_db(move |conn, _| {
            payments::record_once(
                conn,
                &reference,
                &money,
                user_id,
                idempotency.as_ref(),
                Utc::now(),
            )
        })
        .await;
    match recorded {
        Ok(_) => Ok(see_other_saying(
            &req,
            &format!("/director/performances/{performance_id}#bookings"),
            &said,
        )),
        Err(error) => refused(&req, language, error),
    }
}

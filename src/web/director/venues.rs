//! The director's halls: the list, each hall's seat plan drawn as the audience sees it, and
//! importing a new hall from a seat plan in JSON (as in the API), previewed before it is saved.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::{Value, context};
use serde::Deserialize;

use super::{director, director_form, refusal, show};
use crate::app::venues::{self as app, NewSeat, NewVenue};
use crate::db::venues;
use crate::domain::booking::Language;
use crate::domain::seat_plan::SeatStatus;
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::PageLanguage;
use crate::web::flash::see_other_saying;
use crate::web::hall::{self, PlacedSeat};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/venues", web::get().to(list))
        .route("/director/venues", web::post().to(import));
}

/// The import form as typed.
#[derive(serde::Serialize)]
struct VenueForm {
    name: String,
    address: String,
    timezone: String,
    plan: String,
}

impl Default for VenueForm {
    fn default() -> Self {
        VenueForm {
            name: String::new(),
            address: String::new(),
            timezone: "Asia/Almaty".into(),
            plan: String::new(),
        }
    }
}

/// What may be pasted as the plan: the seats alone, or a whole hall as the API takes it
/// (whose name, address and zone fill the form's fields left empty).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PastedVenue {
    name: Option<String>,
    address: Option<String>,
    timezone: Option<String>,
    seats: Vec<NewSeat>,
    #[serde(default)]
    zone_names: std::collections::BTreeMap<String, crate::domain::zone_names::ZoneName>,
}

impl VenueForm {
    /// The hall the form describes, or the refusal to show in the director's language.
    fn venue(&self, lang: Language) -> Result<NewVenue, String> {
        let pasted: serde_json::Value = serde_json::from_str(&self.plan).map_err(|e| {
            t(
                lang,
                "page-plan-not-json",
                &[
                    ("line", e.line().to_string()),
                    ("column", e.column().to_string()),
                ],
            )
        })?;
        let not_a_plan = |_| t(lang, "page-plan-not-seats", &[]);
        let pasted = if pasted.is_array() {
            PastedVenue {
                name: None,
                address: None,
                timezone: None,
                seats: serde_json::from_value(pasted).map_err(not_a_plan)?,
                zone_names: Default::default(),
            }
        } else {
            serde_json::from_value(pasted).map_err(not_a_plan)?
        };
        let or = |typed: &str, pasted: Option<String>| {
            if typed.trim().is_empty() {
                pasted.unwrap_or_default()
            } else {
                typed.to_owned()
            }
        };
        Ok(NewVenue {
            name: or(&self.name, pasted.name),
            address: or(&self.address, pasted.address),
            timezone: or(&self.timezone, pasted.timezone),
            seats: pasted.seats,
            zone_names: pasted.zone_names,
        })
    }
}

async fn list(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    render_list(
        &req,
        language,
        &state,
        VenueForm::default(),
        None,
        None,
        StatusCode::OK,
    )
    .await
}

async fn render_list(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    form: VenueForm,
    message: Option<String>,
    preview: Option<Value>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let halls = state
        .with_db(|conn, _| {
            let halls = venues::list(conn)?;
            let ids: Vec<i32> = halls.iter().map(|h| h.id).collect();
            let counts = venues::seat_counts(conn, &ids)?;
            Ok(halls
                .into_iter()
                .map(|h| {
                    context! {
                        id => h.id, name => h.name, address => h.address, timezone => h.timezone,
                        seats => counts.get(&h.id).copied().unwrap_or(0),
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let context = context! {
        halls => halls, message => message, preview => preview,
        form => Value::from(minijinja::value::Serde(&form)),
    };
    show(req, language, status, "director_venues.html", context)
}

/// `POST /director/venues`: `action=preview` draws the plan; `action=save` stores the hall.
async fn import(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (_, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let lang = language.0;
    let form = VenueForm {
        name: posted.text("name"),
        address: posted.text("address"),
        timezone: posted.text("timezone"),
        plan: posted.text("plan"),
    };
    let venue = match form.venue(lang) {
        Ok(venue) => venue,
        Err(text) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render_list(&req, language, &state, form, Some(text), None, status).await;
        }
    };
    let checked = match venue.check() {
        Ok(checked) => checked,
        Err(invalid) => {
            let (status, text) = refusal(lang, invalid.into())?;
            return render_list(&req, language, &state, form, Some(text), None, status).await;
        }
    };
    if posted.text("action") != "save" {
        let placed: Vec<PlacedSeat<'_>> = checked
            .seats
            .iter()
            .enumerate()
            .map(|(i, seat)| PlacedSeat {
                id: i as i32 + 1,
                row: seat.row,
                number: seat.number,
                zone: seat.zone.as_str(),
                x: seat.x,
                y: seat.y,
                accessible: seat.accessible,
                companion: seat.companion_of.is_some(),
                status: SeatStatus::Available,
            })
            .collect();
        let drawing = context! {
            title => checked.name,
            total => placed.len(),
            ..hall::draw(lang, &placed, &checked.zone_names, |_| None)
        };
        return render_list(
            &req,
            language,
            &state,
            form,
            None,
            Some(drawing),
            StatusCode::OK,
        )
        .await;
    }
    let created = state
        .write(move |conn, _| app::create(conn, &checked, Utc::now()))
        .await;
    match created {
        Ok(hall) => Ok(see_other_saying(
            &req,
            &format!("/director/venues/{}", hall.venue.id),
            &t(
                lang,
                "page-done-venue",
                &[("name", hall.venue.name.clone())],
            ),
        )),
        Err(error) => {
            let (status, text) = refusal(lang, error)?;
            render_list(&req, language, &state, form, Some(text), None, status).await
        }
    }
}

//! The director's halls: `POST /api/v1/venues`, `GET /api/v1/venues[/{id}]`.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use super::views::VenueView;
use crate::auth::Director;
use crate::db::{self, venues};
use crate::domain::Invalid;
use crate::domain::VenueZone;
use crate::domain::invalid::required_text;
use crate::domain::seat_plan::{SeatInput, SeatSpec, parse_plan};
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/venues", web::post().to(create_venue))
        .route("/venues", web::get().to(list_venues))
        .route("/venues/{id}", web::get().to(get_venue));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVenue {
    #[schema(example = "2act studio")]
    pub(crate) name: String,
    pub(crate) address: String,
    #[schema(example = "Asia/Almaty")]
    pub(crate) timezone: String,
    pub(crate) seats: Vec<NewSeat>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSeat {
    pub(crate) row: i32,
    pub(crate) number: i32,
    #[schema(example = "front")]
    pub(crate) zone: String,
    pub(crate) x: i32,
    pub(crate) y: i32,
    #[serde(default)]
    pub(crate) accessible: bool,
}

/// Creates a hall with its seat plan.
#[utoipa::path(post, path = "/api/v1/venues", tag = "venues", security(("bearer" = [])), request_body = NewVenue,
    responses((status = 201, body = VenueView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_venue(
    _director: Director,
    state: web::Data<AppState>,
    body: ApiJson<NewVenue>,
) -> Result<HttpResponse, ApiError> {
    let view = create(&state, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// A hall as the director described it, checked and ready to store.
pub(crate) struct CheckedVenue {
    pub name: String,
    pub address: String,
    pub timezone: VenueZone,
    pub seats: Vec<SeatSpec>,
}

impl NewVenue {
    /// Checks every field and the whole seat plan.
    pub(crate) fn check(&self) -> Result<CheckedVenue, Invalid> {
        let seat_inputs: Vec<SeatInput<'_>> = self
            .seats
            .iter()
            .map(|s| SeatInput {
                row: s.row,
                number: s.number,
                zone: &s.zone,
                x: s.x,
                y: s.y,
                accessible: s.accessible,
            })
            .collect();
        Ok(CheckedVenue {
            name: required_text("name", &self.name, 200)?,
            address: required_text("address", &self.address, 500)?,
            timezone: VenueZone::parse("timezone", &self.timezone)?,
            seats: parse_plan(&seat_inputs)?,
        })
    }
}

/// Creates a hall with its seat plan (for the API and the director's pages).
pub(crate) async fn create(state: &AppState, input: NewVenue) -> Result<VenueView, ApiError> {
    let venue = input.check()?;
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let new = venues::NewVenue {
                    name: &venue.name,
                    address: &venue.address,
                    timezone: venue.timezone,
                    seats: &venue.seats,
                };
                let id = venues::insert(conn, &new, Utc::now())?;
                load(conn, id)
            })
        })
        .await
}

/// A hall with its seat plan.
#[utoipa::path(get, path = "/api/v1/venues/{id}", tag = "venues", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Venue id")),
    responses((status = 200, body = VenueView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_venue(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state.with_db(move |conn| load(conn, id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Every hall with its seat plan.
#[utoipa::path(get, path = "/api/v1/venues", tag = "venues", security(("bearer" = [])),
    responses((status = 200, body = Vec<VenueView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_venues(
    _director: Director,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let views = state
        .with_db(|conn| {
            venues::list(conn)?
                .into_iter()
                .map(|venue| {
                    let seats = venues::seats(conn, venue.id)?;
                    Ok(VenueView::new(venue, seats))
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

fn load(conn: &mut db::DbConnection, id: i32) -> Result<VenueView, ApiError> {
    let venue = venues::find(conn, id)?.ok_or_else(|| ApiError::not_found("venue"))?;
    let seats = venues::seats(conn, id)?;
    Ok(VenueView::new(venue, seats))
}

//! The director's halls: `POST /api/v1/venues`, `GET /api/v1/venues[/{id}]`.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use chrono::Utc;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::venues::{self, NewVenue};
use crate::domain::zone_names::ZoneName;
use crate::http::auth::Director;
use crate::http::views::VenueView;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/venues", web::post().to(create_venue))
        .route("/venues", web::get().to(list_venues))
        .route("/venues/{id}", web::get().to(get_venue))
        .route("/venues/{id}/zone-names", web::put().to(name_zones));
}

/// Names the hall's zones in each language, all at once: a zone left out loses its names.
#[utoipa::path(put, path = "/api/v1/venues/{id}/zone-names", tag = "venues", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Venue id")),
    request_body(content = BTreeMap<String, ZoneName>, description = "By zone key: the zone's name in ru, kk and en, each up to 60 characters, any left out."),
    responses((status = 200, body = VenueView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn name_zones(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<BTreeMap<String, ZoneName>>,
) -> Result<HttpResponse, ApiError> {
    let (id, names) = (id.into_inner(), body.into_inner());
    let hall = state
        .write(move |conn, _| venues::name_zones(conn, id, &names))
        .await?;
    Ok(HttpResponse::Ok().json(VenueView::from(hall)))
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
    let venue = body.into_inner().check()?;
    let hall = state
        .write(move |conn, _| venues::create(conn, &venue, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(VenueView::from(hall)))
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
    let hall = state.with_db(move |conn, _| venues::one(conn, id)).await?;
    Ok(HttpResponse::Ok().json(VenueView::from(hall)))
}

/// Every hall with its seat plan.
#[utoipa::path(get, path = "/api/v1/venues", tag = "venues", security(("bearer" = [])),
    responses((status = 200, body = Vec<VenueView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_venues(
    _director: Director,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let halls = state
        .with_db(|conn, _| {
            let halls = venues::all(conn)?;
            Ok(halls.into_iter().map(VenueView::from).collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(halls))
}

//! Productions: public listing with upcoming performances; the director creates and edits.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use super::json::present;
use super::openapi::ErrorBody;
use crate::app::productions::{self, ProductionInput};
use crate::domain::credits::Credit;
use crate::domain::production::ExchangePolicy;
use crate::http::auth::{Director, MaybeSignedIn};
use crate::http::views::ProductionView;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/productions", web::post().to(create_production))
        .route("/productions", web::get().to(list_productions))
        .route("/productions/{id}", web::get().to(get_production))
        .route("/productions/{id}", web::patch().to(update_production));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduction {
    #[schema(example = "Здесь.Алматы", max_length = 200, pattern = r"\S")]
    title: String,
    #[serde(default)]
    #[schema(max_length = 10000)]
    description: String,
    #[schema(example = 100, minimum = 1, maximum = 720)]
    duration_minutes: i32,
    #[serde(default)]
    #[schema(example = 15, minimum = 0, maximum = 180)]
    intermission_minutes: i32,
    /// `0+` to `21+`.
    #[schema(example = "16+", pattern = r"^\s*(0|[1-9]|1[0-9]|2[01])\+\s*$")]
    age_rating: String,
    /// An ISO 639 code such as `ru`, `kk` or `en`.
    #[schema(example = "ru", pattern = r"^\s*[a-zA-Z]{2,3}\s*$")]
    language: String,
    /// How long before the start a holder may still exchange; left out: the house's cutoff.
    #[schema(minimum = 0, maximum = 525600)]
    exchange_cutoff_minutes: Option<i32>,
    /// How many exchanges a booking gets; left out: the house's number.
    #[schema(minimum = 0, maximum = 10)]
    max_exchanges: Option<i32>,
    /// Who made it and who plays in it, in the order to show them.
    #[serde(default)]
    #[schema(max_items = 100)]
    credits: Vec<Credit>,
}

/// Fields to change; those left out keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductionChanges {
    #[schema(max_length = 200, pattern = r"\S")]
    title: Option<String>,
    #[schema(max_length = 10000)]
    description: Option<String>,
    #[schema(minimum = 1, maximum = 720)]
    duration_minutes: Option<i32>,
    #[schema(minimum = 0, maximum = 180)]
    intermission_minutes: Option<i32>,
    #[schema(pattern = r"^\s*(0|[1-9]|1[0-9]|2[01])\+\s*$")]
    age_rating: Option<String>,
    #[schema(pattern = r"^\s*[a-zA-Z]{2,3}\s*$")]
    language: Option<String>,
    /// `null` returns to the house's cutoff.
    #[serde(default, deserialize_with = "present")]
    #[schema(minimum = 0, maximum = 525600)]
    exchange_cutoff_minutes: Option<Option<i32>>,
    /// `null` returns to the house's number.
    #[serde(default, deserialize_with = "present")]
    #[schema(minimum = 0, maximum = 10)]
    max_exchanges: Option<Option<i32>>,
    /// All the credits, in their order, replacing those the production has.
    #[schema(max_items = 100)]
    credits: Option<Vec<Credit>>,
}

/// Creates a production.
#[utoipa::path(post, path = "/api/v1/productions", tag = "productions", security(("bearer" = [])),
    request_body = NewProduction,
    responses((status = 201, body = ProductionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create_production(
    _director: Director,
    state: web::Data<AppState>,
    body: ApiJson<NewProduction>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let new = ProductionInput {
        title: input.title,
        description: input.description,
        duration_minutes: input.duration_minutes,
        intermission_minutes: input.intermission_minutes,
        age_rating: input.age_rating,
        language: input.language,
        credits: input.credits,
    }
    .parse()?;
    let exchange = ExchangePolicy::parse(input.exchange_cutoff_minutes, input.max_exchanges)?;
    let created = state
        .write(move |conn, _| productions::create(conn, &new, exchange, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(ProductionView::from(created)))
}

/// Productions with their upcoming performances. The public sees those with a published
/// performance ahead; the director sees all, drafts included.
#[utoipa::path(get, path = "/api/v1/productions", tag = "productions",
    responses((status = 200, body = Vec<ProductionView>)))]
pub async fn list_productions(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let director = caller.is_director();
    let views = state
        .with_db(move |conn, _| {
            let billed = productions::list(conn, director, Utc::now())?;
            Ok(billed
                .into_iter()
                .map(ProductionView::from)
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

/// One production with its upcoming performances.
#[utoipa::path(get, path = "/api/v1/productions/{id}", tag = "productions",
    params(("id" = i32, Path, description = "Production id")),
    responses((status = 200, body = ProductionView), (status = 404, body = ErrorBody)))]
pub async fn get_production(
    caller: MaybeSignedIn,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let (id, director) = (id.into_inner(), caller.is_director());
    let billed = state
        .with_db(move |conn, _| productions::one(conn, id, director, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(ProductionView::from(billed)))
}

/// Changes a production. A new running time moves the end of every upcoming performance, and
/// is refused (409 `schedule_clash`) if that would make one clash.
#[utoipa::path(patch, path = "/api/v1/productions/{id}", tag = "productions", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Production id")), request_body = ProductionChanges,
    responses((status = 200, body = ProductionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_production(
    _director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<ProductionChanges>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let changes = productions::ProductionChanges {
        title: input.title,
        description: input.description,
        duration_minutes: input.duration_minutes,
        intermission_minutes: input.intermission_minutes,
        age_rating: input.age_rating,
        language: input.language,
        exchange_cutoff_minutes: input.exchange_cutoff_minutes,
        max_exchanges: input.max_exchanges,
        credits: input.credits,
    };
    let id = id.into_inner();
    let billed = state
        .write(move |conn, ctx| productions::update(conn, ctx, id, changes, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(ProductionView::from(billed)))
}

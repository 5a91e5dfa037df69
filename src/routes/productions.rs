//! Productions: public listing with upcoming performances; the director creates and edits.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use super::performances::{check_clashes, load_views};
use super::views::ProductionView;
use crate::auth::{Director, MaybeSignedIn};
use crate::db::{self, DbConnection, performances, productions};
use crate::domain::performance::Status;
use crate::domain::production::{self as production, ProductionDetails};
use crate::domain::schedule::Slot;
use crate::error::ApiError;
use crate::startup::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/productions", web::post().to(create_production))
        .route("/productions", web::get().to(list_productions))
        .route("/productions/{id}", web::get().to(get_production))
        .route("/productions/{id}", web::patch().to(update_production));
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduction {
    #[schema(example = "Здесь.Алматы")]
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) description: String,
    #[schema(example = 100)]
    pub(crate) duration_minutes: i32,
    #[serde(default)]
    #[schema(example = 15)]
    pub(crate) intermission_minutes: i32,
    #[schema(example = "16+")]
    pub(crate) age_rating: String,
    #[schema(example = "ru")]
    pub(crate) language: String,
}

impl NewProduction {
    fn parse(self) -> Result<ProductionDetails, ApiError> {
        Ok(ProductionDetails {
            title: production::title(&self.title)?,
            description: production::description(&self.description)?,
            duration_minutes: production::duration_minutes(self.duration_minutes)?,
            intermission_minutes: production::intermission_minutes(self.intermission_minutes)?,
            age_rating: production::age_rating(&self.age_rating)?,
            language: production::language(&self.language)?,
        })
    }
}

/// Fields to change; those left out keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductionChanges {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) duration_minutes: Option<i32>,
    pub(crate) intermission_minutes: Option<i32>,
    pub(crate) age_rating: Option<String>,
    pub(crate) language: Option<String>,
}

impl ProductionChanges {
    fn apply(self, mut details: ProductionDetails) -> Result<ProductionDetails, ApiError> {
        if let Some(title) = self.title {
            details.title = production::title(&title)?;
        }
        if let Some(description) = self.description {
            details.description = production::description(&description)?;
        }
        if let Some(minutes) = self.duration_minutes {
            details.duration_minutes = production::duration_minutes(minutes)?;
        }
        if let Some(minutes) = self.intermission_minutes {
            details.intermission_minutes = production::intermission_minutes(minutes)?;
        }
        if let Some(rating) = self.age_rating {
            details.age_rating = production::age_rating(&rating)?;
        }
        if let Some(language) = self.language {
            details.language = production::language(&language)?;
        }
        Ok(details)
    }
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
    let view = create(&state, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(view))
}

/// Creates a production (for the API and the director's pages).
pub(crate) async fn create(
    state: &AppState,
    input: NewProduction,
) -> Result<ProductionView, ApiError> {
    let details = input.parse()?;
    let row = state
        .with_db(move |conn| {
            Ok(db::write_transaction(conn, |conn| {
                productions::insert(conn, &details, Utc::now())
            })?)
        })
        .await?;
    Ok(ProductionView::new(row, Vec::new()))
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
        .with_db(move |conn| {
            let now = Utc::now();
            let upcoming = performances::list(
                conn,
                &performances::Filter {
                    statuses: visible_statuses(director),
                    starts_from: Some(now),
                    ..Default::default()
                },
            )?;
            let mut views = load_views(conn, upcoming, now)?;
            let all = productions::list(conn)?;
            Ok(all
                .into_iter()
                .filter_map(|production| {
                    let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut views)
                        .into_iter()
                        .partition(|p| p.production.id == production.id);
                    views = rest;
                    (director || !mine.is_empty()).then(|| ProductionView::new(production, mine))
                })
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
    let view = state.with_db(move |conn| load(conn, id, director)).await?;
    Ok(HttpResponse::Ok().json(view))
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
    let view = update(&state, id.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Changes a production (for the API and the director's pages).
pub(crate) async fn update(
    state: &AppState,
    id: i32,
    changes: ProductionChanges,
) -> Result<ProductionView, ApiError> {
    let changeover = state.schedule_changeover();
    state
        .with_db(move |conn| {
            db::write_transaction(conn, |conn| {
                let now = Utc::now();
                let current = productions::find(conn, id)?
                    .ok_or_else(|| ApiError::not_found("production"))?;
                let details = changes.apply(current.details())?;
                if details.running_time() != current.details().running_time() {
                    let moved = performances::upcoming_of_production(conn, id, now)?;
                    for performance in &moved {
                        db::lock_venue(conn, performance.venue_id)?;
                        let slot = Slot::new(performance.slot().starts_at, details.running_time());
                        performances::set_ends_at(conn, performance.id, slot.ends_at)?;
                    }
                    for performance in &moved {
                        let slot = Slot::new(performance.slot().starts_at, details.running_time());
                        check_clashes(
                            conn,
                            performance.venue_id,
                            &slot,
                            changeover,
                            &[performance.id],
                            now,
                        )?;
                    }
                }
                productions::update(conn, id, &details, now)?;
                load(conn, id, true)
            })
        })
        .await
}

fn visible_statuses(director: bool) -> Vec<Status> {
    if director {
        vec![Status::Draft, Status::Published]
    } else {
        vec![Status::Published]
    }
}

fn load(conn: &mut DbConnection, id: i32, director: bool) -> Result<ProductionView, ApiError> {
    let production =
        productions::find(conn, id)?.ok_or_else(|| ApiError::not_found("production"))?;
    let now = Utc::now();
    let upcoming = performances::list(
        conn,
        &performances::Filter {
            statuses: visible_statuses(director),
            production_id: Some(id),
            starts_from: Some(now),
            ..Default::default()
        },
    )?;
    Ok(ProductionView::new(
        production,
        load_views(conn, upcoming, now)?,
    ))
}

//! The director's productions: the list, a form to create one, and a page to edit one. A new
//! running time moves the end of every upcoming performance and is refused if one would clash.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::production_form::{AGE_RATINGS, LANGUAGES, ProductionForm};
use super::{director, director_form, refusal, show};
use crate::app::productions::{self as app, ProductionInput};
use crate::db::{credits, performances, productions};
use crate::domain::credits::Credit;
use crate::domain::performance::Status;
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::PageLanguage;
use crate::web::flash::see_other_saying;
use crate::web::render::not_found;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/productions", web::get().to(list))
        .route("/director/productions", web::post().to(create))
        .route("/director/productions/{id}", web::get().to(edit))
        .route("/director/productions/{id}", web::post().to(update));
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
        None,
        ProductionForm::default(),
        StatusCode::OK,
    )
    .await
}

async fn render_list(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    message: Option<String>,
    form: ProductionForm,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let productions = state
        .with_db(move |conn, _| {
            let upcoming = performances::list(
                conn,
                &performances::Filter {
                    statuses: vec![Status::Draft, Status::Published],
                    starts_from: Some(Utc::now()),
                    ..Default::default()
                },
            )?;
            Ok(productions::list(conn)?
                .into_iter()
                .map(|p| {
                    context! {
                        id => p.id,
                        title => p.title,
                        running => t(lang, "page-running-time", &[
                            ("duration", p.duration_minutes.to_string()),
                            ("interval", p.intermission_minutes.to_string()),
                        ]),
                        age_rating => p.age_rating,
                        language => t(lang, &format!("page-play-language-{}", p.language), &[]),
                        upcoming => upcoming.iter().filter(|u| u.production_id == p.id).count(),
                    }
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let context = context! {
        productions => productions, message => message,
        form => minijinja::Value::from(minijinja::value::Serde(&form)),
        age_ratings => AGE_RATINGS, languages => LANGUAGES,
    };
    show(req, language, status, "director_productions.html", context)
}

async fn create(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (_, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let form = ProductionForm::from_posted(&posted);
    let created = match form.input().and_then(ProductionInput::parse) {
        Ok(new) => {
            state
                .write(move |conn, _| app::create(conn, &new, Default::default(), Utc::now()))
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match created {
        Ok(billed) => Ok(saved(&req, language, &billed.production.title)),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            render_list(&req, language, &state, Some(text), form, status).await
        }
    }
}

async fn edit(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let id = id.into_inner();
    match stored(&state, id).await? {
        Some((row, credits)) => {
            let form = ProductionForm::from_row(&row, &credits);
            render_edit(&req, language, id, None, form, row.poster, StatusCode::OK)
        }
        None => not_found(&req, language),
    }
}

/// A production as stored, with its credits.
pub(super) async fn stored(
    state: &AppState,
    id: i32,
) -> Result<Option<(productions::ProductionRow, Vec<Credit>)>, ApiError> {
    Ok(state
        .with_db(move |conn, _| {
            let Some(row) = productions::find(conn, id)? else {
                return Ok(None);
            };
            Ok(Some((row, credits::of_production(conn, id)?)))
        })
        .await?)
}

pub(super) fn render_edit(
    req: &HttpRequest,
    language: PageLanguage,
    id: i32,
    message: Option<String>,
    form: ProductionForm,
    poster: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let context = context! {
        id => id, message => message, poster => poster,
        form => minijinja::Value::from(minijinja::value::Serde(&form)),
        age_ratings => AGE_RATINGS, languages => LANGUAGES,
    };
    show(req, language, status, "director_production.html", context)
}

async fn update(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (_, posted) = match director_form(&req, language, &state, &body).await? {
        Ok(form) => form,
        Err(response) => return Ok(response),
    };
    let id = id.into_inner();
    let form = ProductionForm::from_posted(&posted);
    let updated = match form.changes() {
        Ok(changes) => {
            state
                .write(move |conn, ctx| app::update(conn, ctx, id, changes, Utc::now()))
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match updated {
        Ok(billed) => Ok(saved(&req, language, &billed.production.title)),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            let Some((row, _)) = stored(&state, id).await? else {
                return not_found(&req, language);
            };
            render_edit(&req, language, id, Some(text), form, row.poster, status)
        }
    }
}

/// Back to the list, saying which production was saved.
fn saved(req: &HttpRequest, language: PageLanguage, title: &str) -> HttpResponse {
    let said = t(
        language.0,
        "page-done-production",
        &[("title", title.to_owned())],
    );
    see_other_saying(req, "/director/productions", &said)
}

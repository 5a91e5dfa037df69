//! The director's productions: the list, a form to create one, and a page to edit one. A new
//! running time moves the end of every upcoming performance and is refused if one would clash.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;

use super::{director, director_form, refusal, show};
use crate::db::{performances, productions};
use crate::domain::performance::Status;
use crate::error::ApiError;
use crate::i18n::t;
use crate::routes::productions::{self as api, NewProduction, ProductionChanges};
use crate::startup::AppState;
use crate::web::booking::message;
use crate::web::form::PostedForm;
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/productions", web::get().to(list))
        .route("/director/productions", web::post().to(create))
        .route("/director/productions/{id}", web::get().to(edit))
        .route("/director/productions/{id}", web::post().to(update));
}

/// Age ratings offered in the form, as used in Kazakhstan.
const AGE_RATINGS: [&str; 5] = ["0+", "6+", "12+", "16+", "18+"];
/// Languages a play is performed in, offered in the form.
const LANGUAGES: [&str; 3] = ["ru", "kk", "en"];

/// The production form's fields as typed.
#[derive(serde::Serialize)]
struct ProductionForm {
    title: String,
    description: String,
    duration_minutes: String,
    intermission_minutes: String,
    age_rating: String,
    language: String,
}

impl Default for ProductionForm {
    fn default() -> Self {
        ProductionForm {
            title: String::new(),
            description: String::new(),
            duration_minutes: "90".into(),
            intermission_minutes: "0".into(),
            age_rating: "16+".into(),
            language: "ru".into(),
        }
    }
}

impl ProductionForm {
    fn from_posted(posted: &PostedForm) -> ProductionForm {
        ProductionForm {
            title: posted.text("title"),
            description: posted.text("description"),
            duration_minutes: posted.text("duration_minutes"),
            intermission_minutes: posted.text("intermission_minutes"),
            age_rating: posted.text("age_rating"),
            language: posted.text("language"),
        }
    }

    fn from_row(row: &productions::ProductionRow) -> ProductionForm {
        ProductionForm {
            title: row.title.clone(),
            description: row.description.clone(),
            duration_minutes: row.duration_minutes.to_string(),
            intermission_minutes: row.intermission_minutes.to_string(),
            age_rating: row.age_rating.clone(),
            language: row.language.clone(),
        }
    }

    /// Minutes as a number; anything else becomes -1, which the range check refuses by name.
    fn minutes(raw: &str) -> i32 {
        raw.trim().parse().unwrap_or(-1)
    }

    fn into_new(self) -> NewProduction {
        NewProduction {
            duration_minutes: Self::minutes(&self.duration_minutes),
            intermission_minutes: Self::minutes(&self.intermission_minutes),
            title: self.title,
            description: self.description,
            age_rating: self.age_rating,
            language: self.language,
        }
    }

    fn into_changes(self) -> ProductionChanges {
        ProductionChanges {
            duration_minutes: Some(Self::minutes(&self.duration_minutes)),
            intermission_minutes: Some(Self::minutes(&self.intermission_minutes)),
            title: Some(self.title),
            description: Some(self.description),
            age_rating: Some(self.age_rating),
            language: Some(self.language),
        }
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
        .with_db(move |conn| {
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
    let posted = match director_form(&req, language, &state, &body).await? {
        Ok(posted) => posted,
        Err(response) => return Ok(response),
    };
    let form = ProductionForm::from_posted(&posted);
    match api::create(&state, ProductionForm::from_posted(&posted).into_new()).await {
        Ok(_) => Ok(see_other("/director/productions")),
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
    let row = state
        .with_db(move |conn| Ok(productions::find(conn, id)?))
        .await?;
    match row {
        Some(row) => {
            let form = ProductionForm::from_row(&row);
            render_edit(&req, language, id, None, form, StatusCode::OK)
        }
        None => message(
            &req,
            language,
            StatusCode::NOT_FOUND,
            t(language.0, "page-not-found", &[]),
        ),
    }
}

fn render_edit(
    req: &HttpRequest,
    language: PageLanguage,
    id: i32,
    message: Option<String>,
    form: ProductionForm,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let context = context! {
        id => id, message => message,
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
    let posted = match director_form(&req, language, &state, &body).await? {
        Ok(posted) => posted,
        Err(response) => return Ok(response),
    };
    let id = id.into_inner();
    let form = ProductionForm::from_posted(&posted);
    let changes = ProductionForm::from_posted(&posted).into_changes();
    match api::update(&state, id, changes).await {
        Ok(_) => Ok(see_other("/director/productions")),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            render_edit(&req, language, id, Some(text), form, status)
        }
    }
}

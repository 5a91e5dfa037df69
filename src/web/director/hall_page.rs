//! One hall's page: its seat plan drawn as the audience sees it, and what its zones are called
//! in each language, which the director sets here.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use minijinja::context;

use super::{director, director_form, refusal, show};
use crate::app::venues as app;
use crate::db::{venues, zone_names};
use crate::domain::zone_names::{ZoneName, ZoneNames};
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::PageLanguage;
use crate::web::flash::see_other_saying;
use crate::web::form::PostedForm;
use crate::web::hall::{self, PlacedSeat};
use crate::web::render::not_found;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/venues/{id}", web::get().to(plan))
        .route(
            "/director/venues/{id}/zone-names",
            web::post().to(name_zones),
        );
}

const LANGUAGES: [&str; 3] = ["ru", "kk", "en"];

/// A stored hall's seat plan, drawn, with the form naming its zones.
async fn plan(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    render(
        &req,
        language,
        &state,
        id.into_inner(),
        None,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /director/venues/{id}/zone-names`: every zone's name in ru, kk and en at once.
async fn name_zones(
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
    let typed = typed_names(&posted);
    let given = typed.clone();
    let named = state
        .write(move |conn, _| app::name_zones(conn, id, &given))
        .await;
    match named {
        Ok(hall) => Ok(see_other_saying(
            &req,
            &format!("/director/venues/{id}"),
            &t(
                language.0,
                "page-done-zone-names",
                &[("name", hall.venue.name)],
            ),
        )),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            render(&req, language, &state, id, Some(text), Some(typed), status).await
        }
    }
}

/// `name.{zone}.{language}` fields as names by zone.
fn typed_names(posted: &PostedForm) -> BTreeMap<String, ZoneName> {
    let mut names: BTreeMap<String, ZoneName> = BTreeMap::new();
    for (key, text) in posted.prefixed("name.") {
        let Some((zone, lang)) = key.rsplit_once('.') else {
            continue;
        };
        let name = names.entry(zone.to_owned()).or_default();
        let slot = match lang {
            "ru" => &mut name.ru,
            "kk" => &mut name.kk,
            "en" => &mut name.en,
            _ => continue,
        };
        *slot = Some(text.to_owned());
    }
    names
}

async fn render(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    id: i32,
    message: Option<String>,
    typed: Option<BTreeMap<String, ZoneName>>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let found = state
        .with_db(move |conn, _| {
            let Some(hall) = venues::find(conn, id)? else {
                return Ok(None);
            };
            let seats = venues::seats(conn, id)?;
            let names = zone_names::of_venue(conn, id)?;
            Ok(Some((hall, seats, names)))
        })
        .await?;
    let Some((hall, seats, names)) = found else {
        return not_found(req, language);
    };
    let placed: Vec<PlacedSeat<'_>> = seats
        .iter()
        .map(|seat| PlacedSeat::of(seat, None))
        .collect();
    let shown = typed.map_or(names.clone(), ZoneNames::from_stored);
    let drawing = hall::draw(lang, &placed, &names, |_| None);
    let keys: std::collections::BTreeSet<&str> = seats.iter().map(|s| s.zone.as_str()).collect();
    let naming: Vec<_> = keys
        .iter()
        .map(|zone| {
            let name = shown.get(zone).cloned().unwrap_or_default();
            let fields: Vec<_> = LANGUAGES
                .iter()
                .zip([&name.ru, &name.kk, &name.en])
                .map(|(code, value)| context! { code => *code, value => value.clone().unwrap_or_default(), label => t(lang, &format!("page-zone-name-{code}"), &[]) })
                .collect();
            context! { key => *zone, fields => fields }
        })
        .collect();
    let context = context! {
        id => id, title => hall.name, address => hall.address, timezone => hall.timezone,
        total => placed.len(), naming => naming, message => message,
        ..drawing
    };
    show(req, language, status, "director_venue.html", context)
}

//! `POST /director/productions/{id}/poster`: the director uploads a production's poster on its
//! page (a multipart form with the CSRF token and the file). A file that is not a JPEG, PNG or
//! WebP image, is damaged or too large is refused on the page in the director's language.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use futures_util::StreamExt;

use super::production_form::ProductionForm;
use super::productions::{render_edit, stored};
use super::{director, refusal};
use crate::app::posters::{self, Refused};
use crate::db::productions;
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::PageLanguage;
use crate::web::flash::see_other_saying;
use crate::web::render::{message, not_found};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/productions/{id}/poster", web::post().to(upload));
}

/// The form's token and file; the file stops growing once it is larger than `max` bytes (its
/// length then says it was too large).
async fn read_form(mut form: Multipart, max: usize) -> Result<(String, Vec<u8>), actix_web::Error> {
    let (mut csrf, mut file) = (String::new(), Vec::new());
    while let Some(field) = form.next().await {
        let mut field = field?;
        let name = field.name().unwrap_or_default().to_owned();
        while let Some(chunk) = field.next().await {
            let chunk = chunk?;
            match name.as_str() {
                "csrf" if csrf.len() < 256 => csrf.push_str(&String::from_utf8_lossy(&chunk)),
                "poster" if file.len() <= max => file.extend_from_slice(&chunk),
                _ => {}
            }
        }
    }
    Ok((csrf, file))
}

async fn upload(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    form: Multipart,
) -> Result<HttpResponse, ApiError> {
    if let Err(response) = director(&req, language, &state).await? {
        return Ok(response);
    }
    let lang = language.0;
    let max = state.app.posters.max_mib as usize * 1024 * 1024;
    let Ok((csrf, file)) = read_form(form, max).await else {
        return message(
            &req,
            language,
            StatusCode::BAD_REQUEST,
            t(lang, "page-poster-missing", &[]),
        );
    };
    if !crate::http::csrf::verify(&req, Some(&csrf)) {
        return message(
            &req,
            language,
            StatusCode::FORBIDDEN,
            t(lang, "page-form-expired", &[]),
        );
    }
    let id = id.into_inner();
    // Decoding and resizing take a core for a moment: not on the server's own threads. A file
    // over `max` is refused before it is looked at.
    let prepared = web::block(move || posters::prepare(&file, max))
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!("poster: {e}")))?;
    let poster = match prepared {
        Ok(poster) => poster,
        Err(refused) => {
            let text = match refused {
                Refused::Missing => t(lang, "page-poster-missing", &[]),
                Refused::TooLarge => t(
                    lang,
                    "page-poster-too-large",
                    &[("mib", state.app.posters.max_mib.to_string())],
                ),
                Refused::NotAnImage => t(lang, "page-poster-not-image", &[]),
                Refused::Unreadable => t(lang, "page-poster-unreadable", &[]),
            };
            return show_refusal(&req, language, &state, id, text).await;
        }
    };
    let attached = state
        .write(move |conn, ctx| {
            posters::attach(conn, &ctx.posters.dir, id, &poster, Utc::now())?;
            Ok(productions::find(conn, id)?
                .map(|p| p.title)
                .unwrap_or_default())
        })
        .await;
    match attached {
        Ok(title) => Ok(see_other_saying(
            &req,
            &format!("/director/productions/{id}"),
            &t(lang, "page-done-poster", &[("title", title)]),
        )),
        Err(error) => {
            let (_, text) = refusal(lang, error)?;
            show_refusal(&req, language, &state, id, text).await
        }
    }
}

/// The production's page again, with the refusal above its forms.
async fn show_refusal(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    id: i32,
    text: String,
) -> Result<HttpResponse, ApiError> {
    let Some((row, credits)) = stored(state, id).await? else {
        return not_found(req, language);
    };
    let form = ProductionForm::from_row(&row, &credits);
    render_edit(
        req,
        language,
        id,
        Some(text),
        form,
        row.poster,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

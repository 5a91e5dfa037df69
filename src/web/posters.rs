//! `GET /posters/{name}/{width}.jpg`: a poster's copy. Its name is its content, so it is cached
//! for a year and its ETag answers a revalidation with 304.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::app::posters::{WIDTHS, is_name, path_of};
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/posters/{name}/{file}", web::get().to(copy));
}

async fn copy(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (name, file) = path.into_inner();
    let width = file
        .strip_suffix(".jpg")
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|w| WIDTHS.contains(w));
    let (Some(width), true) = (width, is_name(&name)) else {
        return Ok(HttpResponse::NotFound().finish());
    };
    let etag = format!("\"{name}-{width}\"");
    let cached = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        });
    let headers = |response: &mut actix_web::HttpResponseBuilder| {
        response
            .insert_header((header::ETAG, etag.clone()))
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"));
    };
    if cached {
        let mut response = HttpResponse::NotModified();
        headers(&mut response);
        return Ok(response.finish());
    }
    let file = path_of(&state.app.posters.dir, &name, width);
    match web::block(move || std::fs::read(file)).await {
        Ok(Ok(bytes)) => {
            let mut response = HttpResponse::Ok();
            headers(&mut response);
            Ok(response.content_type("image/jpeg").body(bytes))
        }
        _ => Ok(HttpResponse::NotFound().finish()),
    }
}

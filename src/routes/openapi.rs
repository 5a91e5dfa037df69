//! The OpenAPI 3 document, generated from the handlers' annotations, served at
//! `/api/openapi.json` with a docs page at `/api/docs/` whose assets are embedded (works offline).

use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

/// Every error: `{"error": {"code", "message", "details"}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable, e.g. `validation_failed`, `schedule_clash`, `not_found`.
    #[schema(example = "validation_failed")]
    code: String,
    message: String,
    /// Facts about the error, e.g. `field` for a validation error.
    details: Option<serde_json::Value>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "kassa", description = "Box office and performance scheduler for small theaters"),
    paths(
        super::health::health, super::health::ready, super::metrics::metrics,
        super::auth::login, super::auth::logout, super::auth::me,
        super::auth::forgot, super::auth::reset,
        super::staff::list_staff, super::staff::invite_staff, super::staff::change_staff,
        super::staff::deactivate_staff,
        super::venues::create_venue, super::venues::list_venues, super::venues::get_venue, super::venues::name_zones,
        super::productions::create_production, super::productions::list_productions,
        super::productions::get_production, super::productions::update_production,
        super::performances::list_performances, super::performances::get_performance,
        super::scheduling::create_performance, super::scheduling::create_run, super::scheduling::update_performance,
        super::seat_blocks::block_seats, super::seat_blocks::list_blocks, super::seat_blocks::unblock_seat,
        super::seat_map::seat_map, super::holds::create_hold, super::holds::release_hold,
        super::bookings::create_booking, super::bookings::get_booking, super::bookings::cancel_booking,
        super::exchange::exchange_booking,
        super::waitlist::join_waitlist, super::waitlist::waitlist_of, super::waitlist::leave_waitlist,
        super::door::check_in, super::door::undo_checkin, super::door::door_data, super::door::attendees,
        super::walk_up::sell,
        super::payments::record_payment, super::payments::cashup, super::audit::audit_log,
        super::reports::sales, super::reports::sales_csv, super::reports::payments_csv,
        super::reports::attendees_csv,
    ),
    modifiers(&BearerAuth, &EdgeResponses),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The answers every operation of a kind can give, whatever its handler: a body that is not JSON
/// (400) or of the wrong shape (422), a path id that names nothing or is no number (404), a query
/// string or header that does not parse (422), a missing or bad token (401), and a database that
/// does not answer in time (503). Each is added where the operation does not name it already.
struct EdgeResponses;

impl Modify for EdgeResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{RefOr, ResponseBuilder};

        let error = |description: &str| {
            ResponseBuilder::new().description(description).content(
                "application/json",
                utoipa::openapi::ContentBuilder::new()
                    .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
        };
        let retry_after = || {
            utoipa::openapi::HeaderBuilder::new()
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::Integer),
                ))
                .description(Some("Seconds to wait before trying again"))
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                let parameters = operation.parameters.as_deref().unwrap_or_default();
                let has = |place: ParameterIn| {
                    parameters.iter().any(|p| {
                        matches!(p, RefOr::T(p) if std::mem::discriminant(&p.parameter_in) == std::mem::discriminant(&place))
                    })
                };
                let mut add = |status: &str, response: ResponseBuilder| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| response.into());
                };
                if has(ParameterIn::Path) {
                    add("404", error("`not_found`: nothing has this id"));
                }
                if has(ParameterIn::Query) || has(ParameterIn::Header) {
                    add(
                        "422",
                        error(
                            "`validation_failed`: a parameter does not parse; `details.field` names it",
                        ),
                    );
                }
                let has_body = operation.request_body.is_some();
                if has_body {
                    add("400", error("`malformed_json`: the body is not JSON"));
                    add("413", error("`payload_too_large`: the body is over 2 MiB"));
                    add(
                        "422",
                        error("`validation_failed`: `details.field` names the bad field"),
                    );
                }
                if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add(
                        "401",
                        error("`unauthorized`: sign in first (a missing, bad or expired token)"),
                    );
                }
                add(
                    "503",
                    error("`unavailable`: the database did not answer in time")
                        .header("Retry-After", retry_after()),
                );
                if let Some(RefOr::T(response)) = operation.responses.responses.get_mut("429") {
                    response
                        .headers
                        .entry("Retry-After".to_owned())
                        .or_insert_with(|| RefOr::T(retry_after()));
                }
            }
        }
    }
}

pub fn docs() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", document().clone())
}

/// The document, made once.
fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(ApiDoc::openapi)
}

/// The methods the document lists for `path`, upper-case: what a 405 names in its `Allow`
/// header. A path the document names literally (`/performances/run`) is that path, not a
/// template that would also match it (`/performances/{id}`).
pub fn methods_of(path: &str) -> Vec<&'static str> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    // How many segments a template leaves to parameters, if it matches at all.
    let parameters = |template: &str| {
        let parts: Vec<&str> = template.split('/').collect();
        let matches = parts.len() == segments.len()
            && parts
                .iter()
                .zip(&segments)
                .all(|(part, segment)| part.starts_with('{') || part == segment);
        matches.then(|| parts.iter().filter(|p| p.starts_with('{')).count())
    };
    let paths = &document().paths.paths;
    let Some(fewest) = paths.keys().filter_map(|t| parameters(t)).min() else {
        return Vec::new();
    };
    let mut methods = Vec::new();
    for (template, item) in paths {
        if parameters(template) != Some(fewest) {
            continue;
        }
        let listed = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, present) in listed {
            if present && !methods.contains(&method) {
                methods.push(method);
            }
        }
    }
    methods
}

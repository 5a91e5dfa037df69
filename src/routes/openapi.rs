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
        super::health::health,
        super::auth::login, super::auth::logout, super::auth::me,
        super::venues::create_venue, super::venues::list_venues, super::venues::get_venue,
        super::productions::create_production, super::productions::list_productions,
        super::productions::get_production, super::productions::update_production,
        super::performances::list_performances, super::performances::get_performance,
        super::scheduling::create_performance, super::scheduling::create_run, super::scheduling::update_performance,
        super::seat_blocks::block_seats, super::seat_blocks::list_blocks, super::seat_blocks::unblock_seat,
        super::seat_map::seat_map, super::holds::create_hold, super::holds::release_hold,
        super::bookings::create_booking, super::bookings::get_booking, super::bookings::cancel_booking,
        super::door::check_in, super::door::undo_checkin, super::door::door_data, super::door::attendees,
        super::walk_up::sell,
    ),
    modifiers(&BearerAuth),
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

pub fn docs() -> SwaggerUi {
    SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", ApiDoc::openapi())
}

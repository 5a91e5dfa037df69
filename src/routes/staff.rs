//! Staff accounts, for the director: `GET /api/v1/staff` lists them, `POST` invites someone by
//! mail, `PATCH /api/v1/staff/{id}` changes a role or switches an account off or on, and
//! `DELETE` switches it off. The last active director stays one.

use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use super::openapi::ErrorBody;
use crate::app::accounts::{self, Account, Change, Invitation};
use crate::domain::Role;
use crate::domain::booking::Language;
use crate::domain::time::{from_stored, rfc3339_utc};
use crate::http::auth::Director;
use crate::http::{ApiError, AppState};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/staff", web::get().to(list_staff))
        .route("/staff", web::post().to(invite_staff))
        .route("/staff/{id}", web::patch().to(change_staff))
        .route("/staff/{id}", web::delete().to(deactivate_staff));
}

/// A staff or director account.
#[derive(Serialize, ToSchema)]
pub struct AccountView {
    id: i32,
    email: String,
    role: Role,
    /// The language of the account's mail.
    language: Language,
    /// Switched off accounts cannot sign in; their sessions ended when they were switched off.
    active: bool,
    /// Invited, and no password set yet.
    invited: bool,
    /// RFC 3339, UTC; absent if never signed in.
    last_signin_at: Option<String>,
    created_at: String,
}

impl From<Account> for AccountView {
    fn from(account: Account) -> AccountView {
        let user = account.user;
        AccountView {
            id: user.id,
            email: user.email,
            role: user.role,
            language: user.language,
            active: user.active,
            invited: account.invited,
            last_signin_at: user.last_signin_at.map(|at| rfc3339_utc(from_stored(at))),
            created_at: rfc3339_utc(from_stored(user.created_at)),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// A staff member's e-mail address, in ASCII (an internationalised domain in its `xn--`
    /// form).
    #[schema(
        max_length = 254,
        pattern = r"^[ \t\n\r]*[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+[ \t\n\r]*$"
    )]
    email: String,
    role: Role,
    /// The language of the invitation and of the account's later mail.
    language: Language,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    role: Option<Role>,
    /// `false` switches the account off (its sessions and links end at once), `true` on again.
    active: Option<bool>,
}

/// Every account, directors first.
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])),
    responses((status = 200, body = Vec<AccountView>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list_staff(
    _director: Director,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let accounts = state.with_db(|conn, _| accounts::list(conn)).await?;
    let views: Vec<AccountView> = accounts.into_iter().map(AccountView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Creates an account without a password and mails its holder, in `language`, a one-time
/// link to set one (valid `auth.invite_link_hours`, 48 by default).
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", security(("bearer" = [])),
    request_body = InviteRequest,
    responses((status = 201, description = "Invited", body = AccountView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, description = "`email_taken`", body = ErrorBody),
              (status = 422, description = "`validation_failed`: `email`", body = ErrorBody)))]
pub async fn invite_staff(
    director: Director,
    state: web::Data<AppState>,
    body: ApiJson<InviteRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let invitation = Invitation::parse(&input.email, input.role, input.language)?;
    let by = director.0.user_id;
    let account = state
        .write(move |conn, ctx| accounts::invite(conn, ctx, by, &invitation, Utc::now()))
        .await?;
    Ok(HttpResponse::Created().json(AccountView::from(account)))
}

/// Changes an account's role, or switches it off or on.
#[utoipa::path(patch, path = "/api/v1/staff/{id}", tag = "staff", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Account id")), request_body = ChangeRequest,
    responses((status = 200, body = AccountView), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "`last_director`: no active director would be left", body = ErrorBody)))]
pub async fn change_staff(
    director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: ApiJson<ChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    let change = Change {
        role: input.role,
        active: input.active,
    };
    apply(&director, &state, id.into_inner(), change).await
}

/// Switches an account off: it cannot sign in, and its sessions and links end at once. The
/// account and what it did stay (the audit log names it).
#[utoipa::path(delete, path = "/api/v1/staff/{id}", tag = "staff", security(("bearer" = [])),
    params(("id" = i32, Path, description = "Account id")),
    responses((status = 200, description = "Switched off", body = AccountView),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "`last_director`", body = ErrorBody)))]
pub async fn deactivate_staff(
    director: Director,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let change = Change {
        role: None,
        active: Some(false),
    };
    apply(&director, &state, id.into_inner(), change).await
}

async fn apply(
    director: &Director,
    state: &AppState,
    id: i32,
    change: Change,
) -> Result<HttpResponse, ApiError> {
    let by = director.0.user_id;
    let account = state
        .write(move |conn, _| accounts::change(conn, by, id, change, Utc::now()))
        .await?;
    Ok(HttpResponse::Ok().json(AccountView::from(account)))
}

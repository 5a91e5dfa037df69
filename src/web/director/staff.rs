//! `/director/staff`: the accounts with their role, last sign-in and state; an invitation by
//! mail; and, per account, a change of role or switching it off or on. The same use cases as
//! the API's `/api/v1/staff`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use minijinja::context;
use serde::Deserialize;

use super::{director, director_form, refusal, show};
use crate::app::accounts::{self, Change, Invitation};
use crate::app::venues::house_zone;
use crate::domain::Role;
use crate::domain::booking::Language;
use crate::domain::time::from_stored;
use crate::http::{ApiError, AppState};
use crate::i18n::t;
use crate::web::{PageLanguage, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/director/staff", web::get().to(staff_page))
        .route("/director/staff", web::post().to(invite))
        .route("/director/staff/{id}", web::post().to(change));
}

#[derive(Deserialize)]
struct Done {
    invited: Option<i32>,
    changed: Option<i32>,
}

/// The invitation form as typed.
#[derive(Default, serde::Serialize)]
struct InviteForm {
    email: String,
    role: String,
    language: String,
}

async fn staff_page(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    done: web::Query<Done>,
) -> Result<HttpResponse, ApiError> {
    let me = match director(&req, language, &state).await? {
        Ok(principal) => principal.user_id,
        Err(response) => return Ok(response),
    };
    let form = InviteForm {
        language: language.0.as_str().to_owned(),
        ..InviteForm::default()
    };
    let notice = Notice::Done(done.into_inner());
    render(&req, language, &state, me, form, notice, StatusCode::OK).await
}

enum Notice {
    Done(Done),
    Refused(String),
}

async fn render(
    req: &HttpRequest,
    language: PageLanguage,
    state: &AppState,
    me: i32,
    form: InviteForm,
    notice: Notice,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let lang = language.0;
    let (zone, accounts) = state
        .with_db(|conn, _| Ok((house_zone(conn)?, accounts::list(conn)?)))
        .await?;
    let email_of = |id: Option<i32>| {
        accounts
            .iter()
            .find(|a| Some(a.user.id) == id)
            .map(|a| a.user.email.clone())
    };
    let (message, alert) = match notice {
        Notice::Done(done) => {
            let said = |key: &str, id| email_of(id).map(|email| t(lang, key, &[("email", email)]));
            let text = said("page-staff-invited-done", done.invited)
                .or_else(|| said("page-staff-changed", done.changed));
            (text, false)
        }
        Notice::Refused(text) => (Some(text), true),
    };
    let rows: Vec<_> = accounts
        .iter()
        .map(|account| {
            let user = &account.user;
            let state_key = if !user.active {
                "page-staff-off"
            } else if account.invited {
                "page-staff-invited"
            } else {
                "page-staff-active"
            };
            let last = user.last_signin_at.map(|at| {
                zone.local(from_stored(at))
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            });
            let other_role = match user.role {
                Role::Director => Role::Staff,
                Role::Staff => Role::Director,
            };
            context! {
                id => user.id,
                email => &user.email,
                role => t(lang, &format!("page-role-{}", user.role.as_str()), &[]),
                other_role => other_role.as_str(),
                make_other => t(lang, "page-staff-make", &[("role", t(lang, &format!("page-role-{}", other_role.as_str()), &[]))]),
                last_signin => last.unwrap_or_else(|| t(lang, "page-staff-never", &[])),
                state => t(lang, state_key, &[]),
                active => user.active,
                me => user.id == me,
            }
        })
        .collect();
    let hours = state.app.auth.invite_link_hours;
    let context = context! {
        accounts => rows,
        message => message,
        alert => alert,
        form => minijinja::Value::from(minijinja::value::Serde(&form)),
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        languages => Language::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
        invite_help => t(lang, "page-staff-invite-help", &[("hours", hours.to_string())]),
    };
    show(req, language, status, "director_staff.html", context)
}

/// `POST /director/staff`: invites someone; a refusal shows the form again as typed.
async fn invite(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, form) = match director_form(&req, language, &state, &body).await? {
        Ok(ok) => ok,
        Err(response) => return Ok(response),
    };
    let typed = InviteForm {
        email: form.text("email"),
        role: form.text("role"),
        language: form.text("language"),
    };
    let role = typed.role.parse().unwrap_or(Role::Staff);
    let mail_language = typed.language.parse().unwrap_or(language.0);
    let by = principal.user_id;
    let invited = match Invitation::parse(&typed.email, role, mail_language) {
        Ok(invitation) => {
            state
                .write(move |conn, ctx| accounts::invite(conn, ctx, by, &invitation, Utc::now()))
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match invited {
        Ok(account) => Ok(see_other(&format!(
            "/director/staff?invited={}",
            account.user.id
        ))),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            let notice = Notice::Refused(text);
            render(&req, language, &state, by, typed, notice, status).await
        }
    }
}

/// `POST /director/staff/{id}`: `action` is `director` or `staff` (the new role), `off` or `on`.
async fn change(
    req: HttpRequest,
    language: PageLanguage,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (principal, form) = match director_form(&req, language, &state, &body).await? {
        Ok(ok) => ok,
        Err(response) => return Ok(response),
    };
    let action = form.text("action");
    let change = match action.as_str() {
        "off" => Change {
            active: Some(false),
            ..Change::default()
        },
        "on" => Change {
            active: Some(true),
            ..Change::default()
        },
        role => Change {
            role: role.parse().ok(),
            ..Change::default()
        },
    };
    let (by, id) = (principal.user_id, id.into_inner());
    let changed = state
        .write(move |conn, _| accounts::change(conn, by, id, change, Utc::now()))
        .await;
    match changed {
        Ok(_) => Ok(see_other(&format!("/director/staff?changed={id}"))),
        Err(error) => {
            let (status, text) = refusal(language.0, error)?;
            let form = InviteForm {
                language: language.0.as_str().to_owned(),
                ..InviteForm::default()
            };
            render(
                &req,
                language,
                &state,
                by,
                form,
                Notice::Refused(text),
                status,
            )
            .await
        }
    }
}

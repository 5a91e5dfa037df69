//! Staff accounts, run by the director: the list, an invitation by mail (the new account sets
//! its own password from the link), a change of role, and switching an account off (its
//! sessions and links end at once) or on again. The last active director can be neither
//! demoted nor switched off. Each change is in the audit log.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{Context, Error, audit, passwords};
use crate::db::account_tokens::{self, Purpose};
use crate::db::audit::Action;
use crate::db::users::{self, UserRow};
use crate::db::{DbConnection, sessions};
use crate::domain::booking::Language;
use crate::domain::{Email, Invalid, Role};

/// An account as the director sees it.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: UserRow,
    /// Invited, and no password set yet.
    pub invited: bool,
}

impl Account {
    fn new(user: UserRow) -> Account {
        let invited = user.password_hash.is_empty();
        Account { user, invited }
    }
}

/// Every account.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Account>, Error> {
    Ok(users::all(conn)?.into_iter().map(Account::new).collect())
}

/// Who to invite, checked.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: Email,
    pub role: Role,
    /// The language of the invitation's mail, and of the account's later mail.
    pub language: Language,
}

impl Invitation {
    /// Staff addresses are plain ASCII (an internationalised domain in its `xn--` form), so that
    /// every mail server and sign-in form takes them as typed.
    pub fn parse(email: &str, role: Role, language: Language) -> Result<Invitation, Invalid> {
        let email = Email::parse("email", &email.trim().to_lowercase())?;
        let plain = |c: char| c.is_ascii_alphanumeric() || "._%+-@".contains(c);
        let domain = email.as_str().split_once('@').map_or("", |(_, d)| d);
        if !email.as_str().chars().all(plain) || domain.contains(['_', '%', '+']) {
            return Err(Invalid::new(
                "email",
                "must be a plain ASCII address such as name@example.kz",
            ));
        }
        Ok(Invitation {
            email,
            role,
            language,
        })
    }
}

/// Creates an account without a password and mails its holder a link to set one. Call in a
/// write transaction.
pub fn invite(
    conn: &mut DbConnection,
    ctx: &Context,
    by: i32,
    invitation: &Invitation,
    now: DateTime<Utc>,
) -> Result<Account, Error> {
    if users::find_by_email(conn, &invitation.email)?.is_some() {
        return Err(Error::EmailTaken);
    }
    let id = users::insert(
        conn,
        &invitation.email,
        "",
        invitation.role,
        invitation.language,
        now,
    )
    .map_err(|e| match Error::from(e) {
        Error::Conflict(_) => Error::EmailTaken,
        other => other,
    })?;
    let user = users::find(conn, id)?.ok_or(Error::NotFound("account"))?;
    passwords::issue(conn, ctx, &user, Purpose::Invite, now)?;
    let details = json!({ "account": id, "email": user.email, "role": user.role });
    audit::note(
        conn,
        Some(by),
        Action::StaffInvited,
        None,
        None,
        details,
        now,
    )?;
    Ok(Account::new(user))
}

/// What the director changes on an account; what is left out stays.
#[derive(Debug, Clone, Copy, Default)]
pub struct Change {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

/// Changes an account's role or switches it off or on. Switching off ends its sessions and
/// links at once. Refused with [`Error::LastDirector`] if no active director would be left.
/// Call in a write transaction.
pub fn change(
    conn: &mut DbConnection,
    by: i32,
    id: i32,
    change: Change,
    now: DateTime<Utc>,
) -> Result<Account, Error> {
    let directors = users::lock_active_directors(conn)?;
    let user = users::find(conn, id)?.ok_or(Error::NotFound("account"))?;
    let role = change.role.unwrap_or(user.role);
    let active = change.active.unwrap_or(user.active);
    let stays_director = role == Role::Director && active;
    if directors == [id] && !stays_director {
        // Invited directors who have not set a password yet do not count: they cannot sign in.
        return Err(Error::LastDirector);
    }
    if (role, active) == (user.role, user.active) {
        return Ok(Account::new(user));
    }
    users::set_role_and_active(conn, id, role, active)?;
    if !active {
        sessions::revoke_all_for_user(conn, id, now)?;
        account_tokens::end_all(conn, id, now)?;
    }
    let details = json!({
        "account": id,
        "email": user.email,
        "role_before": user.role,
        "role_after": role,
        "active_before": user.active,
        "active_after": active,
    });
    audit::note(
        conn,
        Some(by),
        Action::StaffChanged,
        None,
        None,
        details,
        now,
    )?;
    let user = users::find(conn, id)?.ok_or(Error::NotFound("account"))?;
    Ok(Account::new(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_take_plain_ascii_addresses_trimmed_and_lower_cased() {
        let parsed = Invitation::parse(" Dana.K+door@2Act.kz\n", Role::Staff, Language::Kk);
        assert_eq!(parsed.unwrap().email.as_str(), "dana.k+door@2act.kz");
        for refused in [
            "дана@2act.kz",
            "dana@театр.kz",
            "dana@2act_kz.kz",
            "dana\u{15}@2act.kz",
        ] {
            let error = Invitation::parse(refused, Role::Staff, Language::Ru).unwrap_err();
            assert_eq!(error.field, "email", "{refused}");
        }
        assert!(Invitation::parse("dana@xn--80aswg.xn--p1ai", Role::Staff, Language::Ru).is_ok());
    }
}

//! An account's two messages, in the account's language: the invitation to a new staff
//! account and the "forgot password" link. Each carries a one-time link to set a password and
//! says how long it works.

use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use minijinja::context;

use super::message::{envelope, templates};
use crate::app::Context;
use crate::db::outbox::{MessageKind, OutboxRow};
use crate::db::{DbConnection, account_tokens, users};
use crate::domain::Role;
use crate::domain::booking::Language;
use crate::i18n::t;

/// An account's message, loaded from the database.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub outbox_id: i32,
    pub kind: MessageKind,
    pub recipient: String,
    pub language: Language,
    pub role: Role,
    pub url: String,
    /// How long the link works, in minutes.
    pub valid_minutes: i64,
}

pub fn load(
    conn: &mut DbConnection,
    row: &OutboxRow,
    token_id: i32,
    ctx: &Context,
) -> anyhow::Result<AccountData> {
    let missing = |what: &str| anyhow::anyhow!("outbox message {}: {what} not found", row.id);
    let token = account_tokens::find(conn, token_id)?.ok_or_else(|| missing("link"))?;
    let user = users::find(conn, token.user_id)?.ok_or_else(|| missing("account"))?;
    Ok(AccountData {
        outbox_id: row.id,
        kind: row.kind,
        recipient: row.recipient.clone(),
        language: user.language,
        role: user.role,
        url: ctx.links.password_url(&token.nonce),
        valid_minutes: (token.expires_at - token.created_at).num_minutes(),
    })
}

/// Builds the message; its Message-ID is stable for an outbox row, as for a booking's mail.
pub fn render(data: &AccountData, from: &Mailbox) -> anyhow::Result<Message> {
    let lang = data.language;
    let role = t(lang, &format!("mail-role-{}", data.role.as_str()), &[]);
    let valid = if data.valid_minutes >= 120 && data.valid_minutes % 60 == 0 {
        let hours = (data.valid_minutes / 60).to_string();
        t(lang, "mail-link-valid-hours", &[("hours", hours)])
    } else {
        let minutes = data.valid_minutes.to_string();
        t(lang, "mail-link-valid-minutes", &[("minutes", minutes)])
    };
    let kind = data.kind.as_str();
    let args = [("role", role)];
    let subject = t(lang, &format!("{kind}-subject"), &args);
    let label = |key: &str| t(lang, key, &[]);
    let page = context! {
        lang => lang.as_str(),
        subject => subject.clone(),
        greeting => label("mail-account-greeting"),
        intro => t(lang, &format!("{kind}-intro"), &args),
        url => data.url.clone(),
        valid => valid,
        ignore => label(if data.kind == MessageKind::StaffInvited {
            "mail-invite-ignore"
        } else {
            "mail-reset-ignore"
        }),
        labels => context! {
            set => label("mail-set-password"),
            signature => label("mail-account-signature"),
        },
    };
    let text = templates().get_template("account.txt")?.render(&page)?;
    let html = templates().get_template("account.html")?.render(&page)?;
    let id = format!("{kind}.{}", data.outbox_id);
    let envelope = envelope(from, "", &data.recipient, subject, &id)?;
    Ok(envelope.multipart(MultiPart::alternative_plain_html(text, html))?)
}

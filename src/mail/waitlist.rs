//! The waiting list's two messages, in the entry's language: the place in line with the link to
//! leave, and the offer of seats held until a time with the link to book them.

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::{Mailbox, MultiPart};
use minijinja::context;

use super::message::{envelope, templates};

use crate::app::Context;
use crate::db::outbox::{MessageKind, OutboxRow};
use crate::db::{DbConnection, claims, holds, performances, waitlist};
use crate::domain::VenueZone;
use crate::domain::booking::Language;
use crate::domain::time::from_stored;
use crate::i18n::{date_time, t};

/// A waiting-list message, loaded from the database.
#[derive(Debug, Clone)]
pub struct WaitlistData {
    pub outbox_id: i32,
    pub kind: MessageKind,
    pub recipient: String,
    pub name: String,
    pub language: Language,
    pub title: String,
    pub venue: String,
    pub address: String,
    pub zone: VenueZone,
    pub starts_at: DateTime<Utc>,
    pub seats: i32,
    /// Its place in line when the message is about joining.
    pub position: Option<i64>,
    /// The seats held (row, number) and until when, for an offer.
    pub offered: Vec<(i32, i32)>,
    pub offer_until: Option<DateTime<Utc>>,
    pub book_url: String,
    pub leave_url: String,
}

pub fn load(
    conn: &mut DbConnection,
    row: &OutboxRow,
    entry_id: i32,
    ctx: &Context,
) -> anyhow::Result<WaitlistData> {
    let missing = |what: &str| anyhow::anyhow!("outbox message {}: {what} not found", row.id);
    let entry = waitlist::find(conn, entry_id)?.ok_or_else(|| missing("entry"))?;
    let staged =
        performances::staged(conn, entry.performance_id)?.ok_or_else(|| missing("performance"))?;
    let position = match row.kind {
        MessageKind::WaitlistJoined => Some(waitlist::position(conn, &entry)?),
        _ => None,
    };
    let mut offered = Vec::new();
    if row.kind == MessageKind::WaitlistOffer {
        let token_hash = crate::auth::token::hash(&ctx.links.offer_token(entry.id));
        if let Some(hold) = holds::find_by_token(conn, &token_hash)? {
            // What the offer still holds: nothing once it ran out, and the link then says so.
            let held = claims::hold_seats(conn, hold.id, Utc::now())?;
            let plan = ctx.seat_plans.of(conn, staged.venue.id)?;
            offered = plan
                .iter()
                .filter(|seat| held.contains(&seat.id))
                .map(|seat| (seat.row_number, seat.seat_number))
                .collect();
        }
    }
    Ok(WaitlistData {
        outbox_id: row.id,
        kind: row.kind,
        recipient: row.recipient.clone(),
        name: entry.name,
        language: entry.language,
        zone: staged.venue.zone(),
        starts_at: staged.performance.slot().starts_at,
        title: staged.title,
        venue: staged.venue.name,
        address: staged.venue.address,
        seats: entry.seats,
        position,
        offered,
        offer_until: entry.offer_expires_at.map(from_stored),
        book_url: ctx.links.offer_url(entry.id),
        leave_url: ctx.links.leave_url(entry.id),
    })
}

/// Builds the message; its Message-ID is stable for an outbox row, as for a booking's mail.
pub fn render(data: &WaitlistData, from: &Mailbox) -> anyhow::Result<Message> {
    let lang = data.language;
    let when = date_time(lang, data.zone, data.starts_at);
    let mut args = vec![
        ("title", data.title.clone()),
        ("date", when.clone()),
        ("seats", data.seats.to_string()),
    ];
    if let Some(position) = data.position {
        args.push(("position", position.to_string()));
    }
    if let Some(until) = data.offer_until {
        args.push(("until", date_time(lang, data.zone, until)));
    }
    let kind = data.kind.as_str();
    let subject = t(lang, &format!("{kind}-subject"), &args);
    let label = |key: &str| t(lang, key, &[]);
    let offer = data.kind == MessageKind::WaitlistOffer;
    let seats: Vec<String> = data
        .offered
        .iter()
        .map(|(row, number)| {
            t(
                lang,
                "mail-seat",
                &[("row", row.to_string()), ("number", number.to_string())],
            )
        })
        .collect();
    let page = context! {
        lang => lang.as_str(),
        subject => subject.clone(),
        greeting => t(lang, "mail-greeting", &[("name", data.name.clone())]),
        intro => t(lang, &format!("{kind}-intro"), &args),
        when => format!("{when} ({})", data.zone.local(data.starts_at).format("UTC%:z")),
        venue => data.venue.clone(),
        address => data.address.clone(),
        seats => seats,
        book_url => offer.then(|| data.book_url.clone()),
        leave_url => data.leave_url.clone(),
        labels => context! {
            when => label("mail-when"), where => label("mail-where"), seats => label("mail-seats"),
            book => label("mail-waitlist-book"), leave => label("mail-waitlist-leave"),
            signature => label("mail-waitlist-signature"),
        },
    };
    let text = templates().get_template("waitlist.txt")?.render(&page)?;
    let html = templates().get_template("waitlist.html")?.render(&page)?;
    let id = format!("{kind}.{}", data.outbox_id);
    let envelope = envelope(from, &data.name, &data.recipient, subject, &id)?;
    Ok(envelope.multipart(MultiPart::alternative_plain_html(text, html))?)
}

//! What a message from the outbox says, loaded from the data it is about as it is now, and
//! rendered in its reader's language.

use chrono::Utc;
use lettre::Message;
use lettre::message::Mailbox;

use super::account::{self, AccountData};
use super::message::{self, MessageData, Ticket};
use super::waitlist::{self, WaitlistData};
use crate::app::Context;
use crate::app::bookings::Booked;
use crate::app::links::Links;
use crate::db::DbConnection;
use crate::db::outbox::{About, OutboxRow};

/// A message, loaded for rendering.
pub enum Letter {
    Booking(MessageData),
    Waitlist(WaitlistData),
    Account(AccountData),
}

impl Letter {
    pub fn load(conn: &mut DbConnection, row: &OutboxRow, ctx: &Context) -> anyhow::Result<Letter> {
        match row.about() {
            Some(About::Booking(id)) => load(conn, row, id, &ctx.links).map(Letter::Booking),
            Some(About::WaitlistEntry(id)) => {
                waitlist::load(conn, row, id, ctx).map(Letter::Waitlist)
            }
            Some(About::AccountToken(id)) => account::load(conn, row, id, ctx).map(Letter::Account),
            None => Err(anyhow::anyhow!(
                "outbox message {} is about nothing",
                row.id
            )),
        }
    }

    pub fn render(&self, from: &Mailbox) -> anyhow::Result<Message> {
        match self {
            Letter::Booking(data) => message::render(data, from),
            Letter::Waitlist(data) => waitlist::render(data, from),
            Letter::Account(data) => account::render(data, from),
        }
    }
}

fn load(
    conn: &mut DbConnection,
    row: &OutboxRow,
    booking_id: i32,
    links: &Links,
) -> anyhow::Result<MessageData> {
    let booked = crate::app::bookings::load(conn, booking_id)
        .map_err(|e| anyhow::anyhow!("outbox message {}: {e}", row.id))?;
    let details: serde_json::Value = serde_json::from_str(&row.details).unwrap_or_default();
    let previous_starts_at = details["previous_starts_at"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|at| at.with_timezone(&Utc));
    let account = booked.account();
    let pay_by = booked.pay_by();
    let Booked {
        booking,
        staged,
        tickets,
        ..
    } = booked;
    let names = crate::db::zone_names::of_venue(conn, staged.venue.id)?;
    let tickets = tickets
        .into_iter()
        .map(|t| Ticket {
            zone: names.read_in(&t.zone, booking.language).to_owned(),
            row: t.row_number,
            number: t.seat_number,
            kind: t.ticket_type,
            price: t.price,
            code: t.code,
        })
        .collect();
    let slot = staged.performance.slot();
    Ok(MessageData {
        outbox_id: row.id,
        kind: row.kind,
        recipient: row.recipient.clone(),
        language: booking.language,
        manage_url: links.manage_url(&booking.reference),
        reference: booking.reference,
        name: booking.name,
        title: staged.title,
        zone: staged.venue.zone(),
        venue: staged.venue.name,
        address: staged.venue.address,
        starts_at: slot.starts_at,
        ends_at: slot.ends_at,
        previous_starts_at,
        total: booking.total,
        due: account.due(),
        pay_by,
        tickets,
    })
}

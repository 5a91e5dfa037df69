//! The waiting list of a sold-out performance: joining it ([`join`]), leaving it from the link
//! in its mail ([`leave`]), the director's view of it ([`line`]), and the offers that fill the
//! seats that come back ([`offers`]).

pub mod offers;

use chrono::{DateTime, Utc};

use super::sales::on_sale;
use super::{Context, Error};
use crate::db::outbox::{self, About, MessageKind};
use crate::db::waitlist::{self, EntryRow, NewEntry};
use crate::db::{DbConnection, claims, holds, performances};
use crate::domain::Email;
use crate::domain::booking::Language;
use crate::domain::invalid::required_text;
use crate::domain::performance::Status;
use crate::domain::waitlist::{EntryStatus, wanted_seats};
use offers::Seats;

/// Who asks to be told, as parsed at the edge (see [`Joining::parse`]).
#[derive(Debug, Clone)]
pub struct Joining {
    pub name: String,
    pub email: Email,
    pub language: Language,
    pub seats: i32,
}

impl Joining {
    pub fn parse(
        name: &str,
        email: &str,
        language: Language,
        seats: i32,
    ) -> Result<Joining, crate::domain::Invalid> {
        Ok(Joining {
            name: required_text("name", name, 100)?,
            email: Email::parse("email", email)?,
            language,
            seats: wanted_seats(seats)?,
        })
    }
}

/// An entry with its place in line (none once it is no longer waiting).
#[derive(Debug, Clone)]
pub struct Placed {
    pub entry: EntryRow,
    pub position: Option<i64>,
}

/// Puts someone on the waiting list of a performance on sale that has fewer free seats than
/// they ask for ([`Error::SeatsAvailable`] otherwise) and queues the mail with their place and
/// the link to leave. Joining again with the same address while still in line changes nothing
/// and answers the entry there is. Call inside a write transaction.
pub fn join(
    conn: &mut DbConnection,
    ctx: &Context,
    performance_id: i32,
    joining: &Joining,
    now: DateTime<Utc>,
) -> Result<Placed, Error> {
    let performance = performances::find(conn, performance_id)?
        .filter(|performance| performance.status != Status::Draft)
        .ok_or(Error::NotFound("performance"))?;
    on_sale(&performance, now)?;
    let email = joining.email.as_str();
    if let Some(entry) = waitlist::open_of(conn, performance_id, email)? {
        return placed(conn, entry);
    }
    let free = offers::free_count(conn, ctx, &performance, now)?;
    if free >= joining.seats as usize {
        return Err(Error::SeatsAvailable { free });
    }
    let id = waitlist::insert(
        conn,
        &NewEntry {
            performance_id,
            name: &joining.name,
            email,
            language: joining.language,
            seats: joining.seats,
        },
        now,
    )?;
    outbox::enqueue_about(
        conn,
        MessageKind::WaitlistJoined,
        About::WaitlistEntry(id),
        email,
        now,
    )?;
    let entry = waitlist::find(conn, id)?.ok_or(Error::NotFound("waiting-list entry"))?;
    placed(conn, entry)
}

fn placed(conn: &mut DbConnection, entry: EntryRow) -> Result<Placed, Error> {
    let position = match entry.status {
        EntryStatus::Waiting => Some(waitlist::position(conn, &entry)?),
        _ => None,
    };
    Ok(Placed { entry, position })
}

/// The entry behind a link from its mail: [`Error::NotFound`] for a wrong token, as for an
/// unknown entry.
pub fn open(conn: &mut DbConnection, ctx: &Context, id: i32, token: &str) -> Result<Placed, Error> {
    if !ctx.links.opens_entry(id, token) {
        return Err(Error::NotFound("waiting-list entry"));
    }
    let entry = waitlist::find(conn, id)?.ok_or(Error::NotFound("waiting-list entry"))?;
    placed(conn, entry)
}

/// Takes an entry off its list. Seats held for it go to the next in line. Leaving twice
/// changes nothing. Call inside a write transaction.
pub fn leave(
    conn: &mut DbConnection,
    ctx: &Context,
    id: i32,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Placed, Error> {
    let found = open(conn, ctx, id, token)?;
    let performance_id = found.entry.performance_id;
    waitlist::lock_line(conn, performance_id)?;
    if waitlist::end(conn, id, EntryStatus::Left, now)? == Some(EntryStatus::Offered) {
        let token_hash = crate::auth::token::hash(&ctx.links.offer_token(id));
        if let Some(hold) = holds::find_by_token(conn, &token_hash)? {
            let freed = claims::release_hold(conn, hold.id, now)?;
            offers::offer(conn, ctx, performance_id, Seats::Freed(&freed), now)?;
        }
    }
    let entry = waitlist::find(conn, id)?.ok_or(Error::NotFound("waiting-list entry"))?;
    placed(conn, entry)
}

/// A performance's waiting list for the director: every entry in line order, and how many
/// seats the list filled.
#[derive(Debug, Clone)]
pub struct Line {
    pub entries: Vec<InLine>,
    pub filled_seats: i64,
}

/// One entry of a line: its place among those still waiting, and the booking an offer became.
#[derive(Debug, Clone)]
pub struct InLine {
    pub entry: EntryRow,
    pub position: Option<i64>,
    pub booking_reference: Option<String>,
}

pub fn line(conn: &mut DbConnection, performance_id: i32) -> Result<Line, Error> {
    performances::find(conn, performance_id)?.ok_or(Error::NotFound("performance"))?;
    let mut waiting = 0;
    let entries: Vec<InLine> = waitlist::of_performance(conn, performance_id)?
        .into_iter()
        .map(|(entry, booking_reference)| {
            let position = (entry.status == EntryStatus::Waiting).then(|| {
                waiting += 1;
                waiting
            });
            InLine {
                entry,
                position,
                booking_reference,
            }
        })
        .collect();
    let filled_seats = entries
        .iter()
        .filter(|line| line.entry.status == EntryStatus::Booked)
        .map(|line| i64::from(line.entry.seats))
        .sum();
    Ok(Line {
        entries,
        filled_seats,
    })
}

//! One message: subject, plain text and HTML (an auto-escaping template), one QR code per ticket
//! as an inline PNG, and a calendar entry (`.ics`, instants in UTC) for the performance.

use std::io::Cursor;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use minijinja::{Environment, context};

use crate::db::outbox::MessageKind;
use crate::domain::booking::Language;
use crate::domain::prices::TicketType;
use crate::domain::{Tenge, VenueZone};
use crate::i18n::{date_time, t, to_pay};

/// What a message is about, loaded from the database.
#[derive(Debug, Clone)]
pub struct MessageData {
    pub outbox_id: i32,
    pub kind: MessageKind,
    pub recipient: String,
    pub name: String,
    pub language: Language,
    pub reference: String,
    pub manage_url: String,
    pub title: String,
    pub venue: String,
    pub address: String,
    pub zone: VenueZone,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub previous_starts_at: Option<DateTime<Utc>>,
    pub total: i64,
    /// What is still to pay, whole tenge.
    pub due: i64,
    /// When the booking lapses unless paid, if it does.
    pub pay_by: Option<DateTime<Utc>>,
    pub tickets: Vec<Ticket>,
}

#[derive(Debug, Clone)]
pub struct Ticket {
    /// The zone's name in the recipient's language.
    pub zone: String,
    pub row: i32,
    pub number: i32,
    pub kind: TicketType,
    pub price: i64,
    pub code: String,
}

/// Every mail template, parsed once: a booking's message and the waiting list's.
pub(super) fn templates() -> &'static Environment<'static> {
    static TEMPLATES: OnceLock<Environment<'static>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let mut env = Environment::new();
        for (name, source) in [
            (
                "message.html",
                include_str!("../../templates/mail/message.html"),
            ),
            (
                "message.txt",
                include_str!("../../templates/mail/message.txt"),
            ),
            (
                "account.html",
                include_str!("../../templates/mail/account.html"),
            ),
            (
                "account.txt",
                include_str!("../../templates/mail/account.txt"),
            ),
            (
                "waitlist.html",
                include_str!("../../templates/mail/waitlist.html"),
            ),
            (
                "waitlist.txt",
                include_str!("../../templates/mail/waitlist.txt"),
            ),
        ] {
            env.add_template(name, source)
                .expect("the mail templates parse");
        }
        env
    })
}

/// A message's envelope: sender, recipient, subject, date, and a Message-ID made of `id` and
/// the sender's domain, stable for an outbox row, so that a retried send can be recognised as
/// the same message.
pub(super) fn envelope(
    from: &Mailbox,
    name: &str,
    recipient: &str,
    subject: String,
    id: &str,
) -> anyhow::Result<lettre::message::MessageBuilder> {
    let domain = from.email.domain().to_owned();
    let name = (!name.is_empty()).then(|| name.to_owned());
    let to = Mailbox::new(name, recipient.parse()?);
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .date_now()
        .message_id(Some(format!("<{id}@{domain}>"))))
}

/// Builds the message. `from` is the sender; the Message-ID is stable for an outbox row, so a
/// retried send can be recognised as the same message.
pub fn render(data: &MessageData, from: &Mailbox) -> anyhow::Result<Message> {
    let lang = data.language;
    let when = date_time(lang, data.zone, data.starts_at);
    let mut args = vec![
        ("title", data.title.clone()),
        ("date", when.clone()),
        ("reference", data.reference.clone()),
    ];
    if let Some(previous) = data.previous_starts_at {
        args.push(("previous", date_time(lang, data.zone, previous)));
    }
    let kind = data.kind.as_str();
    let subject = t(lang, &format!("{kind}-subject"), &args);
    let with_tickets = matches!(
        data.kind,
        MessageKind::BookingConfirmed
            | MessageKind::PerformanceRescheduled
            | MessageKind::Reminder
            | MessageKind::BookingExchanged
    );
    let tickets: Vec<_> = data
        .tickets
        .iter()
        .enumerate()
        .filter(|_| with_tickets)
        .map(|(i, ticket)| {
            context! {
                seat => t(lang, "mail-seat", &[("row", ticket.row.to_string()), ("number", ticket.number.to_string())]),
                zone => ticket.zone.clone(),
                kind => (ticket.kind != TicketType::Full).then(|| t(lang, &format!("ticket-type-{}", ticket.kind.as_str()), &[])),
                price => Tenge::from_stored(ticket.price).to_string(),
                code => ticket.code.clone(),
                content_id => content_id(data, i),
            }
        })
        .collect();
    let label = |key: &str| t(lang, key, &[]);
    let payment = to_pay(lang, data.zone, data.due, data.pay_by);
    let concession = data.tickets.iter().any(|ticket| ticket.kind.needs_check());
    let page = context! {
        lang => lang.as_str(),
        subject => subject.clone(),
        greeting => t(lang, "mail-greeting", &[("name", data.name.clone())]),
        intro => t(lang, &format!("{kind}-intro"), &args),
        when => format!("{when} ({})", data.zone.local(data.starts_at).format("UTC%:z")),
        venue => data.venue.clone(),
        address => data.address.clone(),
        reference => data.reference.clone(),
        total => Tenge::from_stored(data.total).to_string(),
        manage_url => data.manage_url.clone(),
        tickets => tickets,
        payment => payment,
        concession_check => concession.then(|| label("mail-concession-check")),
        labels => context! {
            when => label("mail-when"), where => label("mail-where"), seats => label("mail-seats"),
            total => label("mail-total"), reference => label("mail-reference"),
            // A cancelled booking can only be looked at, and its holder is not expected.
            manage => label(if with_tickets { "mail-manage" } else { "mail-see-booking" }),
            show_qr => label("mail-show-qr"), ticket => label("mail-ticket"),
            calendar => label("mail-calendar"),
            signature => label(if with_tickets { "mail-signature" } else { "mail-signature-cancelled" }),
        },
    };
    let text = templates().get_template("message.txt")?.render(&page)?;
    let html = templates().get_template("message.html")?.render(&page)?;

    let mut related = MultiPart::related().singlepart(SinglePart::html(html));
    let mut calendar = None;
    if with_tickets {
        for (i, ticket) in data.tickets.iter().enumerate() {
            let png = qr_png(&ticket.code)?;
            related = related.singlepart(
                Attachment::new_inline(content_id(data, i))
                    .body(png, ContentType::parse("image/png")?),
            );
        }
        calendar = Some(ics(data));
    }
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(text))
        .multipart(related);
    let body = match calendar {
        Some(ics) => MultiPart::mixed().multipart(alternative).singlepart(
            Attachment::new(format!("{}.ics", data.reference)).body(
                ics,
                ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")?,
            ),
        ),
        None => MultiPart::mixed().multipart(alternative),
    };
    let id = format!(
        "{}.{}.{}",
        data.kind.as_str(),
        data.reference,
        data.outbox_id
    );
    Ok(envelope(from, &data.name, &data.recipient, subject, &id)?.multipart(body)?)
}

fn content_id(data: &MessageData, index: usize) -> String {
    format!("ticket-{}-{}@kassa", data.reference, index + 1)
}

/// A QR code for `code`, as a PNG: mail clients do not show SVG.
pub fn qr_png(code: &str) -> anyhow::Result<Vec<u8>> {
    let qr = qrcode::QrCode::new(code.as_bytes())?;
    let image = qr
        .render::<image::Luma<u8>>()
        .min_dimensions(200, 200)
        .build();
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(image)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)?;
    Ok(png)
}

/// The calendar entry of a booking's message (see [`calendar_entry`]); the outbox id, rising
/// with each message, is the SEQUENCE.
fn ics(data: &MessageData) -> String {
    calendar_entry(
        &data.reference,
        &data.title,
        &format!("{}, {}", data.venue, data.address),
        data.starts_at,
        data.ends_at,
        data.outbox_id,
        &data.manage_url,
    )
}

/// A calendar (METHOD:PUBLISH) with one event per booking: a stable UID, SEQUENCE rising with
/// each update, start and end as UTC instants so that no VTIMEZONE is needed.
pub fn calendar_entry(
    reference: &str,
    title: &str,
    location: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    sequence: i32,
    description: &str,
) -> String {
    let event = Event::new()
        .uid(&format!("booking-{reference}@kassa"))
        .summary(title)
        .location(location)
        .starts(starts_at)
        .ends(ends_at)
        .add_property("SEQUENCE", sequence.to_string())
        .description(description)
        .done();
    let mut calendar = Calendar::new();
    calendar.append_property(icalendar::Property::new("METHOD", "PUBLISH"));
    calendar.push(event);
    calendar.done().to_string()
}

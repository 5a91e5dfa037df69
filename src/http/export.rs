//! CSV files for an accountant, written by the `csv` crate: UTF-8 with a byte-order mark and
//! semicolons between fields, which Excel and LibreOffice in a Russian locale open with the
//! right letters in the right columns; a header row in the reader's language; dates and times
//! in the venue's zone; amounts as plain integers. The API and the pages serve the same files.

use actix_web::HttpResponse;
use actix_web::http::header;

use chrono::{DateTime, NaiveDate, Utc};

use crate::app;
use crate::app::exports::{self, Attendee, PaymentRecord};
use crate::app::reports::{self, Counts, SalesReport};
use crate::db::DbConnection;
use crate::domain::VenueZone;
use crate::domain::booking::Language;
use crate::i18n::t;

/// A file of a range of local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeFile {
    /// The sales report, one row per performance.
    Sales,
    /// Every payment record.
    Payments,
}

impl RangeFile {
    pub fn name(self) -> &'static str {
        match self {
            RangeFile::Sales => "sales",
            RangeFile::Payments => "payments",
        }
    }
}

/// A file of the local dates asked for (this month when left out), and its name, e.g.
/// `sales-2031-03-01-2031-03-31.csv`: what the API and the pages both serve.
pub fn range_file(
    conn: &mut DbConnection,
    file: RangeFile,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    lang: Language,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, String), app::Error> {
    let (zone, from, to) = reports::zone_and_range(conn, from, to, now)?;
    let csv = match file {
        RangeFile::Sales => sales(&reports::sales(conn, zone, from, to, now)?, zone, lang),
        RangeFile::Payments => {
            payments(&exports::payment_records(conn, zone, from, to)?, zone, lang)
        }
    };
    let csv = csv.map_err(app::Error::internal)?;
    Ok((csv, format!("{}-{from}-{to}.csv", file.name())))
}

/// The attendee list of one performance, and its name.
pub fn attendee_file(
    conn: &mut DbConnection,
    performance_id: i32,
    lang: Language,
) -> Result<(Vec<u8>, String), app::Error> {
    let (staged, list) = exports::attendees(conn, performance_id)?;
    let names = crate::db::zone_names::of_venue(conn, staged.venue.id)?;
    let csv = attendees(&list, &names, lang).map_err(app::Error::internal)?;
    Ok((csv, format!("attendees-{performance_id}.csv")))
}

/// What Excel needs to read UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The sales report, one row per performance.
pub fn sales(report: &SalesReport, zone: VenueZone, lang: Language) -> anyhow::Result<Vec<u8>> {
    let headers = [
        "csv-date",
        "csv-time",
        "csv-title",
        "csv-status",
        "csv-capacity",
        "csv-sold",
        "csv-occupancy",
        "csv-online",
        "csv-walk-up",
        "csv-comp",
        "csv-full",
        "csv-student",
        "csv-pensioner",
        "csv-child",
        "csv-admitted",
        "csv-no-shows",
        "csv-taken",
        "csv-refunded",
        "csv-net",
        "csv-cash",
        "csv-card",
        "csv-kaspi",
        "csv-transfer",
        "csv-outstanding",
        "csv-refunds-due",
    ];
    let mut out = writer();
    out.write_record(headers.iter().map(|key| t(lang, key, &[])))?;
    for p in &report.performances {
        let local = zone.local(p.starts);
        let counts = Counts::of(&p.tickets);
        let m = p.money;
        let mut record = vec![
            local.format("%Y-%m-%d").to_string(),
            local.format("%H:%M").to_string(),
            p.title.clone(),
            t(lang, &format!("page-state-{}", p.status.as_str()), &[]),
        ];
        record.push(p.capacity.to_string());
        record.push(p.sold.to_string());
        record.push(format!("{:.1}", p.occupancy_percent));
        for number in [
            counts.online,
            counts.walk_up,
            counts.comp,
            counts.full,
            counts.student,
            counts.pensioner,
            counts.child,
            p.admitted,
        ] {
            record.push(number.to_string());
        }
        record.push(p.no_shows.map(|n| n.to_string()).unwrap_or_default());
        for amount in [
            m.taken,
            m.refunded,
            m.net,
            m.by_method.cash,
            m.by_method.card,
            m.by_method.kaspi,
            m.by_method.transfer,
            m.outstanding,
            m.refunds_due,
        ] {
            record.push(amount.to_string());
        }
        out.write_record(&record)?;
    }
    finish(out)
}

/// Every payment record, refunds as negative amounts.
pub fn payments(
    records: &[PaymentRecord],
    zone: VenueZone,
    lang: Language,
) -> anyhow::Result<Vec<u8>> {
    let headers = [
        "csv-recorded-at",
        "csv-performance",
        "csv-title",
        "csv-reference",
        "csv-name",
        "csv-kind",
        "csv-method",
        "csv-amount",
        "csv-channel",
        "csv-recorded-by",
        "csv-note",
    ];
    let mut out = writer();
    out.write_record(headers.iter().map(|key| t(lang, key, &[])))?;
    let when = |at| zone.local(at).format("%Y-%m-%d %H:%M").to_string();
    for r in records {
        let channel = if r.walk_up {
            "csv-walk-up"
        } else {
            "csv-online"
        };
        out.write_record([
            when(r.recorded_at),
            when(r.performance_starts_at),
            r.title.clone(),
            r.reference.clone(),
            r.name.clone(),
            t(lang, &format!("page-kind-{}", r.kind.as_str()), &[]),
            t(lang, &format!("page-method-{}", r.method.as_str()), &[]),
            r.signed().to_string(),
            t(lang, channel, &[]),
            r.by.clone().unwrap_or_default(),
            r.note.clone().unwrap_or_default(),
        ])?;
    }
    finish(out)
}

/// The attendee list of one performance, one row per ticket.
pub fn attendees(
    list: &[Attendee],
    names: &crate::domain::zone_names::ZoneNames,
    lang: Language,
) -> anyhow::Result<Vec<u8>> {
    let headers = [
        "csv-row",
        "csv-seat",
        "csv-zone",
        "csv-type",
        "csv-price",
        "csv-ticket",
        "csv-reference",
        "csv-name",
        "csv-email",
        "csv-phone",
        "csv-channel",
        "csv-payment",
        "csv-due",
        "csv-admitted",
    ];
    let mut out = writer();
    out.write_record(headers.iter().map(|key| t(lang, key, &[])))?;
    for a in list {
        let channel = if a.walk_up {
            "csv-walk-up"
        } else {
            "csv-online"
        };
        out.write_record([
            a.row.to_string(),
            a.number.to_string(),
            names.read_in(&a.zone, lang).to_owned(),
            t(
                lang,
                &format!("ticket-type-{}", a.ticket_type.as_str()),
                &[],
            ),
            a.price.to_string(),
            t(lang, if a.valid { "csv-valid" } else { "csv-void" }, &[]),
            a.reference.clone(),
            a.name.clone(),
            a.email.clone().unwrap_or_default(),
            a.phone.clone().unwrap_or_default(),
            t(lang, channel, &[]),
            t(lang, &format!("page-payment-{}", a.payment.as_str()), &[]),
            a.due.to_string(),
            t(lang, if a.admitted { "csv-yes" } else { "csv-no" }, &[]),
        ])?;
    }
    finish(out)
}

/// A CSV download named `filename`.
pub fn download((csv, filename): (Vec<u8>, String)) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv)
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(BOM.to_vec())
}

fn finish(out: csv::Writer<Vec<u8>>) -> anyhow::Result<Vec<u8>> {
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

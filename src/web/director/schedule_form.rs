//! The schedule's two forms as the director typed them: one performance, or a run. Each
//! becomes a use case's input, or the field that cannot, to show with the form again; and the
//! zones their price fields are for.

use std::collections::BTreeMap;

use crate::app::schedule::create::{NewPerformance, NewRun};
use crate::db::venues::{self, VenueRow};
use crate::db::{DbConnection, zone_names};
use crate::domain::Invalid;
use crate::domain::booking::Language;
use crate::domain::performance::Status;
use crate::domain::prices::Concessions;
use crate::domain::schedule::parse_weekdays;
use crate::domain::time::{WallClock, parse_date, parse_time_of_day};
use crate::web::form::PostedForm;

/// What the director typed, shown again when a form is refused.
#[derive(Default, serde::Serialize)]
pub(super) struct ScheduleForm {
    production_id: String,
    venue_id: String,
    starts_at: String,
    time: String,
    from: String,
    to: String,
    weekdays: Vec<String>,
    prices: BTreeMap<String, String>,
    /// `type.zone` → tenge; blank means not offered.
    concessions: BTreeMap<String, String>,
    release_unpaid_minutes: String,
    publish: bool,
}

impl ScheduleForm {
    pub(super) fn from_posted(posted: &PostedForm) -> ScheduleForm {
        ScheduleForm {
            production_id: posted.text("production_id"),
            venue_id: posted.text("venue_id"),
            starts_at: posted.text("starts_at"),
            time: posted.text("time"),
            from: posted.text("from"),
            to: posted.text("to"),
            weekdays: posted.all("weekday").map(str::to_owned).collect(),
            prices: posted
                .prefixed("price.")
                .map(|(zone, price)| (zone.to_owned(), price.to_owned()))
                .collect(),
            concessions: posted
                .prefixed("concession.")
                .map(|(key, price)| (key.to_owned(), price.to_owned()))
                .collect(),
            release_unpaid_minutes: posted.text("release_unpaid_minutes"),
            publish: posted.text("publish") == "1",
        }
    }

    /// The prices as whole tenge, or the zone whose price is not a number.
    fn price_list(&self) -> Result<BTreeMap<String, i64>, Invalid> {
        self.prices
            .iter()
            .map(|(zone, price)| Ok((zone.clone(), tenge(&format!("prices.{zone}"), price)?)))
            .collect()
    }

    /// The concessions given a price, type → zone → tenge; a blank field is not offered.
    fn concession_list(&self) -> Result<Concessions, Invalid> {
        let mut list = Concessions::new();
        for (key, price) in &self.concessions {
            if price.trim().is_empty() {
                continue;
            }
            let field = format!("concessions.{key}");
            let (kind, zone) = key
                .split_once('.')
                .ok_or_else(|| Invalid::new(&field, "is not a concession field"))?;
            list.entry(kind.to_owned())
                .or_default()
                .insert(zone.to_owned(), tenge(&field, price)?);
        }
        Ok(list)
    }

    fn release_unpaid_minutes(&self) -> Result<Option<i64>, Invalid> {
        match self.release_unpaid_minutes.trim() {
            "" => Ok(None),
            minutes => minutes.parse().map(Some).map_err(|_| {
                Invalid::new(
                    "release_unpaid_minutes",
                    "must be a whole number of minutes",
                )
            }),
        }
    }

    fn ids(&self) -> Result<(i32, i32), Invalid> {
        let id = |field: &str, raw: &str| {
            raw.trim()
                .parse()
                .map_err(|_| Invalid::new(field, "choose one from the list"))
        };
        Ok((
            id("production_id", &self.production_id)?,
            id("venue_id", &self.venue_id)?,
        ))
    }

    pub(super) fn one(&self) -> Result<NewPerformance, Invalid> {
        let (production_id, venue_id) = self.ids()?;
        Ok(NewPerformance {
            production_id,
            venue_id,
            starts_at: WallClock::parse("starts_at", &self.starts_at)?,
            prices: self.price_list()?,
            concessions: self.concession_list()?,
            release_unpaid_minutes: self.release_unpaid_minutes()?,
            status: Some(self.status()),
            sales_open_at: None,
            sales_close_at: None,
        })
    }

    pub(super) fn run(&self) -> Result<NewRun, Invalid> {
        let (production_id, venue_id) = self.ids()?;
        Ok(NewRun {
            production_id,
            venue_id,
            time: parse_time_of_day("time", &self.time)?,
            weekdays: parse_weekdays(&self.weekdays)?,
            from: parse_date("from", &self.from)?,
            to: parse_date("to", &self.to)?,
            prices: self.price_list()?,
            concessions: self.concession_list()?,
            release_unpaid_minutes: self.release_unpaid_minutes()?,
            status: Some(self.status()),
        })
    }

    fn status(&self) -> Status {
        if self.publish {
            Status::Published
        } else {
            Status::Draft
        }
    }
}

fn tenge(field: &str, price: &str) -> Result<i64, Invalid> {
    price
        .trim()
        .parse()
        .map_err(|_| Invalid::new(field, "must be a whole number of tenge"))
}

/// The price fields' zones: every hall's zones once, each labelled with its name in the first
/// hall that names it (`key`, `name`).
pub(super) fn price_zones(
    conn: &mut DbConnection,
    halls: &[VenueRow],
    lang: Language,
) -> diesel::QueryResult<Vec<minijinja::Value>> {
    let ids: Vec<i32> = halls.iter().map(|hall| hall.id).collect();
    let names = zone_names::of_venues(conn, &ids)?;
    let mut zones: Vec<(String, String)> = Vec::new();
    for hall in halls {
        let names = names.get(&hall.id).cloned().unwrap_or_default();
        for zone in venues::zones(conn, hall.id)? {
            let name = names.read_in(zone.as_str(), lang).to_owned();
            match zones.iter_mut().find(|(key, _)| key == zone.as_str()) {
                Some(known) if known.1 == known.0 => known.1 = name,
                Some(_) => {}
                None => zones.push((zone.as_str().to_owned(), name)),
            }
        }
    }
    Ok(zones
        .into_iter()
        .map(|(key, name)| minijinja::context! { key => key, name => name })
        .collect())
}

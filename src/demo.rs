//! The 2act demo: what a first run on an empty database shows (see DOMAIN.md).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use rand::RngExt;

use crate::auth::password;
use crate::db::{
    self, DbConnection, credits, performances, productions, users, venues, zone_names,
};
use crate::domain::booking::Language;
use crate::domain::credits::{Credit, CreditKind};
use crate::domain::performance::{ReleaseUnpaid, Status};
use crate::domain::prices::PriceList;
use crate::domain::production::ProductionDetails;
use crate::domain::schedule::Slot;
use crate::domain::seat_plan::{SeatSpec, Zone};
use crate::domain::zone_names::{ZoneName, ZoneNames};
use crate::domain::{Email, Role, VenueZone};

pub const DIRECTOR_EMAIL: &str = "director@2act.example";
pub const STAFF_EMAIL: &str = "door@2act.example";
/// How many upcoming Saturdays the demo schedules.
const UPCOMING_SATURDAYS: u32 = 4;
/// Unpaid online reservations of the demo performances lapse this long before the start.
const DEMO_RELEASE_UNPAID_MINUTES: i32 = 30;

/// The demo's sign-ins, with passwords made up on the spot and shown once.
#[derive(Debug, Clone)]
pub struct DemoAccounts {
    pub director_password: String,
    pub staff_password: String,
}

/// Seeds the demo if the database has no hall, production or account yet; otherwise leaves it
/// alone. Runs in one write transaction, so two instances starting together seed once.
pub fn seed_if_empty(
    conn: &mut DbConnection,
    posters_dir: &std::path::Path,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DemoAccounts>> {
    let accounts = DemoAccounts {
        director_password: readable_password(),
        staff_password: readable_password(),
    };
    let director_hash =
        password::hash(&accounts.director_password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let staff_hash =
        password::hash(&accounts.staff_password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let seeded = db::write_transaction(conn, |conn| -> diesel::QueryResult<bool> {
        let empty = venues::count(conn)? == 0
            && users::count(conn)? == 0
            && productions::list(conn)?.is_empty();
        if !empty {
            return Ok(false);
        }
        let email = |raw| Email::parse("email", raw).expect("demo addresses are valid");
        users::insert(
            conn,
            &email(DIRECTOR_EMAIL),
            &director_hash,
            Role::Director,
            Language::Ru,
            now,
        )?;
        users::insert(
            conn,
            &email(STAFF_EMAIL),
            &staff_hash,
            Role::Staff,
            Language::Ru,
            now,
        )?;
        seed_theater(conn, now)?;
        Ok(true)
    })?;
    if seeded {
        // Its poster, drawn for the demo, so that a first run shows the cards.
        let poster = crate::app::posters::copies_of(&crate::demo_poster::draw());
        for production in productions::list(conn)? {
            crate::app::posters::attach(conn, posters_dir, production.id, &poster, now)
                .map_err(|e| anyhow::anyhow!("the demo's poster: {e}"))?;
        }
    }
    Ok(seeded.then_some(accounts))
}

/// The demo's credits: the company and where the text comes from. No person is named: the
/// director enters the real names, and the cast, on the production's page.
fn demo_credits() -> Vec<Credit> {
    let crew = |role: &str, name: &str| Credit {
        kind: CreditKind::Crew,
        role: role.to_owned(),
        name: name.to_owned(),
    };
    vec![
        crew("Постановка", "Театр 2act"),
        crew(
            "Текст",
            "Монологи по интервью с теми, кто переехал в Алматы, и с алматинцами",
        ),
    ]
}

/// The studio's zones as its audience reads them, in each language.
fn demo_zone_names() -> ZoneNames {
    let name = |ru: &str, kk: &str, en: &str| ZoneName {
        ru: Some(ru.to_owned()),
        kk: Some(kk.to_owned()),
        en: Some(en.to_owned()),
    };
    ZoneNames::from_stored(BTreeMap::from([
        (
            "front".to_owned(),
            name("Первые ряды", "Алдыңғы қатарлар", "Front rows"),
        ),
        ("standard".to_owned(), name("Партер", "Партер", "Stalls")),
    ]))
}

fn seed_theater(conn: &mut DbConnection, now: DateTime<Utc>) -> diesel::QueryResult<()> {
    let almaty =
        VenueZone::parse("timezone", "Asia/Almaty").expect("Asia/Almaty is in the tz database");
    let seats = studio_seat_plan();
    let venue_id = venues::insert(
        conn,
        &venues::NewVenue {
            name: "2act studio",
            address: "Алматы, зал в глубине торгового центра",
            timezone: almaty,
            seats: &seats,
        },
        now,
    )?;
    zone_names::replace(conn, venue_id, &demo_zone_names())?;
    let production = productions::insert(
        conn,
        &ProductionDetails {
            title: "Здесь.Алматы".to_owned(),
            description: "Документальный спектакль: монологи, собранные из интервью с теми, кто \
                          переехал в Алматы после 2022 года, с беженкой из Украины и с \
                          алматинцем.\n\nИстории о том, как город становится своим."
                .to_owned(),
            duration_minutes: 100,
            intermission_minutes: 15,
            age_rating: "16+".to_owned(),
            language: "ru".to_owned(),
        },
        Default::default(),
        now,
    )?;
    credits::replace(conn, production.id, &demo_credits())?;
    let zones: BTreeSet<Zone> = seats.iter().map(|s| s.zone.clone()).collect();
    let prices = PriceList::parse(
        &[("front".to_owned(), 6000), ("standard".to_owned(), 4500)]
            .into_iter()
            .collect(),
        &[(
            "student".to_owned(),
            [("front".to_owned(), 4000), ("standard".to_owned(), 3000)]
                .into_iter()
                .collect(),
        )]
        .into_iter()
        .collect(),
        &zones,
    )
    .expect("demo prices cover the demo zones");
    let evening = NaiveTime::from_hms_opt(19, 0, 0).expect("19:00 is a time");
    let premiere = chrono::NaiveDate::from_ymd_opt(2024, 2, 11).expect("a date");
    let today = almaty.local_date(now);
    let days_to_saturday =
        (Weekday::Sat.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    let first_saturday = today
        + Duration::days(i64::from(if days_to_saturday == 0 {
            7
        } else {
            days_to_saturday
        }));
    let dates = std::iter::once(premiere).chain(
        (0..UPCOMING_SATURDAYS).map(|week| first_saturday + Duration::weeks(i64::from(week))),
    );
    for date in dates {
        let starts_at = almaty
            .resolve("starts_at", date.and_time(evening))
            .expect("19:00 exists every day in Almaty");
        let schedule = performances::Schedule {
            slot: Slot::new(starts_at, production.details().running_time()),
            status: Status::Published,
            sales_open_at: None,
            sales_close_at: None,
            release_unpaid: Some(ReleaseUnpaid::from_stored(DEMO_RELEASE_UNPAID_MINUTES)),
        };
        performances::insert(conn, production.id, venue_id, &schedule, &prices, now)?;
    }
    Ok(())
}

/// 6 rows of 10; rows 1–2 front, 3–6 standard; row 6 seats 1–2 are wheelchair spaces, and
/// seats 3–4 their companion seats.
fn studio_seat_plan() -> Vec<SeatSpec> {
    (1..=6)
        .flat_map(|row| {
            (1..=10).map(move |number| SeatSpec {
                row,
                number,
                zone: Zone::from_stored(if row <= 2 { "front" } else { "standard" }.to_owned()),
                x: 40 * (number - 1) + if number > 5 { 30 } else { 0 },
                y: 50 * (row - 1),
                accessible: row == 6 && number <= 2,
                companion_of: (row == 6 && (3..=4).contains(&number)).then(|| (6, number - 2)),
            })
        })
        .collect()
}

/// A password that reads well aloud or on paper: four groups of four from an alphabet without
/// look-alikes (about 80 bits).
fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_studio_has_sixty_seats_in_two_zones_with_two_wheelchair_spaces_and_their_companions() {
        let plan = studio_seat_plan();
        assert_eq!(plan.len(), 60);
        assert_eq!(
            plan.iter().filter(|s| s.zone.as_str() == "front").count(),
            20
        );
        let accessible: Vec<(i32, i32)> = plan
            .iter()
            .filter(|s| s.accessible)
            .map(|s| (s.row, s.number))
            .collect();
        assert_eq!(accessible, vec![(6, 1), (6, 2)]);
        let companions: Vec<((i32, i32), (i32, i32))> = plan
            .iter()
            .filter_map(|s| s.companion_of.map(|space| ((s.row, s.number), space)))
            .collect();
        assert_eq!(companions, vec![((6, 3), (6, 1)), ((6, 4), (6, 2))]);
    }

    #[test]
    fn demo_passwords_are_long_and_differ() {
        let (a, b) = (readable_password(), readable_password());
        assert_eq!(a.len(), 19);
        assert!(a.len() >= password::MIN_LENGTH);
        assert_ne!(a, b);
    }
}

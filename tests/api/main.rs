//! kassa's API tests: each test starts the real application on a free loopback port against a
//! fresh database: a temporary SQLite file, or a fresh PostgreSQL database when
//! `KASSA_TEST_DATABASE_URL=postgres://…` is set.

mod auth;
mod backups;
mod booking;
mod cli;
mod companions;
mod concession_pages;
mod concessions;
mod crashes;
mod credits;
mod deadlines;
mod demo;
mod director_pages;
mod door;
mod door_pages;
mod errors;
mod exchange;
mod exchange_pages;
mod health;
mod helpers;
mod link_previews;
mod mail;
mod mail_pages;
mod metrics;
mod money;
mod openapi;
mod outage;
mod pages;
mod passwords;
mod posters;
mod process;
mod productions;
mod race;
mod reports;
mod rush;
mod scheduling;
mod seat_blocks;
mod smtp;
mod staff;
mod staff_pages;
mod venues;
mod waitlist;
mod waitlist_pages;
mod waitlist_race;
mod waitlist_sources;
mod zone_names;

/// The database id of a booking, for inspecting its outbox.
pub fn booking_id_of(app: &helpers::TestApp, reference: &str) -> i32 {
    let reference = kassa::domain::booking::Reference::parse(reference).unwrap();
    kassa::db::bookings::find_by_reference(&mut app.db(), &reference)
        .unwrap()
        .unwrap()
        .id
}

//! kassa's API tests: each test starts the real application on a free loopback port against a
//! fresh database: a temporary SQLite file, or a fresh PostgreSQL database when
//! `KASSA_TEST_DATABASE_URL=postgres://…` is set.

mod auth;
mod booking;
mod cli;
mod demo;
mod errors;
mod health;
mod helpers;
mod openapi;
mod productions;
mod race;
mod scheduling;
mod seat_blocks;
mod venues;

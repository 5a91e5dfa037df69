//! kassa: box office and performance scheduler for small theaters.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
mod demo_poster;
pub mod domain;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod web;

//! Productions: the public sees those with a published performance ahead; the director sees all
//! and creates and edits them. A new running time moves the end of every upcoming performance,
//! and is refused if that would make one clash.

use chrono::{DateTime, Utc};

use super::schedule::check_clashes;
use super::{Context, Error};
use crate::db::performances::{self, Filter, PerformanceDetails};
use crate::db::productions::{self, ProductionRow};
use crate::db::{self, DbConnection, credits, venues};
use crate::domain::Invalid;
use crate::domain::credits::{self as credit_rules, Credit};
use crate::domain::performance::Status;
use crate::domain::production::{self as rules, ExchangePolicy, ProductionDetails};
use crate::domain::schedule::Slot;

/// A production's fields as given.
#[derive(Debug, Clone)]
pub struct ProductionInput {
    pub title: String,
    pub description: String,
    pub duration_minutes: i32,
    pub intermission_minutes: i32,
    pub age_rating: String,
    pub language: String,
    pub credits: Vec<Credit>,
}

/// A new production, checked: its details and its credits.
#[derive(Debug, Clone)]
pub struct NewProduction {
    pub details: ProductionDetails,
    pub credits: Vec<Credit>,
}

impl ProductionInput {
    pub fn parse(self) -> Result<NewProduction, Invalid> {
        let details = ProductionDetails {
            title: rules::title(&self.title)?,
            description: rules::description(&self.description)?,
            duration_minutes: rules::duration_minutes(self.duration_minutes)?,
            intermission_minutes: rules::intermission_minutes(self.intermission_minutes)?,
            age_rating: rules::age_rating(&self.age_rating)?,
            language: rules::language(&self.language)?,
        };
        Ok(NewProduction {
            details,
            credits: credit_rules::parse(&self.credits)?,
        })
    }
}

/// Fields to change; those left out keep their value.
#[derive(Debug, Clone, Default)]
pub struct ProductionChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub duration_minutes: Option<i32>,
    pub intermission_minutes: Option<i32>,
    pub age_rating: Option<String>,
    pub language: Option<String>,
    /// `Some(None)` returns to the house's cutoff.
    pub exchange_cutoff_minutes: Option<Option<i32>>,
    /// `Some(None)` returns to the house's number.
    pub max_exchanges: Option<Option<i32>>,
    /// All the credits, replacing those the production has.
    pub credits: Option<Vec<Credit>>,
}

impl ProductionChanges {
    fn exchange_policy(&self, current: ExchangePolicy) -> Result<ExchangePolicy, Invalid> {
        ExchangePolicy::parse(
            self.exchange_cutoff_minutes
                .unwrap_or(current.cutoff_minutes),
            self.max_exchanges.unwrap_or(current.max_exchanges),
        )
    }

    fn apply(self, mut details: ProductionDetails) -> Result<ProductionDetails, Invalid> {
        if let Some(title) = self.title {
            details.title = rules::title(&title)?;
        }
        if let Some(description) = self.description {
            details.description = rules::description(&description)?;
        }
        if let Some(minutes) = self.duration_minutes {
            details.duration_minutes = rules::duration_minutes(minutes)?;
        }
        if let Some(minutes) = self.intermission_minutes {
            details.intermission_minutes = rules::intermission_minutes(minutes)?;
        }
        if let Some(rating) = self.age_rating {
            details.age_rating = rules::age_rating(&rating)?;
        }
        if let Some(language) = self.language {
            details.language = rules::language(&language)?;
        }
        Ok(details)
    }
}

/// A production with its credits and upcoming performances.
#[derive(Debug, Clone)]
pub struct Billed {
    pub production: ProductionRow,
    pub credits: Vec<Credit>,
    pub upcoming: Vec<PerformanceDetails>,
}

/// Creates a production. Call inside a write transaction.
pub fn create(
    conn: &mut DbConnection,
    new: &NewProduction,
    exchange: ExchangePolicy,
    now: DateTime<Utc>,
) -> Result<Billed, Error> {
    let production = productions::insert(conn, &new.details, exchange, now)?;
    credits::replace(conn, production.id, &new.credits)?;
    Ok(Billed {
        production,
        credits: new.credits.clone(),
        upcoming: Vec::new(),
    })
}

/// Changes a production. Call inside a write transaction.
pub fn update(
    conn: &mut DbConnection,
    ctx: &Context,
    id: i32,
    mut changes: ProductionChanges,
    now: DateTime<Utc>,
) -> Result<Billed, Error> {
    let current = productions::find(conn, id)?.ok_or(Error::NotFound("production"))?;
    let exchange = changes.exchange_policy(current.exchange_policy())?;
    let new_credits = changes
        .credits
        .take()
        .map(|given| credit_rules::parse(&given))
        .transpose()?;
    let details = changes.apply(current.details())?;
    let running_time = details.running_time();
    if running_time != current.details().running_time() {
        let moved = performances::upcoming_of_production(conn, id, now)?;
        for performance in &moved {
            db::lock_venue(conn, performance.venue_id)?;
            let slot = Slot::new(performance.slot().starts_at, running_time);
            performances::set_ends_at(conn, performance.id, slot.ends_at)?;
        }
        for performance in &moved {
            let venue =
                venues::find(conn, performance.venue_id)?.ok_or(Error::NotFound("venue"))?;
            let slot = Slot::new(performance.slot().starts_at, running_time);
            check_clashes(
                conn,
                &venue,
                &slot,
                ctx.changeover(),
                &[performance.id],
                now,
            )?;
        }
    }
    productions::update(conn, id, &details, now)?;
    if let Some(new_credits) = new_credits {
        credits::replace(conn, id, &new_credits)?;
    }
    if exchange != current.exchange_policy() {
        productions::set_exchange_policy(conn, id, exchange)?;
    }
    one(conn, id, true, now)
}

fn visible(director: bool) -> Vec<Status> {
    if director {
        vec![Status::Draft, Status::Published]
    } else {
        vec![Status::Published]
    }
}

/// Productions with their upcoming performances: for the public, those with a published
/// performance ahead; for the director, all (drafts included).
pub fn list(
    conn: &mut DbConnection,
    director: bool,
    now: DateTime<Utc>,
) -> Result<Vec<Billed>, Error> {
    let upcoming = performances::list(
        conn,
        &Filter {
            statuses: visible(director),
            starts_from: Some(now),
            ..Default::default()
        },
    )?;
    let mut upcoming = performances::details(conn, upcoming, now)?;
    let shows = productions::list(conn)?;
    let ids: Vec<i32> = shows.iter().map(|p| p.id).collect();
    let mut credited = credits::of_productions(conn, &ids)?;
    Ok(shows
        .into_iter()
        .filter_map(|production| {
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut upcoming)
                .into_iter()
                .partition(|p| p.row.production_id == production.id);
            upcoming = rest;
            (director || !mine.is_empty()).then(|| Billed {
                credits: credited.remove(&production.id).unwrap_or_default(),
                production,
                upcoming: mine,
            })
        })
        .collect())
}

/// One production with its upcoming performances.
pub fn one(
    conn: &mut DbConnection,
    id: i32,
    director: bool,
    now: DateTime<Utc>,
) -> Result<Billed, Error> {
    let production = productions::find(conn, id)?.ok_or(Error::NotFound("production"))?;
    let upcoming = performances::list(
        conn,
        &Filter {
            statuses: visible(director),
            production_id: Some(id),
            starts_from: Some(now),
            ..Default::default()
        },
    )?;
    Ok(Billed {
        credits: credits::of_production(conn, id)?,
        production,
        upcoming: performances::details(conn, upcoming, now)?,
    })
}

//! What the sales report is made of: tickets by zone × type × channel, money from payment
//! rows, one performance's row and the totals.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::reports::TicketCount;
use crate::domain::payment::Method;
use crate::domain::performance::Status;
use crate::domain::prices::TicketType;

/// How a ticket was sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    WalkUp,
    /// Complimentary, given at the door.
    Comp,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Online, Channel::WalkUp, Channel::Comp];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::WalkUp => "walk_up",
            Channel::Comp => "comp",
        }
    }

    pub(super) fn of(count: &TicketCount) -> Channel {
        match (count.comp, count.walk_up) {
            (true, _) => Channel::Comp,
            (false, true) => Channel::WalkUp,
            (false, false) => Channel::Online,
        }
    }
}

/// Valid tickets of one zone, type and channel.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketLine {
    pub zone: String,
    #[serde(rename = "type")]
    pub ticket_type: TicketType,
    pub channel: Channel,
    pub tickets: i64,
    /// What they cost, whole tenge (comps cost nothing).
    pub value: i64,
}

/// Net money (payments less refunds) by method, whole tenge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Methods {
    pub cash: i64,
    pub card: i64,
    pub kaspi: i64,
    pub transfer: i64,
}

impl Methods {
    pub(super) fn add(&mut self, method: Method, amount: i64) {
        let slot = match method {
            Method::Cash => &mut self.cash,
            Method::Card => &mut self.card,
            Method::Kaspi => &mut self.kaspi,
            Method::Transfer => &mut self.transfer,
        };
        *slot += amount;
    }

    pub(super) fn plus(self, other: Methods) -> Methods {
        Methods {
            cash: self.cash + other.cash,
            card: self.card + other.card,
            kaspi: self.kaspi + other.kaspi,
            transfer: self.transfer + other.transfer,
        }
    }
}

/// Money of a performance, whole tenge, all from payment rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MoneyFigures {
    /// Payments in.
    pub taken: i64,
    /// Refunds out.
    pub refunded: i64,
    /// `taken − refunded`.
    pub net: i64,
    pub by_method: Methods,
    /// Still to pay on valid bookings.
    pub outstanding: i64,
    /// Owed back on cancelled bookings that had paid.
    pub refunds_due: i64,
}

impl MoneyFigures {
    pub(super) fn plus(self, other: MoneyFigures) -> MoneyFigures {
        MoneyFigures {
            taken: self.taken + other.taken,
            refunded: self.refunded + other.refunded,
            net: self.net + other.net,
            by_method: self.by_method.plus(other.by_method),
            outstanding: self.outstanding + other.outstanding,
            refunds_due: self.refunds_due + other.refunds_due,
        }
    }
}

/// One performance's row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PerformanceSales {
    pub performance_id: i32,
    pub title: String,
    /// RFC 3339 with the venue's offset.
    pub starts_at: String,
    #[serde(skip)]
    pub starts: DateTime<Utc>,
    pub status: Status,
    /// Seats in the hall.
    pub capacity: i64,
    /// Valid tickets, comps included.
    pub sold: i64,
    /// `sold` as a share of `capacity`, in per cent, one decimal.
    pub occupancy_percent: f64,
    /// Tickets let in (each once).
    pub admitted: i64,
    /// After the start, tickets sold that nobody came in on; none before.
    pub no_shows: Option<i64>,
    /// By zone, type and channel.
    pub tickets: Vec<TicketLine>,
    pub money: MoneyFigures,
}

/// Tickets by channel and by type.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Counts {
    pub online: i64,
    pub walk_up: i64,
    pub comp: i64,
    pub full: i64,
    pub student: i64,
    pub pensioner: i64,
    pub child: i64,
}

impl Counts {
    pub fn of(lines: &[TicketLine]) -> Counts {
        let mut counts = Counts::default();
        for line in lines {
            *match line.channel {
                Channel::Online => &mut counts.online,
                Channel::WalkUp => &mut counts.walk_up,
                Channel::Comp => &mut counts.comp,
            } += line.tickets;
            *match line.ticket_type {
                TicketType::Full => &mut counts.full,
                TicketType::Student => &mut counts.student,
                TicketType::Pensioner => &mut counts.pensioner,
                TicketType::Child => &mut counts.child,
            } += line.tickets;
        }
        counts
    }
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SalesTotals {
    pub performances: usize,
    pub capacity: i64,
    pub sold: i64,
    pub occupancy_percent: f64,
    pub admitted: i64,
    /// Of the performances that have started.
    pub no_shows: i64,
    pub tickets: Counts,
    pub money: MoneyFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalesReport {
    /// First local date, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    /// Last local date, inclusive.
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    #[schema(example = "Asia/Almaty")]
    pub timezone: String,
    pub performances: Vec<PerformanceSales>,
    pub totals: SalesTotals,
}

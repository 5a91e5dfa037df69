//! The box office's vocabulary as types: input is parsed into these at the edge, so the rest of
//! kassa never handles raw strings. Nothing here knows about HTTP or the database.

pub mod booking;
pub mod credits;
pub mod email;
pub mod invalid;
pub mod money;
pub mod payment;
pub mod performance;
pub mod prices;
pub mod production;
pub mod role;
pub mod schedule;
pub mod seat_plan;
pub mod stored;
pub mod time;
pub mod waitlist;
pub mod zone_names;

pub use email::Email;
pub use invalid::Invalid;
pub use money::Tenge;
pub use role::Role;
pub use time::VenueZone;

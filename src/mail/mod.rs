//! Mail: messages rendered from the outbox, in the booker's language, sent by the configured
//! transport (an `.eml` file per message, or SMTP) by a worker that never blocks a request.

mod account;
mod heartbeat;
mod letter;
mod message;
mod stop;
mod waitlist;
mod worker;

pub use heartbeat::Heartbeat;
pub use message::{MessageData, Ticket, calendar_entry, qr_png, render};
pub use stop::{RunningWorker, StopSignal};
pub use worker::{Courier, Delivery};

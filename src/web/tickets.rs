//! Ticket types on the pages: the options of a seat's type select, and the types a form's
//! selects picked (`type.{seat id}`), shared by the checkout and the door's sale.

use minijinja::{Value, context};

use crate::app::sales::TicketTypes;
use crate::domain::Invalid;
use crate::domain::booking::Language;
use crate::domain::prices::{PriceList, TicketType};
use crate::i18n::t;

/// The types a seat in `zone` may be sold as, full first, each with its price; `chosen` is
/// selected.
pub(super) fn type_options(
    lang: Language,
    prices: &PriceList,
    zone: &str,
    chosen: Option<&str>,
) -> Vec<Value> {
    prices
        .types_of(zone)
        .into_iter()
        .map(|(kind, price)| {
            context! {
                value => kind.as_str(),
                label => t(lang, &format!("ticket-type-{}", kind.as_str()), &[]),
                price => price.to_string(),
                amount => price.amount(),
                selected => chosen == Some(kind.as_str()),
            }
        })
        .collect()
}

/// The types picked, as `(seat id, type)` pairs of a form; with `sold`, a seat not among them
/// is left out (an untaken seat's select still posts).
pub(super) fn picked_types<'a>(
    picked: impl Iterator<Item = (&'a str, &'a str)>,
    sold: Option<&[i32]>,
) -> Result<TicketTypes, Invalid> {
    let bad = || Invalid::new("tickets", "not a ticket type");
    let mut choices = Vec::new();
    for (seat, kind) in picked {
        let seat: i32 = seat.parse().map_err(|_| bad())?;
        if sold.is_none_or(|sold| sold.contains(&seat)) {
            choices.push((seat, kind.parse::<TicketType>().map_err(|_| bad())?));
        }
    }
    TicketTypes::parse(&choices)
}

//! A performance's prices: zone × ticket type. The full price of every zone of the hall is
//! always there; a concession (student, pensioner, child) is offered where the director gave it
//! a price, never above the full one.

use std::collections::{BTreeMap, BTreeSet};

use super::seat_plan::Zone;
use super::stored::stored_enum;
use super::{Invalid, Tenge};

stored_enum! {
    /// Who a ticket is for, which decides its price. A concession asks the door to look at a
    /// card.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default,
        serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum TicketType as "ticket type" {
        #[default]
        Full = "full",
        Student = "student",
        Pensioner = "pensioner",
        Child = "child",
    }
}

impl TicketType {
    /// The concessions: every type but `full`.
    pub const CONCESSIONS: &'static [TicketType] = &[
        TicketType::Student,
        TicketType::Pensioner,
        TicketType::Child,
    ];

    /// Whether the door should check a card or an age before letting the holder in.
    pub fn needs_check(self) -> bool {
        self != TicketType::Full
    }
}

/// The prices of one performance, by zone and ticket type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriceList(BTreeMap<(Zone, TicketType), Tenge>);

/// Concession prices as the API and the forms carry them: type → zone → tenge.
pub type Concessions = BTreeMap<String, BTreeMap<String, i64>>;

impl PriceList {
    /// Checks the full `prices` and the `concessions` against the zones of the hall: every zone
    /// needs a full price; a concession may price some zones only, at no more than their full
    /// price; a zone the hall does not have, or an unknown type, is a mistake worth reporting.
    pub fn parse(
        prices: &BTreeMap<String, i64>,
        concessions: &Concessions,
        hall_zones: &BTreeSet<Zone>,
    ) -> Result<PriceList, Invalid> {
        let mut list = BTreeMap::new();
        for (zone, amount) in prices {
            let field = format!("prices.{zone}");
            let zone = hall_zone(&field, zone, hall_zones)?;
            list.insert((zone, TicketType::Full), Tenge::price(&field, *amount)?);
        }
        if let Some(missing) = hall_zones
            .iter()
            .find(|zone| !list.contains_key(&((*zone).clone(), TicketType::Full)))
        {
            return Err(Invalid::new(
                format!("prices.{}", missing.as_str()),
                format!("zone `{}` needs a price", missing.as_str()),
            ));
        }
        for (kind, zones) in concessions {
            let kind_field = format!("concessions.{kind}");
            let kind = match kind.parse::<TicketType>() {
                Ok(TicketType::Full) => {
                    return Err(Invalid::new(
                        kind_field,
                        "the full price is given in `prices`",
                    ));
                }
                Ok(kind) => kind,
                Err(_) => {
                    return Err(Invalid::new(
                        kind_field,
                        format!("`{kind}` is not a concession: use student, pensioner or child"),
                    ));
                }
            };
            for (zone, amount) in zones {
                let field = format!("{kind_field}.{zone}");
                let zone = hall_zone(&field, zone, hall_zones)?;
                let price = Tenge::price(&field, *amount)?;
                let full = list[&(zone.clone(), TicketType::Full)];
                if price > full {
                    return Err(Invalid::new(
                        field,
                        format!("a concession costs no more than the full price, {full}"),
                    ));
                }
                list.insert((zone, kind), price);
            }
        }
        Ok(PriceList(list))
    }

    /// Prices read back from storage: (zone, type, tenge).
    pub fn from_stored(prices: impl IntoIterator<Item = (String, TicketType, i64)>) -> PriceList {
        PriceList(
            prices
                .into_iter()
                .map(|(zone, kind, amount)| {
                    ((Zone::from_stored(zone), kind), Tenge::from_stored(amount))
                })
                .collect(),
        )
    }

    /// The price of a ticket of `kind` in `zone`, if it is offered there.
    pub fn get(&self, zone: &str, kind: TicketType) -> Option<Tenge> {
        self.0
            .get(&(Zone::from_stored(zone.to_owned()), kind))
            .copied()
    }

    /// The full price of a seat in `zone`. Every zone of a hall has one (see
    /// [`PriceList::parse`]); a seat of a zone without one costs nothing rather than failing a
    /// sale.
    pub fn of_zone(&self, zone: &str) -> Tenge {
        self.get(zone, TicketType::Full).unwrap_or_default()
    }

    /// The types a seat in `zone` may be sold as, full first, with their prices.
    pub fn types_of(&self, zone: &str) -> Vec<(TicketType, Tenge)> {
        TicketType::ALL
            .iter()
            .filter_map(|kind| self.get(zone, *kind).map(|price| (*kind, price)))
            .collect()
    }

    /// Every price: zone, type, tenge.
    pub fn iter(&self) -> impl Iterator<Item = (&Zone, TicketType, Tenge)> {
        self.0
            .iter()
            .map(|((zone, kind), price)| (zone, *kind, *price))
    }

    /// The full prices, zone → tenge, as the API's `prices` shows them.
    pub fn full(&self) -> BTreeMap<String, i64> {
        self.of_kind(TicketType::Full)
    }

    /// The concessions offered, type → zone → tenge, as the API's `concessions` shows them.
    pub fn concessions(&self) -> Concessions {
        TicketType::CONCESSIONS
            .iter()
            .map(|kind| (kind.as_str().to_owned(), self.of_kind(*kind)))
            .filter(|(_, zones)| !zones.is_empty())
            .collect()
    }

    fn of_kind(&self, kind: TicketType) -> BTreeMap<String, i64> {
        self.iter()
            .filter(|(_, k, _)| *k == kind)
            .map(|(zone, _, price)| (zone.as_str().to_owned(), price.amount()))
            .collect()
    }
}

fn hall_zone(field: &str, zone: &str, hall_zones: &BTreeSet<Zone>) -> Result<Zone, Invalid> {
    let zone = Zone::parse(field, zone)?;
    if hall_zones.contains(&zone) {
        Ok(zone)
    } else {
        Err(Invalid::new(
            field,
            format!("the hall has no zone `{}`", zone.as_str()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones(names: &[&str]) -> BTreeSet<Zone> {
        names
            .iter()
            .map(|z| Zone::parse("zone", z).unwrap())
            .collect()
    }

    fn prices(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(z, p)| (z.to_string(), *p)).collect()
    }

    fn concession(kind: &str, pairs: &[(&str, i64)]) -> Concessions {
        BTreeMap::from([(kind.to_owned(), prices(pairs))])
    }

    #[test]
    fn every_zone_of_the_hall_needs_a_full_price() {
        let hall = zones(&["front", "standard"]);
        let list = PriceList::parse(
            &prices(&[("front", 6000), ("standard", 4500)]),
            &Concessions::new(),
            &hall,
        )
        .unwrap();
        assert_eq!(list.of_zone("front"), Tenge::from_stored(6000));
        assert_eq!(list.full(), prices(&[("front", 6000), ("standard", 4500)]));
        let error =
            PriceList::parse(&prices(&[("front", 6000)]), &Concessions::new(), &hall).unwrap_err();
        assert_eq!(error.field, "prices.standard");
    }

    #[test]
    fn unknown_zones_and_negative_prices_are_refused() {
        let hall = zones(&["front"]);
        let none = Concessions::new();
        let error = PriceList::parse(&prices(&[("front", 6000), ("balcony", 1000)]), &none, &hall)
            .unwrap_err();
        assert_eq!(error.field, "prices.balcony");
        let error = PriceList::parse(&prices(&[("front", -5)]), &none, &hall).unwrap_err();
        assert_eq!(error.field, "prices.front");
    }

    #[test]
    fn a_concession_prices_some_zones_at_no_more_than_full() {
        let hall = zones(&["front", "standard"]);
        let full = prices(&[("front", 6000), ("standard", 4500)]);
        let list =
            PriceList::parse(&full, &concession("student", &[("standard", 3000)]), &hall).unwrap();
        assert_eq!(
            list.get("standard", TicketType::Student),
            Some(Tenge::from_stored(3000))
        );
        assert_eq!(list.get("front", TicketType::Student), None);
        assert_eq!(
            list.types_of("standard"),
            vec![
                (TicketType::Full, Tenge::from_stored(4500)),
                (TicketType::Student, Tenge::from_stored(3000))
            ]
        );
        assert_eq!(
            list.concessions(),
            concession("student", &[("standard", 3000)])
        );

        let dearer = PriceList::parse(&full, &concession("child", &[("front", 6001)]), &hall);
        assert_eq!(dearer.unwrap_err().field, "concessions.child.front");
        let unknown = PriceList::parse(&full, &concession("vip", &[("front", 100)]), &hall);
        assert_eq!(unknown.unwrap_err().field, "concessions.vip");
        let full_again = PriceList::parse(&full, &concession("full", &[("front", 100)]), &hall);
        assert_eq!(full_again.unwrap_err().field, "concessions.full");
        let elsewhere = PriceList::parse(&full, &concession("student", &[("loge", 100)]), &hall);
        assert_eq!(elsewhere.unwrap_err().field, "concessions.student.loge");
    }

    #[test]
    fn only_concessions_ask_the_door_to_check() {
        assert!(!TicketType::Full.needs_check());
        assert!(
            TicketType::CONCESSIONS
                .iter()
                .all(|kind| kind.needs_check())
        );
    }
}

//! Performances: one date of a production in a hall, its status and its prices per zone.

use std::collections::{BTreeMap, BTreeSet};

use super::seat_plan::Zone;
use super::stored::stored_enum;
use super::{Invalid, Tenge};

stored_enum! {
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Status as "performance status" {
        Draft = "draft",
        Published = "published",
        Cancelled = "cancelled",
    }
}

impl Status {
    /// Whether the director may move a performance from `self` to `next`. A cancelled
    /// performance stays cancelled: its ticket holders have been told.
    pub fn can_become(self, next: Status) -> bool {
        self == next || self != Status::Cancelled
    }
}

/// The price of each zone of a hall for one performance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriceList(BTreeMap<Zone, Tenge>);

impl PriceList {
    /// Checks `prices` against the zones of the hall: every zone needs a price, and a price for
    /// a zone the hall does not have is a mistake worth reporting.
    pub fn parse(
        prices: &BTreeMap<String, i64>,
        hall_zones: &BTreeSet<Zone>,
    ) -> Result<PriceList, Invalid> {
        let mut list = BTreeMap::new();
        for (zone, amount) in prices {
            let field = format!("prices.{zone}");
            let zone = Zone::parse(&field, zone)?;
            if !hall_zones.contains(&zone) {
                return Err(Invalid::new(
                    field,
                    format!("the hall has no zone `{}`", zone.as_str()),
                ));
            }
            list.insert(zone, Tenge::price(&field, *amount)?);
        }
        if let Some(missing) = hall_zones.iter().find(|zone| !list.contains_key(*zone)) {
            return Err(Invalid::new(
                format!("prices.{}", missing.as_str()),
                format!("zone `{}` needs a price", missing.as_str()),
            ));
        }
        Ok(PriceList(list))
    }

    pub fn from_stored(prices: impl IntoIterator<Item = (String, i64)>) -> PriceList {
        PriceList(
            prices
                .into_iter()
                .map(|(zone, amount)| (Zone::from_stored(zone), Tenge::from_stored(amount)))
                .collect(),
        )
    }

    pub fn get(&self, zone: &Zone) -> Option<Tenge> {
        self.0.get(zone).copied()
    }

    /// The price of a seat in `zone`. Every zone of a hall has one (see [`PriceList::parse`]);
    /// a seat of a zone without one costs nothing rather than failing a sale.
    pub fn of_zone(&self, zone: &str) -> Tenge {
        self.0.get(zone).copied().unwrap_or_default()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Zone, Tenge)> {
        self.0.iter().map(|(zone, price)| (zone, *price))
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

    #[test]
    fn every_zone_of_the_hall_needs_a_price() {
        let hall = zones(&["front", "standard"]);
        let list =
            PriceList::parse(&prices(&[("front", 6000), ("standard", 4500)]), &hall).unwrap();
        assert_eq!(
            list.get(&Zone::parse("z", "front").unwrap()),
            Some(Tenge::from_stored(6000))
        );
        let error = PriceList::parse(&prices(&[("front", 6000)]), &hall).unwrap_err();
        assert_eq!(error.field, "prices.standard");
    }

    #[test]
    fn unknown_zones_and_negative_prices_are_refused() {
        let hall = zones(&["front"]);
        let error =
            PriceList::parse(&prices(&[("front", 6000), ("balcony", 1000)]), &hall).unwrap_err();
        assert_eq!(error.field, "prices.balcony");
        let error = PriceList::parse(&prices(&[("front", -5)]), &hall).unwrap_err();
        assert_eq!(error.field, "prices.front");
    }

    #[test]
    fn a_cancelled_performance_stays_cancelled() {
        assert!(Status::Draft.can_become(Status::Published));
        assert!(Status::Published.can_become(Status::Cancelled));
        assert!(!Status::Cancelled.can_become(Status::Published));
        assert!(Status::Cancelled.can_become(Status::Cancelled));
    }
}

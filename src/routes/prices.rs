//! Prices as the scheduling requests carry them: whole tenge per zone, and the concessions.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::prices::{Concessions, TicketType};

/// A price in whole tenge, 0 to 10 000 000.
#[derive(Deserialize, Clone, Copy)]
#[serde(transparent)]
pub struct Price(i64);

impl utoipa::PartialSchema for Price {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(0))
            .maximum(Some(crate::domain::Tenge::MAX_PRICE))
            .description(Some("Whole tenge"))
            .into()
    }
}

impl ToSchema for Price {}

/// Prices as the use cases take them; whether each zone is the hall's is theirs to say.
pub(super) fn amounts(prices: BTreeMap<String, Price>) -> BTreeMap<String, i64> {
    prices
        .into_iter()
        .map(|(zone, Price(amount))| (zone, amount))
        .collect()
}

/// Concession prices per zone in whole tenge, each at most the zone's full price.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ConcessionPrices {
    student: Option<BTreeMap<String, Price>>,
    pensioner: Option<BTreeMap<String, Price>>,
    child: Option<BTreeMap<String, Price>>,
}

impl ConcessionPrices {
    /// As the use cases take them: type → zone → tenge.
    pub(super) fn amounts(self) -> Concessions {
        [
            (TicketType::Student, self.student),
            (TicketType::Pensioner, self.pensioner),
            (TicketType::Child, self.child),
        ]
        .into_iter()
        .filter_map(|(kind, prices)| Some((kind.as_str().to_owned(), amounts(prices?))))
        .collect()
    }
}

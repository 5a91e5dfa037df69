//! The names of each hall's price zones, per language.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

use super::DbConnection;
use super::schema::{performances, zone_names};
use crate::domain::zone_names::{ZoneName, ZoneNames};

type NameRow = (i32, String, Option<String>, Option<String>, Option<String>);

fn decode(rows: Vec<NameRow>) -> HashMap<i32, ZoneNames> {
    let mut by_venue: HashMap<i32, BTreeMap<String, ZoneName>> = HashMap::new();
    for (venue_id, zone, ru, kk, en) in rows {
        by_venue
            .entry(venue_id)
            .or_default()
            .insert(zone, ZoneName { ru, kk, en });
    }
    by_venue
        .into_iter()
        .map(|(venue, names)| (venue, ZoneNames::from_stored(names)))
        .collect()
}

/// One hall's zone names (none given: all zones read as their keys).
pub fn of_venue(conn: &mut DbConnection, venue_id: i32) -> QueryResult<ZoneNames> {
    Ok(of_venues(conn, &[venue_id])?
        .remove(&venue_id)
        .unwrap_or_default())
}

/// The zone names of these halls, in one query.
pub fn of_venues(
    conn: &mut DbConnection,
    venue_ids: &[i32],
) -> QueryResult<HashMap<i32, ZoneNames>> {
    let rows: Vec<NameRow> = zone_names::table
        .filter(zone_names::venue_id.eq_any(venue_ids))
        .select((
            zone_names::venue_id,
            zone_names::zone,
            zone_names::name_ru,
            zone_names::name_kk,
            zone_names::name_en,
        ))
        .load(conn)?;
    Ok(decode(rows))
}

/// Replaces a hall's zone names with `names`, and counts a change of every seat map of the
/// hall's performances, so that no map is served from memory with the old names. Call inside
/// a write transaction.
pub fn replace(conn: &mut DbConnection, venue_id: i32, names: &ZoneNames) -> QueryResult<()> {
    diesel::delete(zone_names::table.filter(zone_names::venue_id.eq(venue_id))).execute(conn)?;
    for (zone, name) in names.iter() {
        diesel::insert_into(zone_names::table)
            .values((
                zone_names::venue_id.eq(venue_id),
                zone_names::zone.eq(zone),
                zone_names::name_ru.eq(&name.ru),
                zone_names::name_kk.eq(&name.kk),
                zone_names::name_en.eq(&name.en),
            ))
            .execute(conn)?;
    }
    diesel::update(performances::table.filter(performances::venue_id.eq(venue_id)))
        .set(performances::seats_version.eq(performances::seats_version + 1))
        .execute(conn)?;
    Ok(())
}

/// The zone names of the hall a performance is staged in.
pub fn of_performance(conn: &mut DbConnection, performance_id: i32) -> QueryResult<ZoneNames> {
    let venue_id: Option<i32> = performances::table
        .find(performance_id)
        .select(performances::venue_id)
        .first(conn)
        .optional()?;
    match venue_id {
        Some(venue_id) => of_venue(conn, venue_id),
        None => Ok(ZoneNames::default()),
    }
}

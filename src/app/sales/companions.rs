//! Wheelchair spaces and their companion seats. A space is sold with its companion seat when the
//! buyer asks for it; a companion seat is sold only with its space until
//! `booking.companion_release_hours` before the start, and then as an ordinary seat. Every sale
//! (online, at the door, an exchange, an offer to the waiting list) goes through [`seats_to_sell`].

use chrono::{DateTime, Duration, Utc};

use crate::app::{Context, Error};
use crate::db::venues::SeatRow;

impl Context {
    /// When companion seats of a performance starting at `starts_at` go on sale on their own.
    pub fn companion_release(&self, starts_at: DateTime<Utc>) -> DateTime<Utc> {
        starts_at - Duration::hours(i64::from(self.booking.companion_release_hours))
    }

    /// Whether companion seats are still kept for their wheelchair spaces at `now`.
    pub fn companions_kept(&self, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now < self.companion_release(starts_at)
    }
}

/// The seats a sale takes: those picked and, `with_companions`, the companion seat of each
/// picked wheelchair space, in id order. While companions are `kept`, a companion seat picked
/// without its space is refused ([`Error::CompanionSeat`], naming it).
pub fn seats_to_sell(
    plan: &[SeatRow],
    mut seat_ids: Vec<i32>,
    with_companions: bool,
    kept: bool,
    release_hours: u32,
) -> Result<Vec<i32>, Error> {
    if with_companions {
        let companions: Vec<i32> = plan
            .iter()
            .filter(|seat| {
                seat.companion_of
                    .is_some_and(|space| seat_ids.contains(&space))
            })
            .map(|seat| seat.id)
            .collect();
        seat_ids.extend(companions);
    }
    seat_ids.sort_unstable();
    seat_ids.dedup();
    if kept {
        let alone: Vec<i32> = plan
            .iter()
            .filter(|seat| seat_ids.contains(&seat.id))
            .filter(|seat| {
                seat.companion_of
                    .is_some_and(|space| !seat_ids.contains(&space))
            })
            .map(|seat| seat.id)
            .collect();
        if !alone.is_empty() {
            return Err(Error::CompanionSeat {
                seat_ids: alone,
                release_hours,
            });
        }
    }
    Ok(seat_ids)
}

/// Whether `seat` may be sold on its own at this point: any seat but a companion seat still
/// kept for its space.
pub fn sold_alone(seat: &SeatRow, kept: bool) -> bool {
    !(kept && seat.is_companion())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(id: i32, companion_of: Option<i32>) -> SeatRow {
        SeatRow {
            id,
            venue_id: 1,
            row_number: 6,
            seat_number: id,
            zone: "standard".into(),
            x: 0,
            y: 0,
            accessible: companion_of.is_none() && id <= 2,
            companion_of,
        }
    }

    fn plan() -> Vec<SeatRow> {
        vec![
            seat(1, None),
            seat(2, None),
            seat(3, Some(1)),
            seat(4, Some(2)),
            seat(5, None),
        ]
    }

    #[test]
    fn a_space_with_a_companion_takes_its_companion_seat() {
        assert_eq!(
            seats_to_sell(&plan(), vec![1], true, true, 24).unwrap(),
            [1, 3]
        );
        assert_eq!(
            seats_to_sell(&plan(), vec![1, 2, 5], true, true, 24).unwrap(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            seats_to_sell(&plan(), vec![1], false, true, 24).unwrap(),
            [1],
            "alone"
        );
    }

    #[test]
    fn a_companion_seat_alone_waits_for_its_release() {
        match seats_to_sell(&plan(), vec![3, 5], false, true, 24) {
            Err(Error::CompanionSeat {
                seat_ids,
                release_hours,
            }) => {
                assert_eq!((seat_ids, release_hours), (vec![3], 24))
            }
            other => panic!("refused, not {other:?}"),
        }
        assert_eq!(
            seats_to_sell(&plan(), vec![1, 3], false, true, 24).unwrap(),
            [1, 3]
        );
        assert_eq!(
            seats_to_sell(&plan(), vec![3, 5], false, false, 24).unwrap(),
            [3, 5],
            "released: an ordinary seat"
        );
    }
}

//! Wheelchair spaces and their companion seats. A space is sold with its companion seat when the
//! buyer asks for it; a companion seat is sold only with its space until
//! `booking.companion_release_hours` before the start, and then as an ordinary seat. Every sale
//! (online, at the door, an exchange) goes through [`Rule::seats_to_sell`]; what a performance
//! has free (for its page, its waiting list and the offers) is [`Rule::free_seats`].

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use crate::app::{Context, Error};
use crate::db::claims::Claim;
use crate::db::venues::SeatRow;

/// The companion-seat rule for one performance at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Whether companion seats are still kept for their wheelchair spaces.
    kept: bool,
    release_hours: u32,
}

impl Context {
    /// The rule for a performance starting at `starts_at`, at `now`: companion seats are kept
    /// until `booking.companion_release_hours` before the start.
    pub fn companion_rule(&self, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Rule {
        let release_hours = self.booking.companion_release_hours;
        Rule {
            kept: now < starts_at - Duration::hours(i64::from(release_hours)),
            release_hours,
        }
    }
}

impl Rule {
    /// The seats a sale takes: those picked and, `with_companions`, the companion seat of each
    /// picked wheelchair space, in id order. While companions are kept, a companion seat picked
    /// without its space is refused ([`Error::CompanionSeat`], naming it).
    pub fn seats_to_sell(
        self,
        plan: &[SeatRow],
        mut seat_ids: Vec<i32>,
        with_companions: bool,
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
        let alone: Vec<i32> = plan
            .iter()
            .filter(|seat| seat_ids.contains(&seat.id) && !self.sold_alone(seat))
            .filter(|seat| {
                seat.companion_of
                    .is_some_and(|space| !seat_ids.contains(&space))
            })
            .map(|seat| seat.id)
            .collect();
        if !alone.is_empty() {
            return Err(Error::CompanionSeat {
                seat_ids: alone,
                release_hours: self.release_hours,
            });
        }
        Ok(seat_ids)
    }

    /// Whether `seat` may be sold on its own now: any seat but a companion seat still kept.
    pub fn sold_alone(self, seat: &SeatRow) -> bool {
        !(self.kept && seat.is_companion())
    }

    /// The seats of `plan` that nobody claims (`live`) and that may be sold on their own: what
    /// a performance has free, for its page, its waiting list and the offers to it.
    pub fn free_seats<'a>(
        self,
        plan: &'a [SeatRow],
        live: &'a HashMap<i32, Claim>,
    ) -> impl Iterator<Item = &'a SeatRow> + 'a {
        plan.iter()
            .filter(move |seat| !live.contains_key(&seat.id) && self.sold_alone(seat))
    }
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

    const KEPT: Rule = Rule {
        kept: true,
        release_hours: 24,
    };
    const RELEASED: Rule = Rule {
        kept: false,
        release_hours: 24,
    };

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
        assert_eq!(KEPT.seats_to_sell(&plan(), vec![1], true).unwrap(), [1, 3]);
        assert_eq!(
            KEPT.seats_to_sell(&plan(), vec![1, 2, 5], true).unwrap(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(
            KEPT.seats_to_sell(&plan(), vec![1], false).unwrap(),
            [1],
            "alone"
        );
    }

    #[test]
    fn a_companion_seat_alone_waits_for_its_release() {
        match KEPT.seats_to_sell(&plan(), vec![3, 5], false) {
            Err(Error::CompanionSeat {
                seat_ids,
                release_hours,
            }) => {
                assert_eq!((seat_ids, release_hours), (vec![3], 24))
            }
            other => panic!("refused, not {other:?}"),
        }
        assert_eq!(
            KEPT.seats_to_sell(&plan(), vec![1, 3], false).unwrap(),
            [1, 3]
        );
        assert_eq!(
            RELEASED.seats_to_sell(&plan(), vec![3, 5], false).unwrap(),
            [3, 5],
            "released: an ordinary seat"
        );
    }
}

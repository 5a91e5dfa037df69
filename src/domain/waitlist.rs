//! The waiting list's vocabulary: an entry's place in its life, how many seats it may ask for,
//! and which free seats an offer takes.

use super::Invalid;
use super::stored::stored_enum;

/// The most seats one waiting-list entry may ask for.
pub const MAX_SEATS: i32 = 4;

stored_enum! {
    /// Where an entry is: in line, holding an offer, or done one way or another.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum EntryStatus as "waiting-list status" {
        /// In line for seats.
        Waiting = "waiting",
        /// Seats are held for the entry until its offer runs out.
        Offered = "offered",
        /// The offer became a booking.
        Booked = "booked",
        /// The offer ran out unbooked; the seats went to the next in line.
        Lapsed = "lapsed",
        /// Left the list from the link in its mail.
        Left = "left",
    }
}

impl EntryStatus {
    /// Whether the entry may still get seats (or has them held).
    pub fn is_open(self) -> bool {
        matches!(self, EntryStatus::Waiting | EntryStatus::Offered)
    }
}

/// How many seats an entry asks for: 1 to [`MAX_SEATS`].
pub fn wanted_seats(seats: i32) -> Result<i32, Invalid> {
    if (1..=MAX_SEATS).contains(&seats) {
        Ok(seats)
    } else {
        Err(Invalid::new(
            "seats",
            format!("ask for 1 to {MAX_SEATS} seats"),
        ))
    }
}

/// A free seat an offer may take, where it is in the hall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreeSeat {
    pub id: i32,
    pub row: i32,
    pub number: i32,
}

/// Picks `wanted` of the free seats for one offer: side by side in one row if any row has them
/// (the front-most such row, then the lowest numbers), otherwise the first free seats in plan
/// order (row, then number). `None` if fewer than `wanted` are free. The seats taken are removed
/// from `free`, so the next offer cannot be given them.
pub fn take_seats(free: &mut Vec<FreeSeat>, wanted: usize) -> Option<Vec<i32>> {
    if wanted == 0 || free.len() < wanted {
        return None;
    }
    free.sort_by_key(|seat| (seat.row, seat.number));
    let together = (0..=free.len() - wanted).find(|&start| {
        let run = &free[start..start + wanted];
        run.windows(2)
            .all(|pair| pair[0].row == pair[1].row && pair[1].number == pair[0].number + 1)
    });
    let start = together.unwrap_or(0);
    let taken: Vec<FreeSeat> = match together {
        Some(_) => free.drain(start..start + wanted).collect(),
        None => free.drain(..wanted).collect(),
    };
    Some(taken.into_iter().map(|seat| seat.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(id: i32, row: i32, number: i32) -> FreeSeat {
        FreeSeat { id, row, number }
    }

    #[test]
    fn an_entry_asks_for_one_to_four_seats() {
        assert_eq!(wanted_seats(1), Ok(1));
        assert_eq!(wanted_seats(4), Ok(4));
        assert_eq!(wanted_seats(0).unwrap_err().field, "seats");
        assert_eq!(wanted_seats(5).unwrap_err().field, "seats");
    }

    #[test]
    fn an_offer_takes_seats_side_by_side_when_a_row_has_them() {
        // Row 1 has 1 and 3 (a gap); row 2 has 4 and 5 together.
        let mut free = vec![
            seat(13, 1, 3),
            seat(11, 1, 1),
            seat(25, 2, 5),
            seat(24, 2, 4),
        ];
        assert_eq!(take_seats(&mut free, 2), Some(vec![24, 25]));
        assert_eq!(free, vec![seat(11, 1, 1), seat(13, 1, 3)]);
    }

    #[test]
    fn without_seats_together_an_offer_takes_the_first_free_ones() {
        let mut free = vec![seat(13, 1, 3), seat(11, 1, 1), seat(27, 2, 7)];
        assert_eq!(take_seats(&mut free, 2), Some(vec![11, 13]));
        assert_eq!(free, vec![seat(27, 2, 7)]);
    }

    #[test]
    fn an_offer_never_takes_more_seats_than_are_free() {
        let mut free = vec![seat(11, 1, 1)];
        assert_eq!(take_seats(&mut free, 2), None);
        assert_eq!(
            free.len(),
            1,
            "nothing is taken when the entry does not fit"
        );
        assert_eq!(take_seats(&mut free, 1), Some(vec![11]));
        assert!(free.is_empty());
    }
}

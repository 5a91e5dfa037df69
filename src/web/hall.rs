//! The hall drawn as the audience sees it: seats placed by the plan's (x, y), zones in distinct
//! colours, row numbers, the stage, wheelchair places, and every seat labelled for screen
//! readers. The performance page and the director's seat-plan preview share it.

use minijinja::{Value, context};

use crate::db::claims::Claim;
use crate::db::venues::SeatRow;
use crate::domain::Tenge;
use crate::domain::booking::Language;
use crate::domain::seat_plan::SeatStatus;
use crate::i18n::t;

/// Zone colours, in the order zones first appear; dark enough for white text and for contrast
/// with the grey of unavailable seats.
const ZONE_COLOURS: [&str; 6] = [
    "#8a1c2b", "#1f5f99", "#2f6f3e", "#7a4b00", "#5b3a8c", "#00646e",
];
const UNAVAILABLE: &str = "#c9c9c9";
const MARGIN: i32 = 10;
/// Room on the left for the row numbers.
const ROW_LABELS: i32 = 28;
const STAGE_GAP: i32 = 40;
const SEAT: i32 = 30;

/// One seat to draw.
pub struct PlacedSeat<'a> {
    pub id: i32,
    pub row: i32,
    pub number: i32,
    pub zone: &'a str,
    pub x: i32,
    pub y: i32,
    pub accessible: bool,
    /// A companion seat of a wheelchair space.
    pub companion: bool,
    pub status: SeatStatus,
}

impl<'a> PlacedSeat<'a> {
    /// A stored seat, in the state its live claim (if any) gives it.
    pub fn of(seat: &'a SeatRow, claim: Option<&Claim>) -> PlacedSeat<'a> {
        PlacedSeat {
            id: seat.id,
            row: seat.row_number,
            number: seat.seat_number,
            zone: &seat.zone,
            x: seat.x,
            y: seat.y,
            accessible: seat.accessible,
            companion: seat.is_companion(),
            status: Claim::status(claim),
        }
    }
}

/// The drawing's template values: `seats`, `rows`, `zones` (the legend), `width`, `height`.
/// `price` gives a zone's price, if the drawing shows prices.
pub fn draw(
    lang: Language,
    seats: &[PlacedSeat<'_>],
    price: impl Fn(&str) -> Option<Tenge>,
) -> Value {
    let mut zones: Vec<&str> = Vec::new();
    for seat in seats {
        if !zones.contains(&seat.zone) {
            zones.push(seat.zone);
        }
    }
    let colour = |zone: &str| {
        let index = zones.iter().position(|z| *z == zone).unwrap_or(0);
        ZONE_COLOURS[index % ZONE_COLOURS.len()]
    };
    let min_x = seats.iter().map(|s| s.x).min().unwrap_or(0);
    let min_y = seats.iter().map(|s| s.y).min().unwrap_or(0);
    let width =
        seats.iter().map(|s| s.x - min_x).max().unwrap_or(0) + SEAT + 2 * MARGIN + ROW_LABELS;
    let height = seats.iter().map(|s| s.y - min_y).max().unwrap_or(0) + SEAT + STAGE_GAP + MARGIN;
    let seat_views: Vec<Value> = seats
        .iter()
        .map(|seat| {
            let available = seat.status == SeatStatus::Available;
            let mut args = vec![
                ("row", seat.row.to_string()),
                ("number", seat.number.to_string()),
                ("zone", seat.zone.to_owned()),
                (
                    "status",
                    t(lang, &format!("page-status-{}", seat.status.as_str()), &[]),
                ),
            ];
            let key = match price(seat.zone) {
                Some(price) => {
                    args.push(("price", price.to_string()));
                    "page-seat-label"
                }
                None => "page-seat-label-plan",
            };
            let label = t(lang, key, &args);
            context! {
                id => seat.id,
                number => seat.number,
                zone => seat.zone,
                price => price(seat.zone).map(|p| p.amount()),
                x => seat.x - min_x + MARGIN + ROW_LABELS,
                y => seat.y - min_y + STAGE_GAP,
                accessible => seat.accessible,
                companion => seat.companion,
                status => seat.status.as_str(),
                fill => if available { colour(seat.zone) } else { UNAVAILABLE },
                text => if available { "#fff" } else { "#1b1b1b" },
                label => match (seat.accessible, seat.companion) {
                    (true, _) => format!("{label} ({})", t(lang, "page-accessible", &[])),
                    (_, true) => format!("{label} ({})", t(lang, "page-companion", &[])),
                    _ => label,
                },
            }
        })
        .collect();
    let mut rows: Vec<(i32, i32)> = seats
        .iter()
        .map(|s| (s.row, s.y - min_y + STAGE_GAP))
        .collect();
    rows.sort_unstable();
    rows.dedup_by_key(|(row, _)| *row);
    let row_views: Vec<Value> = rows
        .into_iter()
        .map(|(row, y)| context! { row => row, y => y + 20 })
        .collect();
    let zone_views: Vec<Value> = zones
        .iter()
        .map(|zone| {
            context! {
                name => *zone,
                colour => colour(zone),
                price => price(zone).map(|p| p.to_string()),
                seats => seats.iter().filter(|s| s.zone == *zone).count(),
            }
        })
        .collect();
    context! {
        seats => seat_views,
        rows => row_views,
        zones => zone_views,
        companions => seats.iter().any(|s| s.companion),
        width => width,
        height => height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_colours_are_distinct() {
        let mut colours = ZONE_COLOURS.to_vec();
        colours.sort_unstable();
        colours.dedup();
        assert_eq!(colours.len(), ZONE_COLOURS.len());
    }

    /// WCAG's contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn seat_numbers_are_readable_on_every_seat_colour() {
        for zone in ZONE_COLOURS {
            assert!(
                contrast(zone, "#ffffff") >= 4.5,
                "white on {zone}: {:.2}",
                contrast(zone, "#ffffff")
            );
        }
        assert!(
            contrast(UNAVAILABLE, "#1b1b1b") >= 4.5,
            "dark text on a taken seat"
        );
    }

    #[test]
    fn the_drawing_starts_at_the_plans_corner_and_gives_each_zone_its_colour() {
        let seat = |id, row, number, zone, x, y| PlacedSeat {
            id,
            row,
            number,
            zone,
            x,
            y,
            accessible: false,
            companion: false,
            status: SeatStatus::Available,
        };
        let seats = [
            seat(1, 1, 1, "front", 100, 200),
            seat(2, 1, 2, "front", 140, 200),
            seat(3, 2, 1, "back", 100, 240),
        ];
        let drawing = draw(Language::En, &seats, |_| None);
        let first = drawing
            .get_attr("seats")
            .unwrap()
            .get_item_by_index(0)
            .unwrap();
        assert_eq!(
            first.get_attr("x").unwrap(),
            Value::from(MARGIN + ROW_LABELS)
        );
        assert_eq!(first.get_attr("y").unwrap(), Value::from(STAGE_GAP));
        assert_eq!(
            drawing.get_attr("width").unwrap(),
            Value::from(40 + SEAT + 2 * MARGIN + ROW_LABELS)
        );
        let zones = drawing.get_attr("zones").unwrap();
        assert_eq!(zones.len(), Some(2));
        assert_ne!(
            zones
                .get_item_by_index(0)
                .unwrap()
                .get_attr("colour")
                .unwrap(),
            zones
                .get_item_by_index(1)
                .unwrap()
                .get_attr("colour")
                .unwrap()
        );
        assert_eq!(
            zones
                .get_item_by_index(0)
                .unwrap()
                .get_attr("seats")
                .unwrap(),
            Value::from(2)
        );
    }
}

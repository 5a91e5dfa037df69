//! The hall drawn as the audience sees it: seats placed by the plan's (x, y), zones in distinct
//! colours, row numbers, the stage, wheelchair places, and every seat labelled for screen
//! readers. The performance page and the director's seat-plan preview share it.

use minijinja::{Value, context};

use crate::db::claims::Claim;
use crate::db::venues::SeatRow;
use crate::domain::Tenge;
use crate::domain::booking::Language;
use crate::domain::seat_plan::SeatStatus;
use crate::domain::zone_names::ZoneNames;
use crate::i18n::t;

/// Zone colours, in the order zones first appear; dark enough for white text and for contrast
/// with the grey of unavailable seats.
const ZONE_COLOURS: [&str; 6] = [
    "#8a1c2b", "#1f5f99", "#2f6f3e", "#7a4b00", "#5b3a8c", "#00646e",
];
const UNAVAILABLE: &str = "#c9c9c9";
/// Room around the seats: at least what a seat's tap area reaches beyond its square.
const MARGIN: i32 = 6;
/// Room on the left for the row numbers.
const ROW_LABELS: i32 = 22;
const STAGE_GAP: i32 = 40;
const SEAT: i32 = 30;
/// The most a seat's tap area reaches into the gap around it: up to half the gap to its
/// neighbours, so tap areas meet but do not overlap.
const MAX_TAP: i32 = SEAT + 2 * MARGIN;

/// The side of each seat's square tap area: the seat and half the gap to its nearest
/// neighbour on either side (in the row, and to the next row), never less than the seat.
fn tap_size(seats: &[PlacedSeat<'_>]) -> i32 {
    let nearest = |gaps: &mut dyn Iterator<Item = i32>| gaps.filter(|d| *d > 0).min();
    let mut by_row: Vec<(i32, i32)> = seats.iter().map(|s| (s.y, s.x)).collect();
    by_row.sort_unstable();
    let across = nearest(
        &mut by_row
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| w[1].1 - w[0].1),
    );
    let mut ys: Vec<i32> = seats.iter().map(|s| s.y).collect();
    ys.sort_unstable();
    ys.dedup();
    let down = nearest(&mut ys.windows(2).map(|w| w[1] - w[0]));
    [across, down]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(MAX_TAP)
        .clamp(SEAT, MAX_TAP)
}

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
    names: &ZoneNames,
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
    let tap = tap_size(seats);
    let seat_views: Vec<Value> = seats
        .iter()
        .map(|seat| {
            let available = seat.status == SeatStatus::Available;
            let mut args = vec![
                ("row", seat.row.to_string()),
                ("number", seat.number.to_string()),
                ("zone", names.read_in(seat.zone, lang).to_owned()),
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
                row => seat.row,
                name => t(lang, "page-seat-name", &[("row", seat.row.to_string()), ("number", seat.number.to_string())]),
                zone => seat.zone,
                zone_name => names.read_in(seat.zone, lang),
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
                key => *zone,
                name => names.read_in(zone, lang),
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
        wheelchairs => seats.iter().any(|s| s.accessible),
        companions => seats.iter().any(|s| s.companion),
        width => width,
        height => height,
        tap => tap,
        tap_pad => (tap - SEAT) / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat_at(x: i32, y: i32) -> PlacedSeat<'static> {
        PlacedSeat {
            id: 1,
            row: 1,
            number: 1,
            zone: "front",
            x,
            y,
            accessible: false,
            companion: false,
            status: SeatStatus::Available,
        }
    }

    #[test]
    fn a_seats_tap_area_reaches_half_way_to_its_nearest_neighbour() {
        // 40 apart in the row, 45 between rows: the row decides.
        let hall = [
            seat_at(0, 0),
            seat_at(40, 0),
            seat_at(110, 0),
            seat_at(0, 45),
        ];
        assert_eq!(tap_size(&hall), 40);
        // Seats drawn closer than their size still get the seat's own square.
        assert_eq!(tap_size(&[seat_at(0, 0), seat_at(20, 0)]), SEAT);
        // A lone seat, or seats far apart, get at most the margin around them.
        assert_eq!(tap_size(&[seat_at(0, 0)]), MAX_TAP);
        assert_eq!(tap_size(&[seat_at(0, 0), seat_at(500, 0)]), MAX_TAP);
    }

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
        let drawing = draw(Language::En, &seats, &ZoneNames::default(), |_| None);
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

    #[test]
    fn the_legend_explains_a_wheelchair_space_only_where_the_hall_has_one() {
        let plain = [seat_at(0, 0), seat_at(40, 0)];
        let drawn = draw(Language::En, &plain, &ZoneNames::default(), |_| None);
        assert_eq!(drawn.get_attr("wheelchairs").unwrap(), Value::from(false));
        let space = PlacedSeat {
            accessible: true,
            ..seat_at(80, 0)
        };
        let with_space = [seat_at(0, 0), space];
        let drawn = draw(Language::En, &with_space, &ZoneNames::default(), |_| None);
        assert_eq!(drawn.get_attr("wheelchairs").unwrap(), Value::from(true));
    }
}

//! Money: whole Kazakhstani tenge, never floats.

use std::fmt;

use super::Invalid;

/// An amount in whole tenge (KZT, ₸), never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Tenge(i64);

impl Tenge {
    /// The most one ticket may cost: far above any theater price, far below overflow.
    pub const MAX_PRICE: i64 = 10_000_000;

    pub fn price(field: &str, amount: i64) -> Result<Tenge, Invalid> {
        if (0..=Self::MAX_PRICE).contains(&amount) {
            Ok(Tenge(amount))
        } else {
            Err(Invalid::new(
                field,
                format!(
                    "must be a whole number of tenge from 0 to {}",
                    Self::MAX_PRICE
                ),
            ))
        }
    }

    /// An amount read back from storage, where the database's CHECK already holds.
    pub fn from_stored(amount: i64) -> Tenge {
        Tenge(amount)
    }

    pub fn amount(self) -> i64 {
        self.0
    }
}

impl std::iter::Sum for Tenge {
    fn sum<I: Iterator<Item = Tenge>>(iter: I) -> Tenge {
        Tenge(iter.map(|t| t.0).sum())
    }
}

impl fmt::Display for Tenge {
    /// «4 500 ₸»: thousands grouped by a no-break space, as in Russian and Kazakh.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 2 + 4);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(digit);
        }
        write!(f, "{grouped}\u{a0}₸")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_with_grouped_thousands() {
        assert_eq!(Tenge::from_stored(4500).to_string(), "4\u{a0}500\u{a0}₸");
        assert_eq!(
            Tenge::from_stored(120_000).to_string(),
            "120\u{a0}000\u{a0}₸"
        );
        assert_eq!(
            Tenge::from_stored(1_250_000).to_string(),
            "1\u{a0}250\u{a0}000\u{a0}₸"
        );
        assert_eq!(Tenge::from_stored(0).to_string(), "0\u{a0}₸");
    }

    #[test]
    fn prices_are_whole_non_negative_and_bounded() {
        assert_eq!(Tenge::price("p", 6000).unwrap().amount(), 6000);
        assert!(Tenge::price("p", -1).is_err());
        assert!(Tenge::price("p", Tenge::MAX_PRICE + 1).is_err());
    }
}

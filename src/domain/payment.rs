//! Money taken and given back: a booking's payments and refunds are records, and its payment
//! state is derived from them and its total, here and nowhere else.

use super::stored::stored_enum;

stored_enum! {
    /// How money came in or went back.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
        serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Method as "payment method" {
        Cash = "cash",
        Card = "card",
        /// A Kaspi QR payment or transfer.
        Kaspi = "kaspi",
        /// A bank transfer, e.g. a group paying by invoice.
        Transfer = "transfer",
    }
}

stored_enum! {
    /// Money in (`payment`) or money back (`refund`).
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
        utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum Kind as "payment kind" {
        Payment = "payment",
        Refund = "refund",
    }
}

stored_enum! {
    /// How a sale at the door is settled: paid on the spot, or complimentary.
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    pub enum DoorPayment as "door payment" {
        Cash = "cash",
        Card = "card",
        Kaspi = "kaspi",
        Comp = "comp",
    }
}

impl DoorPayment {
    /// The method the sale's payment row records; none for a complimentary sale.
    pub fn method(self) -> Option<Method> {
        match self {
            DoorPayment::Cash => Some(Method::Cash),
            DoorPayment::Card => Some(Method::Card),
            DoorPayment::Kaspi => Some(Method::Kaspi),
            DoorPayment::Comp => None,
        }
    }
}

/// Where a booking stands with money.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Nothing paid (a reservation paid at the door), or cancelled with nothing paid.
    Unpaid,
    /// Some paid, the rest due.
    PartlyPaid,
    Paid,
    /// Complimentary: nothing is due.
    Comp,
    /// Cancelled after money came in: that money is owed back.
    RefundDue,
    /// Cancelled, and what was paid has been given back.
    Refunded,
}

impl PaymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentState::Unpaid => "unpaid",
            PaymentState::PartlyPaid => "partly_paid",
            PaymentState::Paid => "paid",
            PaymentState::Comp => "comp",
            PaymentState::RefundDue => "refund_due",
            PaymentState::Refunded => "refunded",
        }
    }
}

/// A booking's money: what it costs, and the sums of its payment and refund rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Account {
    /// Whole tenge.
    pub total: i64,
    pub comp: bool,
    pub cancelled: bool,
    /// The sum of its payments.
    pub paid: i64,
    /// The sum of its refunds.
    pub refunded: i64,
}

/// Why money cannot be recorded against a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A payment for a cancelled booking.
    Cancelled,
    /// More than is due: `due` is what is.
    Overpayment { due: i64 },
    /// A refund of more than was paid and not yet given back.
    RefundTooLarge { refundable: i64 },
}

impl Account {
    /// What came in and stayed.
    pub fn net(&self) -> i64 {
        self.paid - self.refunded
    }

    pub fn state(&self) -> PaymentState {
        let net = self.net();
        if self.comp {
            PaymentState::Comp
        } else if self.cancelled {
            match (net > 0, self.refunded > 0) {
                (true, _) => PaymentState::RefundDue,
                (false, true) => PaymentState::Refunded,
                (false, false) => PaymentState::Unpaid,
            }
        } else if net > self.total {
            // Paid for dearer seats than it now has (an exchange to a cheaper zone).
            PaymentState::RefundDue
        } else if net == self.total {
            PaymentState::Paid
        } else if net > 0 {
            PaymentState::PartlyPaid
        } else {
            PaymentState::Unpaid
        }
    }

    /// What is still to pay: nothing for a cancelled or complimentary booking.
    pub fn due(&self) -> i64 {
        if self.comp || self.cancelled {
            0
        } else {
            (self.total - self.net()).max(0)
        }
    }

    /// What is owed back: what a cancelled booking had paid and not had back, or what a booking
    /// paid beyond its total (after an exchange to cheaper seats).
    pub fn refund_due(&self) -> i64 {
        if self.cancelled {
            self.net().max(0)
        } else if self.comp {
            0
        } else {
            (self.net() - self.total).max(0)
        }
    }

    /// Whether `amount` may be recorded as `kind`.
    pub fn check(&self, kind: Kind, amount: i64) -> Result<(), Refused> {
        match kind {
            Kind::Payment if self.cancelled => Err(Refused::Cancelled),
            Kind::Payment if amount > self.due() => Err(Refused::Overpayment { due: self.due() }),
            Kind::Refund if amount > self.net() => Err(Refused::RefundTooLarge {
                refundable: self.net().max(0),
            }),
            Kind::Payment | Kind::Refund => Ok(()),
        }
    }

    /// The account after recording `amount` as `kind`.
    pub fn with(mut self, kind: Kind, amount: i64) -> Account {
        match kind {
            Kind::Payment => self.paid += amount,
            Kind::Refund => self.refunded += amount,
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(total: i64, paid: i64, refunded: i64) -> Account {
        Account {
            total,
            paid,
            refunded,
            ..Account::default()
        }
    }

    #[test]
    fn the_state_follows_the_rows() {
        assert_eq!(account(9000, 0, 0).state(), PaymentState::Unpaid);
        assert_eq!(account(9000, 4500, 0).state(), PaymentState::PartlyPaid);
        assert_eq!(account(9000, 9000, 0).state(), PaymentState::Paid);
        assert_eq!(account(9000, 9000, 9000).state(), PaymentState::Unpaid);
        assert_eq!(account(0, 0, 0).state(), PaymentState::Paid);
        let comp = Account {
            comp: true,
            ..account(0, 0, 0)
        };
        assert_eq!((comp.state(), comp.due()), (PaymentState::Comp, 0));
    }

    #[test]
    fn a_booking_that_paid_more_than_its_total_is_owed_the_difference() {
        // Paid 6 000 for a front seat, exchanged to a standard one at 4 500.
        let cheaper = account(4500, 6000, 0);
        assert_eq!(cheaper.state(), PaymentState::RefundDue);
        assert_eq!((cheaper.refund_due(), cheaper.due()), (1500, 0));
        let settled = account(4500, 6000, 1500);
        assert_eq!(settled.state(), PaymentState::Paid);
        assert_eq!(settled.refund_due(), 0);
        assert_eq!(account(9000, 4500, 0).refund_due(), 0);
    }

    #[test]
    fn a_cancelled_booking_owes_back_what_it_paid() {
        let cancelled = |paid, refunded| Account {
            cancelled: true,
            ..account(9000, paid, refunded)
        };
        assert_eq!(cancelled(0, 0).state(), PaymentState::Unpaid);
        assert_eq!(cancelled(9000, 0).state(), PaymentState::RefundDue);
        assert_eq!(cancelled(9000, 0).refund_due(), 9000);
        assert_eq!(cancelled(9000, 4000).refund_due(), 5000);
        assert_eq!(cancelled(9000, 9000).state(), PaymentState::Refunded);
        assert_eq!(cancelled(9000, 0).due(), 0);
    }

    #[test]
    fn no_more_is_taken_than_is_due_nor_given_back_than_was_paid() {
        let half = account(9000, 4500, 0);
        assert_eq!(half.due(), 4500);
        assert_eq!(half.check(Kind::Payment, 4500), Ok(()));
        assert_eq!(
            half.check(Kind::Payment, 4501),
            Err(Refused::Overpayment { due: 4500 })
        );
        assert_eq!(half.check(Kind::Refund, 4500), Ok(()));
        assert_eq!(
            half.check(Kind::Refund, 4501),
            Err(Refused::RefundTooLarge { refundable: 4500 })
        );
        let cancelled = Account {
            cancelled: true,
            ..half
        };
        assert_eq!(cancelled.check(Kind::Payment, 1), Err(Refused::Cancelled));
        assert_eq!(half.with(Kind::Payment, 4500).state(), PaymentState::Paid);
    }
}

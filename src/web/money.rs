//! Money on a page: a performance's cash-up as the director's figures and the door's cash-up
//! page show it (the `money.html` partial), every amount in tenge and every label translated.

use minijinja::{Value, context};

use crate::app::cashup::{Cashup, Totals};
use crate::domain::Tenge;
use crate::domain::booking::Language;
use crate::i18n::t;

fn tenge(amount: i64) -> String {
    Tenge::from_stored(amount).to_string()
}

fn totals(totals: &Totals) -> Value {
    context! {
        taken => tenge(totals.taken),
        refunded => tenge(totals.refunded),
        net => tenge(totals.net),
        any_refund => totals.refunded > 0,
    }
}

/// The cash-up, ready for `money.html`.
pub fn money_context(lang: Language, cashup: &Cashup) -> Value {
    let method = |m: crate::domain::payment::Method| t(lang, &format!("page-method-{m}"), &[]);
    let nobody = t(lang, "page-recorded-by-nobody", &[]);
    let owing = |list: &[crate::app::cashup::Owing]| {
        list.iter()
            .map(|o| context! { reference => &o.reference, name => &o.name, amount => tenge(o.amount) })
            .collect::<Vec<_>>()
    };
    context! {
        totals => totals(&cashup.totals),
        by_method => cashup.by_method.iter().map(|m| context! {
            method => method(m.method), totals => totals(&m.totals),
        }).collect::<Vec<_>>(),
        by_recorder => cashup.by_recorder.iter().map(|r| context! {
            by => r.by.clone().unwrap_or_else(|| nobody.clone()),
            method => method(r.method), totals => totals(&r.totals),
        }).collect::<Vec<_>>(),
        walk_up => totals(&cashup.walk_up),
        reservations => totals(&cashup.reservations),
        comps => context! { bookings => cashup.comps.bookings, tickets => cashup.comps.tickets },
        unpaid => owing(&cashup.unpaid),
        unpaid_total => tenge(cashup.unpaid_total),
        refunds_due => owing(&cashup.refunds_due),
        refunds_due_total => tenge(cashup.refunds_due_total),
        payments => cashup.payments.len(),
    }
}

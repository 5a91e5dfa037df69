//! Translation catalogs (Fluent, `i18n/{ru,kk,en}.ftl`, compiled in) and the date formats of
//! each language. No user-facing sentence lives in code.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::domain::VenueZone;
use crate::domain::booking::Language;

const CATALOGS: [(Language, &str); 3] = [
    (Language::Ru, include_str!("../i18n/ru.ftl")),
    (Language::Kk, include_str!("../i18n/kk.ftl")),
    (Language::En, include_str!("../i18n/en.ftl")),
];

fn bundles() -> &'static HashMap<Language, FluentBundle<FluentResource>> {
    static BUNDLES: OnceLock<HashMap<Language, FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        CATALOGS
            .into_iter()
            .map(|(language, source)| {
                let id: unic_langid::LanguageIdentifier =
                    language.as_str().parse().expect("a language tag");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Plain text in mail and pages: no Unicode isolation marks around arguments.
                bundle.set_use_isolating(false);
                let resource =
                    FluentResource::try_new(source.to_owned()).expect("the shipped catalogs parse");
                bundle
                    .add_resource(resource)
                    .expect("no message is defined twice");
                (language, bundle)
            })
            .collect()
    })
}

/// The message `key` in `language`, with `args` filled in. A key missing from a catalog shows
/// as the key itself, which the catalog tests catch.
pub fn t(language: Language, key: &str, args: &[(&str, String)]) -> String {
    let bundle = &bundles()[&language];
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        // Whole numbers go in as numbers, so that messages can choose plural forms.
        match value.parse::<i64>() {
            Ok(number) if !value.starts_with('0') || value == "0" => {
                fluent_args.set(*name, FluentValue::from(number))
            }
            _ => fluent_args.set(*name, FluentValue::from(value.clone())),
        }
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// A performance time as people of `language` write it, in the venue's zone:
/// «11 февраля 2025, 19:00», «2025 жылғы 11 ақпан, 19:00», «11 February 2025, 19:00».
pub fn date_time(language: Language, zone: VenueZone, at: DateTime<Utc>) -> String {
    let local = zone.local(at);
    t(
        language,
        "date-time",
        &[
            ("day", local.day().to_string()),
            (
                "month",
                t(language, &format!("month-{}", local.month()), &[]),
            ),
            ("year", local.year().to_string()),
            ("time", local.format("%H:%M").to_string()),
        ],
    )
}

/// What a booking still has to pay, in the holder's words: nothing, an amount, or an amount
/// and the time (in the venue's zone) after which the unpaid seats are released.
pub fn to_pay(
    language: Language,
    zone: VenueZone,
    due: i64,
    pay_by: Option<DateTime<Utc>>,
) -> String {
    let amount = crate::domain::Tenge::from_stored(due).to_string();
    match pay_by {
        _ if due == 0 => t(language, "mail-nothing-due", &[]),
        Some(at) => t(
            language,
            "mail-pay-by",
            &[
                ("amount", amount),
                ("time", zone.local(at).format("%H:%M").to_string()),
            ],
        ),
        None => t(language, "mail-pay-due", &[("amount", amount)]),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn keys(source: &str) -> Vec<&str> {
        source
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with(' ') && line.contains(" = "))
            .map(|line| line.split(" = ").next().unwrap())
            .collect()
    }

    #[test]
    fn every_catalog_has_the_same_messages() {
        let russian = keys(CATALOGS[0].1);
        for (language, source) in CATALOGS {
            assert_eq!(
                keys(source),
                russian,
                "{language:?} has the same keys in the same order"
            );
        }
    }

    #[test]
    fn the_kazakh_catalog_is_kazakh() {
        let kazakh = CATALOGS[1].1;
        let letters = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і'];
        let with_kazakh_letters = kazakh
            .lines()
            .filter(|l| l.starts_with("mail-") || l.contains("-intro") || l.contains("-subject"))
            .filter(|l| l.chars().any(|c| letters.contains(&c)))
            .count();
        assert!(with_kazakh_letters >= 10, "Kazakh text uses Kazakh letters");
        assert_ne!(
            t(Language::Kk, "mail-seats", &[]),
            t(Language::Ru, "mail-seats", &[])
        );
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let almaty = VenueZone::parse("tz", "Asia/Almaty").unwrap();
        let at = Utc.with_ymd_and_hms(2025, 2, 11, 14, 0, 0).unwrap();
        assert_eq!(
            date_time(Language::Ru, almaty, at),
            "11 февраля 2025, 19:00"
        );
        assert_eq!(
            date_time(Language::Kk, almaty, at),
            "2025 жылғы 11 ақпан, 19:00"
        );
        assert_eq!(
            date_time(Language::En, almaty, at),
            "11 February 2025, 19:00"
        );
        let premiere = Utc.with_ymd_and_hms(2024, 2, 11, 13, 0, 0).unwrap();
        assert_eq!(
            date_time(Language::Ru, almaty, premiere),
            "11 февраля 2024, 19:00"
        );
    }

    #[test]
    fn arguments_are_filled_in() {
        assert_eq!(
            t(
                Language::En,
                "mail-seat",
                &[("row", "3".into()), ("number", "7".into())]
            ),
            "row 3, seat 7"
        );
        assert_eq!(
            t(
                Language::Kk,
                "mail-seat",
                &[("row", "3".into()), ("number", "7".into())]
            ),
            "3-қатар, 7-орын"
        );
    }

    #[test]
    fn counts_take_the_plural_form_of_the_language() {
        let seats = |language, n: i64| t(language, "page-seat-count", &[("seats", n.to_string())]);
        assert_eq!(seats(Language::Ru, 1), "1 место");
        assert_eq!(seats(Language::Ru, 3), "3 места");
        assert_eq!(seats(Language::Ru, 60), "60 мест");
        assert_eq!(seats(Language::Ru, 21), "21 место");
        assert_eq!(seats(Language::En, 1), "1 seat");
        assert_eq!(seats(Language::En, 60), "60 seats");
        assert_eq!(seats(Language::Kk, 60), "60 орын");
    }
}

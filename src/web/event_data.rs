//! What a performance page tells machines: Open Graph and Twitter card tags, so that a link
//! pasted in WhatsApp or Telegram shows the title, date and place, and schema.org
//! `TheaterEvent` JSON-LD for search engines, in the page's language.

use minijinja::{Value, context};
use serde_json::json;

use crate::db::performances::Staged;
use crate::domain::Tenge;
use crate::domain::booking::Language;
use crate::domain::credits::{Credit, CreditKind};
use crate::domain::performance::Status;
use crate::domain::prices::PriceList;
use crate::domain::zone_names::ZoneNames;
use crate::i18n::{date_time, t};

/// What the tags and the JSON-LD are made from.
pub struct Event<'a> {
    pub staged: &'a Staged,
    pub description: &'a str,
    pub prices: &'a PriceList,
    pub names: &'a ZoneNames,
    /// Seats left to book.
    pub free: i32,
    pub on_sale: bool,
    /// The start first scheduled, if the performance has been moved since (RFC 3339).
    pub first_start: Option<String>,
    /// `server.public_url`, without a trailing slash.
    pub public_url: &'a str,
    /// The production's poster, by name.
    pub poster: Option<&'a str>,
    /// The production's credits: the cast are its performers.
    pub credits: &'a [Credit],
}

/// The absolute address of a poster's widest copy, for previews.
pub fn poster_url(public_url: &str, poster: &str) -> String {
    let widest = crate::app::posters::WIDTHS[crate::app::posters::WIDTHS.len() - 1];
    format!("{public_url}/posters/{poster}/{widest}.jpg")
}

/// The Open Graph locale of a language.
pub fn locale(lang: Language) -> &'static str {
    match lang {
        Language::Ru => "ru_RU",
        Language::Kk => "kk_KZ",
        Language::En => "en_US",
    }
}

/// A description short enough for a preview: its first paragraph, cut at a word near 200
/// characters.
pub fn summary(description: &str) -> String {
    let first = description.split("\n\n").next().unwrap_or_default().trim();
    if first.chars().count() <= 200 {
        return first.to_owned();
    }
    let cut: String = first.chars().take(200).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// The page's `meta` values (title, description, url, locale) and its JSON-LD, as a value the
/// layout's head renders.
pub fn event_data(lang: Language, event: &Event<'_>) -> Value {
    let Staged {
        performance,
        venue,
        title,
    } = event.staged;
    let zone = venue.zone();
    let slot = performance.slot();
    let url = format!("{}/performances/{}", event.public_url, performance.id);
    let when = date_time(lang, zone, slot.starts_at);
    let place = format!("{}, {}", venue.name, venue.address);
    let status = match (performance.status, &event.first_start) {
        (Status::Cancelled, _) => "https://schema.org/EventCancelled",
        (_, Some(_)) => "https://schema.org/EventRescheduled",
        _ => "https://schema.org/EventScheduled",
    };
    let availability = if event.on_sale && event.free > 0 {
        "https://schema.org/InStock"
    } else {
        "https://schema.org/SoldOut"
    };
    let full = event.prices.full();
    let offers: Vec<_> = full
        .iter()
        .map(|(zone_key, price)| {
            json!({
                "@type": "Offer",
                "name": event.names.read_in(zone_key, lang),
                "price": price,
                "priceCurrency": "KZT",
                "availability": availability,
                "url": url,
            })
        })
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "TheaterEvent",
        "name": title,
        "description": summary(event.description),
        "url": url,
        "inLanguage": lang.as_str(),
        "startDate": zone.rfc3339(slot.starts_at),
        "endDate": zone.rfc3339(slot.ends_at),
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": venue.name,
            "address": { "@type": "PostalAddress", "streetAddress": venue.address, "addressCountry": "KZ" },
        },
        "organizer": { "@type": "Organization", "name": t(lang, "page-organizer", &[]), "url": event.public_url },
        "offers": offers,
    });
    if let Some(first) = &event.first_start {
        ld["previousStartDate"] = json!(first);
    }
    let performers: Vec<_> = event
        .credits
        .iter()
        .filter(|credit| credit.kind == CreditKind::Cast)
        .map(|credit| json!({ "@type": "Person", "name": credit.name }))
        .collect();
    if !performers.is_empty() {
        ld["performer"] = json!(performers);
    }
    let image = event
        .poster
        .map(|poster| poster_url(event.public_url, poster));
    if let Some(image) = &image {
        ld["image"] = json!(image);
    }
    let lowest = full
        .values()
        .min()
        .map(|p| Tenge::from_stored(*p).to_string());
    let description = match lowest {
        Some(from) => t(
            lang,
            "page-preview-description",
            &[
                ("when", when.clone()),
                ("place", place.clone()),
                ("from", from),
            ],
        ),
        None => format!("{when} · {place}"),
    };
    context! {
        title => format!("{title} — {when}"),
        description => description,
        url => url,
        locale => locale(lang),
        site => t(lang, "page-organizer", &[]),
        image => image,
        json_ld => Value::from(minijinja::value::Serde(&ld)),
    }
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn a_long_description_is_cut_at_a_word_and_only_its_first_paragraph_is_used() {
        assert_eq!(summary("Short.\n\nSecond paragraph."), "Short.");
        let long = "word ".repeat(60);
        let cut = summary(&long);
        assert!(
            cut.ends_with("word…") && cut.chars().count() <= 201,
            "{cut}"
        );
    }
}

//! What a hall's price zones are called, per language: «Партер», "Stalls". The zone's key
//! (`front`) stays what prices, the API and the plan use; people read the name.

use std::collections::{BTreeMap, BTreeSet};

use super::Invalid;
use super::booking::Language;
use super::seat_plan::Zone;

/// A zone's name in each language the audience reads; any may be missing.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ZoneName {
    #[schema(example = "Партер", max_length = 60)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[schema(example = "Партер", max_length = 60)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<String>,
    #[schema(example = "Stalls", max_length = 60)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl ZoneName {
    /// The name in `language`; else Russian, English, Kazakh, in that order.
    pub fn read_in(&self, language: Language) -> Option<&str> {
        let own = match language {
            Language::Ru => &self.ru,
            Language::Kk => &self.kk,
            Language::En => &self.en,
        };
        [own, &self.ru, &self.en, &self.kk]
            .into_iter()
            .find_map(|name| name.as_deref())
    }
}

/// The names of one hall's zones, by zone key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ZoneNames(BTreeMap<String, ZoneName>);

/// The longest a zone's name may be: it sits beside a seat on a phone.
pub const MAX_NAME: usize = 60;

impl ZoneNames {
    /// Checks names given for a hall whose plan has `zones`: every name 1 to 60 characters
    /// once trimmed (blank means none), and only zones the plan has.
    pub fn parse(
        given: &BTreeMap<String, ZoneName>,
        zones: &BTreeSet<Zone>,
    ) -> Result<ZoneNames, Invalid> {
        let mut names = BTreeMap::new();
        for (zone, name) in given {
            let field = format!("zone_names.{zone}");
            if !zones.iter().any(|z| z.as_str() == zone) {
                return Err(Invalid::new(
                    &field,
                    format!("the plan has no zone `{zone}`"),
                ));
            }
            let check = |language: &str, raw: &Option<String>| -> Result<Option<String>, Invalid> {
                let Some(text) = raw.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
                    return Ok(None);
                };
                if text.chars().count() > MAX_NAME || text.chars().any(char::is_control) {
                    return Err(Invalid::new(
                        format!("{field}.{language}"),
                        format!("a zone's name is 1 to {MAX_NAME} characters on one line"),
                    ));
                }
                Ok(Some(text.to_owned()))
            };
            let name = ZoneName {
                ru: check("ru", &name.ru)?,
                kk: check("kk", &name.kk)?,
                en: check("en", &name.en)?,
            };
            if name != ZoneName::default() {
                names.insert(zone.clone(), name);
            }
        }
        Ok(ZoneNames(names))
    }

    /// As stored: trusted.
    pub fn from_stored(names: BTreeMap<String, ZoneName>) -> ZoneNames {
        ZoneNames(names)
    }

    /// What people reading `language` call `zone`: its name, or its key when it has none.
    pub fn read_in<'a>(&'a self, zone: &'a str, language: Language) -> &'a str {
        self.0
            .get(zone)
            .and_then(|name| name.read_in(language))
            .unwrap_or(zone)
    }

    pub fn get(&self, zone: &str) -> Option<&ZoneName> {
        self.0.get(zone)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &ZoneName)> {
        self.0.iter()
    }

    pub fn as_map(&self) -> &BTreeMap<String, ZoneName> {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zones() -> BTreeSet<Zone> {
        ["front", "standard"]
            .into_iter()
            .map(|z| Zone::parse("zone", z).unwrap())
            .collect()
    }

    fn named(ru: Option<&str>, kk: Option<&str>, en: Option<&str>) -> ZoneName {
        ZoneName {
            ru: ru.map(str::to_owned),
            kk: kk.map(str::to_owned),
            en: en.map(str::to_owned),
        }
    }

    #[test]
    fn a_zone_reads_in_the_readers_language_then_falls_back() {
        let given = BTreeMap::from([(
            "front".to_owned(),
            named(Some(" Партер "), None, Some("Stalls")),
        )]);
        let names = ZoneNames::parse(&given, &zones()).unwrap();
        assert_eq!(names.read_in("front", Language::Ru), "Партер");
        assert_eq!(names.read_in("front", Language::En), "Stalls");
        assert_eq!(
            names.read_in("front", Language::Kk),
            "Партер",
            "Russian before English"
        );
        assert_eq!(
            names.read_in("standard", Language::Kk),
            "standard",
            "no name: the key"
        );
    }

    #[test]
    fn names_for_zones_the_plan_lacks_or_too_long_are_refused() {
        let unknown = BTreeMap::from([("balcony".to_owned(), named(Some("Балкон"), None, None))]);
        assert_eq!(
            ZoneNames::parse(&unknown, &zones()).unwrap_err().field,
            "zone_names.balcony"
        );
        let long = BTreeMap::from([("front".to_owned(), named(None, None, Some(&"x".repeat(61))))]);
        assert_eq!(
            ZoneNames::parse(&long, &zones()).unwrap_err().field,
            "zone_names.front.en"
        );
        let blank = BTreeMap::from([("front".to_owned(), named(Some("  "), None, None))]);
        assert_eq!(
            ZoneNames::parse(&blank, &zones()).unwrap(),
            ZoneNames::default(),
            "blank is none"
        );
    }
}

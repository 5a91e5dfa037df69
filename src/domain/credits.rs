//! A production's credits: who made it and who plays in it, each a role and a name, in the
//! order the director gives them.

use super::Invalid;
use super::invalid::{optional_text, required_text};
use super::stored::stored_enum;

stored_enum! {
    #[derive(
        Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
    )]
    #[serde(rename_all = "lowercase")]
    /// `crew`: those who made the production (director, designer…); `cast`: who plays in it.
    pub enum CreditKind as "credit kind" {
        Crew = "crew",
        Cast = "cast",
    }
}

/// One line of the credits: «Режиссёр» — «Дина Ахметова», or a part and who plays it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    pub kind: CreditKind,
    /// What they did or whom they play; may be empty (a cast listed by name only).
    #[serde(default)]
    #[schema(example = "Режиссёр", max_length = 200)]
    pub role: String,
    #[schema(example = "Дина Ахметова", max_length = 200, pattern = r"\S")]
    pub name: String,
}

/// The most credits a production has: a page, not a database of people.
pub const MAX_CREDITS: usize = 100;
/// The longest a role or a name may be.
pub const MAX_TEXT: usize = 200;

impl Credit {
    /// A credit with its role and name trimmed: the name must not be empty, neither may be
    /// longer than 200 characters. The fields refused are `role` and `name`.
    pub fn parse(kind: CreditKind, role: &str, name: &str) -> Result<Credit, Invalid> {
        Ok(Credit {
            kind,
            role: optional_text("role", role, MAX_TEXT)?.unwrap_or_default(),
            name: required_text("name", name, MAX_TEXT)?,
        })
    }
}

/// Checks a production's credits as given: at most 100, each as [`Credit::parse`] says; a
/// refusal names the field as `credits[3].name`.
pub fn parse(given: &[Credit]) -> Result<Vec<Credit>, Invalid> {
    if given.len() > MAX_CREDITS {
        return Err(Invalid::new(
            "credits",
            format!("at most {MAX_CREDITS} credits"),
        ));
    }
    given
        .iter()
        .enumerate()
        .map(|(i, credit)| {
            Credit::parse(credit.kind, &credit.role, &credit.name).map_err(|invalid| {
                Invalid::new(format!("credits[{i}].{}", invalid.field), invalid.message)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credit(role: &str, name: &str) -> Credit {
        Credit {
            kind: CreditKind::Cast,
            role: role.to_owned(),
            name: name.to_owned(),
        }
    }

    #[test]
    fn credits_are_trimmed_and_keep_their_order() {
        let checked = parse(&[credit(" Айгерим ", " Дана "), credit("", "Аружан")]).unwrap();
        assert_eq!(
            checked,
            vec![credit("Айгерим", "Дана"), credit("", "Аружан")]
        );
    }

    #[test]
    fn a_credit_needs_a_name_and_both_texts_have_a_bound() {
        let error = parse(&[credit("Режиссёр", "Дина"), credit("Художник", "  ")]).unwrap_err();
        assert_eq!(error.field, "credits[1].name");
        let long = "я".repeat(MAX_TEXT + 1);
        assert_eq!(
            parse(&[credit(&long, "Дина")]).unwrap_err().field,
            "credits[0].role"
        );
        assert_eq!(
            parse(&[credit("Роль", &long)]).unwrap_err().field,
            "credits[0].name"
        );
        assert!(parse(&[credit(&"я".repeat(MAX_TEXT), "Дина")]).is_ok());
    }

    #[test]
    fn at_most_a_hundred_credits() {
        let many = vec![credit("", "Дана"); MAX_CREDITS + 1];
        assert_eq!(parse(&many).unwrap_err().field, "credits");
        assert!(parse(&many[..MAX_CREDITS]).is_ok());
    }
}

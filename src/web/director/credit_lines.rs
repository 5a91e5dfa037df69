//! The credits in the production form: a text box for the crew and one for the cast, a credit
//! a line written «роль — имя» (or just the name), as a theater's programme prints them.

use crate::domain::Invalid;
use crate::domain::credits::{Credit, CreditKind};

/// Where a line's role ends and its name begins, tried in this order: a dash, a hyphen with
/// spaces round it (a hyphen inside a name such as «Анна-Мария» is no separator), a colon.
const SEPARATORS: [&str; 4] = ["—", "–", " - ", ":"];

/// The form field holding the credits of `kind`.
pub fn field(kind: CreditKind) -> &'static str {
    kind.as_str()
}

/// The credits of `kind` among `credits`, a line each, as the form shows them.
pub fn write(credits: &[Credit], kind: CreditKind) -> String {
    credits
        .iter()
        .filter(|credit| credit.kind == kind)
        .map(|credit| {
            if credit.role.is_empty() {
                credit.name.clone()
            } else {
                format!("{} — {}", credit.role, credit.name)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The credits in the text typed for `kind`, blank lines skipped. A line that is no credit is
/// refused as the field `crew[3]` (its kind and line number).
pub fn read(kind: CreditKind, text: &str) -> Result<Vec<Credit>, Invalid> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let (role, name) = SEPARATORS
                .iter()
                .find_map(|separator| line.split_once(separator))
                .unwrap_or(("", line));
            Credit::parse(kind, role, name).map_err(|invalid| {
                Invalid::new(format!("{}[{}]", field(kind), i + 1), invalid.message)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_a_role_and_a_name_or_a_name() {
        let crew = read(
            CreditKind::Crew,
            "Режиссёр — Дина Ахметова\n\nХудожник по свету: Арман Ли\n  Анна-Мария Ким  \n",
        )
        .unwrap();
        let pairs: Vec<_> = crew
            .iter()
            .map(|c| (c.role.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Режиссёр", "Дина Ахметова"),
                ("Художник по свету", "Арман Ли"),
                ("", "Анна-Мария Ким"),
            ]
        );
        assert!(crew.iter().all(|c| c.kind == CreditKind::Crew));
    }

    #[test]
    fn written_lines_read_back_the_same() {
        let cast = read(CreditKind::Cast, "Айгерим — Дана Сейткали\nАружан").unwrap();
        let text = write(&cast, CreditKind::Cast);
        assert_eq!(text, "Айгерим — Дана Сейткали\nАружан");
        assert_eq!(read(CreditKind::Cast, &text).unwrap(), cast);
        assert_eq!(write(&cast, CreditKind::Crew), "");
    }

    #[test]
    fn a_line_without_a_name_is_refused_by_its_number() {
        let error = read(CreditKind::Cast, "Айгерим — Дана\n\nРежиссёр —").unwrap_err();
        assert_eq!(error.field, "cast[3]");
    }
}

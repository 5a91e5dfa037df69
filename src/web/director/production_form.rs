//! The production form's fields, as typed and as stored: the same form creates a production and
//! edits one.

use super::credit_lines;
use crate::app::productions::{ProductionChanges, ProductionInput};
use crate::db::productions::ProductionRow;
use crate::domain::Invalid;
use crate::domain::credits::{Credit, CreditKind};
use crate::web::form::PostedForm;

/// Age ratings offered in the form, as used in Kazakhstan.
pub(super) const AGE_RATINGS: [&str; 5] = ["0+", "6+", "12+", "16+", "18+"];
/// Languages a play is performed in, offered in the form.
pub(super) const LANGUAGES: [&str; 3] = ["ru", "kk", "en"];

/// The production form's fields as typed.
#[derive(serde::Serialize)]
pub(super) struct ProductionForm {
    title: String,
    description: String,
    duration_minutes: String,
    intermission_minutes: String,
    age_rating: String,
    language: String,
    /// The crew's credits, a line each.
    crew: String,
    /// The cast's credits, a line each.
    cast: String,
}

impl Default for ProductionForm {
    fn default() -> Self {
        ProductionForm {
            title: String::new(),
            description: String::new(),
            duration_minutes: "90".into(),
            intermission_minutes: "0".into(),
            age_rating: "16+".into(),
            language: "ru".into(),
            crew: String::new(),
            cast: String::new(),
        }
    }
}

impl ProductionForm {
    pub(super) fn from_posted(posted: &PostedForm) -> ProductionForm {
        ProductionForm {
            title: posted.text("title"),
            description: posted.text("description"),
            duration_minutes: posted.text("duration_minutes"),
            intermission_minutes: posted.text("intermission_minutes"),
            age_rating: posted.text("age_rating"),
            language: posted.text("language"),
            crew: posted.text(credit_lines::field(CreditKind::Crew)),
            cast: posted.text(credit_lines::field(CreditKind::Cast)),
        }
    }

    pub(super) fn from_row(row: &ProductionRow, credits: &[Credit]) -> ProductionForm {
        ProductionForm {
            title: row.title.clone(),
            description: row.description.clone(),
            duration_minutes: row.duration_minutes.to_string(),
            intermission_minutes: row.intermission_minutes.to_string(),
            age_rating: row.age_rating.clone(),
            language: row.language.clone(),
            crew: credit_lines::write(credits, CreditKind::Crew),
            cast: credit_lines::write(credits, CreditKind::Cast),
        }
    }

    /// Minutes as a whole number, or the field that is not one.
    fn minutes(field: &str, raw: &str) -> Result<i32, Invalid> {
        raw.trim()
            .parse()
            .map_err(|_| Invalid::new(field, "must be a whole number of minutes"))
    }

    pub(super) fn input(&self) -> Result<ProductionInput, Invalid> {
        let mut credits = credit_lines::read(CreditKind::Crew, &self.crew)?;
        credits.extend(credit_lines::read(CreditKind::Cast, &self.cast)?);
        Ok(ProductionInput {
            duration_minutes: Self::minutes("duration_minutes", &self.duration_minutes)?,
            intermission_minutes: Self::minutes(
                "intermission_minutes",
                &self.intermission_minutes,
            )?,
            title: self.title.clone(),
            description: self.description.clone(),
            age_rating: self.age_rating.clone(),
            language: self.language.clone(),
            credits,
        })
    }

    pub(super) fn changes(&self) -> Result<ProductionChanges, Invalid> {
        let input = self.input()?;
        Ok(ProductionChanges {
            duration_minutes: Some(input.duration_minutes),
            intermission_minutes: Some(input.intermission_minutes),
            title: Some(input.title),
            description: Some(input.description),
            age_rating: Some(input.age_rating),
            language: Some(input.language),
            credits: Some(input.credits),
            ..ProductionChanges::default()
        })
    }
}

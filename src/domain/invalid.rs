//! The one error every parser in the domain returns: which field, what is wrong with it.

use serde_json::Value;

/// Input that cannot become a domain value. `code` is machine-readable (`invalid_value`,
/// `nonexistent_local_time`, …), `field` names the offending input field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub code: &'static str,
    pub field: String,
    pub message: String,
    /// Extra facts for the client, e.g. the two instants an ambiguous local time could mean.
    pub details: Option<Value>,
}

impl Invalid {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            code: "validation_failed",
            field: field.into(),
            message: message.into(),
            details: None,
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// A trimmed text of `1..=max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(Invalid::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// A whole number within `range`.
pub fn number_in<T>(field: &str, value: T, range: std::ops::RangeInclusive<T>) -> Result<T, Invalid>
where
    T: PartialOrd + std::fmt::Display + Copy,
{
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(Invalid::new(
            field,
            format!("must be between {} and {}", range.start(), range.end()),
        ))
    }
}

//! The one error every parser in the domain returns: which field, what is wrong with it.

use serde_json::Value;

/// What kind of mistake an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not a value the field takes: the message says why.
    Value,
    /// A wall-clock time the venue's zone skips.
    NonexistentLocalTime,
    /// A wall-clock time the venue's zone repeats: an explicit offset settles it.
    AmbiguousLocalTime,
}

/// Input that cannot become a domain value: which field, what kind of mistake, and a message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub problem: Problem,
    pub field: String,
    pub message: String,
    /// Extra facts for the client, e.g. the two instants an ambiguous local time could mean.
    pub details: Option<Value>,
}

impl Invalid {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            problem: Problem::Value,
            field: field.into(),
            message: message.into(),
            details: None,
        }
    }

    pub fn with_problem(mut self, problem: Problem) -> Self {
        self.problem = problem;
        self
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// A text of at most `max` characters (as given, spaces included) that is not blank, trimmed.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::new(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(Invalid::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value.trim().to_owned())
}

/// A text of at most `max` characters, trimmed; blank is none.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, Invalid> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        required_text(field, value, max).map(Some)
    }
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

//! E-mail addresses, compared case-insensitively.

use std::fmt;

use super::Invalid;

/// A plausible e-mail address, trimmed and lower-cased. Deliverability is proven by mail, not here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Email, Invalid> {
        let address = raw.trim().to_lowercase();
        let invalid = || Invalid::new(field, "is not an e-mail address");
        if address.len() > 254 || address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = address.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let email = Email::parse("email", "  Director@2Act.Example ").unwrap();
        assert_eq!(email.as_str(), "director@2act.example");
    }

    #[test]
    fn implausible_addresses_are_refused() {
        for raw in [
            "",
            "director",
            "@2act.example",
            "a@b",
            "a b@c.kz",
            "a@@b.kz",
            "a@b..kz",
            "a@.kz",
        ] {
            let error = Email::parse("email", raw).unwrap_err();
            assert_eq!(error.field, "email", "{raw}");
        }
    }
}

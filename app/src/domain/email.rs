//! Staff e-mail addresses: the account name of a staff member.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A syntactically plausible e-mail address, trimmed and lower-cased.
///
/// We check the shape a person can get wrong by accident (missing `@`, spaces, no dot in the
/// domain) rather than the full RFC 5322 grammar: the only real proof of an address is mail that
/// arrives, and staff accounts are created by an administrator who knows the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEmail(String);

/// The longest address SMTP can carry (RFC 5321, 4.5.3.1.3).
const MAX_LEN: usize = 254;

impl StaffEmail {
    /// Parses what a person typed into an e-mail field.
    pub fn parse(input: &str) -> Result<Self, AppError> {
        let email = input.trim().to_lowercase();
        let invalid = || AppError::invalid("email", "email_invalid", "Enter an e-mail address such as name@city.gov.");
        if email.is_empty() {
            return Err(AppError::invalid("email", "email_missing", "Enter an e-mail address."));
        }
        if email.len() > MAX_LEN {
            return Err(AppError::invalid("email", "email_too_long", "That e-mail address is too long."));
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let well_formed = !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',');
        if well_formed { Ok(Self(email)) } else { Err(invalid()) }
    }

    /// The address as stored: lower-case, no surrounding spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StaffEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let email = StaffEmail::parse("  Ana.Lopez@Charlottenc.GOV ").expect("valid address");
        assert_eq!(email.as_str(), "ana.lopez@charlottenc.gov");
    }

    #[test]
    fn addresses_a_person_might_mistype_are_refused_with_a_reason() {
        for (input, key) in [
            ("", "email_missing"),
            ("   ", "email_missing"),
            ("ana", "email_invalid"),
            ("ana@", "email_invalid"),
            ("@city.gov", "email_invalid"),
            ("ana@city", "email_invalid"),
            ("ana@@city.gov", "email_invalid"),
            ("ana lopez@city.gov", "email_invalid"),
            ("ana@city..gov", "email_invalid"),
            ("ana@.city.gov", "email_invalid"),
            ("<ana@city.gov>", "email_invalid"),
        ] {
            let err = StaffEmail::parse(input).expect_err(input);
            assert_eq!(err.key(), key, "input {input:?}");
        }
    }

    #[test]
    fn an_address_longer_than_smtp_allows_is_refused() {
        let long = format!("{}@city.gov", "a".repeat(250));
        assert_eq!(StaffEmail::parse(&long).expect_err("too long").key(), "email_too_long");
    }
}

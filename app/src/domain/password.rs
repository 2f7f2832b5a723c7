//! Rules for a password a staff member chooses.

use crate::error::AppError;

/// A password that meets Canvass's rules, ready to be hashed. Never serialized, never logged.
///
/// The rules follow NIST SP 800-63B: a minimum length and nothing else (no forced mixtures of
/// character classes, which push people towards predictable patterns). The upper bound only keeps
/// a stranger from making the server hash megabytes.
pub struct NewPassword(String);

/// The shortest password accepted.
pub const MIN_CHARS: usize = 12;
/// The longest password accepted.
pub const MAX_CHARS: usize = 256;

impl NewPassword {
    /// Checks a chosen password, and that the confirmation matches when one was asked for.
    pub fn parse(password: &str, confirmation: Option<&str>) -> Result<Self, AppError> {
        let chars = password.chars().count();
        if chars < MIN_CHARS {
            return Err(AppError::invalid(
                "password",
                "password_too_short",
                &format!("Choose a password of at least {MIN_CHARS} characters."),
            ));
        }
        if chars > MAX_CHARS {
            return Err(AppError::invalid(
                "password",
                "password_too_long",
                &format!("Choose a password of at most {MAX_CHARS} characters."),
            ));
        }
        if confirmation.is_some_and(|c| c != password) {
            return Err(AppError::invalid(
                "password_confirmation",
                "password_mismatch",
                "The two passwords are not the same.",
            ));
        }
        Ok(Self(password.to_owned()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_of_twelve_characters_is_accepted() {
        assert!(NewPassword::parse("correct hors", None).is_ok());
    }

    #[test]
    fn eleven_characters_are_too_few_even_if_multibyte() {
        let err = NewPassword::parse("ñññññññññññ", None).expect_err("11 chars");
        assert_eq!(err.key(), "password_too_short");
        assert!(NewPassword::parse("ññññññññññññ", None).is_ok(), "12 multibyte chars are enough");
    }

    #[test]
    fn a_huge_password_is_refused_before_hashing() {
        let err = NewPassword::parse(&"x".repeat(MAX_CHARS + 1), None).expect_err("too long");
        assert_eq!(err.key(), "password_too_long");
    }

    #[test]
    fn a_confirmation_that_differs_is_refused() {
        let err = NewPassword::parse("correct horse battery", Some("correct horse batterY")).expect_err("mismatch");
        assert_eq!(err.key(), "password_mismatch");
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let password = NewPassword::parse("correct horse battery", None).expect("valid");
        assert!(!format!("{password:?}").contains("horse"));
    }
}

//! Password hashing with Argon2id, always off the async threads.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::domain::NewPassword;
use crate::error::AppError;

/// A hash of a password nobody knows, checked when the account does not exist so that a wrong
/// e-mail costs the same time as a wrong password (no account enumeration by timing).
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("a password that no account has, used only for timing").unwrap_or_default());

/// Argon2id with the crate's defaults (OWASP's recommended m=19 MiB, t=2, p=1).
fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Hashes a new password on a blocking thread.
pub async fn hash(password: NewPassword) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_now(password.expose()))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            AppError::Internal
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// Checks a password against a stored hash (or the dummy hash when there is none) on a blocking
/// thread. Returns true only for a stored hash that matches.
pub async fn verify(password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let known = stored_hash.is_some();
        let hash_text = stored_hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash_text) else {
            tracing::error!("a stored password hash could not be parsed");
            return false;
        };
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        known && matches
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password verification task failed");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_different_one_does_not() {
        let stored = hash(NewPassword::parse("correct horse battery", None).expect("valid")).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(stored.clone())).await.expect("verify"));
        assert!(!verify("correct horse batterY".into(), Some(stored)).await.expect("verify"));
    }

    #[tokio::test]
    async fn no_stored_hash_never_verifies_even_with_the_dummy_password() {
        let dummy = "a password that no account has, used only for timing".to_owned();
        assert!(!verify(dummy, None).await.expect("verify"));
    }
}

//! Password hashing with Argon2id: off the async threads, and only a few at a time.
//!
//! Each Argon2 computation takes 19 MiB and tens of milliseconds of a core. Without a cap, a
//! burst of sign-ins would grow Tokio's blocking pool to hundreds of threads and gigabytes of
//! memory; with [`PERMITS`], at most about two per core run at once, and an attempt that cannot
//! get a turn within [`WAIT_FOR_A_TURN`] is answered `503 busy` with `Retry-After`.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use tokio::sync::Semaphore;

use crate::domain::NewPassword;
use crate::error::{AppError, BUSY_RETRY_AFTER_SECS};

/// A hash of a password nobody knows, checked when the account does not exist so that a wrong
/// e-mail costs the same time as a wrong password (no account enumeration by timing).
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("a password that no account has, used only for timing").unwrap_or_default());

/// Turns to run Argon2 in this process: twice the cores (so a core never idles between two).
static PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(permits())));

/// How long an attempt waits for a turn before it is told Canvass is busy.
pub const WAIT_FOR_A_TURN: Duration = Duration::from_secs(2);

/// How many Argon2 computations may run at once: twice the cores this process may use.
pub fn permits() -> usize {
    2 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Argon2id with the crate's defaults (OWASP's recommended m=19 MiB, t=2, p=1).
fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

/// Runs `work` on a blocking thread once `turns` has a permit for it, held until the work ends
/// (even if the request that asked is dropped meanwhile). No permit within `wait`: busy.
async fn on_blocking_thread<T: Send + 'static>(
    turns: &Arc<Semaphore>,
    wait: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = match tokio::time::timeout(wait, Arc::clone(turns).acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_closed)) => return Err(AppError::Internal),
        Err(_elapsed) => {
            tracing::warn!("password hashing is at capacity; answered busy");
            return Err(AppError::Busy { retry_after_secs: BUSY_RETRY_AFTER_SECS });
        }
    };
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop(permit);
        result
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })
}

/// Hashes a new password on a blocking thread.
pub async fn hash(password: NewPassword) -> Result<String, AppError> {
    on_blocking_thread(&PERMITS, WAIT_FOR_A_TURN, move || hash_now(password.expose())).await?.map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Checks a password against a stored hash (or the dummy hash when there is none) on a blocking
/// thread. Returns true only for a stored hash that matches.
pub async fn verify(password: String, stored_hash: Option<String>) -> Result<bool, AppError> {
    on_blocking_thread(&PERMITS, WAIT_FOR_A_TURN, move || {
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

    #[tokio::test]
    async fn when_every_turn_is_taken_the_answer_is_busy_not_another_thread() {
        let turns = Arc::new(Semaphore::new(1));
        let _held = Arc::clone(&turns).acquire_owned().await.expect("permit");

        let result = on_blocking_thread(&turns, Duration::from_millis(20), || 42).await;

        assert_eq!(result, Err(AppError::Busy { retry_after_secs: BUSY_RETRY_AFTER_SECS }));
    }

    #[tokio::test]
    async fn a_turn_is_held_until_the_work_ends_and_then_given_back() {
        let turns = Arc::new(Semaphore::new(1));
        let (started, release) = (Arc::new(std::sync::Barrier::new(2)), Arc::new(std::sync::Barrier::new(2)));
        let (s, r) = (Arc::clone(&started), Arc::clone(&release));
        let first = tokio::spawn({
            let turns = Arc::clone(&turns);
            async move {
                on_blocking_thread(&turns, WAIT_FOR_A_TURN, move || {
                    s.wait();
                    r.wait();
                    1
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || started.wait()).await.expect("started");
        assert_eq!(turns.available_permits(), 0, "the running work holds the only turn");
        first.abort(); // the request goes away; the work still runs and keeps its turn
        assert_eq!(turns.available_permits(), 0);
        tokio::task::spawn_blocking(move || release.wait()).await.expect("released");
        for _ in 0..100 {
            if turns.available_permits() == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(on_blocking_thread(&turns, WAIT_FOR_A_TURN, || 2).await, Ok(2));
    }

    #[test]
    fn there_are_two_turns_per_core() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        assert_eq!(permits(), 2 * cores);
    }
}

//! When to stop accepting login attempts: per account and per client address.
//!
//! The counts come from the database (so that every app server sees the same numbers); this
//! module only decides. Counting failures per *submitted e-mail* rather than per existing account
//! means the answer is the same whether or not the account exists.

/// How far back failures are counted.
pub const WINDOW_SECS: u64 = 15 * 60;
/// Failed attempts on one account within the window before it is paused.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed attempts from one address within the window before it is paused. Higher than the
/// per-account limit because a city hall's staff often share one public address.
pub const MAX_FAILURES_PER_CLIENT: u64 = 30;

/// Failures seen within the window.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecentFailures {
    /// Failures for the submitted e-mail address.
    pub account: u64,
    /// Failures from the client's address.
    pub client: u64,
    /// Seconds since the oldest failure still inside the window (0 when there is none).
    pub oldest_age_secs: u64,
}

/// The decision for one login attempt, taken before the password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// Check the password.
    Open,
    /// Refuse without checking; the person may try again after this many seconds.
    Paused { retry_after_secs: u64 },
}

/// Decides whether a login attempt may go ahead.
pub fn gate(failures: RecentFailures) -> LoginGate {
    if failures.account >= MAX_FAILURES_PER_ACCOUNT || failures.client >= MAX_FAILURES_PER_CLIENT {
        let retry_after_secs = WINDOW_SECS.saturating_sub(failures.oldest_age_secs).max(1);
        LoginGate::Paused { retry_after_secs }
    } else {
        LoginGate::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_mistakes_still_let_a_person_in() {
        let failures = RecentFailures { account: MAX_FAILURES_PER_ACCOUNT - 1, client: 10, oldest_age_secs: 60 };
        assert_eq!(gate(failures), LoginGate::Open);
    }

    #[test]
    fn too_many_failures_on_one_account_pause_it_until_the_window_passes() {
        let failures = RecentFailures { account: MAX_FAILURES_PER_ACCOUNT, client: 5, oldest_age_secs: 600 };
        assert_eq!(gate(failures), LoginGate::Paused { retry_after_secs: WINDOW_SECS - 600 });
    }

    #[test]
    fn too_many_failures_from_one_address_pause_it() {
        let failures = RecentFailures { account: 0, client: MAX_FAILURES_PER_CLIENT, oldest_age_secs: 0 };
        assert_eq!(gate(failures), LoginGate::Paused { retry_after_secs: WINDOW_SECS });
    }

    #[test]
    fn the_wait_is_never_zero() {
        let failures = RecentFailures { account: 99, client: 0, oldest_age_secs: WINDOW_SECS + 10 };
        assert_eq!(gate(failures), LoginGate::Paused { retry_after_secs: 1 });
    }
}

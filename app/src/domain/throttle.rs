//! When a login attempt must wait: per account (a delay that grows with each failure) and per
//! client address (a cap on failures within a window).
//!
//! The counts come from the database (so that every app server sees the same numbers); this
//! module only decides. Counting failures per *submitted e-mail* rather than per existing account
//! means the answer is the same whether or not the account exists.
//!
//! Why a growing delay and not a lockout: a fixed lockout after N failures lets a stranger lock
//! any staff member out by typing N wrong passwords. A delay measured from the *last* failure
//! slows guessing just as well (after the ramp, one guess per [`MAX_DELAY_SECS`]) while the
//! person whose account it is waits at most that long, and a success starts the count afresh.

/// How far back an account's failures are counted (also how long attempts are kept).
pub const ACCOUNT_WINDOW_SECS: u64 = 24 * 60 * 60;
/// Failures on one account that cost nothing: a few typos never make a person wait.
pub const FREE_FAILURES_PER_ACCOUNT: u64 = 3;
/// The wait after the first failure past the free ones; it doubles with each further failure.
pub const FIRST_DELAY_SECS: u64 = 1;
/// The longest wait between two attempts on one account.
pub const MAX_DELAY_SECS: u64 = 15 * 60;
/// How far back failures from one client address are counted.
pub const CLIENT_WINDOW_SECS: u64 = 15 * 60;
/// Failed attempts from one address within [`CLIENT_WINDOW_SECS`] before it must wait for the
/// oldest to leave the window. Higher than the free failures per account because a city hall's
/// staff often share one public address; it stops one address guessing across many accounts.
pub const MAX_FAILURES_PER_CLIENT: u64 = 30;

/// Failures seen before an attempt (not counting the attempt itself).
#[derive(Debug, Clone, Copy, Default)]
pub struct RecentFailures {
    /// Failures for the submitted e-mail since its last success, within [`ACCOUNT_WINDOW_SECS`].
    pub account: u64,
    /// Seconds since the newest of those failures (ignored when there is none).
    pub account_latest_age_secs: u64,
    /// Failures from the client's address within [`CLIENT_WINDOW_SECS`].
    pub client: u64,
    /// Seconds since the oldest of those failures (ignored when there is none).
    pub client_oldest_age_secs: u64,
}

/// The decision for one login attempt, taken before the password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginGate {
    /// Check the password.
    Open,
    /// Refuse without checking; the person may try again after this many seconds.
    Paused { retry_after_secs: u64 },
}

/// How long after its latest failure an account with `failures` recent failures waits:
/// nothing for the first [`FREE_FAILURES_PER_ACCOUNT`], then 1, 2, 4, 8 … seconds, at most
/// [`MAX_DELAY_SECS`].
pub fn account_delay_secs(failures: u64) -> u64 {
    let Some(doublings) = failures.checked_sub(FREE_FAILURES_PER_ACCOUNT) else {
        return 0;
    };
    u32::try_from(doublings)
        .ok()
        .and_then(|d| FIRST_DELAY_SECS.checked_shl(d))
        .filter(|delay| *delay <= MAX_DELAY_SECS)
        .unwrap_or(MAX_DELAY_SECS)
}

/// Decides whether a login attempt may go ahead.
pub fn gate(failures: RecentFailures) -> LoginGate {
    let account_wait = match failures.account {
        0 => 0,
        n => account_delay_secs(n).saturating_sub(failures.account_latest_age_secs),
    };
    let client_wait = if failures.client >= MAX_FAILURES_PER_CLIENT {
        CLIENT_WINDOW_SECS.saturating_sub(failures.client_oldest_age_secs).max(1)
    } else {
        0
    };
    match account_wait.max(client_wait) {
        0 => LoginGate::Open,
        retry_after_secs => LoginGate::Paused { retry_after_secs },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(failures: u64, latest_age_secs: u64) -> RecentFailures {
        RecentFailures { account: failures, account_latest_age_secs: latest_age_secs, ..Default::default() }
    }

    #[test]
    fn the_first_failures_cost_nothing() {
        for n in 0..FREE_FAILURES_PER_ACCOUNT {
            assert_eq!(account_delay_secs(n), 0);
            assert_eq!(gate(account(n, 0)), LoginGate::Open);
        }
    }

    #[test]
    fn each_further_failure_doubles_the_wait_up_to_fifteen_minutes() {
        let waits: Vec<u64> =
            (FREE_FAILURES_PER_ACCOUNT..FREE_FAILURES_PER_ACCOUNT + 12).map(account_delay_secs).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
        assert_eq!(account_delay_secs(u64::MAX), MAX_DELAY_SECS);
        assert_eq!(account_delay_secs(FREE_FAILURES_PER_ACCOUNT + 64), MAX_DELAY_SECS);
    }

    #[test]
    fn the_wait_counts_from_the_latest_failure() {
        let n = FREE_FAILURES_PER_ACCOUNT + 3; // 8 seconds
        assert_eq!(gate(account(n, 0)), LoginGate::Paused { retry_after_secs: 8 });
        assert_eq!(gate(account(n, 5)), LoginGate::Paused { retry_after_secs: 3 });
        assert_eq!(gate(account(n, 8)), LoginGate::Open);
    }

    #[test]
    fn a_stranger_cannot_keep_an_account_shut_longer_than_the_longest_wait() {
        assert_eq!(gate(account(10_000, MAX_DELAY_SECS)), LoginGate::Open);
        assert_eq!(gate(account(10_000, 0)), LoginGate::Paused { retry_after_secs: MAX_DELAY_SECS });
    }

    #[test]
    fn too_many_failures_from_one_address_pause_it_until_the_oldest_leaves_the_window() {
        let failures =
            RecentFailures { client: MAX_FAILURES_PER_CLIENT, client_oldest_age_secs: 600, ..Default::default() };
        assert_eq!(gate(failures), LoginGate::Paused { retry_after_secs: CLIENT_WINDOW_SECS - 600 });
        let failures = RecentFailures { client: MAX_FAILURES_PER_CLIENT - 1, ..Default::default() };
        assert_eq!(gate(failures), LoginGate::Open);
    }

    #[test]
    fn the_longer_of_the_two_waits_applies_and_is_never_zero() {
        let failures = RecentFailures {
            account: FREE_FAILURES_PER_ACCOUNT + 1,
            account_latest_age_secs: 0,
            client: MAX_FAILURES_PER_CLIENT,
            client_oldest_age_secs: CLIENT_WINDOW_SECS + 10,
        };
        assert_eq!(gate(failures), LoginGate::Paused { retry_after_secs: 2 });
        let failures =
            RecentFailures { client: 99, client_oldest_age_secs: CLIENT_WINDOW_SECS + 10, ..Default::default() };
        assert_eq!(gate(failures), LoginGate::Paused { retry_after_secs: 1 });
    }
}

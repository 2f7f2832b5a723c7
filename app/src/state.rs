//! Shared server state, provided to every server function and page render (server only).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::services::responses::writer::ResponseWriter;

/// What every request can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// The public address of this Canvass (e.g. `https://canvass.city.gov`), if configured.
    pub public_url: Option<String>,
    /// Where complete responses are stored (in groups).
    pub responses: ResponseWriter,
    /// How many open-link responses one network address may send.
    pub open_link_limit: AddressLimit,
    /// How many invite codes one network address may try (so 40-bit codes cannot be guessed).
    pub invite_code_limit: AddressLimit,
    /// Counts under this are withheld from everything that leaves the analyst role.
    pub suppression_threshold: u64,
    /// How often a quick poll's results after voting are published again, at most.
    pub poll_results_every: std::time::Duration,
}

impl AppState {
    /// The state for a database; starts the response writer on the current Tokio runtime.
    pub fn new(
        db: DatabaseConnection,
        leptos_options: LeptosOptions,
        public_url: Option<String>,
        open_link_limit: AddressLimit,
    ) -> Self {
        let responses = ResponseWriter::start(db.clone());
        let invite_code_limit = AddressLimit::per_hour(INVITE_CODE_TRIES_PER_HOUR);
        AppState {
            db,
            leptos_options,
            public_url,
            responses,
            open_link_limit,
            invite_code_limit,
            suppression_threshold: crate::domain::suppression::DEFAULT_THRESHOLD,
            poll_results_every: POLL_RESULTS_EVERY,
        }
    }

    /// The same state with the city's suppression threshold (at least 2).
    pub fn with_suppression_threshold(mut self, threshold: u64) -> Self {
        self.suppression_threshold = threshold.max(2);
        self
    }

    /// The same state with quick polls' results published again at most every `minutes`.
    pub fn with_poll_results_every(mut self, minutes: u64) -> Self {
        self.poll_results_every = std::time::Duration::from_secs(minutes * 60);
        self
    }
}

/// Quick polls' results after voting are published again at most every 10 minutes by default.
pub const POLL_RESULTS_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Invite codes one network address may try in an hour: a household mistypes a few times, a
/// guessing script gets nowhere (2^40 codes).
pub const INVITE_CODE_TRIES_PER_HOUR: u32 = 30;

/// A limit of events (open-link responses, invite code tries) per network address and hour, generous enough for a library
/// kiosk or an apartment building behind one address, tight enough to stop a script. Kept in
/// memory on each app server (a limit per server, not per city: documented in docs/SECURITY.md).
#[derive(Clone, Debug, Default)]
pub struct AddressLimit(Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>);

impl AddressLimit {
    /// At most `per_hour` events an hour from one address, all of them allowed in a burst;
    /// 0 turns the limit off (load tests, staffed kiosks on a known network).
    pub fn per_hour(per_hour: u32) -> Self {
        AddressLimit(NonZeroU32::new(per_hour).map(|n| Arc::new(RateLimiter::keyed(Quota::per_hour(n)))))
    }

    /// Forgets addresses whose allowance is full again (memory stays bounded).
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.0 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Takes one response from the address's allowance; `false` when it is used up.
    pub fn allows(&self, address: IpAddr) -> bool {
        self.0.as_ref().is_none_or(|limiter| limiter.check_key(&address).is_ok())
    }
}

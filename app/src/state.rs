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
    /// The address people reach this Canvass at (e.g. `https://canvass.city.gov`, no trailing
    /// slash): every link Canvass hands out is built from it, never from a request's `Host`.
    pub public_url: String,
    /// Origins whose browsers may send requests that change something (the public URL's, and
    /// on a demo server its loopback aliases); see `web::cross_site`.
    pub allowed_origins: Vec<String>,
    /// The reverse proxies whose forwarding headers name the client (`--trusted-proxies`).
    pub trusted_proxies: crate::web::client_address::TrustedProxies,
    /// Where complete responses are stored (in groups).
    pub responses: ResponseWriter,
    /// How many open-link responses one network address may send.
    pub open_link_limit: AddressLimit,
    /// How many invite codes one network address may try (so 40-bit codes cannot be guessed).
    pub invite_code_limit: AddressLimit,
    /// How many responses in progress one network address may start (each is a stored row).
    pub progress_limit: AddressLimit,
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
        public_url: String,
        open_link_limit: AddressLimit,
    ) -> Self {
        let responses = ResponseWriter::start(db.clone());
        let invite_code_limit = AddressLimit::per_hour(INVITE_CODE_TRIES_PER_HOUR);
        // As many as responses: a response needs one at most (a one-page survey none).
        let progress_limit = open_link_limit.same_rate();
        let allowed_origins = vec![crate::web::cross_site::origin_of(&public_url)];
        AppState {
            db,
            leptos_options,
            public_url,
            allowed_origins,
            trusted_proxies: crate::web::client_address::TrustedProxies::none(),
            responses,
            open_link_limit,
            invite_code_limit,
            progress_limit,
            suppression_threshold: crate::domain::suppression::DEFAULT_THRESHOLD,
            poll_results_every: POLL_RESULTS_EVERY,
        }
    }

    /// The same state with the city's suppression threshold (at least 2).
    pub fn with_suppression_threshold(mut self, threshold: u64) -> Self {
        self.suppression_threshold = threshold.max(2);
        self
    }

    /// The same state believing the forwarding headers of these reverse proxies.
    pub fn with_trusted_proxies(mut self, proxies: crate::web::client_address::TrustedProxies) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// The same state also accepting changes from browsers at these origins (a demo server
    /// reached as `localhost` as well as `127.0.0.1`).
    pub fn with_allowed_origins(mut self, origins: impl IntoIterator<Item = String>) -> Self {
        for origin in origins {
            let origin = crate::web::cross_site::origin_of(&origin);
            if !self.allowed_origins.contains(&origin) {
                self.allowed_origins.push(origin);
            }
        }
        self
    }

    /// Whether browsers reach this Canvass over HTTPS (secure cookies, HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Whether cookies are sent only over HTTPS.
    pub fn secure_cookies(&self) -> crate::web::cookies::Secure {
        crate::web::cookies::Secure(self.is_https())
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
pub struct AddressLimit(Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>, u32);

impl AddressLimit {
    /// At most `per_hour` events an hour from one address, all of them allowed in a burst;
    /// 0 turns the limit off (load tests, staffed kiosks on a known network).
    pub fn per_hour(per_hour: u32) -> Self {
        AddressLimit(NonZeroU32::new(per_hour).map(|n| Arc::new(RateLimiter::keyed(Quota::per_hour(n)))), per_hour)
    }

    /// A new limit at the same rate, counting apart.
    pub fn same_rate(&self) -> Self {
        AddressLimit::per_hour(self.1)
    }

    /// Forgets addresses whose allowance is full again (memory stays bounded).
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.0 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Takes one event from the address's allowance; `false` when it is used up. `address` is
    /// what limits count by (`web::client_address::ClientAddress::limit_key`: an IPv6 /64).
    pub fn allows(&self, address: IpAddr) -> bool {
        self.0.as_ref().is_none_or(|limiter| limiter.check_key(&address).is_ok())
    }
}

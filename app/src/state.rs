//! Shared server state, provided to every server function and page render (server only).

use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

/// What every request can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// The public address of this Canvass (e.g. `https://canvass.city.gov`), if configured.
    pub public_url: Option<String>,
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

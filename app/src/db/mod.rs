//! Database rows and queries (server only). Rows never leave the server; `crate::models` holds
//! what crosses to the browser.

pub mod areas;
pub mod audit;
pub mod entities;
pub mod login_attempts;
pub mod responses;
pub mod session_store;
pub mod staff;
pub mod survey_cache;
pub mod surveys;

//! Server-side use cases. Server functions, the HTTP API and the CLI call these; each one reads
//! as authorize → validate → query → respond, and owns no HTTP or HTML concerns.

pub mod accounts;
pub mod areas;
pub mod auth;
pub mod codes;
pub mod dashboard;
pub mod fieldwork;
pub mod invites;
pub mod microdata;
pub mod open_data;
pub mod passwords;
pub mod public_results;
pub mod response_writer;
pub mod responses;
pub mod results;
pub mod results_csv;
pub mod surveys;

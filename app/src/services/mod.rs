//! Server-side use cases. Server functions, the HTTP API and the CLI call these; each one reads
//! as validate → query → respond and returns a typed outcome, owning no HTTP, HTML, cookies or
//! sessions (the adapters in `crate::web`, `crate::server_fns` and the server's `http/` answer
//! requests). SQL is `crate::db`'s; rules and statistics are `crate::domain`'s.
//!
//! - [`responses`]: residents answering, and the one submit path with its writer.
//! - [`results`]: the analysis, the dashboard, the public page, the fieldwork view, exports.
//! - [`surveys`], [`invites`]: designing and running surveys, who may answer.
//! - [`areas`]: area sets, boundaries and population.
//! - [`accounts`], [`auth`], [`passwords`], [`codes`]: staff accounts, sign-in, secrets.
//! - [`csv_file`]: every CSV file written, each cell through the spreadsheet-formula guard.

pub mod accounts;
pub mod api_tokens;
pub mod areas;
pub mod auth;
pub mod codes;
pub mod csv_file;
pub mod invites;
pub mod passwords;
pub mod responses;
pub mod results;
pub mod surveys;

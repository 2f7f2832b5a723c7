//! Database rows and queries (server only). Rows never leave the server; `crate::models` holds
//! what crosses to the browser.

pub mod api_tokens;
pub mod area_cache;
pub mod areas;
pub mod audit;
pub mod entities;
pub mod login_attempts;
pub mod publications;
pub mod responses;
pub mod session_store;
pub mod staff;
pub mod survey_cache;
pub mod surveys;
pub mod tallies;

use sea_orm::sea_query::SelectStatement;

use crate::error::AppError;

/// Reads a value Canvass stored itself (a status, a channel, who may answer). A value it
/// cannot read is an error, logged with the row it was found in, never a default: a typo in a
/// column must not open an invite-only survey or let a response skip the open link's checks.
pub fn stored<T>(parsed: Option<T>, column: &'static str, row_id: i64, value: &str) -> Result<T, AppError> {
    parsed.ok_or_else(|| {
        tracing::error!(column, row.id = row_id, value, "a stored value is not one Canvass knows");
        AppError::Internal
    })
}
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

/// Runs a select and brings its rows back as one JSON array, built by the database
/// (`json_group_array` on SQLite, `json_agg` on PostgreSQL), each row an array of `columns`.
///
/// Results read thousands of small tally rows; fetched one by one, the driver's per-row cost
/// (a channel hop per row on SQLite) was most of the time. One row of JSON costs a parse.
pub async fn rows_as_json<T: serde::de::DeserializeOwned>(
    db: &impl ConnectionTrait,
    select: &SelectStatement,
    columns: &[&str],
) -> Result<Vec<T>, DbErr> {
    let backend = db.get_database_backend();
    let inner = backend.build(select);
    let list = columns.join(", ");
    let aggregate = match backend {
        DatabaseBackend::Postgres => format!("COALESCE(json_agg(json_build_array({list}))::text, '[]')"),
        _ => format!("json_group_array(json_array({list}))"),
    };
    let sql = format!("SELECT {aggregate} AS found FROM ({}) AS selected", inner.sql);
    let statement = Statement { sql, values: inner.values, db_backend: backend };
    let Some(row) = db.query_one_raw(statement).await? else { return Ok(Vec::new()) };
    let text: String = row.try_get("", "found")?;
    serde_json::from_str(&text).map_err(|e| DbErr::Custom(format!("rows as JSON: {e}")))
}

//! `GET /surveys/{id}/invites.csv?batch=N`: invite codes for mail merge (designers and admins).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use canvass_app::domain::Role;
use canvass_app::error::AppError;
use canvass_app::services::invites;
use canvass_app::state::AppState;
use canvass_app::web::session as staff_session;
use serde::Deserialize;
use tower_sessions::Session;

use super::files::{CSV, attachment};

#[derive(Deserialize)]
pub struct Batch {
    batch: Option<String>,
}

/// The CSV download.
pub async fn invite_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<Batch>,
    session: Session,
) -> Result<Response, AppError> {
    staff_session::require(&state.db, &session, Role::Designer).await?;
    let id = id.trim_end_matches(".csv").parse::<i64>().map_err(|_| AppError::NotFound)?;
    let batch = match query.batch.as_deref().map(str::parse::<i32>) {
        None => None,
        Some(Ok(b)) => Some(b),
        Some(Err(_)) => return Err(AppError::bad_parameter("batch", "parameter_invalid", "batch must be a number.")),
    };
    let (name, bytes) = invites::csv(&state.db, id, batch, &state.public_url).await?;
    Ok(attachment(CSV, &name, bytes))
}

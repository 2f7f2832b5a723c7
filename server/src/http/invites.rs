//! `GET /surveys/{id}/invites.csv?batch=N`: invite codes for mail merge (designers and admins).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use canvass_app::domain::Role;
use canvass_app::services::{auth, invites};
use canvass_app::state::AppState;
use serde::Deserialize;
use tower_sessions::Session;

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
    headers: HeaderMap,
) -> Response {
    if let Err(e) = auth::require(&state.db, &session, Role::Designer).await {
        return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN), e.to_string()).into_response();
    }
    let Ok(id) = id.trim_end_matches(".csv").parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let batch = match query.batch.as_deref().map(str::parse::<i32>) {
        None => None,
        Some(Ok(b)) => Some(b),
        Some(Err(_)) => return (StatusCode::BAD_REQUEST, "batch must be a number").into_response(),
    };
    let origin = super::share::origin(&state, &headers);
    match invites::csv(&state.db, id, batch, &origin).await {
        Ok((name, bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string())
            .into_response(),
    }
}

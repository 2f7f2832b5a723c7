//! The JSON API: `POST /api/v1/surveys/{id}/responses` stores a whole response in one request
//! (kiosks, paper-form data entry, load tests). The same checks as the resident's form; see
//! docs/API.md.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use canvass_app::domain::Role;
use canvass_app::domain::access::display_code;
use canvass_app::domain::submission::Stored;
use canvass_app::error::AppError;
use canvass_app::services::api_tokens;
use canvass_app::services::responses::{self, ApiCaller, ApiResponse, Submitting};
use canvass_app::state::AppState;
use canvass_app::web::bearer_token;
use canvass_app::web::client_address::ClientAddress;
use canvass_app::web::session as staff_session;
use serde_json::json;
use tower_sessions::Session;

/// `POST /api/v1/surveys/{id}/responses`.
pub async fn submit_response(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    Extension(client): Extension<ClientAddress>,
    session: Session,
    headers: HeaderMap,
    body: Result<Json<ApiResponse>, JsonRejection>,
) -> Result<Response, AppError> {
    let survey_id = survey_id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let Json(body) = body.map_err(|rejection| AppError::bad_request(&rejection.body_text()))?;
    let caller = if let Some(secret) = bearer_token(&headers) {
        ApiCaller::Token(api_tokens::authenticate(&state.db, secret).await?)
    } else if matches!(body.channel.as_deref(), Some("paper" | "kiosk")) {
        match staff_session::require(&state.db, &session, Role::Designer).await {
            Ok(user) => ApiCaller::Staff(user.id),
            Err(_) => ApiCaller::Anonymous,
        }
    } else {
        ApiCaller::Anonymous
    };
    let submitting = Submitting {
        db: &state.db,
        writer: &state.responses,
        limit: &state.open_link_limit,
        invite_code_limit: &state.invite_code_limit,
        progress_limit: &state.progress_limit,
        address: client.limit_key(),
    };
    Ok(match responses::submit_api(&submitting, survey_id, body, caller).await? {
        Stored::New { receipt } => {
            (StatusCode::CREATED, Json(json!({ "receipt": display_code(&receipt), "status": "stored" })))
                .into_response()
        }
        Stored::Already { receipt } => {
            (StatusCode::OK, Json(json!({ "receipt": display_code(&receipt), "status": "already_stored" })))
                .into_response()
        }
        Stored::Refused(refusal) => AppError::Refused(refusal).into_response(),
    })
}

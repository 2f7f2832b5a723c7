//! The JSON API: `POST /api/v1/surveys/{id}/responses` stores a whole response in one request
//! (kiosks, paper-form data entry, load tests). The same checks as the resident's form; see
//! docs/API.md.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canvass_app::domain::Role;
use canvass_app::error::AppError;
use canvass_app::services::response_writer::Stored;
use canvass_app::services::responses::{self, ApiResponse, Refusal, Submitting};
use canvass_app::state::AppState;
use serde_json::json;
use tower_sessions::Session;

/// `POST /api/v1/surveys/{id}/responses`.
pub async fn submit_response(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    body: Result<Json<ApiResponse>, JsonRejection>,
) -> Response {
    let Ok(survey_id) = survey_id.parse::<i64>() else {
        return error(StatusCode::NOT_FOUND, "not_found", "There is no survey with that id.", json!(null));
    };
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) => {
            return error(StatusCode::BAD_REQUEST, "request_invalid", &rejection.body_text(), json!(null));
        }
    };
    let staff = if matches!(body.channel.as_deref(), Some("paper" | "kiosk")) {
        canvass_app::services::auth::require(&state.db, &session, Role::Designer).await.is_ok()
    } else {
        false
    };
    let submitting =
        Submitting { db: &state.db, writer: &state.responses, limit: &state.open_link_limit, address: peer.ip() };
    match responses::submit_api(&submitting, survey_id, body, staff).await {
        Ok(Ok(Stored::New { receipt })) => {
            (StatusCode::CREATED, Json(json!({ "receipt": display(&receipt), "status": "stored" }))).into_response()
        }
        Ok(Ok(Stored::Again { receipt })) => {
            (StatusCode::OK, Json(json!({ "receipt": display(&receipt), "status": "already_stored" }))).into_response()
        }
        Ok(Err(refusal)) => error(
            StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT),
            refusal.key(),
            refusal_message(refusal),
            json!(null),
        ),
        Err(AppError::AnswersInvalid { problems }) => {
            let detail = serde_json::to_value(&problems).unwrap_or_default();
            let message = AppError::AnswersInvalid { problems }.to_string();
            error(StatusCode::UNPROCESSABLE_ENTITY, "answers_invalid", &message, detail)
        }
        Err(e) => error(
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            e.key(),
            &e.to_string(),
            json!(null),
        ),
    }
}

fn display(receipt: &str) -> String {
    canvass_app::domain::access::display_code(receipt)
}

fn refusal_message(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::LooksAutomated => "The response looks automated.",
        Refusal::TooMany => "Too many responses from this network address in the last hour.",
        Refusal::AlreadyAnswered => "This device has already answered the survey.",
        Refusal::Closed => "The survey is not open.",
        Refusal::InviteNeeded => "This survey takes responses with an invite code only.",
        Refusal::InviteUsed => "This invite code has already been used.",
        Refusal::TooManyCodeTries => "Too many invite codes tried from this network address in the last hour.",
    }
}

fn error(status: StatusCode, key: &str, message: &str, problems: serde_json::Value) -> Response {
    let mut body = json!({ "error": key, "message": message });
    if !problems.is_null() {
        body["problems"] = problems;
    }
    (status, Json(body)).into_response()
}

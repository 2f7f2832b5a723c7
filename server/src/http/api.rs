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
use canvass_app::error::{AppError, ErrorBody};
use canvass_app::services::api_tokens;
use canvass_app::services::responses::{self, ApiCaller, ApiResponse, Submitting};
use canvass_app::state::AppState;
use canvass_app::web::bearer_token;
use canvass_app::web::client_address::ClientAddress;
use canvass_app::web::session as staff_session;
use tower_sessions::Session;

use super::openapi::SurveyNumber;

/// What a stored response gets back.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SubmissionReceipt {
    /// The receipt code the resident can quote (`ABCD-EFGH`).
    #[schema(example = "K7QP-3MXD")]
    receipt: String,
    /// `stored`, or `already_stored` when this submission id was stored before (a retry).
    status: ReceiptStatus,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
enum ReceiptStatus {
    Stored,
    AlreadyStored,
}

/// `POST /api/v1/surveys/{id}/responses`: stores one whole response, through the same checks
/// as the resident's form; the reply comes once it is committed.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/responses",
    tag = "responses",
    params(SurveyNumber),
    request_body(content = ApiResponse, content_type = "application/json"),
    responses(
        (status = 201, description = "Stored.", body = SubmissionReceipt),
        (status = 200, description = "Stored before with the same answers: the same receipt.", body = SubmissionReceipt),
        (status = 400, description = "Not JSON of this shape (`request_invalid`).", body = ErrorBody),
        (status = 401, description = "A malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A paper or kiosk response without a token or designer for it, a token for another survey or channel (`forbidden`), or a survey that takes invite codes only (`invite_code_needed`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
        (status = 409, description = "This submission id was used with other answers (`submission_id_reused`), or the invitation was answered already (`invite_code_used`, `already_answered`).", body = ErrorBody),
        (status = 410, description = "The survey is closed (`survey_closed`).", body = ErrorBody),
        (status = 413, description = "Larger than 256 KiB (`too_large`).", body = ErrorBody),
        (status = 422, description = "The answers, the submission id, the language, the channel or the invite code cannot be stored; `problems` lists every answer at fault.", body = ErrorBody),
        (status = 429, description = "Too many responses or invite-code guesses from this address (`too_many_responses`, `too_many_code_tries`); `Retry-After` may say when to try again.", body = ErrorBody),
    ),
    security((), ("api_token" = []), ("staff_session" = [])),
)]
pub async fn submit_response(
    State(state): State<AppState>,
    Path(survey_id): Path<String>,
    Extension(client): Extension<ClientAddress>,
    session: Session,
    headers: HeaderMap,
    body: Result<Json<ApiResponse>, JsonRejection>,
) -> Result<Response, AppError> {
    let survey_id = survey_id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let Json(body) = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        _ => AppError::bad_request(&rejection.body_text()),
    })?;
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
            let receipt = SubmissionReceipt { receipt: display_code(&receipt), status: ReceiptStatus::Stored };
            (StatusCode::CREATED, Json(receipt)).into_response()
        }
        Stored::Already { receipt } => {
            let receipt = SubmissionReceipt { receipt: display_code(&receipt), status: ReceiptStatus::AlreadyStored };
            (StatusCode::OK, Json(receipt)).into_response()
        }
        Stored::Refused(refusal) => AppError::Refused(refusal).into_response(),
    })
}

//! A whole response in one request: the JSON API's checks (stricter than the form's).

use super::*;
use crate::domain::api_token::TokenAction;
use crate::services::api_tokens::TokenGrant;

/// What the JSON API accepts: a whole response in one request.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "submission_id": "5d0c7b1e-2f4a-4c59-9a53-0f3c1f2d8e61",
    "language": "en",
    "answers": {
        "place_to_live": 4, "place_to_raise_children": 3, "place_to_work": 4, "place_to_retire": 5,
        "overall_direction": 3, "safe_day": 4, "safe_after_dark": 2, "recommend": 8,
        "service_satisfaction": {
            "police": "satisfied", "fire_ems": "very_satisfied", "street_repair": "dissatisfied",
            "stormwater": "neutral", "garbage_recycling": "satisfied", "parks": "satisfied",
            "libraries": "very_satisfied", "transit": "dissatisfied", "code_enforcement": "neutral",
            "customer_service_311": "satisfied"
        },
        "top_issues": ["transit", "affordable_housing"]
    }
}))]
pub struct ApiResponse {
    /// Chosen by the client, so a retry is recognized (a UUID is fine): 8 to 64 letters,
    /// digits, `-` or `_`.
    #[schema(pattern = "^[A-Za-z0-9_-]{8,64}$", example = "5d0c7b1e-2f4a-4c59-9a53-0f3c1f2d8e61")]
    pub submission_id: String,
    /// Raw answers by question key, in the format of docs/SURVEY_FORMAT.md.
    #[schema(value_type = Object)]
    pub answers: std::collections::BTreeMap<String, serde_json::Value>,
    /// One of the survey's languages (its first when left out).
    #[serde(default)]
    #[schema(example = "es")]
    pub language: Option<String>,
    /// The code on an invitation letter (`ABCD-EFGH`); the response is then recorded as invited.
    #[serde(default)]
    pub invite_code: Option<String>,
    /// `open` (default), `paper` or `kiosk`; the last two need a token for them or a signed-in
    /// designer.
    #[serde(default)]
    #[schema(pattern = "^(open|paper|kiosk)$")]
    pub channel: Option<String>,
}

/// Who sends a response to the JSON API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiCaller {
    /// Anyone, without signing in: the open link's rules (or an invite code).
    Anonymous,
    /// A signed-in designer or administrator (paper forms, kiosks), by account id.
    Staff(i64),
    /// A machine with an API token that may submit to a survey, in its channel.
    Token(TokenGrant),
}

impl ApiCaller {
    /// Whose submission ids these are.
    fn submitter(self) -> Submitter {
        match self {
            ApiCaller::Anonymous => Submitter::Anonymous,
            ApiCaller::Staff(id) => Submitter::Staff(id),
            ApiCaller::Token(grant) => Submitter::ApiToken(grant.token_id),
        }
    }
}

/// Stores a complete response sent to the JSON API. Paper and kiosk responses need a signed-in
/// designer or a token for them; the submission id is scoped to the caller.
pub async fn submit_api(
    on: &Submitting<'_>,
    survey_id: i64,
    body: ApiResponse,
    caller: ApiCaller,
) -> Result<Stored, AppError> {
    // What the request itself gets wrong comes first, whatever the survey's state.
    if !is_submission_id(&body.submission_id) {
        return Err(AppError::invalid(
            "submission_id",
            "submission_id_invalid",
            "submission_id must be 8 to 64 letters, digits, '-' or '_'.",
        ));
    }
    let mut channel = match body.channel.as_deref() {
        None | Some("open") => Channel::Open,
        Some("paper") => Channel::Paper,
        Some("kiosk") => Channel::Kiosk,
        Some(_) => {
            return Err(AppError::invalid("channel", "channel_invalid", "channel must be open, paper or kiosk."));
        }
    };
    let survey = find_survey_by_id(on.db, survey_id).await?;
    if survey.status != Status::Open {
        return Ok(Stored::Refused(Refusal::Closed));
    }
    if let ApiCaller::Token(grant) = caller {
        // A token submits in its own channel, to its own survey only.
        let TokenAction::SubmitResponses(own) =
            grant.allows(survey_id, |action| matches!(action, TokenAction::SubmitResponses(_)))?.action
        else {
            return Err(AppError::Forbidden);
        };
        if body.channel.is_some() && channel != own {
            return Err(AppError::Forbidden);
        }
        channel = own;
    }
    if matches!(channel, Channel::Paper | Channel::Kiosk) && caller == ApiCaller::Anonymous {
        return Err(AppError::Forbidden);
    }
    let mut invite = None;
    if let Some(typed) = body.invite_code.as_deref() {
        // The same allowance of guesses as the resident's code form (staff typing in paper
        // forms are exempt); a used code is answered like an unknown one, so guessing cannot
        // tell which codes were mailed.
        if caller == ApiCaller::Anonymous && !on.invite_code_limit.allows(on.address) {
            return Ok(Stored::Refused(Refusal::TooManyCodeTries));
        }
        if !survey.access.admits_invite_codes() {
            return Err(unknown_code());
        }
        let code = parse_code(typed).ok_or_else(unknown_code)?;
        // A used code goes on to the writer like an unused one: a retry of the submission that
        // used it gets its receipt there, anything else is refused below as an unknown code.
        invite = Some(stored::find_invite(on.db, survey.row.id, &code).await?.ok_or_else(unknown_code)?);
        channel = Channel::Invited;
    } else if channel == Channel::Open && !survey.access.admits_open_link() {
        return Ok(Stored::Refused(Refusal::InviteNeeded));
    }
    if let Some(language) = body.language.as_deref()
        && !survey.definition.languages.iter().any(|l| l == language)
    {
        return Err(AppError::invalid("language", "language_unknown", "The survey is not offered in that language."));
    }
    let answers = check_whole_response(&survey.definition, &body.answers).map_err(AppError::answers_invalid)?;
    let submission = Submission {
        channel,
        language: body.language.unwrap_or_else(|| survey.definition.default_language().to_owned()),
        answers,
        known_area: invite.as_ref().and_then(|i| i.area_key.clone()),
        invite_code_id: invite.map(|i| i.id),
        answering_device: None,
        device_hash: None,
        submission_id: caller.submitter().scoped(&body.submission_id),
        in_progress: None,
    };
    let invited = submission.invite_code_id.is_some();
    match submit(on, &survey, submission).await? {
        // Another request used the code a moment before: answered like an unknown code too.
        Stored::Refused(Refusal::InviteUsed) if invited => Err(unknown_code()),
        stored => Ok(stored),
    }
}

/// What an invite code that cannot be used gets, whether unknown, used or from another survey.
fn unknown_code() -> AppError {
    AppError::invalid("invite_code", "invite_code_unknown", "That code is not one of this survey's codes.")
}

//! The one way a complete response is submitted — from the resident's last page, the JSON API,
//! a kiosk or staff typing in a paper form: the checks of its channel (device, network address),
//! then the writer, which stores it once whatever the retries.

use std::collections::BTreeMap;

use super::*;
use crate::db::area_cache;
use crate::domain::access::{CODE_LENGTH, CODE_SYMBOLS};
use crate::domain::analytics::tally::ResponseTally;
use crate::domain::survey::answers::{self, AnswerProblem};

/// A complete response whose answers are checked, about to be submitted.
#[derive(Debug, Clone)]
pub struct Submission {
    pub channel: Channel,
    pub language: String,
    pub answers: Answers,
    /// The area known before the answers: an invite letter's, or one kept with the response in
    /// progress. The survey's area question, when answered, wins.
    pub known_area: Option<String>,
    pub invite_code_id: Option<i64>,
    /// The browser's device token, hashed, unless it was made for this very request (a browser
    /// that never posted before cannot have answered).
    pub answering_device: Option<String>,
    /// The device hash stored with the response.
    pub device_hash: Option<String>,
    /// Chosen by the client (or the form), so a retry is recognized.
    pub submission_id: String,
    /// The response in progress this completes, when the resident answered page by page.
    pub in_progress: Option<i64>,
}

/// Submits a complete response: refused when the survey is not open, when an area answer names
/// no area of its set (the only check of the answers that needs the database: `AnswersInvalid`,
/// a problem on that question), when the open link is used on an invite-only survey, when this
/// device already answered or this address sent too many; otherwise stored (or found stored
/// before) by the writer.
#[tracing::instrument(name = "submit", skip_all, fields(survey.id = survey.row.id, channel = submission.channel.as_str()))]
pub async fn submit(on: &Submitting<'_>, survey: &ResidentSurvey, submission: Submission) -> Result<Stored, AppError> {
    if survey.status != Status::Open {
        return Ok(Stored::Refused(Refusal::Closed));
    }
    let problems = unknown_areas(on.db, &survey.definition, &submission.answers).await?;
    if !problems.is_empty() {
        return Err(AppError::answers_invalid(problems));
    }
    if submission.channel == Channel::Open {
        if submission.in_progress.is_none() && !survey.access.admits_open_link() {
            return Ok(Stored::Refused(Refusal::InviteNeeded));
        }
        if let Some(device) = submission.answering_device.as_deref()
            && stored::device_has_answered(on.db, survey.row.id, device).await?
        {
            return Ok(Stored::Refused(Refusal::AlreadyAnswered));
        }
        if !on.limit.allows(on.address) {
            return Ok(Stored::Refused(Refusal::TooMany));
        }
    }
    let area = area_of(&survey.definition, &submission.answers).or(submission.known_area);
    let channel = submission.channel;
    let answers_json = serde_json::to_string(&submission.answers).map_err(|_| AppError::Internal)?;
    let answers_hash = hash_secret(&answers_json);
    let response = CompleteResponse {
        survey_id: survey.row.id,
        survey_version: survey.row.version,
        channel,
        language: submission.language,
        answers_json,
        answers_hash,
        tally: ResponseTally::of(&survey.definition, area.as_deref(), channel.as_str(), &submission.answers),
        area_key: area,
        invite_code_id: submission.invite_code_id,
        device_hash: submission.device_hash,
        submission_id: submission.submission_id,
        receipt: random_code(CODE_SYMBOLS, CODE_LENGTH),
        in_progress: submission.in_progress,
    };
    on.writer.store(response).await
}

/// The area a response speaks for: the answer to the survey's first area question.
fn area_of(survey: &SurveyDefinition, answers: &Answers) -> Option<String> {
    survey.questions().find_map(|(_, q)| match (&q.kind, answers.get(&q.key)) {
        (QuestionKind::Area { .. }, Some(Answer::Area(key))) => Some(key.clone()),
        _ => None,
    })
}

/// The area answers that name no area of their question's set, read from the cached area keys.
pub(super) async fn unknown_areas(
    db: &DatabaseConnection,
    survey: &SurveyDefinition,
    answers: &Answers,
) -> Result<Vec<AnswerProblem>, AppError> {
    let mut sets = BTreeMap::new();
    for (_, question) in survey.questions() {
        if let QuestionKind::Area { area_set } = &question.kind
            && answers.contains_key(&question.key)
            && !sets.contains_key(area_set)
        {
            sets.insert(area_set.clone(), area_cache::area_keys(db, area_set.as_deref()).await?);
        }
    }
    let is_known =
        |set: Option<&str>, id: &str| sets.get(&set.map(str::to_owned)).is_some_and(|keys| keys.contains(id));
    Ok(answers::unknown_areas(survey, answers, is_known))
}

//! A posted page: saving it, deciding where the resident goes next, and submitting the whole
//! response on the last page; starting an invited response from a code.

use super::*;
use crate::domain::survey::flow::{NextStop, PageAction};

/// A page of answers as posted by the resident's form.
#[derive(Debug, Clone, Default)]
pub struct PagePost {
    pub page: usize,
    /// The Back button was used: save without checking.
    pub back: bool,
    /// A language button was used: save without checking and show the page in that language.
    pub switch_language: Option<String>,
    pub submission_id: Option<String>,
    pub language: Option<String>,
    /// The hidden field people never see was filled in: a robot.
    pub honeypot: bool,
    pub fields: Fields,
    pub embed: bool,
    /// "Show the map" was used (without JavaScript): the area question whose map to show.
    pub show_map: Option<String>,
    /// "Continue later" was used: save without checking and show the link.
    pub later: bool,
}

impl PagePost {
    /// Reads the posted form. The form's own fields start with an underscore; everything else
    /// is an answer field (unknown names are ignored later, by the page merge).
    pub fn parse(form: Vec<(String, String)>) -> Self {
        let mut post = PagePost::default();
        for (name, value) in form {
            match name.as_str() {
                "_page" => post.page = value.trim().parse().unwrap_or(0),
                "_nav" => post.back = value == "back",
                "_switch" => post.switch_language = Some(value).filter(|v| v.len() <= 16),
                "_submission" => post.submission_id = Some(value).filter(|v| is_submission_id(v)),
                "_lang" => post.language = Some(value).filter(|v| v.len() <= 16),
                "_embed" => post.embed = value == "1",
                "_later" => post.later = value == "1",
                "_map" => post.show_map = Some(value).filter(|v| crate::domain::survey::check::is_valid_key(v)),
                HONEYPOT_FIELD => post.honeypot = !value.trim().is_empty(),
                _ => post.fields.push((name, value)),
            }
        }
        post
    }
}

/// A submission id a client may choose: 8 to 64 letters, digits, `-` or `_` (a UUID fits).
pub fn is_submission_id(value: &str) -> bool {
    (8..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Where the resident goes after posting a page (the web adapter turns it into a redirect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterPost {
    /// Show a page of the survey. `check`: with its problems; `language`: the language the
    /// resident switched to; `resume_token`: a new resume cookie to set.
    /// `map`: the area question whose map to show; `later`: show the "continue later" link.
    Page {
        page: usize,
        check: bool,
        language: Option<String>,
        resume_token: Option<String>,
        map: Option<String>,
        later: bool,
    },
    /// The response is stored (now, or by an earlier tap): the thank-you page for this receipt;
    /// the resume cookie is cleared.
    Thanks { receipt: String },
    /// Not stored, and why.
    Refused(Refusal),
}

/// The parts of the server a submission needs.
pub struct Submitting<'a> {
    pub db: &'a DatabaseConnection,
    pub writer: &'a ResponseWriter,
    /// How many open-link responses one address may send.
    pub limit: &'a AddressLimit,
    /// How many invite codes one address may try.
    pub invite_code_limit: &'a AddressLimit,
    /// How many responses in progress one address may start.
    pub progress_limit: &'a AddressLimit,
    /// What the limits count the client by.
    pub address: IpAddr,
}

/// Saves a posted page and decides where the resident goes next (`Walk::next_stop`); on the
/// last page, with nothing wrong anywhere, submits the whole response.
#[tracing::instrument(name = "post_page", skip_all, fields(survey.key = public_key))]
pub async fn post_page(
    on: &Submitting<'_>,
    public_key: &str,
    visitor: &Visitor,
    post: PagePost,
) -> Result<AfterPost, AppError> {
    let survey = find_survey(on.db, public_key).await?;
    if survey.status != Status::Open {
        return Ok(AfterPost::Refused(Refusal::Closed));
    }
    if post.honeypot {
        return Ok(AfterPost::Refused(Refusal::LooksAutomated));
    }
    // A retry or a second tap after the response was stored: the first receipt stands.
    if let Some(submission) = post.submission_id.as_deref()
        && let Some(receipt) =
            stored::receipt_for_submission(on.db, survey.row.id, &Submitter::ResidentForm.scoped(submission)).await?
    {
        return Ok(AfterPost::Thanks { receipt });
    }
    let progress = progress_of(on.db, &survey, visitor).await?;
    if let Some(done) = progress.as_ref().filter(|p| p.status == COMPLETE) {
        // A second tap on Submit, or Back after submitting: the first receipt stands.
        return Ok(AfterPost::Thanks { receipt: done.receipt.clone().unwrap_or_default() });
    }
    if progress.is_none() && !survey.access.admits_open_link() {
        return Ok(AfterPost::Refused(Refusal::InviteNeeded));
    }
    let language = choose_language(
        &survey.definition.languages,
        post.switch_language.as_deref().or(post.language.as_deref()).or(visitor.chosen_language.as_deref()),
        visitor.accept_language.as_deref(),
    );
    let mut fields = progress.as_ref().map(saved_fields).unwrap_or_default();
    merge_page(&survey.definition, post.page, &mut fields, &post.fields);
    let walk = walk_fields(&survey.definition, &fields);
    let page = walk.valid_page(post.page);
    let action = if post.switch_language.is_some() {
        PageAction::SwitchLanguage
    } else if post.show_map.is_some() || post.later {
        PageAction::ShowMap
    } else if post.back {
        PageAction::Back
    } else {
        PageAction::Next
    };
    match walk.next_stop(page, action) {
        NextStop::Page { page: to, check } => {
            // A browser without a response in progress starts one: a stored row, so new rows
            // from one address are limited as responses are (a script posting without cookies
            // cannot fill the database).
            if progress.is_none() && !on.progress_limit.allows(on.address) {
                return Ok(AfterPost::Refused(Refusal::TooMany));
            }
            let resume_token = save_progress(on.db, &survey, progress.as_ref(), &fields, to, &language).await?;
            let language = post.switch_language.is_some().then_some(language);
            Ok(AfterPost::Page { page: to, check, language, resume_token, map: post.show_map, later: post.later })
        }
        NextStop::Submit => {
            let submission = Submission {
                channel: progress.as_ref().map_or(Ok(Channel::Open), stored::channel_of)?,
                language: language.clone(),
                answers: walk.answers,
                known_area: progress.as_ref().and_then(|p| p.area_key.clone()),
                invite_code_id: progress.as_ref().and_then(|p| p.invite_code_id),
                answering_device: visitor.device_token.as_deref().filter(|_| !visitor.device_is_new).map(hash_secret),
                device_hash: visitor.device_token.as_deref().map(hash_secret),
                submission_id: Submitter::ResidentForm.scoped(
                    &progress
                        .as_ref()
                        .and_then(|p| p.submission_id.clone())
                        .or(post.submission_id)
                        .unwrap_or_else(new_token),
                ),
                in_progress: progress.as_ref().map(|p| p.id),
            };
            Ok(match submit(on, &survey, submission).await {
                Ok(Stored::New { receipt } | Stored::Already { receipt }) => AfterPost::Thanks { receipt },
                Ok(Stored::Refused(refusal)) => AfterPost::Refused(refusal),
                // An answer only the submit path can check (an area not in its set): back to its
                // page, with everything typed saved and the problem shown there.
                Err(AppError::AnswersInvalid { problems }) => {
                    let to = problems
                        .first()
                        .and_then(|p| {
                            survey
                                .definition
                                .pages
                                .iter()
                                .position(|pg| pg.questions.iter().any(|q| q.key == p.question))
                        })
                        .unwrap_or(page);
                    let resume_token = save_progress(on.db, &survey, progress.as_ref(), &fields, to, &language).await?;
                    AfterPost::Page { page: to, check: true, language: None, resume_token, map: None, later: false }
                }
                Err(e) => return Err(e),
            })
        }
    }
}

/// Saves the fields typed so far and the page to come back to; starts the response in progress
/// on its first page. Returns the resume token of a response just started.
async fn save_progress(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    progress: Option<&ResponseRow>,
    fields: &Fields,
    page: usize,
    language: &str,
) -> Result<Option<String>, AppError> {
    let fields_json = serde_json::to_string(fields).map_err(|_| AppError::Internal)?;
    if let Some(p) = progress {
        stored::save_progress(db, p.id, fields_json, page as i32, language).await?;
        return Ok(None);
    }
    let start = Start { channel: Channel::Open, language, fields_json, page, invite: None };
    start_progress(db, survey, start).await.map(Some)
}

/// A response in progress about to be started.
struct Start<'a> {
    channel: Channel,
    language: &'a str,
    fields_json: String,
    page: usize,
    /// The invite code it was started with: its id and the area on the letter.
    invite: Option<(i64, Option<String>)>,
}

/// Stores a new response in progress; returns the resume token its cookie will carry.
async fn start_progress(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    start: Start<'_>,
) -> Result<String, AppError> {
    let token = new_token();
    let (invite_code_id, area_key) = start.invite.map_or((None, None), |(id, area)| (Some(id), area));
    stored::insert_progress(
        db,
        NewProgress {
            survey_id: survey.row.id,
            survey_version: survey.row.version,
            channel: start.channel.as_str(),
            language: start.language,
            fields_json: start.fields_json,
            current_page: start.page as i32,
            area_key,
            invite_code_id,
            resume_token_hash: hash_secret(&token),
            // The response's own id from now on: a second tab or a double tap on the first page
            // must not make two rows share the form's id.
            submission_id: new_token(),
        },
    )
    .await?;
    Ok(token)
}

/// Starts an invited response: checks the code from the letter and opens a response in
/// progress for it. Returns the resume token to set as the survey's cookie.
pub async fn start_with_invite(db: &DatabaseConnection, public_key: &str, typed: &str) -> Result<String, AppError> {
    let survey = find_survey(db, public_key).await?;
    if survey.status != Status::Open {
        return Err(AppError::Refused(Refusal::Closed));
    }
    if !survey.access.admits_invite_codes() {
        return Err(AppError::invalid("code", "invite_code_unknown", "This survey does not use invite codes."));
    }
    let unknown = || AppError::invalid("code", "invite_code_unknown", "That code is not one of this survey's codes.");
    let code = parse_code(typed).ok_or_else(unknown)?;
    let invite = stored::find_invite(db, survey.row.id, &code).await?.ok_or_else(unknown)?;
    if invite.used_at.is_some() {
        return Err(AppError::Refused(Refusal::InviteUsed));
    }
    let language = survey.definition.default_language().to_owned();
    let start = Start {
        channel: Channel::Invited,
        language: &language,
        fields_json: "[]".to_owned(),
        page: 0,
        invite: Some((invite.id, invite.area_key)),
    };
    start_progress(db, &survey, start).await
}

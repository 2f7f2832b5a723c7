//! A posted page: saving it, deciding where the resident goes next, and submitting the whole
//! response on the last page; starting an invited response from a code.

use super::*;
use crate::domain::analytics::tally::ResponseTally;

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

/// Why a response was not accepted; each has a page in the resident's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The honeypot was filled in.
    LooksAutomated,
    /// Too many responses from this network address this hour.
    TooMany,
    /// This device already answered through the open link.
    AlreadyAnswered,
    /// The survey closed (or was never open).
    Closed,
    /// An invite-only survey, reached without a code.
    InviteNeeded,
    /// The invite code has been used.
    InviteUsed,
    /// Too many invite codes tried from this network address this hour.
    TooManyCodeTries,
}

impl Refusal {
    /// The stable key, for the API and the refusal page's address.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::LooksAutomated => "looks_automated",
            Refusal::TooMany => "too_many_responses",
            Refusal::AlreadyAnswered => "already_answered",
            Refusal::Closed => "survey_closed",
            Refusal::InviteNeeded => "invite_code_needed",
            Refusal::InviteUsed => "invite_code_used",
            Refusal::TooManyCodeTries => "too_many_code_tries",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        [
            Refusal::LooksAutomated,
            Refusal::TooMany,
            Refusal::AlreadyAnswered,
            Refusal::Closed,
            Refusal::InviteNeeded,
            Refusal::InviteUsed,
            Refusal::TooManyCodeTries,
        ]
        .into_iter()
        .find(|r| r.key() == key)
    }

    /// The HTTP status of the refusal.
    pub fn status(self) -> u16 {
        match self {
            Refusal::LooksAutomated => 422,
            Refusal::TooMany | Refusal::TooManyCodeTries => 429,
            Refusal::AlreadyAnswered | Refusal::InviteUsed => 409,
            Refusal::Closed => 410,
            Refusal::InviteNeeded => 403,
        }
    }
}

/// Where the resident goes after posting a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterPost {
    /// Redirect here. `resume_token`: a new resume cookie to set; `finished`: clear it.
    Go {
        to: String,
        resume_token: Option<String>,
        finished: bool,
    },
    Refused(Refusal),
}

/// The parts of the server a submission needs.
pub struct Submitting<'a> {
    pub db: &'a DatabaseConnection,
    pub writer: &'a ResponseWriter,
    pub limit: &'a AddressLimit,
    pub address: IpAddr,
}

/// Saves a posted page and decides where the resident goes next; submits on the last page.
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
            stored::receipt_for_submission(on.db, survey.row.id, submission).await.map_err(internal)?
    {
        return Ok(AfterPost::Go {
            to: thanks_path(public_key, &receipt, post.embed),
            resume_token: None,
            finished: true,
        });
    }
    let progress = progress_of(on.db, &survey, visitor).await?;
    if let Some(done) = progress.as_ref().filter(|p| p.status == COMPLETE) {
        // A second tap on Submit, or Back after submitting: the first receipt stands.
        let receipt = done.receipt.clone().unwrap_or_default();
        return Ok(AfterPost::Go {
            to: thanks_path(public_key, &receipt, post.embed),
            resume_token: None,
            finished: true,
        });
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
    let page_link = |page: usize, check: bool| {
        let mut path = format!("/s/{public_key}?page={page}");
        if check {
            path.push_str("&check=1");
        }
        if post.embed {
            path.push_str("&embed=1");
        }
        if post.switch_language.is_some() {
            path.push_str(&format!("&lang={language}"));
        }
        if check { format!("{path}#problems") } else { path }
    };
    let next_stop = if post.switch_language.is_some() {
        Some((page, false))
    } else if post.back {
        Some((walk.previous_page(page).unwrap_or(page), false))
    } else if walk.pages[page].problems().next().is_some() {
        Some((page, true))
    } else if let Some(next) = walk.next_page(page) {
        Some((next, false))
    } else {
        walk.first_page_with_problems().map(|p| (p, true))
    };
    let submission_id = progress
        .as_ref()
        .and_then(|p| p.submission_id.clone())
        .or(post.submission_id.clone())
        .unwrap_or_else(new_token);
    if let Some((to, check)) = next_stop {
        let fields_json = serde_json::to_string(&fields).map_err(|_| AppError::Internal)?;
        let resume_token = match &progress {
            Some(p) => {
                stored::save_progress(on.db, p.id, fields_json, to as i32, &language).await.map_err(internal)?;
                None
            }
            None => {
                let token = new_token();
                stored::insert_progress(
                    on.db,
                    NewProgress {
                        survey_id: survey.row.id,
                        survey_version: survey.row.version,
                        channel: Channel::Open.as_str(),
                        language: &language,
                        fields_json,
                        current_page: to as i32,
                        area_key: None,
                        invite_code_id: None,
                        resume_token_hash: hash_secret(&token),
                        // The response's own id from now on: a second tab or a double tap on
                        // the first page must not make two rows share the form's id.
                        submission_id: new_token(),
                    },
                )
                .await
                .map_err(internal)?;
                Some(token)
            }
        };
        return Ok(AfterPost::Go { to: page_link(to, check), resume_token, finished: false });
    }

    // The last page, and nothing is wrong anywhere: submit.
    let channel = progress.as_ref().and_then(|p| Channel::parse(&p.channel)).unwrap_or(Channel::Open);
    let device_hash = visitor.device_token.as_deref().map(hash_secret);
    if channel == Channel::Open {
        if let Some(device) = device_hash.as_deref().filter(|_| !visitor.device_is_new)
            && stored::device_has_answered(on.db, survey.row.id, device).await.map_err(internal)?
        {
            return Ok(AfterPost::Refused(Refusal::AlreadyAnswered));
        }
        if !on.limit.allows(on.address) {
            return Ok(AfterPost::Refused(Refusal::TooMany));
        }
    }
    let answers = walk.answers;
    let area = area_of(&survey.definition, &answers).or(progress.as_ref().and_then(|p| p.area_key.clone()));
    let response = CompleteResponse {
        survey_id: survey.row.id,
        survey_version: survey.row.version,
        channel,
        language,
        area_key: area.clone(),
        answers_json: serde_json::to_string(&answers).map_err(|_| AppError::Internal)?,
        invite_code_id: progress.as_ref().and_then(|p| p.invite_code_id),
        device_hash,
        submission_id,
        in_progress: progress.as_ref().map(|p| p.id),
        tally: ResponseTally::of(&survey.definition, area.as_deref(), channel.as_str(), &answers),
    };
    match on.writer.store(response).await {
        Ok(stored) => Ok(AfterPost::Go {
            to: thanks_path(public_key, stored.receipt(), post.embed),
            resume_token: None,
            finished: true,
        }),
        Err(AppError::Conflict { key, .. }) if key == "invite_code_used" => Ok(AfterPost::Refused(Refusal::InviteUsed)),
        Err(e) => Err(e),
    }
}

/// The thank-you address for a receipt.
pub fn thanks_path(public_key: &str, receipt: &str, embed: bool) -> String {
    let embed = if embed { "&embed=1" } else { "" };
    format!("/s/{public_key}/thanks?receipt={}{embed}", display_code(receipt))
}

/// The area a response speaks for: the answer to the survey's first area question.
pub(super) fn area_of(survey: &SurveyDefinition, answers: &Answers) -> Option<String> {
    survey.questions().find_map(|(_, q)| match (&q.kind, answers.get(&q.key)) {
        (QuestionKind::Area { .. }, Some(Answer::Area(key))) => Some(key.clone()),
        _ => None,
    })
}

/// Starts an invited response: checks the code from the letter and opens a response in
/// progress for it. Returns the resume token to set as the survey's cookie.
pub async fn start_with_invite(db: &DatabaseConnection, public_key: &str, typed: &str) -> Result<String, AppError> {
    let survey = find_survey(db, public_key).await?;
    if survey.status != Status::Open {
        return Err(AppError::conflict("survey_closed", "This survey is not open."));
    }
    if !survey.access.admits_invite_codes() {
        return Err(AppError::invalid("code", "invite_code_unknown", "This survey does not use invite codes."));
    }
    let unknown = || AppError::invalid("code", "invite_code_unknown", "That code is not one of this survey's codes.");
    let code = parse_code(typed).ok_or_else(unknown)?;
    let invite = stored::find_invite(db, survey.row.id, &code).await.map_err(internal)?.ok_or_else(unknown)?;
    if invite.used_at.is_some() {
        return Err(AppError::conflict("invite_code_used", "This invite code has already been used."));
    }
    let token = new_token();
    stored::insert_progress(
        db,
        NewProgress {
            survey_id: survey.row.id,
            survey_version: survey.row.version,
            channel: Channel::Invited.as_str(),
            language: survey.definition.default_language(),
            fields_json: "[]".to_owned(),
            current_page: 0,
            area_key: invite.area_key.clone(),
            invite_code_id: Some(invite.id),
            resume_token_hash: hash_secret(&token),
            submission_id: new_token(),
        },
    )
    .await
    .map_err(internal)?;
    Ok(token)
}

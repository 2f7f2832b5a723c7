//! A resident answering a survey: finding the survey behind a public link, showing a page with
//! what was typed so far, saving each page, and submitting the whole response.
//!
//! Every path ends in the same checks (`domain::survey::flow`) and the same writer
//! (`response_writer`): the resident's form without JavaScript, with it, and the JSON API.

use std::net::IpAddr;

use sea_orm::DatabaseConnection;

use crate::components::survey_form::SurveyAreaMaps;
use crate::db::responses::{self as stored, COMPLETE, NewProgress, ResponseRow};
use crate::db::survey_cache;
use crate::db::surveys::{SurveyRow, effective_status};
use crate::domain::access::{Access, Channel, HONEYPOT_FIELD, display_code, parse_code};
use crate::domain::dates::readable_time;
use crate::domain::interface_text::answer_problem;
use crate::domain::language::{choose_language, native_name};
use crate::domain::suppression::{DEFAULT_THRESHOLD, PublishedTable, publish};
use crate::domain::survey::answers::{Answer, Answers};
use crate::domain::survey::flow::{Fields, check_whole_response, merge_page, walk_fields};
use crate::domain::survey::lifecycle::Status;
use crate::domain::survey::model::localized;
use crate::domain::survey::{QuestionKind, SurveyDefinition};
use crate::error::AppError;
use crate::models::{ResidentPage, ResidentThanks, ResidentView};
use crate::services::codes::{LINK_SAFE_LOWER, hash_secret, random_code};
use crate::services::response_writer::{CompleteResponse, ResponseWriter, Stored};
use crate::state::OpenLinkLimit;

/// Length of resume and device tokens (about 130 bits).
const TOKEN_LENGTH: usize = 26;

fn internal(e: sea_orm::DbErr) -> AppError {
    tracing::error!(error = %e, "database error while handling a response");
    AppError::Internal
}

/// A new random token for a browser cookie or a link.
pub fn new_token() -> String {
    random_code(LINK_SAFE_LOWER, TOKEN_LENGTH)
}

/// A survey as residents reach it.
pub struct ResidentSurvey {
    pub row: std::sync::Arc<SurveyRow>,
    pub definition: SurveyDefinition,
    pub access: Access,
    pub status: Status,
}

/// The survey behind a public key. Drafts that are not scheduled, and unknown keys, are not
/// found: residents never see a survey before it is published.
pub async fn find_survey(db: &DatabaseConnection, public_key: &str) -> Result<ResidentSurvey, AppError> {
    let row = survey_cache::by_public_key(db, public_key).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    find_survey_row(row)
}

/// The survey with this id (the JSON API names surveys by id).
pub async fn find_survey_by_id(db: &DatabaseConnection, id: i64) -> Result<ResidentSurvey, AppError> {
    let row = survey_cache::by_id(db, id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    find_survey_row(row)
}

fn find_survey_row(row: std::sync::Arc<SurveyRow>) -> Result<ResidentSurvey, AppError> {
    let status = effective_status(&row)?;
    if status == Status::Draft && row.opens_at.is_none() {
        return Err(AppError::NotFound);
    }
    let definition = SurveyDefinition::from_json(&row.definition).map_err(|e| {
        tracing::error!(survey.id = row.id, error = %e, "stored survey definition does not parse");
        AppError::Internal
    })?;
    let access = Access::parse(&row.access).unwrap_or_default();
    Ok(ResidentSurvey { row, definition, access, status })
}

/// What the resident's browser tells us.
#[derive(Debug, Default, Clone)]
pub struct Visitor {
    /// The resume cookie of this survey.
    pub resume_token: Option<String>,
    pub device_token: Option<String>,
    /// The device token was made for this request: the browser has never posted before.
    pub device_is_new: bool,
    /// The language chosen in the switcher (query or cookie).
    pub chosen_language: Option<String>,
    pub accept_language: Option<String>,
}

impl Visitor {
    fn language(&self, survey: &SurveyDefinition) -> String {
        choose_language(&survey.languages, self.chosen_language.as_deref(), self.accept_language.as_deref())
    }
}

/// The in-progress (or just completed) response this visitor's resume cookie points to.
async fn progress_of(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    visitor: &Visitor,
) -> Result<Option<ResponseRow>, AppError> {
    let Some(token) = visitor.resume_token.as_deref() else { return Ok(None) };
    stored::find_by_resume_token(db, survey.row.id, &hash_secret(token)).await.map_err(internal)
}

fn saved_fields(row: &ResponseRow) -> Fields {
    serde_json::from_str(&row.answers).unwrap_or_default()
}

/// What the address of a survey page asks for (`/s/{key}?page=2&check=1&embed=1&map=1`).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest {
    /// The page, as the last post redirected to (else where the resident stopped).
    pub page: Option<usize>,
    /// Show the page's problems (the last post found some).
    pub check: bool,
    /// Inside a city website's frame.
    pub embed: bool,
    /// Send the drawn map of area questions.
    pub with_map: bool,
}

/// What to show at the survey's address.
pub async fn page_view(
    db: &DatabaseConnection,
    public_key: &str,
    visitor: &Visitor,
    request: PageRequest,
    maps: impl AsyncFnOnce(&SurveyDefinition, &str) -> Result<SurveyAreaMaps, AppError>,
) -> Result<ResidentView, AppError> {
    let survey = find_survey(db, public_key).await?;
    let language = visitor.language(&survey.definition);
    let title = localized(&survey.definition.title, &language, survey.definition.default_language()).to_owned();
    match survey.status {
        Status::Open => {}
        Status::Draft => {
            let opens = survey.row.opens_at.map(readable_time).unwrap_or_default();
            return Ok(ResidentView::NotYetOpen { title, language, opens });
        }
        Status::Closed | Status::Archived => return Ok(ResidentView::Closed { title, language }),
    }
    let progress = progress_of(db, &survey, visitor).await?.filter(|p| p.status != COMPLETE);
    if progress.is_none() {
        if !survey.access.admits_open_link() {
            return Ok(ResidentView::InviteNeeded { title, language, problem: None });
        }
        if let Some(device) = visitor.device_token.as_deref()
            && stored::device_has_answered(db, survey.row.id, &hash_secret(device)).await.map_err(internal)?
        {
            return Ok(ResidentView::AlreadyAnswered { title, language });
        }
    }
    let fields = progress.as_ref().map(saved_fields).unwrap_or_default();
    let walk = walk_fields(&survey.definition, &fields);
    let PageRequest { page, check, embed, with_map } = request;
    let page = walk.valid_page(page.or(progress.as_ref().map(|p| p.current_page as usize)).unwrap_or(0));
    let (position, of) = walk.progress(page);
    let problems = if check {
        walk.pages[page].problems().map(|p| (p.question.clone(), answer_problem(p, &language))).collect()
    } else {
        Vec::new()
    };
    let on_page = &survey.definition.pages[page];
    // Every saved field, not only this page's: display rules on this page may depend on
    // answers given on earlier pages.
    let values = fields;
    let mut page_only = survey.definition.clone();
    page_only.pages = vec![on_page.clone()];
    let mut areas = maps(&page_only, &language).await?;
    if !with_map {
        // The drawn map is most of a page's weight; it is sent when asked for (`?map=1`).
        for (_, map) in &mut areas {
            for area in &mut map.areas {
                area.path.clear();
            }
        }
    }
    let languages = survey.definition.languages.iter().map(|l| (l.clone(), native_name(l).to_owned())).collect();
    Ok(ResidentView::Page(Box::new(ResidentPage {
        public_key: survey.row.public_key.clone(),
        language,
        languages,
        page,
        position,
        of,
        is_last: walk.next_page(page).is_none(),
        has_previous: walk.previous_page(page).is_some(),
        values,
        problems,
        submission_id: progress
            .as_ref()
            .and_then(|p| p.submission_id.clone())
            .unwrap_or_else(|| random_code(LINK_SAFE_LOWER, TOKEN_LENGTH)),
        resume_link: progress
            .as_ref()
            .and(visitor.resume_token.as_deref())
            .map(|token| format!("/s/{}/resume/{token}", survey.row.public_key)),
        invited: progress.as_ref().is_some_and(|p| p.channel == Channel::Invited.as_str()),
        areas,
        embed,
        definition: survey.definition,
    })))
}

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
        ]
        .into_iter()
        .find(|r| r.key() == key)
    }

    /// The HTTP status of the refusal.
    pub fn status(self) -> u16 {
        match self {
            Refusal::LooksAutomated => 422,
            Refusal::TooMany => 429,
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
    pub limit: &'a OpenLinkLimit,
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
    let response = CompleteResponse {
        survey_id: survey.row.id,
        survey_version: survey.row.version,
        channel,
        language,
        area_key: area_of(&survey.definition, &answers).or(progress.as_ref().and_then(|p| p.area_key.clone())),
        answers_json: serde_json::to_string(&answers).map_err(|_| AppError::Internal)?,
        invite_code_id: progress.as_ref().and_then(|p| p.invite_code_id),
        device_hash,
        submission_id,
        in_progress: progress.as_ref().map(|p| p.id),
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
fn area_of(survey: &SurveyDefinition, answers: &Answers) -> Option<String> {
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

/// The thank-you page: the receipt (checked against the survey) and, for quick polls that
/// share them, the results so far with small counts withheld.
pub async fn thanks(
    db: &DatabaseConnection,
    public_key: &str,
    receipt: &str,
    visitor: &Visitor,
    embed: bool,
) -> Result<ResidentThanks, AppError> {
    let survey = find_survey(db, public_key).await?;
    let receipt = parse_code(receipt).ok_or(AppError::NotFound)?;
    let responses = stored::complete_responses_with_receipt(db, survey.row.id, &receipt).await.map_err(internal)?;
    if !responses {
        return Err(AppError::NotFound);
    }
    let language = visitor.language(&survey.definition);
    let default = survey.definition.default_language().to_owned();
    let results = if survey.definition.show_results { poll_results(db, &survey, &language).await? } else { None };
    Ok(ResidentThanks {
        public_key: survey.row.public_key.clone(),
        title: localized(&survey.definition.title, &language, &default).to_owned(),
        receipt: display_code(&receipt),
        language,
        results,
        embed,
    })
}

/// A quick poll's results: counts of each option of its one question.
async fn poll_results(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    language: &str,
) -> Result<Option<(String, PublishedTable)>, AppError> {
    let default = survey.definition.default_language();
    let Some((_, question)) = survey.definition.questions().next() else { return Ok(None) };
    let Some(options) = question.kind.options() else { return Ok(None) };
    let rows = stored::complete_responses(db, survey.row.id).await.map_err(internal)?;
    let mut counts = vec![0u64; options.len()];
    for row in rows {
        let Ok(answers) = serde_json::from_str::<Answers>(&row.answers) else { continue };
        let chosen: Vec<&str> = match answers.get(&question.key) {
            Some(Answer::Choice { option, .. }) => vec![option.as_str()],
            Some(Answer::Choices { options, .. }) => options.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        for (i, option) in options.iter().enumerate() {
            if chosen.contains(&option.key.as_str()) {
                counts[i] += 1;
            }
        }
    }
    let table = options
        .iter()
        .zip(counts)
        .map(|(o, n)| (o.key.clone(), localized(&o.label, language, default).to_owned(), n))
        .collect();
    Ok(Some((localized(&question.text, language, default).to_owned(), publish(table, DEFAULT_THRESHOLD))))
}

/// What the JSON API accepts: a whole response in one request.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiResponse {
    /// Chosen by the client, so a retry is recognized (a UUID is fine).
    pub submission_id: String,
    /// Raw answers by question key, in the format of docs/SURVEY_FORMAT.md.
    pub answers: std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub invite_code: Option<String>,
    /// `open` (default), `paper` or `kiosk`; the last two need a signed-in designer.
    #[serde(default)]
    pub channel: Option<String>,
}

/// Stores a complete response sent to the JSON API. `staff` says whether a designer or admin
/// is signed in (needed for the paper and kiosk channels).
pub async fn submit_api(
    on: &Submitting<'_>,
    survey_id: i64,
    body: ApiResponse,
    staff: bool,
) -> Result<Result<Stored, Refusal>, AppError> {
    let survey = find_survey_by_id(on.db, survey_id).await?;
    if survey.status != Status::Open {
        return Ok(Err(Refusal::Closed));
    }
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
    if matches!(channel, Channel::Paper | Channel::Kiosk) && !staff {
        return Err(AppError::Forbidden);
    }
    let mut invite = None;
    if let Some(typed) = body.invite_code.as_deref() {
        let unknown =
            || AppError::invalid("invite_code", "invite_code_unknown", "That code is not one of this survey's codes.");
        if !survey.access.admits_invite_codes() {
            return Err(unknown());
        }
        let code = parse_code(typed).ok_or_else(unknown)?;
        invite = Some(stored::find_invite(on.db, survey.row.id, &code).await.map_err(internal)?.ok_or_else(unknown)?);
        channel = Channel::Invited;
    } else if channel == Channel::Open && !survey.access.admits_open_link() {
        return Ok(Err(Refusal::InviteNeeded));
    }
    if let Some(language) = body.language.as_deref()
        && !survey.definition.languages.iter().any(|l| l == language)
    {
        return Err(AppError::invalid("language", "language_unknown", "The survey is not offered in that language."));
    }
    let answers = check_whole_response(&survey.definition, &body.answers).map_err(AppError::answers_invalid)?;
    if channel == Channel::Open && !on.limit.allows(on.address) {
        return Ok(Err(Refusal::TooMany));
    }
    let response = CompleteResponse {
        survey_id: survey.row.id,
        survey_version: survey.row.version,
        channel,
        language: body.language.unwrap_or_else(|| survey.definition.default_language().to_owned()),
        area_key: area_of(&survey.definition, &answers).or(invite.as_ref().and_then(|i| i.area_key.clone())),
        answers_json: serde_json::to_string(&answers).map_err(|_| AppError::Internal)?,
        invite_code_id: invite.map(|i| i.id),
        device_hash: None,
        submission_id: body.submission_id,
        in_progress: None,
    };
    match on.writer.store(response).await {
        Ok(stored) => Ok(Ok(stored)),
        Err(AppError::Conflict { key, .. }) if key == "invite_code_used" => Ok(Err(Refusal::InviteUsed)),
        Err(e) => Err(e),
    }
}

/// The cookie that remembers the resident's language.
pub const LANGUAGE_COOKIE: &str = "canvass_lang";
/// The cookie that tells this browser's responses apart (stored hashed with each response).
pub const DEVICE_COOKIE: &str = "canvass_device";

/// The cookie holding the resume token of one survey's response in progress.
pub fn resume_cookie_name(public_key: &str) -> String {
    format!("canvass_resume_{public_key}")
}

/// A year, in seconds: how long language and device cookies last.
const YEAR_SECONDS: i64 = 365 * 24 * 3600;
/// How long a response in progress can be resumed (and its cookie kept).
pub const RESUME_DAYS: i64 = 30;

fn cookie_header(name: &str, value: &str, max_age_seconds: i64, http_only: bool) -> String {
    use tower_sessions::cookie::{Cookie, SameSite, time::Duration};
    Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(max_age_seconds))
        .build()
        .to_string()
}

/// `Set-Cookie` for the language choice.
pub fn language_cookie(language: &str) -> String {
    let safe: String = language.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(16).collect();
    cookie_header(LANGUAGE_COOKIE, &safe, YEAR_SECONDS, false)
}

/// `Set-Cookie` for a device token.
pub fn device_cookie(token: &str) -> String {
    cookie_header(DEVICE_COOKIE, token, YEAR_SECONDS, true)
}

/// `Set-Cookie` for a resume token; `None` clears it (the response was submitted).
pub fn resume_cookie(public_key: &str, token: Option<&str>) -> String {
    match token {
        Some(token) => cookie_header(&resume_cookie_name(public_key), token, RESUME_DAYS * 24 * 3600, true),
        None => cookie_header(&resume_cookie_name(public_key), "", 0, true),
    }
}

impl Visitor {
    /// Reads the cookies and `Accept-Language` of a request.
    pub fn from_headers(headers: &http::HeaderMap, public_key: &str, chosen_language: Option<&str>) -> Self {
        use tower_sessions::cookie::Cookie;
        let resume = resume_cookie_name(public_key);
        let mut visitor = Visitor {
            chosen_language: chosen_language.map(str::to_owned),
            accept_language: headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(256).collect()),
            ..Visitor::default()
        };
        for header in headers.get_all(http::header::COOKIE) {
            let Ok(header) = header.to_str() else { continue };
            for cookie in Cookie::split_parse(header).filter_map(Result::ok) {
                let value = Some(cookie.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 64);
                match cookie.name() {
                    LANGUAGE_COOKIE if visitor.chosen_language.is_none() => visitor.chosen_language = value,
                    DEVICE_COOKIE => visitor.device_token = value,
                    name if name == resume => visitor.resume_token = value,
                    _ => {}
                }
            }
        }
        visitor
    }
}

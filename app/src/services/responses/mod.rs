//! A resident answering a survey: finding the survey behind a public link, showing a page with
//! what was typed so far, saving each page, and submitting the whole response.
//!
//! Every path ends in the same checks (`domain::survey::flow`) and the one submit path
//! ([`submit`], then `response_writer`): the resident's form without JavaScript, with it, the
//! JSON API, kiosks and paper forms typed in by staff.

use std::net::IpAddr;

use sea_orm::DatabaseConnection;

use crate::db::responses::store::CompleteResponse;
use crate::db::responses::{self as stored, COMPLETE, NewProgress, ResponseRow};
use crate::db::survey_cache;
use crate::db::surveys::{SurveyRow, effective_status};
use crate::domain::access::{Access, Channel, HONEYPOT_FIELD, display_code, parse_code};
use crate::domain::dates::readable_time;
use crate::domain::geography::SurveyAreaMaps;
use crate::domain::interface_text::answer_problem;
use crate::domain::language::{choose_language, native_name};
use crate::domain::submission::{Refusal, Stored, Submitter};
use crate::domain::suppression::{PublishedCount, PublishedTable};
use crate::domain::survey::answers::{Answer, Answers};
use crate::domain::survey::flow::{Fields, check_whole_response, merge_page, walk_fields};
use crate::domain::survey::lifecycle::Status;
use crate::domain::survey::model::localized;
use crate::domain::survey::{QuestionKind, SurveyDefinition};
use crate::error::AppError;
use crate::models::{ResidentPage, ResidentThanks, ResidentView};
use crate::services::codes::{LINK_SAFE_LOWER, hash_secret, random_code};
use crate::services::responses::writer::ResponseWriter;
use crate::state::AddressLimit;

mod api;
mod exclude;
mod post;
mod submit;
mod thanks;
pub mod writer;

pub use api::{ApiCaller, ApiResponse, submit_api};
pub use exclude::{Excluded, exclude};
pub use post::{AfterPost, PagePost, Submitting, is_submission_id, post_page, start_with_invite};
pub use submit::{Submission, submit};
pub use thanks::thanks;

/// How long a response in progress can be resumed (and its cookie kept).
pub const RESUME_DAYS: i64 = 30;

/// Length of resume and device tokens (about 130 bits).
const TOKEN_LENGTH: usize = 26;

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
    let row = survey_cache::by_public_key(db, public_key).await?.ok_or(AppError::NotFound)?;
    find_survey_row(row)
}

/// The survey with this id (the JSON API names surveys by id).
pub async fn find_survey_by_id(db: &DatabaseConnection, id: i64) -> Result<ResidentSurvey, AppError> {
    let row = survey_cache::by_id(db, id).await?.ok_or(AppError::NotFound)?;
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
    let access = crate::db::surveys::access_of(&row)?;
    Ok(ResidentSurvey { row, definition, access, status })
}

/// What the resident's browser tells us (read from its cookies by `crate::web::cookies`).
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
    stored::find_by_resume_token(db, survey.row.id, &hash_secret(token)).await.map_err(AppError::from)
}

fn saved_fields(row: &ResponseRow) -> Fields {
    serde_json::from_str(&row.answers).unwrap_or_default()
}

/// Whether a "continue later" link still opens a response in progress.
pub async fn resume_link_is_open(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    token: &str,
) -> Result<bool, AppError> {
    let row = stored::find_by_resume_token(db, survey.row.id, &hash_secret(token)).await?;
    Ok(row.is_some_and(|r| r.status != COMPLETE))
}

/// Takes a "continue later" link over for the browser that confirmed it: the response in
/// progress gets a new token (returned, for that browser's cookie) and the link's token stops
/// working. So a link someone else planted cannot make a browser's answers readable by the link's
/// sender, and a link that leaked opens the answers once at most. `None`: the link no longer
/// opens a response in progress.
pub async fn take_over_resume_link(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    token: &str,
) -> Result<Option<String>, AppError> {
    let fresh = new_token();
    let moved = stored::replace_resume_token(db, survey.row.id, &hash_secret(token), &hash_secret(&fresh)).await?;
    Ok(moved.then_some(fresh))
}

/// What the address of a survey page asks for (`/s/{key}?page=2&check=1&embed=1&map=1`).
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest<'a> {
    /// The page, as the last post redirected to (else where the resident stopped).
    pub page: Option<usize>,
    /// Show the page's problems (the last post found some).
    pub check: bool,
    /// Inside a city website's frame.
    pub embed: bool,
    /// Send the drawn map of area questions.
    pub with_map: bool,
    /// Show the "continue later" link: the site's public URL, which it starts with.
    pub resume_link_base: Option<&'a str>,
    /// Start a new response here even though this device's last one moved to another device.
    pub start_new: bool,
    /// The threshold and snapshot interval of a closed poll's results.
    pub poll: crate::services::results::publication::PollSettings,
}

/// What to show at the survey's address.
pub async fn page_view(
    db: &DatabaseConnection,
    public_key: &str,
    visitor: &Visitor,
    request: PageRequest<'_>,
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
        Status::Closed | Status::Archived => {
            let results = match survey.definition.show_results {
                true => thanks::poll_results(db, &survey, &language, request.poll).await?,
                false => None,
            };
            return Ok(ResidentView::Closed { title, language, results });
        }
    }
    let progress = progress_of(db, &survey, visitor).await?.filter(|p| p.status != COMPLETE);
    if progress.is_none()
        && !request.start_new
        && let Some(token) = visitor.resume_token.as_deref()
        && stored::find_moved_from(db, survey.row.id, &hash_secret(token)).await?.is_some()
    {
        return Ok(ResidentView::ContinuedElsewhere { title, language });
    }
    if progress.is_none() {
        if !survey.access.admits_open_link() {
            return Ok(ResidentView::InviteNeeded { title, language, problem: None });
        }
        if let Some(device) = visitor.device_token.as_deref()
            && stored::device_has_answered(db, survey.row.id, &hash_secret(device)).await?
        {
            return Ok(ResidentView::AlreadyAnswered { title, language });
        }
    }
    let fields = progress.as_ref().map(saved_fields).unwrap_or_default();
    let walk = walk_fields(&survey.definition, &fields);
    let PageRequest { page, check, embed, with_map, resume_link_base, .. } = request;
    let page = walk.valid_page(page.or(progress.as_ref().map(|p| p.current_page as usize)).unwrap_or(0));
    let (position, of) = walk.progress(page);
    let on_page = &survey.definition.pages[page];
    let mut page_only = survey.definition.clone();
    page_only.pages = vec![on_page.clone()];
    let problems = if check {
        // The walk's problems, and an area answer that names no area (refused on submit).
        let unknown = submit::unknown_areas(db, &page_only, &walk.answers).await?;
        walk.pages[page]
            .problems()
            .chain(&unknown)
            .map(|p| (p.question.clone(), answer_problem(p, &language)))
            .collect()
    } else {
        Vec::new()
    };
    // Every saved field, not only this page's: display rules on this page may depend on
    // answers given on earlier pages.
    let values = fields;
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
        resume_link: resume_link_base
            .zip(progress.as_ref().and(visitor.resume_token.as_deref()))
            .map(|(base, token)| format!("{}/s/{}/resume/{token}", base.trim_end_matches('/'), survey.row.public_key)),
        invited: progress.as_ref().map(stored::channel_of).transpose()? == Some(Channel::Invited),
        map_view: with_map && !areas.is_empty(),
        areas,
        embed,
        definition: survey.definition,
    })))
}

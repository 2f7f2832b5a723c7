//! Publications: staff publish a survey's results, which stores what is public (every figure
//! already suppressed jointly and audited) with its date. The public page and the public files
//! read the latest publication until staff publish again; nothing public moves by itself while
//! fieldwork runs. Quick polls that show their results after voting refresh an automatic
//! publication at most every few minutes ([`poll_results`]).

use sea_orm::DatabaseConnection;
use time::OffsetDateTime;

use crate::db::publications::{self, NewPublication, PublicationRow};
use crate::db::{audit, staff, surveys};
use crate::domain::access::Channel;
use crate::domain::analytics::public::public_report;
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::dates::readable_time;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::models::results::PublicationSummary;
use crate::services::results::{PublishedResults, analyse, basis};

/// Analyses the whole survey (unweighted, unfiltered), withholds and audits, and stores the
/// publication. Refuses, storing nothing, if the audit cannot make it safe.
async fn store(
    db: &DatabaseConnection,
    survey_id: i64,
    published_by: Option<i64>,
    automatic: bool,
    threshold: u64,
) -> Result<(PublicationRow, PublishedResults), AppError> {
    let basis = basis(db, survey_id).await?;
    let results = analyse(db, &basis, ResultsRequest::everything()).await?;
    let survey = basis.definition;
    let report =
        tokio::task::spawn_blocking(move || public_report(&results.report, &survey, threshold).map(|r| (results, r)))
            .await
            .map_err(|_| AppError::Internal)?;
    let (results, report) = report.map_err(|problem| AppError::Conflict {
        key: "publication_unsafe".to_owned(),
        message: format!("These results cannot be published safely yet: {problem}. Nothing was published."),
    })?;
    // A channel is named only when at least k came through it.
    let channels = crate::db::responses::count_by_channel(db, survey_id)
        .await?
        .into_iter()
        .filter(|(_, n)| *n >= threshold.max(1))
        .map(|(c, _)| Channel::parse(&c).map_or(c, |c| c.described().to_owned()))
        .collect();
    let published = PublishedResults {
        channels,
        survey_id,
        title: results.title,
        area_set: results.area_set,
        generated_at: results.generated_at,
        request: results.request,
        report,
    };
    let json = serde_json::to_string(&published).map_err(|_| AppError::Internal)?;
    let row = publications::insert(
        db,
        NewPublication {
            survey_id,
            published_by,
            automatic,
            threshold,
            respondents: published.report.respondents,
            withheld: published.report.withheld,
            results: json,
        },
    )
    .await?;
    Ok((row, published))
}

/// Publishes a survey's results now and switches its public page on (designers and
/// administrators; `None` for the command line). Recorded in the audit log.
pub async fn publish(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    survey_id: i64,
    threshold: u64,
) -> Result<PublicationSummary, AppError> {
    surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let (row, _) = store(db, survey_id, actor.map(|a| a.id), false, threshold).await?;
    surveys::set_results_public(db, survey_id, true).await?;
    let detail = serde_json::json!({
        "publication": row.id,
        "respondents": row.respondents,
        "withheld": row.withheld,
        "threshold": row.threshold,
    });
    audit::record(db, actor.map(|a| a.id), "survey.results_published", &format!("survey:{survey_id}"), detail).await?;
    summary(db, row).await
}

/// Takes the public page and files down (the publications stay on record).
pub async fn withdraw(db: &DatabaseConnection, actor: Option<&CurrentUser>, survey_id: i64) -> Result<(), AppError> {
    surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    surveys::set_results_public(db, survey_id, false).await?;
    let subject = format!("survey:{survey_id}");
    audit::record(db, actor.map(|a| a.id), "survey.results_unpublished", &subject, serde_json::json!({})).await?;
    Ok(())
}

/// The latest publication's results, when the survey's results are public.
pub async fn published(db: &DatabaseConnection, row: &surveys::SurveyRow) -> Result<PublishedResults, AppError> {
    if !row.results_public {
        return Err(AppError::NotFound);
    }
    let publication = publications::latest(db, row.id, false).await?.ok_or(AppError::NotFound)?;
    read(&publication)
}

/// The latest publication for staff's public files (`/api/v1/surveys/ID/results/public…`),
/// whether or not the public page is on, narrowed to the questions asked for. The request
/// may not carry filters ([`ResultsRequest::check_public`]).
pub async fn latest_for_staff(
    db: &DatabaseConnection,
    survey_id: i64,
    request: &ResultsRequest,
) -> Result<PublishedResults, AppError> {
    request.check_public().map_err(|p| AppError::bad_parameter(&p.parameter, "filter_not_public", &p.message))?;
    surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let Some(latest) = publications::latest(db, survey_id, false).await? else {
        return Err(AppError::Conflict {
            key: "not_published".to_owned(),
            message: "These results have not been published yet: publish them from the results page first.".to_owned(),
        });
    };
    let mut published = read(&latest)?;
    if let Some(questions) = &request.questions {
        published.report.questions.retain(|p| questions.contains(&p.question));
    }
    published.request = request.clone();
    Ok(published)
}

fn read(publication: &PublicationRow) -> Result<PublishedResults, AppError> {
    serde_json::from_str(&publication.results).map_err(|e| {
        tracing::error!(publication.id = publication.id, error = %e, "a stored publication cannot be read");
        AppError::Internal
    })
}

/// The survey's publications by staff, newest first.
pub async fn publications(db: &DatabaseConnection, survey_id: i64) -> Result<Vec<PublicationSummary>, AppError> {
    let mut out = Vec::new();
    for row in publications::list(db, survey_id).await? {
        out.push(summary(db, row).await?);
    }
    Ok(out)
}

async fn summary(db: &DatabaseConnection, row: PublicationRow) -> Result<PublicationSummary, AppError> {
    let by = match row.published_by {
        Some(id) => staff::find_by_id(db, id).await?.map(|s| s.email),
        None => None,
    };
    Ok(PublicationSummary {
        id: row.id,
        published_at: readable_time(row.published_at),
        published_by: by,
        respondents: row.respondents.and_then(|n| u64::try_from(n).ok()),
        withheld: u64::try_from(row.withheld).unwrap_or(0),
        threshold: u64::try_from(row.threshold).unwrap_or(0),
    })
}

/// How a quick poll's results are published: the threshold, and how often the snapshot is
/// taken again at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollSettings {
    pub threshold: u64,
    pub every: std::time::Duration,
}

impl Default for PollSettings {
    fn default() -> Self {
        PollSettings {
            threshold: crate::domain::suppression::DEFAULT_THRESHOLD,
            every: crate::state::POLL_RESULTS_EVERY,
        }
    }
}

/// A quick poll's results after voting: its automatic publication, taken again only when it is
/// older than `fresh_for` *and* at least `threshold` more people have voted since (every server
/// reads the same stored snapshot). So two snapshots never differ by fewer than k votes, and a
/// stream of votes moves what is shown once per interval at most, never per vote.
pub async fn poll_results(
    db: &DatabaseConnection,
    survey_id: i64,
    threshold: u64,
    fresh_for: std::time::Duration,
) -> Result<PublishedResults, AppError> {
    if let Some(latest) = publications::latest(db, survey_id, true).await? {
        let age = OffsetDateTime::now_utc() - latest.published_at;
        if age < fresh_for {
            return read(&latest);
        }
        let counted = latest.respondents.and_then(|n| u64::try_from(n).ok()).unwrap_or(0);
        if crate::db::responses::count_complete(db, survey_id).await? < counted + threshold {
            return read(&latest);
        }
    }
    let (_, published) = store(db, survey_id, None, true, threshold).await?;
    Ok(published)
}

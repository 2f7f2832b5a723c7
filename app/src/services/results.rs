//! Results for staff and for publishing: reads the tallies (or, for date ranges, groups and
//! cross-tabs, the responses), the area set's population, and runs the analysis
//! (`domain::analytics`). The statistics live in the domain; this module only gathers.

use std::collections::BTreeMap;

use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::db::{areas, surveys, tallies};
use crate::domain::analytics::participation::AreaPopulation;
use crate::domain::analytics::public::{PublicReport, public_report};
use crate::domain::analytics::report::{Report, ReportInput, report};
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::analytics::results::{part_keys, part_options};
use crate::domain::analytics::tally::{PROFILE_PREFIX, WEIGHTING_DIMENSIONS};
use crate::domain::analytics::waves::{Wave, WaveComparison, compare};
use crate::domain::dates::readable_time;
use crate::domain::survey::model::{QuestionKind, SurveyDefinition, localized};
use crate::error::AppError;

/// Where the answers were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The running tallies: cost independent of the number of responses.
    Tallies,
    /// The responses themselves (date ranges, groups, cross-tabs).
    Responses,
}

/// A survey's results with what was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResults {
    pub survey_id: i64,
    pub title: String,
    pub area_set: Option<String>,
    pub generated_at: String,
    pub source: Source,
    pub request: ResultsRequest,
    pub report: Report,
}

/// The same, as it may be published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedResults {
    pub survey_id: i64,
    pub title: String,
    pub area_set: Option<String>,
    pub generated_at: String,
    pub request: ResultsRequest,
    pub report: PublicReport,
}

/// What the analysis needs about a survey.
pub struct SurveyBasis {
    pub id: i64,
    pub title: String,
    pub definition: SurveyDefinition,
    pub area_set: Option<String>,
    pub areas: Vec<(String, AreaPopulation)>,
}

/// Loads the survey, its area set and the set's population.
pub async fn basis(db: &DatabaseConnection, survey_id: i64) -> Result<SurveyBasis, AppError> {
    let row = surveys::find(db, survey_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let definition = surveys::definition_of(&row)?;
    // Responses carry the area of the survey's area question, or of the default set.
    let asked = definition.questions().find_map(|(_, q)| match &q.kind {
        QuestionKind::Area { area_set } => Some(area_set.clone()),
        _ => None,
    });
    let set = areas::find_set(db, asked.flatten().as_deref()).await.map_err(internal)?;
    let mut population = Vec::new();
    if let Some(set) = &set {
        let rows = areas::areas(db, set.id).await.map_err(internal)?;
        let mut by_id: BTreeMap<i64, usize> = BTreeMap::new();
        for (i, area) in rows.iter().enumerate() {
            by_id.insert(area.id, i);
            population
                .push((area.key.clone(), AreaPopulation { name: area.name.clone(), ..AreaPopulation::default() }));
        }
        for (area_id, dimension, group, count) in areas::figure_counts(db, set.id).await.map_err(internal)? {
            let Some(&i) = by_id.get(&area_id) else { continue };
            let area = &mut population[i].1;
            if dimension == "total" {
                area.total = Some(count);
            } else {
                area.groups.insert((dimension, group), count);
            }
        }
    }
    let language = definition.default_language().to_owned();
    Ok(SurveyBasis {
        id: row.id,
        title: localized(&definition.title, &language, &language).to_owned(),
        definition,
        area_set: set.map(|s| s.key),
        areas: population,
    })
}

/// The full analysis for staff.
pub async fn survey_results(
    db: &DatabaseConnection,
    survey_id: i64,
    request: ResultsRequest,
) -> Result<SurveyResults, AppError> {
    let basis = basis(db, survey_id).await?;
    check_parts(&basis.definition, &request)?;
    let (tally, source) = if request.reads_responses() {
        let filter = crate::db::responses::ResponseFilter::of(&request);
        (tallies::fold(db, survey_id, &basis.definition, &filter).await.map_err(internal)?, Source::Responses)
    } else {
        // The asked questions' rows, and the respondents' profile rows (`@age`, ...) that
        // respondents vs residents counts.
        let keys: Option<Vec<String>> = request.questions.as_ref().map(|questions| {
            let profile = WEIGHTING_DIMENSIONS.iter().map(|d| format!("{PROFILE_PREFIX}{d}"));
            questions.iter().flat_map(|q| part_keys(&basis.definition, q)).chain(profile).collect()
        });
        let rows = keys.as_deref().map_or(tallies::Rows::All, tallies::Rows::Questions);
        let channels = request.channels.as_deref();
        let tally = if request.weighting.is_some() {
            tallies::by_cell(db, survey_id, channels, rows).await
        } else {
            tallies::by_area(db, survey_id, channels, rows).await
        };
        (tally.map_err(internal)?, Source::Tallies)
    };
    let cross_by = request.by.as_deref().and_then(|by| part_options(&basis.definition, by)).map(|(options, _)| options);
    let (id, title, area_set) = (basis.id, basis.title.clone(), basis.area_set.clone());
    let (weighting, under_threshold) = (request.weighting.clone(), request.under_threshold);
    let questions = request.questions.clone();
    let report = tokio::task::spawn_blocking(move || {
        report(&ReportInput {
            survey: &basis.definition,
            tally: &tally,
            areas: &basis.areas,
            weighting: weighting.as_ref(),
            under_threshold,
            cross_by: cross_by.as_deref(),
            questions: questions.as_deref(),
        })
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| AppError::invalid("weight", "weighting_impossible", &e.to_string()))?;
    Ok(SurveyResults {
        survey_id: id,
        title,
        area_set,
        generated_at: readable_time(OffsetDateTime::now_utc()),
        source,
        request,
        report,
    })
}

/// The analysis with every small count withheld (threshold `k`).
pub async fn published_results(
    db: &DatabaseConnection,
    survey_id: i64,
    request: ResultsRequest,
    threshold: u64,
) -> Result<PublishedResults, AppError> {
    let results = survey_results(db, survey_id, request).await?;
    Ok(PublishedResults {
        survey_id: results.survey_id,
        title: results.title,
        area_set: results.area_set,
        generated_at: results.generated_at,
        request: results.request,
        report: public_report(&results.report, threshold),
    })
}

/// Each question compared across the waves of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveResults {
    pub survey_id: i64,
    pub generated_at: String,
    pub request: ResultsRequest,
    /// (survey id, title), oldest first; the asked survey is last.
    pub waves: Vec<(i64, String)>,
    pub questions: Vec<WaveComparison>,
}

/// The most waves compared at once.
pub const MAX_WAVES: usize = 10;

/// Compares a survey with the waves it was duplicated from (`previous_wave_id`), each analysed
/// with the same request.
pub async fn wave_results(
    db: &DatabaseConnection,
    survey_id: i64,
    request: ResultsRequest,
) -> Result<WaveResults, AppError> {
    let mut series = vec![surveys::find(db, survey_id).await.map_err(internal)?.ok_or(AppError::NotFound)?];
    while series.len() < MAX_WAVES {
        let Some(previous) = series.last().and_then(|s| s.previous_wave_id) else { break };
        // A deleted earlier wave ends the series.
        let Some(row) = surveys::find(db, previous).await.map_err(internal)? else { break };
        series.push(row);
    }
    series.reverse();
    let mut analysed = Vec::with_capacity(series.len());
    for row in &series {
        analysed.push(survey_results(db, row.id, request.clone()).await?);
    }
    let waves: Vec<Wave<'_>> =
        analysed.iter().map(|r| Wave { survey_id: r.survey_id, title: r.title.clone(), report: &r.report }).collect();
    Ok(WaveResults {
        survey_id,
        generated_at: readable_time(OffsetDateTime::now_utc()),
        questions: compare(&waves),
        waves: analysed.iter().map(|r| (r.survey_id, r.title.clone())).collect(),
        request,
    })
}

/// Recomputes a survey's tallies from its complete responses; returns how many were counted.
pub async fn recount(db: &DatabaseConnection, survey_id: i64) -> Result<u64, AppError> {
    let row = surveys::find(db, survey_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let definition = surveys::definition_of(&row)?;
    tallies::rebuild(db, survey_id, &definition).await.map_err(internal)
}

/// A group filter or cross-tab must name a question part with options, and the option must
/// be one of them; a cross-tab needs one answer per respondent.
fn check_parts(survey: &SurveyDefinition, request: &ResultsRequest) -> Result<(), AppError> {
    for key in request.questions.iter().flatten() {
        if !survey.questions().any(|(_, q)| &q.key == key) {
            return Err(AppError::invalid(
                "question",
                "question_unknown",
                &format!("`{key}` is not a question of this survey."),
            ));
        }
    }
    if let Some((part, option)) = &request.group {
        let (options, _) = part_options(survey, part).ok_or_else(|| {
            AppError::invalid(
                "group",
                "group_unknown",
                &format!("`{part}` is not a question with options in this survey."),
            )
        })?;
        if !options.iter().any(|(k, _)| k == option) {
            return Err(AppError::invalid(
                "group",
                "group_unknown",
                &format!("`{option}` is not an option of `{part}`."),
            ));
        }
    }
    if let Some(by) = &request.by {
        match part_options(survey, by) {
            Some((_, true)) => {}
            Some((_, false)) => {
                return Err(AppError::invalid(
                    "by",
                    "by_not_exclusive",
                    &format!("`{by}` allows several answers; cross-tabs need a question with one answer each."),
                ));
            }
            None => {
                return Err(AppError::invalid(
                    "by",
                    "by_unknown",
                    &format!("`{by}` is not a question with options in this survey."),
                ));
            }
        }
    }
    Ok(())
}

fn internal(e: sea_orm::DbErr) -> AppError {
    tracing::error!(error = %e, "results query failed");
    AppError::Internal
}

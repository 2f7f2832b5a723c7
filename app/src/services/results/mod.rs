//! Results for staff and for publishing: reads the tallies (or, for date ranges, groups and
//! cross-tabs, the responses), the area set's population, and runs the analysis
//! (`domain::analytics`). The statistics live in the domain; this module only gathers.
//!
//! What shows the analysis is beside it: [`dashboard`] (staff), [`publication`] (publishing:
//! the stored snapshot everything public reads), [`public`] (the published page),
//! [`fieldwork`] (the live view) and [`export`] (CSV, GeoJSON, microdata). A new export
//! format goes in `export/`; a new results page gets a module here that starts from
//! [`basis`] and [`analyse`].

pub mod dashboard;
pub mod export;
pub mod fieldwork;
pub mod public;
pub mod publication;

use std::collections::BTreeMap;

use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::db::{areas, surveys, tallies};
use crate::domain::analytics::participation::AreaPopulation;
use crate::domain::analytics::public::PublicReport;
use crate::domain::analytics::report::{Report, ReportInput, report};
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::analytics::results::{part_keys, part_options};
use crate::domain::analytics::tally::{PROFILE_PREFIX, WEIGHTING_DIMENSIONS};
use crate::domain::analytics::waves::{Wave, WaveComparison, compare};
use crate::domain::dates::readable_time;
use crate::domain::survey::model::{QuestionKind, SurveyDefinition, localized};
use crate::error::AppError;

/// Where the answers were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The running tallies: cost independent of the number of responses.
    Tallies,
    /// The responses themselves (date ranges, groups, cross-tabs).
    Responses,
}

/// A survey's results with what was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyResults {
    pub survey_id: i64,
    pub title: String,
    /// The area set the survey's area question uses (its key), if it has one.
    pub area_set: Option<String>,
    /// When the analysis ran (UTC, `YYYY-MM-DD HH:MM`).
    pub generated_at: String,
    pub source: Source,
    /// The request as understood: weighting, channels, dates, group, cross-tab, questions.
    #[schema(value_type = Object)]
    pub request: ResultsRequest,
    /// Participation by area and the results of every question (docs/ANALYTICS.md).
    #[schema(value_type = Object)]
    pub report: Report,
}

/// What a publication holds: the results as they may be published (see [`publication`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PublishedResults {
    /// The channels at least k respondents came through, as the methods note names them (read
    /// when published, like every other figure).
    #[serde(default)]
    pub channels: Vec<String>,
    pub survey_id: i64,
    pub title: String,
    pub area_set: Option<String>,
    /// When the published analysis ran (UTC, `YYYY-MM-DD HH:MM`).
    pub generated_at: String,
    #[schema(value_type = Object)]
    pub request: ResultsRequest,
    /// The published figures: small counts withheld, audited (docs/PRIVACY.md).
    #[schema(value_type = Object)]
    pub report: PublicReport,
}

/// What the analysis needs about a survey, loaded once per request and passed to every
/// analysis of it (a dashboard runs one or two, and draws its map from the same basis).
pub struct SurveyBasis {
    pub id: i64,
    /// The survey as stored (status, public key, previous wave).
    pub row: surveys::SurveyRow,
    pub title: String,
    pub definition: SurveyDefinition,
    pub area_set: Option<String>,
    pub areas: Vec<(String, AreaPopulation)>,
}

/// Loads the survey, its area set and the set's population.
pub async fn basis(db: &DatabaseConnection, survey_id: i64) -> Result<SurveyBasis, AppError> {
    let row = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    basis_of(db, row).await
}

/// The same for a survey row already read.
pub async fn basis_of(db: &DatabaseConnection, row: surveys::SurveyRow) -> Result<SurveyBasis, AppError> {
    let definition = surveys::definition_of(&row)?;
    // Responses carry the area of the survey's area question, or of the default set.
    let asked = definition.questions().find_map(|(_, q)| match &q.kind {
        QuestionKind::Area { area_set } => Some(area_set.clone()),
        _ => None,
    });
    let set = areas::find_set(db, asked.flatten().as_deref()).await?;
    let mut population = Vec::new();
    if let Some(set) = &set {
        let rows = areas::areas(db, set.id).await?;
        let mut by_id: BTreeMap<i64, usize> = BTreeMap::new();
        for (i, area) in rows.iter().enumerate() {
            by_id.insert(area.id, i);
            population
                .push((area.key.clone(), AreaPopulation { name: area.name.clone(), ..AreaPopulation::default() }));
        }
        for (area_id, dimension, group, count, margin) in areas::figure_counts(db, set.id).await? {
            let Some(&i) = by_id.get(&area_id) else { continue };
            let area = &mut population[i].1;
            if dimension == "total" {
                area.total = Some(count);
                area.total_margin = margin;
            } else {
                if let Some(margin) = margin {
                    area.margins.insert((dimension.clone(), group.clone()), margin);
                }
                area.groups.insert((dimension, group), count);
            }
        }
    }
    let language = definition.default_language().to_owned();
    Ok(SurveyBasis {
        id: row.id,
        row,
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
    analyse(db, &basis(db, survey_id).await?, request).await
}

/// The full analysis of a survey whose basis is loaded.
pub async fn analyse(
    db: &DatabaseConnection,
    basis: &SurveyBasis,
    request: ResultsRequest,
) -> Result<SurveyResults, AppError> {
    let survey_id = basis.id;
    check_parts(&basis.definition, &request)?;
    let (tally, source) = if request.reads_responses() {
        let filter = crate::db::responses::ResponseFilter::of(&request);
        (tallies::fold(db, survey_id, &basis.definition, &filter).await?, Source::Responses)
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
        (tally?, Source::Tallies)
    };
    // Domain estimation: a group or a date range is a part of the sample, weighted with the
    // weights of every response of the asked channels (as the microdata export writes them),
    // never raked to the city's margins on its own.
    let weighting_sample = if request.weighting.is_some() && request.reads_responses() {
        let rows = tallies::Rows::Questions(&[]);
        Some(tallies::by_cell(db, survey_id, request.channels.as_deref(), rows).await?)
    } else {
        None
    };
    let cross_by = request.by.as_deref().and_then(|by| part_options(&basis.definition, by)).map(|(options, _)| options);
    let (id, title, area_set) = (basis.id, basis.title.clone(), basis.area_set.clone());
    let (weighting, under_threshold) = (request.weighting.clone(), request.under_threshold);
    let questions = request.questions.clone();
    // The analysis is CPU work: off the async threads, with its own copy of the basis (a few
    // kilobytes of definition and population, against milliseconds of arithmetic).
    let (definition, areas) = (basis.definition.clone(), basis.areas.clone());
    let report = tokio::task::spawn_blocking(move || {
        report(&ReportInput {
            survey: &definition,
            tally: &tally,
            areas: &areas,
            weighting: weighting.as_ref(),
            under_threshold,
            cross_by: cross_by.as_deref(),
            questions: questions.as_deref(),
            weighting_sample: weighting_sample.as_ref(),
        })
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| AppError::bad_parameter("weight", "weighting_impossible", &e.to_string()))?;
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

/// Each question compared across the waves of a survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WaveResults {
    pub survey_id: i64,
    pub generated_at: String,
    #[schema(value_type = Object)]
    pub request: ResultsRequest,
    /// (survey id, title), oldest first; the asked survey is last.
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub waves: Vec<(i64, String)>,
    /// Each question's headline figure in every wave, with the change and whether it is
    /// larger than chance.
    #[schema(value_type = Vec<Object>)]
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
    let basis = basis(db, survey_id).await?;
    let latest = analyse(db, &basis, request).await?;
    waves_of(db, &latest, basis.row.previous_wave_id).await
}

/// Compares an analysis already made (the latest wave) with the waves before it, starting at
/// `previous`, each analysed with the same request.
pub async fn waves_of(
    db: &DatabaseConnection,
    latest: &SurveyResults,
    mut previous: Option<i64>,
) -> Result<WaveResults, AppError> {
    let mut earlier = Vec::new();
    while earlier.len() + 1 < MAX_WAVES {
        let Some(id) = previous else { break };
        // A deleted earlier wave ends the series.
        let Some(row) = surveys::find(db, id).await? else { break };
        previous = row.previous_wave_id;
        let basis = basis_of(db, row).await?;
        earlier.push(analyse(db, &basis, latest.request.clone()).await?);
    }
    let analysed: Vec<&SurveyResults> = earlier.iter().rev().chain(std::iter::once(latest)).collect();
    let waves: Vec<Wave<'_>> =
        analysed.iter().map(|r| Wave { survey_id: r.survey_id, title: r.title.clone(), report: &r.report }).collect();
    Ok(WaveResults {
        survey_id: latest.survey_id,
        generated_at: readable_time(OffsetDateTime::now_utc()),
        questions: compare(&waves),
        waves: analysed.iter().map(|r| (r.survey_id, r.title.clone())).collect(),
        request: latest.request.clone(),
    })
}

/// How a survey's stored tallies compare with its responses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TallyCheck {
    /// Complete responses counted.
    pub responses: u64,
    /// Where they disagree, in words; empty when they agree.
    pub disagreements: Vec<String>,
}

/// Counts a survey's complete responses afresh and compares them with its stored tallies, by
/// cell (area, channel, profile) and by area. They disagree only after a hand edit of the
/// database or a restore from a backup: `canvass survey recount` repairs them.
pub async fn check(db: &DatabaseConnection, survey_id: i64) -> Result<TallyCheck, AppError> {
    let row = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let definition = surveys::definition_of(&row)?;
    let filter = crate::db::responses::ResponseFilter::default();
    let counted = tallies::fold(db, survey_id, &definition, &filter).await?;
    let by_cell = tallies::by_cell(db, survey_id, None, tallies::Rows::All).await?;
    let by_area = tallies::by_area(db, survey_id, None, tallies::Rows::All).await?;
    let mut disagreements = crate::domain::analytics::tally::disagreements(&counted, &by_cell);
    disagreements.extend(
        crate::domain::analytics::tally::disagreements(&counted.by_area_and_channel(), &by_area)
            .into_iter()
            .map(|d| format!("by area: {d}")),
    );
    Ok(TallyCheck { responses: counted.respondents().round() as u64, disagreements })
}

/// Recomputes a survey's tallies from its complete responses; returns how many were counted.
pub async fn recount(db: &DatabaseConnection, survey_id: i64) -> Result<u64, AppError> {
    let row = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let definition = surveys::definition_of(&row)?;
    tallies::rebuild(db, survey_id, &definition).await.map_err(AppError::from)
}

/// A group filter or cross-tab must name a question part with options, and the option must
/// be one of them; a cross-tab needs one answer per respondent.
fn check_parts(survey: &SurveyDefinition, request: &ResultsRequest) -> Result<(), AppError> {
    for key in request.questions.iter().flatten() {
        if !survey.questions().any(|(_, q)| &q.key == key) {
            return Err(AppError::bad_parameter(
                "question",
                "question_unknown",
                &format!("`{key}` is not a question of this survey."),
            ));
        }
    }
    if let Some((part, option)) = &request.group {
        let (options, _) = part_options(survey, part).ok_or_else(|| {
            AppError::bad_parameter(
                "group",
                "group_unknown",
                &format!("`{part}` is not a question with options in this survey."),
            )
        })?;
        if !options.iter().any(|(k, _)| k == option) {
            return Err(AppError::bad_parameter(
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
                return Err(AppError::bad_parameter(
                    "by",
                    "by_not_exclusive",
                    &format!("`{by}` allows several answers; cross-tabs need a question with one answer each."),
                ));
            }
            None => {
                return Err(AppError::bad_parameter(
                    "by",
                    "by_unknown",
                    &format!("`{by}` is not a question with options in this survey."),
                ));
            }
        }
    }
    Ok(())
}

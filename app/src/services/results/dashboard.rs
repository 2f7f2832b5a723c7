//! The staff dashboard's data (the public page is `services::results::public`, the fieldwork
//! view `services::results::fieldwork`). The analysis is `services::results`; this module picks the question, draws the
//! map and orders the figures (`domain::dashboard`), and checks the page's own parameters.

use sea_orm::DatabaseConnection;

use crate::db::surveys;
use crate::domain::Role;
use crate::domain::analytics::participation::AreaParticipation;
use crate::domain::analytics::report::Report;
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::analytics::results::{PartOutline, PartResult, outline};
use crate::domain::dashboard::figures::{
    AreaFigure, MapMetric, Scale, SortOrder, answer_figures, participation_figures, sort_figures, too_few_to_tell,
};
use crate::domain::dashboard::legend::Legend;
use crate::domain::dashboard::svg::choropleth_document;
use crate::domain::survey::model::{SurveyDefinition, localized};
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::models::results::{AreaChart, Dashboard, PartChoice, QuestionChoice, ResultsFilters, ResultsMap, WavesView};
use crate::services::{areas, results};

/// How many areas the outreach list names.
pub const OUTREACH_AREAS: usize = 10;

/// A dashboard's query: the analysis's parameters (`domain::analytics::request`) plus the
/// page's own `map` and `sort`. Empty values (a blank filter field) count as not given.
#[derive(Debug)]
struct DashboardQuery {
    analysis: Vec<(String, String)>,
    map: MapMetric,
    sort: SortOrder,
    filters: ResultsFilters,
}

fn parse_query(pairs: &[(String, String)]) -> Result<DashboardQuery, AppError> {
    let mut query = DashboardQuery {
        analysis: Vec::new(),
        map: MapMetric::PerThousand,
        sort: SortOrder::Value,
        filters: ResultsFilters::default(),
    };
    for (name, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let kept = value.to_owned();
        match name.as_str() {
            "map" => {
                query.map = MapMetric::parse(value).ok_or_else(|| {
                    parameter(name, "use per_thousand, representation, answer, or option:KEY for one option's share.")
                })?;
                query.filters.map = kept;
            }
            "sort" => {
                query.sort =
                    SortOrder::parse(value).ok_or_else(|| parameter(name, "use value, lowest, answers or name."))?;
                query.filters.sort = kept;
            }
            other => {
                let mut not_shown = String::new();
                let field = match other {
                    "question" => &mut query.filters.question,
                    "weight" => &mut query.filters.weight,
                    "channel" => &mut query.filters.channel,
                    "from" => &mut query.filters.from,
                    "to" => &mut query.filters.to,
                    "group" => &mut query.filters.group,
                    "by" => &mut query.filters.by,
                    // `under` and `cap` are the analysis's; anything else it refuses by name.
                    _ => &mut not_shown,
                };
                if other == "question" && value.contains(',') {
                    return Err(parameter(name, "the dashboard shows one question at a time."));
                }
                *field = kept.clone();
                query.analysis.push((other.to_owned(), kept));
            }
        }
    }
    Ok(query)
}

pub(crate) fn parameter(name: &str, message: &str) -> AppError {
    AppError::bad_parameter(name, "parameter_invalid", &format!("`{name}`: {message}"))
}

fn parse_request(pairs: &[(String, String)]) -> Result<ResultsRequest, AppError> {
    ResultsRequest::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|p| AppError::bad_parameter(&p.parameter, "parameter_invalid", &p.message))
}

/// The questions a leader can pick, with their parts.
pub fn question_choices(definition: &SurveyDefinition) -> Vec<QuestionChoice> {
    let language = definition.default_language();
    let parts = outline(definition);
    definition
        .questions()
        .filter_map(|(_, q)| {
            let own: Vec<&PartOutline> = parts.iter().filter(|p| p.question == q.key).collect();
            (!own.is_empty()).then(|| QuestionChoice {
                key: q.key.clone(),
                text: localized(&q.text, language, language).to_owned(),
                parts: own
                    .into_iter()
                    .map(|p| PartChoice {
                        key: p.key.clone(),
                        text: p.text.clone(),
                        options: p.options.clone(),
                        exclusive: p.exclusive,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// One dashboard view, checked once: the survey (read once), its analysis basis and the page's
/// query. The page and its map file both start here.
struct View {
    basis: results::SurveyBasis,
    questions: Vec<QuestionChoice>,
    query: DashboardQuery,
    request: ResultsRequest,
}

async fn view(db: &DatabaseConnection, survey_id: i64, pairs: &[(String, String)]) -> Result<View, AppError> {
    let basis = results::basis(db, survey_id).await?;
    let questions = question_choices(&basis.definition);
    let mut query = parse_query(pairs)?;
    if query.filters.question.is_empty()
        && let Some(first) = questions.first()
    {
        query.filters.question = first.key.clone();
        query.analysis.push(("question".into(), first.key.clone()));
    }
    let request = parse_request(&query.analysis)?;
    Ok(View { basis, questions, query, request })
}

/// The figures the map shows for the query, with their scale and the map's title.
fn map_figures(metric: &MapMetric, report: &Report) -> Result<(Vec<AreaFigure>, Scale, String), AppError> {
    let first_part = report.questions.first();
    if let MapMetric::Option(key) = metric
        && !first_part.is_some_and(|p| p.citywide.options.iter().any(|o| &o.key == key))
    {
        return Err(parameter("map", &format!("`{key}` is not an option of the question shown.")));
    }
    if metric.reads_answers() && first_part.is_none() {
        return Err(parameter("map", "this survey has no question with results to map."));
    }
    Ok(match (metric, first_part) {
        (MapMetric::Headline, Some(part)) => (
            answer_figures(&part.groups, metric),
            Scale::of_headline(part.headline),
            format!("{} — {}", part.text, headline_name(part.headline)),
        ),
        (MapMetric::Option(key), Some(part)) => {
            let label = part.citywide.options.iter().find(|o| &o.key == key).map_or(key.as_str(), |o| o.label.as_str());
            (answer_figures(&part.groups, metric), Scale::Share, format!("{} — % choosing “{label}”", part.text))
        }
        (MapMetric::Representation, _) => (
            participation_figures(&report.participation, metric),
            Scale::Ratio,
            "Representation: share of responses ÷ share of residents".to_owned(),
        ),
        _ => (
            participation_figures(&report.participation, metric),
            Scale::PerThousand,
            crate::domain::dashboard::words::per_thousand_title(report.summary.compared_with),
        ),
    })
}

/// The staff dashboard for one survey, as `viewer` may see it.
pub async fn dashboard(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    survey_id: i64,
    pairs: &[(String, String)],
    suppression_threshold: u64,
) -> Result<Dashboard, AppError> {
    let View { basis, questions, query, mut request } = view(db, survey_id, pairs).await?;
    // By area first; a cross-tab is a second analysis of the same responses.
    let by = request.by.take();
    let main = results::analyse(db, &basis, request).await?;
    let crosstab = match by {
        Some(by) => {
            let crossed = ResultsRequest { by: Some(by), ..main.request.clone() };
            results::analyse(db, &basis, crossed).await?.report.questions
        }
        None => Vec::new(),
    };
    let (mut figures, scale, title) = map_figures(&query.map, &main.report)?;
    let map = map_legend(db, main.area_set.as_deref(), &figures, (scale, &title), main.report.summary.under_threshold)
        .await?;
    sort_figures(&mut figures, query.sort);
    let waves = match basis.row.previous_wave_id {
        Some(previous) => {
            let compared = results::waves_of(db, &main, Some(previous)).await?;
            Some(WavesView { waves: compared.waves, questions: compared.questions })
        }
        None => None,
    };
    let row = basis.row;
    let survey = surveys::to_summary(&row)?;
    let report = main.report;
    // The areas' figures travel once, in `chart`: by area, a question's parts were half a
    // megabyte of the page's data for 462 areas, and nothing on the page reads them.
    let parts = report.questions.into_iter().map(|p| PartResult { groups: Vec::new(), ..p }).collect();
    Ok(Dashboard {
        survey,
        results_public: row.results_public,
        publications: results::publication::publications(db, row.id).await?,
        can_publish: viewer.role.grants(Role::Designer),
        sees_free_text: viewer.role.grants(Role::Analyst),
        area_set: main.area_set,
        generated_at: main.generated_at,
        filters: query.filters,
        questions,
        respondents: report.respondents,
        weighting: report.weighting,
        summary: report.summary,
        demographics: report.demographics,
        outreach: outreach(&report.participation),
        parts,
        crosstab,
        map,
        chart: AreaChart { title, scale, figures },
        waves,
        public_key: row.public_key,
        suppression_threshold,
    })
}

/// The dashboard's map as an SVG file (`/api/v1/surveys/ID/results/map.svg?…`, the dashboard's
/// own parameters): one analysis of the shown question, no cross-tab, no waves.
pub async fn map_file(db: &DatabaseConnection, survey_id: i64, pairs: &[(String, String)]) -> Result<String, AppError> {
    let View { basis, query, mut request, .. } = view(db, survey_id, pairs).await?;
    // A cross-tab does not change the map.
    request.by = None;
    let main = results::analyse(db, &basis, request).await?;
    let (figures, scale, title) = map_figures(&query.map, &main.report)?;
    let under = main.report.summary.under_threshold;
    drawn_map(db, main.area_set.as_deref(), basis.definition.default_language(), &figures, (scale, &title), under).await
}

/// A whole SVG document of the map ([`choropleth_document`]) for these figures.
pub(crate) async fn drawn_map(
    db: &DatabaseConnection,
    area_set: Option<&str>,
    language: &str,
    figures: &[AreaFigure],
    (scale, title): (Scale, &str),
    under_threshold: f64,
) -> Result<String, AppError> {
    let Some(set) = area_set else { return Err(AppError::NotFound) };
    let shapes = areas::area_map(db, Some(set), language).await?;
    let legend = legend_of(figures, scale, under_threshold);
    Ok(choropleth_document(&shapes, figures, &legend, title))
}

/// The legend's classes are cut from the figures the map colours: those too uncertain to tell
/// are dotted and counted apart.
fn legend_of(figures: &[AreaFigure], scale: Scale, under_threshold: f64) -> Legend {
    let values: Vec<Option<f64>> =
        figures.iter().filter(|f| !too_few_to_tell(f, scale)).map(|f| f.value.map(|e| e.value)).collect();
    Legend::for_values(scale, &values, under_threshold)
}

pub(crate) fn headline_name(headline: crate::domain::analytics::results::Headline) -> &'static str {
    use crate::domain::analytics::results::Headline;
    match headline {
        Headline::TopOption => "% choosing the most common answer",
        Headline::TopTwoBox => "% in the top two points",
        Headline::NetPromoterScore => "net promoter score",
        Headline::Mean => "mean",
        Headline::None => "answers",
    }
}

/// The areas furthest below their population share, most responses needed first.
pub fn outreach(participation: &[AreaParticipation]) -> Vec<AreaParticipation> {
    let mut below: Vec<AreaParticipation> =
        participation.iter().filter(|a| a.responses_needed.is_some_and(|n| n > 0)).cloned().collect();
    below.sort_by(|a, b| {
        b.responses_needed
            .cmp(&a.responses_needed)
            .then_with(|| crate::domain::geography::natural_order(&a.name, &b.name))
    });
    below.truncate(OUTREACH_AREAS);
    below
}

/// What the map will show for these figures (its legend and counts), when the survey's area set
/// has a map. The map itself is a file ([`map_file`]); the page needs only its height.
pub(crate) async fn map_legend(
    db: &DatabaseConnection,
    area_set: Option<&str>,
    figures: &[AreaFigure],
    (scale, title): (Scale, &str),
    under_threshold: f64,
) -> Result<Option<ResultsMap>, AppError> {
    let Some(height) = areas::map_height(db, area_set).await? else { return Ok(None) };
    Ok(Some(ResultsMap {
        height,
        title: title.to_owned(),
        withheld: figures.iter().filter(|f| f.withheld).count(),
        too_few_to_tell: figures.iter().filter(|f| too_few_to_tell(f, scale)).count(),
        no_data: figures.iter().filter(|f| !f.withheld && f.value.is_none()).count(),
        legend: legend_of(figures, scale, under_threshold),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn blank_filters_count_as_not_given_and_page_parameters_stay_out_of_the_analysis() {
        let query = parse_query(&pairs(&[
            ("question", "safe"),
            ("from", ""),
            ("weight", " age "),
            ("map", "representation"),
            ("sort", "lowest"),
        ]))
        .expect("a good query");
        assert_eq!(query.analysis, pairs(&[("question", "safe"), ("weight", "age")]));
        assert_eq!(query.map, MapMetric::Representation);
        assert_eq!(query.sort, SortOrder::ValueAscending);
        assert_eq!(query.filters.from, "");
        assert_eq!(query.filters.analysis_pairs(), vec![("question", "safe"), ("weight", "age")]);
    }

    #[test]
    fn a_bad_page_parameter_is_refused_by_name() {
        for (name, value) in [("map", "turnout"), ("sort", "random"), ("question", "a,b")] {
            match parse_query(&pairs(&[(name, value)])) {
                Err(AppError::BadRequest { field, .. }) => assert_eq!(field, name),
                other => panic!("{name}={value}: {other:?}"),
            }
        }
    }
}

//! The staff dashboard's data (the public page is `services::public_results`, the fieldwork
//! view `services::fieldwork`). The analysis is `services::results`; this module picks the question, draws the
//! map and orders the figures (`domain::dashboard`), and checks the page's own parameters.

use sea_orm::DatabaseConnection;

use crate::components::charts::choropleth_svg;
use crate::db::surveys;
use crate::domain::Role;
use crate::domain::analytics::participation::AreaParticipation;
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::analytics::results::{PartOutline, PartResult, outline};
use crate::domain::dashboard::figures::{
    AreaFigure, MapMetric, Scale, SortOrder, answer_figures, participation_figures, sort_figures,
};
use crate::domain::dashboard::legend::Legend;
use crate::domain::navigation::with_query;
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
    AppError::invalid(name, "parameter_invalid", &format!("`{name}`: {message}"))
}

fn parse_request(pairs: &[(String, String)]) -> Result<ResultsRequest, AppError> {
    ResultsRequest::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|p| AppError::invalid(&p.parameter, "parameter_invalid", &p.message))
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

/// The staff dashboard for one survey, as `viewer` may see it.
pub async fn dashboard(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    survey_id: i64,
    pairs: &[(String, String)],
    suppression_threshold: u64,
) -> Result<Dashboard, AppError> {
    let row = surveys::find(db, survey_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let survey = surveys::to_summary(&row)?;
    let definition = surveys::definition_of(&row)?;
    let questions = question_choices(&definition);
    let mut query = parse_query(pairs)?;
    if query.filters.question.is_empty()
        && let Some(first) = questions.first()
    {
        query.filters.question = first.key.clone();
        query.analysis.push(("question".into(), first.key.clone()));
    }
    let mut request = parse_request(&query.analysis)?;
    // By area first; a cross-tab is a second analysis of the same responses.
    let by = request.by.take();
    let main = results::survey_results(db, survey_id, request.clone()).await?;
    let crosstab = match by {
        Some(by) => {
            let crossed = ResultsRequest { by: Some(by), ..request.clone() };
            results::survey_results(db, survey_id, crossed).await?.report.questions
        }
        None => Vec::new(),
    };
    let report = main.report;
    let first_part = report.questions.first();
    if let MapMetric::Option(key) = &query.map
        && !first_part.is_some_and(|p| p.citywide.options.iter().any(|o| &o.key == key))
    {
        return Err(parameter("map", &format!("`{key}` is not an option of the question shown.")));
    }
    if query.map.reads_answers() && first_part.is_none() {
        return Err(parameter("map", "this survey has no question with results to map."));
    }
    let (mut figures, scale, title) = match (&query.map, first_part) {
        (MapMetric::Headline, Some(part)) => (
            answer_figures(&part.groups, &query.map),
            Scale::of_headline(part.headline),
            format!("{} — {}", part.text, headline_name(part.headline)),
        ),
        (MapMetric::Option(key), Some(part)) => {
            let label = part.citywide.options.iter().find(|o| &o.key == key).map_or(key.as_str(), |o| o.label.as_str());
            (answer_figures(&part.groups, &query.map), Scale::Share, format!("{} — % choosing “{label}”", part.text))
        }
        (MapMetric::Representation, _) => (
            participation_figures(&report.participation, &query.map),
            Scale::Ratio,
            "Representation: share of responses ÷ share of residents".to_owned(),
        ),
        _ => (
            participation_figures(&report.participation, &query.map),
            Scale::PerThousand,
            "Responses per 1,000 residents".to_owned(),
        ),
    };
    let language = definition.default_language().to_owned();
    // The map file draws the same view: only what changes the map goes in its address.
    let map_pairs: Vec<(&str, &str)> =
        query.filters.pairs().into_iter().filter(|(k, _)| !matches!(*k, "by" | "sort")).collect();
    let src = with_query(&format!("/api/v1/surveys/{survey_id}/results/map.svg"), &map_pairs);
    let map =
        draw(db, main.area_set.as_deref(), &language, &figures, (scale, &title), report.summary.under_threshold, src)
            .await?;
    sort_figures(&mut figures, query.sort);
    let waves = match row.previous_wave_id {
        Some(_) => {
            let compared = results::wave_results(db, survey_id, request).await?;
            Some(WavesView { waves: compared.waves, questions: compared.questions })
        }
        None => None,
    };
    // The areas' figures travel once, in `chart`: by area, a question's parts were half a
    // megabyte of the page's data for 462 areas, and nothing on the page reads them.
    let parts = report.questions.into_iter().map(|p| PartResult { groups: Vec::new(), ..p }).collect();
    Ok(Dashboard {
        survey,
        results_public: row.results_public,
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
/// own parameters).
pub async fn map_file(
    db: &DatabaseConnection,
    viewer: &CurrentUser,
    survey_id: i64,
    pairs: &[(String, String)],
    suppression_threshold: u64,
) -> Result<String, AppError> {
    // A cross-tab does not change the map; it would only cost a second analysis.
    let pairs: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "by").cloned().collect();
    let d = dashboard(db, viewer, survey_id, &pairs, suppression_threshold).await?;
    let row = surveys::find(db, survey_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    let language = surveys::definition_of(&row)?.default_language().to_owned();
    let map = d.map.ok_or(AppError::NotFound)?;
    drawn_map(db, d.area_set.as_deref(), &language, &d.chart.figures, &map).await
}

/// A whole SVG document of the map: its shapes filled by class, each titled with its area's
/// name and figure, and its own stroke style (a file has no page stylesheet).
pub(crate) async fn drawn_map(
    db: &DatabaseConnection,
    area_set: Option<&str>,
    language: &str,
    figures: &[AreaFigure],
    map: &ResultsMap,
) -> Result<String, AppError> {
    let Some(set) = area_set else { return Err(AppError::NotFound) };
    let shapes = areas::area_map(db, Some(set), language).await?;
    let inner = choropleth_svg(&shapes, figures, &map.legend);
    let title = crate::components::area_map::escape(&map.title);
    Ok(format!(
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 {height}\" width=\"1000\" ",
            "height=\"{height}\" role=\"img\"><title>{title}</title>",
            "<style>path{{stroke:#ffffff;stroke-width:.6;fill-rule:evenodd;vector-effect:non-scaling-stroke}}</style>{inner}</svg>"
        ),
        height = map.height,
        title = title,
        inner = inner
    ))
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
/// has a map; `src` is where the drawn map is fetched from ([`map_file`], [`drawn_map`]).
pub(crate) async fn draw(
    db: &DatabaseConnection,
    area_set: Option<&str>,
    language: &str,
    figures: &[AreaFigure],
    (scale, title): (Scale, &str),
    under_threshold: f64,
    src: String,
) -> Result<Option<ResultsMap>, AppError> {
    let Some(set) = area_set else { return Ok(None) };
    let map = match areas::area_map(db, Some(set), language).await {
        Ok(map) => map,
        Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let values: Vec<Option<f64>> = figures.iter().map(|f| f.value.map(|e| e.value)).collect();
    let legend = Legend::for_values(scale, &values, under_threshold);
    Ok(Some(ResultsMap {
        src,
        height: map.height,
        title: title.to_owned(),
        withheld: figures.iter().filter(|f| f.withheld).count(),
        no_data: figures.iter().filter(|f| !f.withheld && f.value.is_none()).count(),
        legend,
    }))
}

/// Switches a survey's public results page on or off (designers and administrators).
pub async fn set_results_public(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    survey_id: i64,
    public: bool,
) -> Result<(), AppError> {
    surveys::find(db, survey_id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
    surveys::set_results_public(db, survey_id, public).await.map_err(internal)?;
    crate::db::audit::record(
        db,
        Some(actor.id),
        if public { "survey.results_published" } else { "survey.results_unpublished" },
        &format!("survey:{survey_id}"),
        serde_json::json!({}),
    )
    .await
    .map_err(internal)
}

pub(crate) fn internal(e: sea_orm::DbErr) -> AppError {
    tracing::error!(error = %e, "results page query failed");
    AppError::Internal
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
                Err(AppError::Invalid { field, .. }) => assert_eq!(field, name),
                other => panic!("{name}={value}: {other:?}"),
            }
        }
    }
}

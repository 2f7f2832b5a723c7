//! A survey's public results page (`/s/{key}/results`) and its files: only the survey's latest
//! publication (`services::results::publication`), where counts under the city's threshold are
//! withheld, plus a short note on how the figures were made. Off until staff publish.

use sea_orm::DatabaseConnection;

use crate::db::surveys;
use crate::domain::analytics::public::{PublicPart, PublicReport};
use crate::domain::dashboard::figures::{
    AreaFigure, MapMetric, Scale, SortOrder, published_answer_figures, published_participation_figures, sort_figures,
};
use crate::domain::dashboard::words::margin_of_error;
use crate::domain::dates::readable_time;
use crate::domain::survey::lifecycle::Status;
use crate::error::AppError;
use crate::models::results::{AreaChart, MethodsNote, PublicResults, QuestionChoice};
use crate::services::results::dashboard::{drawn_map, headline_name, map_legend, parameter, question_choices};
use crate::services::results::{self, PublishedResults, publication};

/// One public view, checked once: the survey and its publication (read once, and only when its
/// page is switched on), the question and the map's metric. The page and its files start here.
struct View {
    basis: results::SurveyBasis,
    published: PublishedResults,
    questions: Vec<QuestionChoice>,
    question: String,
    metric: MapMetric,
}

async fn view(db: &DatabaseConnection, public_key: &str, pairs: &[(String, String)]) -> Result<View, AppError> {
    let row = surveys::find_by_public_key(db, public_key).await?.ok_or(AppError::NotFound)?;
    let published = publication::published(db, &row).await?;
    let basis = results::basis_of(db, row).await?;
    // The published questions (demographics never are), in survey order.
    let questions: Vec<QuestionChoice> = question_choices(&basis.definition)
        .into_iter()
        .filter(|q| published.report.questions.iter().any(|p| p.question == q.key))
        .collect();
    // Only the question and the map's metric may be chosen: no filters on the public page.
    let mut question = String::new();
    let mut metric = MapMetric::PerThousand;
    for (name, value) in pairs {
        match (name.as_str(), value.trim()) {
            (_, "") => {}
            ("question", v) => {
                if !questions.iter().any(|q| q.key == v) {
                    return Err(parameter("question", &format!("`{v}` is not a question of this survey.")));
                }
                question = v.to_owned();
            }
            ("map", v) => {
                metric = MapMetric::parse(v)
                    .filter(|m| !matches!(m, MapMetric::Option(_)))
                    .ok_or_else(|| parameter("map", "use per_thousand, representation or answer."))?;
            }
            (other, _) => return Err(parameter(other, "this page takes only `question` and `map`.")),
        }
    }
    if question.is_empty()
        && let Some(first) = questions.first()
    {
        question = first.key.clone();
    }
    Ok(View { basis, published, questions, question, metric })
}

impl View {
    /// The publication, with only the view's question's parts.
    fn of_question(&self) -> PublicReport {
        let mut report = self.published.report.clone();
        report.questions.retain(|p| p.question == self.question);
        report
    }
}

/// The published figures the map shows, with their scale and the map's title.
fn map_figures(metric: &MapMetric, report: &PublicReport) -> (Vec<AreaFigure>, Scale, String) {
    match (metric, report.questions.first()) {
        (MapMetric::Headline, Some(part)) => (
            published_answer_figures(&part.groups, metric),
            Scale::of_headline(part.headline),
            format!("{} — {}", part.text, headline_name(part.headline)),
        ),
        (MapMetric::Representation, _) => (
            published_participation_figures(&report.participation, metric),
            Scale::Ratio,
            "Representation: share of responses ÷ share of residents".to_owned(),
        ),
        _ => (
            published_participation_figures(&report.participation, &MapMetric::PerThousand),
            Scale::PerThousand,
            crate::domain::dashboard::words::per_thousand_title(report.summary.compared_with),
        ),
    }
}

/// A survey's public results page, when staff have published. Everything on it comes from the
/// publication.
pub async fn public_results(
    db: &DatabaseConnection,
    public_key: &str,
    pairs: &[(String, String)],
) -> Result<PublicResults, AppError> {
    let view = view(db, public_key, pairs).await?;
    let report = view.of_question();
    let published = &view.published;
    let (figures, scale, title) = map_figures(&view.metric, &report);
    let drawn =
        map_legend(db, published.area_set.as_deref(), &figures, (scale, &title), report.summary.under_threshold)
            .await?;
    let mut sorted = figures;
    sort_figures(&mut sorted, SortOrder::Name);
    let threshold = report.threshold;
    let View { basis, published, questions, question, metric } = view;
    let row = basis.row;
    let channels = published.channels.clone();
    let effective = report.respondents.map(|n| n as f64);
    let status = surveys::effective_status(&row)?;
    let methods = MethodsNote {
        opened: row.opens_at.map(readable_time),
        closed: match status {
            Status::Closed | Status::Archived => row.closes_at.map(readable_time).or(Some("closed".to_owned())),
            _ => None,
        },
        channels,
        respondents: report.respondents,
        weighting: "Not weighted: each response counts once.".to_owned(),
        margin_of_error: effective.and_then(margin_of_error),
        threshold,
        area_set: published.area_set,
        generated_at: published.generated_at,
    };
    Ok(PublicResults {
        title: published.title,
        public_key: row.public_key,
        question,
        metric: metric.as_param(),
        questions,
        // By area, the figures are in `chart`.
        parts: report.questions.into_iter().map(|p| PublicPart { groups: Vec::new(), ..p }).collect(),
        map: drawn,
        chart: AreaChart { title, scale, figures: sorted },
        methods,
    })
}

/// The public page's map as an SVG file (`/s/KEY/results/map.svg?question=…&map=…`): drawn from
/// the publication, so a withheld area is hatched here too.
pub async fn map_file(
    db: &DatabaseConnection,
    public_key: &str,
    pairs: &[(String, String)],
) -> Result<String, AppError> {
    let view = view(db, public_key, pairs).await?;
    let report = view.of_question();
    let (figures, scale, title) = map_figures(&view.metric, &report);
    let language = view.basis.definition.default_language();
    let under = report.summary.under_threshold;
    drawn_map(db, view.published.area_set.as_deref(), language, &figures, (scale, &title), under).await
}

/// A survey's publication as a stranger downloads it (`/s/KEY/results/data.json`): the whole
/// publication, whatever the page shows.
pub async fn published_file(db: &DatabaseConnection, public_key: &str) -> Result<PublishedResults, AppError> {
    let row = surveys::find_by_public_key(db, public_key).await?.ok_or(AppError::NotFound)?;
    publication::published(db, &row).await
}

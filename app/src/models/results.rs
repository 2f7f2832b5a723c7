//! What the results pages receive: the staff dashboard, the live fieldwork view, and the public
//! results page. Every figure comes from `domain::analytics`; these types only carry it.

use serde::{Deserialize, Serialize};

use crate::domain::analytics::participation::{AreaParticipation, DemographicComparison, ParticipationSummary};
use crate::domain::analytics::public::PublicPart;
use crate::domain::analytics::report::WeightingSummary;
use crate::domain::analytics::results::PartResult;
use crate::domain::analytics::waves::WaveComparison;
use crate::domain::dashboard::figures::{AreaFigure, Scale};
use crate::domain::dashboard::legend::Legend;
use crate::models::SurveySummary;

/// A question a leader can pick, with its options (for "% choosing", group filters and
/// cross-tabs). Grid statements and demographic items are parts: `question.part`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionChoice {
    pub key: String,
    pub text: String,
    /// Parts with options: (part key, its text, options as (key, label)), and whether each
    /// respondent gives one answer (usable for cross-tabs).
    pub parts: Vec<PartChoice>,
}

/// A question part with options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartChoice {
    pub key: String,
    pub text: String,
    pub options: Vec<(String, String)>,
    pub exclusive: bool,
}

/// What the dashboard was asked for, as the filter form shows it (empty: not set).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultsFilters {
    pub question: String,
    pub weight: String,
    pub channel: String,
    pub from: String,
    pub to: String,
    pub group: String,
    pub by: String,
    pub map: String,
    pub sort: String,
}

impl ResultsFilters {
    /// The filters as query pairs, leaving out the empty ones.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("question", &self.question),
            ("weight", &self.weight),
            ("channel", &self.channel),
            ("from", &self.from),
            ("to", &self.to),
            ("group", &self.group),
            ("by", &self.by),
            ("map", &self.map),
            ("sort", &self.sort),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect()
    }

    /// The filters the analysis reads (for export links): the page's own `map` and `sort` left out.
    pub fn analysis_pairs(&self) -> Vec<(&'static str, &str)> {
        self.pairs().into_iter().filter(|(k, _)| !matches!(*k, "map" | "sort")).collect()
    }
}

/// A choropleth map: its legend and counts. The map itself is an SVG file the server draws
/// (so the page carries the 462 shapes neither twice — drawn and in the data it hydrates from —
/// nor on every visit); the page names its address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsMap {
    pub height: f64,
    pub title: String,
    pub legend: Legend,
    /// Areas hatched because their figures are withheld.
    pub withheld: usize,
    /// Areas dotted because their figures' intervals are too wide to colour.
    #[serde(default)]
    pub too_few_to_tell: usize,
    /// Areas grey because they have no figure.
    pub no_data: usize,
}

/// The figures behind the map and the bars by area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaChart {
    pub title: String,
    pub scale: Scale,
    /// Sorted as asked.
    pub figures: Vec<AreaFigure>,
}

/// One publication of a survey's results, as staff see it listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationSummary {
    pub id: i64,
    pub published_at: String,
    /// Who published it (`None`: the command line, or a quick poll's automatic refresh).
    pub published_by: Option<String>,
    pub respondents: Option<u64>,
    /// How many counts it withholds.
    pub withheld: u64,
    pub threshold: u64,
}

/// The survey results dashboard for staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub survey: SurveySummary,
    pub results_public: bool,
    /// Staff publications, newest first: the first is what the public page shows.
    pub publications: Vec<PublicationSummary>,
    /// Designers and administrators may switch the public page on or off.
    pub can_publish: bool,
    /// Analysts and administrators get free-text answers in the microdata export.
    pub sees_free_text: bool,
    pub area_set: Option<String>,
    pub generated_at: String,
    pub filters: ResultsFilters,
    pub questions: Vec<QuestionChoice>,
    pub respondents: u64,
    pub weighting: Option<WeightingSummary>,
    pub summary: ParticipationSummary,
    pub demographics: Vec<DemographicComparison>,
    /// The chosen question's parts, city-wide (`groups` is empty: the areas' figures are in
    /// `chart`).
    pub parts: Vec<PartResult>,
    /// The chosen question's parts by the `by` question's answers (cross-tab).
    pub crosstab: Vec<PartResult>,
    pub map: Option<ResultsMap>,
    pub chart: AreaChart,
    /// The areas furthest below their population share, most responses needed first.
    pub outreach: Vec<AreaParticipation>,
    /// The chosen question across the survey's waves (when it has earlier ones).
    pub waves: Option<WavesView>,
    /// The survey's public key, for the public page's address.
    pub public_key: String,
    /// The smallest count published.
    pub suppression_threshold: u64,
}

/// The chosen question across waves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WavesView {
    pub waves: Vec<(i64, String)>,
    pub questions: Vec<WaveComparison>,
}

/// The live fieldwork view of an open survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fieldwork {
    pub survey: SurveySummary,
    pub responses: u64,
    pub today: u64,
    /// When the latest response came (`2026-11-22 14:05 UTC`).
    pub latest: Option<String>,
    pub by_channel: Vec<(String, u64)>,
    pub summary: ParticipationSummary,
    /// The areas furthest below their population share, most responses needed first.
    pub outreach: Vec<AreaParticipation>,
    pub checked_at: String,
}

/// A survey's public results page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicResults {
    pub title: String,
    pub public_key: String,
    pub question: String,
    /// The map's metric, as its parameter (`per_thousand`, `representation`, `answer`).
    pub metric: String,
    pub questions: Vec<QuestionChoice>,
    pub parts: Vec<PublicPart>,
    pub map: Option<ResultsMap>,
    pub chart: AreaChart,
    pub methods: MethodsNote,
}

/// How the public results were made, in a few facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodsNote {
    pub opened: Option<String>,
    pub closed: Option<String>,
    /// Channels with responses, e.g. ["open link", "invited sample"].
    pub channels: Vec<String>,
    /// `None` when fewer than the threshold (never, in practice).
    pub respondents: Option<u64>,
    pub weighting: String,
    pub margin_of_error: Option<String>,
    pub threshold: u64,
    pub area_set: Option<String>,
    pub generated_at: String,
}

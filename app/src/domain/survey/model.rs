//! A survey definition: the versioned JSON format staff import and export (see
//! `docs/SURVEY_FORMAT.md`), and the shape the designer edits.
//!
//! Every page, question, option and statement has a stable `key` that is kept across edits and
//! waves: exports, the API and comparisons between waves use keys, never positions or wording.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::check::Problem;
use super::demographics::DemographicItem;
use super::logic::Condition;

/// The version of the definition format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A text in each of the survey's languages: `{"en": "How safe…", "es": "¿Qué tan seguro…"}`.
pub type Text = BTreeMap<String, String>;

/// What kind of survey this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    /// Pages of questions.
    Survey,
    /// Exactly one question with its own short flow, embeddable in a city website.
    QuickPoll,
}

/// A whole survey, as imported, exported and edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// Always [`FORMAT_VERSION`] for files this build writes.
    pub format: u32,
    pub kind: SurveyKind,
    /// Language tags (`en`, `es`, `vi`…); the first is the default, used when a translation is missing.
    pub languages: Vec<String>,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// A consent or privacy notice shown before the first question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Text>,
    /// For quick polls: whether residents see the results after answering.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub show_results: bool,
    /// For quick polls that show results: only once the poll has closed (never while votes come
    /// in). See [`PollResults`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub results_after_close: bool,
    pub pages: Vec<Page>,
}

/// An ordered group of questions shown on one screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// The page is shown only when this holds (display rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// One item a resident answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The question is shown only when this holds (display rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// How a single-choice question is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceDisplay {
    /// Radio buttons: every option visible (best up to about eight options).
    #[default]
    Radio,
    /// A drop-down list, for long lists.
    Dropdown,
}

/// The kind of a question and its settings. In JSON, `"type"` names the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Pick one option.
    SingleChoice {
        options: Vec<Choice>,
        #[serde(default)]
        display: ChoiceDisplay,
        /// Label of an "other, please specify" option, if offered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<Text>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        randomize: bool,
    },
    /// Pick several options, between `min_selected` and `max_selected`.
    MultipleChoice {
        options: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_selected: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_selected: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<Text>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        randomize: bool,
    },
    /// A number on a scale such as 1–5, with labels for the ends.
    Rating {
        min: i32,
        max: i32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_label: Option<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_label: Option<Text>,
        /// Label of a "don't know" answer, if offered.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dont_know: Option<Text>,
    },
    /// Several statements, each answered on the same scale (a Likert grid or matrix).
    Grid {
        statements: Vec<Choice>,
        scale: Vec<Choice>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dont_know: Option<Text>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        randomize: bool,
    },
    /// Net Promoter Score: 0–10.
    Nps {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_label: Option<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_label: Option<Text>,
    },
    /// A number, optionally bounded, whole or decimal.
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        integer: bool,
    },
    /// A calendar date (`YYYY-MM-DD`), optionally bounded.
    Date {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<String>,
    },
    /// One line of text.
    ShortText {
        #[serde(default = "default_short_max")]
        max_length: u32,
    },
    /// A paragraph of text.
    LongText {
        #[serde(default = "default_long_max")]
        max_length: u32,
    },
    /// Put the options in order of preference.
    Ranking {
        options: Vec<Choice>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        randomize: bool,
    },
    /// The resident's area (neighborhood), from an area set.
    Area {
        /// The area set to choose from; the city's default set when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area_set: Option<String>,
    },
    /// Standard demographic questions, each with "prefer not to say".
    Demographics { items: Vec<DemographicItem> },
}

fn default_short_max() -> u32 {
    200
}

fn default_long_max() -> u32 {
    5000
}

/// One option of a choice, ranking or grid question, or one statement of a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub key: String,
    pub label: Text,
}

impl QuestionKind {
    /// The stable name of the kind, as in the JSON `"type"`.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::Grid { .. } => "grid",
            QuestionKind::Nps { .. } => "nps",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Date { .. } => "date",
            QuestionKind::ShortText { .. } => "short_text",
            QuestionKind::LongText { .. } => "long_text",
            QuestionKind::Ranking { .. } => "ranking",
            QuestionKind::Area { .. } => "area",
            QuestionKind::Demographics { .. } => "demographics",
        }
    }

    /// The options a resident picks from (choice and ranking questions), if any.
    pub fn options(&self) -> Option<&[Choice]> {
        match self {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options, .. } => Some(options),
            QuestionKind::Grid { scale, .. } => Some(scale),
            _ => None,
        }
    }
}

/// When a quick poll shows residents its results (from its latest publication, with small
/// counts withheld).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PollResults {
    Hidden,
    /// On the thank-you page, from a snapshot taken again at most every few minutes.
    AfterVoting,
    /// Only once the poll has closed, on its closed page.
    AfterClose,
}

impl PollResults {
    /// The settings form's value.
    pub fn as_str(self) -> &'static str {
        match self {
            PollResults::Hidden => "hidden",
            PollResults::AfterVoting => "after_voting",
            PollResults::AfterClose => "after_close",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [PollResults::Hidden, PollResults::AfterVoting, PollResults::AfterClose]
            .into_iter()
            .find(|p| p.as_str() == value)
    }
}

impl SurveyDefinition {
    /// When residents see this poll's results.
    pub fn poll_results(&self) -> PollResults {
        match (self.show_results, self.results_after_close) {
            (false, _) => PollResults::Hidden,
            (true, false) => PollResults::AfterVoting,
            (true, true) => PollResults::AfterClose,
        }
    }

    pub fn set_poll_results(&mut self, results: PollResults) {
        self.show_results = results != PollResults::Hidden;
        self.results_after_close = results == PollResults::AfterClose;
    }

    /// The default language (the first listed).
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("en", String::as_str)
    }

    /// Every question, in order, with the index of its page.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.pages.iter().enumerate().flat_map(|(i, page)| page.questions.iter().map(move |q| (i, q)))
    }

    /// The question with this key.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.key == key)
    }

    /// Parses a definition from JSON; the error names the path of the first problem.
    pub fn from_json(json: &str) -> Result<Self, Problem> {
        let deserializer = &mut serde_json::Deserializer::from_str(json);
        let survey: Self = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { "(top level)".to_owned() } else { path };
            Problem { path, reason: e.inner().to_string() }
        })?;
        // Questions are read with `flatten`, which cannot refuse unknown fields by itself; a
        // misspelt setting must not vanish silently.
        let raw: serde_json::Value =
            serde_json::from_str(json).map_err(|e| Problem { path: "(file)".into(), reason: e.to_string() })?;
        for (p, page) in raw["pages"].as_array().into_iter().flatten().enumerate() {
            for (q, question) in page["questions"].as_array().into_iter().flatten().enumerate() {
                let kind = question["type"].as_str().unwrap_or_default();
                for field in question.as_object().into_iter().flat_map(|o| o.keys()) {
                    if !QUESTION_FIELDS.contains(&field.as_str()) && !kind_fields(kind).contains(&field.as_str()) {
                        return Err(Problem {
                            path: format!("pages[{p}].questions[{q}]"),
                            reason: format!("unknown field `{field}` for a {kind} question"),
                        });
                    }
                }
            }
        }
        Ok(survey)
    }

    /// The definition as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Fields every question has.
const QUESTION_FIELDS: [&str; 6] = ["key", "type", "text", "help", "required", "show_if"];

/// The settings of each kind of question, as named in JSON.
fn kind_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "single_choice" => &["options", "display", "other", "randomize"],
        "multiple_choice" => &["options", "min_selected", "max_selected", "other", "randomize"],
        "rating" => &["min", "max", "min_label", "max_label", "dont_know"],
        "grid" => &["statements", "scale", "dont_know", "randomize"],
        "nps" => &["min_label", "max_label"],
        "number" => &["min", "max", "integer"],
        "date" => &["min", "max"],
        "short_text" | "long_text" => &["max_length"],
        "ranking" => &["options", "randomize"],
        "area" => &["area_set"],
        "demographics" => &["items"],
        _ => &[],
    }
}

/// The text in `language`, else in `default`, else any text at all.
pub fn localized<'a>(text: &'a Text, language: &str, default: &str) -> &'a str {
    text.get(language).or_else(|| text.get(default)).or_else(|| text.values().next()).map_or("", String::as_str)
}

//! What the resident's page script (`public/resident.js`) is told about the page it runs on, so
//! that it can apply display rules and find unanswered questions as the resident answers,
//! without the WebAssembly of the staff pages.
//!
//! The script holds a second implementation of display rules (`logic`) and of reading answers
//! from the form (`form_fields::raw_answers` with `answers::check_answer`). The two are kept in
//! step by shared test vectors: `app/tests/resident_script_vectors.json` is written by this
//! module's tests from the Rust evaluator, and `end2end/unit/resident-script.test.mjs` runs the
//! script against the same file. Only "please answer this question" is found in the browser;
//! every other problem comes back from the server, which checks everything again.

use serde::Serialize;

use super::answers::{AnswerProblem, Answers};
use super::flow::{Fields, walk_fields};
use super::logic::Condition;
use super::model::{QuestionKind, SurveyDefinition, localized};
use crate::domain::interface_text::answer_problem;

/// The page script's view of one survey page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageScript {
    /// The page's questions, in order.
    pub questions: Vec<ScriptQuestion>,
    /// The valid answers from earlier pages that this page's display rules test.
    pub known: Answers,
    /// "Please answer this question." in the resident's language.
    pub required_message: String,
}

/// One question as the page script sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScriptQuestion {
    pub key: String,
    /// The question's text, for the list of problems.
    pub label: String,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    #[serde(flatten)]
    pub kind: ScriptKind,
}

/// What the script needs of a question's kind to read a valid answer from the form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ScriptKind {
    Choice { options: Vec<String>, other: bool },
    Choices { options: Vec<String>, other: bool, min: Option<u32>, max: Option<u32> },
    Rating { min: i32, max: i32, dont_know: bool },
    Nps,
    Grid { statements: Vec<String>, scale: Vec<String>, dont_know: bool },
    Number { min: f64, max: f64, integer: bool },
    Date { min: Option<String>, max: Option<String> },
    Text { max_length: u32 },
    Ranking { options: Vec<String> },
    Area,
    Demographics { items: Vec<ScriptItem> },
}

/// One item of a demographics block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScriptItem {
    pub key: String,
    pub multiple: bool,
    pub options: Vec<String>,
}

fn keys(choices: &[super::Choice]) -> Vec<String> {
    choices.iter().map(|c| c.key.clone()).collect()
}

fn script_kind(kind: &QuestionKind) -> ScriptKind {
    match kind {
        QuestionKind::SingleChoice { options, other, .. } => {
            ScriptKind::Choice { options: keys(options), other: other.is_some() }
        }
        QuestionKind::MultipleChoice { options, other, min_selected, max_selected, .. } => ScriptKind::Choices {
            options: keys(options),
            other: other.is_some(),
            min: *min_selected,
            max: *max_selected,
        },
        QuestionKind::Rating { min, max, dont_know, .. } => {
            ScriptKind::Rating { min: *min, max: *max, dont_know: dont_know.is_some() }
        }
        QuestionKind::Nps { .. } => ScriptKind::Nps,
        QuestionKind::Grid { statements, scale, dont_know, .. } => {
            ScriptKind::Grid { statements: keys(statements), scale: keys(scale), dont_know: dont_know.is_some() }
        }
        QuestionKind::Number { min, max, integer } => {
            let (min, max) = super::answers::number_range(*min, *max);
            ScriptKind::Number { min, max, integer: *integer }
        }
        QuestionKind::Date { min, max } => ScriptKind::Date { min: min.clone(), max: max.clone() },
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
            ScriptKind::Text { max_length: *max_length }
        }
        QuestionKind::Ranking { options, .. } => ScriptKind::Ranking { options: keys(options) },
        QuestionKind::Area { .. } => ScriptKind::Area,
        QuestionKind::Demographics { items } => ScriptKind::Demographics {
            items: items
                .iter()
                .map(|item| ScriptItem {
                    key: item.key().to_owned(),
                    multiple: item.multiple(),
                    options: item.options().iter().map(|o| o.0.to_owned()).collect(),
                })
                .collect(),
        },
    }
}

/// The script's view of page `page` for a resident who saved `saved` so far.
pub fn page_script(survey: &SurveyDefinition, page: usize, saved: &Fields, language: &str) -> PageScript {
    let default = survey.default_language();
    let Some(this_page) = survey.pages.get(page) else {
        return PageScript { questions: Vec::new(), known: Answers::new(), required_message: String::new() };
    };
    let earlier: Vec<&str> =
        survey.pages[..page].iter().flat_map(|p| p.questions.iter().map(|q| q.key.as_str())).collect();
    let tested: Vec<&str> = this_page
        .questions
        .iter()
        .filter_map(|q| q.show_if.as_ref())
        .flat_map(Condition::tests)
        .map(|t| t.question.as_str())
        .collect();
    let known = walk_fields(survey, saved)
        .answers
        .into_iter()
        .filter(|(key, _)| earlier.contains(&key.as_str()) && tested.contains(&key.as_str()))
        .collect();
    let required = AnswerProblem {
        question: String::new(),
        key: "answer_required".to_owned(),
        message: "Please answer this question.".to_owned(),
    };
    PageScript {
        questions: this_page
            .questions
            .iter()
            .map(|q| ScriptQuestion {
                key: q.key.clone(),
                label: localized(&q.text, language, default).to_owned(),
                required: q.required,
                show_if: q.show_if.clone(),
                kind: script_kind(&q.kind),
            })
            .collect(),
        known,
        required_message: answer_problem(&required, language),
    }
}

/// What the page script must find for a page posted as `posted` (the Rust evaluator's answer,
/// written into the shared test vectors): the questions shown, and those shown, required and
/// left unanswered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageOutcome {
    pub shown: Vec<String>,
    pub unanswered: Vec<String>,
}

/// The Rust evaluator's outcome for page `page` with `saved` fields and this page posted as
/// `posted`. `None` if the display rules hide the page itself (a resident is never shown it).
pub fn page_outcome(survey: &SurveyDefinition, page: usize, saved: &Fields, posted: &Fields) -> Option<PageOutcome> {
    let mut fields = saved.clone();
    let this_page = survey.pages.get(page)?;
    let on_page = |name: &str| this_page.questions.iter().any(|q| q.key == super::flow::question_of_field(name));
    fields.retain(|(name, _)| !on_page(name));
    fields.extend(posted.iter().filter(|(name, _)| on_page(name)).cloned());
    let walk = walk_fields(survey, &fields);
    let state = walk.pages.get(page).filter(|p| p.shown)?;
    Some(PageOutcome {
        shown: state.questions.iter().filter(|q| q.shown).map(|q| q.key.clone()).collect(),
        unanswered: state.problems().filter(|p| p.key == "answer_required").map(|p| p.question.clone()).collect(),
    })
}

/// A display rule vector: a condition, and whether the Rust evaluator says it holds for each of
/// the vector file's answer sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleVector {
    pub condition: Condition,
    pub holds: Vec<bool>,
}

/// A page of the shared vectors: the script's configuration and cases posted against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageVector {
    pub survey: String,
    pub page: usize,
    pub script: PageScript,
    pub cases: Vec<PageCase>,
}

/// One posted page and what must come of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageCase {
    pub posted: Fields,
    #[serde(flatten)]
    pub outcome: PageOutcome,
}

/// The whole shared vector file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vectors {
    /// The answers the rule vectors are evaluated against.
    pub answer_sets: Vec<Answers>,
    pub rules: Vec<RuleVector>,
    pub pages: Vec<PageVector>,
}

#[cfg(test)]
mod tests;

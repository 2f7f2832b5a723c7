//! Answers: what a valid answer to each kind of question is, and checking a whole response
//! against a survey's display rules. The server runs this on every submission (it is the
//! truth); the browser runs the same code to give feedback sooner.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{QuestionKind, SurveyDefinition};
use super::{demographics::DemographicItem, model::Question};

/// The key a resident's "don't know" is stored under.
pub const DONT_KNOW: &str = "dont_know";
/// The option key of "other, please specify".
pub const OTHER: &str = "other";
/// The longest "please specify" text kept.
pub const MAX_OTHER_TEXT: usize = 200;

/// The bound of a number question on a side without `min` or `max` (the editor's default):
/// answers lie within ±1,000,000,000. Wide enough for any count, amount or year a resident
/// gives; narrow enough that a survey's running sums (and sums of squares) stay exact-ish
/// `f64`s for billions of answers. See docs/SURVEY_FORMAT.md.
pub const NUMBER_DEFAULT_LIMIT: f64 = 1e9;

/// No number answer beyond ±10¹⁵ is accepted, whatever the question's `min` and `max` say:
/// past it an `f64` no longer holds every whole number, and squares summed for results could
/// overflow. Tallies leave out stored values beyond it (`domain::analytics::tally`).
pub const NUMBER_HARD_LIMIT: f64 = 1e15;

/// A response's answers by question key.
pub type Answers = BTreeMap<String, Answer>;

/// A checked answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Single choice (`option` is `other` with `other_text` for "other, please specify").
    Choice {
        option: String,
        other_text: Option<String>,
    },
    /// Multiple choice.
    Choices {
        options: Vec<String>,
        other_text: Option<String>,
    },
    /// A point on a rating scale or the NPS scale.
    Scale(i32),
    /// "Don't know" on a rating scale.
    DontKnow,
    /// A grid: statement key → scale key (or `dont_know`).
    Grid(BTreeMap<String, String>),
    Number(f64),
    /// `YYYY-MM-DD`.
    Date(String),
    Text(String),
    /// Every option key, most preferred first.
    Ranking(Vec<String>),
    /// An area id.
    Area(String),
    /// Demographic item key → chosen option keys.
    Demographics(BTreeMap<String, Vec<String>>),
}

/// Why an answer was refused: a stable key (for translation) and an English message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerProblem {
    /// The question the problem is about.
    pub question: String,
    pub key: String,
    pub message: String,
}

pub(super) fn problem(question: &Question, key: &str, message: impl Into<String>) -> AnswerProblem {
    AnswerProblem { question: question.key.clone(), key: key.to_owned(), message: message.into() }
}

/// Whether a raw value means "no answer": null, blank text, an empty list or object.
fn is_blank(raw: &Value) -> bool {
    match raw {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Checks one raw answer (as JSON) against its question. `Ok(None)` is "not answered".
pub fn check_answer(question: &Question, raw: &Value) -> Result<Option<Answer>, AnswerProblem> {
    if is_blank(raw) {
        return Ok(None);
    }
    let invalid = |message: &str| problem(question, "answer_invalid", message);
    let answer = match &question.kind {
        QuestionKind::SingleChoice { options, other, .. } => {
            let (option, other_text) = match raw {
                Value::String(key) => (key.clone(), None),
                Value::Object(map) => (
                    map.get("option").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    map.get("other_text").and_then(Value::as_str).map(str::to_owned),
                ),
                _ => return Err(invalid("Choose one of the options.")),
            };
            let other_text = check_other(question, &option, other.is_some(), other_text)?;
            if option != OTHER && !options.iter().any(|o| o.key == option) {
                return Err(invalid("Choose one of the options."));
            }
            Answer::Choice { option, other_text }
        }
        QuestionKind::MultipleChoice { options, min_selected, max_selected, other, .. } => {
            let (keys, other_text) = match raw {
                Value::Array(_) => (string_list(raw), None),
                Value::Object(map) => (
                    map.get("options").map(string_list).unwrap_or_default(),
                    map.get("other_text").and_then(Value::as_str).map(str::to_owned),
                ),
                Value::String(one) => (Some(vec![one.clone()]), None),
                _ => (None, None),
            };
            let keys = keys.ok_or_else(|| invalid("Choose from the options."))?;
            let unique: BTreeSet<&String> = keys.iter().collect();
            if unique.len() != keys.len()
                || keys.iter().any(|k| !(options.iter().any(|o| &o.key == k) || (k == OTHER && other.is_some())))
            {
                return Err(invalid("Choose from the options."));
            }
            let other_text =
                if keys.iter().any(|k| k == OTHER) { check_other(question, OTHER, true, other_text)? } else { None };
            let count = keys.len() as u32;
            if let Some(min) = min_selected.filter(|min| count < *min) {
                return Err(problem(question, "too_few_selected", format!("Choose at least {min}.")));
            }
            if let Some(max) = max_selected.filter(|max| count > *max) {
                return Err(problem(question, "too_many_selected", format!("Choose at most {max}.")));
            }
            Answer::Choices { options: keys, other_text }
        }
        QuestionKind::Rating { min, max, dont_know, .. } => {
            if dont_know.is_some() && raw.as_str() == Some(DONT_KNOW) {
                Answer::DontKnow
            } else {
                let n = whole_number(raw).filter(|n| (*min..=*max).contains(n));
                Answer::Scale(n.ok_or_else(|| invalid(&format!("Choose a number from {min} to {max}.")))?)
            }
        }
        QuestionKind::Nps { .. } => {
            let n = whole_number(raw).filter(|n| (0..=10).contains(n));
            Answer::Scale(n.ok_or_else(|| invalid("Choose a number from 0 to 10."))?)
        }
        QuestionKind::Grid { statements, scale, dont_know, .. } => {
            let Value::Object(map) = raw else {
                return Err(invalid("Answer each statement on the scale."));
            };
            let mut cells = BTreeMap::new();
            for (statement, value) in map {
                if is_blank(value) {
                    continue;
                }
                let key = value.as_str().unwrap_or_default();
                let known_statement = statements.iter().any(|s| &s.key == statement);
                let known_point = scale.iter().any(|p| p.key == key) || (key == DONT_KNOW && dont_know.is_some());
                if !known_statement || !known_point {
                    return Err(invalid("Answer each statement on the scale."));
                }
                cells.insert(statement.clone(), key.to_owned());
            }
            if cells.is_empty() {
                return Ok(None);
            }
            if question.required && cells.len() < statements.len() {
                return Err(problem(question, "grid_incomplete", "Answer every statement."));
            }
            Answer::Grid(cells)
        }
        QuestionKind::Number { min, max, integer } => {
            let n = match raw {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok(),
                _ => None,
            }
            .filter(|n| n.is_finite())
            .ok_or_else(|| invalid("Enter a number."))?;
            if *integer && n.fract() != 0.0 {
                return Err(problem(question, "whole_number_expected", "Enter a whole number."));
            }
            let (low, high) = number_range(*min, *max);
            if !(low..=high).contains(&n) {
                return Err(problem(question, "number_out_of_range", range_message(low, high)));
            }
            Answer::Number(n)
        }
        QuestionKind::Date { min, max } => {
            let text = raw.as_str().map(str::trim).unwrap_or_default();
            if !is_iso_date(text) {
                return Err(problem(question, "date_invalid", "Enter a date as YYYY-MM-DD."));
            }
            if min.as_deref().is_some_and(|min| text < min) || max.as_deref().is_some_and(|max| text > max) {
                return Err(problem(question, "date_out_of_range", "Enter a date within the allowed range."));
            }
            Answer::Date(text.to_owned())
        }
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
            let text = raw.as_str().ok_or_else(|| invalid("Enter text."))?.trim();
            if text.chars().count() > *max_length as usize {
                return Err(problem(question, "text_too_long", format!("Keep it under {max_length} characters.")));
            }
            Answer::Text(text.to_owned())
        }
        QuestionKind::Ranking { options, .. } => {
            let keys = string_list(raw).ok_or_else(|| invalid("Put every option in order."))?;
            let given: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
            let expected: BTreeSet<&str> = options.iter().map(|o| o.key.as_str()).collect();
            if keys.len() != options.len() || given != expected {
                return Err(invalid("Put every option in order."));
            }
            Answer::Ranking(keys)
        }
        QuestionKind::Area { .. } => {
            // Only the form here: whether the id is one of the set's areas needs the areas, so
            // the one submit path checks it with [`unknown_areas`].
            let id = raw.as_str().map(str::trim).filter(|s| !s.is_empty() && s.len() <= 64);
            Answer::Area(id.ok_or_else(|| invalid("Choose your area."))?.to_owned())
        }
        QuestionKind::Demographics { items } => {
            let Value::Object(map) = raw else {
                return Err(invalid("Choose from the options."));
            };
            let mut chosen = BTreeMap::new();
            for (item_key, value) in map {
                if is_blank(value) {
                    continue;
                }
                let item = items.iter().find(|i| i.key() == item_key).copied();
                let keys = string_list(value).or_else(|| value.as_str().map(|s| vec![s.to_owned()]));
                let valid = |item: DemographicItem, keys: &Vec<String>| {
                    (item.multiple() || keys.len() == 1) && keys.iter().all(|k| item.has_option(k))
                };
                match (item, keys) {
                    (Some(item), Some(keys)) if valid(item, &keys) => {
                        chosen.insert(item_key.clone(), keys);
                    }
                    _ => return Err(invalid("Choose from the options.")),
                }
            }
            if chosen.is_empty() {
                return Ok(None);
            }
            Answer::Demographics(chosen)
        }
    };
    Ok(Some(answer))
}

fn check_other(
    question: &Question,
    option: &str,
    offered: bool,
    other_text: Option<String>,
) -> Result<Option<String>, AnswerProblem> {
    if option != OTHER {
        return Ok(None);
    }
    if !offered {
        return Err(problem(question, "answer_invalid", "Choose one of the options."));
    }
    let text = other_text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    match text {
        None => Err(problem(question, "other_text_missing", "Please say what “other” is.")),
        Some(t) if t.chars().count() > MAX_OTHER_TEXT => {
            Err(problem(question, "text_too_long", format!("Keep it under {MAX_OTHER_TEXT} characters.")))
        }
        Some(t) => Ok(Some(t)),
    }
}

fn string_list(raw: &Value) -> Option<Vec<String>> {
    raw.as_array()?.iter().map(|v| v.as_str().map(str::to_owned)).collect()
}

fn whole_number(raw: &Value) -> Option<i32> {
    match raw {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The answers a number question accepts: its `min` and `max`, [`NUMBER_DEFAULT_LIMIT`] on a
/// side without one, and never beyond [`NUMBER_HARD_LIMIT`].
pub fn number_range(min: Option<f64>, max: Option<f64>) -> (f64, f64) {
    // A lone bound already beyond the default (`min: 5e9`) leaves the other side at the hard
    // limit, so the range is never empty.
    let low = min.unwrap_or(if max.is_some_and(|m| m < -NUMBER_DEFAULT_LIMIT) {
        -NUMBER_HARD_LIMIT
    } else {
        -NUMBER_DEFAULT_LIMIT
    });
    let high = max.unwrap_or(if min.is_some_and(|m| m > NUMBER_DEFAULT_LIMIT) {
        NUMBER_HARD_LIMIT
    } else {
        NUMBER_DEFAULT_LIMIT
    });
    (low.max(-NUMBER_HARD_LIMIT), high.min(NUMBER_HARD_LIMIT))
}

fn range_message(low: f64, high: f64) -> String {
    format!("Enter a number from {low} to {high}.")
}

/// The answers to `survey`'s area questions that name no area of their question's set, one
/// problem each. `is_known(set, id)` says whether the set (`None`: the city's default set) has
/// an area with this id; a set that does not exist has none. An unknown id would otherwise be
/// stored, tallied and exported as the resident typed it.
pub fn unknown_areas(
    survey: &SurveyDefinition,
    answers: &Answers,
    is_known: impl Fn(Option<&str>, &str) -> bool,
) -> Vec<AnswerProblem> {
    survey
        .questions()
        .filter_map(|(_, question)| match (&question.kind, answers.get(&question.key)) {
            (QuestionKind::Area { area_set }, Some(Answer::Area(id))) if !is_known(area_set.as_deref(), id) => {
                Some(problem(question, "area_unknown", "Choose your area from the list."))
            }
            _ => None,
        })
        .collect()
}

/// Whether `text` is a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, format).is_ok()
}

/// Checks a whole response: walks the pages in order, applies display rules to the answers
/// accepted so far, drops answers to hidden questions and unknown keys, and requires the
/// required questions that are shown. Returns every problem, not just the first.
pub fn check_response(survey: &SurveyDefinition, raw: &BTreeMap<String, Value>) -> Result<Answers, Vec<AnswerProblem>> {
    let walk = super::flow::walk(survey, raw);
    let problems = walk.problems();
    if problems.is_empty() { Ok(walk.answers) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::survey::model::SurveyDefinition;

    fn survey() -> SurveyDefinition {
        SurveyDefinition::from_json(
            &json!({
                "format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "Test"},
                "pages": [
                    {"key": "p1", "questions": [
                        {"key": "transport", "type": "single_choice", "required": true, "text": {"en": "How?"},
                         "options": [{"key": "bus", "label": {"en": "Bus"}}, {"key": "car", "label": {"en": "Car"}}],
                         "other": {"en": "Other"}},
                        {"key": "bus_rating", "type": "rating", "min": 1, "max": 5, "required": true, "text": {"en": "Bus?"},
                         "dont_know": {"en": "Don't know"},
                         "show_if": {"question": "transport", "op": "equals", "value": "bus"}}
                    ]},
                    {"key": "p2", "show_if": {"question": "transport", "op": "not_equals", "value": "car"}, "questions": [
                        {"key": "issues", "type": "multiple_choice", "text": {"en": "Issues"}, "max_selected": 2,
                         "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}, {"key": "c", "label": {"en": "C"}}]},
                        {"key": "age", "type": "number", "text": {"en": "Age"}, "min": 0, "max": 120, "integer": true},
                        {"key": "when", "type": "date", "text": {"en": "When"}},
                        {"key": "grid", "type": "grid", "text": {"en": "Grid"}, "required": true,
                         "statements": [{"key": "s1", "label": {"en": "S1"}}, {"key": "s2", "label": {"en": "S2"}}],
                         "scale": [{"key": "good", "label": {"en": "Good"}}, {"key": "bad", "label": {"en": "Bad"}}]},
                        {"key": "rank", "type": "ranking", "text": {"en": "Rank"},
                         "options": [{"key": "x", "label": {"en": "X"}}, {"key": "y", "label": {"en": "Y"}}]},
                        {"key": "about_you", "type": "demographics", "text": {"en": "About you"},
                         "items": ["age_band", "race_ethnicity"]}
                    ]}
                ]
            })
            .to_string(),
        )
        .expect("valid survey")
    }

    fn raw(pairs: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(pairs).expect("object")
    }

    #[test]
    fn a_complete_response_is_accepted() {
        let answers = check_response(
            &survey(),
            &raw(json!({
                "transport": "bus", "bus_rating": "4", "issues": ["a", "c"], "age": "42", "when": "2026-01-31",
                "grid": {"s1": "good", "s2": "bad"}, "rank": ["y", "x"],
                "about_you": {"age_band": "35_44", "race_ethnicity": ["asian", "white"]}
            })),
        )
        .expect("valid");
        assert_eq!(answers["bus_rating"], Answer::Scale(4));
        assert_eq!(answers["age"], Answer::Number(42.0));
        assert_eq!(answers["rank"], Answer::Ranking(vec!["y".into(), "x".into()]));
    }

    #[test]
    fn answers_to_hidden_questions_and_pages_are_dropped_and_not_required() {
        let answers =
            check_response(&survey(), &raw(json!({"transport": "car", "bus_rating": 5, "age": 30, "grid": {}})))
                .expect("hidden questions are neither required nor kept");
        assert_eq!(answers.len(), 1);
        assert!(answers.contains_key("transport"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let problems = check_response(
            &survey(),
            &raw(json!({"transport": "bus", "issues": ["a", "b", "c"], "age": 12.5, "when": "2026-02-30",
                        "grid": {"s1": "good"}, "rank": ["x"], "unknown": "ignored"})),
        )
        .expect_err("invalid");
        let keys: Vec<(&str, &str)> = problems.iter().map(|p| (p.question.as_str(), p.key.as_str())).collect();
        assert_eq!(
            keys,
            vec![
                ("bus_rating", "answer_required"),
                ("issues", "too_many_selected"),
                ("age", "whole_number_expected"),
                ("when", "date_invalid"),
                ("grid", "grid_incomplete"),
                ("rank", "answer_invalid"),
            ]
        );
    }

    #[test]
    fn other_needs_its_text_and_unknown_options_are_refused() {
        let s = survey();
        let q = s.question("transport").expect("exists");
        assert_eq!(check_answer(q, &json!("other")).expect_err("no text").key, "other_text_missing");
        assert_eq!(
            check_answer(q, &json!({"option": "other", "other_text": " Scooter "})).expect("valid"),
            Some(Answer::Choice { option: "other".into(), other_text: Some("Scooter".into()) })
        );
        assert_eq!(check_answer(q, &json!("plane")).expect_err("unknown").key, "answer_invalid");
        assert_eq!(check_answer(q, &json!(7)).expect_err("wrong type").key, "answer_invalid");
    }

    #[test]
    fn dont_know_and_out_of_range_ratings() {
        let s = survey();
        let q = s.question("bus_rating").expect("exists");
        assert_eq!(check_answer(q, &json!("dont_know")).expect("valid"), Some(Answer::DontKnow));
        assert!(check_answer(q, &json!(6)).is_err());
        assert!(check_answer(q, &json!(0)).is_err());
    }

    #[test]
    fn blank_answers_count_as_not_answered() {
        let s = survey();
        let q = s.question("age").expect("exists");
        for blank in [json!(null), json!(""), json!("  "), json!([]), json!({})] {
            assert_eq!(check_answer(q, &blank).expect("blank"), None);
        }
    }

    fn number_question(bounds: Value) -> SurveyDefinition {
        let mut question = json!({"key": "n", "type": "number", "text": {"en": "How many?"}});
        if let (Some(q), Some(b)) = (question.as_object_mut(), bounds.as_object()) {
            q.extend(b.clone());
        }
        SurveyDefinition::from_json(
            &json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
                    "pages": [{"key": "p", "questions": [question]}]})
            .to_string(),
        )
        .expect("valid survey")
    }

    #[test]
    fn a_number_question_without_bounds_takes_numbers_within_the_default_range_only() {
        let s = number_question(json!({}));
        let q = s.question("n").expect("exists");
        assert_eq!(check_answer(q, &json!(-3.5)).expect("valid"), Some(Answer::Number(-3.5)));
        assert_eq!(check_answer(q, &json!(1e9)).expect("the bound itself"), Some(Answer::Number(1e9)));
        assert_eq!(check_answer(q, &json!("-1,000,000,000")).expect("valid"), Some(Answer::Number(-1e9)));
        for absurd in [json!(1e200), json!(-1e200), json!(1.000_000_001e9), json!("1e200")] {
            let refused = check_answer(q, &absurd).expect_err("outside the default range");
            assert_eq!(refused.key, "number_out_of_range", "{absurd}");
            assert_eq!(refused.message, "Enter a number from -1000000000 to 1000000000.");
        }
    }

    #[test]
    fn not_a_number_and_infinity_are_refused_however_they_are_written() {
        let s = number_question(json!({}));
        let q = s.question("n").expect("exists");
        for strange in ["NaN", "nan", "inf", "-inf", "Infinity", "-infinity", "1e999", "0x10", "twelve"] {
            assert_eq!(check_answer(q, &json!(strange)).expect_err(strange).key, "answer_invalid", "{strange}");
        }
    }

    #[test]
    fn a_bound_the_designer_sets_replaces_the_default_on_its_side_only() {
        let s = number_question(json!({"min": 0}));
        let q = s.question("n").expect("exists");
        assert!(check_answer(q, &json!(-1)).is_err());
        assert!(check_answer(q, &json!(2e9)).is_err(), "the default still bounds the other side");
        let wide = number_question(json!({"min": 0, "max": 1e12}));
        let q = wide.question("n").expect("exists");
        assert_eq!(check_answer(q, &json!(5e11)).expect("within the designer's range"), Some(Answer::Number(5e11)));
        assert_eq!(number_range(Some(-1e300), Some(1e300)), (-NUMBER_HARD_LIMIT, NUMBER_HARD_LIMIT));
        assert_eq!(number_range(Some(5e9), None), (5e9, NUMBER_HARD_LIMIT), "never an empty range");
    }

    #[test]
    fn an_area_answer_must_name_an_area_of_its_set() {
        let survey = SurveyDefinition::from_json(
            &json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
                    "pages": [{"key": "p", "questions": [
                        {"key": "home", "type": "area", "text": {"en": "Where do you live?"}},
                        {"key": "work", "type": "area", "area_set": "wards", "text": {"en": "Where do you work?"}}]}]})
            .to_string(),
        )
        .expect("valid survey");
        let answers = |home: &str, work: &str| -> Answers {
            [("home".to_owned(), Answer::Area(home.into())), ("work".to_owned(), Answer::Area(work.into()))].into()
        };
        let is_known = |set: Option<&str>, id: &str| match set {
            None => ["plaza", "noda"].contains(&id),
            Some("wards") => id == "ward_1",
            Some(_) => false,
        };
        assert!(unknown_areas(&survey, &answers("plaza", "ward_1"), is_known).is_empty());
        let problems = unknown_areas(&survey, &answers("=HYPERLINK(\"http://x\")", "plaza"), is_known);
        let keys: Vec<(&str, &str)> = problems.iter().map(|p| (p.question.as_str(), p.key.as_str())).collect();
        assert_eq!(keys, [("home", "area_unknown"), ("work", "area_unknown")], "each set is its own");
        assert!(unknown_areas(&survey, &Answers::new(), |_, _| false).is_empty(), "no answer, no problem");
    }

    #[test]
    fn real_calendar_dates_only() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-2-3"));
        assert!(!is_iso_date("yesterday"));
    }
}

//! The rules a survey definition must follow, checked at design time and on import. Every problem
//! is reported with its path in the definition (`pages[1].questions[0].options[2].key`), so a
//! designer or an imported file learns everything that is wrong at once.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::answers::{DONT_KNOW, OTHER, is_iso_date};
use super::logic::{Condition, Op};
use super::model::{Choice, FORMAT_VERSION, Question, QuestionKind, SurveyDefinition, SurveyKind, Text};

/// Upper bounds that keep a definition (and a stranger's import) to a sane size.
pub const MAX_PAGES: usize = 50;
pub const MAX_QUESTIONS: usize = 300;
pub const MAX_OPTIONS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_ANSWER_LENGTH: u32 = 20_000;

/// One thing wrong with a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// Whether `key` is a stable key: lower-case letters, digits and `_`, starting with a letter or
/// digit, at most 64 characters. Keys end up in exports and column names.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !key.starts_with('_')
}

/// Whether `tag` looks like a language tag (`en`, `es`, `zh-Hant`, `pt-BR`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

struct Checker<'a> {
    survey: &'a SurveyDefinition,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.problems.push(Problem { path: path.into(), reason: reason.into() });
    }

    fn text(&mut self, path: &str, text: &Text) {
        let default = self.survey.default_language();
        if text.get(default).is_none_or(|t| t.trim().is_empty()) {
            self.report(path, format!("needs a text in the default language ({default})"));
        }
        for (language, value) in text {
            if !self.survey.languages.contains(language) {
                self.report(format!("{path}.{language}"), "is not one of the survey's languages");
            }
            if value.chars().count() > MAX_TEXT_CHARS {
                self.report(format!("{path}.{language}"), format!("is longer than {MAX_TEXT_CHARS} characters"));
            }
        }
    }

    fn optional_text(&mut self, path: &str, text: Option<&Text>) {
        if let Some(text) = text {
            self.text(path, text);
        }
    }

    fn choices(&mut self, path: &str, choices: &[Choice], minimum: usize, reserved: &[&str]) {
        if choices.len() < minimum {
            self.report(path, format!("needs at least {minimum}"));
        }
        if choices.len() > MAX_OPTIONS {
            self.report(path, format!("has more than {MAX_OPTIONS}"));
        }
        let mut seen = BTreeSet::new();
        for (i, choice) in choices.iter().enumerate() {
            let key_path = format!("{path}[{i}].key");
            if !is_valid_key(&choice.key) {
                self.report(&key_path, "must use only a–z, 0–9 and _ (at most 64 characters)");
            } else if reserved.contains(&choice.key.as_str()) {
                self.report(&key_path, format!("\"{}\" is reserved here", choice.key));
            } else if !seen.insert(choice.key.as_str()) {
                self.report(&key_path, format!("\"{}\" is used twice", choice.key));
            }
            self.text(&format!("{path}[{i}].label"), &choice.label);
        }
    }

    fn question(&mut self, path: &str, question: &Question) {
        self.text(&format!("{path}.text"), &question.text);
        self.optional_text(&format!("{path}.help"), question.help.as_ref());
        match &question.kind {
            QuestionKind::SingleChoice { options, other, .. } => {
                let reserved: &[&str] = if other.is_some() { &[OTHER] } else { &[] };
                self.choices(&format!("{path}.options"), options, 2, reserved);
                self.optional_text(&format!("{path}.other"), other.as_ref());
            }
            QuestionKind::MultipleChoice { options, min_selected, max_selected, other, .. } => {
                let reserved: &[&str] = if other.is_some() { &[OTHER] } else { &[] };
                self.choices(&format!("{path}.options"), options, 2, reserved);
                self.optional_text(&format!("{path}.other"), other.as_ref());
                let available = options.len() + usize::from(other.is_some());
                if let (Some(min), Some(max)) = (min_selected, max_selected)
                    && min > max
                {
                    self.report(format!("{path}.min_selected"), "is more than max_selected");
                }
                if min_selected.is_some_and(|m| m as usize > available) {
                    self.report(format!("{path}.min_selected"), "is more than the number of options");
                }
                if max_selected.is_some_and(|m| m == 0) {
                    self.report(format!("{path}.max_selected"), "must be at least 1");
                }
            }
            QuestionKind::Rating { min, max, min_label, max_label, dont_know } => {
                if !(0..=1).contains(min) || max <= min || max - min > 10 {
                    self.report(
                        format!("{path}.max"),
                        "a rating scale runs from 0 or 1 up to at most 10 points above it",
                    );
                }
                self.optional_text(&format!("{path}.min_label"), min_label.as_ref());
                self.optional_text(&format!("{path}.max_label"), max_label.as_ref());
                self.optional_text(&format!("{path}.dont_know"), dont_know.as_ref());
            }
            QuestionKind::Grid { statements, scale, dont_know, .. } => {
                self.choices(&format!("{path}.statements"), statements, 1, &[]);
                self.choices(&format!("{path}.scale"), scale, 2, &[DONT_KNOW]);
                self.optional_text(&format!("{path}.dont_know"), dont_know.as_ref());
            }
            QuestionKind::Nps { min_label, max_label } => {
                self.optional_text(&format!("{path}.min_label"), min_label.as_ref());
                self.optional_text(&format!("{path}.max_label"), max_label.as_ref());
            }
            QuestionKind::Number { min, max, .. } => {
                if [min, max].into_iter().flatten().any(|n| !n.is_finite()) {
                    self.report(format!("{path}.min"), "must be a finite number");
                }
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    self.report(format!("{path}.min"), "is more than max");
                }
            }
            QuestionKind::Date { min, max } => {
                for (name, value) in [("min", min), ("max", max)] {
                    if value.as_deref().is_some_and(|d| !is_iso_date(d)) {
                        self.report(format!("{path}.{name}"), "must be a date written YYYY-MM-DD");
                    }
                }
                if let (Some(min), Some(max)) = (min, max)
                    && min > max
                {
                    self.report(format!("{path}.min"), "is after max");
                }
            }
            QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
                if *max_length == 0 || *max_length > MAX_ANSWER_LENGTH {
                    self.report(format!("{path}.max_length"), format!("must be from 1 to {MAX_ANSWER_LENGTH}"));
                }
            }
            QuestionKind::Ranking { options, .. } => self.choices(&format!("{path}.options"), options, 2, &[]),
            QuestionKind::Area { area_set } => {
                if area_set.as_deref().is_some_and(|s| !is_valid_key(s)) {
                    self.report(format!("{path}.area_set"), "must be an area set key (a–z, 0–9, _)");
                }
            }
            QuestionKind::Demographics { items } => {
                if items.is_empty() {
                    self.report(format!("{path}.items"), "needs at least one item");
                }
                let unique: BTreeSet<_> = items.iter().map(|i| i.key()).collect();
                if unique.len() != items.len() {
                    self.report(format!("{path}.items"), "lists an item twice");
                }
            }
        }
    }

    /// Checks a display rule: it may only look at questions that come before `position`
    /// (page index, question index; `None` for a page's own rule, which sees earlier pages).
    fn condition(
        &mut self,
        path: &str,
        condition: &Condition,
        order: &HashMap<&str, (usize, usize)>,
        before: (usize, Option<usize>),
    ) {
        for (i, test) in condition.tests().into_iter().enumerate() {
            let test_path =
                if matches!(condition, Condition::Test(_)) { path.to_owned() } else { format!("{path}.test[{i}]") };
            let Some(&(page, index)) = order.get(test.question.as_str()) else {
                self.report(&test_path, format!("refers to question \"{}\", which does not exist", test.question));
                continue;
            };
            let earlier = match before {
                (own_page, None) => page < own_page,
                (own_page, Some(own_index)) => page < own_page || (page == own_page && index < own_index),
            };
            if !earlier {
                self.report(
                    &test_path,
                    format!("refers to question \"{}\", which does not come before it", test.question),
                );
                continue;
            }
            let Some(target) = self.survey.question(&test.question) else {
                continue;
            };
            self.test_fits(&test_path, target, test.statement.as_deref(), test.op, test.value.as_ref());
        }
    }

    fn test_fits(&mut self, path: &str, target: &Question, statement: Option<&str>, op: Op, value: Option<&Value>) {
        let grid_scale = match (&target.kind, statement) {
            (QuestionKind::Grid { statements, scale, .. }, Some(s)) => {
                if !statements.iter().any(|st| st.key == s) {
                    self.report(path, format!("grid \"{}\" has no statement \"{s}\"", target.key));
                    return;
                }
                Some(scale)
            }
            (QuestionKind::Grid { .. }, None) if op.takes_value() => {
                self.report(path, "a test on a grid question must name a statement");
                return;
            }
            (_, Some(_)) => {
                self.report(path, "only grid questions have statements");
                return;
            }
            _ => None,
        };
        if !op.takes_value() {
            if value.is_some() {
                self.report(path, "answered / not_answered take no value");
            }
            return;
        }
        let Some(value) = value else {
            self.report(path, "needs a value to compare with");
            return;
        };
        let values: Vec<&Value> = match (op, value) {
            (Op::AnyOf | Op::NoneOf, Value::Array(items)) if !items.is_empty() => items.iter().collect(),
            (Op::AnyOf | Op::NoneOf, _) => {
                self.report(path, "any_of / none_of need a list of values");
                return;
            }
            (_, v) => vec![v],
        };
        let ordered = matches!(
            target.kind,
            QuestionKind::Rating { .. }
                | QuestionKind::Nps { .. }
                | QuestionKind::Number { .. }
                | QuestionKind::Date { .. }
        );
        if op.is_ordering() && (grid_scale.is_some() || !ordered) {
            self.report(path, "greater_than / less_than only work on rating, NPS, number and date questions");
            return;
        }
        for v in values {
            let fits = match (&target.kind, grid_scale) {
                (_, Some(scale)) => v.as_str().is_some_and(|k| scale.iter().any(|p| p.key == k) || k == DONT_KNOW),
                (
                    QuestionKind::SingleChoice { options, other, .. }
                    | QuestionKind::MultipleChoice { options, other, .. },
                    _,
                ) => v.as_str().is_some_and(|k| options.iter().any(|o| o.key == k) || (k == OTHER && other.is_some())),
                (QuestionKind::Rating { .. }, _) => v.is_number() || v.as_str() == Some(DONT_KNOW),
                (QuestionKind::Nps { .. } | QuestionKind::Number { .. }, _) => v.is_number(),
                (QuestionKind::Date { .. }, _) => v.as_str().is_some_and(is_iso_date),
                (QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } | QuestionKind::Area { .. }, _) => {
                    v.is_string()
                }
                (QuestionKind::Ranking { .. } | QuestionKind::Demographics { .. } | QuestionKind::Grid { .. }, _) => {
                    false
                }
            };
            if !fits {
                self.report(path, format!("{v} is not a possible answer to \"{}\"", target.key));
            }
        }
    }
}

/// Checks a definition; an empty list means it is valid.
pub fn check(survey: &SurveyDefinition) -> Vec<Problem> {
    let mut c = Checker { survey, problems: Vec::new() };
    if survey.format != FORMAT_VERSION {
        c.report("format", format!("this version of Canvass reads format {FORMAT_VERSION}"));
    }
    if survey.languages.is_empty() {
        c.report("languages", "needs at least one language");
    }
    let mut seen_languages = BTreeSet::new();
    for (i, language) in survey.languages.iter().enumerate() {
        if !is_language_tag(language) {
            c.report(format!("languages[{i}]"), format!("\"{language}\" is not a language tag such as en or es"));
        } else if !seen_languages.insert(language) {
            c.report(format!("languages[{i}]"), format!("\"{language}\" is listed twice"));
        }
    }
    c.text("title", &survey.title);
    c.optional_text("description", survey.description.as_ref());
    c.optional_text("consent", survey.consent.as_ref());

    if survey.pages.is_empty() {
        c.report("pages", "needs at least one page");
    }
    if survey.pages.len() > MAX_PAGES {
        c.report("pages", format!("has more than {MAX_PAGES} pages"));
    }
    let question_count = survey.questions().count();
    if question_count > MAX_QUESTIONS {
        c.report("pages", format!("has more than {MAX_QUESTIONS} questions"));
    }
    match survey.kind {
        SurveyKind::QuickPoll => {
            let fits = survey.pages.len() == 1
                && question_count == 1
                && survey.questions().all(|(_, q)| {
                    matches!(
                        q.kind,
                        QuestionKind::SingleChoice { .. }
                            | QuestionKind::MultipleChoice { .. }
                            | QuestionKind::Rating { .. }
                            | QuestionKind::Nps { .. }
                    )
                });
            if !fits {
                c.report("pages", "a quick poll has exactly one page with one choice, rating or NPS question");
            }
        }
        SurveyKind::Survey => {
            if survey.show_results || survey.results_after_close {
                c.report("show_results", "only quick polls show results to residents");
            }
        }
    }

    // Where each question sits, for "does the rule look only backwards?".
    let mut order: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut page_keys = BTreeSet::new();
    for (p, page) in survey.pages.iter().enumerate() {
        let path = format!("pages[{p}]");
        if !is_valid_key(&page.key) {
            c.report(format!("{path}.key"), "must use only a–z, 0–9 and _ (at most 64 characters)");
        } else if !page_keys.insert(page.key.as_str()) {
            c.report(format!("{path}.key"), format!("page key \"{}\" is used twice", page.key));
        }
        c.optional_text(&format!("{path}.title"), page.title.as_ref());
        if page.questions.is_empty() {
            c.report(format!("{path}.questions"), "a page needs at least one question");
        }
        for (q, question) in page.questions.iter().enumerate() {
            let qpath = format!("{path}.questions[{q}]");
            if !is_valid_key(&question.key) {
                c.report(format!("{qpath}.key"), "must use only a–z, 0–9 and _ (at most 64 characters)");
            } else if order.insert(question.key.as_str(), (p, q)).is_some() {
                c.report(format!("{qpath}.key"), format!("question key \"{}\" is used twice", question.key));
            }
            c.question(&qpath, question);
        }
    }
    for (p, page) in survey.pages.iter().enumerate() {
        if let Some(rule) = &page.show_if {
            c.condition(&format!("pages[{p}].show_if"), rule, &order, (p, None));
        }
        for (q, question) in page.questions.iter().enumerate() {
            if let Some(rule) = &question.show_if {
                c.condition(&format!("pages[{p}].questions[{q}].show_if"), rule, &order, (p, Some(q)));
            }
        }
    }
    c.problems
}

/// Texts that have no translation in one of the survey's languages: (path, language).
pub fn missing_translations(survey: &SurveyDefinition) -> Vec<(String, String)> {
    let mut missing = Vec::new();
    for (path, text) in super::texts::all_texts(survey) {
        for language in survey.languages.iter().skip(1) {
            if text.get(language).is_none_or(|t| t.trim().is_empty()) {
                missing.push((path.clone(), language.clone()));
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn survey(pages: Value) -> SurveyDefinition {
        SurveyDefinition::from_json(
            &json!({"format": 1, "kind": "survey", "languages": ["en", "es"], "title": {"en": "T", "es": "T"}, "pages": pages})
                .to_string(),
        )
        .expect("parses")
    }

    fn choice_question(key: &str) -> Value {
        json!({"key": key, "type": "single_choice", "text": {"en": "Q"},
               "options": [{"key": "yes", "label": {"en": "Yes"}}, {"key": "no", "label": {"en": "No"}}]})
    }

    fn paths(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn a_small_valid_survey_has_no_problems() {
        let mut follow_up = choice_question("b");
        follow_up["show_if"] = json!({"question": "a", "op": "equals", "value": "yes"});
        let s = survey(json!([{"key": "p1", "questions": [choice_question("a"), follow_up]}]));
        assert_eq!(check(&s), vec![]);
    }

    #[test]
    fn keys_must_be_well_formed_and_unique() {
        let s = survey(json!([
            {"key": "p1", "questions": [choice_question("a"), choice_question("a"), choice_question("Bad Key")]},
            {"key": "p1", "questions": [choice_question("c")]}
        ]));
        assert_eq!(paths(&check(&s)), vec!["pages[0].questions[1].key", "pages[0].questions[2].key", "pages[1].key"]);
    }

    #[test]
    fn a_rule_may_only_look_at_earlier_questions() {
        let mut first = choice_question("a");
        first["show_if"] = json!({"question": "b", "op": "equals", "value": "yes"});
        let mut own = choice_question("b");
        own["show_if"] = json!({"question": "b", "op": "answered"});
        let mut missing = choice_question("c");
        missing["show_if"] =
            json!({"all": [{"question": "a", "op": "answered"}, {"question": "zzz", "op": "answered"}]});
        let s = survey(json!([{"key": "p1", "questions": [first, own, missing]}]));
        let problems = check(&s);
        assert_eq!(
            paths(&problems),
            vec![
                "pages[0].questions[0].show_if",
                "pages[0].questions[1].show_if",
                "pages[0].questions[2].show_if.test[1]"
            ]
        );
        assert!(problems[0].reason.contains("does not come before"), "{problems:?}");
        assert!(problems[2].reason.contains("does not exist"), "{problems:?}");
    }

    #[test]
    fn a_page_rule_sees_only_earlier_pages() {
        let s = survey(json!([
            {"key": "p1", "show_if": {"question": "a", "op": "answered"}, "questions": [choice_question("a")]}
        ]));
        assert_eq!(paths(&check(&s)), vec!["pages[0].show_if"]);
    }

    #[test]
    fn rule_values_must_be_possible_answers() {
        let mut bad_option = choice_question("b");
        bad_option["show_if"] = json!({"question": "a", "op": "equals", "value": "maybe"});
        let mut ordering_on_choice = choice_question("c");
        ordering_on_choice["show_if"] = json!({"question": "a", "op": "greater_than", "value": 1});
        let mut missing_value = choice_question("d");
        missing_value["show_if"] = json!({"question": "a", "op": "any_of"});
        let s = survey(
            json!([{"key": "p1", "questions": [choice_question("a"), bad_option, ordering_on_choice, missing_value]}]),
        );
        assert_eq!(check(&s).len(), 3, "{:?}", check(&s));
    }

    #[test]
    fn texts_need_the_default_language_and_only_known_languages() {
        let s = survey(json!([{"key": "p1", "questions": [
            {"key": "a", "type": "short_text", "text": {"es": "Solo español", "fr": "Français"}}
        ]}]));
        assert_eq!(paths(&check(&s)), vec!["pages[0].questions[0].text", "pages[0].questions[0].text.fr"]);
    }

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let s = survey(json!([{"key": "p1", "questions": [
            {"key": "r", "type": "rating", "min": 1, "max": 50, "text": {"en": "R"}},
            {"key": "n", "type": "number", "min": 10, "max": 1, "text": {"en": "N"}},
            {"key": "d", "type": "date", "min": "2026-13-01", "text": {"en": "D"}},
            {"key": "m", "type": "multiple_choice", "min_selected": 3, "max_selected": 2, "text": {"en": "M"},
             "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}]},
            {"key": "o", "type": "single_choice", "other": {"en": "Other"}, "text": {"en": "O"},
             "options": [{"key": "other", "label": {"en": "Other"}}, {"key": "x", "label": {"en": "X"}}]}
        ]}]));
        assert_eq!(
            paths(&check(&s)),
            vec![
                "pages[0].questions[0].max",
                "pages[0].questions[1].min",
                "pages[0].questions[2].min",
                "pages[0].questions[3].min_selected",
                "pages[0].questions[3].min_selected",
                "pages[0].questions[4].options[0].key",
            ]
        );
    }

    #[test]
    fn a_quick_poll_has_one_question() {
        let mut s = survey(json!([{"key": "p1", "questions": [choice_question("a"), choice_question("b")]}]));
        s.kind = SurveyKind::QuickPoll;
        assert_eq!(paths(&check(&s)), vec!["pages"]);
    }

    #[test]
    fn missing_translations_are_listed_by_path() {
        let s = survey(json!([{"key": "p1", "questions": [choice_question("a")]}]));
        let missing = missing_translations(&s);
        assert_eq!(
            missing,
            vec![
                ("pages[0].questions[0].text".to_owned(), "es".to_owned()),
                ("pages[0].questions[0].options[0].label".to_owned(), "es".to_owned()),
                ("pages[0].questions[0].options[1].label".to_owned(), "es".to_owned()),
            ]
        );
    }

    #[test]
    fn a_misspelt_question_setting_is_refused_not_dropped() {
        let err = SurveyDefinition::from_json(
            &json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
            "pages": [{"key": "p", "questions": [
                {"key": "a", "type": "multiple_choice", "text": {"en": "A"}, "max_selectd": 2,
                 "options": [{"key": "x", "label": {"en": "X"}}, {"key": "y", "label": {"en": "Y"}}]}
            ]}]})
            .to_string(),
        )
        .expect_err("unknown field");
        assert_eq!(err.path, "pages[0].questions[0]");
        assert!(err.reason.contains("max_selectd"), "{err}");
    }

    #[test]
    fn a_file_with_a_typo_names_the_path() {
        let err = SurveyDefinition::from_json(
            &json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
                    "pages": [{"key": "p", "questions": [], "tittle": "typo"}]})
            .to_string(),
        )
        .expect_err("unknown field");
        assert_eq!(err.path, "pages[0].tittle");
        assert!(err.reason.contains("tittle"), "{err}");
    }
}

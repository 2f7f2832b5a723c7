//! The shared test vectors of the resident's page script: written from the Rust evaluator, run
//! against the script by `end2end/unit/resident-script.test.mjs`.
//!
//! `CANVASS_WRITE_VECTORS=1 cargo test -p canvass-app page_script` rewrites the file after a
//! change to display rules, answer checks or the templates; without it the test fails when the
//! file is stale, so the script is always tested against what the server does today.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;
use crate::domain::survey::answers::Answer;
use crate::domain::survey::example::example_fields;
use crate::domain::survey::form_fields::sub_field;
use crate::domain::survey::templates::TEMPLATES;

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/resident_script_vectors.json");

/// A small deterministic generator (the vectors must not change between runs).
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % sides.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.roll(items.len())])
    }
}

fn sample_answers() -> Vec<Answers> {
    let mut full = Answers::new();
    full.insert("transport".into(), Answer::Choice { option: "bus".into(), other_text: None });
    full.insert("issues".into(), Answer::Choices { options: vec!["roads".into(), "parks".into()], other_text: None });
    full.insert("safety".into(), Answer::Scale(2));
    full.insert("unsure".into(), Answer::DontKnow);
    full.insert("age".into(), Answer::Number(34.0));
    full.insert("moved_in".into(), Answer::Date("2019-05-01".into()));
    full.insert("comment".into(), Answer::Text("bus".into()));
    full.insert("home".into(), Answer::Area("12".into()));
    full.insert("services".into(), Answer::Grid(BTreeMap::from([("police".into(), "satisfied".into())])));
    full.insert("order".into(), Answer::Ranking(vec!["parks".into(), "roads".into()]));
    full.insert("about".into(), Answer::Demographics(BTreeMap::from([("age_band".into(), vec!["35_44".into()])])));
    let mut other = Answers::new();
    other.insert("transport".into(), Answer::Choice { option: "other".into(), other_text: Some("tram".into()) });
    other.insert("safety".into(), Answer::Scale(5));
    other.insert("age".into(), Answer::Number(17.5));
    other.insert("moved_in".into(), Answer::Date("2021-01-01".into()));
    vec![full, other, Answers::new()]
}

fn rule_vectors() -> Vec<RuleVector> {
    let questions =
        ["transport", "issues", "safety", "unsure", "age", "moved_in", "comment", "home", "order", "about", "nowhere"];
    let values = [
        json!("bus"),
        json!("car"),
        json!("other"),
        json!(2),
        json!(3),
        json!(34),
        json!(18.5),
        json!("2019-05-01"),
        json!("2020-01-01"),
        json!("dont_know"),
        json!("12"),
        json!(["bus", "car"]),
        json!(["roads"]),
        json!([]),
        json!(true),
        json!({"a": 1}),
    ];
    let ops = ["equals", "not_equals", "any_of", "none_of", "greater_than", "less_than", "answered", "not_answered"];
    let mut tests: Vec<Value> = Vec::new();
    for question in questions {
        for op in ops {
            if op == "answered" || op == "not_answered" {
                tests.push(json!({"question": question, "op": op}));
                continue;
            }
            for value in &values {
                tests.push(json!({"question": question, "op": op, "value": value}));
            }
        }
    }
    for statement in ["police", "fire"] {
        for value in [json!("satisfied"), json!("unsatisfied")] {
            for op in ["equals", "not_equals", "any_of", "none_of"] {
                tests.push(json!({"question": "services", "statement": statement, "op": op, "value": value}));
            }
            tests.push(json!({"question": "transport", "statement": statement, "op": "equals", "value": value}));
        }
        tests.push(json!({"question": "services", "statement": statement, "op": "answered"}));
        tests.push(json!({"question": "services", "statement": statement, "op": "not_answered"}));
    }
    let mut dice = Dice(2026);
    let mut conditions: Vec<Value> = tests.clone();
    conditions.push(json!({"all": []}));
    conditions.push(json!({"any": []}));
    for _ in 0..60 {
        let parts: Vec<Value> = (0..1 + dice.roll(3)).filter_map(|_| dice.pick(&tests).cloned()).collect();
        let inner = if dice.roll(2) == 0 { json!({"all": parts}) } else { json!({"any": parts}) };
        let more: Vec<Value> = (0..dice.roll(3)).filter_map(|_| dice.pick(&tests).cloned()).collect();
        let parts: Vec<Value> = std::iter::once(inner).chain(more).collect();
        conditions.push(if dice.roll(2) == 0 { json!({"any": parts}) } else { json!({"all": parts}) });
    }
    let answer_sets = sample_answers();
    conditions
        .into_iter()
        .map(|condition| {
            let condition: Condition = serde_json::from_value(condition).expect("a condition");
            let holds = answer_sets.iter().map(|answers| condition.holds(answers)).collect();
            RuleVector { condition, holds }
        })
        .collect()
}

/// A survey whose first page has every kind of question and follow-ups testing each of them on
/// the same page, and a second page whose rules test the first page's answers.
fn every_kind_survey() -> SurveyDefinition {
    let q = |key: &str, kind: Value| {
        let mut question = json!({"key": key, "text": {"en": key, "es": format!("{key} (es)")}, "required": true});
        if let (Some(question), Some(kind)) = (question.as_object_mut(), kind.as_object()) {
            question.extend(kind.clone());
        }
        question
    };
    let options = json!([{"key": "bus", "label": {"en": "Bus"}}, {"key": "car", "label": {"en": "Car"}}, {"key": "walk", "label": {"en": "Walk"}}]);
    let follow = |key: &str, rule: Value| {
        let mut question = q(key, json!({"type": "short_text"}));
        question["show_if"] = rule;
        question
    };
    let first = vec![
        q("transport", json!({"type": "single_choice", "options": options, "other": {"en": "Other"}})),
        q(
            "issues",
            json!({"type": "multiple_choice", "options": options, "min_selected": 1, "max_selected": 2, "other": {"en": "Other"}}),
        ),
        q("safety", json!({"type": "rating", "min": 1, "max": 5, "dont_know": {"en": "Don't know"}})),
        q("recommend", json!({"type": "nps"})),
        q(
            "services",
            json!({"type": "grid", "statements": [{"key": "police", "label": {"en": "Police"}}, {"key": "fire", "label": {"en": "Fire"}}],
            "scale": [{"key": "good", "label": {"en": "Good"}}, {"key": "bad", "label": {"en": "Bad"}}], "dont_know": {"en": "Don't know"}}),
        ),
        q("age", json!({"type": "number", "min": 16, "max": 120, "integer": true})),
        q("spend", json!({"type": "number"})),
        q("moved_in", json!({"type": "date", "min": "1950-01-01", "max": "2026-12-31"})),
        q("comment", json!({"type": "short_text", "max_length": 20})),
        q("order", json!({"type": "ranking", "options": options})),
        q("home", json!({"type": "area", "area_set": "neighborhoods"})),
        q("about", json!({"type": "demographics", "items": ["age_band", "race_ethnicity"]})),
        follow("why_bus", json!({"question": "transport", "op": "equals", "value": "bus"})),
        follow("why_not_car", json!({"question": "issues", "op": "none_of", "value": ["car"]})),
        follow(
            "unsafe",
            json!({"any": [{"question": "safety", "op": "less_than", "value": 3}, {"question": "safety", "op": "equals", "value": "dont_know"}]}),
        ),
        follow("detractor", json!({"question": "recommend", "op": "less_than", "value": 7})),
        follow("police", json!({"question": "services", "statement": "police", "op": "equals", "value": "bad"})),
        follow(
            "older",
            json!({"all": [{"question": "age", "op": "greater_than", "value": 64}, {"question": "spend", "op": "answered"}]}),
        ),
        follow("recent", json!({"question": "moved_in", "op": "greater_than", "value": "2020-01-01"})),
        follow("said_bus", json!({"question": "comment", "op": "equals", "value": "bus"})),
        follow("ranked", json!({"question": "order", "op": "not_answered"})),
        follow("home_12", json!({"question": "home", "op": "any_of", "value": ["12", "13"]})),
        follow("not_why_bus", json!({"question": "why_bus", "op": "not_answered"})),
    ];
    let second = vec![
        follow("later_bus", json!({"question": "transport", "op": "equals", "value": "bus"})),
        follow("later_old", json!({"question": "age", "op": "greater_than", "value": 30})),
        q("plain", json!({"type": "long_text"})),
    ];
    let survey = json!({"format": 1, "kind": "survey", "languages": ["en", "es"], "title": {"en": "Every kind"},
        "pages": [{"key": "p1", "questions": first}, {"key": "p2", "questions": second}]});
    SurveyDefinition::from_json(&survey.to_string()).expect("the every-kind survey")
}

/// A page as a resident might post it: each question blank, answered, or answered wrongly.
fn posted(survey: &SurveyDefinition, page: usize, dice: &mut Dice) -> Fields {
    let mut fields = Fields::new();
    let mut add = |name: String, value: &str| fields.push((name, value.to_owned()));
    for question in &survey.pages[page].questions {
        let key = question.key.clone();
        if dice.roll(5) == 0 {
            continue;
        }
        match &question.kind {
            QuestionKind::SingleChoice { options, .. } => {
                let choices: Vec<&str> =
                    options.iter().map(|o| o.key.as_str()).chain(["other", "bogus", " "]).collect();
                let choice = dice.pick(&choices).copied().unwrap_or_default();
                add(key.clone(), choice);
                if choice == "other" || dice.roll(4) == 0 {
                    add(sub_field(&key, "other"), ["tram", " ", ""][dice.roll(3)]);
                }
            }
            QuestionKind::MultipleChoice { options, .. } => {
                let choices: Vec<&str> = options.iter().map(|o| o.key.as_str()).chain(["other", "bogus"]).collect();
                for _ in 0..dice.roll(4) {
                    add(key.clone(), dice.pick(&choices).copied().unwrap_or_default());
                }
                if dice.roll(2) == 0 {
                    add(sub_field(&key, "other"), ["ferry", ""][dice.roll(2)]);
                }
            }
            QuestionKind::Rating { min, max, .. } => {
                let n = (*min - 1 + dice.roll((*max - *min + 3) as usize) as i32).to_string();
                let values = [n.as_str(), "dont_know", " 3 ", "x", "2.5"];
                add(key, values[dice.roll(5).min(dice.roll(5))]);
            }
            QuestionKind::Nps { .. } => {
                let n = dice.roll(12).to_string();
                add(key, [n.as_str(), "-1", "ten"][dice.roll(3).min(dice.roll(3))]);
            }
            QuestionKind::Grid { statements, scale, .. } => {
                let points: Vec<&str> =
                    scale.iter().map(|p| p.key.as_str()).chain(["dont_know", "bogus", ""]).collect();
                for statement in statements {
                    if dice.roll(3) != 0 {
                        add(sub_field(&key, &statement.key), dice.pick(&points).copied().unwrap_or_default());
                    }
                }
            }
            QuestionKind::Number { .. } => {
                let values = [
                    "42", "70", "15", "121", "1,234", "2.5", " 65 ", "abc", "-3", "1e3", "0x10", "Infinity", "1e400",
                    "",
                ];
                add(key, dice.pick(&values).copied().unwrap_or_default());
            }
            QuestionKind::Date { .. } => {
                let values = [
                    "2021-06-01",
                    "2019-02-29",
                    "2020-02-29",
                    "1949-12-31",
                    "2027-01-01",
                    "2021-6-1",
                    " 2022-03-04 ",
                    "soon",
                ];
                add(key, dice.pick(&values).copied().unwrap_or_default());
            }
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
                let long = "x".repeat(25);
                let values = ["bus", " bus ", "Bus", "  ", "ñandú 🚲", long.as_str()];
                add(key, dice.pick(&values).copied().unwrap_or_default());
            }
            QuestionKind::Ranking { options, .. } => {
                let mut ranks: Vec<usize> = (1..=options.len()).collect();
                for option in options {
                    if dice.roll(6) == 0 {
                        continue;
                    }
                    let at = dice.roll(ranks.len());
                    let rank = if ranks.is_empty() { 1 } else { ranks.remove(at) };
                    add(sub_field(&key, &option.key), &rank.to_string());
                }
            }
            QuestionKind::Area { .. } => {
                let long = "9".repeat(65);
                add(key, ["12", "13", "7", " ", long.as_str()][dice.roll(5)]);
            }
            QuestionKind::Demographics { items } => {
                for item in items {
                    let options: Vec<&str> = item.options().iter().map(|o| o.0).chain(["bogus"]).collect();
                    for _ in 0..dice.roll(if item.multiple() { 4 } else { 2 }) {
                        add(sub_field(&key, item.key()), dice.pick(&options).copied().unwrap_or_default());
                    }
                }
            }
        }
    }
    fields
}

fn page_vectors() -> Vec<PageVector> {
    let mut surveys: Vec<(String, SurveyDefinition)> =
        TEMPLATES.iter().map(|t| (t.key.to_owned(), t.definition().expect("template"))).collect();
    surveys.push(("every_kind".to_owned(), every_kind_survey()));
    let mut dice = Dice(7);
    let mut vectors = Vec::new();
    for (name, survey) in &surveys {
        let example = example_fields(survey, Some("12"));
        for page in 0..survey.pages.len() {
            let saved_choices = [Fields::new(), example.clone(), posted_everywhere(survey, &mut dice)];
            for (variant, saved) in saved_choices.iter().enumerate() {
                let language = if variant == 1 { "es" } else { "en" };
                let cases: Vec<PageCase> = (0..if name == "every_kind" { 60 } else { 12 })
                    .filter_map(|_| {
                        let posted = posted(survey, page, &mut dice);
                        page_outcome(survey, page, saved, &posted).map(|outcome| PageCase { posted, outcome })
                    })
                    .collect();
                if !cases.is_empty() {
                    vectors.push(PageVector {
                        survey: name.clone(),
                        page,
                        script: page_script(survey, page, saved, language),
                        cases,
                    });
                }
            }
        }
    }
    vectors
}

fn posted_everywhere(survey: &SurveyDefinition, dice: &mut Dice) -> Fields {
    (0..survey.pages.len()).flat_map(|page| posted(survey, page, dice)).collect()
}

fn line<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("vectors serialize")
}

/// One vector per line: the file stays readable in a diff.
fn vector_file() -> String {
    let answer_sets: Vec<String> = sample_answers().iter().map(line).collect();
    let rules: Vec<String> = rule_vectors().iter().map(line).collect();
    let pages: Vec<String> = page_vectors().iter().map(line).collect();
    format!(
        "{{\"answer_sets\": [\n{}\n],\n\"rules\": [\n{}\n],\n\"pages\": [\n{}\n]}}\n",
        answer_sets.join(",\n"),
        rules.join(",\n"),
        pages.join(",\n")
    )
}

#[test]
fn the_page_scripts_shared_vectors_are_what_the_rust_evaluator_says() {
    let fresh = vector_file();
    if std::env::var_os("CANVASS_WRITE_VECTORS").is_some() {
        std::fs::write(VECTORS, &fresh).expect("write the vectors");
    }
    let on_disk = std::fs::read_to_string(VECTORS).unwrap_or_default();
    assert!(
        on_disk == fresh,
        "{VECTORS} is stale: run `CANVASS_WRITE_VECTORS=1 cargo test -p canvass-app page_script`, then the \
         script's test (`node --test end2end/unit/`)"
    );
}

#[test]
fn the_vectors_cover_every_outcome() {
    let rules = rule_vectors();
    assert!(rules.iter().any(|v| v.holds.contains(&true)) && rules.iter().any(|v| v.holds.contains(&false)));
    let pages = page_vectors();
    let cases = || pages.iter().flat_map(|p| &p.cases);
    assert!(cases().any(|c| !c.outcome.unanswered.is_empty()), "some case leaves a required question blank");
    let survey = every_kind_survey();
    let cases: Vec<&PageCase> =
        pages.iter().filter(|p| p.survey == "every_kind" && p.page == 0).flat_map(|p| &p.cases).collect();
    let shown = |case: &PageCase, key: &str| case.outcome.shown.iter().any(|s| s == key);
    for question in &survey.pages[0].questions {
        let key = question.key.as_str();
        assert!(cases.iter().any(|c| shown(c, key)), "{key} is shown in some case");
        if question.show_if.is_some() {
            assert!(cases.iter().any(|c| !shown(c, key)), "{key} is hidden in some case");
        }
    }
}

#[test]
fn a_page_script_knows_only_the_earlier_answers_its_rules_test() {
    let survey = every_kind_survey();
    let saved = example_fields(&survey, Some("12"));
    let script = page_script(&survey, 1, &saved, "es");
    let known: Vec<&str> = script.known.keys().map(String::as_str).collect();
    assert_eq!(known, ["age", "transport"]);
    assert_eq!(script.required_message, "Responda esta pregunta, por favor.");
    assert_eq!(script.questions[2].label, "plain (es)");
    assert!(page_script(&survey, 0, &saved, "en").known.is_empty(), "the first page has no earlier answers");
}

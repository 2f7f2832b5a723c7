//! Property tests: generated surveys with random display rules, random answers, and arbitrary
//! JSON where answers are expected.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::answers::{check_answer, check_response};
use super::check::check;
use super::logic::{Condition, Op, Test};
use super::model::SurveyDefinition;

const OPTIONS: [&str; 3] = ["red", "green", "blue"];

/// A survey of `n` single-choice questions over pages of 2; question i may have a rule on an
/// earlier question j < i (`rules[i] = Some((j, op, option))`).
fn survey_from(rules: &[Option<(usize, usize, usize)>]) -> SurveyDefinition {
    let ops = [Op::Equals, Op::NotEquals, Op::AnyOf, Op::NoneOf, Op::Answered, Op::NotAnswered];
    let questions: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let mut q = json!({"key": format!("q{i}"), "type": "single_choice", "text": {"en": format!("Q{i}")},
                "options": OPTIONS.iter().map(|o| json!({"key": o, "label": {"en": o}})).collect::<Vec<_>>()});
            if let Some((j, op, option)) = rule {
                let op = ops[op % ops.len()];
                let value = match op {
                    Op::AnyOf | Op::NoneOf => Some(json!([OPTIONS[option % 3]])),
                    Op::Answered | Op::NotAnswered => None,
                    _ => Some(json!(OPTIONS[option % 3])),
                };
                let test = Test { question: format!("q{}", j % i.max(1)), statement: None, op, value };
                q["show_if"] = serde_json::to_value(Condition::Test(test)).unwrap_or_default();
            }
            q
        })
        .collect();
    let pages: Vec<Value> =
        questions.chunks(2).enumerate().map(|(p, qs)| json!({"key": format!("p{p}"), "questions": qs})).collect();
    SurveyDefinition::from_json(
        &json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "Generated"}, "pages": pages})
            .to_string(),
    )
    .unwrap_or_else(|e| panic!("generated survey parses: {e}"))
}

fn rules() -> impl Strategy<Value = Vec<Option<(usize, usize, usize)>>> {
    prop::collection::vec(prop::option::of((0usize..20, 0usize..6, 0usize..3)), 1..12).prop_map(|mut rules| {
        rules[0] = None; // the first question has nothing before it
        rules
    })
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[a-z_]{0,12}".prop_map(Value::from),
        Just(json!("red")),
        Just(json!("other")),
        Just(json!("dont_know")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn the_example_survey() -> SurveyDefinition {
    SurveyDefinition::from_json(include_str!("../../../templates/community_survey.json"))
        .unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #[test]
    fn generated_surveys_with_backward_rules_are_valid_and_round_trip(rules in rules()) {
        let survey = survey_from(&rules);
        prop_assert_eq!(check(&survey), vec![]);
        let again = SurveyDefinition::from_json(&survey.to_json());
        prop_assert_eq!(again.as_ref().ok(), Some(&survey));
    }

    #[test]
    fn a_checked_response_never_keeps_an_answer_to_a_hidden_question(
        rules in rules(),
        picks in prop::collection::vec(prop::option::of(0usize..3), 12),
    ) {
        let survey = survey_from(&rules);
        let raw: BTreeMap<String, Value> = survey
            .questions()
            .zip(picks.iter())
            .filter_map(|((_, q), pick)| pick.map(|i| (q.key.clone(), json!(OPTIONS[i]))))
            .collect();
        let answers = check_response(&survey, &raw).unwrap_or_default();
        // Replay: every kept answer's question is shown given the answers before it.
        let mut so_far = BTreeMap::new();
        for (_, question) in survey.questions() {
            let shown = question.show_if.as_ref().is_none_or(|c| c.holds(&so_far));
            if let Some(answer) = answers.get(&question.key) {
                prop_assert!(shown, "kept an answer to hidden {}", question.key);
                so_far.insert(question.key.clone(), answer.clone());
            } else if shown {
                prop_assert!(!raw.contains_key(&question.key), "dropped a shown answer to {}", question.key);
            }
        }
    }

    #[test]
    fn negative_tests_are_the_opposite_of_positive_ones(option in 0usize..3, answered in any::<bool>(), pick in 0usize..3) {
        let mut answers = BTreeMap::new();
        if answered {
            answers.insert("q".to_owned(), super::answers::Answer::Choice { option: OPTIONS[pick].into(), other_text: None });
        }
        let t = |op, value| Condition::Test(Test { question: "q".into(), statement: None, op, value }).holds(&answers);
        let v = json!(OPTIONS[option]);
        prop_assert_eq!(t(Op::Equals, Some(v.clone())), !t(Op::NotEquals, Some(v.clone())));
        prop_assert_eq!(t(Op::AnyOf, Some(json!([v.clone()]))), t(Op::Equals, Some(v.clone())));
        prop_assert_eq!(t(Op::AnyOf, Some(json!([v.clone()]))), !t(Op::NoneOf, Some(json!([v]))));
        prop_assert_eq!(t(Op::Answered, None), !t(Op::NotAnswered, None));
    }

    #[test]
    fn any_json_as_an_answer_gets_a_clear_result_and_never_a_panic(raw in arbitrary_json()) {
        let survey = the_example_survey();
        for (_, question) in survey.questions() {
            if let Err(problem) = check_answer(question, &raw) {
                prop_assert_eq!(&problem.question, &question.key);
                prop_assert!(!problem.message.is_empty());
            }
        }
    }
}

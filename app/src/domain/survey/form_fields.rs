//! How a survey page's HTML form names its fields, and turning the posted fields back into raw
//! answers for `answers::check_response`. Both the resident's form posted without JavaScript and
//! the live display rules in the browser go through here, so the two agree.
//!
//! Names: `{question}` for one value or repeated for several (multiple choice), `{question}.other`
//! for "please specify", `{question}.{statement}` in a grid, `{question}.{item}` in a
//! demographics block, and `{question}.{option}` = rank number in a ranking.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::answers::{MAX_OTHER_TEXT, OTHER};
use super::model::{Question, QuestionKind, SurveyDefinition};

/// How far past its question's limit a typed text is kept before the page is saved: enough to
/// show the resident what they typed with "keep it under N characters", not a store for
/// whatever a script posts.
pub const TEXT_OVERRUN_KEPT: usize = 1_000;
/// The longest value a field that is not typed text can hold: an option, statement or area key,
/// a rating, a number, a date or a rank. Longer values cannot be answers and are not kept.
pub const MAX_CHOICE_VALUE: usize = 128;

/// The name of a sub-field of a question.
pub fn sub_field(question: &str, part: &str) -> String {
    format!("{question}.{part}")
}

/// What of a posted page is kept for one question before it is saved: only the field names its
/// form has, each as many times as its form can send it (several only for multiple choice and
/// multi-select demographic items); typed text cut at its limit and [`TEXT_OVERRUN_KEPT`] more
/// characters (the page's check then asks for it shorter); other values only if at most
/// [`MAX_CHOICE_VALUE`] bytes. A tampered or scripted post therefore stores at most a page's
/// worth of real answers.
pub fn kept_fields(question: &Question, posted: &[(String, String)]) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = Vec::new();
    for (name, value) in posted {
        let Some((repeats, text_limit)) = field_allowance(question, name) else { continue };
        let value = match text_limit {
            Some(limit) => value.chars().take(limit + TEXT_OVERRUN_KEPT).collect(),
            None if value.len() <= MAX_CHOICE_VALUE => value.clone(),
            None => continue,
        };
        if kept.iter().filter(|(n, _)| n == name).count() < repeats {
            kept.push((name.clone(), value));
        }
    }
    kept
}

/// For a field name of this question's form: how many values it may carry, and the typed-text
/// limit of its value (`None`: not typed text). `None` for a name the form does not have.
fn field_allowance(question: &Question, name: &str) -> Option<(usize, Option<usize>)> {
    let key = question.key.as_str();
    let part = if name == key { None } else { Some(name.strip_prefix(key)?.strip_prefix('.')?) };
    let one_choice = Some((1, None));
    match (&question.kind, part) {
        (QuestionKind::SingleChoice { .. }, None) => one_choice,
        (QuestionKind::MultipleChoice { options, .. }, None) => Some((options.len() + 1, None)),
        (
            QuestionKind::SingleChoice { other: Some(_), .. } | QuestionKind::MultipleChoice { other: Some(_), .. },
            Some("other"),
        ) => Some((1, Some(MAX_OTHER_TEXT))),
        (QuestionKind::Grid { statements, .. }, Some(part)) => {
            statements.iter().any(|s| s.key == part).then_some((1, None))
        }
        (QuestionKind::Ranking { options, .. }, Some(part)) => {
            options.iter().any(|o| o.key == part).then_some((1, None))
        }
        (QuestionKind::Demographics { items }, Some(part)) => {
            let item = items.iter().copied().find(|i| i.key() == part)?;
            Some((if item.multiple() { item.options().len() } else { 1 }, None))
        }
        (QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length }, None) => {
            Some((1, Some(*max_length as usize)))
        }
        (
            QuestionKind::Rating { .. }
            | QuestionKind::Nps { .. }
            | QuestionKind::Number { .. }
            | QuestionKind::Date { .. }
            | QuestionKind::Area { .. },
            None,
        ) => one_choice,
        _ => None,
    }
}

/// Collects posted `(name, value)` pairs into raw answers by question key. Unknown names and
/// blank values are ignored; the checks in `answers` decide what is valid.
pub fn raw_answers(survey: &SurveyDefinition, fields: &[(String, String)]) -> BTreeMap<String, Value> {
    let values = |name: &str| -> Vec<String> {
        fields.iter().filter(|(n, v)| n == name && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
    };
    let mut raw = BTreeMap::new();
    for (_, question) in survey.questions() {
        let key = question.key.as_str();
        let value = match &question.kind {
            QuestionKind::SingleChoice { .. } => values(key).into_iter().next().map(|option| {
                if option == OTHER {
                    let text = values(&sub_field(key, "other")).into_iter().next().unwrap_or_default();
                    serde_json::json!({"option": OTHER, "other_text": text})
                } else {
                    Value::String(option)
                }
            }),
            QuestionKind::MultipleChoice { .. } => {
                let chosen = values(key);
                (!chosen.is_empty()).then(|| {
                    if chosen.iter().any(|o| o == OTHER) {
                        let text = values(&sub_field(key, "other")).into_iter().next().unwrap_or_default();
                        serde_json::json!({"options": chosen, "other_text": text})
                    } else {
                        Value::from(chosen)
                    }
                })
            }
            QuestionKind::Grid { statements, .. } => {
                let cells: Map<String, Value> = statements
                    .iter()
                    .filter_map(|s| {
                        values(&sub_field(key, &s.key)).into_iter().next().map(|v| (s.key.clone(), Value::String(v)))
                    })
                    .collect();
                (!cells.is_empty()).then_some(Value::Object(cells))
            }
            QuestionKind::Demographics { items } => {
                let chosen: Map<String, Value> = items
                    .iter()
                    .filter_map(|item| {
                        let picked = values(&sub_field(key, item.key()));
                        (!picked.is_empty()).then(|| {
                            let value =
                                if item.multiple() { Value::from(picked) } else { Value::String(picked[0].clone()) };
                            (item.key().to_owned(), value)
                        })
                    })
                    .collect();
                (!chosen.is_empty()).then_some(Value::Object(chosen))
            }
            QuestionKind::Ranking { options, .. } => {
                let mut ranked: Vec<(String, String)> = options
                    .iter()
                    .filter_map(|o| {
                        values(&sub_field(key, &o.key)).into_iter().next().map(|rank| (rank, o.key.clone()))
                    })
                    .collect();
                if ranked.is_empty() {
                    None
                } else if ranked.len() < options.len() {
                    // Some options left unranked: pass what was given, the check asks for all.
                    Some(Value::from(ranked.into_iter().map(|(_, k)| k).collect::<Vec<_>>()))
                } else {
                    ranked.sort_by_key(|(rank, _)| rank.parse::<u32>().unwrap_or(u32::MAX));
                    let mut order: Vec<String> = ranked.into_iter().map(|(_, k)| k).collect();
                    order.dedup();
                    Some(Value::from(order))
                }
            }
            _ => values(key).into_iter().next().map(Value::String),
        };
        if let Some(value) = value {
            raw.insert(key.to_owned(), value);
        }
    }
    raw
}

/// The keys of the questions shown, given raw answers (see `flow::walk`).
pub fn visible_questions(survey: &SurveyDefinition, raw: &BTreeMap<String, Value>) -> Vec<String> {
    super::flow::walk(survey, raw)
        .pages
        .into_iter()
        .flat_map(|page| page.questions)
        .filter(|q| q.shown)
        .map(|q| q.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::answers::{Answer, check_response};
    use crate::domain::survey::templates::TEMPLATES;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_posted_community_survey_form_becomes_a_valid_response() {
        let survey = TEMPLATES[0].definition().expect("template");
        let mut fields = vec![
            ("place_to_live", "4"),
            ("place_to_raise_children", "dont_know"),
            ("place_to_work", "3"),
            ("place_to_retire", "5"),
            ("overall_direction", "2"),
            ("safe_day", "4"),
            ("safe_after_dark", "2"),
            ("feel_safer", "  More street lights  "),
            ("recommend", "8"),
            ("top_issues", "transit"),
            ("top_issues", OTHER),
            ("top_issues.other", "Noise"),
            ("demographics.age_band", "35_44"),
            ("demographics.race_ethnicity", "asian"),
            ("demographics.race_ethnicity", "white"),
            ("ignored_field", "x"),
        ];
        let statements = match &survey.question("service_satisfaction").expect("grid").kind {
            QuestionKind::Grid { statements, .. } => statements.iter().map(|s| s.key.clone()).collect::<Vec<_>>(),
            _ => panic!("the template's grid"),
        };
        let names: Vec<String> = statements.iter().map(|s| sub_field("service_satisfaction", s)).collect();
        for name in &names {
            fields.push((name.as_str(), "satisfied"));
        }
        let raw = raw_answers(&survey, &pairs(&fields));
        let answers = check_response(&survey, &raw).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(answers["feel_safer"], Answer::Text("More street lights".into()));
        assert_eq!(
            answers["top_issues"],
            Answer::Choices { options: vec!["transit".into(), OTHER.into()], other_text: Some("Noise".into()) }
        );
        assert!(!answers.contains_key("ignored_field"));
    }

    #[test]
    fn a_tampered_page_keeps_only_what_its_form_can_send() {
        let survey = TEMPLATES[0].definition().expect("template");
        let question = |key: &str| survey.question(key).expect("question").clone();
        let many = |name: &str, value: &str, times: usize| vec![(name.to_owned(), value.to_owned()); times];

        // One value for a single answer, however often it is posted; no invented sub-fields.
        let mut post = many("place_to_live", "4", 500);
        post.extend(many("place_to_live.junk", "x", 3));
        assert_eq!(kept_fields(&question("place_to_live"), &post), pairs(&[("place_to_live", "4")]));

        // Multiple choice: at most one value per option and "other".
        let top = question("top_issues");
        let QuestionKind::MultipleChoice { options, .. } = &top.kind else { panic!("multiple choice") };
        assert_eq!(kept_fields(&top, &many("top_issues", "transit", 1_000)).len(), options.len() + 1);

        // A value no option, rating or number can have is not kept; typed text is cut, not lost.
        let long_key = "k".repeat(MAX_CHOICE_VALUE + 1);
        assert!(kept_fields(&question("place_to_live"), &pairs(&[("place_to_live", &long_key)])).is_empty());
        let (QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length }) =
            question("feel_safer").kind
        else {
            panic!("text")
        };
        let typed = "é".repeat(max_length as usize + TEXT_OVERRUN_KEPT + 500);
        let kept = kept_fields(&question("feel_safer"), &pairs(&[("feel_safer", &typed)]));
        assert_eq!(kept[0].1.chars().count(), max_length as usize + TEXT_OVERRUN_KEPT);

        // A grid keeps its statements only; demographics their items, race/ethnicity several.
        let grid = question("service_satisfaction");
        assert!(kept_fields(&grid, &pairs(&[("service_satisfaction.not_a_statement", "satisfied")])).is_empty());
        let demographics = question("demographics");
        let post = pairs(&[
            ("demographics.age_band", "35_44"),
            ("demographics.age_band", "45_54"),
            ("demographics.race_ethnicity", "asian"),
            ("demographics.race_ethnicity", "white"),
            ("demographics.shoe_size", "9"),
        ]);
        assert_eq!(
            kept_fields(&demographics, &post),
            pairs(&[
                ("demographics.age_band", "35_44"),
                ("demographics.race_ethnicity", "asian"),
                ("demographics.race_ethnicity", "white"),
            ])
        );
    }

    #[test]
    fn a_ranking_is_ordered_by_the_ranks_given() {
        let survey = SurveyDefinition::from_json(
            &serde_json::json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
                "pages": [{"key": "p", "questions": [{"key": "r", "type": "ranking", "text": {"en": "R"},
                    "options": [{"key": "a", "label": {"en": "A"}}, {"key": "b", "label": {"en": "B"}}, {"key": "c", "label": {"en": "C"}}]}]}]})
            .to_string(),
        )
        .expect("parses");
        let raw = raw_answers(&survey, &pairs(&[("r.a", "3"), ("r.b", "1"), ("r.c", "2")]));
        assert_eq!(raw["r"], serde_json::json!(["b", "c", "a"]));
        let incomplete = raw_answers(&survey, &pairs(&[("r.a", "1")]));
        assert!(check_response(&survey, &incomplete).is_err(), "every option must be ranked");
    }

    #[test]
    fn follow_up_questions_appear_only_when_their_rule_holds() {
        let survey = TEMPLATES[0].definition().expect("template");
        let calm = raw_answers(&survey, &pairs(&[("safe_day", "5"), ("safe_after_dark", "4")]));
        assert!(!visible_questions(&survey, &calm).contains(&"feel_safer".to_owned()));
        let worried = raw_answers(&survey, &pairs(&[("safe_day", "5"), ("safe_after_dark", "1")]));
        assert!(visible_questions(&survey, &worried).contains(&"feel_safer".to_owned()));
    }
}

//! A question a designer adds: the kinds on offer, with their names in the designer, and the
//! starting setup of each (options, scale labels, limits) that the designer then adjusts. A new
//! question kind gets its entry and its starting setup here (docs/ARCHITECTURE.md).

use super::model::{Choice, ChoiceDisplay, QuestionKind, Text};

/// The kinds a designer can add, with their names in the designer.
pub const ADDABLE_KINDS: [(&str, &str); 12] = [
    ("single_choice", "Single choice"),
    ("multiple_choice", "Multiple choice"),
    ("rating", "Rating scale"),
    ("grid", "Satisfaction grid"),
    ("nps", "0–10 recommend (NPS)"),
    ("number", "Number"),
    ("date", "Date"),
    ("short_text", "Short text"),
    ("long_text", "Long text"),
    ("ranking", "Ranking"),
    ("area", "Neighborhood"),
    ("demographics", "Demographics block"),
];

/// A new question of `kind` with a sensible starting setup the designer then adjusts.
pub fn starting_kind(kind: &str, language: &str) -> Option<QuestionKind> {
    let t = |s: &str| Text::from([(language.to_owned(), s.to_owned())]);
    let choices = |items: &[(&str, &str)]| {
        items.iter().map(|(k, l)| Choice { key: (*k).into(), label: t(l) }).collect::<Vec<_>>()
    };
    let yes_no = || choices(&[("yes", "Yes"), ("no", "No")]);
    Some(match kind {
        "single_choice" => QuestionKind::SingleChoice {
            options: yes_no(),
            display: ChoiceDisplay::Radio,
            other: None,
            randomize: false,
        },
        "multiple_choice" => QuestionKind::MultipleChoice {
            options: choices(&[("option_1", "Option 1"), ("option_2", "Option 2"), ("option_3", "Option 3")]),
            min_selected: None,
            max_selected: None,
            other: None,
            randomize: false,
        },
        "rating" => QuestionKind::Rating {
            min: 1,
            max: 5,
            min_label: Some(t("Very poor")),
            max_label: Some(t("Excellent")),
            dont_know: Some(t("Don't know")),
        },
        "grid" => QuestionKind::Grid {
            statements: choices(&[("statement_1", "Statement 1"), ("statement_2", "Statement 2")]),
            scale: choices(&[
                ("very_dissatisfied", "Very dissatisfied"),
                ("dissatisfied", "Dissatisfied"),
                ("satisfied", "Satisfied"),
                ("very_satisfied", "Very satisfied"),
            ]),
            dont_know: Some(t("Don't know")),
            randomize: false,
        },
        "nps" => QuestionKind::Nps { min_label: Some(t("Not at all likely")), max_label: Some(t("Extremely likely")) },
        "number" => QuestionKind::Number { min: None, max: None, integer: true },
        "date" => QuestionKind::Date { min: None, max: None },
        "short_text" => QuestionKind::ShortText { max_length: 200 },
        "long_text" => QuestionKind::LongText { max_length: 5000 },
        "ranking" => QuestionKind::Ranking {
            options: choices(&[("option_1", "Option 1"), ("option_2", "Option 2"), ("option_3", "Option 3")]),
            randomize: false,
        },
        "area" => QuestionKind::Area { area_set: None },
        "demographics" => QuestionKind::Demographics { items: super::demographics::DemographicItem::ALL.to_vec() },
        _ => return None,
    })
}

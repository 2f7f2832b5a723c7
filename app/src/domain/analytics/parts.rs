//! The analysable parts of a survey: each choice, rating, NPS, number and ranking question,
//! each statement of a grid and each item of a demographics block, with its options in the
//! survey's default language and how it is summarised.

use super::results::Headline;
use super::tally::PART_SEPARATOR;
use crate::domain::survey::demographics::DemographicItem;
use crate::domain::survey::model::{QuestionKind, SurveyDefinition, localized};

/// How answers to one part are read.
pub(super) struct PartSpec {
    pub(super) key: String,
    pub(super) question: String,
    pub(super) kind: &'static str,
    pub(super) text: String,
    pub(super) options: Vec<(String, String)>,
    pub(super) headline: Headline,
    /// Rating points, or grid scale keys, counted as top-2-box.
    pub(super) top_two: Vec<String>,
    pub(super) has_dont_know: bool,
    /// Options are exclusive (chi-square applies).
    pub(super) exclusive: bool,
}

/// A part results can be filtered or broken down by: its options (key, label), and whether they
/// are exclusive (one per respondent). `None` for unknown keys and parts without options.
pub fn part_options(survey: &SurveyDefinition, part: &str) -> Option<(Vec<(String, String)>, bool)> {
    parts(survey).into_iter().find(|p| p.key == part && !p.options.is_empty()).map(|p| (p.options, p.exclusive))
}

/// The tally keys of a question: its own key, or one per grid statement or demographic item.
pub fn part_keys(survey: &SurveyDefinition, question: &str) -> Vec<String> {
    parts(survey).into_iter().filter(|p| p.question == question).map(|p| p.key).collect()
}

/// A part results can be shown for, as a page lists it: `question` or `question.statement`,
/// its text, its options (none for numbers), and whether each respondent gives one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PartOutline {
    pub question: String,
    pub key: String,
    pub text: String,
    pub options: Vec<(String, String)>,
    pub exclusive: bool,
}

/// Every part of the survey that has results, in survey order.
pub fn outline(survey: &SurveyDefinition) -> Vec<PartOutline> {
    parts(survey)
        .into_iter()
        .map(|p| PartOutline {
            question: p.question,
            key: p.key,
            text: p.text,
            options: p.options,
            exclusive: p.exclusive,
        })
        .collect()
}

pub(super) fn parts(survey: &SurveyDefinition) -> Vec<PartSpec> {
    let language = survey.default_language();
    let text = |t: &crate::domain::survey::Text| localized(t, language, language).to_owned();
    let mut out = Vec::new();
    for (_, q) in survey.questions() {
        let spec =
            |options: Vec<(String, String)>, headline, top_two: Vec<String>, has_dont_know, exclusive| PartSpec {
                key: q.key.clone(),
                question: q.key.clone(),
                kind: q.kind.name(),
                text: text(&q.text),
                options,
                headline,
                top_two,
                has_dont_know,
                exclusive,
            };
        let choices =
            |c: &[crate::domain::survey::Choice]| c.iter().map(|o| (o.key.clone(), text(&o.label))).collect::<Vec<_>>();
        match &q.kind {
            QuestionKind::SingleChoice { options, other, .. } | QuestionKind::MultipleChoice { options, other, .. } => {
                let mut all = choices(options);
                if let Some(other) = other {
                    all.push(("other".into(), text(other)));
                }
                let exclusive = matches!(q.kind, QuestionKind::SingleChoice { .. });
                out.push(spec(all, Headline::TopOption, vec![], false, exclusive));
            }
            QuestionKind::Rating { min, max, dont_know, .. } => {
                let points = (*min..=*max).map(|p| (p.to_string(), p.to_string())).collect();
                let top = vec![max.to_string(), (max - 1).to_string()];
                out.push(spec(points, Headline::TopTwoBox, top, dont_know.is_some(), true));
            }
            QuestionKind::Nps { .. } => {
                let points = (0..=10).map(|p| (p.to_string(), p.to_string())).collect();
                out.push(spec(points, Headline::NetPromoterScore, vec![], false, true));
            }
            QuestionKind::Number { .. } => out.push(spec(vec![], Headline::Mean, vec![], false, false)),
            QuestionKind::Ranking { options, .. } => {
                out.push(spec(choices(options), Headline::None, vec![], false, false))
            }
            QuestionKind::Grid { statements, scale, dont_know, .. } => {
                let top: Vec<String> = scale.iter().rev().take(2).map(|p| p.key.clone()).collect();
                for statement in statements {
                    out.push(PartSpec {
                        key: format!("{}{PART_SEPARATOR}{}", q.key, statement.key),
                        text: format!("{} — {}", text(&q.text), text(&statement.label)),
                        ..spec(choices(scale), Headline::TopTwoBox, top.clone(), dont_know.is_some(), true)
                    });
                }
            }
            QuestionKind::Demographics { items } => {
                for item in items {
                    let options = item
                        .options()
                        .iter()
                        .map(|(k, en, es)| ((*k).to_owned(), if language == "es" { *es } else { *en }.to_owned()))
                        .collect();
                    let exclusive = !DemographicItem::multiple(*item);
                    out.push(PartSpec {
                        key: format!("{}{PART_SEPARATOR}{}", q.key, item.key()),
                        text: item.question().0.to_owned(),
                        ..spec(options, Headline::TopOption, vec![], false, exclusive)
                    });
                }
            }
            _ => {}
        }
    }
    out
}

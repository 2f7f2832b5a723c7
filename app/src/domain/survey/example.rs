//! An example complete response to any survey, as the resident's form would post it: the first
//! option of each choice, the top of each scale, a short text. For the load benchmark, the API
//! documentation and tests; never shown to residents.

use super::flow::Fields;
use super::form_fields::sub_field;
use super::model::{QuestionKind, SurveyDefinition};

/// Form fields answering every question of `survey` that the display rules show (area
/// questions with `area`, if given).
pub fn example_fields(survey: &SurveyDefinition, area: Option<&str>) -> Fields {
    let fields = every_answer(survey, area);
    let shown = super::form_fields::visible_questions(survey, &super::form_fields::raw_answers(survey, &fields));
    fields.into_iter().filter(|(name, _)| shown.iter().any(|k| k == super::flow::question_of_field(name))).collect()
}

fn every_answer(survey: &SurveyDefinition, area: Option<&str>) -> Fields {
    let mut fields = Vec::new();
    let mut add = |name: String, value: String| fields.push((name, value));
    for (_, question) in survey.questions() {
        let key = question.key.clone();
        match &question.kind {
            QuestionKind::SingleChoice { options, .. } => {
                if let Some(first) = options.first() {
                    add(key, first.key.clone());
                }
            }
            QuestionKind::MultipleChoice { options, min_selected, max_selected, .. } => {
                let wanted = min_selected.unwrap_or(1).max(1).min(max_selected.unwrap_or(u32::MAX)) as usize;
                for option in options.iter().take(wanted) {
                    add(key.clone(), option.key.clone());
                }
            }
            QuestionKind::Rating { max, .. } => add(key, max.to_string()),
            QuestionKind::Nps { .. } => add(key, "9".to_owned()),
            QuestionKind::Grid { statements, scale, .. } => {
                if let Some(point) = scale.first() {
                    for statement in statements {
                        add(sub_field(&key, &statement.key), point.key.clone());
                    }
                }
            }
            QuestionKind::Number { min, max, .. } => {
                let n = min.unwrap_or(0.0).max(1.0).min(max.unwrap_or(f64::MAX)).round();
                add(key, format!("{n}"));
            }
            QuestionKind::Date { min, .. } => add(key, min.clone().unwrap_or_else(|| "2026-01-15".to_owned())),
            QuestionKind::ShortText { .. } => add(key, "Example".to_owned()),
            QuestionKind::LongText { .. } => add(key, "An example answer.".to_owned()),
            QuestionKind::Ranking { options, .. } => {
                for (rank, option) in options.iter().enumerate() {
                    add(sub_field(&key, &option.key), (rank + 1).to_string());
                }
            }
            QuestionKind::Area { .. } => {
                if let Some(area) = area {
                    add(key, area.to_owned());
                }
            }
            QuestionKind::Demographics { items } => {
                for item in items {
                    if let Some(option) = item.options().first() {
                        add(sub_field(&key, item.key()), option.0.to_owned());
                    }
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::answers::check_response;
    use crate::domain::survey::form_fields::raw_answers;
    use crate::domain::survey::templates::TEMPLATES;

    #[test]
    fn the_example_response_to_every_template_is_valid() {
        for template in TEMPLATES {
            let survey = template.definition().expect("template");
            let raw = raw_answers(&survey, &example_fields(&survey, None));
            if let Err(problems) = check_response(&survey, &raw) {
                panic!("{}: {problems:?}", template.key);
            }
        }
    }
}

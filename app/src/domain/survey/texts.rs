//! Every text of a survey by its path (`pages[0].questions[2].options[1].label`), for
//! translation: listing what is missing, and setting one text in one language.

use super::model::{Choice, QuestionKind, SurveyDefinition, Text};

/// Every text the survey has, in reading order, with its path.
pub fn all_texts(survey: &SurveyDefinition) -> Vec<(String, &Text)> {
    let mut texts: Vec<(String, &Text)> = vec![("title".into(), &survey.title)];
    texts.extend(survey.description.iter().map(|t| ("description".to_owned(), t)));
    texts.extend(survey.consent.iter().map(|t| ("consent".to_owned(), t)));
    for (p, page) in survey.pages.iter().enumerate() {
        texts.extend(page.title.iter().map(|t| (format!("pages[{p}].title"), t)));
        for (q, question) in page.questions.iter().enumerate() {
            let path = format!("pages[{p}].questions[{q}]");
            texts.push((format!("{path}.text"), &question.text));
            texts.extend(question.help.iter().map(|t| (format!("{path}.help"), t)));
            for (name, list) in choice_lists(&question.kind) {
                for (i, choice) in list.iter().enumerate() {
                    texts.push((format!("{path}.{name}[{i}].label"), &choice.label));
                }
            }
            for (name, text) in extra_texts(&question.kind) {
                texts.extend(text.iter().map(|t| (format!("{path}.{name}"), t)));
            }
        }
    }
    texts
}

fn choice_lists(kind: &QuestionKind) -> Vec<(&'static str, &[Choice])> {
    match kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. }
        | QuestionKind::Ranking { options, .. } => vec![("options", options)],
        QuestionKind::Grid { statements, scale, .. } => vec![("statements", statements), ("scale", scale)],
        _ => vec![],
    }
}

fn extra_texts(kind: &QuestionKind) -> Vec<(&'static str, &Option<Text>)> {
    match kind {
        QuestionKind::SingleChoice { other, .. } | QuestionKind::MultipleChoice { other, .. } => vec![("other", other)],
        QuestionKind::Rating { min_label, max_label, dont_know, .. } => {
            vec![("min_label", min_label), ("max_label", max_label), ("dont_know", dont_know)]
        }
        QuestionKind::Nps { min_label, max_label } => vec![("min_label", min_label), ("max_label", max_label)],
        QuestionKind::Grid { dont_know, .. } => vec![("dont_know", dont_know)],
        _ => vec![],
    }
}

/// The text at `path`, for changing it; `None` when the path names no existing text.
pub fn text_at_mut<'a>(survey: &'a mut SurveyDefinition, path: &str) -> Option<&'a mut Text> {
    let segments: Vec<(&str, Option<usize>)> = path.split('.').map(segment).collect::<Option<_>>()?;
    match segments.as_slice() {
        [("title", None)] => Some(&mut survey.title),
        [("description", None)] => survey.description.as_mut(),
        [("consent", None)] => survey.consent.as_mut(),
        [("pages", Some(p)), ("title", None)] => survey.pages.get_mut(*p)?.title.as_mut(),
        [("pages", Some(p)), ("questions", Some(q)), rest @ ..] => {
            let question = survey.pages.get_mut(*p)?.questions.get_mut(*q)?;
            match rest {
                [("text", None)] => Some(&mut question.text),
                [("help", None)] => question.help.as_mut(),
                [(list, Some(i)), ("label", None)] => {
                    choice_list_mut(&mut question.kind, list)?.get_mut(*i).map(|c| &mut c.label)
                }
                [(name, None)] => extra_text_mut(&mut question.kind, name),
                _ => None,
            }
        }
        _ => None,
    }
}

fn choice_list_mut<'a>(kind: &'a mut QuestionKind, name: &str) -> Option<&'a mut Vec<Choice>> {
    match (kind, name) {
        (
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options, .. },
            "options",
        ) => Some(options),
        (QuestionKind::Grid { statements, .. }, "statements") => Some(statements),
        (QuestionKind::Grid { scale, .. }, "scale") => Some(scale),
        _ => None,
    }
}

fn extra_text_mut<'a>(kind: &'a mut QuestionKind, name: &str) -> Option<&'a mut Text> {
    match (kind, name) {
        (QuestionKind::SingleChoice { other, .. } | QuestionKind::MultipleChoice { other, .. }, "other") => {
            other.as_mut()
        }
        (QuestionKind::Rating { min_label, .. } | QuestionKind::Nps { min_label, .. }, "min_label") => {
            min_label.as_mut()
        }
        (QuestionKind::Rating { max_label, .. } | QuestionKind::Nps { max_label, .. }, "max_label") => {
            max_label.as_mut()
        }
        (QuestionKind::Rating { dont_know, .. } | QuestionKind::Grid { dont_know, .. }, "dont_know") => {
            dont_know.as_mut()
        }
        _ => None,
    }
}

/// `name` or `name[3]`.
fn segment(part: &str) -> Option<(&str, Option<usize>)> {
    match part.split_once('[') {
        None => Some((part, None)),
        Some((name, rest)) => Some((name, Some(rest.strip_suffix(']')?.parse().ok()?))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::templates::TEMPLATES;

    #[test]
    fn every_listed_path_leads_back_to_its_text() {
        let survey = TEMPLATES[0].definition().expect("template");
        let listed: Vec<(String, Text)> = all_texts(&survey).into_iter().map(|(p, t)| (p, t.clone())).collect();
        assert!(listed.len() > 50, "{} texts", listed.len());
        let mut copy = survey.clone();
        for (path, text) in listed {
            assert_eq!(text_at_mut(&mut copy, &path).map(|t| t.clone()), Some(text), "{path}");
        }
    }

    #[test]
    fn paths_to_nothing_find_nothing() {
        let mut survey = TEMPLATES[0].definition().expect("template");
        for path in [
            "",
            "nope",
            "pages[99].title",
            "pages[0].questions[0].options[999].label",
            "pages[x].title",
            "pages[0].questions[0].key",
        ] {
            assert!(text_at_mut(&mut survey, path).is_none(), "{path}");
        }
    }
}

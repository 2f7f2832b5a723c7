//! Edits a designer makes to a survey definition, one operation at a time. Each edit changes a
//! copy; the caller checks the result (`check::check`) before saving it, so an edit that would
//! break a rule is refused with the reason and nothing is lost.

use serde::{Deserialize, Serialize};

use super::check::is_valid_key;
use super::model::{Choice, ChoiceDisplay, Page, PollResults, Question, QuestionKind, SurveyDefinition, Text};

/// One change to a survey definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// Title and description in the default language; for quick polls, whether residents see
    /// the results after answering.
    Settings { title: String, description: String, poll_results: Option<PollResults> },
    /// Add a page at the end.
    AddPage { key: String },
    /// Add a question at the end of a page, with a starting setup for its kind.
    AddQuestion { page: String, key: String, kind: String, text: String },
    /// Move a question one place up or down (across pages at the edges).
    MoveQuestion { key: String, up: bool },
    /// Remove a question.
    DeleteQuestion { key: String },
    /// Remove an empty page.
    DeletePage { key: String },
    /// Set one text of a question in one language (`field`: text or help).
    QuestionText { key: String, field: String, language: String, text: String },
    /// Whether a question must be answered.
    Required { key: String, required: bool },
    /// The question and its help in the default language (blank help removes it).
    QuestionWording { key: String, text: String, help: String },
    /// Replace a question's options (or a grid's statements or scale) from lines `key: Label`;
    /// a line without `key:` gets a key made from its label. Translations of kept keys stay.
    SetChoices { key: String, list: String, lines: String },
    /// Kind-specific settings; absent fields keep their value.
    QuestionSettings { key: String, settings: QuestionSettings },
    /// The question's display rule: shown only if `rule` holds (`None`: always shown).
    SetRule { key: String, rule: Option<super::logic::Condition> },
    /// Set texts in one language: (path, text) pairs; a blank text removes the translation.
    Translate { language: String, texts: Vec<(String, String)> },
    /// Offer the survey in one more language.
    AddLanguage { language: String },
    /// Stop offering a language (not the default), removing its translations.
    RemoveLanguage { language: String },
}

/// Settings a designer can change per kind of question. Labels are in the default language; an
/// empty label turns the option ("other", "don't know") off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionSettings {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub max_selected: Option<u32>,
    pub other: Option<String>,
    pub dont_know: Option<String>,
    pub dropdown: Option<bool>,
    pub randomize: Option<bool>,
    pub integer: Option<bool>,
    pub max_length: Option<u32>,
}

/// Why an edit could not be applied.
pub type EditError = String;

/// Applies `edit` to a copy of `survey`.
pub fn apply(survey: &SurveyDefinition, edit: &Edit) -> Result<SurveyDefinition, EditError> {
    let mut s = survey.clone();
    let language = s.default_language().to_owned();
    match edit {
        Edit::Settings { title, description, poll_results } => {
            if let Some(results) = poll_results {
                s.set_poll_results(*results);
            }
            s.title.insert(language.clone(), title.trim().to_owned());
            let description = description.trim();
            if description.is_empty() {
                // No description in the default language means none at all: a translation of
                // nothing would not pass the check.
                s.description = None;
            } else {
                s.description.get_or_insert_with(Text::new).insert(language, description.to_owned());
            }
        }
        Edit::AddPage { key } => {
            let key = new_key(key, s.pages.iter().any(|p| &p.key == key))?;
            s.pages.push(Page { key, title: None, show_if: None, questions: Vec::new() });
        }
        Edit::AddQuestion { page, key, kind, text } => {
            let key = new_key(key, s.question(key).is_some())?;
            let page = s.pages.iter_mut().find(|p| &p.key == page).ok_or("That page no longer exists.")?;
            let kind = super::new_question::starting_kind(kind, &language).ok_or("Choose a kind of question.")?;
            let text = text.trim();
            if text.is_empty() {
                return Err("Write the question.".into());
            }
            page.questions.push(Question {
                key,
                text: Text::from([(language, text.to_owned())]),
                help: None,
                required: false,
                show_if: None,
                kind,
            });
        }
        Edit::MoveQuestion { key, up } => move_question(&mut s, key, *up)?,
        Edit::DeleteQuestion { key } => {
            let page = s.pages.iter_mut().find(|p| p.questions.iter().any(|q| &q.key == key));
            let page = page.ok_or("That question no longer exists.")?;
            page.questions.retain(|q| &q.key != key);
        }
        Edit::DeletePage { key } => {
            let index = s.pages.iter().position(|p| &p.key == key).ok_or("That page no longer exists.")?;
            if !s.pages[index].questions.is_empty() {
                return Err("Move or delete the page's questions first.".into());
            }
            s.pages.remove(index);
        }
        Edit::QuestionText { key, field, language, text } => {
            if !s.languages.contains(language) {
                return Err(format!("The survey has no language \"{language}\"."));
            }
            let question = question_mut(&mut s, key)?;
            let text = text.trim().to_owned();
            match field.as_str() {
                "text" => set_or_clear(&mut question.text, language, text),
                "help" => {
                    let help = question.help.get_or_insert_with(Text::new);
                    set_or_clear(help, language, text);
                    if help.is_empty() {
                        question.help = None;
                    }
                }
                _ => return Err("Only the question and its help text can be edited here.".into()),
            }
        }
        Edit::Required { key, required } => question_mut(&mut s, key)?.required = *required,
        Edit::QuestionWording { key, text, help } => {
            let question = question_mut(&mut s, key)?;
            if text.trim().is_empty() {
                return Err("Write the question.".into());
            }
            question.text.insert(language.clone(), text.trim().to_owned());
            // Blank help in the default language removes the help, translations included: a
            // translation of nothing would not pass the check.
            if help.trim().is_empty() {
                question.help = None;
            } else {
                question.help.get_or_insert_with(Text::new).insert(language.clone(), help.trim().to_owned());
            }
        }
        Edit::SetChoices { key, list, lines } => {
            let question = question_mut(&mut s, key)?;
            let choices = match (&mut question.kind, list.as_str()) {
                (
                    QuestionKind::SingleChoice { options, .. }
                    | QuestionKind::MultipleChoice { options, .. }
                    | QuestionKind::Ranking { options, .. },
                    "options",
                ) => options,
                (QuestionKind::Grid { statements, .. }, "statements") => statements,
                (QuestionKind::Grid { scale, .. }, "scale") => scale,
                _ => return Err("This question has no such list.".into()),
            };
            *choices = parse_choice_lines(lines, choices, &language)?;
        }
        Edit::QuestionSettings { key, settings } => apply_settings(question_mut(&mut s, key)?, settings, &language)?,
        Edit::SetRule { key, rule } => question_mut(&mut s, key)?.show_if = rule.clone(),
        Edit::Translate { language: target, texts } => {
            if !s.languages.contains(target) {
                return Err(format!("The survey has no language \"{target}\"."));
            }
            for (path, text) in texts {
                let found =
                    super::texts::text_at_mut(&mut s, path).ok_or_else(|| format!("There is no text at {path}."))?;
                set_or_clear(found, target, text.trim().to_owned());
            }
        }
        Edit::AddLanguage { language: new } => {
            let new = new.trim().to_owned();
            if s.languages.contains(&new) {
                return Err(format!("The survey is already offered in \"{new}\"."));
            }
            s.languages.push(new);
        }
        Edit::RemoveLanguage { language: gone } => {
            if gone == &language {
                return Err("The default language cannot be removed.".into());
            }
            if !s.languages.contains(gone) {
                return Err(format!("The survey has no language \"{gone}\"."));
            }
            s.languages.retain(|l| l != gone);
            let paths: Vec<String> = super::texts::all_texts(&s).into_iter().map(|(p, _)| p).collect();
            for path in paths {
                if let Some(text) = super::texts::text_at_mut(&mut s, &path) {
                    text.remove(gone);
                }
            }
        }
    }
    Ok(s)
}

/// Reads lines `key: Label` (or just `Label`) into choices, keeping the other languages' labels
/// of keys that stay.
fn parse_choice_lines(lines: &str, before: &[Choice], language: &str) -> Result<Vec<Choice>, EditError> {
    let mut choices: Vec<Choice> = Vec::new();
    for (n, line) in lines.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let (key, label) = match line.split_once(':') {
            Some((key, label)) if is_valid_key(key.trim()) => (key.trim().to_owned(), label.trim().to_owned()),
            _ => (key_from_label(line), line.to_owned()),
        };
        if label.is_empty() {
            return Err(format!("Line {}: write a label after the key.", n + 1));
        }
        if choices.iter().any(|c| c.key == key) {
            return Err(format!("Line {}: the key \"{key}\" is used twice.", n + 1));
        }
        let mut text = before.iter().find(|c| c.key == key).map(|c| c.label.clone()).unwrap_or_default();
        text.insert(language.to_owned(), label);
        choices.push(Choice { key, label: text });
    }
    Ok(choices)
}

/// A key made from a label: "Street repair & potholes" → "street_repair_potholes".
pub fn key_from_label(label: &str) -> String {
    let mut key = String::new();
    for c in label.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    let key: String = key.trim_end_matches('_').chars().take(40).collect();
    if key.is_empty() { "option".to_owned() } else { key }
}

fn apply_settings(question: &mut Question, settings: &QuestionSettings, language: &str) -> Result<(), EditError> {
    let label = |text: &Option<String>, current: &mut Option<Text>| {
        if let Some(text) = text {
            if text.trim().is_empty() {
                *current = None;
            } else {
                current.get_or_insert_with(Text::new).insert(language.to_owned(), text.trim().to_owned());
            }
        }
    };
    match &mut question.kind {
        QuestionKind::SingleChoice { display, other, randomize, .. } => {
            if let Some(dropdown) = settings.dropdown {
                *display = if dropdown { ChoiceDisplay::Dropdown } else { ChoiceDisplay::Radio };
            }
            label(&settings.other, other);
            *randomize = settings.randomize.unwrap_or(*randomize);
        }
        QuestionKind::MultipleChoice { max_selected, other, randomize, .. } => {
            if let Some(max) = settings.max_selected {
                *max_selected = (max > 0).then_some(max);
            }
            label(&settings.other, other);
            *randomize = settings.randomize.unwrap_or(*randomize);
        }
        QuestionKind::Rating { min, max, dont_know, .. } => {
            let whole = |v: f64| (v.fract() == 0.0 && v.abs() < 1000.0).then_some(v as i32);
            if let Some(v) = settings.min {
                *min = whole(v).ok_or("The scale's ends are whole numbers.")?;
            }
            if let Some(v) = settings.max {
                *max = whole(v).ok_or("The scale's ends are whole numbers.")?;
            }
            label(&settings.dont_know, dont_know);
        }
        QuestionKind::Grid { dont_know, randomize, .. } => {
            label(&settings.dont_know, dont_know);
            *randomize = settings.randomize.unwrap_or(*randomize);
        }
        QuestionKind::Number { min, max, integer } => {
            *min = settings.min.or(*min);
            *max = settings.max.or(*max);
            *integer = settings.integer.unwrap_or(*integer);
        }
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => {
            *max_length = settings.max_length.unwrap_or(*max_length);
        }
        QuestionKind::Ranking { randomize, .. } => *randomize = settings.randomize.unwrap_or(*randomize),
        _ => {}
    }
    Ok(())
}

fn set_or_clear(text: &mut Text, language: &str, value: String) {
    if value.is_empty() {
        text.remove(language);
    } else {
        text.insert(language.to_owned(), value);
    }
}

fn question_mut<'a>(s: &'a mut SurveyDefinition, key: &str) -> Result<&'a mut Question, EditError> {
    s.pages
        .iter_mut()
        .flat_map(|p| p.questions.iter_mut())
        .find(|q| q.key == key)
        .ok_or_else(|| "That question no longer exists.".into())
}

fn new_key(key: &str, taken: bool) -> Result<String, EditError> {
    let key = key.trim().to_lowercase();
    if !is_valid_key(&key) {
        return Err("Use a short key of a–z, 0–9 and _ (it names the column in exports).".into());
    }
    if taken {
        return Err(format!("The key \"{key}\" is already used in this survey."));
    }
    Ok(key)
}

fn move_question(s: &mut SurveyDefinition, key: &str, up: bool) -> Result<(), EditError> {
    let (p, q) = s
        .pages
        .iter()
        .enumerate()
        .find_map(|(p, page)| page.questions.iter().position(|x| x.key == key).map(|q| (p, q)))
        .ok_or("That question no longer exists.")?;
    let last_in_page = s.pages[p].questions.len() - 1;
    match (up, q) {
        (true, 0) if p == 0 => return Err("It is already the first question.".into()),
        (true, 0) => {
            let question = s.pages[p].questions.remove(0);
            s.pages[p - 1].questions.push(question);
        }
        (true, q) => s.pages[p].questions.swap(q, q - 1),
        (false, q) if q == last_in_page && p + 1 == s.pages.len() => {
            return Err("It is already the last question.".into());
        }
        (false, q) if q == last_in_page => {
            let question = s.pages[p].questions.remove(q);
            s.pages[p + 1].questions.insert(0, question);
        }
        (false, q) => s.pages[p].questions.swap(q, q + 1),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::check::check;
    use crate::domain::survey::new_question::ADDABLE_KINDS;
    use crate::domain::survey::templates::TEMPLATES;

    fn community() -> SurveyDefinition {
        TEMPLATES[0].definition().expect("template")
    }

    fn order(s: &SurveyDefinition) -> Vec<String> {
        s.questions().map(|(_, q)| q.key.clone()).collect()
    }

    #[test]
    fn every_addable_kind_starts_valid() {
        let mut s = community();
        for (i, (kind, _)) in ADDABLE_KINDS.iter().enumerate() {
            let edit = Edit::AddQuestion {
                page: s.pages[0].key.clone(),
                key: format!("new_{i}"),
                kind: (*kind).into(),
                text: "New?".into(),
            };
            s = apply(&s, &edit).unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
        // Only the missing Spanish texts are left to do; nothing is broken.
        assert_eq!(check(&s), vec![]);
    }

    #[test]
    fn questions_move_within_and_across_pages() {
        let s = community();
        let first = order(&s)[0].clone();
        let second = order(&s)[1].clone();
        let moved = apply(&s, &Edit::MoveQuestion { key: second.clone(), up: true }).expect("moves");
        assert_eq!(order(&moved)[..2], [second.clone(), first.clone()]);
        assert!(apply(&moved, &Edit::MoveQuestion { key: second, up: true }).is_err(), "already first");

        let last_of_page_one = s.pages[0].questions.last().expect("question").key.clone();
        let moved = apply(&s, &Edit::MoveQuestion { key: last_of_page_one.clone(), up: false }).expect("moves");
        assert_eq!(moved.pages[1].questions[0].key, last_of_page_one);
        assert_eq!(order(&moved), order(&s), "crossing a page keeps the overall order");
    }

    #[test]
    fn keys_must_be_new_and_well_formed() {
        let s = community();
        let taken = order(&s)[0].clone();
        let page = s.pages[0].key.clone();
        for key in [taken.as_str(), "Has Space", ""] {
            let edit =
                Edit::AddQuestion { page: page.clone(), key: key.into(), kind: "short_text".into(), text: "Q".into() };
            assert!(apply(&s, &edit).is_err(), "{key:?}");
        }
    }

    #[test]
    fn a_page_with_questions_is_not_deleted() {
        let s = community();
        assert!(apply(&s, &Edit::DeletePage { key: s.pages[0].key.clone() }).is_err());
        let s = apply(&s, &Edit::AddPage { key: "extra".into() }).expect("added");
        let s = apply(&s, &Edit::DeletePage { key: "extra".into() }).expect("empty page deleted");
        assert_eq!(s.pages.len(), community().pages.len());
    }

    #[test]
    fn deleting_a_question_that_others_depend_on_is_caught_by_the_check() {
        let s = community();
        let (_, dependent) = s.questions().find(|(_, q)| q.show_if.is_some()).expect("template has a display rule");
        let target = dependent.show_if.as_ref().expect("rule").tests()[0].question.clone();
        let s = apply(&s, &Edit::DeleteQuestion { key: target }).expect("the edit itself applies");
        assert!(check(&s).iter().any(|p| p.reason.contains("does not exist")));
    }

    #[test]
    fn a_new_language_is_translated_text_by_text_and_can_be_removed_again() {
        let s = apply(&community(), &Edit::AddLanguage { language: "vi".into() }).expect("added");
        let missing = crate::domain::survey::check::missing_translations(&s);
        assert!(missing.iter().any(|(_, l)| l == "vi"));
        let texts = missing.iter().filter(|(_, l)| l == "vi").map(|(p, _)| (p.clone(), format!("VI {p}"))).collect();
        let s = apply(&s, &Edit::Translate { language: "vi".into(), texts }).expect("translated");
        assert_eq!(crate::domain::survey::check::missing_translations(&s), vec![]);
        assert_eq!(check(&s), vec![]);
        let s = apply(&s, &Edit::RemoveLanguage { language: "vi".into() }).expect("removed");
        assert_eq!(s, community());
        assert!(apply(&s, &Edit::RemoveLanguage { language: "en".into() }).is_err());
        assert!(
            apply(&s, &Edit::Translate { language: "es".into(), texts: vec![("nope".into(), "x".into())] }).is_err()
        );
    }

    #[test]
    fn options_are_edited_as_lines_and_keep_their_translations() {
        let s = community();
        let key = "top_issues".to_owned();
        let lines = "transit: Buses and trains\nTree canopy & shade\n\nparks_youth: Parks";
        let s = apply(&s, &Edit::SetChoices { key: key.clone(), list: "options".into(), lines: lines.into() })
            .expect("set");
        let options = s.question(&key).and_then(|q| q.kind.options()).expect("options").to_vec();
        let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["transit", "tree_canopy_shade", "parks_youth"]);
        assert_eq!(options[0].label["en"], "Buses and trains");
        assert!(options[0].label.contains_key("es"), "the Spanish label of a kept key stays");
        assert!(!options[1].label.contains_key("es"), "a new option needs its translation");
        let twice = Edit::SetChoices { key, list: "options".into(), lines: "a: A\na: B".into() };
        assert!(apply(&s, &twice).is_err());
    }

    #[test]
    fn a_display_rule_is_set_and_checked() {
        use crate::domain::survey::logic::{Condition, Op, Test};
        let s = community();
        let rule = |question: &str| {
            Condition::Test(Test {
                question: question.into(),
                statement: None,
                op: Op::LessThan,
                value: Some(serde_json::json!(3)),
            })
        };
        let ok = apply(&s, &Edit::SetRule { key: "comments".into(), rule: Some(rule("place_to_live")) }).expect("set");
        assert_eq!(check(&ok), vec![]);
        let backwards =
            apply(&s, &Edit::SetRule { key: "place_to_live".into(), rule: Some(rule("comments")) }).expect("applies");
        assert!(!check(&backwards).is_empty(), "a rule on a later question is refused by the check");
        let cleared = apply(&ok, &Edit::SetRule { key: "comments".into(), rule: None }).expect("cleared");
        assert!(cleared.question("comments").is_some_and(|q| q.show_if.is_none()));
    }

    #[test]
    fn settings_change_the_kind_specific_parts() {
        let s = community();
        let settings = QuestionSettings { max_selected: Some(2), other: Some(String::new()), ..Default::default() };
        let s = apply(&s, &Edit::QuestionSettings { key: "top_issues".into(), settings }).expect("set");
        match &s.question("top_issues").expect("exists").kind {
            QuestionKind::MultipleChoice { max_selected, other, .. } => {
                assert_eq!(*max_selected, Some(2));
                assert!(other.is_none(), "an empty label turns other off");
            }
            other => panic!("{other:?}"),
        }
        let bad = QuestionSettings { min: Some(1.5), ..Default::default() };
        assert!(apply(&s, &Edit::QuestionSettings { key: "place_to_live".into(), settings: bad }).is_err());
    }

    #[test]
    fn keys_are_made_from_labels() {
        assert_eq!(key_from_label("Street repair & potholes"), "street_repair_potholes");
        assert_eq!(key_from_label("¿?"), "option");
    }

    #[test]
    fn texts_are_set_per_language_and_cleared_when_blank() {
        let s = community();
        let key = order(&s)[0].clone();
        let s = apply(
            &s,
            &Edit::QuestionText { key: key.clone(), field: "help".into(), language: "es".into(), text: "Ayuda".into() },
        )
        .expect("set");
        assert_eq!(
            s.question(&key).and_then(|q| q.help.as_ref()).and_then(|h| h.get("es")).map(String::as_str),
            Some("Ayuda")
        );
        let s = apply(
            &s,
            &Edit::QuestionText { key: key.clone(), field: "help".into(), language: "es".into(), text: " ".into() },
        )
        .expect("cleared");
        assert!(s.question(&key).is_some_and(|q| q.help.as_ref().is_none_or(|h| !h.contains_key("es"))));
        assert!(
            apply(&s, &Edit::QuestionText { key, field: "text".into(), language: "fr".into(), text: "x".into() })
                .is_err()
        );
    }
}

//! A survey's life: draft → open → closed (→ archived), optional scheduled opening and closing,
//! and which edits are still allowed once residents have answered.

use serde::{Deserialize, Serialize};

use super::check::Problem;
use super::model::{Choice, QuestionKind, SurveyDefinition};

/// Where a survey is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being designed; residents cannot see it.
    Draft,
    /// Residents can answer.
    Open,
    /// No longer accepting answers; results stay available.
    Closed,
    /// Put away: hidden from the everyday list, kept for comparison with later waves.
    Archived,
}

/// What a designer asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Publish,
    Close,
    Archive,
}

impl Status {
    /// The stable name used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Archived => "archived",
        }
    }

    /// Reads the stored name.
    pub fn from_stored(value: &str) -> Option<Self> {
        match value {
            "draft" => Some(Status::Draft),
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            "archived" => Some(Status::Archived),
            _ => None,
        }
    }

    /// The status after `action`, or why it is not possible.
    pub fn after(self, action: Action) -> Result<Status, String> {
        match (self, action) {
            (Status::Draft | Status::Closed, Action::Publish) => Ok(Status::Open),
            (Status::Open, Action::Close) => Ok(Status::Closed),
            (Status::Draft | Status::Closed, Action::Archive) => Ok(Status::Archived),
            (Status::Open, Action::Archive) => Err("Close the survey before archiving it.".into()),
            (Status::Open, Action::Publish) => Err("The survey is already open.".into()),
            (Status::Draft | Status::Closed | Status::Archived, Action::Close) => {
                Err("Only an open survey can be closed.".into())
            }
            (Status::Archived, _) => Err("An archived survey cannot be changed; duplicate it for a new wave.".into()),
        }
    }

    /// The status residents see at `now` (Unix seconds), taking a schedule into account: a draft
    /// with an opening time opens by itself, an open survey with a closing time closes by itself.
    pub fn at(self, now: i64, opens_at: Option<i64>, closes_at: Option<i64>) -> Status {
        let closed_by_schedule = closes_at.is_some_and(|t| now >= t);
        match self {
            Status::Draft if opens_at.is_some_and(|t| now >= t) && !closed_by_schedule => Status::Open,
            Status::Draft if opens_at.is_some_and(|t| now >= t) => Status::Closed,
            Status::Open if closed_by_schedule => Status::Closed,
            other => other,
        }
    }
}

/// Edits that would change the meaning of answers already given, once a survey has responses.
/// Wording fixes, new translations and new optional questions are fine; removing or re-keying
/// questions, options, statements or scale points, changing a question's kind or scale, or adding
/// a required question are not.
pub fn meaning_changes(before: &SurveyDefinition, after: &SurveyDefinition) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut report = |path: String, reason: String| problems.push(Problem { path, reason });
    for (_, old) in before.questions() {
        let Some(new) = after.question(&old.key) else {
            report(
                format!("questions.{}", old.key),
                "cannot be removed once the survey has been opened: residents may have answered it".into(),
            );
            continue;
        };
        let path = format!("questions.{}", old.key);
        if old.kind.name() != new.kind.name() {
            report(path.clone(), format!("cannot change from {} to {}", old.kind.name(), new.kind.name()));
            continue;
        }
        let lists = |kind: &QuestionKind| -> Vec<(&'static str, Vec<String>)> {
            let keys = |choices: &[Choice]| choices.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
            match kind {
                QuestionKind::SingleChoice { options, .. }
                | QuestionKind::MultipleChoice { options, .. }
                | QuestionKind::Ranking { options, .. } => vec![("options", keys(options))],
                QuestionKind::Grid { statements, scale, .. } => {
                    vec![("statements", keys(statements)), ("scale", keys(scale))]
                }
                _ => vec![],
            }
        };
        for ((name, old_keys), (_, new_keys)) in lists(&old.kind).into_iter().zip(lists(&new.kind)) {
            for key in old_keys.iter().filter(|k| !new_keys.contains(k)) {
                report(
                    format!("{path}.{name}.{key}"),
                    "cannot be removed or re-keyed once the survey has been opened: residents may have chosen it"
                        .into(),
                );
            }
            if name == "scale" && old_keys != new_keys {
                report(format!("{path}.scale"), "cannot change: answers were given on this scale".into());
            }
        }
        match (&old.kind, &new.kind) {
            (QuestionKind::Rating { min: a, max: b, .. }, QuestionKind::Rating { min: c, max: d, .. })
                if (a, b) != (c, d) =>
            {
                report(format!("{path}.max"), "the rating scale cannot change: answers were given on it".into());
            }
            (QuestionKind::Demographics { items: old_items }, QuestionKind::Demographics { items: new_items })
                if old_items.iter().any(|i| !new_items.contains(i)) =>
            {
                report(format!("{path}.items"), "items cannot be removed: residents have answered them".into());
            }
            (QuestionKind::Area { area_set: a }, QuestionKind::Area { area_set: b }) if a != b => {
                report(
                    format!("{path}.area_set"),
                    "the area set cannot change: residents chose their area from this one".into(),
                );
            }
            _ => {}
        }
        // "Don't know" and "other" are answers too: offered once, they stay (relabelling is fine).
        let offers = |kind: &QuestionKind| -> (bool, bool) {
            match kind {
                QuestionKind::Rating { dont_know, .. } | QuestionKind::Grid { dont_know, .. } => {
                    (dont_know.is_some(), false)
                }
                QuestionKind::SingleChoice { other, .. } | QuestionKind::MultipleChoice { other, .. } => {
                    (false, other.is_some())
                }
                _ => (false, false),
            }
        };
        let ((old_dont_know, old_other), (new_dont_know, new_other)) = (offers(&old.kind), offers(&new.kind));
        if old_dont_know && !new_dont_know {
            report(
                format!("{path}.dont_know"),
                "\"don't know\" cannot be removed once the survey has been opened: residents may have chosen it".into(),
            );
        }
        if old_other && !new_other {
            report(
                format!("{path}.other"),
                "\"other\" cannot be removed once the survey has been opened: residents may have chosen it".into(),
            );
        }
    }
    for (_, new) in after.questions() {
        if new.required && before.question(&new.key).is_none() {
            report(format!("questions.{}", new.key), "a question added after answers came in must be optional".into());
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_life_of_a_survey() {
        assert_eq!(Status::Draft.after(Action::Publish), Ok(Status::Open));
        assert_eq!(Status::Open.after(Action::Close), Ok(Status::Closed));
        assert_eq!(Status::Closed.after(Action::Publish), Ok(Status::Open), "a closed survey can reopen");
        assert_eq!(Status::Closed.after(Action::Archive), Ok(Status::Archived));
        assert!(Status::Open.after(Action::Archive).is_err());
        assert!(Status::Archived.after(Action::Publish).is_err());
        assert!(Status::Draft.after(Action::Close).is_err());
    }

    #[test]
    fn a_schedule_opens_and_closes_by_itself() {
        assert_eq!(Status::Draft.at(100, Some(50), None), Status::Open);
        assert_eq!(Status::Draft.at(10, Some(50), None), Status::Draft);
        assert_eq!(Status::Open.at(100, None, Some(100)), Status::Closed);
        assert_eq!(Status::Draft.at(200, Some(50), Some(100)), Status::Closed);
        assert_eq!(Status::Closed.at(10, Some(5), None), Status::Closed, "closing by hand wins over the schedule");
    }

    fn survey(questions: serde_json::Value) -> SurveyDefinition {
        SurveyDefinition::from_json(
            &json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
                    "pages": [{"key": "p", "questions": questions}]})
            .to_string(),
        )
        .expect("parses")
    }

    fn choice(key: &str, options: &[&str], text: &str) -> serde_json::Value {
        json!({"key": key, "type": "single_choice", "text": {"en": text},
               "options": options.iter().map(|o| json!({"key": o, "label": {"en": o}})).collect::<Vec<_>>()})
    }

    #[test]
    fn wording_fixes_and_new_optional_questions_are_allowed() {
        let before = survey(json!([choice("a", &["x", "y"], "Old wording")]));
        let after = survey(
            json!([choice("a", &["x", "y", "z"], "New wording"), {"key": "b", "type": "short_text", "text": {"en": "B"}}]),
        );
        assert_eq!(meaning_changes(&before, &after), vec![]);
    }

    #[test]
    fn removing_or_rekeying_what_residents_answered_is_refused() {
        let before = survey(json!([choice("a", &["x", "y"], "A"), choice("b", &["x", "y"], "B")]));
        let after = survey(json!([
            choice("a", &["x", "why"], "A"),
            {"key": "c", "type": "short_text", "required": true, "text": {"en": "C"}}
        ]));
        let paths: Vec<String> = meaning_changes(&before, &after).into_iter().map(|p| p.path).collect();
        assert_eq!(paths, vec!["questions.a.options.y", "questions.b", "questions.c"]);
    }

    #[test]
    fn changing_a_kind_or_scale_is_refused() {
        let before = survey(json!([{"key": "r", "type": "rating", "min": 1, "max": 5, "text": {"en": "R"}}]));
        let wider = survey(json!([{"key": "r", "type": "rating", "min": 1, "max": 7, "text": {"en": "R"}}]));
        let other_kind = survey(json!([{"key": "r", "type": "nps", "text": {"en": "R"}}]));
        assert_eq!(meaning_changes(&before, &wider).len(), 1);
        assert_eq!(meaning_changes(&before, &other_kind).len(), 1);
    }

    #[test]
    fn removing_dont_know_or_other_and_changing_an_area_set_are_refused() {
        let before = survey(json!([
            {"key": "r", "type": "rating", "min": 1, "max": 5, "dont_know": {"en": "Don't know"}, "text": {"en": "R"}},
            {"key": "g", "type": "grid", "text": {"en": "G"}, "dont_know": {"en": "Don't know"},
             "statements": [{"key": "s", "label": {"en": "S"}}], "scale": [{"key": "1", "label": {"en": "1"}}]},
            {"key": "c", "type": "single_choice", "text": {"en": "C"}, "other": {"en": "Other"},
             "options": [{"key": "x", "label": {"en": "X"}}]},
            {"key": "m", "type": "multiple_choice", "text": {"en": "M"}, "other": {"en": "Other"},
             "options": [{"key": "x", "label": {"en": "X"}}]},
            {"key": "a", "type": "area", "area_set": "npa", "text": {"en": "A"}}
        ]));
        let after = survey(json!([
            {"key": "r", "type": "rating", "min": 1, "max": 5, "text": {"en": "R"}},
            {"key": "g", "type": "grid", "text": {"en": "G"},
             "statements": [{"key": "s", "label": {"en": "S"}}], "scale": [{"key": "1", "label": {"en": "1"}}]},
            {"key": "c", "type": "single_choice", "text": {"en": "C"}, "options": [{"key": "x", "label": {"en": "X"}}]},
            {"key": "m", "type": "multiple_choice", "text": {"en": "M"}, "options": [{"key": "x", "label": {"en": "X"}}]},
            {"key": "a", "type": "area", "area_set": "council-districts", "text": {"en": "A"}}
        ]));
        let paths: Vec<String> = meaning_changes(&before, &after).into_iter().map(|p| p.path).collect();
        assert_eq!(
            paths,
            vec![
                "questions.r.dont_know",
                "questions.g.dont_know",
                "questions.c.other",
                "questions.m.other",
                "questions.a.area_set"
            ]
        );
        // Relabelling them, or adding one, changes no answer already given.
        let relabelled = survey(json!([
            {"key": "r", "type": "rating", "min": 1, "max": 5, "dont_know": {"en": "Not sure"}, "text": {"en": "R"}},
            {"key": "g", "type": "grid", "text": {"en": "G"}, "dont_know": {"en": "Not sure"},
             "statements": [{"key": "s", "label": {"en": "S"}}], "scale": [{"key": "1", "label": {"en": "1"}}]},
            {"key": "c", "type": "single_choice", "text": {"en": "C"}, "other": {"en": "Something else"},
             "options": [{"key": "x", "label": {"en": "X"}}]},
            {"key": "m", "type": "multiple_choice", "text": {"en": "M"}, "other": {"en": "Something else"},
             "options": [{"key": "x", "label": {"en": "X"}}]},
            {"key": "a", "type": "area", "area_set": "npa", "text": {"en": "Your area"}}
        ]));
        assert_eq!(meaning_changes(&before, &relabelled), vec![]);
        // Offering "don't know" or "other" later is allowed; only the area set's change is refused.
        let paths: Vec<String> = meaning_changes(&after, &before).into_iter().map(|p| p.path).collect();
        assert_eq!(paths, vec!["questions.a.area_set"]);
    }
}

//! The survey editor's forms, read into an [`Edit`]. Every editor form posts to one server
//! function with a flat list of fields (an HTML form cannot post nested data); `edit` names the
//! operation and each operation reads only the fields its form has.

use super::edit::Edit;
use super::model::PollResults;
use crate::error::AppError;

/// The fields the editor's forms post. All but `edit` are optional: each form posts its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditForm {
    /// The operation: settings, add_page, add_question, move_question, delete_question,
    /// delete_page, question_text, add_language, remove_language or required.
    pub edit: String,
    pub key: Option<String>,
    pub page: Option<String>,
    pub kind: Option<String>,
    pub text: Option<String>,
    pub field: Option<String>,
    pub language: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `up` moves a question up; anything else moves it down.
    pub direction: Option<String>,
    /// The checkbox of the required form; the settings form's quick-poll results choice
    /// (`hidden`, `after_voting` or `after_close`; `true` from older forms means after voting).
    pub required: Option<String>,
}

impl Edit {
    /// The edit an editor form asks for. A field the operation needs but the form lacks, or an
    /// unknown operation, is a malformed request (`request_invalid`): our own forms never post
    /// one. Whether the edit itself is allowed is `edit::apply`'s and `check`'s to say.
    pub fn from_form(form: EditForm) -> Result<Edit, AppError> {
        let need = |value: Option<String>| {
            value.ok_or_else(|| AppError::invalid("", "request_invalid", "The form was incomplete."))
        };
        // A checkbox posts nothing when unchecked, so absent means "no".
        let checked = form.required.as_deref() == Some("true");
        Ok(match form.edit.as_str() {
            "settings" => Edit::Settings {
                title: need(form.title)?,
                description: form.description.unwrap_or_default(),
                poll_results: Some(match form.required.as_deref() {
                    Some("true") => PollResults::AfterVoting,
                    Some(value) => PollResults::parse(value).ok_or_else(|| {
                        AppError::invalid("required", "request_invalid", "Choose when residents see the results.")
                    })?,
                    None => PollResults::Hidden,
                }),
            },
            "add_page" => Edit::AddPage { key: need(form.key)? },
            "add_question" => Edit::AddQuestion {
                page: need(form.page)?,
                key: need(form.key)?,
                kind: need(form.kind)?,
                text: need(form.text)?,
            },
            "move_question" => Edit::MoveQuestion { key: need(form.key)?, up: form.direction.as_deref() == Some("up") },
            "delete_question" => Edit::DeleteQuestion { key: need(form.key)? },
            "delete_page" => Edit::DeletePage { key: need(form.key)? },
            "question_text" => Edit::QuestionText {
                key: need(form.key)?,
                field: need(form.field)?,
                language: need(form.language)?,
                text: form.text.unwrap_or_default(),
            },
            "add_language" => Edit::AddLanguage { language: need(form.language)? },
            "remove_language" => Edit::RemoveLanguage { language: need(form.language)? },
            "required" => Edit::Required { key: need(form.key)?, required: checked },
            _ => return Err(AppError::invalid("", "request_invalid", "Unknown change.")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(edit: &str) -> EditForm {
        EditForm { edit: edit.to_owned(), ..EditForm::default() }
    }

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn a_new_question_is_read_from_its_four_fields() {
        let (page, key, kind, text) = (some("p1"), some("q9"), some("rating"), some("How?"));
        let posted = EditForm { page, key, kind, text, ..form("add_question") };

        let edit = Edit::from_form(posted).expect("complete form");

        assert_eq!(
            edit,
            Edit::AddQuestion { page: "p1".into(), key: "q9".into(), kind: "rating".into(), text: "How?".into() }
        );
    }

    #[test]
    fn an_unchecked_show_results_box_turns_results_off_and_a_missing_description_is_blank() {
        let posted = EditForm { title: some("Parks"), ..form("settings") };

        let edit = Edit::from_form(posted).expect("title given");

        let expected = Edit::Settings {
            title: "Parks".into(),
            description: String::new(),
            poll_results: Some(PollResults::Hidden),
        };
        assert_eq!(edit, expected);
    }

    #[test]
    fn a_poll_can_show_its_results_after_voting_or_only_once_it_closes() {
        let choice = |value: &str| {
            let posted = EditForm { title: some("Poll"), required: some(value), ..form("settings") };
            match Edit::from_form(posted) {
                Ok(Edit::Settings { poll_results, .. }) => poll_results,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(choice("after_close"), Some(PollResults::AfterClose));
        assert_eq!(choice("after_voting"), Some(PollResults::AfterVoting));
        assert_eq!(choice("true"), Some(PollResults::AfterVoting), "the older checkbox");
        assert_eq!(choice("hidden"), Some(PollResults::Hidden));
        let odd = EditForm { title: some("Poll"), required: some("sometimes"), ..form("settings") };
        assert!(Edit::from_form(odd).is_err());
    }

    #[test]
    fn a_checked_box_is_the_value_true() {
        let checked = EditForm { key: some("q1"), required: some("true"), ..form("required") };
        let unchecked = EditForm { key: some("q1"), ..form("required") };

        let (checked, unchecked) = (Edit::from_form(checked), Edit::from_form(unchecked));

        assert_eq!(checked.expect("key given"), Edit::Required { key: "q1".into(), required: true });
        assert_eq!(unchecked.expect("key given"), Edit::Required { key: "q1".into(), required: false });
    }

    #[test]
    fn a_question_moves_up_only_when_asked_to() {
        let up = EditForm { key: some("q1"), direction: some("up"), ..form("move_question") };
        let down = EditForm { key: some("q1"), direction: some("down"), ..form("move_question") };

        assert_eq!(Edit::from_form(up).expect("key given"), Edit::MoveQuestion { key: "q1".into(), up: true });
        assert_eq!(Edit::from_form(down).expect("key given"), Edit::MoveQuestion { key: "q1".into(), up: false });
    }

    #[test]
    fn a_blank_text_clears_a_translation_rather_than_being_refused() {
        let posted = EditForm { key: some("q1"), field: some("help"), language: some("es"), ..form("question_text") };

        let edit = Edit::from_form(posted).expect("text is optional");

        assert_eq!(
            edit,
            Edit::QuestionText { key: "q1".into(), field: "help".into(), language: "es".into(), text: String::new() }
        );
    }

    #[test]
    fn a_form_missing_a_needed_field_is_a_malformed_request() {
        let posted = EditForm { page: some("p1"), key: some("q9"), text: some("How?"), ..form("add_question") };

        let error = Edit::from_form(posted).expect_err("kind is missing");

        assert_eq!(error.key(), "request_invalid");
        assert_eq!(error.to_string(), "The form was incomplete.");
    }

    #[test]
    fn an_unknown_operation_is_refused() {
        let error = Edit::from_form(EditForm { key: some("q1"), ..form("rename_survey") }).expect_err("unknown");

        assert_eq!(error.key(), "request_invalid");
        assert_eq!(error.to_string(), "Unknown change.");
    }
}

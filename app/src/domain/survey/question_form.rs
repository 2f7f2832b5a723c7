//! The question editor's settings and display-rule forms, read into a [`QuestionSettings`] and
//! a display rule. Forms post text; the numbers, checkboxes and the rule are parsed here once.

use super::edit::{EditError, QuestionSettings};
use super::logic::Condition;
use super::model::QuestionKind;
use super::model::SurveyDefinition;
use crate::error::AppError;

/// Builds a display rule from the rule form: the earlier question, optionally a grid statement,
/// an operator name, and the value as typed (a comma-separated list for any_of / none_of).
/// An empty question means "always shown". The result still goes through `check`.
pub fn rule_from_form(
    survey: &SurveyDefinition,
    question: &str,
    statement: &str,
    op: &str,
    value: &str,
) -> Result<Option<Condition>, EditError> {
    use super::logic::{Op, Test};
    if question.trim().is_empty() {
        return Ok(None);
    }
    let target = survey.question(question.trim()).ok_or("Choose an earlier question.")?;
    let op: Op =
        serde_json::from_value(serde_json::Value::String(op.trim().to_owned())).map_err(|_| "Choose a comparison.")?;
    let numeric =
        matches!(target.kind, QuestionKind::Rating { .. } | QuestionKind::Nps { .. } | QuestionKind::Number { .. });
    let one = |text: &str| -> Result<serde_json::Value, EditError> {
        let text = text.trim();
        if text.is_empty() {
            return Err("Write the value to compare with.".into());
        }
        if numeric && text != super::answers::DONT_KNOW {
            let n: f64 = text.parse().map_err(|_| format!("\"{text}\" is not a number."))?;
            return serde_json::Number::from_f64(n)
                .map(serde_json::Value::Number)
                .ok_or_else(|| "Not a number.".into());
        }
        Ok(serde_json::Value::String(text.to_owned()))
    };
    let value = match op {
        Op::Answered | Op::NotAnswered => None,
        Op::AnyOf | Op::NoneOf => Some(serde_json::Value::Array(value.split(',').map(one).collect::<Result<_, _>>()?)),
        _ => Some(one(value)?),
    };
    let statement = Some(statement.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Some(Condition::Test(Test { question: target.key.clone(), statement, op, value })))
}

/// The fields the settings form posts. Each kind of question shows only its own, so every
/// field may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub min: Option<String>,
    pub max: Option<String>,
    pub max_selected: Option<String>,
    /// The "other" option's label; blank turns the option off.
    pub other: Option<String>,
    /// The "don't know" option's label; blank turns the option off.
    pub dont_know: Option<String>,
    pub dropdown: Option<String>,
    pub randomize: Option<String>,
    pub integer: Option<String>,
    pub max_length: Option<String>,
}

impl QuestionSettings {
    /// The settings a form asks for. A blank number keeps its value; a number that does not
    /// read is refused with `number_expected` on its field. Labels are passed on as typed,
    /// because a blank label means "turn the option off" (see `edit::apply`).
    pub fn from_form(form: SettingsForm) -> Result<QuestionSettings, AppError> {
        // Checkboxes post nothing when unchecked: absent means "no". (Each kind reads only its own.)
        let flag = |value: Option<String>| Some(value.as_deref() == Some("true"));
        Ok(QuestionSettings {
            min: number("min", form.min.as_deref())?,
            max: number("max", form.max.as_deref())?,
            max_selected: whole("max_selected", form.max_selected.as_deref())?,
            other: form.other,
            dont_know: form.dont_know,
            dropdown: flag(form.dropdown),
            randomize: flag(form.randomize),
            integer: flag(form.integer),
            max_length: whole("max_length", form.max_length.as_deref())?,
        })
    }
}

/// A number typed in `field`, or `None` when left blank.
fn number(field: &str, value: Option<&str>) -> Result<Option<f64>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "number_expected", &format!("{field}: enter a number."))),
    }
}

/// A whole, non-negative number typed in `field`, or `None` when left blank.
fn whole(field: &str, value: Option<&str>) -> Result<Option<u32>, AppError> {
    number(field, value)?
        .map(|n| {
            if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) {
                // In range and whole (checked just above), so the conversion loses nothing.
                Ok(n as u32)
            } else {
                Err(AppError::invalid(field, "number_expected", &format!("{field}: enter a whole number.")))
            }
        })
        .transpose()
}

/// The fields the display rule form posts: the earlier question (blank: always shown), for a
/// grid the statement, the comparison, and the value as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleForm {
    pub question: String,
    pub statement: Option<String>,
    pub op: String,
    pub value: Option<String>,
}

impl RuleForm {
    /// The display rule the form describes for a question of `survey` (`None`: always shown).
    /// A rule that cannot be built is refused as `edit_refused` (409), like the editor's other
    /// refused edits, with the reason as its message.
    pub fn rule(&self, survey: &SurveyDefinition) -> Result<Option<Condition>, AppError> {
        rule_from_form(
            survey,
            &self.question,
            self.statement.as_deref().unwrap_or_default(),
            &self.op,
            self.value.as_deref().unwrap_or_default(),
        )
        .map_err(|message| AppError::conflict("edit_refused", &message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::logic::{Op, Test};
    use crate::domain::survey::templates::TEMPLATES;

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    fn community() -> SurveyDefinition {
        TEMPLATES[0].definition().expect("template")
    }

    fn field_of(error: &AppError) -> &str {
        match error {
            AppError::Invalid { field, .. } => field.as_str(),
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn a_blank_settings_form_keeps_every_value_and_unchecks_every_box() {
        let posted = SettingsForm { min: some("  "), max_length: some(""), ..SettingsForm::default() };

        let settings = QuestionSettings::from_form(posted).expect("blank is fine");

        let unchecked = Some(false);
        let expected = QuestionSettings {
            dropdown: unchecked,
            randomize: unchecked,
            integer: unchecked,
            ..QuestionSettings::default()
        };
        assert_eq!(settings, expected);
    }

    #[test]
    fn numbers_are_read_as_typed_around_spaces_and_boxes_as_checked() {
        let posted = SettingsForm {
            min: some(" -2.5 "),
            max: some("10"),
            max_selected: some("3"),
            max_length: some("200"),
            integer: some("true"),
            ..SettingsForm::default()
        };

        let settings = QuestionSettings::from_form(posted).expect("all numbers");

        assert_eq!((settings.min, settings.max), (Some(-2.5), Some(10.0)));
        assert_eq!((settings.max_selected, settings.max_length), (Some(3), Some(200)));
        assert_eq!(settings.integer, Some(true));
    }

    #[test]
    fn labels_are_passed_on_as_typed_so_a_blank_one_turns_its_option_off() {
        let posted = SettingsForm { other: some(""), dont_know: some("Not sure"), ..SettingsForm::default() };

        let settings = QuestionSettings::from_form(posted).expect("labels are free text");

        assert_eq!(settings.other.as_deref(), Some(""));
        assert_eq!(settings.dont_know.as_deref(), Some("Not sure"));
    }

    #[test]
    fn a_word_where_a_number_belongs_is_refused_on_its_field() {
        let posted = SettingsForm { max_selected: some("many"), ..SettingsForm::default() };

        let error = QuestionSettings::from_form(posted).expect_err("not a number");

        assert_eq!((error.key(), field_of(&error)), ("number_expected", "max_selected"));
        assert_eq!(error.to_string(), "max_selected: enter a number.");
        assert_eq!(error.status(), 422);
    }

    #[test]
    fn a_count_must_be_a_whole_number_of_at_least_zero() {
        for typed in ["2.5", "-1", "1e10"] {
            let posted = SettingsForm { max_length: some(typed), ..SettingsForm::default() };

            let error = QuestionSettings::from_form(posted).expect_err(typed);

            assert_eq!((error.key(), field_of(&error)), ("number_expected", "max_length"), "{typed}");
            assert_eq!(error.to_string(), "max_length: enter a whole number.", "{typed}");
        }
    }

    #[test]
    fn no_earlier_question_means_always_shown() {
        let form = RuleForm { question: " ".into(), op: "equals".into(), ..RuleForm::default() };

        assert_eq!(form.rule(&community()).expect("no rule"), None);
    }

    #[test]
    fn a_rule_on_a_rating_compares_with_a_number() {
        let form =
            RuleForm { question: "place_to_live".into(), statement: None, op: "less_than".into(), value: some(" 3 ") };

        let rule = form.rule(&community()).expect("valid rule");

        let expected = Test {
            question: "place_to_live".into(),
            statement: None,
            op: Op::LessThan,
            value: Some(serde_json::json!(3.0)),
        };
        assert_eq!(rule, Some(Condition::Test(expected)));
    }

    #[test]
    fn any_of_reads_a_comma_separated_list_and_a_grid_rule_names_its_statement() {
        let form = RuleForm {
            question: "service_satisfaction".into(),
            statement: some(" police "),
            op: "any_of".into(),
            value: some("satisfied, very_satisfied"),
        };

        let rule = form.rule(&community()).expect("valid rule");

        let expected = Test {
            question: "service_satisfaction".into(),
            statement: some("police"),
            op: Op::AnyOf,
            value: Some(serde_json::json!(["satisfied", "very_satisfied"])),
        };
        assert_eq!(rule, Some(Condition::Test(expected)));
    }

    #[test]
    fn a_rule_that_cannot_be_built_is_a_refused_edit_with_its_reason() {
        let community = community();
        let posted =
            |question: &str, op: &str| RuleForm { question: question.into(), op: op.into(), ..RuleForm::default() };
        let cases = [
            (posted("nowhere", "answered"), "Choose an earlier question."),
            (posted("place_to_live", "roughly"), "Choose a comparison."),
            (posted("place_to_live", "equals"), "Write the value to compare with."),
        ];
        for (form, reason) in cases {
            let error = form.rule(&community).expect_err(reason);

            assert_eq!((error.key(), error.status()), ("edit_refused", 409), "{reason}");
            assert_eq!(error.to_string(), reason);
        }
    }
}

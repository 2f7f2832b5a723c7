//! Survey design (designers and administrators).

// `edit_survey` serves every editor form with one flat argument list (forms post flat fields),
// and the server macro generates a client function with the same list.
#![expect(clippy::too_many_arguments, reason = "one server function serves every editor form")]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::survey::SurveyDefinition;
use crate::domain::survey::check::Problem;
use crate::error::AppError;
use crate::models::SurveySummary;
#[cfg(feature = "ssr")]
use crate::{
    domain::Role,
    domain::survey::{
        check::missing_translations,
        edit::Edit,
        edit_form::EditForm,
        lifecycle::Action,
        question_form::{RuleForm, SettingsForm},
    },
    server_fns::context,
    services,
};

/// What the survey editor shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyEditor {
    pub summary: SurveySummary,
    pub definition: SurveyDefinition,
    /// Texts without a translation: (path, language).
    pub missing_translations: Vec<(String, String)>,
    /// Why the last change posted without JavaScript was refused (shown once).
    pub refused: Vec<Problem>,
    /// The full public link residents use.
    pub public_link: String,
}

/// The session key where the problems of a refused change wait to be shown once (forms posted
/// without JavaScript cannot carry them in the address).
#[cfg(feature = "ssr")]
const REFUSED: &str = "survey_refused";

/// Keeps the problems of a refused change for the page views that follow a plain form post, and
/// forgets them at the next change. (Read, not taken, when the page loads: a page may load its
/// data more than once while rendering, and every render must show them.)
#[cfg(feature = "ssr")]
async fn keep_refusal<T>(result: &Result<T, AppError>) {
    // Without a session there is nowhere to keep them; the reply still carries the error.
    let Ok(session) = context::session().await else { return };
    match result {
        // A stranger's refused post keeps nothing: no session row for anyone not signed in.
        Err(AppError::NotSignedIn) => {}
        Err(error) if context::is_plain_form_post() => {
            crate::web::session::keep_for_next_page(&session, REFUSED, &problems_of(error)).await;
        }
        _ => {
            let _ = session.remove::<Vec<Problem>>(REFUSED).await;
        }
    }
}

/// Finishes a change to a survey: keeps or forgets its refusal, replies, and on success sends
/// the browser back to `back` (the form it came from).
#[cfg(feature = "ssr")]
async fn finish_change<T>(result: Result<T, AppError>, back: &str) -> Result<(), AppError> {
    keep_refusal(&result).await;
    context::reply(result, back, &[])?;
    context::go_to(back);
    Ok(())
}

/// The survey list.
#[server(endpoint = "surveys/list")]
pub async fn list_surveys() -> Result<Vec<SurveySummary>, AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::list(&staff.db).await
    }
    .await;
    context::reply(result, "/surveys", &[])
}

/// Creates a draft from a template and opens it in the editor.
#[server(endpoint = "surveys/create")]
pub async fn create_survey(template: String) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::create_from_template(&staff.db, Some(&staff.user), &template).await
    }
    .await;
    let survey = context::reply(result, "/surveys", &[])?;
    context::go_to(&format!("/surveys/{}", survey.id));
    Ok(())
}

/// Creates a draft from a pasted definition file.
#[server(endpoint = "surveys/import")]
pub async fn import_survey(definition: String) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::import(&staff.db, Some(&staff.user), &definition).await
    }
    .await;
    let survey = context::reply(result, "/surveys", &[])?;
    context::go_to(&format!("/surveys/{}", survey.id));
    Ok(())
}

/// A survey with its definition, for the editor.
#[server(endpoint = "surveys/get")]
pub async fn survey_for_editing(id: i64) -> Result<SurveyEditor, AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        let (summary, definition) = services::surveys::for_editing(&staff.db, id).await?;
        let missing_translations = missing_translations(&definition);
        let refused = staff.session.get::<Vec<Problem>>(REFUSED).await.ok().flatten().unwrap_or_default();
        let public_link = format!("{}/s/{}", context::public_url()?, summary.public_key);
        Ok(SurveyEditor { summary, definition, missing_translations, refused, public_link })
    }
    .await;
    context::reply(result, &format!("/surveys/{id}"), &[])
}

/// One edit from the editor's forms. `edit` names the operation; the other fields are the ones
/// that operation uses (see `domain::survey::edit_form::EditForm`).
#[server(endpoint = "surveys/edit")]
pub async fn edit_survey(
    id: i64,
    edit: String,
    key: Option<String>,
    page: Option<String>,
    kind: Option<String>,
    text: Option<String>,
    field: Option<String>,
    language: Option<String>,
    title: Option<String>,
    description: Option<String>,
    direction: Option<String>,
    required: Option<String>,
) -> Result<(), AppError> {
    let form = EditForm { edit, key, page, kind, text, field, language, title, description, direction, required };
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        let edit = Edit::from_form(form)?;
        services::surveys::edit(&staff.db, &staff.user, id, &edit).await
    }
    .await;
    finish_change(result, &format!("/surveys/{id}")).await
}

/// Replaces the whole definition with edited JSON.
#[server(endpoint = "surveys/replace")]
pub async fn replace_survey(id: i64, definition: String) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::replace(&staff.db, &staff.user, id, &definition).await
    }
    .await;
    keep_refusal(&result).await;
    context::reply(result, &format!("/surveys/{id}/json"), &[])?;
    context::go_to(&format!("/surveys/{id}"));
    Ok(())
}

/// Publishes, closes or archives a survey (`action`: publish, close, archive).
#[server(endpoint = "surveys/status")]
pub async fn change_survey_status(id: i64, action: String) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        let action = match action.as_str() {
            "publish" => Action::Publish,
            "close" => Action::Close,
            "archive" => Action::Archive,
            _ => return Err(AppError::invalid("", "request_invalid", "Unknown action.")),
        };
        services::surveys::change_status(&staff.db, Some(&staff.user), id, action).await
    }
    .await;
    finish_change(result, &format!("/surveys/{id}")).await
}

/// Copies a survey as a new draft (the next wave) and opens the copy.
#[server(endpoint = "surveys/duplicate")]
pub async fn duplicate_survey(id: i64) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::duplicate(&staff.db, Some(&staff.user), id).await
    }
    .await;
    keep_refusal(&result).await;
    let copy = context::reply(result, &format!("/surveys/{id}"), &[])?;
    context::go_to(&format!("/surveys/{}", copy.id));
    Ok(())
}

/// The problems to show for a refused change: each rule broken, or the one reason.
pub fn problems_of(error: &AppError) -> Vec<Problem> {
    match error {
        AppError::SurveyInvalid { problems } => problems.clone(),
        other => vec![Problem { path: String::new(), reason: other.to_string() }],
    }
}

/// Saves the translations of one language from the side-by-side page: `paths[i]` is the text's
/// path and `values[i]` its translation (blank removes it).
#[server(endpoint = "surveys/translate")]
pub async fn translate_survey(
    id: i64,
    language: String,
    paths: Vec<String>,
    values: Vec<String>,
) -> Result<(), AppError> {
    let back = format!("/surveys/{id}/translations?lang={language}");
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        if paths.len() != values.len() {
            return Err(AppError::invalid("", "request_invalid", "The form was incomplete."));
        }
        let edit = Edit::Translate { language: language.clone(), texts: paths.into_iter().zip(values).collect() };
        services::surveys::edit(&staff.db, &staff.user, id, &edit).await
    }
    .await;
    finish_change(result, &back).await
}

/// The question editor's wording form.
#[server(endpoint = "surveys/question/wording")]
pub async fn question_wording(id: i64, key: String, text: String, help: Option<String>) -> Result<(), AppError> {
    let edit = Edit::QuestionWording { key: key.clone(), text, help: help.unwrap_or_default() };
    question_edit(id, &key, edit).await
}

/// The question editor's options form: one option per line, `key: Label`.
#[server(endpoint = "surveys/question/choices")]
pub async fn question_choices(id: i64, key: String, list: String, lines: String) -> Result<(), AppError> {
    question_edit(id, &key, Edit::SetChoices { key: key.clone(), list, lines }).await
}

/// The question editor's settings form; blank fields keep their value (except labels, where a
/// blank turns the option off).
#[server(endpoint = "surveys/question/settings")]
pub async fn question_settings(
    id: i64,
    key: String,
    min: Option<String>,
    max: Option<String>,
    max_selected: Option<String>,
    other: Option<String>,
    dont_know: Option<String>,
    dropdown: Option<String>,
    randomize: Option<String>,
    integer: Option<String>,
    max_length: Option<String>,
) -> Result<(), AppError> {
    let back = question_path(id, &key);
    let form = SettingsForm { min, max, max_selected, other, dont_know, dropdown, randomize, integer, max_length };
    // A form that does not read is refused before the change is tried, without keeping a
    // refusal: it breaks no rule of the survey, and the reply names the field.
    let ready = async {
        let staff = context::staff(Role::Designer).await?;
        let settings = crate::domain::survey::edit::QuestionSettings::from_form(form)?;
        Ok((staff, settings))
    }
    .await;
    let (staff, settings) = context::reply(ready, &back, &[])?;
    let edit = Edit::QuestionSettings { key, settings };
    finish_change(services::surveys::edit(&staff.db, &staff.user, id, &edit).await, &back).await
}

/// The question editor's display rule form; an empty `question` removes the rule.
#[server(endpoint = "surveys/question/rule")]
pub async fn question_rule(
    id: i64,
    key: String,
    question: String,
    statement: Option<String>,
    op: String,
    value: Option<String>,
) -> Result<(), AppError> {
    let form = RuleForm { question, statement, op, value };
    let result = async {
        // Who is asking comes first: nothing about the survey is read for a visitor.
        let staff = context::staff(Role::Designer).await?;
        let (_, definition) = services::surveys::for_editing(&staff.db, id).await?;
        let edit = Edit::SetRule { key: key.clone(), rule: form.rule(&definition)? };
        services::surveys::edit(&staff.db, &staff.user, id, &edit).await
    }
    .await;
    finish_change(result, &question_path(id, &key)).await
}

/// The question editor's address, where its forms return.
#[cfg(feature = "ssr")]
fn question_path(id: i64, key: &str) -> String {
    format!("/surveys/{id}/questions/{key}")
}

/// Applies one question edit for a designer and returns to the question editor.
#[cfg(feature = "ssr")]
async fn question_edit(id: i64, key: &str, edit: Edit) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::edit(&staff.db, &staff.user, id, &edit).await
    }
    .await;
    finish_change(result, &question_path(id, key)).await
}

/// Schedules opening and closing (UTC, `YYYY-MM-DDTHH:MM`; blank clears).
#[server(endpoint = "surveys/schedule")]
pub async fn schedule_survey(id: i64, opens_at: String, closes_at: String) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::surveys::schedule(&staff.db, &staff.user, id, &opens_at, &closes_at).await
    }
    .await;
    finish_change(result, &format!("/surveys/{id}")).await
}

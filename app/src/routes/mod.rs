//! Pages, one module each. Staff pages are wrapped in `RequireRole`.

pub mod accept_invite;
pub mod account;
pub mod area_set;
pub mod areas;
pub mod audit_log;
pub mod errors;
pub mod fieldwork;
pub mod home;
pub mod login;
pub mod public_results;
pub mod question_editor;
pub mod resident;
pub mod results;
pub mod staff_admin;
pub mod survey_editor;
pub mod survey_invites;
pub mod survey_json;
pub mod survey_preview;
pub mod survey_translations;
pub mod surveys;

/// The survey id in the address (`/surveys/:id/...`), if it is a number.
pub(crate) fn survey_id_param() -> impl Fn() -> Option<i64> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        use leptos::prelude::Read;
        params.read().get("id").and_then(|id| id.parse::<i64>().ok())
    }
}

/// Loads a survey for a designer page; an id that is not a number is "not found".
pub(crate) async fn load_survey(
    id: Option<i64>,
) -> Result<crate::server_fns::surveys::SurveyEditor, crate::error::AppError> {
    match id {
        Some(id) => crate::server_fns::surveys::survey_for_editing(id).await,
        None => Err(crate::error::AppError::NotFound),
    }
}

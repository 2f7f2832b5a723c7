//! Pages, by who uses them: `resident/` (the public survey and published results), `designer/`
//! (building and running surveys), `results/` (dashboards for every staff role), `areas/`,
//! `admin/` and `account/`; `home` and `errors` are everyone's. Staff pages are wrapped in
//! `RequireRole`. A page loads its data from a server function (`server_fns`) and lays it out
//! with `components`.

pub mod account;
pub mod admin;
pub mod areas;
pub mod designer;
pub mod errors;
pub mod home;
pub mod lazy_pages;
pub mod resident;
pub mod results;

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

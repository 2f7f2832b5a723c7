//! Pages, one module each. Staff pages are wrapped in `RequireRole`.

pub mod accept_invite;
pub mod audit_log;
pub mod errors;
pub mod home;
pub mod login;
pub mod question_editor;
pub mod staff_admin;
pub mod survey_editor;
pub mod survey_json;
pub mod survey_preview;
pub mod survey_translations;
pub mod surveys;

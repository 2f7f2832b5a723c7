//! sea-orm entities, one per table, matching the `canvass-migrations` crate.

pub mod audit_event;
pub mod login_attempt;
pub mod staff_session;
pub mod staff_user;
pub mod survey;
pub mod survey_version;

//! sea-orm entities, one per table, matching the `canvass-migrations` crate.

pub mod address_point;
pub mod api_token;
pub mod area;
pub mod area_member;
pub mod area_set;
pub mod audit_event;
pub mod invite_code;
pub mod login_attempt;
pub mod population_figure;
pub mod publication;
pub mod response;
pub mod staff_session;
pub mod staff_user;
pub mod survey;
pub mod survey_version;
pub mod tally_by_area;
pub mod tally_by_cell;

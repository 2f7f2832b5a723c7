//! sea-orm entities, one per table, matching the `canvass-migrations` crate.

pub mod login_attempt;
pub mod staff_session;
pub mod staff_user;

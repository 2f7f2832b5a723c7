//! Server functions: the browser's way to ask the server for something.
//!
//! Each one is a few lines: find out who is asking (`context::staff(role)`, or
//! `context::signed_in_staff()` for any staff member), call a service, and reply through
//! `context::reply`, which gives errors their HTTP status and, for a form posted without
//! JavaScript, sends the browser back to the form with the error's key in the address. Who is
//! asking is found inside the block whose result is replied, so a refusal is replied the same
//! way. Forms whose fields need parsing are read by pure code in `domain` (for example
//! `domain::survey::edit_form`), where unit tests say what each field may hold.

pub mod areas;
pub mod auth;
pub mod invites;
pub mod residents;
pub mod results;
pub mod staff;
pub mod surveys;
pub mod tokens;

#[cfg(feature = "ssr")]
pub(crate) mod context;

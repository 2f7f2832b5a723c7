//! Server functions: the browser's way to ask the server for something.
//!
//! Each one is a few lines: find out who is asking, call a service, and reply through
//! [`reply`], which gives errors their HTTP status and, for a form posted without JavaScript,
//! sends the browser back to the form with the error's key in the address.

pub mod areas;
pub mod auth;
pub mod invites;
pub mod residents;
pub mod results;
pub mod staff;
pub mod surveys;

#[cfg(feature = "ssr")]
pub(crate) mod context;

//! The Canvass domain: pure types and rules with no I/O, shared by the server and the browser.
//!
//! Everything a stranger can type is parsed here once into a validated type; code past this
//! point never re-checks it and never `unwrap`s it.

pub mod access;
pub mod analytics;
pub mod api_token;
pub mod dashboard;
pub mod dates;
pub mod email;
pub mod geography;
pub mod interface_text;
pub mod language;
pub mod navigation;
pub mod password;
pub mod role;
pub mod submission;
pub mod suppression;
pub mod survey;
pub mod svg;
pub mod throttle;

pub use email::StaffEmail;
pub use password::NewPassword;
pub use role::Role;

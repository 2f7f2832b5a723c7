//! Engagement staff designing and running surveys (designers and administrators): the survey
//! list, the editor and its question page, translations, the preview, the definition file, and
//! who may answer with invite codes. A new staff page about one survey goes here.

pub mod editor;
pub mod invites;
pub mod json;
pub mod preview;
pub mod question;
pub mod surveys;
pub mod translations;

//! Building blocks shared by pages.

pub mod area_map;
pub mod form;
pub mod guard;
pub mod layout;
pub mod problems;
pub mod resident_form;
pub mod survey_form;

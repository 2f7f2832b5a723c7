//! Building blocks shared by pages.

pub mod area_map;
pub mod charts;
pub mod form;
pub mod guard;
pub mod layout;
pub mod problems;
pub mod resident_form;
pub mod results_sections;
pub mod survey_form;

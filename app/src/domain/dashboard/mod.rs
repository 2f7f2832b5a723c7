//! What the results pages show, decided without I/O: which figure each area gets on the map and
//! in the bar charts, how the map's colour classes are cut, and the plain words that say what a
//! test or a gap means. The statistics themselves come from [`crate::domain::analytics`]; nothing
//! here computes an estimate, it only chooses, orders and words them.
//!
//! - [`figures`]: the metric a leader picks (participation, representation, an answer) and each
//!   area's figure for it, from the staff report or the published (suppressed) one.
//! - [`legend`]: the map's colour classes and the colour of each area.
//! - [`svg`]: the map drawn as an SVG file.
//! - [`words`]: numbers and findings written for a council memo.

pub mod figures;
pub mod legend;
pub mod svg;
pub mod words;

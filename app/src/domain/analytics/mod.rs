//! Equity analytics: who answered compared with who lives there, what they said by area, how
//! sure we can be, and what may be published. Pure functions over tallies (no I/O); formulas
//! and their sources are in `docs/ANALYTICS.md`.
//!
//! - [`tally`]: what each response adds to the running counts results are read from.
//! - [`intervals`], [`chi_square`]: estimates with 95% intervals, and the test of differences.
//! - [`raking`]: weights to population margins, trimming, effective n.
//! - [`participation`]: representation by area and by demographic.
//! - [`results`]: answers by area (or group), weighted or not.
//! - [`report`]: all of it for one survey; [`public`]: the same with small counts withheld.

pub mod chi_square;
pub mod intervals;
pub mod participation;
mod parts;
pub mod public;
pub mod raking;
pub mod report;
pub mod request;
pub mod results;
pub mod tally;
pub mod waves;

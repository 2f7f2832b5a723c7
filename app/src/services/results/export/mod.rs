//! Results as files: [`csv`] (the report in long form), [`open_data`] (GeoJSON for GIS and the
//! data dictionary) and [`microdata`] (one row per response, streamed). Published variants carry
//! only the published (suppressed) report. A new format is a module here, called by a handler
//! in the server's `http/results.rs`, with its columns in docs/API.md.

pub mod csv;
pub mod microdata;
pub mod open_data;

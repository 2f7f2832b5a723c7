//! Results for every staff role: the index of surveys, one survey's dashboard, and the live
//! fieldwork view. The figures come from `services::results`; these pages only lay them out.

pub mod dashboard;
pub mod fieldwork;

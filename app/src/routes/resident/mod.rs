//! What residents (and anyone with a survey's link) see: the survey a page at a time, the
//! thank-you and refusal pages, and a survey's published results. All public, all usable without
//! JavaScript; their form posts are the server's (`canvass-server`'s `http/resident.rs`).

pub mod public_results;
pub mod survey;

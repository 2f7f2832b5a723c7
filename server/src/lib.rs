//! The Canvass server: the `canvass` command line, the web server around the Leptos app, and
//! database set-up. `main.rs` only parses arguments and calls [`cli::run`]; tests build the same
//! router with [`http::router`] and serve it on port 0.

pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod http;
pub mod telemetry;

//! Canvass: resident engagement surveys for city governments.
//!
//! This crate is the web application: the domain model (`domain`), the pages (`routes`) and
//! their parts (`components`), the server functions the browser calls (`server_fns`), and — on
//! the server only — database access (`db`) and use cases (`services`). It compiles twice: with
//! `ssr` into the server, and with `hydrate` into the WebAssembly that makes pages interactive.

// Leptos views are deeply nested types; the designer pages pass the default limit of 128.
#![recursion_limit = "256"]

#[cfg(test)]
mod architecture;

pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod models;
pub mod routes;
pub mod server_fns;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod web;

/// Entry point of the WebAssembly bundle: hydrates the server-rendered page, loading the
/// page's group of code first (`routes::lazy_pages`).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}

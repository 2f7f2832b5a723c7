//! Dashboard benchmark: what one visit to a survey's results dashboard costs — the page's data
//! (the `results/dashboard` server function the page loads) plus its map image
//! (`/api/v1/surveys/ID/results/map.svg`) — in database queries and milliseconds.
//!
//! The real app runs in-process on port 0 over a fresh database with the demo city (462 areas)
//! and the community survey with `--responses` synthetic responses (default 2,000, the demo's
//! generator, seeded); a signed-in analyst asks over HTTP, as the browser does. Every statement
//! the app sends to the database is counted (sea-orm's metric callback).
//!
//! `cargo bench -p canvass-server --bench dashboard -- [--engine sqlite|postgres|both]
//! [--responses 2000] [--runs 21]`. PostgreSQL is reached at `CANVASS_BENCH_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`); a database is created and dropped.
//! See docs/BENCHMARKS.md.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use canvass_app::services::{accounts, surveys};
use canvass_app::state::{AddressLimit, AppState};
use canvass_server::config::DatabaseUrl;
use canvass_server::{database, demo, http};
use common::{ms, timings};
use leptos::config::LeptosOptions;

mod common;

struct Options {
    engines: Vec<&'static str>,
    responses: u64,
    runs: usize,
}

fn options() -> Options {
    let args = common::Args::read();
    Options { engines: args.engines(), responses: args.value("--responses", 2_000), runs: args.value("--runs", 21) }
}

const PASSWORD: &str = "benchmark password 2026";

#[tokio::main]
async fn main() {
    let options = options();
    println!(
        "| engine | responses | page queries | map queries | page p50 | page p90 | map p50 | map p90 | visit p50 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for engine in &options.engines {
        run(engine, &options).await;
    }
}

async fn run(engine: &str, options: &Options) {
    let bench_db = common::BenchDatabase::create(engine, "dashboard").await;
    let url = bench_db.url.clone();
    let mut db = database::connect(&DatabaseUrl::parse(&url).expect("url")).await.expect("connect");
    database::migrate(&db).await.expect("migrate");
    demo::load_demo_city(&db).await.expect("demo city");
    let survey = surveys::create_from_template(&db, None, "community_survey").await.expect("survey");
    demo::seed_synthetic(&db, survey.id, options.responses).await.expect("responses");
    accounts::create_with_password(&db, "analyst@bench.example.org", "analyst", PASSWORD).await.expect("analyst");

    // Set before the app gets its connection: clones made later share the callback.
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let base = serve(db.clone()).await;
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let signed_in = client
        .post(format!("{base}/api/auth/login"))
        .header("accept", "application/json")
        .form(&[("email", "analyst@bench.example.org"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(signed_in.status().is_success(), "sign in: {}", signed_in.status());

    let id = survey.id.to_string();
    let page = || async {
        let response = client
            .post(format!("{base}/api/results/dashboard"))
            .header("accept", "application/json")
            .form(&[("id", id.as_str()), ("query", "")])
            .send()
            .await
            .expect("dashboard");
        assert!(response.status().is_success(), "dashboard: {}", response.status());
        let d: serde_json::Value = response.json().await.expect("json");
        d["filters"]["question"].as_str().unwrap_or_default().to_owned()
    };
    let question = page().await;
    let map = || async {
        let response = client
            .get(format!("{base}/api/v1/surveys/{id}/results/map.svg?question={question}"))
            .send()
            .await
            .expect("map");
        assert!(response.status().is_success(), "map: {}", response.status());
        response.bytes().await.expect("svg").len()
    };

    let counted = |before: usize| queries.load(Ordering::Relaxed) - before;
    let before = queries.load(Ordering::Relaxed);
    page().await;
    let page_queries = counted(before);
    let before = queries.load(Ordering::Relaxed);
    map().await;
    let map_queries = counted(before);

    let (page_p50, page_p90) = timings(options.runs, || async { page().await.len() }).await;
    let (map_p50, map_p90) = timings(options.runs, || async { map().await }).await;
    let (visit_p50, _) = timings(options.runs, || async { page().await.len() + map().await }).await;
    println!(
        "| {engine} | {} | {page_queries} | {map_queries} | {} | {} | {} | {} | {} |",
        options.responses,
        ms(page_p50),
        ms(page_p90),
        ms(map_p50),
        ms(map_p90),
        ms(visit_p50)
    );
    db.close().await.ok();
    bench_db.drop_it().await;
}

/// Serves the app on a free port; its address.
async fn serve(db: sea_orm::DatabaseConnection) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let site_root = tempfile::tempdir().expect("site dir").keep();
    let leptos_options = LeptosOptions::builder()
        .output_name("canvass")
        .site_root(site_root.to_string_lossy().into_owned())
        .site_addr(addr)
        .build();
    let state = AppState::new(db, leptos_options, format!("http://{addr}"), AddressLimit::per_hour(1_000));
    let router = http::router(state);
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
    });
    format!("http://{addr}")
}

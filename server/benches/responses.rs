//! Load benchmark: how many complete 12-question responses a second Canvass stores, through the
//! resident's HTML form flow (GET the page, POST the answers) and through the JSON API, on SQLite
//! and on PostgreSQL, from a second process on loopback; and afterwards, that the stored count
//! equals the acknowledged count (nothing lost, nothing duplicated).
//!
//! `cargo bench -p canvass-server --bench responses -- [--seconds 10] [--workers 64]
//! [--engine sqlite|postgres|both] [--neighborhoods]`. With `--neighborhoods` the survey's street
//! and comment questions become an area question (the demo city's 462 areas) and three
//! demographic items, and each API submission gets its own area and demographics: the results
//! tallies then get as many distinct rows as a real survey's (the form flow is skipped). PostgreSQL is reached at `CANVASS_BENCH_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`); a database is created and dropped.
//! See docs/BENCHMARKS.md for what was measured on this machine.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use canvass_app::domain::survey::SurveyDefinition;
use canvass_app::domain::survey::example::example_fields;
use canvass_app::domain::survey::form_fields::raw_answers;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

mod common;

use common::{canvass, serve};

/// Twelve questions of eight kinds on one page: a typical city survey's length.
fn twelve_questions() -> String {
    let rating = |key: &str| serde_json::json!({"key": key, "type": "rating", "min": 1, "max": 5, "required": true, "text": {"en": key}});
    let options = |keys: &[&str]| -> Vec<serde_json::Value> {
        keys.iter().map(|k| serde_json::json!({"key": k, "label": {"en": k}})).collect()
    };
    serde_json::json!({
        "format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "Load test"},
        "pages": [{"key": "all", "questions": [
            rating("r1"), rating("r2"), rating("r3"), rating("r4"), rating("r5"),
            {"key": "mode", "type": "single_choice", "required": true, "text": {"en": "Mode"}, "options": options(&["car", "bus", "bike", "walk"])},
            {"key": "issues", "type": "multiple_choice", "max_selected": 3, "text": {"en": "Issues"}, "options": options(&["roads", "parks", "safety", "housing"])},
            {"key": "nps", "type": "nps", "required": true, "text": {"en": "Recommend"}},
            {"key": "grid", "type": "grid", "text": {"en": "Services"}, "statements": options(&["trash", "water", "parks"]), "scale": options(&["bad", "ok", "good"])},
            {"key": "years", "type": "number", "integer": true, "min": 0, "max": 100, "text": {"en": "Years"}},
            {"key": "street", "type": "short_text", "text": {"en": "Street"}},
            {"key": "comments", "type": "long_text", "text": {"en": "Comments"}}
        ]}]
    })
    .to_string()
}

struct Options {
    seconds: u64,
    workers: usize,
    engines: Vec<&'static str>,
    /// Answers spread over the demo city's 462 areas and varied demographics (API only), so the
    /// results tallies get as many distinct rows as a real survey's.
    neighborhoods: bool,
}

fn options() -> Options {
    let args = common::Args::read();
    Options {
        seconds: args.value("--seconds", 10),
        workers: args.value("--workers", 64),
        engines: args.engines(),
        neighborhoods: args.has("--neighborhoods"),
    }
}

#[derive(Default)]
struct Tally {
    acknowledged: AtomicU64,
    failed: AtomicU64,
    latencies_us: std::sync::Mutex<Vec<u64>>,
}

/// Runs `workers` loops of `one` for `seconds`; returns (acknowledged, failed, seconds, p50 ms, p99 ms).
async fn drive<F, Fut>(workers: usize, seconds: u64, one: F) -> (u64, u64, f64, f64, f64)
where
    F: Fn(reqwest::Client, u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let tally = Arc::new(Tally::default());
    let one = Arc::new(one);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let (tally, one) = (tally.clone(), one.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client");
            let mut n = 0u64;
            let mut mine = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                let ok = one(client.clone(), (worker as u64) << 32 | n).await;
                mine.push(t.elapsed().as_micros() as u64);
                if ok {
                    tally.acknowledged.fetch_add(1, Ordering::Relaxed);
                } else {
                    tally.failed.fetch_add(1, Ordering::Relaxed);
                }
                n += 1;
            }
            tally.latencies_us.lock().expect("lock").extend(mine);
        }));
    }
    for task in tasks {
        task.await.expect("worker");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = tally.latencies_us.lock().expect("lock").clone();
    latencies.sort_unstable();
    let at =
        |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0) as f64 / 1000.0;
    (tally.acknowledged.load(Ordering::Relaxed), tally.failed.load(Ordering::Relaxed), elapsed, at(0.5), at(0.99))
}

async fn stored(db: &DatabaseConnection, survey: i64) -> u64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n, COUNT(DISTINCT submission_id) AS d FROM response WHERE survey_id = {survey} AND status = 'complete'"),
        ))
        .await
        .expect("count")
        .expect("a row");
    let n: i64 = row.try_get("", "n").expect("n");
    let distinct: i64 = row.try_get("", "d").expect("d");
    assert_eq!(n, distinct, "a submission id was stored twice");
    n as u64
}

/// The street and comment questions replaced by the area and three demographic items.
fn with_neighborhoods(definition: &str) -> String {
    let mut survey: serde_json::Value = serde_json::from_str(definition).expect("json");
    if let Some(questions) = survey["pages"][0]["questions"].as_array_mut() {
        for q in questions.iter_mut() {
            if q["key"] == "street" {
                *q = serde_json::json!({"key": "home", "type": "area", "text": {"en": "Home"}});
            } else if q["key"] == "comments" {
                *q = serde_json::json!({"key": "about", "type": "demographics", "text": {"en": "About you"},
                    "items": ["age_band", "race_ethnicity", "housing_tenure"]});
            }
        }
    }
    survey.to_string()
}

/// The demo city's area keys (empty without `--neighborhoods`).
async fn area_keys(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT key FROM area ORDER BY id"))
        .await
        .unwrap_or_default();
    rows.iter().filter_map(|r| r.try_get::<String>("", "key").ok()).collect()
}

/// With areas, submission `n`'s answers placed in one of them, with varied demographics.
fn spread(answers: &serde_json::Value, areas: &[String], n: u64) -> serde_json::Value {
    if areas.is_empty() {
        return answers.clone();
    }
    let mut answers = answers.clone();
    let h = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let pick = |options: &[&str], shift: u32| options[((h >> shift) % options.len() as u64) as usize].to_owned();
    answers["home"] = serde_json::json!(areas[(h % areas.len() as u64) as usize]);
    answers["about"] = serde_json::json!({
        "age_band": [pick(&["18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus", "prefer_not_to_say"], 16)],
        "race_ethnicity": [pick(&["white", "black", "asian", "hispanic_latino", "another", "prefer_not_to_say"], 24)],
        "housing_tenure": [pick(&["own", "rent", "other", "prefer_not_to_say"], 32)],
    });
    answers
}

fn main() {
    let options = options();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    runtime.block_on(run(options));
}

async fn run(options: Options) {
    let definition = if options.neighborhoods { with_neighborhoods(&twelve_questions()) } else { twelve_questions() };
    let survey = SurveyDefinition::from_json(&definition).expect("the benchmark survey is valid");
    let fields = example_fields(&survey, None);
    assert_eq!(survey.questions().count(), 12);
    let answers = serde_json::to_value(raw_answers(&survey, &fields)).expect("json");
    let site = common::placeholder_site();
    println!("| engine | flow | acknowledged | seconds | per second | p50 ms | p99 ms | stored | failed |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (i, engine) in options.engines.iter().enumerate() {
        let bench_db = common::BenchDatabase::create(engine, "responses").await;
        let file = site.path().join("survey.json");
        std::fs::write(&file, &definition).expect("write survey");
        canvass(&["migrate"], &bench_db.url);
        if options.neighborhoods {
            canvass(&["demo"], &bench_db.url);
        }
        canvass(&["survey", "import", file.to_str().expect("path")], &bench_db.url);
        let published = canvass(&["survey", "publish", "1"], &bench_db.url);
        let key = published.trim().rsplit('/').next().expect("public key").to_owned();
        let port = 3900 + i as u16;
        let server = serve(&bench_db.url, port, site.path()).await;
        let db = Database::connect(&bench_db.url).await.expect("database");
        let base = format!("http://127.0.0.1:{port}");

        if !options.neighborhoods {
            // The resident's form flow: GET the page, POST the answers, expect the thank-you redirect.
            let form_fields = Arc::new(fields.clone());
            let (page_url, post_url) = (format!("{base}/s/{key}"), format!("{base}/s/{key}"));
            let before = stored(&db, 1).await;
            let (ack, failed, secs, p50, p99) = drive(options.workers, options.seconds, move |client, _| {
                let (page_url, post_url, fields) = (page_url.clone(), post_url.clone(), form_fields.clone());
                async move {
                    let Ok(page) = client.get(&page_url).send().await else { return false };
                    let Ok(html) = page.text().await else { return false };
                    let Some(submission) = html
                        .split(r#"name="_submission" value=""#)
                        .nth(1)
                        .and_then(|rest| rest.split('"').next())
                        .map(str::to_owned)
                    else {
                        return false;
                    };
                    let mut form = vec![("_page".to_owned(), "0".to_owned()), ("_nav".to_owned(), "next".to_owned())];
                    form.push(("_submission".to_owned(), submission));
                    form.extend(fields.iter().cloned());
                    match client.post(&post_url).form(&form).send().await {
                        Ok(r) => {
                            r.status() == 303
                                && r.headers()
                                    .get("location")
                                    .is_some_and(|l| l.as_bytes().windows(7).any(|w| w == b"/thanks"))
                        }
                        Err(_) => false,
                    }
                }
            })
            .await;
            let now = stored(&db, 1).await - before;
            println!(
                "| {engine} | form (GET + POST) | {ack} | {secs:.1} | {:.0} | {p50:.1} | {p99:.1} | {now} | {failed} |",
                ack as f64 / secs
            );
            assert_eq!(now, ack, "{engine} form flow: stored ≠ acknowledged");
        }
        let areas: Arc<Vec<String>> = Arc::new(area_keys(&db).await);

        // The JSON API, each submission id once; then every one of them again (all retries).
        let api_url = format!("{base}/api/v1/surveys/1/responses");
        let body = Arc::new(answers.clone());
        let before = stored(&db, 1).await;
        let (url, spread_over) = (api_url.clone(), areas.clone());
        let (ack, failed, secs, p50, p99) = drive(options.workers, options.seconds, move |client, n| {
            let (url, answers, areas) = (url.clone(), body.clone(), spread_over.clone());
            async move {
                let answers = spread(&answers, &areas, n);
                let body = serde_json::json!({"submission_id": format!("bench-{n:016x}"), "answers": answers});
                match client.post(&url).json(&body).send().await {
                    Ok(r) => r.status() == 201,
                    Err(_) => false,
                }
            }
        })
        .await;
        let now = stored(&db, 1).await - before;
        println!(
            "| {engine} | JSON API | {ack} | {secs:.1} | {:.0} | {p50:.1} | {p99:.1} | {now} | {failed} |",
            ack as f64 / secs
        );
        assert_eq!(now, ack, "{engine} API: stored ≠ acknowledged");

        // The first ten submissions of every worker, again.
        let retries = options.workers as u64 * 10;
        let client = reqwest::Client::new();
        let mut same = 0;
        for i in 0..retries {
            let n = (i / 10) << 32 | (i % 10);
            let body =
                serde_json::json!({"submission_id": format!("bench-{n:016x}"), "answers": spread(&answers, &areas, n)});
            if client.post(&api_url).json(&body).send().await.is_ok_and(|r| r.status() == 200) {
                same += 1;
            }
        }
        let after = stored(&db, 1).await;
        println!(
            "| {engine} | API retries of stored ids | {same} of {retries} answered \"already stored\" | | | | | {} new | |",
            after - before - now
        );
        assert_eq!(after, before + now, "{engine}: a retry stored a duplicate");
        drop(server);
        db.close().await.ok();
        bench_db.drop_it().await;
    }
}

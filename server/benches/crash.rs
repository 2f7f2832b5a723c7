//! Crash test: residents keep submitting through the JSON API while the server is killed with
//! SIGKILL and restarted on the same database. Every client retries the same submission id after
//! a connection error or a 5xx, as a kiosk or the resident's browser does. It fails unless every
//! acknowledged id is stored exactly once and the results' respondent count equals the stored
//! rows (the tallies were written in the same transactions as the responses).
//!
//! `cargo bench -p canvass-server --bench crash -- [--seconds 40] [--clients 128] [--kills 3]
//! [--engine sqlite|postgres|both]`. PostgreSQL is reached at `CANVASS_BENCH_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`); a database is created and dropped.
//! See docs/BENCHMARKS.md for what was measured on this machine.

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement};

mod common;

use common::{CANVASS, canvass, serve};

const QUICK_POLL: &str = include_str!("../../app/templates/quick_poll.json");
const ANALYST: &str = "analyst@crash.example";
const PASSWORD: &str = "crash test password 2026";

struct Options {
    seconds: u64,
    clients: usize,
    kills: u32,
    engines: Vec<&'static str>,
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// Submission id → receipt, for every id the server acknowledged (201 or 200).
    acknowledged: Mutex<HashMap<String, String>>,
    /// Requests that got no answer (connection refused or reset) or a 5xx, then were retried.
    retried: AtomicU64,
}

fn main() {
    let args = common::Args::read();
    let options = Options {
        seconds: args.value("--seconds", 40),
        clients: args.value("--clients", 128),
        kills: args.value("--kills", 3),
        engines: args.engines(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let failures = runtime.block_on(run(&options));
    if failures > 0 {
        eprintln!("crash test FAILED on {failures} engine(s)");
        std::process::exit(1);
    }
}

async fn run(options: &Options) -> usize {
    let site = common::placeholder_site();
    let file = site.path().join("poll.json");
    std::fs::write(&file, QUICK_POLL).expect("write the poll");
    println!(
        "| engine | clients | seconds | kills | acknowledged | stored | lost | duplicated | respondents in results | retried requests |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut failures = 0;
    for (i, engine) in options.engines.iter().enumerate() {
        let bench_db = common::BenchDatabase::create(engine, "crash").await;
        canvass(&["migrate"], &bench_db.url);
        canvass(&["survey", "import", file.to_str().expect("path")], &bench_db.url);
        canvass(&["survey", "publish", "1"], &bench_db.url);
        add_analyst(&bench_db.url);
        let answers = poll_answer();
        let port = 3950 + i as u16;
        let base = format!("http://127.0.0.1:{port}");
        let mut server = serve(&bench_db.url, port, site.path()).await;

        let seen = Arc::new(Seen::default());
        let started = Instant::now();
        let deadline = started + Duration::from_secs(options.seconds);
        let mut clients = Vec::new();
        for client in 0..options.clients {
            let (seen, base, answers) = (seen.clone(), base.clone(), answers.clone());
            clients.push(tokio::spawn(async move { submit_until(client, &base, &answers, deadline, &seen).await }));
        }
        // Kill the server at even intervals, and start it again on the same database at once.
        let interval = Duration::from_secs(options.seconds) / (options.kills + 1);
        let mut kills = 0;
        for k in 1..=options.kills {
            tokio::time::sleep_until((started + interval * k).into()).await;
            server.0.kill().expect("SIGKILL the server");
            let _ = server.0.wait();
            kills += 1;
            server = serve(&bench_db.url, port, site.path()).await;
        }
        for client in clients {
            client.await.expect("client");
        }

        let db = Database::connect(&bench_db.url).await.expect("database");
        let stored = stored_ids(&db).await;
        let acknowledged = seen.acknowledged.lock().expect("lock").clone();
        let lost =
            acknowledged.iter().filter(|(id, receipt)| stored.get(*id).is_none_or(|(_, r)| r != *receipt)).count();
        let duplicated = stored.values().filter(|(count, _)| *count > 1).count();
        let rows: u64 = stored.values().map(|(count, _)| count).sum();
        let respondents = respondents_in_results(&base).await;
        println!(
            "| {engine} | {} | {} | {kills} | {} | {rows} | {lost} | {duplicated} | {respondents} | {} |",
            options.clients,
            options.seconds,
            acknowledged.len(),
            seen.retried.load(Ordering::Relaxed)
        );
        // Lost: acknowledged but not stored, or stored with another receipt than the one shown.
        if lost > 0 || duplicated > 0 || respondents != rows || kills != options.kills {
            eprintln!("{engine}: lost {lost}, duplicated {duplicated}, respondents {respondents} for {rows} rows");
            failures += 1;
        }
        drop(server);
        db.close().await.ok();
        bench_db.drop_it().await;
    }
    failures
}

/// An answer to the quick poll's one question: its first option.
fn poll_answer() -> serde_json::Value {
    let definition: serde_json::Value = serde_json::from_str(QUICK_POLL).expect("the template is JSON");
    let question = &definition["pages"][0]["questions"][0];
    let key = question["key"].as_str().expect("a question key");
    serde_json::json!({ key: question["options"][0]["key"].clone() })
}

/// One client: submits new responses until the deadline, retrying each submission id until the
/// server acknowledges it (a connection error or a 5xx is retried; anything else is a bug).
async fn submit_until(client: usize, base: &str, answers: &serde_json::Value, deadline: Instant, seen: &Seen) {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let url = format!("{base}/api/v1/surveys/1/responses");
    let mut n = 0u64;
    while Instant::now() < deadline {
        let id = format!("crash-{client:04}-{n:08}");
        let body = serde_json::json!({"submission_id": id, "answers": answers});
        loop {
            if Instant::now() >= deadline + Duration::from_secs(15) {
                break;
            }
            match http.post(&url).json(&body).send().await {
                Ok(reply) if reply.status().is_success() => {
                    let reply: serde_json::Value = reply.json().await.unwrap_or_default();
                    let receipt = reply["receipt"].as_str().unwrap_or_default().replace('-', "");
                    seen.acknowledged.lock().expect("lock").insert(id.clone(), receipt);
                    break;
                }
                Ok(reply) if reply.status().is_server_error() => {}
                Ok(reply) => panic!("submission {id}: unexpected {}", reply.status()),
                Err(_) => {}
            }
            seen.retried.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        n += 1;
    }
}

/// Every stored complete response: submission id (without its scope) → (rows, receipt).
async fn stored_ids(db: &sea_orm::DatabaseConnection) -> HashMap<String, (u64, String)> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT submission_id, receipt FROM response WHERE survey_id = 1 AND status = 'complete'",
        ))
        .await
        .expect("stored responses");
    let mut stored: HashMap<String, (u64, String)> = HashMap::new();
    for row in rows {
        let id: String = row.try_get("", "submission_id").unwrap_or_default();
        let receipt: String = row.try_get("", "receipt").unwrap_or_default();
        let id = id.split_once(':').map_or(id.clone(), |(_, id)| id.to_owned());
        let entry = stored.entry(id).or_insert((0, receipt));
        entry.0 += 1;
    }
    stored
}

fn add_analyst(url: &str) {
    let mut child = Command::new(CANVASS)
        .args(["user", "add", "--email", ANALYST, "--role", "analyst"])
        .env("CANVASS_DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("canvass user add");
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("password");
    assert!(child.wait().expect("user add").success());
}

/// The respondents the staff results report (read from the tallies).
async fn respondents_in_results(base: &str) -> u64 {
    let http = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let login = http
        .post(format!("{base}/api/auth/login"))
        .header("accept", "application/json")
        .form(&[("email", ANALYST), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(login.status().is_success(), "sign in: {}", login.status());
    let results: serde_json::Value =
        http.get(format!("{base}/api/v1/surveys/1/results")).send().await.expect("results").json().await.expect("json");
    results["report"]["respondents"].as_u64().expect("respondents in the results")
}

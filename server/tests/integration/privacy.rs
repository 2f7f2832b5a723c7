//! Issue 14's promise, checked the way an attacker would: a published demo survey (the demo
//! city's 462 areas, sparse synthetic responses) read through every public file by a stranger;
//! every published number written as an equation over the true counts; and, for withheld counts
//! across the tables, the tightest interval a linear program finds must be at least k wide.

use canvass_app::domain::suppression::audit::{Interval, LinearSystem, Term};
use canvass_app::domain::survey::lifecycle::Action;
use canvass_app::services::{results::publication, surveys};
use canvass_server::demo::{load_demo_city, seed_synthetic};
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::{Engine, TestApp};

const K: u64 = 5;

/// The public outputs of one publication, as a stranger downloads them.
struct Downloaded {
    json: Value,
    csv: String,
    geojson: Value,
}

async fn published_demo_survey(app: &TestApp) -> (String, Downloaded) {
    load_demo_city(app.db()).await.expect("demo city");
    let survey = surveys::create_from_template(app.db(), None, "community_survey").await.expect("survey");
    surveys::change_status(app.db(), None, survey.id, Action::Publish).await.expect("open");
    seed_synthetic(app.db(), survey.id, 600).await.expect("responses");
    publication::publish(app.db(), None, survey.id, K).await.expect("published");
    let key = canvass_app::db::surveys::find(app.db(), survey.id).await.expect("read").expect("survey").public_key;
    let stranger = app.client();
    let get = |file: &str| stranger.http.get(format!("{}/s/{key}/results/{file}", app.base)).send();
    let json = get("data.json").await.expect("get");
    assert_eq!(json.status(), StatusCode::OK);
    let json: Value = json.json().await.expect("json");
    let csv = get("data.csv").await.expect("get").text().await.expect("csv");
    let geojson: Value = get("areas.geojson").await.expect("get").json().await.expect("geojson");
    let refused = get("data.json?from=2026-01-01").await.expect("get");
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "a publication takes no parameters");
    (key, Downloaded { json, csv, geojson })
}

/// A count as published: `Some(n)`, or `None` when withheld (`null`).
fn count(v: &Value) -> Option<u64> {
    v.as_u64()
}

/// The attacker's program over participation and one question, with the withheld counts it
/// tries to pin (name, unknown).
fn program(report: &Value, part: &Value) -> (LinearSystem, Vec<(String, usize)>) {
    let mut system = LinearSystem::default();
    let mut targets = Vec::new();
    let value = |system: &mut LinearSystem, v: Option<u64>, cap: f64, name: String, targets: &mut Vec<_>| match v {
        Some(n) => system.unknown(n as f64, n as f64),
        None => {
            let u = system.unknown(0.0, cap);
            targets.push((name, u));
            u
        }
    };
    let areas = report["participation"].as_array().expect("participation");
    let mut responses: Vec<usize> = areas
        .iter()
        .map(|a| {
            let cap = a["population"].as_f64().unwrap_or(f64::INFINITY);
            let name = format!("responses of {}", a["area"]);
            value(&mut system, count(&a["responses"]), cap, name, &mut targets)
        })
        .collect();
    let no_area = report["summary"]["responses_without_area"].clone();
    responses.push(value(&mut system, count(&no_area), f64::INFINITY, "responses with no area".into(), &mut targets));
    let total = value(&mut system, count(&report["respondents"]), f64::INFINITY, "respondents".into(), &mut targets);
    let mut terms: Vec<Term> = responses.iter().map(|r| (*r, 1.0)).collect();
    terms.push((total, -1.0));
    system.equal(terms, 0.0);

    let key = part["key"].as_str().unwrap_or_default().to_owned();
    let city = &part["citywide"];
    let columns: Vec<String> =
        city["options"].as_array().expect("options").iter().map(|o| o["key"].to_string()).collect();
    let exclusive = !matches!(part["kind"].as_str(), Some("multiple_choice" | "ranking" | "number"));
    let city_answered =
        value(&mut system, count(&city["answered"]), f64::INFINITY, format!("{key} answered"), &mut targets);
    let mut city_cells = Vec::new();
    for o in city["options"].as_array().expect("options") {
        let name = format!("{key} {} citywide", o["key"]);
        city_cells.push(value(&mut system, count(&o["count"]), f64::INFINITY, name, &mut targets));
    }
    let dont_know = count(&city["dont_know"]);
    city_cells.push(value(&mut system, dont_know, f64::INFINITY, format!("{key} don't know"), &mut targets));
    if !exclusive {
        // Everyone who answered chose at least one option (numbers have none).
        if !columns.is_empty() {
            let mut terms: Vec<Term> = city_cells.iter().map(|c| (*c, -1.0)).collect();
            terms.push((city_answered, 1.0));
            system.at_most(terms, 0.0);
        }
        for c in &city_cells {
            system.at_most(vec![(*c, 1.0), (city_answered, -1.0)], 0.0);
        }
        return (system, targets);
    }
    let groups = part["groups"].as_array().expect("groups");
    let mut row_answered = Vec::new();
    let mut column_terms: Vec<Vec<Term>> = vec![Vec::new(); columns.len() + 1];
    for (i, r) in responses.iter().enumerate() {
        let group = if i < areas.len() {
            groups.iter().find(|g| g["group"] == areas[i]["area"])
        } else {
            groups.iter().find(|g| g["group"] == "~no_area")
        };
        let Some(g) = group else {
            // No row published: nobody there answered (its responses say 0), or no area group.
            let u = system.unknown(0.0, f64::INFINITY);
            system.at_most(vec![(u, 1.0), (*r, -1.0)], 0.0);
            let cells: Vec<usize> = (0..=columns.len()).map(|_| system.unknown(0.0, f64::INFINITY)).collect();
            let mut terms: Vec<Term> = cells.iter().map(|c| (*c, 1.0)).collect();
            terms.push((u, -1.0));
            system.equal(terms, 0.0);
            for (c, cell) in cells.iter().enumerate() {
                column_terms[c].push((*cell, 1.0));
            }
            row_answered.push(u);
            continue;
        };
        let name = format!("{key} in {}", g["group"]);
        let u = value(&mut system, count(&g["answered"]), f64::INFINITY, format!("{name}: answered"), &mut targets);
        system.at_most(vec![(u, 1.0), (*r, -1.0)], 0.0);
        let mut cells = Vec::new();
        for o in g["options"].as_array().expect("options") {
            let label = format!("{name}: {}", o["key"]);
            cells.push(value(&mut system, count(&o["count"]), f64::INFINITY, label, &mut targets));
        }
        cells.push(value(
            &mut system,
            count(&g["dont_know"]),
            f64::INFINITY,
            format!("{name}: don't know"),
            &mut targets,
        ));
        let mut terms: Vec<Term> = cells.iter().map(|c| (*c, 1.0)).collect();
        terms.push((u, -1.0));
        system.equal(terms, 0.0);
        for (c, cell) in cells.iter().enumerate() {
            column_terms[c].push((*cell, 1.0));
        }
        row_answered.push(u);
    }
    for (c, mut terms) in column_terms.into_iter().enumerate() {
        terms.push((city_cells[c], -1.0));
        system.equal(terms, 0.0);
    }
    let mut terms: Vec<Term> = row_answered.iter().map(|u| (*u, 1.0)).collect();
    terms.push((city_answered, -1.0));
    system.equal(terms, 0.0);
    (system, targets)
}

async fn a_published_demo_survey_gives_no_withheld_count_back(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let (_, files) = published_demo_survey(&app).await;
    let report = &files.json["report"];
    // No count from 1 to k − 1 anywhere in the JSON.
    let mut counts = Vec::new();
    crate::results::collect_counts(&files.json, &mut counts);
    assert!(counts.len() > 100);
    assert!(counts.iter().all(|c| *c == 0 || *c >= K), "a small count: {counts:?}");
    let withheld = report["withheld"].as_u64().expect("withheld");
    assert!(withheld > 0, "a sparse city withholds");
    // Nor in the CSV, whose withheld figures are empty and marked.
    let mut csv = csv::Reader::from_reader(files.csv.trim_start_matches('\u{feff}').as_bytes());
    let header = csv.headers().expect("header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect("a column");
    let (measure, value) = (column("measure"), column("value"));
    let mut rows = 0;
    for record in csv.records() {
        let record = record.expect("a row");
        if ["count", "responses", "answered", "dont_know"].contains(&&record[measure]) {
            let v = &record[value];
            assert!(v.is_empty() || v == "0" || v.parse::<u64>().is_ok_and(|v| v >= K), "{record:?}");
            rows += 1;
        }
    }
    assert!(rows > 100);
    // Nor in the GeoJSON; a withheld figure is null, never 0.
    let features = files.geojson["features"].as_array().expect("features");
    assert_eq!(features.len(), 462);
    for f in features {
        let area = &f["properties"]["area"];
        let published = report["participation"].as_array().expect("rows").iter().find(|p| &p["area"] == area);
        assert_eq!(f["properties"]["responses"], published.expect("the same areas")["responses"]);
    }
    // Shares are whole percents, and only in rows with nothing withheld.
    for part in report["questions"].as_array().expect("questions") {
        for g in std::iter::once(&part["citywide"]).chain(part["groups"].as_array().into_iter().flatten()) {
            let options = g["options"].as_array().expect("options");
            let complete = options.iter().all(|o| !o["count"].is_null()) && !g["dont_know"].is_null();
            for o in options {
                if let Some(share) = o["share"]["value"].as_f64() {
                    assert!(complete, "a share next to a withheld count: {g}");
                    assert!(((share * 100.0) - (share * 100.0).round()).abs() < 1e-9, "{share}");
                }
            }
        }
    }
    // The attack: participation with each question, every number an equation.
    let mut attacked = 0;
    for part in report["questions"].as_array().expect("questions") {
        let (system, targets) = program(report, part);
        let step = (targets.len() / 6).max(1);
        for (name, unknown) in targets.into_iter().step_by(step) {
            let range: Interval = system.range(unknown).unwrap_or_else(|e| panic!("{name} in {}: {e}", part["key"]));
            assert!(range.protects(K), "{name} narrowed to {range:?}");
            attacked += 1;
        }
    }
    assert!(attacked > 20, "{attacked} withheld counts attacked");
}

crate::both_engines!(a_published_demo_survey_gives_no_withheld_count_back);

//! Results: twelve known responses in two areas, and every figure the results API gives for
//! them, computed by hand in the comments (and with a calculator where noted), on both engines.

use canvass_app::services::areas;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Client, Engine, TestApp};

const TWO_AREAS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"a","name":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[-80.9,35.2],[-80.8,35.2],[-80.8,35.3],[-80.9,35.3],[-80.9,35.2]]]}},
 {"type":"Feature","properties":{"id":"b","name":"Beta"},"geometry":{"type":"Polygon","coordinates":[[[-80.8,35.2],[-80.7,35.2],[-80.7,35.3],[-80.8,35.3],[-80.8,35.2]]]}}]}"#;

/// Each area has 1,000 residents; owners and renters are 400 each citywide.
const POPULATION: &str = "area,total,age:under_18,age:18_to_64,age:65_plus,tenure:owner,tenure:renter\n\
                          a,1000,200,600,200,300,100\nb,1000,200,500,300,100,300\n";

const SURVEY: &str = r#"{"format":1,"kind":"survey","languages":["en"],"title":{"en":"Results test"},
 "pages":[{"key":"p1","questions":[
  {"key":"neighborhood","type":"area","text":{"en":"Where do you live?"}},
  {"key":"safety","type":"rating","min":1,"max":5,"dont_know":{"en":"Don't know"},"text":{"en":"How safe?"}},
  {"key":"more_buses","type":"single_choice","options":[{"key":"yes","label":{"en":"Yes"}},{"key":"no","label":{"en":"No"}}],"text":{"en":"More buses?"}},
  {"key":"recommend","type":"nps","text":{"en":"Recommend?"}},
  {"key":"years","type":"number","min":0,"max":100,"text":{"en":"Years here?"}},
  {"key":"comments","type":"long_text","text":{"en":"Anything else?"}},
  {"key":"demographics","type":"demographics","items":["age_band","housing_tenure"],"text":{"en":"About you"}}]}]}"#;

/// (area, safety, tenure, more buses, NPS, years, age band); a1 and a2 come through the open
/// link, the rest are paper forms typed in by staff.
type Known = (&'static str, Option<i32>, &'static str, &'static str, Option<i32>, Option<i32>, Option<&'static str>);

const RESPONSES: [Known; 12] = [
    ("a", Some(5), "own", "yes", Some(10), Some(10), Some("25_34")),
    ("a", Some(5), "own", "yes", Some(9), Some(20), Some("25_34")),
    ("a", Some(4), "own", "no", Some(8), Some(30), Some("25_34")),
    ("a", Some(4), "own", "no", Some(3), None, Some("25_34")),
    ("a", Some(3), "own", "no", None, None, None),
    ("a", Some(2), "own", "no", None, None, None),
    ("a", Some(1), "rent", "no", None, None, None),
    ("a", None, "rent", "no", None, None, None),
    ("b", Some(2), "own", "yes", Some(0), None, None),
    ("b", Some(2), "rent", "yes", None, None, None),
    ("b", Some(1), "rent", "yes", None, None, None),
    ("b", None, "rent", "no", None, None, None),
];

/// Two areas, twelve known responses; returns the app, the survey and a designer.
pub(crate) async fn arrange(engine: Engine) -> (TestApp, i64, Client) {
    let app = TestApp::spawn(engine).await;
    let boundaries = areas::read_boundary_file(TWO_AREAS.into(), Default::default()).await.expect("valid");
    let set = areas::NewAreaSet::parse("two", "Two", "").expect("set");
    areas::import_boundaries(app.db(), None, set, boundaries).await.expect("import");
    let file = areas::PopulationFile::Table { year: Some(2020) };
    areas::import_population(app.db(), None, "two", file, POPULATION, "test").await.expect("population");
    let survey = crate::responses::published(&app, SURVEY).await;
    let staff = app.signed_in_as("designer").await;
    let resident = app.client();
    for (i, (area, safety, tenure, buses, nps, years, age)) in RESPONSES.iter().enumerate() {
        let mut demographics = json!({ "housing_tenure": [tenure] });
        if let Some(age) = age {
            demographics["age_band"] = json!([age]);
        }
        let mut answers = json!({
            "neighborhood": area,
            "safety": safety.map_or(json!("dont_know"), |s| json!(s)),
            "more_buses": buses,
            "demographics": demographics,
            "comments": format!("=cmd|' /C calc'!A{i}"),
        });
        if let Some(nps) = nps {
            answers["recommend"] = json!(nps);
        }
        if let Some(years) = years {
            answers["years"] = json!(years);
        }
        let (client, channel) = if i < 2 { (&resident, "open") } else { (&staff, "paper") };
        let body = json!({ "submission_id": format!("results-test-{i:04}"), "answers": answers, "channel": channel });
        let stored = client.api(survey.id, &body).await;
        assert_eq!(stored.status(), StatusCode::CREATED, "response {i}: {}", stored.text().await.unwrap_or_default());
    }
    (app, survey.id, staff)
}

impl Client {
    pub(crate) async fn results(&self, survey: i64, path: &str) -> (StatusCode, Value) {
        let response =
            self.http.get(format!("{}/api/v1/surveys/{survey}/{path}", self.base)).send().await.expect("get");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn text(&self, survey: i64, path: &str) -> (StatusCode, String) {
        let response =
            self.http.get(format!("{}/api/v1/surveys/{survey}/{path}", self.base)).send().await.expect("get");
        (response.status(), response.text().await.unwrap_or_default())
    }
}

fn close(actual: &Value, expected: f64) -> bool {
    actual.as_f64().is_some_and(|a| (a - expected).abs() < 1e-4)
}

#[track_caller]
fn assert_close(actual: &Value, expected: f64, what: &str) {
    assert!(close(actual, expected), "{what}: {actual} ≠ {expected}");
}

fn part<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["questions"].as_array().and_then(|q| q.iter().find(|p| p["key"] == key)).expect(key)
}

fn option<'a>(group: &'a Value, key: &str) -> &'a Value {
    group["options"].as_array().and_then(|o| o.iter().find(|x| x["key"] == key)).expect(key)
}

async fn every_figure_of_the_results_matches_the_hand_computation(engine: Engine) {
    let (_app, survey, staff) = arrange(engine).await;
    let (status, body) = staff.results(survey, "results").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["source"], "tallies");
    assert_eq!(body["area_set"], "two");
    let report = &body["report"];
    assert_eq!(report["respondents"], 12);

    // Participation: a has 8 of 12 responses (66.7%) for 50% of adult residents (800 of
    // 1,600: both tables have under-18s), b 4 (33.3%).
    let (a, b) = (&report["participation"][0], &report["participation"][1]);
    assert_eq!((a["responses"].as_u64(), b["responses"].as_u64()), (Some(8), Some(4)));
    assert_eq!(report["summary"]["compared_with"], "adults");
    assert_close(&a["population"], 800.0, "a's adults");
    assert_close(&a["per_thousand_residents"], 10.0, "a per 1,000 adults");
    assert_close(&a["representation_ratio"]["value"], 4.0 / 3.0, "a ratio");
    // Wilson(8/12, 12) = 0.39062 to 0.86188, ÷ 0.5.
    assert_close(&a["representation_ratio"]["low"], 0.781_244, "a ratio low");
    assert_close(&a["representation_ratio"]["high"], 1.723_760, "a ratio high");
    // Both intervals reach past a threshold (0.8 and 1.25): too few responses to tell.
    assert_eq!(
        (a["representation"].as_str(), b["representation"].as_str()),
        (Some("too_few_to_tell"), Some("too_few_to_tell"))
    );
    // b needs x with (4 + x) / (12 + x) = 0.5: x = 4.
    assert_eq!(b["responses_needed"], 4);
    let summary = &report["summary"];
    assert_close(&summary["dissimilarity_index"], 1.0 / 6.0, "D = ½(|2/3 − ½| + |1/3 − ½|)");
    assert_close(&summary["lowest_to_highest_rate"], 0.5, "4 per 1,000 ÷ 8 per 1,000");
    assert_eq!(
        (summary["areas_under"].as_u64(), summary["areas_over"].as_u64(), summary["areas_too_few_to_tell"].as_u64()),
        (Some(0), Some(0), Some(2))
    );

    // Respondents vs residents: 4 of the 4 who gave an age are 18–64, against 1,100 of 1,600
    // adult residents; 8 did not say. Owners: 7 of 12 against 400 of 800.
    let age = report["demographics"].as_array().and_then(|d| d.iter().find(|x| x["dimension"] == "age")).expect("age");
    assert_eq!(age["unknown"], 8);
    assert_close(&age["groups"][0]["respondent_share"], 1.0, "18–64 among respondents");
    assert_close(&age["groups"][0]["population_share"], 0.6875, "18–64 among adults");
    let tenure =
        report["demographics"].as_array().and_then(|d| d.iter().find(|x| x["dimension"] == "tenure")).expect("t");
    assert_close(&tenure["groups"][0]["respondent_share"], 7.0 / 12.0, "owners");
    assert_close(&report["demographics_by_area"]["b"][1]["groups"][1]["respondent_share"], 0.75, "renters in b");

    // Safety in a: 5,5,4,4,3,2,1 and one don't know → base 7, mean 24/7, top-2-box 4/7 with
    // Wilson 0.25046 to 0.84178.
    let safety = part(report, "safety");
    let safety_a = &safety["groups"][0];
    assert_eq!(
        (safety_a["answered"].as_u64(), safety_a["base"].as_u64(), safety_a["dont_know"].as_u64()),
        (Some(8), Some(7), Some(1))
    );
    assert_close(&safety_a["mean"]["value"], 24.0 / 7.0, "mean");
    assert_close(&safety_a["top_two_box"]["value"], 4.0 / 7.0, "top-2-box");
    assert_close(&safety_a["top_two_box"]["low"], 0.250_458, "top-2-box low");
    assert_close(&safety_a["top_two_box"]["high"], 0.841_780, "top-2-box high");
    assert_eq!(option(safety_a, "5")["count"], 2);
    assert_close(&safety["groups"][1]["mean"]["value"], 5.0 / 3.0, "b: 2, 2, 1");
    assert_close(&safety["citywide"]["top_two_box"]["value"], 0.4, "4 of 10");

    // More buses: a 2 yes of 8, b 3 of 4. Chi-square on [[2, 6], [3, 1]]: expected 3.33, 4.67,
    // 1.67, 2.33; X² = 2.742857, df 1, p = erfc(√(X²/2)) = 0.097690; expected counts are small.
    let buses = part(report, "more_buses");
    assert_close(&option(&buses["groups"][0], "yes")["share"]["value"], 0.25, "a yes");
    assert_close(&option(&buses["groups"][0], "yes")["share"]["low"], 0.071_479, "a yes low");
    assert_close(&option(&buses["groups"][1], "yes")["share"]["high"], 0.954_413, "b yes high");
    let test = &buses["differences"];
    assert_close(&test["statistic"], 2.742_857, "X²");
    assert_eq!(test["degrees_of_freedom"], 1);
    assert_close(&test["p_value"], 0.097_690, "p");
    assert_eq!(test["small_expected_warning"], true);
    assert_eq!(buses["largest_gap"], Value::Null, "no area has 30 answers");

    // NPS: 10, 9, 8, 3 in a and 0 in b → 2 promoters, 2 detractors of 5: NPS 0, se = √(0.8/5)
    // = 0.4, half-width 78.4.
    let nps = &part(report, "recommend")["citywide"];
    assert_close(&nps["net_promoter_score"]["value"], 0.0, "NPS");
    assert_close(&nps["net_promoter_score"]["high"], 78.398_559, "NPS high: 1.959964 × 40");
    // Years: 10, 20, 30: mean 20, s = 10, t(0.975, 2) = 4.302653: half-width 24.841377.
    let years = &part(report, "years")["citywide"];
    assert_close(&years["mean"]["value"], 20.0, "mean years");
    assert_close(&years["mean"]["high"], 44.841_377, "mean years high");
    assert!(report["questions"].as_array().expect("parts").iter().all(|p| p["key"] != "comments"), "no free text");
}

async fn weighting_by_tenure_moves_the_estimates_and_reports_the_effective_n(engine: Engine) {
    let (_app, survey, staff) = arrange(engine).await;
    let (status, body) = staff.results(survey, "results?weight=tenure&cap=none").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // 7 owners and 5 renters raked to half and half: owners 6/7, renters 6/5 (mean 1).
    // n_eff = 12² / (7·(6/7)² + 5·(6/5)²) = 144 / 12.342857 = 11.6667; design effect 1.028571.
    let weighting = &body["report"]["weighting"];
    assert_eq!(weighting["converged"], true);
    assert_close(&weighting["effective_n"], 11.666_667, "n_eff");
    assert_close(&weighting["design_effect"], 1.028_571, "deff");
    assert_close(&weighting["smallest_weight"], 6.0 / 7.0, "owners");
    assert_close(&weighting["largest_weight"], 1.2, "renters");
    // Yes: 3 owners and 2 renters: (3·6/7 + 2·6/5) / 12 = 0.414286 (unweighted 5/12), with
    // Wilson on n_eff: 0.189433 to 0.681602.
    let buses = part(&body["report"], "more_buses");
    let yes = option(&buses["citywide"], "yes");
    assert_close(&yes["share"]["value"], 0.414_286, "weighted yes");
    assert_close(&yes["share"]["low"], 0.189_433, "weighted yes low");
    assert_eq!(yes["count"], 5, "the count stays the number of people");
    assert_close(&buses["citywide"]["effective_base"], 11.666_667, "effective base");
    // In a: 2 owners of 6 owners and 2 renters: 2·6/7 / (6·6/7 + 2·6/5) = 0.227273.
    assert_close(&option(&buses["groups"][0], "yes")["share"]["value"], 0.227_273, "a weighted yes");
}

async fn filters_cross_tabs_and_the_tallies_agree_with_the_responses(engine: Engine) {
    let (app, survey, staff) = arrange(engine).await;
    let (_, tallied) = staff.results(survey, "results").await;
    // A date range that holds every response reads the responses instead of the tallies, and
    // must give the same figures.
    let (_, read) = staff.results(survey, "results?from=2000-01-01").await;
    assert_eq!(read["source"], "responses");
    assert_eq!(read["report"], tallied["report"], "tallies and responses agree");
    let (_, none) = staff.results(survey, "results?to=2000-01-01").await;
    assert_eq!(none["report"]["respondents"], 0);
    let (_, one) = staff.results(survey, "results?question=safety").await;
    let keys: Vec<&Value> = one["report"]["questions"].as_array().expect("parts").iter().map(|p| &p["key"]).collect();
    assert_eq!(keys, [&json!("safety")], "one question asked, one given");
    assert_eq!(part(&one["report"], "safety"), part(&tallied["report"], "safety"), "the same figures");
    assert_eq!(one["report"]["participation"], tallied["report"]["participation"]);
    let (_, open) = staff.results(survey, "results?channel=open").await;
    assert_eq!(open["report"]["respondents"], 2);
    let (_, renters) = staff.results(survey, "results?group=demographics.housing_tenure:rent").await;
    assert_eq!(renters["report"]["respondents"], 5);
    // Cross-tab by more buses: yes 5 (5, 5, 2, 2, 1), no 7 (4, 4, 3, 2, 1 and two don't know).
    let (status, cross) = staff.results(survey, "results?by=more_buses").await;
    assert_eq!(status, StatusCode::OK, "{cross}");
    let safety = part(&cross["report"], "safety");
    assert_eq!(safety["groups"][0]["label"], "Yes");
    assert_close(&safety["groups"][0]["top_two_box"]["value"], 0.4, "yes: 2 of 5");
    assert_eq!(safety["groups"][1]["dont_know"], 2);
    // Recounting from the responses changes nothing.
    let counted = canvass_app::services::results::recount(app.db(), survey).await.expect("recount");
    assert_eq!(counted, 12);
    let (_, again) = staff.results(survey, "results").await;
    assert_eq!(again["report"], tallied["report"]);
}

/// Publishes the survey's results as a designer would (threshold 5).
pub(crate) async fn publish(app: &TestApp, survey: i64) {
    canvass_app::services::results::publication::publish(app.db(), None, survey, 5).await.expect("published");
}

async fn published_results_withhold_every_small_count(engine: Engine) {
    let (app, survey, staff) = arrange(engine).await;
    let (status, body) = staff.results(survey, "results/public").await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing to serve before the first publication: {body}");
    assert_eq!(body["error"], "not_published");
    publish(&app, survey).await;
    let (status, body) = staff.results(survey, "results/public").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // b's 4 responses are withheld, and a's 8 with them (12 − 8 would give b away).
    assert_eq!(body["report"]["participation"][1]["responses"], Value::Null);
    assert_eq!(body["report"]["participation"][0]["responses"], Value::Null);
    let mut counts = Vec::new();
    collect_counts(&body, &mut counts);
    assert!(!counts.is_empty());
    assert!(counts.iter().all(|c| *c == 0 || *c >= 5), "a published count under 5: {counts:?}");
    let (status, csv) = staff.text(survey, "results/public.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("withheld"));
    for line in csv.lines().filter(|l| l.contains(",count,") || l.contains(",responses,") || l.contains(",answered,")) {
        let value = line.split(',').nth(8).unwrap_or_default();
        assert!(value.is_empty() || value == "0" || value.parse::<u64>().is_ok_and(|v| v >= 5), "{line}");
    }
}

/// Two public files that differ by a filter differ by the respondents it leaves out (a day, a
/// channel, a group): the published files take no filters at all (issue 14, differencing).
async fn published_results_take_no_filters_so_they_cannot_be_differenced(engine: Engine) {
    let (app, survey, staff) = arrange(engine).await;
    publish(&app, survey).await;
    let filters = [
        ("from=2026-01-01", "from"),
        ("to=2099-12-31", "to"),
        ("channel=paper", "channel"),
        ("group=more_buses:yes", "group"),
        ("by=more_buses", "by"),
        ("weight=tenure", "weight"),
    ];
    for route in ["results/public", "results/public.csv", "results/public.geojson"] {
        for (query, parameter) in filters {
            let (status, body) = staff.results(survey, &format!("{route}?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{route}?{query}: {body}");
            assert_eq!(body["field"], parameter, "{route}?{query}: {body}");
            assert_eq!(body["error"], "filter_not_public", "{route}?{query}: {body}");
        }
        let (status, _) = staff.text(survey, &format!("{route}?question=safety")).await;
        assert_eq!(status, StatusCode::OK, "{route}: choosing questions is still allowed");
    }
    let (status, _) = staff.results(survey, "results?channel=paper&by=more_buses").await;
    assert_eq!(status, StatusCode::OK, "staff results keep every filter");
}

/// Mechanism 5 of issue 14: the public outputs were read live from the tallies, so two visits
/// minutes apart gave away whoever answered in between. Now they serve the publication, which
/// moves only when staff publish again; earlier publications stay on record.
async fn public_results_do_not_move_until_staff_publish_again(engine: Engine) {
    let (app, survey, staff) = arrange(engine).await;
    publish(&app, survey).await;
    let (_, before) = staff.results(survey, "results/public").await;
    let resident = app.client();
    for i in 0..3 {
        let answers = json!({ "neighborhood": "a", "safety": 5, "more_buses": "yes", "demographics": {"housing_tenure": ["own"]} });
        let body = json!({ "submission_id": format!("later-{i:04}"), "answers": answers });
        let stored = resident.api(survey, &body).await;
        assert_eq!(stored.status(), StatusCode::CREATED, "{}", stored.text().await.unwrap_or_default());
    }
    let (_, after) = staff.results(survey, "results/public").await;
    assert_eq!(before["report"], after["report"], "three new responses, the same public figures");
    publish(&app, survey).await;
    let (_, again) = staff.results(survey, "results/public").await;
    assert_eq!(again["report"]["respondents"], 15);
    let listed = canvass_app::services::results::publication::publications(app.db(), survey).await.expect("list");
    assert_eq!(listed.len(), 2, "both publications on record");
    assert_eq!(listed[0].respondents, Some(15));
    assert_eq!(listed[1].respondents, Some(12));
}

/// Every number under a key that counts people.
pub(crate) fn collect_counts(value: &Value, out: &mut Vec<u64>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if ["count", "answered", "responses", "respondents", "dont_know"].contains(&key.as_str())
                    && let Some(n) = v.as_u64()
                {
                    out.push(n);
                }
                collect_counts(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_counts(v, out)),
        _ => {}
    }
}

async fn exports_open_as_spreadsheets_with_weights_and_free_text_only_for_analysts(engine: Engine) {
    let (app, survey, designer) = arrange(engine).await;
    let (status, csv) = designer.text(survey, "responses.csv?weight=tenure&cap=none").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    assert_eq!(&header[..6], ["response", "submitted_at", "channel", "language", "area", "weight"]);
    assert!(header.contains(&"more_buses".to_owned()) && header.contains(&"demographics.housing_tenure".to_owned()));
    assert!(!header.contains(&"comments".to_owned()), "designers get no free text");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 12);
    let tenure = header.iter().position(|h| h == "demographics.housing_tenure").expect("column");
    for row in &rows {
        // RFC 3339 in UTC to the second, the same on both engines.
        let at = &row[1];
        assert!(at.len() == 20 && at.as_bytes()[10] == b'T' && at.ends_with('Z'), "submitted_at {at}");
        assert!(time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).is_ok(), "{at}");
        let expected = if &row[tenure] == "own" { 6.0 / 7.0 } else { 1.2 };
        assert!((row[5].parse::<f64>().expect("weight") - expected).abs() < 1e-5, "{row:?}");
    }
    // A browser asks for a compressed download; the whole file must arrive.
    let compressed = designer
        .http
        .get(format!("{}/api/v1/surveys/{survey}/responses.csv?weight=tenure", designer.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("get");
    assert_eq!(compressed.headers().get("content-encoding").map(|v| v.as_bytes()), Some(&b"gzip"[..]));
    let bytes = compressed.bytes().await.expect("the whole compressed file");
    assert!(bytes.len() > 100, "{} bytes", bytes.len());
    let analyst = app.signed_in_as("analyst").await;
    let (_, with_text) = analyst.text(survey, "responses.csv").await;
    assert!(with_text.contains("comments"));
    assert!(with_text.contains("'=cmd|"), "a formula in free text is defused");
    assert!(!with_text.contains(",=cmd|"));
    let (status, results_csv) = analyst.text(survey, "results.csv").await;
    assert_eq!(status, StatusCode::OK);
    let line = results_csv.lines().find(|l| l.starts_with("answers,safety,How safe?,a,a,,,top_two_box,"));
    assert!(line.is_some_and(|l| l.contains(",57.1429,25.0458,84.1780")), "{line:?}");
}

async fn strangers_and_bad_requests_get_clear_errors(engine: Engine) {
    let (app, survey, staff) = arrange(engine).await;
    let (status, body) = app.client().results(survey, "results").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let (status, _) = app.client().text(survey, "responses.csv").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for (query, parameter) in [
        ("weight=income", "weight"),
        ("cap=0", "cap"),
        ("channel=email", "channel"),
        ("from=2026-13-01", "from"),
        ("group=more_buses:maybe", "group"),
        ("group=nothing:yes", "group"),
        ("by=comments", "by"),
        ("under=2", "under"),
        ("colour=blue", "colour"),
        ("question=nothing", "question"),
    ] {
        let (status, body) = staff.results(survey, &format!("results?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["field"], parameter, "{query}: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, _) = staff.results(survey + 100, "results").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = staff.results(survey, "results?weight=age").await;
    assert_eq!(status, StatusCode::OK, "age has population figures");
}

async fn a_duplicated_survey_is_compared_with_its_earlier_wave(engine: Engine) {
    let (app, survey, staff) = arrange(engine).await;
    let copy = canvass_app::services::surveys::duplicate(app.db(), None, survey).await.expect("duplicate");
    canvass_app::services::surveys::change_status(
        app.db(),
        None,
        copy.id,
        canvass_app::domain::survey::lifecycle::Action::Publish,
    )
    .await
    .expect("publish the new wave");
    for i in 0..4 {
        let answers = json!({ "neighborhood": "b", "safety": 5, "more_buses": "yes", "demographics": { "housing_tenure": ["rent"] } });
        let body = json!({ "submission_id": format!("wave-two-{i:04}"), "answers": answers, "channel": "paper" });
        assert_eq!(staff.api(copy.id, &body).await.status(), StatusCode::CREATED);
    }
    let (status, body) = staff.results(copy.id, "results/waves").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["waves"].as_array().map(Vec::len), Some(2));
    assert_eq!(body["waves"][0][0], survey, "oldest first");
    let question =
        |key: &str| body["questions"].as_array().and_then(|q| q.iter().find(|c| c["key"] == key)).expect(key);
    // Safety top-2-box: 4 of 10 in the first wave, 4 of 4 in the second: +0.6, clearly.
    let safety = question("safety");
    assert_close(&safety["waves"][0]["value"]["value"], 0.4, "first wave");
    assert_close(&safety["waves"][1]["value"]["value"], 1.0, "second wave");
    assert_close(&safety["change"]["value"], 0.6, "change");
    assert_eq!(safety["clear_change"], true);
    // More buses: the second wave's most common answer is yes: 5 of 12, then 4 of 4.
    let buses = question("more_buses");
    assert_eq!(buses["option"], "yes");
    assert_close(&buses["change"]["value"], 1.0 - 5.0 / 12.0, "change in yes");
    let (status, alone) = staff.results(survey, "results/waves").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(alone["questions"], json!([]), "a first wave has nothing to compare with");
}

/// Domain estimation: a group keeps the weights of the whole sample, and those are the weights
/// the microdata export writes, so a spreadsheet reproduces the dashboard's weighted figure.
async fn a_groups_weighted_figures_come_from_the_microdatas_weights(engine: Engine) {
    let (_app, survey, designer) = arrange(engine).await;
    let weighting = "weight=area&cap=none";
    let (status, body) = designer.results(survey, &format!("results?{weighting}&group=more_buses:yes")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tenure = part(&body["report"], "demographics.housing_tenure");
    let dashboard = option(&tenure["citywide"], "own")["share"]["value"].as_f64().expect("a share");
    assert_eq!(body["report"]["weighting"]["respondents"], 12.0, "weights from the whole sample");

    let (status, csv) = designer.text(survey, &format!("responses.csv?{weighting}")).await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (buses, tenure, weight) = (column("more_buses"), column("demographics.housing_tenure"), column("weight"));
    let (mut own, mut all) = (0.0, 0.0);
    for row in reader.records().map(|r| r.expect("row")) {
        if &row[buses] == "yes" {
            let w: f64 = row[weight].parse().expect("a weight");
            all += w;
            if &row[tenure] == "own" {
                own += w;
            }
        }
    }
    // Adults 800 and 800; a has 8 of 12 responses, b 4: weights 0.75 and 1.5. Saying yes: two
    // owners in a, one owner and two renters in b: (2 × 0.75 + 1.5) / (2 × 0.75 + 3 × 1.5).
    assert!((own / all - 3.0 / 6.0).abs() < 1e-9, "{own} / {all}");
    assert!((dashboard - own / all).abs() < 1e-6, "dashboard {dashboard}, spreadsheet {}", own / all);
}

/// The receipt of the last response stored (b, "don't know" on safety, renter, no buses).
async fn last_receipt(app: &TestApp, survey: i64) -> String {
    use canvass_app::db::entities::response;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let last = response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey))
        .order_by_desc(response::Column::Id)
        .one(app.db())
        .await
        .expect("read")
        .expect("a response");
    last.receipt.expect("a receipt")
}

/// Issue 17, item 14: a response found to be spam (or a resident's erasure request) leaves
/// every result at once, audited, and the tallies still agree with the responses.
async fn an_excluded_response_leaves_the_results_and_the_tallies_still_agree(engine: Engine) {
    use canvass_app::error::AppError;
    use canvass_app::services::responses::exclude;
    use canvass_app::services::results::check;
    let (app, survey, staff) = arrange(engine).await;
    let db = app.db();
    let before = check(db, survey).await.expect("a check");
    assert_eq!((before.responses, before.disagreements.len()), (12, 0), "{before:?}");
    let receipt = last_receipt(&app, survey).await;

    for (typed, reason, field) in [
        ("nonsense", "spam", "receipt"),
        ("ZZZZ-ZZZZ", "spam", "receipt"),
        ("  ", "spam", "receipt"),
        (receipt.as_str(), "  ", "reason"),
    ] {
        match exclude(db, None, survey, typed, reason, false).await {
            Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field, "{typed} / {reason:?}"),
            other => panic!("{typed} / {reason:?}: {other:?}"),
        }
    }
    assert!(matches!(exclude(db, None, survey + 100, &receipt, "spam", false).await, Err(AppError::NotFound)));
    assert_eq!(check(db, survey).await.expect("check").responses, 12, "a refusal changes nothing");

    // Typed as a person would: lower case, with its dash.
    let typed = format!("{}-{}", &receipt[..4], &receipt[4..]).to_lowercase();
    let done = exclude(db, None, survey, &typed, "a resident asked for it to be erased", true).await.expect("excluded");
    assert!(done.erased);
    let (status, body) = staff.results(survey, "results").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["report"]["respondents"], 11);
    assert_eq!(body["report"]["participation"][1]["responses"], 3, "b had 4");
    let after = check(db, survey).await.expect("a check");
    assert_eq!((after.responses, after.disagreements.len()), (11, 0), "{after:?}");
    assert!(matches!(exclude(db, None, survey, &receipt, "again", false).await, Err(AppError::Conflict { .. })));
    let event = canvass_app::db::audit::recent(db, 1).await.expect("audit").remove(0);
    assert_eq!(event.action, "response.exclude");
    assert!(event.detail.contains("a resident asked for it to be erased"), "{}", event.detail);

    // A tally changed by hand (or a backup restored without its responses) is found.
    let survey_row = canvass_app::db::surveys::find(db, survey).await.expect("read").expect("survey");
    let definition = canvass_app::db::surveys::definition_of(&survey_row).expect("definition");
    let mut stray = canvass_app::domain::analytics::tally::Tally::default();
    let answers = canvass_app::domain::survey::answers::Answers::default();
    stray.add(canvass_app::domain::analytics::tally::ResponseTally::of(&definition, Some("a"), "open", &answers));
    canvass_app::db::tallies::add(db, survey, &stray).await.expect("a stray tally");
    let broken = check(db, survey).await.expect("a check");
    assert!(!broken.disagreements.is_empty(), "{broken:?}");

    // The command line: the check fails and names the fix; exclude refuses what is already out.
    let url = &app.database.url;
    let checked = crate::cli::canvass(&["survey", "check", &survey.to_string()], url, None);
    assert!(!checked.status.success());
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(said.contains("disagree") && said.contains(&format!("canvass survey recount {survey}")), "{said}");
    assert!(crate::cli::canvass(&["survey", "recount", &survey.to_string()], url, None).status.success());
    let checked = crate::cli::canvass(&["survey", "check", &survey.to_string()], url, None);
    assert!(String::from_utf8_lossy(&checked.stdout).contains("agree with the 11 complete responses"));
    let again = crate::cli::canvass(
        &["response", "exclude", "--survey", &survey.to_string(), "--receipt", &receipt, "--reason", "again"],
        url,
        None,
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already excluded"));
    let unknown = crate::cli::canvass(&["survey", "check", "999"], url, None);
    assert!(!unknown.status.success() && String::from_utf8_lossy(&unknown.stderr).contains("there is no survey 999"));
    let nowhere = crate::cli::canvass(
        &["response", "exclude", "--survey", "999", "--receipt", &receipt, "--reason", "x"],
        url,
        None,
    );
    assert!(!nowhere.status.success() && String::from_utf8_lossy(&nowhere.stderr).contains("there is no survey 999"));
    let no_reason = crate::cli::canvass(
        &["response", "exclude", "--survey", &survey.to_string(), "--receipt", &receipt],
        url,
        None,
    );
    assert!(!no_reason.status.success(), "--reason is required");
    assert!(
        crate::cli::canvass(&["survey", "check", &survey.to_string()], url, None).status.success(),
        "nothing changed"
    );
}

crate::both_engines!(
    a_duplicated_survey_is_compared_with_its_earlier_wave,
    every_figure_of_the_results_matches_the_hand_computation,
    weighting_by_tenure_moves_the_estimates_and_reports_the_effective_n,
    filters_cross_tabs_and_the_tallies_agree_with_the_responses,
    published_results_withhold_every_small_count,
    published_results_take_no_filters_so_they_cannot_be_differenced,
    public_results_do_not_move_until_staff_publish_again,
    exports_open_as_spreadsheets_with_weights_and_free_text_only_for_analysts,
    strangers_and_bad_requests_get_clear_errors,
    a_groups_weighted_figures_come_from_the_microdatas_weights,
    an_excluded_response_leaves_the_results_and_the_tallies_still_agree,
);

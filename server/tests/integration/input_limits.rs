//! What a stranger can type, kept within bounds (issue 15, items 9 and 10): an area answer must
//! be one of the set's areas, a number answer must be a sensible number, one unusable stored sum
//! takes out one question's averages and never the survey's results, and every CSV file defuses
//! cells a spreadsheet would run as formulas.

use canvass_app::domain::geography::boundaries::BoundaryOptions;
use canvass_app::services::{areas, invites, results::publication};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::responses::{complete_count, location, published};
use crate::support::{Engine, TestApp};

/// Two areas; the first's id and name look like formulas (ids and names come from the city's
/// boundary file, as typed by whoever made it).
const AREAS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"=2+5","name":"@SUM(1)"},"geometry":{"type":"Polygon","coordinates":[[[-80.9,35.2],[-80.8,35.2],[-80.8,35.3],[-80.9,35.3],[-80.9,35.2]]]}},
 {"type":"Feature","properties":{"id":"b","name":"Beta"},"geometry":{"type":"Polygon","coordinates":[[[-80.8,35.2],[-80.7,35.2],[-80.7,35.3],[-80.8,35.3],[-80.8,35.2]]]}}]}"#;

/// One page: the area, a number without bounds (the editor's default), a rating, a choice whose
/// wording and label look like formulas, and a comment.
const SURVEY: &str = r#"{"format":1,"kind":"survey","languages":["en"],"title":{"en":"Limits"},
 "pages":[{"key":"p1","questions":[
  {"key":"neighborhood","type":"area","required":true,"text":{"en":"Where do you live?"}},
  {"key":"years","type":"number","text":{"en":"Years here?"}},
  {"key":"safety","type":"rating","min":1,"max":5,"text":{"en":"How safe?"}},
  {"key":"potholes","type":"single_choice","text":{"en":"=HYPERLINK(\"http://x\",\"Potholes?\")"},
   "options":[{"key":"worse","label":{"en":"-1 for potholes"}},{"key":"same","label":{"en":"Same"}}]},
  {"key":"comments","type":"long_text","text":{"en":"Anything else?"}}]}]}"#;

async fn arrange(engine: Engine) -> (TestApp, crate::responses::Published) {
    let app = TestApp::spawn(engine).await;
    let options = BoundaryOptions { name_property: Some("name".into()), ..Default::default() };
    let boundaries = areas::read_boundary_file(AREAS.into(), options).await.expect("valid");
    let set = areas::NewAreaSet::parse("wards", "Wards", "").expect("set");
    areas::import_boundaries(app.db(), None, set, boundaries).await.expect("import");
    let survey = published(&app, SURVEY).await;
    (app, survey)
}

fn body(id: &str, answers: Value) -> Value {
    json!({ "submission_id": format!("limits-{id}"), "answers": answers })
}

/// The one problem of a refused response: (question, key).
async fn problem(response: reqwest::Response) -> (String, String) {
    let body: Value = response.json().await.expect("an error body");
    assert_eq!(body["error"], "answers_invalid", "{body}");
    let problems = body["problems"].as_array().cloned().unwrap_or_default();
    assert_eq!(problems.len(), 1, "{body}");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    (text(&problems[0]["question"]), text(&problems[0]["key"]))
}

async fn an_area_that_is_not_in_the_set_is_refused_through_the_api_and_the_form(engine: Engine) {
    let (app, survey) = arrange(engine).await;

    // The JSON API: any 64 characters used to be stored, tallied and exported as sent.
    let resident = app.client();
    let unknown = resident.api(survey.id, &body("api-0001", json!({"neighborhood": "=HYPERLINK(\"http://x\")"}))).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(unknown).await, ("neighborhood".to_owned(), "area_unknown".to_owned()));
    assert_eq!(complete_count(&app, survey.id).await, 0, "nothing stored");
    let known = resident.api(survey.id, &body("api-0002", json!({"neighborhood": "b", "years": 3}))).await;
    assert_eq!(known.status(), StatusCode::CREATED);

    // The resident's form: back to the page, with the problem and everything typed kept.
    let neighbour = app.client();
    let fields: Vec<(String, String)> =
        [("neighborhood", "nowhere"), ("years", "12")].map(|(n, v)| (n.to_owned(), v.to_owned())).to_vec();
    let refused = neighbour.post_page(&survey.key, 0, "next", &fields).await;
    assert_eq!(location(&refused), format!("/s/{}?page=0&check=1#problems", survey.key));
    assert_eq!(complete_count(&app, survey.id).await, 1, "nothing more stored");
    let html = neighbour.page(&format!("/s/{}?page=0&check=1", survey.key)).await.text().await.expect("html");
    assert!(html.contains("Choose your area from the list."), "the resident is told what is wrong");
    assert!(html.contains(r#"value="12""#), "what was typed is kept");
    let fixed = [("neighborhood".to_owned(), "b".to_owned())];
    let stored = neighbour.post_page(&survey.key, 0, "next", &fixed).await;
    assert!(location(&stored).contains("/thanks?receipt="), "{}", location(&stored));
    assert_eq!(complete_count(&app, survey.id).await, 2);
}

async fn an_absurd_number_is_refused_with_the_questions_range(engine: Engine) {
    let (app, survey) = arrange(engine).await;
    let resident = app.client();
    for (n, absurd) in [json!(1e200), json!("1e200"), json!(-2e9)].into_iter().enumerate() {
        let refused =
            resident.api(survey.id, &body(&format!("big-{n:04}"), json!({"neighborhood": "b", "years": absurd}))).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{absurd}");
        assert_eq!(problem(refused).await, ("years".to_owned(), "number_out_of_range".to_owned()), "{absurd}");
    }
    for (n, strange) in ["NaN", "inf", "-Infinity"].into_iter().enumerate() {
        let refused = resident
            .api(survey.id, &body(&format!("odd-{n:04}"), json!({"neighborhood": "b", "years": strange})))
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{strange}");
        assert_eq!(problem(refused).await, ("years".to_owned(), "answer_invalid".to_owned()), "{strange}");
    }
    assert_eq!(complete_count(&app, survey.id).await, 0, "nothing stored");
    let ordinary = resident.api(survey.id, &body("ordinary", json!({"neighborhood": "b", "years": -3.5}))).await;
    assert_eq!(ordinary.status(), StatusCode::CREATED, "a plain negative number is a number");
}

async fn results_still_answer_when_one_questions_stored_sum_is_unusable(engine: Engine) {
    let (app, survey) = arrange(engine).await;
    let resident = app.client();
    for (n, (years, safety)) in [(10, 4), (20, 2)].into_iter().enumerate() {
        let answers = json!({"neighborhood": "b", "years": years, "safety": safety});
        assert_eq!(resident.api(survey.id, &body(&format!("sum-{n:04}"), answers)).await.status(), 201);
    }
    // What a database holds after an answer of 1e200 was accepted: its square summed to
    // infinity (PostgreSQL keeps `Infinity`; SQLite reads 9e999 as `Inf`).
    let infinity = if engine == Engine::Postgres { "'Infinity'::float8" } else { "9e999" };
    for table in ["tally_by_area", "tally_by_cell"] {
        app.db()
            .execute_unprepared(&format!(
                "UPDATE {table} SET value_sum_squares = {infinity} WHERE survey_id = {} AND question_key = 'years'",
                survey.id
            ))
            .await
            .expect("an unusable sum");
    }
    let analyst = app.signed_in_as("analyst").await;

    let (status, results) = analyst.results(survey.id, "results").await;

    assert_eq!(status, StatusCode::OK, "{results}");
    let part =
        |key: &str| results["report"]["questions"].as_array().and_then(|q| q.iter().find(|p| p["key"] == key)).cloned();
    let years = part("years").expect("the question is still listed");
    assert!(years["unavailable"].as_str().is_some_and(|r| r.contains("not a finite number")), "{years}");
    assert_eq!(years["citywide"]["mean"], Value::Null);
    assert_eq!(years["citywide"]["answered"], 2, "its counts stand");
    let safety = part("safety").expect("another question");
    assert_eq!(safety["citywide"]["mean"]["value"], 3.0, "the other questions are untouched");
    assert!(safety.get("unavailable").is_none());
    let (status, _) = analyst.text(survey.id, "results.csv").await;
    assert_eq!(status, StatusCode::OK, "the CSV too");
}

/// A cell of a CSV file that looks like a formula and is not defused.
fn formulas(csv: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .flat_map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect::<Vec<_>>())
        .filter(|cell| cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err())
        .collect()
}

async fn every_csv_file_defuses_formulas_in_answers_wording_labels_and_area_names(engine: Engine) {
    let (app, survey) = arrange(engine).await;
    let staff = app.signed_in_as("designer").await;
    for n in 0..3 {
        let mut answers = json!({"neighborhood": "=2+5", "years": -3.5, "potholes": "worse",
                                 "comments": format!("@cmd|' /C calc'!A{n}")});
        answers["safety"] = json!(n + 1);
        let sent = json!({"submission_id": format!("csv-test-{n:04}"), "answers": answers, "channel": "paper"});
        assert_eq!(staff.api(survey.id, &sent).await.status(), 201);
    }
    invites::generate(app.db(), None, survey.id, "2", Some("=2+5")).await.expect("codes for the area");
    publication::publish(app.db(), None, survey.id, 2).await.expect("published");
    let analyst = app.signed_in_as("analyst").await;

    for path in ["responses.csv", "results.csv", "results/public.csv", "results/dictionary.csv"] {
        let (status, csv) = analyst.text(survey.id, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(formulas(&csv), Vec::<String>::new(), "{path}:\n{csv}");
        assert!(csv.contains("'=") || csv.contains("'@") || csv.contains("'-"), "{path} has guarded cells:\n{csv}");
    }
    let (_, responses) = analyst.text(survey.id, "responses.csv").await;
    assert!(responses.contains(",'=2+5,") && responses.contains("'@cmd|"), "the area and the comment:\n{responses}");
    assert!(responses.contains(",-3.5,") || responses.contains(",-3.5\n"), "a negative number stays a number");
    let (_, results) = analyst.text(survey.id, "results.csv").await;
    assert!(results.contains("'=HYPERLINK") && results.contains("'-1 for potholes"), "wording and label:\n{results}");
    assert!(results.contains("'@SUM(1)"), "the area's name:\n{results}");
    let (_, public) = analyst.text(survey.id, "results/public.csv").await;
    assert!(public.contains("'=HYPERLINK"), "the published file:\n{public}");
    let (_, dictionary) = analyst.text(survey.id, "results/dictionary.csv").await;
    assert!(dictionary.contains("'=2+5") && dictionary.contains("'@SUM(1)"), "the area rows:\n{dictionary}");
    let invite_csv = staff.page(&format!("/surveys/{}/invites.csv", survey.id)).await.text().await.expect("csv");
    assert_eq!(formulas(&invite_csv), Vec::<String>::new(), "invites.csv:\n{invite_csv}");
    assert!(invite_csv.contains(",'=2+5,"), "the invite codes' area:\n{invite_csv}");
}

crate::both_engines!(
    an_area_that_is_not_in_the_set_is_refused_through_the_api_and_the_form,
    an_absurd_number_is_refused_with_the_questions_range,
    results_still_answer_when_one_questions_stored_sum_is_unusable,
    every_csv_file_defuses_formulas_in_answers_wording_labels_and_area_names,
);

//! Every documented error status of every `/api/v1` route answers with the one error body of
//! docs/API.md: `{"error": key, "message": …, "field"?: …, "problems"?: […]}`, as JSON.

use canvass_app::domain::survey::lifecycle::Action;
use canvass_app::services::{invites, surveys};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::responses::{COMMUNITY, published};
use crate::support::{Engine, TEST_RESPONSES_PER_HOUR};

/// Checks one error answer: its status, that it is JSON, and that its body has exactly the
/// documented members; returns the body.
async fn assert_error_shape(response: reqwest::Response, status: u16, key: &str, what: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "{what}");
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(content_type.starts_with("application/json"), "{what}: content type {content_type}");
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let members = body.as_object().unwrap_or_else(|| panic!("{what}: the body is an object: {body}"));
    assert_eq!(body["error"], key, "{what}: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: a message: {body}");
    for (name, value) in members {
        match name.as_str() {
            "error" | "message" => {}
            "field" => assert!(value.as_str().is_some_and(|f| !f.is_empty()), "{what}: field: {body}"),
            "problems" => assert!(value.as_array().is_some_and(|p| !p.is_empty()), "{what}: problems: {body}"),
            other => panic!("{what}: `{other}` is not a member of the error body: {body}"),
        }
    }
    body
}

/// Every results route (JSON, CSV, GeoJSON, SVG and the microdata export), as staff read them.
const RESULTS_ROUTES: [&str; 10] = [
    "results",
    "results.csv",
    "results/public",
    "results/public.csv",
    "results/waves",
    "results.geojson",
    "results/public.geojson",
    "results/dictionary.csv",
    "results/map.svg",
    "responses.csv",
];

async fn every_results_route_answers_errors_in_the_one_shape(engine: Engine) {
    let (app, survey, staff) = crate::results::arrange(engine).await;
    let stranger = app.client();
    for route in RESULTS_ROUTES {
        let url = |id: &str, query: &str| format!("{}/api/v1/surveys/{id}/{route}{query}", app.base);
        let get = |client: &crate::support::Client, address: String| client.http.get(address).send();
        let signed_out = get(&stranger, url(&survey.to_string(), "")).await.expect("get");
        assert_error_shape(signed_out, 401, "not_signed_in", &format!("{route} signed out")).await;
        let unknown = get(&staff, url("999999", "")).await.expect("get");
        assert_error_shape(unknown, 404, "not_found", &format!("{route} of an unknown survey")).await;
        let not_a_number = get(&staff, url("first", "")).await.expect("get");
        assert_error_shape(not_a_number, 404, "not_found", &format!("{route} of an id that is not a number")).await;
        let bad = get(&staff, url(&survey.to_string(), "?weight=income")).await.expect("get");
        let body = assert_error_shape(bad, 400, "parameter_invalid", &format!("{route} with a bad parameter")).await;
        assert_eq!(body["field"], "weight", "{route}: the parameter is named");
    }
    let unknown_route = staff.http.get(format!("{}/api/v1/surveys/{survey}/nothing", app.base)).send().await;
    assert_error_shape(unknown_route.expect("get"), 404, "not_found", "an unknown /api/v1 address").await;
}

async fn submitting_a_response_answers_errors_in_the_one_shape(engine: Engine) {
    let app = crate::support::TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let client = app.client();
    let answers = canvass_app::domain::survey::form_fields::raw_answers(
        &survey.definition,
        &canvass_app::domain::survey::example::example_fields(&survey.definition, None),
    );
    let body = |id: &str| json!({"submission_id": id, "answers": answers});
    let post_raw = |text: &'static str| {
        client
            .http
            .post(format!("{}/api/v1/surveys/{}/responses", client.base, survey.id))
            .header(CONTENT_TYPE, "application/json")
            .body(text)
            .send()
    };

    let malformed = post_raw("{not json").await.expect("post");
    assert_error_shape(malformed, 400, "request_invalid", "a body that is not JSON").await;
    let unknown = client.api(999_999, &body("sub-unknown-1")).await;
    assert_error_shape(unknown, 404, "not_found", "an unknown survey").await;
    let bad_id = client.api(survey.id, &json!({"submission_id": "x", "answers": {}})).await;
    let error = assert_error_shape(bad_id, 422, "submission_id_invalid", "a short submission id").await;
    assert_eq!(error["field"], "submission_id");
    let bad_answer = client.api(survey.id, &json!({"submission_id": "sub-bad-answer", "answers": {"nope": 1}})).await;
    let error = assert_error_shape(bad_answer, 422, "answers_invalid", "answers that break the rules").await;
    assert!(error["problems"].as_array().is_some_and(|p| p.iter().any(|p| p["question"] == "nope")), "{error}");
    let paper =
        client.api(survey.id, &json!({"submission_id": "sub-paper-01", "answers": answers, "channel": "paper"})).await;
    assert_error_shape(paper, 403, "forbidden", "the paper channel without a signed-in designer").await;

    // Invite codes: needed (403), then used (answered as unknown, 422: guessing learns nothing).
    invites::set_access(app.db(), None, survey.id, "invite_only").await.expect("invite only");
    let needed = client.api(survey.id, &body("sub-needs-code")).await;
    assert_error_shape(needed, 403, "invite_code_needed", "the open link on an invite-only survey").await;
    let batch = invites::generate(app.db(), None, survey.id, "1", None).await.expect("codes");
    let (_, csv) = invites::csv(app.db(), survey.id, Some(batch), "https://canvass.example.gov").await.expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    let code = csv.lines().nth(1).and_then(|l| l.split(',').next()).expect("a code").to_owned();
    let first = client
        .api(survey.id, &json!({"submission_id": "sub-code-0001", "answers": answers, "invite_code": code}))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let again = client
        .api(survey.id, &json!({"submission_id": "sub-code-0002", "answers": answers, "invite_code": code}))
        .await;
    assert_error_shape(again, 422, "invite_code_unknown", "an invite code used before").await;

    // The open link again: too many from one address (429), then closed (410).
    invites::set_access(app.db(), None, survey.id, "open").await.expect("open");
    let mut last = None;
    for i in 0..=TEST_RESPONSES_PER_HOUR {
        let response = client.api(survey.id, &body(&format!("sub-many-{i:04}"))).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            last = Some(response);
            break;
        }
    }
    let too_many = last.expect("the hourly limit is reached");
    assert_error_shape(too_many, 429, "too_many_responses", "too many from one address").await;
    surveys::change_status(app.db(), None, survey.id, Action::Close).await.expect("close");
    let closed = client.api(survey.id, &body("sub-after-close")).await;
    assert_error_shape(closed, 410, "survey_closed", "a closed survey").await;
}

crate::both_engines!(
    every_results_route_answers_errors_in_the_one_shape,
    submitting_a_response_answers_errors_in_the_one_shape,
);

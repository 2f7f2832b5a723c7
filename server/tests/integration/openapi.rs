//! The JSON API's OpenAPI 3.1 description (`GET /api/v1/openapi.json`) against the routes: every
//! `/api/v1` address the server's code names is described, every described operation is routed,
//! and the answers of a few real requests fit their described schemas (schemathesis checks the
//! rest; docs/TESTING.md).

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Engine, TestApp};

async fn description(app: &TestApp) -> Value {
    let response = app.client().http.get(format!("{}/api/v1/openapi.json", app.base)).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("the description is JSON")
}

/// Every string literal starting with `/api/v1/` in the server's code.
fn api_addresses_in_code() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read the source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let code = std::fs::read_to_string(&path).expect("read a source file");
                for (start, _) in code.match_indices("\"/api/v1/") {
                    let rest = &code[start + 1..];
                    let end = rest.find('"').expect("the literal ends");
                    found.insert(rest[..end].to_owned());
                }
            }
        }
    }
    found
}

async fn every_api_route_in_the_code_is_in_the_description(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let spec = description(&app).await;
    assert!(spec["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "OpenAPI 3.1: {}", spec["openapi"]);
    let described: BTreeSet<String> = spec["paths"].as_object().expect("paths").keys().cloned().collect();
    let in_code = api_addresses_in_code();
    assert!(in_code.len() >= 12, "the scan finds the API's routes: {in_code:?}");
    for address in &in_code {
        // The catch-all that answers the API's own 404 is not an operation.
        if address == "/api/v1/{*rest}" {
            continue;
        }
        assert!(described.contains(address), "{address} is routed but not in /api/v1/openapi.json");
    }
}

async fn every_described_operation_is_routed_and_errors_have_the_documented_shape(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let spec = description(&app).await;
    let client = app.client();
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            operations += 1;
            let address = format!("{}{}", app.base, path.replace("{id}", "999999"));
            let response = match method.as_str() {
                "get" => client.http.get(&address).send().await,
                "post" => client.http.post(&address).header("content-type", "application/json").body("[]").send().await,
                other => panic!("{path}: a {other} operation the test does not know"),
            }
            .expect("send");
            let status = response.status().as_u16().to_string();
            let bytes = response.bytes().await.expect("body");
            // The API's catch-all answers 404; a routed operation of an unknown survey answers
            // 401 (no credentials), 400 (a body that does not decode) or 200 (this description).
            assert_ne!(status, "404", "{method} {path} is described but not routed");
            let described = &operation["responses"][&status];
            assert!(described.is_object(), "{method} {path}: {status} is not among its described answers");
            if status != "200" {
                let body: Value = serde_json::from_slice(&bytes).expect("an error is JSON");
                assert!(body["error"].is_string() && body["message"].is_string(), "{path}: {body}");
                assert_eq!(
                    described["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
    }
    assert!(operations >= 12, "{operations} operations");
}

async fn a_whole_response_larger_than_the_api_takes_gets_413_in_the_error_shape(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = crate::responses::published(&app, crate::responses::COMMUNITY).await;
    let answers = json!({ "comments": "x".repeat(300 * 1024) });
    let body = json!({ "submission_id": "too-large-0001", "answers": answers });
    let response = app
        .client()
        .http
        .post(format!("{}/api/v1/surveys/{}/responses", app.base, survey.id))
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "too_large", "{body}");
}

crate::both_engines! {
    every_api_route_in_the_code_is_in_the_description,
    every_described_operation_is_routed_and_errors_have_the_documented_shape,
    a_whole_response_larger_than_the_api_takes_gets_413_in_the_error_shape,
}

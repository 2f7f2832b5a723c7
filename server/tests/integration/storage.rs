//! Storage that survives trouble (docs/SECURITY.md): submission ids scoped by who submits, a
//! reused id with other answers refused, a response whose progress row was pruned still stored,
//! a receipt collision or one bad row costing only itself, and the writer's state in `/healthz`.

use canvass_app::db::responses as stored;
use canvass_app::db::responses::store::CompleteResponse;
use canvass_app::domain::access::Channel;
use canvass_app::domain::analytics::tally::ResponseTally;
use canvass_app::domain::submission::{Stored, Submitter};
use canvass_app::domain::survey::example::example_fields;
use canvass_app::domain::survey::form_fields::raw_answers;
use canvass_app::services::responses::writer::{ResponseWriter, WriterHealth};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::responses::{COMMUNITY, POLL, Published, complete_count, published};
use crate::support::{Engine, TestApp};

fn api_body(survey: &Published, submission: &str, channel: &str) -> Value {
    let answers = raw_answers(&survey.definition, &example_fields(&survey.definition, None));
    json!({"submission_id": submission, "answers": answers, "channel": channel})
}

async fn an_anonymous_caller_cannot_claim_the_submission_id_a_clerk_will_use(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let stranger = app.client();
    let claimed = stranger.api(survey.id, &api_body(&survey, "paper-0002", "open")).await;
    assert_eq!(claimed.status(), 201);

    let clerk = app.signed_in_as("designer").await;
    let entry = clerk.api(survey.id, &api_body(&survey, "paper-0002", "paper")).await;
    assert_eq!(entry.status(), 201, "the clerk's paper form is stored, not taken for the stranger's");
    assert_eq!(entry.json::<Value>().await.expect("json")["status"], "stored");
    let retry = clerk.api(survey.id, &api_body(&survey, "paper-0002", "paper")).await;
    assert_eq!(retry.status(), 200, "a retry of the same entry");
    assert_eq!(retry.json::<Value>().await.expect("json")["status"], "already_stored");

    let mut other = api_body(&survey, "paper-0002", "paper");
    other["answers"]["place_to_live"] = json!(1);
    let reused = clerk.api(survey.id, &other).await;
    assert_eq!(reused.status(), 409, "the same id for another form's answers");
    assert_eq!(reused.json::<Value>().await.expect("json")["error"], "submission_id_reused");
    assert_eq!(complete_count(&app, survey.id).await, 2);
}

/// A complete response for the writer, as the submit path builds it.
fn complete(survey: &Published, submission: &str, receipt: &str, in_progress: Option<i64>) -> CompleteResponse {
    let answers = serde_json::to_string(&json!({"vote": "parks"})).expect("json");
    CompleteResponse {
        survey_id: survey.id,
        survey_version: 1,
        channel: Channel::Open,
        language: "en".to_owned(),
        answers_hash: canvass_app::services::codes::hash_secret(&answers),
        answers_json: answers,
        area_key: None,
        invite_code_id: None,
        device_hash: None,
        submission_id: Submitter::Anonymous.scoped(submission),
        receipt: receipt.to_owned(),
        in_progress,
        tally: ResponseTally::default(),
    }
}

async fn a_response_whose_progress_was_pruned_meanwhile_is_stored_not_lost(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let writer = ResponseWriter::start(app.db().clone());
    let outcome = writer.store(complete(&survey, "pruned-0001", "PRUNED01", Some(987_654))).await;
    assert_eq!(outcome, Ok(Stored::New { receipt: "PRUNED01".to_owned() }));
    assert_eq!(complete_count(&app, survey.id).await, 1, "the receipt shown is a stored response");
    assert!(stored::has_receipt(app.db(), survey.id, "PRUNED01").await.expect("receipt"));
}

async fn a_receipt_collision_costs_nothing_and_a_bad_row_only_itself(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let writer = ResponseWriter::start(app.db().clone());
    let first = writer.store(complete(&survey, "collide-0001", "SAME0001", None)).await;
    assert_eq!(first, Ok(Stored::New { receipt: "SAME0001".to_owned() }));

    // Queued together, so that they are stored in one group.
    let (collides, fine) = tokio::join!(
        writer.store(complete(&survey, "collide-0002", "SAME0001", None)),
        writer.store(complete(&survey, "collide-0003", "OTHER001", None)),
    );
    let Ok(Stored::New { receipt }) = collides else { panic!("the colliding response is stored: {collides:?}") };
    assert_ne!(receipt, "SAME0001", "with a receipt of its own");
    assert!(stored::has_receipt(app.db(), survey.id, &receipt).await.expect("receipt"));
    assert_eq!(fine, Ok(Stored::New { receipt: "OTHER001".to_owned() }));
    assert_eq!(complete_count(&app, survey.id).await, 3);
    assert_eq!(writer.health(), WriterHealth::Ok);
}

async fn the_health_check_reports_a_writer_that_cannot_store(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let health: Value = app.client().page("/healthz").await.json().await.expect("json");
    assert_eq!(health["response_writer"], "ok");

    app.db().execute_unprepared("ALTER TABLE response RENAME TO response_gone").await.expect("break the table");
    let refused = app.client().api(survey.id, &api_body(&survey, "broken-0001", "open")).await;
    assert_eq!(refused.status(), 500);
    let broken = app.client().page("/healthz").await;
    assert_eq!(broken.status(), 503, "a load balancer takes this server out while it cannot store");
    assert_eq!(broken.json::<Value>().await.expect("json")["response_writer"], "failing");

    app.db().execute_unprepared("ALTER TABLE response_gone RENAME TO response").await.expect("repair the table");
    let stored = app.client().api(survey.id, &api_body(&survey, "repaired-001", "open")).await;
    assert_eq!(stored.status(), 201);
    assert_eq!(app.client().page("/healthz").await.status(), 200);
}

async fn filling_a_demo_survey_twice_repeats_no_receipt(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    canvass_server::demo::seed_synthetic(app.db(), survey.id, 40).await.expect("first fill");
    canvass_server::demo::seed_synthetic(app.db(), survey.id, 40).await.expect("second fill");
    assert_eq!(complete_count(&app, survey.id).await, 80);
}

crate::both_engines! {
    an_anonymous_caller_cannot_claim_the_submission_id_a_clerk_will_use,
    a_response_whose_progress_was_pruned_meanwhile_is_stored_not_lost,
    a_receipt_collision_costs_nothing_and_a_bad_row_only_itself,
    the_health_check_reports_a_writer_that_cannot_store,
    filling_a_demo_survey_twice_repeats_no_receipt,
}

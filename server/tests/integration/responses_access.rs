//! Who may answer, and what is refused: the JSON API (idempotency, every kind of bad answer),
//! invite codes, closed and unknown surveys, the honeypot and the per-address limits.

use canvass_app::db::responses as stored;
use canvass_app::domain::survey::SurveyDefinition;
use canvass_app::domain::survey::example::example_fields;
use canvass_app::domain::survey::form_fields::raw_answers;
use canvass_app::domain::survey::lifecycle::Action;
use canvass_app::services::{invites, surveys};
use canvass_app::state::INVITE_CODE_TRIES_PER_HOUR;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};

use crate::responses::{COMMUNITY, POLL, answer_all_pages, complete_count, location, page_fields, published};
use crate::support::{Engine, TEST_RESPONSES_PER_HOUR, TestApp};

fn api_body(survey: &SurveyDefinition, submission: &str) -> Value {
    json!({"submission_id": submission, "answers": raw_answers(survey, &example_fields(survey, None))})
}

async fn the_api_stores_a_response_once_per_submission_id(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let kiosk = app.client();
    let body = api_body(&survey.definition, "0b6a7e0e-4c1f-4ad5-9b0e-9d7f0a7d1c11");

    let first = kiosk.api(survey.id, &body).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let retry = kiosk.api(survey.id, &body).await;
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().await.expect("json");

    assert_eq!(first["receipt"], retry["receipt"]);
    assert_eq!(retry["status"], "already_stored");
    assert_eq!(complete_count(&app, survey.id).await, 1);
}

async fn every_kind_of_bad_answer_is_refused_with_its_reason_and_nothing_is_stored(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let client = app.client();
    let good = api_body(&survey.definition, "good-submission-1");
    let with = |question: &str, value: Value| {
        let mut body = good.clone();
        body["answers"][question] = value;
        body["submission_id"] = json!(format!("bad-{question}-{}", body["answers"].to_string().len()));
        body
    };
    let without = |question: &str| {
        let mut body = good.clone();
        body["answers"].as_object_mut().expect("answers").remove(question);
        body
    };
    let four: Vec<String> = survey
        .definition
        .question("top_issues")
        .and_then(|q| q.kind.options())
        .expect("options")
        .iter()
        .take(4)
        .map(|o| o.key.clone())
        .collect();
    let cases = [
        ("unknown option", with("top_issues", json!(["teleportation"])), "top_issues", "answer_invalid"),
        ("too many choices", with("top_issues", json!(four)), "top_issues", "too_many_selected"),
        ("text over the limit", with("comments", json!("x".repeat(5001))), "comments", "text_too_long"),
        ("answer to a hidden question", with("feel_safer", json!("Lights")), "feel_safer", "question_hidden"),
        ("wrong type", with("place_to_live", json!("very good")), "place_to_live", "answer_invalid"),
        ("missing required", without("recommend"), "recommend", "answer_required"),
        ("unknown question", with("favourite_colour", json!("red")), "favourite_colour", "question_unknown"),
    ];
    for (what, body, question, key) in cases {
        let response = client.api(survey.id, &body).await;
        assert_eq!(response.status(), 422, "{what}");
        let error: Value = response.json().await.expect("json");
        assert_eq!(error["error"], "answers_invalid", "{what}");
        let problems = error["problems"].as_array().expect("problems");
        assert!(problems.iter().any(|p| p["question"] == question && p["key"] == key), "{what}: {problems:?}");
    }
    let malformed = client
        .http
        .post(format!("{}/api/v1/surveys/{}/responses", client.base, survey.id))
        .header(CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(malformed.status(), 400);
    let no_id = client.api(survey.id, &json!({"submission_id": "x", "answers": {}})).await;
    assert_eq!(no_id.status(), 422);
    assert_eq!(client.api(9999, &good).await.status(), 404);
    assert_eq!(complete_count(&app, survey.id).await, 0);
}

/// A stored "who may answer" that Canvass cannot read is an error, never a default: it used to
/// read as `open`, so a typo in the column opened an invite-only survey to anyone with the link.
async fn an_unreadable_access_setting_fails_closed_and_stores_nothing(engine: Engine) {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    invites::set_access(app.db(), None, survey.id, "invite_only").await.expect("invite only");
    app.db()
        .execute_unprepared(&format!("UPDATE survey SET access = 'invite-only' WHERE id = {}", survey.id))
        .await
        .expect("corrupt the column");
    canvass_app::db::survey_cache::forget_all();
    let stranger = app.client();
    let page = stranger.page(&format!("/s/{}", survey.key)).await;
    assert_eq!(page.status(), 500, "the survey is not shown as open");
    let api = stranger.api(survey.id, &api_body(&survey.definition, "sub-unreadable-1")).await;
    assert_eq!(api.status(), 500);
    let body: Value = api.json().await.expect("json");
    assert_eq!(body["error"], "internal", "{body}");
    assert_eq!(complete_count(&app, survey.id).await, 0, "nothing stored");
}

async fn an_invite_code_admits_one_response_and_is_recorded_as_invited(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let refused_access = invites::set_access(app.db(), None, survey.id, "everyone").await;
    assert_eq!(refused_access.err().map(|e| e.key().to_owned()).as_deref(), Some("access_unknown"));
    for count in ["0", "abc", "50001", "-3", ""] {
        let refused = invites::generate(app.db(), None, survey.id, count, None).await;
        assert_eq!(refused.err().map(|e| e.key().to_owned()).as_deref(), Some("invite_count_invalid"), "{count:?}");
    }
    let no_such_area = invites::generate(app.db(), None, survey.id, "3", Some("atlantis")).await;
    assert_eq!(no_such_area.err().map(|e| e.key().to_owned()).as_deref(), Some("area_unknown"));
    invites::set_access(app.db(), None, survey.id, "invite_only").await.expect("access");
    invites::generate(app.db(), None, survey.id, "3", None).await.expect("codes");
    let (_, csv) = invites::csv(app.db(), survey.id, Some(1), "https://canvass.example.gov").await.expect("csv");
    let csv = String::from_utf8(csv).expect("utf-8");
    assert_eq!(csv.lines().count(), 4, "a header and three codes: {csv}");
    let code = csv.lines().nth(1).and_then(|l| l.split(',').next()).expect("a code").to_owned();

    let stranger = app.client();
    let gate = stranger.page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    assert!(gate.contains("invite-needed"), "the open link asks for a code");
    let refused = stranger.post_page(&survey.key, 0, "next", &page_fields(&survey.definition, 0)).await;
    assert!(location(&refused).contains("reason=invite_code_needed"));

    let household = app.client();
    let typed = code.to_lowercase().replace('-', " ");
    let start = household
        .http
        .post(format!("{}/s/{}/invite", household.base, survey.key))
        .form(&[("code", typed.as_str())])
        .send()
        .await
        .expect("post code");
    assert_eq!(location(&start), format!("/s/{}", survey.key));
    let thanks = answer_all_pages(&household, &survey).await;
    assert!(thanks.contains("/thanks?receipt="), "{thanks}");
    let rows = stored::complete_responses(app.db(), survey.id).await.expect("rows");
    assert_eq!((rows.len(), rows[0].channel.as_str()), (1, "invited"));

    let neighbour = app.client();
    let reuse = neighbour
        .http
        .post(format!("{}/s/{}/invite", neighbour.base, survey.key))
        .form(&[("code", code.as_str())])
        .send()
        .await
        .expect("post code");
    assert!(location(&reuse).contains("invite_error=invite_code_used"), "{}", location(&reuse));
    let mut body = api_body(&survey.definition, "api-reuse-0001");
    body["invite_code"] = json!(code);
    // The API answers a used code as it answers an unknown one: guessing learns nothing.
    let used = neighbour.api(survey.id, &body).await;
    assert_eq!(used.status(), 422);
    assert_eq!(used.json::<Value>().await.expect("json")["error"], "invite_code_unknown");
    let wrong =
        neighbour.http.get(format!("{}/s/{}/invite/ZZZZ-ZZZZ", neighbour.base, survey.key)).send().await.expect("get");
    assert!(location(&wrong).contains("invite_error=invite_code_unknown"));
    assert_eq!(complete_count(&app, survey.id).await, 1);

    // A script guessing codes is stopped after INVITE_CODE_TRIES_PER_HOUR tries in all.
    let guesser = app.client();
    let mut last = String::new();
    for n in 0..INVITE_CODE_TRIES_PER_HOUR {
        let guess = format!("{}/s/{}/invite/{n:04}-0000", guesser.base, survey.key);
        last = location(&guesser.http.get(guess).send().await.expect("guess"));
    }
    assert!(last.contains("reason=too_many_code_tries"), "{last}");
}

async fn closed_unknown_and_unpublished_surveys_get_clear_pages_with_their_status(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let open = published(&app, COMMUNITY).await;
    let draft = surveys::import(app.db(), None, COMMUNITY).await.expect("draft");
    let visitor = app.client();
    assert_eq!(visitor.page(&format!("/s/{}", draft.public_key)).await.status(), 404, "drafts are not public");
    assert_eq!(visitor.page("/s/nosuchsurvey").await.status(), 404);

    surveys::change_status(app.db(), None, open.id, Action::Close).await.expect("close");
    let closed = visitor.page(&format!("/s/{}", open.key)).await;
    assert_eq!(closed.status(), 410);
    assert!(closed.text().await.expect("html").contains("This survey has closed."));
    let late = visitor.post_page(&open.key, 0, "next", &page_fields(&open.definition, 0)).await;
    assert!(location(&late).contains("reason=survey_closed"));
    assert_eq!(visitor.api(open.id, &api_body(&open.definition, "late-submission")).await.status(), 410);
}

async fn a_filled_honeypot_and_too_many_responses_from_one_address_are_refused_politely(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let robot = app.client();
    let mut fields = page_fields(&survey.definition, 0);
    fields.push(("website".into(), "http://spam.example".into()));
    let response = robot.post_page(&survey.key, 0, "next", &fields).await;
    let sorry = location(&response);
    assert!(sorry.contains("reason=looks_automated"), "{sorry}");
    let page = robot.page(&sorry).await;
    assert_eq!(page.status(), 422);
    assert!(page.text().await.expect("html").contains("hidden field"));

    for n in 0..TEST_RESPONSES_PER_HOUR {
        let status =
            app.client().api(survey.id, &api_body(&survey.definition, &format!("flood-{n:08}"))).await.status();
        assert_eq!(status, 201, "response {n} is within the limit");
    }
    let over = app.client().api(survey.id, &api_body(&survey.definition, "flood-over-limit")).await;
    assert_eq!(over.status(), 429);
    assert_eq!(complete_count(&app, survey.id).await, u64::from(TEST_RESPONSES_PER_HOUR));
}

async fn the_invite_code_csv_is_for_designers_and_refuses_a_bad_batch(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    invites::generate(app.db(), None, survey.id, "2", None).await.expect("codes");
    let path = format!("/surveys/{}/invites.csv?batch=1", survey.id);

    assert_eq!(app.client().page(&path).await.status(), 401, "a visitor");
    assert_eq!(app.signed_in_as("analyst").await.page(&path).await.status(), 403, "an analyst");
    let designer = app.signed_in_as("designer").await;
    let csv = designer.page(&path).await;
    assert_eq!(csv.status(), 200);
    assert_eq!(csv.text().await.expect("csv").lines().count(), 3);
    let bad_batch = designer.page(&format!("/surveys/{}/invites.csv?batch=first", survey.id)).await;
    assert_eq!(bad_batch.status(), 400);
    assert_eq!(designer.page("/surveys/999/invites.csv").await.status(), 404);
    let bad_resume =
        designer.http.get(format!("{}/s/{}/resume/not%20a%20token!", designer.base, survey.key)).send().await;
    let bad_resume = bad_resume.expect("resume");
    assert_eq!(bad_resume.status(), 200, "a bad continue-later link says it opens nothing");
    assert!(bad_resume.headers().get("set-cookie").is_none());
    assert!(bad_resume.text().await.expect("html").contains("This link no longer works"));
    let taken = designer.http.post(format!("{}/s/{}/resume/not%20a%20token!", designer.base, survey.key)).send().await;
    let taken = taken.expect("take over");
    assert_eq!(taken.status(), 404);
    assert!(taken.headers().get("set-cookie").is_none());
}

crate::both_engines!(
    an_unreadable_access_setting_fails_closed_and_stores_nothing,
    the_invite_code_csv_is_for_designers_and_refuses_a_bad_batch,
    the_api_stores_a_response_once_per_submission_id,
    every_kind_of_bad_answer_is_refused_with_its_reason_and_nothing_is_stored,
    an_invite_code_admits_one_response_and_is_recorded_as_invited,
    closed_unknown_and_unpublished_surveys_get_clear_pages_with_their_status,
    a_filled_honeypot_and_too_many_responses_from_one_address_are_refused_politely,
);

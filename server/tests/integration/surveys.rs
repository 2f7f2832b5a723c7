//! Surveys from the command line and the service layer: import, export, round trip, lifecycle.

use canvass_app::domain::survey::SurveyDefinition;
use canvass_app::domain::survey::lifecycle::{Action, Status};
use canvass_app::services::surveys;

use crate::cli::canvass;
use crate::support::{Engine, TestDatabase};

const TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/templates/community_survey.json");

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn an_exported_survey_imports_back_identical(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();

    let imported = canvass(&["survey", "import", TEMPLATE], &url, None);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(text(&imported.stdout).contains("as a draft"), "{}", text(&imported.stdout));

    let dir = tempfile::tempdir().expect("temp dir");
    let exported = dir.path().join("export.json");
    let out = canvass(&["survey", "export", "1", "--output", exported.to_str().expect("utf-8 path")], &url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let again = canvass(&["survey", "import", exported.to_str().expect("utf-8 path")], &url, None);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let second = text(&canvass(&["survey", "export", "2"], &url, None).stdout);

    let original = SurveyDefinition::from_json(&std::fs::read_to_string(TEMPLATE).expect("template")).expect("parses");
    let round_tripped = SurveyDefinition::from_json(&second).expect("export parses");
    assert_eq!(round_tripped, original);

    let listed = text(&canvass(&["survey", "list"], &url, None).stdout);
    assert_eq!(listed.matches("draft").count(), 2, "{listed}");
}

async fn an_invalid_file_lists_every_problem_and_imports_nothing(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.json");
    let bad = serde_json::json!({
        "format": 1, "kind": "survey", "languages": ["en"], "title": {"en": ""},
        "pages": [{"key": "p1", "questions": [
            {"key": "a", "type": "single_choice", "text": {"en": "A"}, "options": [{"key": "x", "label": {"en": "X"}}],
             "show_if": {"question": "b", "op": "answered"}},
            {"key": "b", "type": "rating", "min": 1, "max": 99, "text": {"en": "B"}}
        ]}]
    });
    std::fs::write(&file, bad.to_string()).expect("write");

    let out = canvass(&["survey", "import", file.to_str().expect("utf-8 path")], &url, None);

    assert!(!out.status.success());
    let err = text(&out.stderr);
    for path in
        ["title:", "pages[0].questions[0].options:", "pages[0].questions[1].max:", "pages[0].questions[0].show_if:"]
    {
        assert!(err.contains(path), "missing {path} in: {err}");
    }
    assert!(text(&canvass(&["survey", "list"], &url, None).stdout).contains("No surveys yet"));
}

async fn a_file_that_is_not_a_survey_is_refused_plainly(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("notes.json");
    std::fs::write(&file, "{\"hello\": ").expect("write");
    let out = canvass(&["survey", "import", file.to_str().expect("utf-8 path")], &url, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("problem"), "{}", text(&out.stderr));

    let missing = canvass(&["survey", "import", "/no/such/file.json"], &url, None);
    assert!(text(&missing.stderr).contains("could not read /no/such/file.json"), "{}", text(&missing.stderr));
    let unknown = canvass(&["survey", "export", "42"], &url, None);
    assert!(text(&unknown.stderr).contains("there is no survey 42"), "{}", text(&unknown.stderr));
}

async fn a_survey_opens_closes_and_is_archived_and_each_step_is_audited(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let db = &test_db.db;
    let survey = surveys::create_from_template(db, None, "quick_poll").await.expect("created");
    assert_eq!(survey.status, Status::Draft);

    let open = surveys::change_status(db, None, survey.id, Action::Publish).await.expect("publish");
    assert_eq!(open.status, Status::Open);
    let refused =
        surveys::change_status(db, None, survey.id, Action::Archive).await.expect_err("open cannot be archived");
    assert_eq!(refused.key(), "status_change_refused");
    surveys::change_status(db, None, survey.id, Action::Close).await.expect("close");
    let archived = surveys::change_status(db, None, survey.id, Action::Archive).await.expect("archive");
    assert_eq!(archived.status, Status::Archived);

    let events = canvass_app::db::audit::recent(db, 10).await.expect("audit");
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec!["survey.status_changed", "survey.status_changed", "survey.status_changed", "survey.created"]
    );
}

async fn a_duplicate_keeps_the_keys_for_the_next_wave(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let db = &test_db.db;
    let first = surveys::create_from_template(db, None, "community_survey").await.expect("created");
    let next = surveys::duplicate(db, None, first.id).await.expect("duplicated");
    assert_ne!(next.public_key, first.public_key);
    assert_eq!(next.status, Status::Draft);
    let a = SurveyDefinition::from_json(&surveys::export(db, first.id).await.expect("export")).expect("parses");
    let b = SurveyDefinition::from_json(&surveys::export(db, next.id).await.expect("export")).expect("parses");
    let keys = |s: &SurveyDefinition| s.questions().map(|(_, q)| q.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&a), keys(&b));
}

async fn the_qr_code_of_a_survey_link_comes_as_svg_and_png(engine: Engine) {
    let app = crate::support::TestApp::spawn(engine).await;
    let survey = surveys::create_from_template(app.db(), None, "quick_poll").await.expect("created");
    let client = app.client();

    let svg = client.page(&format!("/s/{}/qr.svg", survey.public_key)).await;
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.expect("svg").contains("<svg"));

    let png = client.page(&format!("/s/{}/qr.png", survey.public_key)).await;
    assert_eq!(png.status(), 200);
    let bytes = png.bytes().await.expect("png");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");

    assert_eq!(client.page("/s/nosuchkey/qr.svg").await.status(), 404);
    assert_eq!(client.page(&format!("/s/{}/qr.gif", survey.public_key)).await.status(), 404);
}

async fn a_designer_translates_texts_side_by_side(engine: Engine) {
    let app = crate::support::TestApp::spawn(engine).await;
    let designer = app.signed_in_as("designer").await;
    let response = designer.call("surveys/create", &[("template", "quick_poll")]).await;
    assert_eq!(response.status(), 200);
    let added = designer.call("surveys/edit", &[("id", "1"), ("edit", "add_language"), ("language", "vi")]).await;
    assert_eq!(added.status(), 200);

    let saved = designer
        .call(
            "surveys/translate",
            &[
                ("id", "1"),
                ("language", "vi"),
                ("paths[0]", "title"),
                ("values[0]", "Thăm dò nhanh"),
                ("paths[1]", "pages[0].questions[0].text"),
                ("values[1]", "Câu hỏi"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 200);
    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    assert_eq!(editor["definition"]["title"]["vi"], "Thăm dò nhanh");
    assert_eq!(editor["summary"]["version"], 3);

    let bad = designer
        .call(
            "surveys/translate",
            &[("id", "1"), ("language", "vi"), ("paths[0]", "pages[9].title"), ("values[0]", "x")],
        )
        .await;
    assert_eq!(bad.status(), 409);
    let unknown_language = designer
        .call("surveys/translate", &[("id", "1"), ("language", "fr"), ("paths[0]", "title"), ("values[0]", "x")])
        .await;
    assert_eq!(unknown_language.status(), 409);
    let bad_tag =
        designer.call("surveys/edit", &[("id", "1"), ("edit", "add_language"), ("language", "Not A Tag")]).await;
    assert_eq!(bad_tag.status(), 422, "the check refuses a malformed language tag");
}

async fn a_designer_edits_a_question_its_options_settings_and_display_rule(engine: Engine) {
    let app = crate::support::TestApp::spawn(engine).await;
    let designer = app.signed_in_as("designer").await;
    assert_eq!(designer.call("surveys/create", &[("template", "community_survey")]).await.status(), 200);
    let q = |key: &'static str| {
        move |extra: &[(&'static str, &'static str)]| {
            let mut form = vec![("id", "1"), ("key", key)];
            form.extend_from_slice(extra);
            form
        }
    };
    let comments = q("comments");
    let issues = q("top_issues");

    let wording =
        designer.call("surveys/question/wording", &comments(&[("text", "Anything else?"), ("help", "")])).await;
    assert_eq!(wording.status(), 200, "{}", wording.text().await.unwrap_or_default());
    let choices = designer
        .call("surveys/question/choices", &issues(&[("list", "options"), ("lines", "transit: Buses\nNew sidewalks")]))
        .await;
    assert_eq!(choices.status(), 200);
    let settings = designer.call("surveys/question/settings", &issues(&[("max_selected", "1"), ("other", "")])).await;
    assert_eq!(settings.status(), 200);
    let rule = designer
        .call(
            "surveys/question/rule",
            &comments(&[("question", "top_issues"), ("op", "any_of"), ("value", "transit, new_sidewalks")]),
        )
        .await;
    assert_eq!(rule.status(), 200);

    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    let definition = SurveyDefinition::from_json(&editor["definition"].to_string()).expect("parses");
    assert_eq!(definition.question("comments").expect("q").text["en"], "Anything else?");
    let options: Vec<String> = definition
        .question("top_issues")
        .and_then(|q| q.kind.options())
        .expect("options")
        .iter()
        .map(|o| o.key.clone())
        .collect();
    assert_eq!(options, ["transit", "new_sidewalks"]);
    assert!(definition.question("comments").is_some_and(|q| q.show_if.is_some()));

    let later = designer.call("surveys/question/rule", &issues(&[("question", "comments"), ("op", "answered")])).await;
    assert_eq!(later.status(), 422, "a rule on a later question is refused");
    let not_a_number = designer.call("surveys/question/settings", &issues(&[("max_selected", "many")])).await;
    assert_eq!(not_a_number.status(), 422);
    let unknown_value = designer
        .call("surveys/question/rule", &comments(&[("question", "top_issues"), ("op", "equals"), ("value", "nope")]))
        .await;
    assert_eq!(unknown_value.status(), 422);
}

async fn a_schedule_opens_a_draft_by_itself_and_bad_times_are_refused(engine: Engine) {
    let app = crate::support::TestApp::spawn(engine).await;
    let designer = app.signed_in_as("designer").await;
    assert_eq!(designer.call("surveys/create", &[("template", "quick_poll")]).await.status(), 200);

    let past =
        designer.call("surveys/schedule", &[("id", "1"), ("opens_at", "2020-01-01T08:00"), ("closes_at", "")]).await;
    assert_eq!(past.status(), 200);
    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    assert_eq!(editor["summary"]["status"], "open", "an opening time in the past opens the draft");
    assert_eq!(editor["summary"]["opens_at"], "2020-01-01T08:00");

    let backwards = designer
        .call("surveys/schedule", &[("id", "1"), ("opens_at", "2030-01-02T08:00"), ("closes_at", "2030-01-01T08:00")])
        .await;
    assert_eq!(backwards.status(), 422);
    let nonsense =
        designer.call("surveys/schedule", &[("id", "1"), ("opens_at", "next tuesday"), ("closes_at", "")]).await;
    assert_eq!(nonsense.status(), 422);
    let closed = designer
        .call("surveys/schedule", &[("id", "1"), ("opens_at", "2020-01-01T08:00"), ("closes_at", "2021-01-01T08:00")])
        .await;
    assert_eq!(closed.status(), 200);
    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    assert_eq!(editor["summary"]["status"], "closed");
}

async fn an_unchecked_checkbox_turns_its_setting_off(engine: Engine) {
    let app = crate::support::TestApp::spawn(engine).await;
    let designer = app.signed_in_as("designer").await;
    assert_eq!(designer.call("surveys/create", &[("template", "quick_poll")]).await.status(), 200);
    let title = "Quick poll";
    let hide = designer.call("surveys/edit", &[("id", "1"), ("edit", "settings"), ("title", title)]).await;
    assert_eq!(hide.status(), 200, "{}", hide.text().await.unwrap_or_default());
    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    assert!(editor["definition"]["show_results"].is_null(), "results hidden");

    let show = designer
        .call("surveys/edit", &[("id", "1"), ("edit", "settings"), ("title", title), ("required", "true")])
        .await;
    assert_eq!(show.status(), 200, "{}", show.text().await.unwrap_or_default());
    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    assert_eq!(editor["definition"]["show_results"], true);
    let later = designer
        .call("surveys/edit", &[("id", "1"), ("edit", "settings"), ("title", title), ("required", "after_close")])
        .await;
    assert_eq!(later.status(), 200, "{}", later.text().await.unwrap_or_default());
    let editor: serde_json::Value = designer.call("surveys/get", &[("id", "1")]).await.json().await.expect("json");
    assert_eq!(editor["definition"]["results_after_close"], true);

    let dropdown =
        designer.call("surveys/question/settings", &[("id", "1"), ("key", "fix_first"), ("dropdown", "true")]).await;
    assert_eq!(dropdown.status(), 200, "{}", dropdown.text().await.unwrap_or_default());
}

crate::both_engines! {
    an_exported_survey_imports_back_identical,
    an_invalid_file_lists_every_problem_and_imports_nothing,
    a_file_that_is_not_a_survey_is_refused_plainly,
    a_survey_opens_closes_and_is_archived_and_each_step_is_audited,
    a_duplicate_keeps_the_keys_for_the_next_wave,
    the_qr_code_of_a_survey_link_comes_as_svg_and_png,
    a_designer_translates_texts_side_by_side,
    a_designer_edits_a_question_its_options_settings_and_display_rule,
    a_schedule_opens_a_draft_by_itself_and_bad_times_are_refused,
    an_unchecked_checkbox_turns_its_setting_off,
}

//! API tokens (docs/API.md#tokens): a kiosk submits to its survey only, in its channel; a
//! pipeline reads its survey's results only; revoked, unknown and malformed tokens get 401;
//! last use is recorded and creating and revoking are audited; the CLI and the administrators'
//! page `/admin/tokens` create, list and revoke.

use canvass_app::domain::access::Channel;
use canvass_app::domain::api_token::TokenAction;
use canvass_app::domain::survey::example::example_fields;
use canvass_app::domain::survey::form_fields::raw_answers;
use canvass_app::services::api_tokens;
use reqwest::header::{AUTHORIZATION, ORIGIN};
use serde_json::{Value, json};

use crate::cli::canvass;
use crate::responses::{COMMUNITY, POLL, Published, complete_count, published};
use crate::support::{Client, Engine, TestApp};

fn body(survey: &Published, submission: &str) -> Value {
    let answers = raw_answers(&survey.definition, &example_fields(&survey.definition, None));
    json!({"submission_id": submission, "answers": answers})
}

impl Client {
    async fn api_with_token(&self, survey: i64, body: &Value, token: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/surveys/{survey}/responses", self.base))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            // A token works from anywhere, even with another site's Origin: no browser session rides on it.
            .header(ORIGIN, "https://kiosk-vendor.example")
            .json(body)
            .send()
            .await
            .expect("api request")
    }
}

async fn a_kiosk_token_submits_to_its_survey_only_in_its_channel(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let other = published(&app, POLL).await;
    let (token, secret) = api_tokens::create(
        app.db(),
        None,
        "Main library kiosk",
        survey.id,
        TokenAction::SubmitResponses(Channel::Kiosk),
    )
    .await
    .expect("token");
    assert!(secret.starts_with("cvt_") && secret.starts_with(&token.prefix));
    let kiosk = app.client();

    // Many responses from one kiosk: no open-link limit, no device rule.
    for n in 0..25 {
        let stored = kiosk.api_with_token(survey.id, &body(&survey, &format!("kiosk-{n:06}")), &secret).await;
        assert_eq!(stored.status(), 201, "response {n}");
    }
    let rows = canvass_app::db::responses::complete_responses(app.db(), survey.id).await.expect("rows");
    assert!(rows.iter().all(|r| r.channel == "kiosk"), "recorded in the token's channel");
    let retry = kiosk.api_with_token(survey.id, &body(&survey, "kiosk-000000"), &secret).await;
    assert_eq!(retry.json::<Value>().await.expect("json")["status"], "already_stored");

    let elsewhere = kiosk.api_with_token(other.id, &body(&other, "kiosk-other-1"), &secret).await;
    assert_eq!(elsewhere.status(), 403, "another survey");
    let mut paper = body(&survey, "kiosk-paper-01");
    paper["channel"] = json!("paper");
    assert_eq!(kiosk.api_with_token(survey.id, &paper, &secret).await.status(), 403, "another channel");
    let results =
        kiosk.http.get(format!("{}/api/v1/surveys/{}/results", app.base, survey.id)).bearer_auth(&secret).send().await;
    assert_eq!(results.expect("results").status(), 403, "a submitting token reads nothing");
    assert_eq!(complete_count(&app, survey.id).await, 25);

    let listed = api_tokens::list(app.db()).await.expect("list");
    assert!(listed[0].last_used_at.is_some(), "its last use is shown");
    api_tokens::revoke(app.db(), None, token.id).await.expect("revoke");
    let revoked = kiosk.api_with_token(survey.id, &body(&survey, "kiosk-after-01"), &secret).await;
    assert_eq!(revoked.status(), 401);
    assert_eq!(revoked.headers().get("www-authenticate").map(|v| v.as_bytes()), Some(&b"Bearer"[..]));
    assert_eq!(revoked.json::<Value>().await.expect("json")["error"], "token_invalid");
    for bad in ["cvt_nottherightlength", "Basic abc", &secret.replace('a', "b")] {
        let response = kiosk.api_with_token(survey.id, &body(&survey, "kiosk-bad-0001"), bad).await;
        assert_eq!(response.status(), 401, "{bad}");
    }
    assert_eq!(complete_count(&app, survey.id).await, 25);

    let audit = canvass_app::services::accounts::audit_log(app.db(), 50).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"api_token.created") && actions.contains(&"api_token.revoked"), "{actions:?}");
}

async fn a_results_token_reads_its_surveys_results_without_free_text(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let other = published(&app, POLL).await;
    let (_, secret) = api_tokens::create(app.db(), None, "Open data pipeline", survey.id, TokenAction::ReadResults)
        .await
        .expect("token");
    let pipeline = app.client();
    let get = |path: String| pipeline.http.get(format!("{}{path}", app.base)).bearer_auth(&secret).send();
    let results = get(format!("/api/v1/surveys/{}/results", survey.id)).await.expect("results");
    assert_eq!(results.status(), 200);
    let csv = get(format!("/api/v1/surveys/{}/responses.csv", survey.id)).await.expect("export");
    assert_eq!(csv.status(), 200);
    assert_eq!(get(format!("/api/v1/surveys/{}/results", other.id)).await.expect("other").status(), 403);
    assert_eq!(pipeline.api_with_token(survey.id, &body(&survey, "reader-0001"), &secret).await.status(), 403);
}

async fn the_cli_creates_lists_and_revokes_tokens_and_shows_the_secret_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let url = &app.database.url;
    let id = survey.id.to_string();
    let created =
        canvass(&["token", "create", "--name", "Lobby kiosk", "--survey", &id, "--can", "submit-responses"], url, None);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let out = String::from_utf8_lossy(&created.stdout).into_owned();
    let secret = out.lines().find(|l| l.starts_with("cvt_")).expect("the secret is printed").to_owned();
    assert!(out.contains("submit responses as kiosk"), "{out}");

    let list = canvass(&["token", "list"], url, None);
    let listed = String::from_utf8_lossy(&list.stdout).into_owned();
    assert!(listed.contains("Lobby kiosk") && listed.contains(&secret[..10]), "{listed}");
    assert!(!listed.contains(&secret), "the secret is never shown again");

    let stored = app.client().api_with_token(survey.id, &body(&survey, "cli-token-01"), &secret).await;
    assert_eq!(stored.status(), 201);
    let revoked = canvass(&["token", "revoke", "1"], url, None);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    assert_eq!(app.client().api_with_token(survey.id, &body(&survey, "cli-token-02"), &secret).await.status(), 401);

    for (args, expected) in [
        (vec!["token", "create", "--name", "x", "--survey", "999", "--can", "read-results"], "there is no survey 999"),
        (vec!["token", "create", "--name", "x", "--survey", &id, "--can", "delete-everything"], "--can:"),
        (
            vec!["token", "create", "--name", "x", "--survey", &id, "--can", "submit", "--channel", "open"],
            "kiosk or paper",
        ),
        (vec!["token", "create", "--name", " ", "--survey", &id, "--can", "read-results"], "Give the token a name"),
        (vec!["token", "revoke", "1"], "revoked already"),
        (vec!["token", "revoke", "42"], "there is no token 42"),
    ] {
        let out = canvass(&args, url, None);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(expected),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The page's server functions: an administrator creates a token (its secret is the answer, and
/// never listed after), it works until revoked; a designer cannot create one. Without
/// JavaScript the secret is shown once on the page the form post is sent back to.
async fn an_administrator_creates_and_revokes_a_token_on_the_tokens_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let id = survey.id.to_string();
    let admin = app.signed_in_as("admin").await;
    let form = [("name", "Open data pipeline"), ("survey", id.as_str()), ("can", "read-results")];

    let created = admin.call("tokens/create", &form).await;
    assert_eq!(created.status(), 200);
    let created: Value = created.json().await.expect("json");
    let secret = created["secret"].as_str().expect("the secret is the answer").to_owned();
    assert!(secret.starts_with("cvt_"), "{secret}");
    assert_eq!(created["token"]["name"], "Open data pipeline");
    let token_id = created["token"]["id"].as_i64().expect("id").to_string();
    let results = || {
        app.client().http.get(format!("{}/api/v1/surveys/{}/results", app.base, survey.id)).bearer_auth(&secret).send()
    };
    assert_eq!(results().await.expect("results").status(), 200, "the token works");

    let listed = admin.call("tokens/list", &[]).await;
    assert_eq!(listed.status(), 200);
    let listed = listed.text().await.expect("text");
    assert!(listed.contains("Open data pipeline") && listed.contains(&secret[..10]), "{listed}");
    assert!(!listed.contains(&secret), "the list never shows the secret");
    let directory: Value = serde_json::from_str(&listed).expect("json");
    assert!(directory["tokens"][0]["last_used_at"].is_string(), "its last use is shown");

    let revoked = admin.call("tokens/revoke", &[("id", &token_id)]).await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(results().await.expect("results").status(), 401, "a revoked token is refused");
    let again = admin.call("tokens/revoke", &[("id", &token_id)]).await;
    assert_eq!(again.status(), 409);
    assert_eq!(crate::support::error_key(again).await, "token_revoked");

    let designer = app.signed_in_as("designer").await;
    assert_eq!(designer.call("tokens/create", &form).await.status(), 403);
    assert_eq!(api_tokens::list(app.db()).await.expect("list").len(), 1, "the refused call made no token");

    // Without JavaScript: the form post is sent back to the page, which shows the secret once.
    let posted = admin.post_form("tokens/create", &form, "/admin/tokens").await;
    assert_eq!(posted.status(), 302);
    let location = posted.headers()["location"].to_str().expect("ascii").to_owned();
    assert_eq!(location, "/admin/tokens?created=1");
    let page = admin.page(&location).await.text().await.expect("html");
    let shown_at = page.find("data-testid=\"token-secret\"").expect("the page shows the secret");
    let start = shown_at + page[shown_at..].find("cvt_").expect("a secret");
    let shown = &page[start..start + secret.len()];
    assert!(shown.starts_with("cvt_") && shown != secret, "{shown}");
    let works = app.client().http.get(format!("{}/api/v1/surveys/{}/results", app.base, survey.id)).bearer_auth(shown);
    assert_eq!(works.send().await.expect("results").status(), 200, "the secret shown works");
    let reloaded = admin.page(&location).await.text().await.expect("html");
    assert!(!reloaded.contains(shown), "shown once");
    let refused = admin
        .post_form("tokens/create", &[("name", " "), ("survey", &id), ("can", "read-results")], "/admin/tokens")
        .await;
    assert_eq!(
        refused.headers()["location"].to_str().expect("ascii").split('&').next(),
        Some("/admin/tokens?error=token_name_invalid")
    );
}

crate::both_engines! {
    a_kiosk_token_submits_to_its_survey_only_in_its_channel,
    a_results_token_reads_its_surveys_results_without_free_text,
    the_cli_creates_lists_and_revokes_tokens_and_shows_the_secret_once,
    an_administrator_creates_and_revokes_a_token_on_the_tokens_page,
}

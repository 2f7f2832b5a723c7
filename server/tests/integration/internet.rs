//! Safe on the open internet (docs/SECURITY.md): the client's address behind a reverse proxy,
//! cross-site requests, security headers, survey keys in addresses and cookies, invite-code
//! guessing through the API.

use canvass_app::domain::survey::SurveyDefinition;
use canvass_app::domain::survey::example::example_fields;
use canvass_app::domain::survey::form_fields::raw_answers;
use canvass_app::services::invites;
use canvass_app::state::INVITE_CODE_TRIES_PER_HOUR;
use reqwest::header::{CONTENT_TYPE, ORIGIN};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::responses::{COMMUNITY, POLL, complete_count, page_fields, published};
use crate::support::{Client, Engine, TEST_RESPONSES_PER_HOUR, TestApp};

fn api_body(survey: &SurveyDefinition, submission: &str) -> Value {
    json!({"submission_id": submission, "answers": raw_answers(survey, &example_fields(survey, None))})
}

impl Client {
    /// Sends a response to the JSON API as if through a proxy that says it came from `client`.
    async fn api_from(&self, survey: i64, body: &Value, client: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/surveys/{survey}/responses", self.base))
            .header(CONTENT_TYPE, "application/json")
            .header("x-forwarded-for", client)
            .body(body.to_string())
            .send()
            .await
            .expect("api request")
    }
}

async fn behind_a_trusted_proxy_each_resident_has_their_own_open_link_allowance(engine: Engine) {
    let app = TestApp::spawn_behind_proxies(engine, "127.0.0.1/32").await;
    let survey = published(&app, POLL).await;
    let client = app.client();
    for n in 0..TEST_RESPONSES_PER_HOUR {
        // A client-written first hop is not believed: the proxy's hop (the last) is the client.
        let forwarded = format!("203.0.113.{}, 198.51.100.7", n + 1);
        let body = api_body(&survey.definition, &format!("first-{n:06}"));
        assert_eq!(client.api_from(survey.id, &body, &forwarded).await.status(), 201, "response {n} of 198.51.100.7");
    }
    let over = client.api_from(survey.id, &api_body(&survey.definition, "first-over"), "198.51.100.7").await;
    assert_eq!(over.status(), 429, "the one address used up its allowance");
    let neighbour = client.api_from(survey.id, &api_body(&survey.definition, "second-0001"), "198.51.100.8").await;
    assert_eq!(neighbour.status(), 201, "another resident behind the same proxy still answers");
    // An IPv6 household has a whole /64: another address in it is the same household.
    for n in 0..TEST_RESPONSES_PER_HOUR {
        let address = format!("2001:db8:5:6::{:x}", n + 1);
        let body = api_body(&survey.definition, &format!("v6-{n:06}"));
        assert_eq!(client.api_from(survey.id, &body, &address).await.status(), 201);
    }
    let same_64 =
        client.api_from(survey.id, &api_body(&survey.definition, "v6-over-limit"), "2001:db8:5:6:ffff::1").await;
    assert_eq!(same_64.status(), 429, "{:?}", same_64.text().await);
}

async fn forwarding_headers_from_an_untrusted_peer_are_ignored(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let client = app.client();
    for n in 0..TEST_RESPONSES_PER_HOUR {
        let forged = format!("198.51.100.{}", n + 1);
        let body = api_body(&survey.definition, &format!("forged-{n:06}"));
        assert_eq!(client.api_from(survey.id, &body, &forged).await.status(), 201);
    }
    let over = client.api_from(survey.id, &api_body(&survey.definition, "forged-over"), "192.0.2.1").await;
    assert_eq!(over.status(), 429, "a made-up X-Forwarded-For does not escape the limit");
}

async fn a_request_from_another_website_changes_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let client = app.client();
    let evil = "https://evil.example";

    let form = client
        .http
        .post(format!("{}/s/{}", app.base, survey.key))
        .header(ORIGIN, evil)
        .form(&page_fields(&survey.definition, 0))
        .send()
        .await
        .expect("post");
    assert_eq!(form.status(), 403);
    assert!(form.headers().get("set-cookie").is_none());
    assert!(form.text().await.expect("html").contains("came from another website"));

    let api = client
        .http
        .post(format!("{}/api/v1/surveys/{}/responses", app.base, survey.id))
        .header(ORIGIN, evil)
        .header(CONTENT_TYPE, "application/json")
        .body(api_body(&survey.definition, "cross-site-0001").to_string())
        .send()
        .await
        .expect("api");
    assert_eq!(api.status(), 403);
    assert_eq!(api.json::<Value>().await.expect("json")["error"], "cross_site_request");

    app.add_staff("ana@city.gov", "admin").await;
    let login = client
        .http
        .post(format!("{}/api/auth/login", app.base))
        .header(ORIGIN, evil)
        .form(&[("email", "ana@city.gov"), ("password", crate::support::PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 403, "a login form on another site cannot sign anyone in");
    let sibling = client
        .http
        .post(format!("{}/s/{}", app.base, survey.key))
        .header("sec-fetch-site", "same-site")
        .form(&page_fields(&survey.definition, 0))
        .send()
        .await
        .expect("post");
    assert_eq!(sibling.status(), 403, "a sibling subdomain is not Canvass");
    assert_eq!(complete_count(&app, survey.id).await, 0);

    // The same requests from Canvass's own pages go through.
    let own = client
        .http
        .post(format!("{}/api/v1/surveys/{}/responses", app.base, survey.id))
        .header(ORIGIN, app.base.as_str())
        .header(CONTENT_TYPE, "application/json")
        .body(api_body(&survey.definition, "same-origin-01").to_string())
        .send()
        .await
        .expect("api");
    assert_eq!(own.status(), 201);
    let login = client
        .http
        .post(format!("{}/api/auth/login", app.base))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", "ana@city.gov"), ("password", crate::support::PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
}

/// The nonce of a response's Content-Security-Policy.
fn nonce_of(policy: &str) -> String {
    let start = policy.find("'nonce-").expect("a nonce") + "'nonce-".len();
    policy[start..].chars().take_while(|c| *c != '\'').collect()
}

async fn every_kind_of_response_carries_the_security_headers(engine: Engine) {
    let app = TestApp::spawn_with_public_url(engine, Some("https://canvass.city.gov".to_owned())).await;
    let survey = published(&app, COMMUNITY).await;
    let poll = published(&app, POLL).await;
    let visitor = app.client();
    let paths = [
        "/".to_owned(),
        "/login".to_owned(),
        format!("/s/{}", survey.key),
        format!("/s/{}?embed=1", survey.key),
        "/healthz".to_owned(),
        "/api/v1/surveys/999/results".to_owned(),
        format!("/s/{}/qr.svg", survey.key),
        "/no/such/page".to_owned(),
    ];
    let mut nonces = Vec::new();
    for path in &paths {
        let response = visitor.page(path).await;
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let policy = header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(policy.contains("script-src 'self' 'nonce-"), "{path}: {policy}");
        assert!(!policy.contains("'unsafe-inline' 'wasm") && !policy.contains("script-src 'self' 'unsafe-inline'"));
        assert!(policy.ends_with("frame-ancestors 'none'"), "{path}: only quick polls are framed: {policy}");
        assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(header("referrer-policy").as_deref(), Some("same-origin"), "{path}");
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert_eq!(header("strict-transport-security").as_deref(), Some("max-age=31536000"), "{path}");
        let nonce = nonce_of(&policy);
        if header("content-type").is_some_and(|t| t.starts_with("text/html")) && path != "/no/such/page" {
            let html = response.text().await.expect("html");
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{path}: the page's scripts carry the nonce");
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), paths.len(), "every response has its own nonce");

    let embed = visitor.page(&format!("/s/{}?embed=1", poll.key)).await;
    let policy = embed.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(policy.ends_with("frame-ancestors *"), "a quick poll's embed page can sit in a city website: {policy}");
    assert!(embed.headers().get("x-frame-options").is_none());
}

async fn an_address_that_cannot_name_a_survey_gets_a_404_and_no_cookie(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, POLL).await;
    let visitor = app.client();
    for key in ["abc%3BDomain%3Devil.example", "ABCDEFGH", "a", "nosuchsurveykey"] {
        let post = visitor
            .http
            .post(format!("{}/s/{key}", app.base))
            .form(&page_fields(&survey.definition, 0))
            .send()
            .await
            .expect("post");
        assert_eq!(post.status(), 404, "{key}");
        assert!(post.headers().get("set-cookie").is_none(), "{key}: no cookie for an unknown survey");
        let page = visitor.page(&format!("/s/{key}")).await;
        assert_eq!(page.status(), 404, "{key}");
        let link = visitor.page(&format!("/s/{key}/invite/ABCD-EFGH")).await;
        assert_eq!(link.status(), 404, "{key}");
        assert!(link.headers().get("set-cookie").is_none());
    }
    // A real survey's cookies are named by its number, not by anything in the address.
    let first = visitor.post_page(&survey.key, 0, "next", &page_fields(&survey.definition, 0)).await;
    let cookies: Vec<String> =
        first.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    assert!(cookies.iter().all(|c| !c.contains(&survey.key)), "{cookies:?}");
}

async fn the_api_stops_invite_code_guessing_and_answers_used_and_unknown_codes_alike(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    invites::set_access(app.db(), None, survey.id, "invite_only").await.expect("access");
    let guesser = app.client();
    let mut statuses = Vec::new();
    for n in 0..=INVITE_CODE_TRIES_PER_HOUR {
        let mut body = api_body(&survey.definition, &format!("guess-{n:06}"));
        body["invite_code"] = json!(format!("{n:04}-0000"));
        let response = guesser.api(survey.id, &body).await;
        let status = response.status().as_u16();
        let key = response.json::<Value>().await.expect("json")["error"].as_str().unwrap_or_default().to_owned();
        statuses.push((status, key));
    }
    let (last, tries) = statuses.split_last().expect("tries");
    assert!(tries.iter().all(|(s, k)| *s == 422 && k == "invite_code_unknown"), "{tries:?}");
    assert_eq!(*last, (429, "too_many_code_tries".to_owned()));
    assert_eq!(complete_count(&app, survey.id).await, 0);
}

async fn a_script_posting_without_cookies_cannot_fill_the_database(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let first_page = page_fields(&survey.definition, 0);
    let mut last = None;
    for n in 0..=TEST_RESPONSES_PER_HOUR {
        // A new client each time: no cookie, so each post would start a new response.
        let post = app.client().post_page(&survey.key, 0, "next", &first_page).await;
        last = Some((n, crate::responses::location(&post)));
    }
    let (n, location) = last.expect("posts");
    assert!(location.contains("reason=too_many_responses"), "post {n}: {location}");
    let rows = app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM response WHERE survey_id = {}", survey.id),
        ))
        .await
        .expect("count")
        .and_then(|row| row.try_get::<i64>("", "n").ok());
    assert_eq!(rows, Some(i64::from(TEST_RESPONSES_PER_HOUR)), "responses in progress stop at the address's allowance");

    // A page of answers is a few kilobytes; a post of megabytes is refused before it is read.
    let mut huge = first_page.clone();
    huge.push(("place_to_live.junk".to_owned(), "x".repeat(200 * 1024)));
    let refused = app.client().post_page(&survey.key, 0, "next", &huge).await;
    assert_eq!(refused.status(), 413);
}

crate::both_engines! {
    a_script_posting_without_cookies_cannot_fill_the_database,
    behind_a_trusted_proxy_each_resident_has_their_own_open_link_allowance,
    forwarding_headers_from_an_untrusted_peer_are_ignored,
    a_request_from_another_website_changes_nothing,
    every_kind_of_response_carries_the_security_headers,
    an_address_that_cannot_name_a_survey_gets_a_404_and_no_cookie,
    the_api_stops_invite_code_guessing_and_answers_used_and_unknown_codes_alike,
}

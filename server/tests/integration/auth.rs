//! Signing in and out, throttling, and session cookies.

use crate::support::{Engine, PASSWORD, TestApp, error_key};

async fn an_admin_signs_in_and_is_recognised(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();

    let response = client.sign_in(" Ana@City.gov ", PASSWORD).await;
    assert_eq!(response.status(), 200);

    let me: serde_json::Value = client.me().await;
    assert_eq!(me["email"], "ana@city.gov");
    assert_eq!(me["role"], "admin");
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();

    let wrong_password = client.sign_in("ana@city.gov", "not the password").await;
    let unknown_email = client.sign_in("bob@city.gov", PASSWORD).await;

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_email.status(), 401);
    assert_eq!(error_key(wrong_password).await, "wrong_credentials");
    assert_eq!(error_key(unknown_email).await, "wrong_credentials");
    let me: serde_json::Value = client.me().await;
    assert!(me.is_null(), "nobody is signed in after failures");
}

async fn after_the_free_failures_an_account_waits_even_with_the_right_password(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();
    for _ in 0..canvass_app::domain::throttle::FREE_FAILURES_PER_ACCOUNT {
        let response = client.sign_in("ana@city.gov", "guess guess guess").await;
        assert_eq!(response.status(), 401);
    }

    let response = client.sign_in("ana@city.gov", PASSWORD).await;

    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "1", "the first wait is a second");
    assert_eq!(error_key(response).await, "too_many_attempts");
}

async fn an_unknown_account_is_paused_the_same_way(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let client = app.client();
    for _ in 0..5 {
        client.sign_in("nobody@city.gov", "guess guess guess").await;
    }
    let response = client.sign_in("nobody@city.gov", "guess guess guess").await;
    assert_eq!(response.status(), 429, "throttling does not reveal whether an account exists");
}

async fn the_session_cookie_is_http_only_and_same_site_lax(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let response = app.client().sign_in("ana@city.gov", PASSWORD).await;

    let cookie = response.headers().get("set-cookie").expect("a session cookie").to_str().expect("ascii").to_owned();
    assert!(cookie.starts_with("canvass_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
}

async fn signing_out_ends_the_session_on_the_server(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let client = app.signed_in_as("admin").await;

    let response = client.call("auth/logout", &[]).await;
    assert_eq!(response.status(), 200);

    let response = client.call("staff/list", &[]).await;
    assert_eq!(response.status(), 401);
}

async fn a_form_posted_without_javascript_comes_back_with_the_error_and_the_email(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let client = app.client();

    let response =
        client.post_form("auth/login", &[("email", "ana@city.gov"), ("password", "nope nope nope")], "/login").await;

    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.starts_with("/login?error=wrong_credentials"), "{location}");
    assert!(location.contains("email=ana%40city.gov"), "{location}");
    assert!(!location.contains("nope"), "the password never goes into the address: {location}");
}

async fn a_successful_sign_in_without_javascript_redirects_to_the_page_asked_for(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();

    let response = client
        .post_form(
            "auth/login",
            &[("email", "ana@city.gov"), ("password", PASSWORD), ("next", "/admin/users")],
            "/login",
        )
        .await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/admin/users");

    let page = client.page("/admin/users").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("html").contains("Staff accounts"));
}

async fn a_sign_in_never_redirects_to_another_site(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let response = app
        .client()
        .post_form(
            "auth/login",
            &[("email", "ana@city.gov"), ("password", PASSWORD), ("next", "//evil.example/")],
            "/login",
        )
        .await;
    assert_eq!(response.headers()["location"], "/");
}

async fn many_failures_from_one_address_pause_it_for_every_account(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();
    let limit = canvass_app::domain::throttle::MAX_FAILURES_PER_CLIENT;
    for i in 0..limit {
        let email = format!("guess{i}@city.gov");
        let response = client.sign_in(&email, "guess guess guess").await;
        assert_eq!(response.status(), 401);
    }

    let response = client.sign_in("ana@city.gov", PASSWORD).await;

    assert_eq!(response.status(), 429);
}

async fn a_staff_member_changes_their_password(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "analyst").await;
    let client = app.client();
    assert_eq!(client.sign_in("ana@city.gov", PASSWORD).await.status(), 200);
    let new = "a brand new passphrase";

    let wrong = client
        .call(
            "auth/password",
            &[("current_password", "not it at all"), ("password", new), ("password_confirmation", new)],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(error_key(wrong).await, "current_password_wrong");
    let short = client
        .call(
            "auth/password",
            &[("current_password", PASSWORD), ("password", "short"), ("password_confirmation", "short")],
        )
        .await;
    assert_eq!(error_key(short).await, "password_too_short");
    let ok = client
        .call("auth/password", &[("current_password", PASSWORD), ("password", new), ("password_confirmation", new)])
        .await;
    assert_eq!(ok.status(), 200);

    assert_eq!(app.client().sign_in("ana@city.gov", PASSWORD).await.status(), 401, "the old password no longer works");
    assert_eq!(app.client().sign_in("ana@city.gov", new).await.status(), 200);
}

async fn guessing_the_current_password_is_throttled(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "analyst").await;
    let client = app.client();
    assert_eq!(client.sign_in("ana@city.gov", PASSWORD).await.status(), 200);
    let new = "a brand new passphrase";
    for _ in 0..canvass_app::domain::throttle::FREE_FAILURES_PER_ACCOUNT {
        let r = client
            .call(
                "auth/password",
                &[("current_password", "guess guess guess"), ("password", new), ("password_confirmation", new)],
            )
            .await;
        assert_eq!(r.status(), 422);
    }
    let r = client
        .call("auth/password", &[("current_password", PASSWORD), ("password", new), ("password_confirmation", new)])
        .await;
    assert_eq!(r.status(), 429);
}

/// Rows in the login log for an account: one per attempt whose password was checked.
async fn checked_attempts(app: &TestApp, account: &str) -> u64 {
    use canvass_app::db::entities::login_attempt::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    Entity::find().filter(Column::Account.eq(account)).count(app.db()).await.expect("count attempts")
}

/// Moves every logged attempt `secs` into the past, as if the time had passed.
async fn age_attempts(app: &TestApp, secs: i64) {
    use canvass_app::db::entities::login_attempt::{ActiveModel, Entity};
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    for row in Entity::find().all(app.db()).await.expect("attempts") {
        let at = row.attempted_at - time::Duration::seconds(secs);
        let mut row: ActiveModel = row.into();
        row.attempted_at = Set(at);
        row.update(app.db()).await.expect("age attempt");
    }
}

/// Forty wrong guesses sent at once for one account: only the failures that cost nothing are
/// checked against the password; the others are told to wait, without reaching Argon2.
async fn forty_parallel_wrong_guesses_check_at_most_the_free_failures(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let clients: Vec<_> = (0..40).map(|_| app.client()).collect();

    let responses =
        futures_util::future::join_all(clients.iter().map(|c| c.sign_in("ana@city.gov", "guess guess guess"))).await;

    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    let allowed = canvass_app::domain::throttle::FREE_FAILURES_PER_ACCOUNT;
    let checked = checked_attempts(&app, "ana@city.gov").await;
    assert!(checked <= allowed, "{checked} guesses were checked; statuses {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 401).count() as u64, checked, "{statuses:?}");
    for response in responses.iter().filter(|r| r.status() == 429) {
        assert!(response.headers().contains_key("retry-after"), "a refusal says how long to wait");
    }
}

/// After a few failures the account waits, growing with each failure; once the wait is over,
/// the right password works (no fixed lockout a stranger can impose).
async fn the_right_password_works_once_the_wait_is_over(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();
    for _ in 0..3 {
        assert_eq!(client.sign_in("ana@city.gov", "guess guess guess").await.status(), 401);
    }
    // Five more failures, as if a stranger had kept guessing: the wait is now several seconds.
    for _ in 0..5 {
        canvass_app::db::login_attempts::record(app.db(), "ana@city.gov", "192.0.2.9", false).await.expect("record");
    }

    let refused = client.sign_in("ana@city.gov", PASSWORD).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    age_attempts(&app, wait as i64 + 1).await;

    let response = client.sign_in("ana@city.gov", PASSWORD).await;
    assert_eq!(response.status(), 200, "the right password works once the wait is over");
    assert_eq!(client.me().await["email"], "ana@city.gov");
}

crate::both_engines! {
    forty_parallel_wrong_guesses_check_at_most_the_free_failures,
    the_right_password_works_once_the_wait_is_over,
    a_staff_member_changes_their_password,
    guessing_the_current_password_is_throttled,
    many_failures_from_one_address_pause_it_for_every_account,
    an_admin_signs_in_and_is_recognised,
    a_wrong_password_and_an_unknown_email_get_the_same_answer,
    after_the_free_failures_an_account_waits_even_with_the_right_password,
    an_unknown_account_is_paused_the_same_way,
    the_session_cookie_is_http_only_and_same_site_lax,
    signing_out_ends_the_session_on_the_server,
    a_form_posted_without_javascript_comes_back_with_the_error_and_the_email,
    a_successful_sign_in_without_javascript_redirects_to_the_page_asked_for,
    a_sign_in_never_redirects_to_another_site,
}

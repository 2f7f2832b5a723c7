//! Pages, error pages and the health check.

use crate::support::{Engine, TestApp};

async fn the_health_check_reports_the_database(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let response = app.client().page("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["database"], "ok");
}

async fn an_unknown_page_gets_a_404_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let response = app.client().page("/no/such/page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.expect("html").contains("Page not found"));
}

async fn the_home_and_sign_in_pages_render_for_visitors(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let home = app.client().page("/").await;
    assert_eq!(home.status(), 200);
    assert!(home.text().await.expect("html").contains("Hear from every neighborhood"));
    let login = app.client().page("/login?error=wrong_credentials&email=ana%40city.gov").await;
    assert_eq!(login.status(), 200);
    let html = login.text().await.expect("html");
    assert!(html.contains("That e-mail and password do not match"), "the error sent back is shown");
    assert!(html.contains("ana@city.gov"), "the typed e-mail is kept");
}

async fn a_made_up_error_key_in_the_address_shows_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let html = app.client().page("/login?error=%3Cscript%3Ealert(1)%3C/script%3E").await.text().await.expect("html");
    assert!(!html.contains("<script>alert"), "nothing from the address is echoed as HTML");
    assert!(!html.contains("data-testid=\"form-error\""));
}

async fn an_internal_failure_gets_a_500_that_says_nothing_about_the_cause(engine: Engine) {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    app.db().execute_unprepared("DROP TABLE login_attempt").await.expect("break the database");

    let response = app.client().sign_in("ana@city.gov", "whatever it is").await;

    assert_eq!(response.status(), 500);
    let body = response.text().await.expect("body");
    assert!(body.contains("Internal"), "{body}");
    for leak in ["login_attempt", "SQL", "sql", "relation", "no such table"] {
        assert!(!body.contains(leak), "the cause leaked: {body}");
    }
    let page = admin.page("/admin/users").await;
    assert_eq!(page.status(), 200, "pages that do not need the broken table still work");
}

async fn the_session_cookie_is_secure_behind_https(engine: Engine) {
    let app = TestApp::spawn_with_public_url(engine, Some("https://canvass.city.gov".to_owned())).await;
    app.add_staff("ana@city.gov", "admin").await;
    let response = app.client().sign_in("ana@city.gov", crate::support::PASSWORD).await;
    let cookie = response.headers().get("set-cookie").expect("cookie").to_str().expect("ascii").to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
}

crate::both_engines! {
    the_health_check_reports_the_database,
    an_unknown_page_gets_a_404_page,
    the_home_and_sign_in_pages_render_for_visitors,
    a_made_up_error_key_in_the_address_shows_nothing,
    an_internal_failure_gets_a_500_that_says_nothing_about_the_cause,
    the_session_cookie_is_secure_behind_https,
}

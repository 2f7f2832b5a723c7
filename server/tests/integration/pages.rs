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
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("Page not found")
    );
}

async fn the_home_and_sign_in_pages_render_for_visitors(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let home = app.client().page("/").await;
    assert_eq!(home.status(), 200);
    assert!(
        home.text()
            .await
            .expect("html")
            .contains("Hear from every neighborhood")
    );
    let login = app
        .client()
        .page("/login?error=wrong_credentials&email=ana%40city.gov")
        .await;
    assert_eq!(login.status(), 200);
    let html = login.text().await.expect("html");
    assert!(
        html.contains("That e-mail and password do not match"),
        "the error sent back is shown"
    );
    assert!(html.contains("ana@city.gov"), "the typed e-mail is kept");
}

async fn a_made_up_error_key_in_the_address_shows_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let html = app
        .client()
        .page("/login?error=%3Cscript%3Ealert(1)%3C/script%3E")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("<script>alert"),
        "nothing from the address is echoed as HTML"
    );
    assert!(!html.contains("data-testid=\"form-error\""));
}

crate::both_engines! {
    the_health_check_reports_the_database,
    an_unknown_page_gets_a_404_page,
    the_home_and_sign_in_pages_render_for_visitors,
    a_made_up_error_key_in_the_address_shows_nothing,
}

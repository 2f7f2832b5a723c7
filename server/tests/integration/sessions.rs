//! Staff sessions: stored only as a hash, ended after 12 hours whatever the activity, and ended
//! everywhere else when the password changes.

use sea_orm::{ConnectionTrait, EntityTrait};

use crate::support::{Engine, PASSWORD, TestApp};

/// The session id a sign-in response hands the browser.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("canvass_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// Every stored session row.
async fn stored_sessions(app: &TestApp) -> Vec<canvass_app::db::entities::staff_session::Model> {
    canvass_app::db::entities::staff_session::Entity::find().all(app.db()).await.expect("sessions")
}

/// A database leak does not hand out live sessions: the table holds the id's SHA-256, never the
/// id the cookie carries.
async fn the_session_id_is_stored_only_as_its_hash(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "admin").await;
    let client = app.client();

    let response = client.sign_in("ana@city.gov", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let id = session_cookie(&response);

    let rows = stored_sessions(&app).await;
    assert_eq!(rows.len(), 1);
    assert!(rows.iter().all(|row| !row.id.contains(&id) && !row.data.contains(&id)), "the cookie's id is not stored");
    assert_eq!(rows[0].id, canvass_app::services::codes::hash_secret(&id));
    assert_eq!(client.me().await["email"], "ana@city.gov", "signing in still works");
}

/// A session ends 12 hours after it began, even one used a minute ago.
async fn a_session_ends_twelve_hours_after_sign_in_even_if_in_use(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let client = app.signed_in_as("admin").await;
    assert_eq!(client.call("staff/list", &[]).await.status(), 200, "in use");

    let thirteen_hours_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(13);
    let update = sea_orm::sea_query::Query::update()
        .table(sea_orm::sea_query::Alias::new("staff_session"))
        .value(sea_orm::sea_query::Alias::new("created_at"), thirteen_hours_ago)
        .to_owned();
    app.db().execute(&update).await.expect("sessions began 13 hours ago");

    assert_eq!(client.call("staff/list", &[]).await.status(), 401);
    assert!(client.me().await.is_null());
}

/// Changing the password signs the account out everywhere else, and keeps this browser in.
async fn changing_the_password_ends_the_accounts_other_sessions(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    app.add_staff("ana@city.gov", "analyst").await;
    app.add_staff("bob@city.gov", "analyst").await;
    let (laptop, phone, colleague) = (app.client(), app.client(), app.client());
    for (client, email) in [(&laptop, "ana@city.gov"), (&phone, "ana@city.gov"), (&colleague, "bob@city.gov")] {
        assert_eq!(client.sign_in(email, PASSWORD).await.status(), 200);
    }
    let new = "a brand new passphrase";

    let changed = laptop
        .call("auth/password", &[("current_password", PASSWORD), ("password", new), ("password_confirmation", new)])
        .await;

    assert_eq!(changed.status(), 200);
    assert!(phone.me().await.is_null(), "the other session ended");
    assert_eq!(laptop.me().await["email"], "ana@city.gov", "this session stays");
    assert_eq!(colleague.me().await["email"], "bob@city.gov", "other accounts are untouched");
}

crate::both_engines! {
    the_session_id_is_stored_only_as_its_hash,
    a_session_ends_twelve_hours_after_sign_in_even_if_in_use,
    changing_the_password_ends_the_accounts_other_sessions,
}

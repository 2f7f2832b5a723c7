//! Staff administration: inviting, roles, deactivation.

use crate::support::{Engine, PASSWORD, TestApp, error_key};

/// Invites someone as the given admin client (as the page's JavaScript does) and returns the
/// invite path the server function answers with.
async fn invite(client: &crate::support::Client, email: &str, role: &str) -> String {
    let response = client.call("staff/invite", &[("email", email), ("role", role)]).await;
    assert_eq!(response.status(), 200, "invite {email}");
    let invitation: serde_json::Value = response.json().await.expect("the invitation");
    invitation["invite_path"].as_str().expect("the invite path").to_owned()
}

/// Every stored session's data, as text.
async fn session_data(app: &TestApp) -> String {
    use sea_orm::EntityTrait;
    let rows = canvass_app::db::entities::staff_session::Entity::find().all(app.db()).await.expect("sessions");
    rows.into_iter().map(|row| row.data).collect::<Vec<_>>().join("\n")
}

async fn an_invited_designer_chooses_a_password_and_can_sign_in(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let path = invite(&admin, "dee@city.gov", "designer").await;
    let code = path.trim_start_matches("/invite/");

    let newcomer = app.client();
    let email: String = newcomer.call("auth/invite", &[("code", code)]).await.json().await.expect("json");
    assert_eq!(email, "dee@city.gov");
    let response = newcomer.accept_invite(code, PASSWORD, PASSWORD).await;
    assert_eq!(response.status(), 200);
    let me: serde_json::Value = newcomer.me().await;
    assert_eq!(me["role"], "designer");

    let again = app.client().sign_in("dee@city.gov", PASSWORD).await;
    assert_eq!(again.status(), 200);
}

/// The fresh invite link is the invite server function's answer; it is kept in no session.
async fn the_invite_link_is_answered_once_and_kept_in_no_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;

    let path = invite(&admin, "dee@city.gov", "designer").await;

    let code = path.trim_start_matches("/invite/");
    assert_eq!(code.len(), 26, "{path}");
    assert!(!session_data(&app).await.contains(code), "the link is not in the administrator's session");
    let directory: serde_json::Value = admin.call("staff/list", &[]).await.json().await.expect("json");
    assert!(directory["just_invited"].is_null(), "the staff list does not show it again");
}

/// Without JavaScript the invite form posts and the browser is sent back to the staff page,
/// which shows the link once, from a short-lived cookie of its own: nothing secret in the
/// address, nothing in the session.
async fn an_invite_made_without_javascript_is_shown_once_and_never_in_the_address(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;

    let response =
        admin.post_form("staff/invite", &[("email", "dee@city.gov"), ("role", "designer")], "/admin/users").await;

    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().expect("ascii").to_owned();
    assert_eq!(location, "/admin/users?invited=1");
    let page = admin.page(&location).await.text().await.expect("html");
    let start = page.find("/invite/").expect("the page shows the invite link") + "/invite/".len();
    let code = &page[start..start + 26];
    assert!(code.bytes().all(|b| b.is_ascii_alphanumeric()), "{code}");
    assert!(!session_data(&app).await.contains(code), "the link is not in the administrator's session");
    let again = admin.page(&location).await.text().await.expect("html");
    assert!(!again.contains(code), "shown once");
    let newcomer = app.client();
    assert_eq!(newcomer.accept_invite(code, PASSWORD, PASSWORD).await.status(), 200, "the link shown works");
}

/// Two people (or two tabs) accepting one invite at once: one account, one password.
async fn two_parallel_accepts_of_one_invite_only_one_succeeds(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let path = invite(&admin, "dee@city.gov", "designer").await;
    let code = path.trim_start_matches("/invite/");
    let (first, second) = (app.client(), app.client());
    let (one, other) = ("first chosen passphrase", "second chosen passphrase");

    let (a, b) = tokio::join!(first.accept_invite(code, one, one), second.accept_invite(code, other, other));

    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 410], "exactly one accept succeeds");
    let winner = if a.status() == 200 { one } else { other };
    let loser = if a.status() == 200 { other } else { one };
    assert_eq!(app.client().sign_in("dee@city.gov", winner).await.status(), 200);
    assert_eq!(app.client().sign_in("dee@city.gov", loser).await.status(), 401);
}

async fn an_invite_link_works_only_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let path = invite(&admin, "dee@city.gov", "analyst").await;
    let code = path.trim_start_matches("/invite/");
    let form = [("code", code), ("password", PASSWORD), ("password_confirmation", PASSWORD)];
    assert_eq!(app.client().call("auth/accept-invite", &form).await.status(), 200);

    let second = app.client().call("auth/accept-invite", &form).await;

    assert_eq!(second.status(), 410);
    assert_eq!(error_key(second).await, "invite_expired");
}

async fn a_made_up_invite_code_is_refused(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for code in ["", "ABC", "0123456789ABCDEFGHJKMNPQRS", "'; DROP TABLE staff_user; --"] {
        let response = app.client().call("auth/invite", &[("code", code)]).await;
        assert_eq!(response.status(), 410, "{code:?}");
    }
    let page = app.client().page("/invite/NOPE").await;
    assert_eq!(page.status(), 410);
}

async fn a_short_or_mismatched_password_is_refused_and_the_invite_still_works(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let path = invite(&admin, "dee@city.gov", "analyst").await;
    let code = path.trim_start_matches("/invite/");
    let client = app.client();

    let short = client.accept_invite(code, "short", "short").await;
    assert_eq!(short.status(), 422);
    assert_eq!(error_key(short).await, "password_too_short");
    let mismatch = client.accept_invite(code, PASSWORD, "something else entirely").await;
    assert_eq!(error_key(mismatch).await, "password_mismatch");

    let ok = client.accept_invite(code, PASSWORD, PASSWORD).await;
    assert_eq!(ok.status(), 200);
}

async fn a_malformed_email_or_unknown_role_is_refused_and_nothing_is_created(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let before = canvass_app::services::accounts::list(app.db()).await.expect("list").len();

    let bad_email = admin.call("staff/invite", &[("email", "not-an-email"), ("role", "designer")]).await;
    assert_eq!(bad_email.status(), 422);
    assert_eq!(error_key(bad_email).await, "email_invalid");
    let bad_role = admin.call("staff/invite", &[("email", "dee@city.gov"), ("role", "owner")]).await;
    assert_eq!(bad_role.status(), 422);
    assert_eq!(error_key(bad_role).await, "role_unknown");

    let after = canvass_app::services::accounts::list(app.db()).await.expect("list").len();
    assert_eq!(before, after);
}

async fn an_email_can_have_only_one_account(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    invite(&admin, "dee@city.gov", "designer").await;
    let again = admin.call("staff/invite", &[("email", "DEE@city.gov"), ("role", "analyst")]).await;
    assert_eq!(again.status(), 422);
    assert_eq!(error_key(again).await, "email_taken");
}

async fn a_deactivated_staff_member_is_signed_out_at_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    app.add_staff("dee@city.gov", "designer").await;
    let designer = app.client();
    designer.sign_in("dee@city.gov", PASSWORD).await;
    let id = staff_id(app.db(), "dee@city.gov").await;

    let response = admin.call("staff/active", &[("id", &id.to_string()), ("active", "false")]).await;
    assert_eq!(response.status(), 200);

    let me: serde_json::Value = designer.me().await;
    assert!(me.is_null(), "the open session no longer counts");
    let login = app.client().sign_in("dee@city.gov", PASSWORD).await;
    assert_eq!(login.status(), 401);

    let reactivate = admin.call("staff/active", &[("id", &id.to_string()), ("active", "true")]).await;
    assert_eq!(reactivate.status(), 200);
    let login = app.client().sign_in("dee@city.gov", PASSWORD).await;
    assert_eq!(login.status(), 200);
}

async fn the_last_admin_cannot_be_demoted_or_deactivated(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let me: serde_json::Value = admin.me().await;
    let id = me["id"].as_i64().expect("id").to_string();

    let demote = admin.call("staff/role", &[("id", &id), ("role", "analyst")]).await;
    assert_eq!(demote.status(), 409);
    assert_eq!(error_key(demote).await, "last_admin");
    let deactivate = admin.call("staff/active", &[("id", &id), ("active", "false")]).await;
    assert_eq!(deactivate.status(), 409);
    assert_eq!(error_key(deactivate).await, "deactivate_self");
}

async fn an_admin_can_change_a_role(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    app.add_staff("dee@city.gov", "designer").await;
    let id = staff_id(app.db(), "dee@city.gov").await.to_string();

    let response = admin.call("staff/role", &[("id", &id), ("role", "analyst")]).await;
    assert_eq!(response.status(), 200);
    let directory: serde_json::Value = admin.call("staff/list", &[]).await.json().await.expect("json");
    let dee = directory["members"].as_array().expect("members").iter().find(|m| m["email"] == "dee@city.gov").cloned();
    assert_eq!(dee.expect("listed")["role"], "analyst");

    let missing = admin.call("staff/role", &[("id", "999999"), ("role", "analyst")]).await;
    assert_eq!(missing.status(), 404);
    let garbage = admin.call("staff/role", &[("id", "abc"), ("role", "analyst")]).await;
    assert_eq!(garbage.status(), 400, "an id that is not a number is a bad request, not a crash");
}

async fn staff_id(db: &sea_orm::DatabaseConnection, email: &str) -> i64 {
    canvass_app::services::accounts::list(db)
        .await
        .expect("list")
        .into_iter()
        .find(|m| m.email == email)
        .expect("account exists")
        .id
}

async fn staff_changes_are_in_the_audit_log_for_admins(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    invite(&admin, "dee@city.gov", "designer").await;
    let log: serde_json::Value = admin.call("staff/audit", &[]).await.json().await.expect("json");
    let newest = &log[0];
    assert_eq!(newest["action"], "staff.invited");
    assert!(newest["actor"].as_str().is_some_and(|a| a.starts_with("admin-")), "{newest}");
    assert!(log.as_array().is_some_and(|l| l.iter().any(|e| e["action"] == "staff.created")));
}

crate::both_engines! {
    an_invited_designer_chooses_a_password_and_can_sign_in,
    the_invite_link_is_answered_once_and_kept_in_no_session,
    an_invite_made_without_javascript_is_shown_once_and_never_in_the_address,
    two_parallel_accepts_of_one_invite_only_one_succeeds,
    an_invite_link_works_only_once,
    a_made_up_invite_code_is_refused,
    a_short_or_mismatched_password_is_refused_and_the_invite_still_works,
    a_malformed_email_or_unknown_role_is_refused_and_nothing_is_created,
    an_email_can_have_only_one_account,
    a_deactivated_staff_member_is_signed_out_at_once,
    the_last_admin_cannot_be_demoted_or_deactivated,
    an_admin_can_change_a_role,
    staff_changes_are_in_the_audit_log_for_admins,
}

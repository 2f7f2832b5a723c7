//! Every staff page and server function refuses visitors and lower roles, on the server.
//!
//! The list below is the access policy. A server function that is not in it fails
//! `every_server_function_has_a_declared_access_rule`, so a new one cannot ship unclassified.

use std::collections::BTreeSet;

use crate::support::{Engine, TestApp};

/// Who may call a server function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, including residents and visitors.
    Public,
    /// Any signed-in staff member, whatever the role.
    SignedIn,
    /// Signed-in staff whose role grants this one.
    Role(&'static str),
}

/// Form arguments that decode for a server function.
type Args = &'static [(&'static str, &'static str)];

/// Every server function: endpoint, access rule, and arguments that decode.
const SERVER_FUNCTIONS: &[(&str, Access, Args)] = &[
    ("/api/auth/me", Access::Public, &[]),
    ("/api/auth/login", Access::Public, &[("email", "x@city.gov"), ("password", "whatever it is")]),
    ("/api/auth/logout", Access::Public, &[]),
    ("/api/auth/invite", Access::Public, &[("code", "X")]),
    (
        "/api/auth/password",
        Access::SignedIn,
        &[("current_password", "x"), ("password", "y"), ("password_confirmation", "y")],
    ),
    ("/api/auth/accept-invite", Access::Public, &[("code", "X"), ("password", "p"), ("password_confirmation", "p")]),
    ("/api/staff/list", Access::Role("admin"), &[]),
    ("/api/staff/invite", Access::Role("admin"), &[("email", "new@city.gov"), ("role", "designer")]),
    ("/api/staff/role", Access::Role("admin"), &[("id", "1"), ("role", "admin")]),
    ("/api/staff/active", Access::Role("admin"), &[("id", "1"), ("active", "false")]),
    ("/api/staff/audit", Access::Role("admin"), &[]),
    ("/api/tokens/list", Access::Role("admin"), &[]),
    ("/api/tokens/create", Access::Role("admin"), &[("name", "Kiosk"), ("survey", "1"), ("can", "read-results")]),
    ("/api/tokens/revoke", Access::Role("admin"), &[("id", "1")]),
    ("/api/surveys/list", Access::Role("designer"), &[]),
    ("/api/surveys/create", Access::Role("designer"), &[("template", "quick_poll")]),
    ("/api/surveys/import", Access::Role("designer"), &[("definition", "{}")]),
    ("/api/surveys/get", Access::Role("designer"), &[("id", "1")]),
    ("/api/surveys/edit", Access::Role("designer"), &[("id", "1"), ("edit", "add_page"), ("key", "extra")]),
    ("/api/surveys/replace", Access::Role("designer"), &[("id", "1"), ("definition", "{}")]),
    ("/api/surveys/status", Access::Role("designer"), &[("id", "1"), ("action", "publish")]),
    (
        "/api/surveys/translate",
        Access::Role("designer"),
        &[("id", "1"), ("language", "es"), ("paths[0]", "title"), ("values[0]", "x")],
    ),
    ("/api/surveys/question/wording", Access::Role("designer"), &[("id", "1"), ("key", "fix_first"), ("text", "Q")]),
    (
        "/api/surveys/question/choices",
        Access::Role("designer"),
        &[("id", "1"), ("key", "fix_first"), ("list", "options"), ("lines", "a: A")],
    ),
    ("/api/surveys/question/settings", Access::Role("designer"), &[("id", "1"), ("key", "fix_first"), ("other", "")]),
    (
        "/api/surveys/question/rule",
        Access::Role("designer"),
        &[("id", "1"), ("key", "fix_first"), ("question", ""), ("op", "answered")],
    ),
    ("/api/surveys/schedule", Access::Role("designer"), &[("id", "1"), ("opens_at", ""), ("closes_at", "")]),
    ("/api/surveys/duplicate", Access::Role("designer"), &[("id", "1")]),
    ("/api/areas/list", Access::SignedIn, &[]),
    ("/api/areas/detail", Access::SignedIn, &[("key", "x")]),
    ("/api/areas/outcome", Access::Public, &[]),
    ("/api/areas/import", Access::Role("admin"), MULTIPART),
    ("/api/areas/population", Access::Role("admin"), MULTIPART),
    ("/api/areas/names", Access::Role("admin"), MULTIPART),
    ("/api/areas/grouping", Access::Role("admin"), MULTIPART),
    ("/api/areas/on-picker", Access::Role("admin"), &[("key", "x"), ("of", "y")]),
    ("/api/areas/address", Access::Public, &[("address", "600 e 4th"), ("language", "en")]),
    ("/api/areas/apportion", Access::Role("admin"), &[("from", "a"), ("to", "b")]),
    ("/api/areas/default", Access::Role("admin"), &[("key", "x")]),
    ("/api/areas/map", Access::Public, &[("language", "en")]),
    ("/api/areas/locate", Access::Public, &[("longitude", "-80.8"), ("latitude", "35.2")]),
    ("/api/areas/zip", Access::Public, &[("zip", "28202"), ("language", "en")]),
    ("/api/areas/for_survey", Access::Role("designer"), &[("survey_id", "1"), ("language", "en")]),
    ("/api/invites/overview", Access::Role("designer"), &[("id", "1")]),
    ("/api/invites/access", Access::Role("designer"), &[("id", "1"), ("access", "both")]),
    ("/api/invites/generate", Access::Role("designer"), &[("id", "1"), ("count", "2")]),
    ("/api/residents/page", Access::Public, &[("key", "x")]),
    ("/api/residents/thanks", Access::Public, &[("key", "x"), ("receipt", "AAAA-AAAA"), ("embed", "false")]),
    ("/api/residents/refusal", Access::Public, &[("key", "x"), ("reason", "too_many_responses")]),
    ("/api/residents/resume", Access::Public, &[("key", "x"), ("token", "abc")]),
    ("/api/results/surveys", Access::SignedIn, &[]),
    ("/api/results/dashboard", Access::SignedIn, &[("id", "1"), ("query", "")]),
    ("/api/results/fieldwork", Access::SignedIn, &[("id", "1")]),
    ("/api/results/publish", Access::Role("designer"), &[("id", "1"), ("public", "true")]),
    ("/api/results/published", Access::Public, &[("public_key", "x"), ("query", "")]),
];

/// Marks a server function whose form is multipart (a file upload); called with a small file.
const MULTIPART: Args = &[("multipart", "")];

/// Every staff page and the role it needs.
const STAFF_PAGES: &[(&str, &str)] = &[
    ("/admin/users", "admin"),
    ("/admin/audit", "admin"),
    ("/admin/tokens", "admin"),
    ("/surveys", "designer"),
    ("/surveys/1", "designer"),
    ("/surveys/1/json", "designer"),
    ("/surveys/1/translations", "designer"),
    ("/surveys/1/preview", "designer"),
    ("/surveys/1/questions/fix_first", "designer"),
    ("/surveys/1/invites", "designer"),
];

/// Pages for any signed-in staff member.
const SIGNED_IN_PAGES: &[&str] = &["/account", "/areas"];

/// Roles that `role` does not grant (admins are granted everything).
fn roles_below(role: &str) -> Vec<&'static str> {
    ["admin", "designer", "analyst"].into_iter().filter(|r| *r != role && *r != "admin").collect()
}

/// Calls a server function with its declared arguments (a multipart upload for [`MULTIPART`]).
async fn call(client: &crate::support::Client, path: &str, args: Args) -> reqwest::Response {
    if std::ptr::eq(args, MULTIPART) {
        let form = reqwest::multipart::Form::new()
            .text("key", "refused")
            .text("name", "Refused")
            .text("set", "refused")
            .part("file", reqwest::multipart::Part::text("area,total\n").file_name("f.csv"));
        client.http.post(format!("{}{path}", client.base)).multipart(form).send().await.expect("upload")
    } else {
        client.call(path.trim_start_matches("/api/"), args).await
    }
}

#[test]
fn every_server_function_has_a_declared_access_rule() {
    let registered: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect();
    let declared: BTreeSet<String> = SERVER_FUNCTIONS.iter().map(|(path, _, _)| (*path).to_owned()).collect();
    assert_eq!(registered, declared, "declare the access rule of every server function in SERVER_FUNCTIONS");
}

async fn visitors_are_refused_by_every_staff_server_function(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let visitor = app.client();
    for (path, access, args) in SERVER_FUNCTIONS {
        if matches!(access, Access::Role(_) | Access::SignedIn) {
            let response = call(&visitor, path, args).await;
            assert_eq!(response.status(), 401, "{path} must refuse visitors");
        }
    }
}

/// A stranger's refused calls store nothing: not a session row, not a cookie — whether they come
/// as a page's call (JSON) or as a browser's plain form post (`Accept: text/html`), where a
/// refusal would otherwise be kept in the session for the next page.
async fn refused_visitors_get_no_session(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let visitor = app.client();
    for (path, access, args) in SERVER_FUNCTIONS {
        if !matches!(access, Access::Role(_) | Access::SignedIn) {
            continue;
        }
        for accept in ["application/json", "text/html"] {
            let response = if std::ptr::eq(*args, MULTIPART) {
                let form = reqwest::multipart::Form::new()
                    .text("key", "refused")
                    .text("set", "refused")
                    .part("file", reqwest::multipart::Part::text("area,total\n").file_name("f.csv"));
                visitor.http.post(format!("{}{path}", app.base)).header("accept", accept).multipart(form).send().await
            } else {
                let body: String =
                    form_urlencoded::Serializer::new(String::new()).extend_pairs(args.iter().copied()).finish();
                visitor
                    .http
                    .post(format!("{}{path}", app.base))
                    .header("accept", accept)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body)
                    .send()
                    .await
            }
            .expect("call");
            let cookies: Vec<_> = response.headers().get_all("set-cookie").iter().collect();
            assert!(
                !cookies.iter().any(|c| c.to_str().is_ok_and(|c| c.starts_with("canvass_session="))),
                "{path} ({accept}) gave a stranger a session cookie"
            );
        }
    }
    let sessions = sea_orm::ConnectionTrait::query_one_raw(
        app.db(),
        sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            "SELECT COUNT(*) AS n FROM staff_session".to_owned(),
        ),
    )
    .await
    .expect("count")
    .and_then(|row| row.try_get::<i64>("", "n").ok());
    assert_eq!(sessions, Some(0), "refused strangers' calls stored sessions");
}

async fn lower_roles_are_refused_by_every_staff_server_function(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for (path, access, args) in SERVER_FUNCTIONS {
        if let Access::Role(required) = access {
            for role in roles_below(required) {
                let client = app.signed_in_as(role).await;
                let response = call(&client, path, args).await;
                assert_eq!(response.status(), 403, "{path} must refuse a {role}");
            }
        }
    }
    let accounts = canvass_app::services::accounts::list(app.db()).await.expect("list");
    assert!(accounts.iter().all(|a| a.email != "new@city.gov"), "a refused call changed nothing");
    assert!(accounts.iter().all(|a| a.status == canvass_app::models::AccountStatus::Active), "nobody was deactivated");
    let surveys = canvass_app::services::surveys::list(app.db()).await.expect("list");
    assert!(surveys.is_empty(), "no survey was created by a refused call");
    let sets = canvass_app::services::areas::list_sets(app.db()).await.expect("list");
    assert!(sets.is_empty(), "no area set was created by a refused call");
}

async fn visitors_are_sent_to_sign_in_from_every_staff_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for path in STAFF_PAGES.iter().map(|(path, _)| path).chain(SIGNED_IN_PAGES) {
        let response = app.client().page(path).await;
        assert_eq!(response.status(), 302, "{path}");
        let location = response.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.starts_with("/login?next="), "{path} → {location}");
    }
}

async fn lower_roles_get_a_403_page_from_every_staff_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for (path, required) in STAFF_PAGES {
        for role in roles_below(required) {
            let client = app.signed_in_as(role).await;
            let response = client.page(path).await;
            assert_eq!(response.status(), 403, "{path} for a {role}");
            let html = response.text().await.expect("html");
            assert!(html.contains("You don&#x27;t have access") || html.contains("You don't have access"), "{html}");
            assert!(!html.contains("Everyone with an account"), "no staff data on the 403 page");
        }
    }
}

async fn every_role_reaches_the_pages_for_all_staff(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    for role in ["admin", "designer", "analyst"] {
        let client = app.signed_in_as(role).await;
        for path in SIGNED_IN_PAGES {
            assert_eq!(client.page(path).await.status(), 200, "{path} for a {role}");
        }
    }
}

async fn the_roles_allowed_reach_every_staff_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    canvass_app::services::surveys::create_from_template(app.db(), None, "quick_poll").await.expect("survey 1");
    for (path, required) in STAFF_PAGES {
        let client = app.signed_in_as(required).await;
        assert_eq!(client.page(path).await.status(), 200, "{path} for a {required}");
    }
}

crate::both_engines! {
    refused_visitors_get_no_session,
    visitors_are_refused_by_every_staff_server_function,
    lower_roles_are_refused_by_every_staff_server_function,
    visitors_are_sent_to_sign_in_from_every_staff_page,
    lower_roles_get_a_403_page_from_every_staff_page,
    the_roles_allowed_reach_every_staff_page,
    every_role_reaches_the_pages_for_all_staff,
}

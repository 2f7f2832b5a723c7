//! The `canvass` command line, run as a city IT person would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::{Engine, TestDatabase};

pub fn canvass(args: &[&str], database_url: &str, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_canvass"))
        .args(args)
        .env("CANVASS_DATABASE_URL", database_url)
        .env("CANVASS_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run canvass");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("canvass finished")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn user_add_reads_the_password_from_stdin_and_user_list_shows_the_account(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();

    let added =
        canvass(&["user", "add", "--email", "Ana@City.gov", "--role", "admin"], &url, Some("correct horse battery\n"));
    assert!(added.status.success(), "{}", text(&added.stderr));
    assert!(text(&added.stdout).contains("ana@city.gov"));

    let listed = canvass(&["user", "list"], &url, None);
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let out = text(&listed.stdout);
    assert!(out.contains("ana@city.gov") && out.contains("admin") && out.contains("active"), "{out}");
    assert!(!out.contains("correct horse"), "{out}");
}

async fn user_add_refuses_bad_input_and_creates_nothing(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();
    let cases: [(&[&str], &str, &str); 4] = [
        (&["user", "add", "--email", "not-an-email", "--role", "admin"], "correct horse battery\n", "e-mail"),
        (&["user", "add", "--email", "ana@city.gov", "--role", "owner"], "correct horse battery\n", "role"),
        (&["user", "add", "--email", "ana@city.gov", "--role", "admin"], "short\n", "at least 12"),
        (&["user", "add", "--email", "ana@city.gov", "--role", "admin"], "", "no password"),
    ];
    for (args, stdin, expected) in cases {
        let out = canvass(args, &url, Some(stdin));
        assert!(!out.status.success(), "{args:?} should fail");
        let err = text(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let listed = text(&canvass(&["user", "list"], &url, None).stdout);
    assert!(listed.contains("No staff accounts yet"), "{listed}");
}

async fn the_same_email_cannot_be_added_twice(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();
    let args = ["user", "add", "--email", "ana@city.gov", "--role", "designer"];
    assert!(canvass(&args, &url, Some("correct horse battery\n")).status.success());
    let again = canvass(&args, &url, Some("correct horse battery\n"));
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already an account"), "{}", text(&again.stderr));
}

async fn survey_publish_and_close_open_a_survey_and_refuse_what_cannot_be_done(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();
    let poll = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/templates/quick_poll.json");
    assert!(canvass(&["survey", "import", poll], &url, None).status.success());

    let early = canvass(&["survey", "close", "1"], &url, None);
    assert!(!early.status.success());
    assert!(text(&early.stderr).contains("Only an open survey can be closed"), "{}", text(&early.stderr));
    let unknown = canvass(&["survey", "publish", "99"], &url, None);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("there is no survey 99"), "{}", text(&unknown.stderr));
    let not_a_number = canvass(&["survey", "publish", "first"], &url, None);
    assert!(!not_a_number.status.success());

    let opened = canvass(&["survey", "publish", "1"], &url, None);
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    assert!(text(&opened.stdout).contains("is now open: /s/"), "{}", text(&opened.stdout));
    let closed = canvass(&["survey", "close", "1"], &url, None);
    assert!(text(&closed.stdout).contains("is now closed"), "{}", text(&closed.stdout));
    let recounted = canvass(&["survey", "recount", "1"], &url, None);
    assert!(text(&recounted.stdout).contains("recounted from 0 complete responses"), "{}", text(&recounted.stdout));
    let unknown = canvass(&["survey", "recount", "99"], &url, None);
    assert!(text(&unknown.stderr).contains("there is no survey 99"), "{}", text(&unknown.stderr));
    // Synthetic responses for trying results out: only into a survey that exists, and a count.
    let nowhere = canvass(&["demo", "--fill", "99", "--responses", "3"], &url, None);
    assert!(!nowhere.status.success());
    assert!(text(&nowhere.stderr).contains("there is no survey 99"), "{}", text(&nowhere.stderr));
    let not_a_count = canvass(&["demo", "--fill", "1", "--responses", "many"], &url, None);
    assert!(text(&not_a_count.stderr).contains("--responses"), "{}", text(&not_a_count.stderr));
    let without_survey = canvass(&["demo", "--responses", "3"], &url, None);
    assert!(text(&without_survey.stderr).contains("--fill"), "{}", text(&without_survey.stderr));
    let filled = canvass(&["demo", "--fill", "1", "--responses", "3"], &url, None);
    assert!(text(&filled.stdout).contains("Survey 1: added 3 synthetic responses."), "{}", text(&filled.stderr));
    // Publishing results: a survey that exists, a threshold of at least 2.
    let unknown = canvass(&["survey", "publish-results", "99"], &url, None);
    assert!(!unknown.status.success());
    assert!(text(&unknown.stderr).contains("there is no survey 99"), "{}", text(&unknown.stderr));
    let too_low = canvass(&["survey", "publish-results", "1", "--suppression-threshold", "1"], &url, None);
    assert!(!too_low.status.success());
    assert!(text(&too_low.stderr).contains("--suppression-threshold"), "{}", text(&too_low.stderr));
    let published = canvass(&["survey", "publish-results", "1"], &url, None);
    assert!(text(&published.stdout).contains("Survey 1: results published"), "{}", text(&published.stderr));
    let down = canvass(&["survey", "unpublish-results", "1"], &url, None);
    assert!(text(&down.stdout).contains("are down"), "{}", text(&down.stderr));
}

crate::both_engines! {
    user_add_reads_the_password_from_stdin_and_user_list_shows_the_account,
    user_add_refuses_bad_input_and_creates_nothing,
    the_same_email_cannot_be_added_twice,
    survey_publish_and_close_open_a_survey_and_refuse_what_cannot_be_done,
}

#[test]
fn an_unsupported_database_url_is_refused_with_examples() {
    let out = canvass(&["migrate"], "mysql://root:hunter2@localhost/canvass", None);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("sqlite://") && err.contains("postgres://"), "{err}");
    assert!(!err.contains("hunter2"), "passwords are not echoed: {err}");
}

#[test]
fn a_missing_data_folder_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("new").join("nested").join("canvass.db");
    let out = canvass(&["migrate"], &format!("sqlite://{}", db_path.display()), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(db_path.is_file());
}

#[test]
fn an_unreachable_postgres_server_is_reported_plainly() {
    let out = canvass(&["migrate"], "postgres://canvass:secret@127.0.0.1:9/canvass", None);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("could not open the database"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

#[test]
fn help_explains_the_first_run() {
    let out = canvass(&["--help"], "sqlite://unused.db", None);
    let help = text(&out.stdout);
    assert!(help.contains("canvass user add --email"), "{help}");
    for command in ["serve", "migrate", "user"] {
        assert!(help.contains(command), "{help}");
    }
}

/// A folder that looks like a built site (serve checks for `pkg/canvass.js`).
fn site_with_bundle(dir: &std::path::Path) -> String {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site folder");
    std::fs::write(site.join("pkg").join("canvass.js"), "").expect("bundle");
    site.display().to_string()
}

#[test]
fn serve_refuses_a_site_folder_without_the_built_files_and_a_bad_public_url() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("c.db").display());
    let out = canvass(&["serve", "--addr", "127.0.0.1:0", "--site-root", "/no/such/site"], &url, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("has no pkg/canvass.js"), "{}", text(&out.stderr));
    let out = canvass(&["serve", "--addr", "127.0.0.1:0", "--public-url", "canvass.city.gov"], &url, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("must start with https:// or http://"), "{}", text(&out.stderr));
    // Outside --demo, links are built from the public URL only: serve will not start without it.
    let out = canvass(&["serve", "--addr", "127.0.0.1:0", "--site-root", &site_with_bundle(dir.path())], &url, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--public-url is required"), "{}", text(&out.stderr));
    let out = canvass(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--public-url",
            "https://canvass.city.gov",
            "--trusted-proxies",
            "10.0.0.0/8,lb.internal",
        ],
        &url,
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--trusted-proxies: \"lb.internal\" is not an IP address"),
        "{}",
        text(&out.stderr)
    );
    let out = canvass(&["serve", "--addr", "not-an-address"], &url, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--addr"), "{}", text(&out.stderr));
    for limit in ["lots", "4294967296"] {
        let out = canvass(&["serve", "--addr", "127.0.0.1:0", "--responses-per-address-per-hour", limit], &url, None);
        assert!(!out.status.success(), "{limit}");
        assert!(text(&out.stderr).contains("--responses-per-address-per-hour"), "{}", text(&out.stderr));
    }
    for threshold in ["0", "1", "five", "18446744073709551616"] {
        let out = canvass(&["serve", "--addr", "127.0.0.1:0", "--suppression-threshold", threshold], &url, None);
        assert!(!out.status.success(), "{threshold}");
        assert!(text(&out.stderr).contains("--suppression-threshold"), "{}", text(&out.stderr));
    }
}

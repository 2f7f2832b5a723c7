//! Residents' pages as a phone receives them (issue 16): no staff WebAssembly and none of its
//! hydration data, the residents' script with what it needs, files named by their content kept
//! for a year, and "Show the map" without JavaScript saving what was typed first.

use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, LOCATION};

use crate::responses::{COMMUNITY, POLL, page_fields, published};
use crate::support::{Engine, TestApp};

/// The JSON in `<script type="application/json" id="…">` of a page.
fn script_data(html: &str, id: &str) -> serde_json::Value {
    let start = format!("<script type=\"application/json\" id=\"{id}\">");
    let from = html.find(&start).map(|at| at + start.len()).unwrap_or_else(|| panic!("no {id} in the page"));
    let to = html[from..].find("</script>").expect("the script ends") + from;
    serde_json::from_str(&html[from..to]).expect("the script's data is JSON")
}

async fn residents_pages_carry_no_staff_code_and_staff_pages_do(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let poll = published(&app, POLL).await;
    let pages = [
        format!("/s/{}", survey.key),
        format!("/s/{}?page=2", survey.key),
        format!("/s/{}?embed=1", poll.key),
        format!("/s/{}/sorry?reason=too_many_responses", survey.key),
        format!("/s/{}/resume/not-a-token", survey.key),
    ];
    for path in pages {
        let html = app.client().page(&path).await.text().await.expect("html");
        assert!(!html.contains("/pkg/canvass.js") && !html.contains(".wasm"), "{path} references the staff bundle");
        assert!(
            !html.contains("__RESOLVED_RESOURCES") || html.contains("__RESOLVED_RESOURCES=[];"),
            "{path} carries hydration data no script reads"
        );
        assert!(html.contains("<script src=\"/resident.js?v="), "{path} loads the residents' script");
    }
    let first = app.client().page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    let script = script_data(&first, "page-script");
    let keys: Vec<&str> =
        script["questions"].as_array().expect("questions").iter().filter_map(|q| q["key"].as_str()).collect();
    let expected: Vec<&str> = survey.definition.pages[0].questions.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(keys, expected, "the script knows the page's questions");
    assert_eq!(script["required_message"], "Please answer this question.");
    assert!(
        script_data(&first, "page-texts")["saved_on_device"]
            .as_str()
            .is_some_and(|t| t.contains("saved on this phone"))
    );

    let staff = app.client().page("/login").await.text().await.expect("html");
    assert!(staff.contains("/pkg/canvass.js"), "staff pages hydrate");
    assert!(!staff.contains("/resident.js"));
}

async fn show_the_map_without_javascript_saves_the_page_first(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    canvass_server::demo::load_demo_city(app.db()).await.expect("the demo city's neighborhoods");
    let survey = published(&app, COMMUNITY).await;
    let resident = app.client();
    let page = survey
        .definition
        .pages
        .iter()
        .position(|p| p.questions.iter().any(|q| q.key == "neighborhood"))
        .expect("area page");
    for earlier in 0..page {
        let response =
            resident.post_page(&survey.key, earlier, "next", &page_fields(&survey.definition, earlier)).await;
        assert_eq!(response.status(), 303);
    }
    let mut typed = page_fields(&survey.definition, page);
    typed.retain(|(name, _)| name != "neighborhood");
    let (name, value) = typed.first().cloned().expect("another answer on the page");
    typed.push(("_map".into(), "neighborhood".into()));
    let response = resident.post_page(&survey.key, page, "", &typed).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().expect("location").to_owned();
    assert_eq!(location, format!("/s/{}?page={page}&map=1#question-neighborhood", survey.key));

    // The map view shows the area question alone: the page's other answers travel as hidden
    // fields, so nothing can be typed there and lost when a tap on the map reloads the page.
    let html = resident.page(&location.replace("#question-neighborhood", "")).await.text().await.expect("html");
    assert!(html.contains("data-testid=\"map-view-note\""), "the map view says what it is");
    assert!(
        html.contains(&format!("<input type=\"hidden\" name=\"{name}\" value=\"{value}\"")),
        "what was typed before the map was asked for travels with the page ({name} = {value})"
    );
    assert!(!html.contains(&format!("name=\"{name}\" value=\"{value}\" checked")), "and cannot be changed there");
    assert!(
        !html.contains("class=\"error-summary\" id=\"problems\" tabindex=\"-1\" role=\"alert\">"),
        "nothing is checked yet"
    );
    // A tap on an area goes back to the whole page with the area chosen and the answers kept.
    let tapped = html.split("data-area=\"").nth(1).expect("a map area");
    let area = tapped.split('"').next().expect("area key").to_owned();
    let before = html.split(&format!("data-area=\"{area}\"")).next().expect("link");
    let href = before.rsplit("href=\"").next().expect("href").split('"').next().expect("href").replace("&amp;", "&");
    assert!(!href.contains("map=1"), "{href}");
    let whole = resident
        .page(&format!("/s/{}{}", survey.key, href.split('#').next().unwrap_or_default()))
        .await
        .text()
        .await
        .expect("html");
    assert!(
        whole.contains(&format!("name=\"{name}\" value=\"{value}\" checked")),
        "the answer given before the map is there to change ({name} = {value})"
    );
    assert!(whole.contains(&format!("value=\"{area}\" selected")), "the tapped area is chosen");
    assert!(!whole.contains("data-testid=\"map-view-note\""));

    let refused = resident.post_page(&survey.key, page, "", &[("_map".into(), "<script>".into())]).await;
    assert_eq!(refused.status(), 303, "a made-up question is ignored");
    assert!(!refused.headers()[LOCATION].to_str().expect("location").contains("map=1"));
}

async fn files_named_by_their_content_are_sent_precompressed_and_kept_for_a_year(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let pkg = app.site_root().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    std::fs::write(pkg.join("canvass.0123456789ab.js"), "console.log('canvass');").expect("js");
    std::fs::write(pkg.join("canvass.0123456789ab.js.br"), b"\x0b\x0b\x80console.log('canvass');\x03").expect("br");
    std::fs::write(app.site_root().join("resident.js"), "/* residents */").expect("resident.js");
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", app.base)).header(ACCEPT_ENCODING, "br, gzip").send();

    let bundle = get("/pkg/canvass.0123456789ab.js").await.expect("bundle");
    assert_eq!(bundle.status(), 200);
    assert_eq!(bundle.headers()[CONTENT_ENCODING], "br", "the brotli file written at build time is sent");
    assert_eq!(bundle.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");

    let script = get(&canvass_app::app::resident_script_address()).await.expect("script");
    assert_eq!(script.status(), 200);
    assert_eq!(script.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");

    let unnamed = get("/resident.js").await.expect("script without its version");
    assert!(unnamed.headers().get(CACHE_CONTROL).is_none_or(|c| c != "public, max-age=31536000, immutable"));
    let missing = get("/pkg/canvass.ffffffffffff.js").await.expect("missing");
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get(CACHE_CONTROL).is_none_or(|c| c != "public, max-age=31536000, immutable"));
}

async fn a_page_the_script_posts_is_answered_with_where_to_go_once(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let poll = published(&app, POLL).await;
    let resident = app.client();
    let mut form = vec![
        ("_page".to_owned(), "0".to_owned()),
        ("_nav".to_owned(), "next".to_owned()),
        ("_submission".to_owned(), "script-sent-0001".to_owned()),
        ("website".to_owned(), String::new()),
    ];
    form.extend(page_fields(&poll.definition, 0));
    let send = || {
        resident.http.post(format!("{}/s/{}", app.base, poll.key)).header("X-Canvass-Script", "1").form(&form).send()
    };
    let first = send().await.expect("post");
    assert_eq!(first.status(), 200, "no redirect for the script to follow and throw away");
    assert!(first.headers().get("set-cookie").is_some(), "the cookies still come");
    let next: serde_json::Value = first.json().await.expect("json");
    let location = next["location"].as_str().expect("location").to_owned();
    assert!(location.starts_with(&format!("/s/{}/thanks?receipt=", poll.key)), "{location}");

    // Sent again (the answer was lost on the way): the same receipt, one response.
    let again: serde_json::Value = send().await.expect("post").json().await.expect("json");
    assert_eq!(again["location"], location.as_str());
    let stored = canvass_app::db::responses::count_all(app.db(), poll.id).await.expect("count");
    assert_eq!(stored, 1);
}

async fn continue_later_saves_the_page_gives_the_whole_link_and_tells_the_first_device_where_it_went(engine: Engine) {
    let app = TestApp::spawn_with_public_url(engine, Some("https://survey.city.gov".to_owned())).await;
    let survey = published(&app, COMMUNITY).await;
    let phone = app.client();
    let first = page_fields(&survey.definition, 0);
    let mut typed = first[..2].to_vec();
    typed.push(("_later".into(), "1".into()));
    let response = phone.post_page(&survey.key, 0, "", &typed).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().expect("location").to_owned();
    assert_eq!(location, format!("/s/{}?page=0&later=1#continue-later", survey.key), "nothing checked, same page");
    let html = phone.page(location.trim_end_matches("#continue-later")).await.text().await.expect("html");
    let (name, value) = &first[0];
    assert!(html.contains(&format!("name=\"{name}\" value=\"{value}\" checked")), "the page was saved first");
    let prefix = format!("https://survey.city.gov/s/{}/resume/", survey.key);
    let at = html.find(&prefix).expect("the whole link, from the public address");
    let token: String = html[at + prefix.len()..].chars().take_while(char::is_ascii_alphanumeric).collect();
    assert!(token.len() >= 20, "{token}");
    assert!(
        !phone.page(&format!("/s/{}", survey.key)).await.text().await.expect("html").contains(&prefix),
        "shown when asked for"
    );

    // Another device continues with the link: the first is told, and may start again.
    let laptop = app.client();
    let taken = laptop.http.post(format!("{}/s/{}/resume/{token}", app.base, survey.key)).send().await.expect("post");
    assert_eq!(taken.status(), 303);
    let moved = phone.page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    assert!(moved.contains("data-testid=\"continued-elsewhere\""), "{moved}");
    let fresh = phone.page(&format!("/s/{}?new=1", survey.key)).await.text().await.expect("html");
    assert!(fresh.contains("data-testid=\"resident-form\""));
    assert!(!fresh.contains(&format!("name=\"{name}\" value=\"{value}\" checked")), "a new, empty response");
}

crate::both_engines!(
    continue_later_saves_the_page_gives_the_whole_link_and_tells_the_first_device_where_it_went,
    a_page_the_script_posts_is_answered_with_where_to_go_once,
    residents_pages_carry_no_staff_code_and_staff_pages_do,
    show_the_map_without_javascript_saves_the_page_first,
    files_named_by_their_content_are_sent_precompressed_and_kept_for_a_year,
);

//! Residents answering through the form without JavaScript: page by page, problems, resume,
//! double taps, languages, quick poll results. The helpers here serve `responses_access` too.

use canvass_app::db::responses as stored;
use canvass_app::domain::survey::SurveyDefinition;
use canvass_app::domain::survey::example::example_fields;
use canvass_app::domain::survey::lifecycle::Action;
use canvass_app::services::surveys;
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, LOCATION};
use serde_json::{Value, json};

use crate::support::{Client, Engine, TestApp};

pub(crate) const COMMUNITY: &str = include_str!("../../../app/templates/community_survey.json");
pub(crate) const POLL: &str = include_str!("../../../app/templates/quick_poll.json");

pub(crate) struct Published {
    pub id: i64,
    pub key: String,
    pub definition: SurveyDefinition,
}

pub(crate) async fn published(app: &TestApp, json: &str) -> Published {
    let summary = surveys::import(app.db(), None, json).await.expect("import");
    surveys::change_status(app.db(), None, summary.id, Action::Publish).await.expect("publish");
    Published {
        id: summary.id,
        key: summary.public_key,
        definition: SurveyDefinition::from_json(json).expect("parses"),
    }
}

/// The example answers of one page, as form fields.
pub(crate) fn page_fields(survey: &SurveyDefinition, page: usize) -> Vec<(String, String)> {
    let keys: Vec<&str> = survey.pages[page].questions.iter().map(|q| q.key.as_str()).collect();
    example_fields(survey, None)
        .into_iter()
        .filter(|(name, _)| keys.contains(&name.split('.').next().unwrap_or_default()))
        .collect()
}

impl Client {
    pub(crate) async fn post_page(
        &self,
        key: &str,
        page: usize,
        nav: &str,
        fields: &[(String, String)],
    ) -> reqwest::Response {
        self.post_page_as(key, page, nav, fields, "sub-fixed-0001").await
    }

    /// Posts a page with the submission id the form carried.
    pub(crate) async fn post_page_as(
        &self,
        key: &str,
        page: usize,
        nav: &str,
        fields: &[(String, String)],
        submission: &str,
    ) -> reqwest::Response {
        let mut form: Vec<(String, String)> = vec![
            ("_page".into(), page.to_string()),
            ("_nav".into(), nav.into()),
            ("_submission".into(), submission.into()),
            ("website".into(), String::new()),
        ];
        form.extend_from_slice(fields);
        self.http
            .post(format!("{}/s/{key}", self.base))
            .header(ACCEPT, "text/html")
            .form(&form)
            .send()
            .await
            .expect("post page")
    }

    pub(crate) async fn api(&self, survey: i64, body: &Value) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1/surveys/{survey}/responses", self.base))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("api request")
    }
}

pub(crate) fn location(response: &reqwest::Response) -> String {
    response.headers().get(LOCATION).and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned()
}

pub(crate) async fn complete_count(app: &TestApp, survey: i64) -> u64 {
    stored::count_complete(app.db(), survey).await.expect("count")
}

/// Answers every page in order; returns the thank-you address.
pub(crate) async fn answer_all_pages(client: &Client, survey: &Published) -> String {
    let mut last = String::new();
    for page in 0..survey.definition.pages.len() {
        let response = client.post_page(&survey.key, page, "next", &page_fields(&survey.definition, page)).await;
        assert_eq!(response.status(), 303, "page {page}");
        last = location(&response);
    }
    last
}

async fn a_resident_answers_page_by_page_without_javascript_and_gets_a_receipt(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let resident = app.client();

    let first = resident.page(&format!("/s/{}", survey.key)).await;
    assert_eq!(first.status(), 200);
    let html = first.text().await.expect("html");
    assert!(html.contains(r#"method="post""#) && html.contains("place_to_live"), "the first page is a plain form");

    let after_first = resident.post_page(&survey.key, 0, "next", &page_fields(&survey.definition, 0)).await;
    assert_eq!(location(&after_first), format!("/s/{}?page=1", survey.key));
    assert_eq!(complete_count(&app, survey.id).await, 0, "a page is saved, nothing submitted yet");

    let thanks = {
        let mut last = String::new();
        for page in 1..survey.definition.pages.len() {
            let response = resident.post_page(&survey.key, page, "next", &page_fields(&survey.definition, page)).await;
            last = location(&response);
        }
        last
    };
    assert!(thanks.starts_with(&format!("/s/{}/thanks?receipt=", survey.key)), "{thanks}");
    assert_eq!(complete_count(&app, survey.id).await, 1, "stored before the thank-you page");
    let page = resident.page(&thanks).await;
    assert_eq!(page.status(), 200);
    let receipt = thanks.rsplit('=').next().expect("receipt");
    assert!(page.text().await.expect("html").contains(receipt));

    let rows = stored::complete_responses(app.db(), survey.id).await.expect("rows");
    assert_eq!(rows[0].channel, "open");
    let answers: Value = serde_json::from_str(&rows[0].answers).expect("json");
    assert_eq!(answers["place_to_live"], json!({"type": "scale", "value": 5}));
}

async fn a_page_with_problems_comes_back_with_messages_and_what_was_typed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let resident = app.client();
    let partial = vec![("place_to_live".to_owned(), "4".to_owned())];

    let response = resident.post_page(&survey.key, 0, "next", &partial).await;

    assert_eq!(location(&response), format!("/s/{}?page=0&check=1#problems", survey.key));
    let html = resident.page(&format!("/s/{}?page=0&check=1", survey.key)).await.text().await.expect("html");
    assert!(html.contains("Please answer this question."), "the required questions are marked");
    assert!(
        html.contains(r#"id="q-place_to_live-4" value="4" checked"#) || html.contains(r#"value="4" checked"#),
        "the answer given is kept"
    );
    assert_eq!(complete_count(&app, survey.id).await, 0);
}

async fn a_resident_can_leave_and_continue_later_on_another_device(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let phone = app.client();
    phone.post_page(&survey.key, 0, "next", &page_fields(&survey.definition, 0)).await;
    let html = phone.page(&format!("/s/{}?later=1", survey.key)).await.text().await.expect("html");
    let start = html.find(&format!("/s/{}/resume/", survey.key)).expect("a continue-later link");
    let link: String = html[start..].chars().take_while(|c| *c != '"' && *c != '<').collect();

    // The link asks first, and gives this browser nothing until it is confirmed.
    let laptop = app.client();
    let offer = laptop.page(&link).await;
    assert_eq!(offer.status(), 200);
    assert!(offer.headers().get("set-cookie").is_none(), "nothing is set before the resident confirms");
    let offer = offer.text().await.expect("html");
    assert!(offer.contains("Continue the response you started?"), "{offer}");
    assert!(offer.contains(&format!(r#"method="post" action="{link}""#)), "{offer}");
    let resumed = laptop.http.post(format!("{}{link}", laptop.base)).send().await.expect("confirm");
    assert_eq!(resumed.status(), 303);
    assert_eq!(location(&resumed), format!("/s/{}", survey.key));
    let html = laptop.page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    assert!(html.contains("service_satisfaction"), "continues on the second page");
    assert!(html.contains(r#"name="_page" value="1""#));

    let back = laptop.post_page(&survey.key, 1, "back", &[]).await;
    assert_eq!(location(&back), format!("/s/{}?page=0", survey.key));
    let html = laptop.page(&location(&back)).await.text().await.expect("html");
    assert!(html.contains(r#"value="5" checked"#), "the first page's answers are still there");

    // The response moved to the laptop: the link and the phone's old cookie open nothing now.
    let again = laptop.page(&link).await.text().await.expect("html");
    assert!(again.contains("This link no longer works"), "{again}");
    let stranger = app.client();
    let taken = stranger.http.post(format!("{}{link}", stranger.base)).send().await.expect("post");
    assert_eq!(location(&taken), link, "a used link goes back to its page, which says it no longer works");
    assert!(taken.headers().get("set-cookie").is_none());
    let phone_page = phone.page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    assert!(phone_page.contains("You continued on another device"), "the phone is told where its answers went");
    assert!(!phone_page.contains(r#"value="5" checked"#), "and no longer sees the answers");
    let phone_page = phone.page(&format!("/s/{}?new=1", survey.key)).await.text().await.expect("html");
    assert!(phone_page.contains(r#"name="_page" value="0""#), "it may start afresh");
    assert!(!phone_page.contains(r#"value="5" checked"#));
}

async fn submitting_twice_stores_one_response_and_gives_the_same_receipt(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let resident = app.client();
    let last = survey.definition.pages.len() - 1;
    for page in 0..last {
        resident.post_page(&survey.key, page, "next", &page_fields(&survey.definition, page)).await;
    }
    let html = resident.page(&format!("/s/{}?page={last}", survey.key)).await.text().await.expect("html");
    let submission: String = html
        .split(r#"name="_submission" value=""#)
        .nth(1)
        .map(|rest| rest.chars().take_while(|c| *c != '"').collect())
        .expect("the form carries a submission id");
    let fields = page_fields(&survey.definition, last);

    let first = resident.post_page_as(&survey.key, last, "next", &fields, &submission).await;
    let again = resident.post_page_as(&survey.key, last, "next", &fields, &submission).await;

    let thanks = location(&first);
    assert!(thanks.contains("/thanks?receipt="), "{thanks}");
    assert_eq!(location(&again), thanks, "the double tap lands on the same receipt");
    assert_eq!(complete_count(&app, survey.id).await, 1);
    let other_visit = resident.page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    assert!(other_visit.contains("already-answered"), "one response per device on the open link");
}

async fn the_browser_language_decides_and_the_choice_is_remembered(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let survey = published(&app, COMMUNITY).await;
    let resident = app.client();
    let page_in = |languages: &'static str| {
        let request =
            resident.http.get(format!("{}/s/{}", resident.base, survey.key)).header(ACCEPT_LANGUAGE, languages);
        async move { request.send().await.expect("page").text().await.expect("html") }
    };
    let spanish = page_in("es-MX,es;q=0.9,en;q=0.5").await;
    assert!(spanish.contains("Siguiente") && spanish.contains(r#"lang="es""#), "Spanish interface and survey");

    resident.page(&format!("/s/{}?lang=en", survey.key)).await;
    let english = page_in("es").await;
    assert!(english.contains(">Next<"), "the chosen language beats the browser's");

    // The language buttons post the page: what was typed is kept.
    let typed = vec![("place_to_live".to_owned(), "2".to_owned()), ("_switch".to_owned(), "es".to_owned())];
    let switched = resident.post_page(&survey.key, 0, "next", &typed).await;
    assert_eq!(location(&switched), format!("/s/{}?page=0&lang=es", survey.key));
    let html = resident.page(&location(&switched)).await.text().await.expect("html");
    assert!(html.contains("Siguiente") && html.contains(r#"value="2" checked"#), "Spanish, with the answer kept");

    // A language the survey does not offer, or a page number that is not one, changes nothing.
    let odd = vec![("_switch".to_owned(), "klingon".to_owned())];
    let kept = resident.post_page(&survey.key, 0, "next", &odd).await;
    assert_eq!(location(&kept), format!("/s/{}?page=0&lang=en", survey.key), "the default language");
    let nowhere = resident.post_page_as(&survey.key, 99, "back", &[], "sub-fixed-0001").await;
    assert_eq!(location(&nowhere), format!("/s/{}?page=0", survey.key), "an unknown page is the first");
    assert_eq!(stored::count_complete(app.db(), survey.id).await.expect("count"), 0);
}

async fn a_quick_poll_shows_results_with_small_counts_withheld(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut poll: Value = serde_json::from_str(POLL).expect("json");
    poll["show_results"] = json!(true);
    let survey = published(&app, &poll.to_string()).await;
    let question = &survey.definition.pages[0].questions[0].key;
    let options: Vec<String> = survey.definition.pages[0].questions[0]
        .kind
        .options()
        .expect("options")
        .iter()
        .map(|o| o.key.clone())
        .collect();
    for n in 0..7 {
        let body =
            json!({"submission_id": format!("poll-vote-{n:04}"), "answers": {question.clone(): options[0].clone()}});
        assert_eq!(app.client().api(survey.id, &body).await.status(), 201);
    }
    let body = json!({"submission_id": "poll-vote-lone", "answers": {question.clone(): options[1].clone()}});
    let receipt: Value = app.client().api(survey.id, &body).await.json().await.expect("json");

    let page = app
        .client()
        .page(&format!("/s/{}/thanks?receipt={}", survey.key, receipt["receipt"].as_str().expect("receipt")))
        .await
        .text()
        .await
        .expect("html");
    assert!(page.contains("poll-results"));
    assert!(!page.contains("(1)"), "the lone answer is not shown");
    assert!(!page.contains("(7)"), "nor the count it could be subtracted from");
    assert!(page.contains("too few to show"));
    assert_eq!(app.client().page(&format!("/s/{}/thanks?receipt=AAAA-AAAA", survey.key)).await.status(), 404);
    // Votes that follow do not move the results until the next snapshot (10 minutes): someone
    // voting again and again cannot read each vote, nor push a withheld count into view.
    for n in 0..10 {
        let body =
            json!({"submission_id": format!("poll-more-{n:04}"), "answers": {question.clone(): options[1].clone()}});
        assert_eq!(app.client().api(survey.id, &body).await.status(), 201);
    }
    let again = app
        .client()
        .page(&format!("/s/{}/thanks?receipt={}", survey.key, receipt["receipt"].as_str().expect("receipt")))
        .await
        .text()
        .await
        .expect("html");
    assert!(!again.contains("(11)") && !again.contains("(17)"), "the same snapshot");
    assert!(again.contains("too few to show"));
}

/// The designer's other choice: results only once the poll has closed, on its closed page.
async fn a_poll_can_keep_its_results_until_it_closes(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let mut poll: Value = serde_json::from_str(POLL).expect("json");
    poll["show_results"] = json!(true);
    poll["results_after_close"] = json!(true);
    let survey = published(&app, &poll.to_string()).await;
    let question = survey.definition.pages[0].questions[0].key.clone();
    let option = survey.definition.pages[0].questions[0].kind.options().expect("options")[0].key.clone();
    let mut receipt = String::new();
    for n in 0..6 {
        let body =
            json!({"submission_id": format!("closing-vote-{n:04}"), "answers": {question.clone(): option.clone()}});
        let stored: Value = app.client().api(survey.id, &body).await.json().await.expect("json");
        receipt = stored["receipt"].as_str().expect("receipt").to_owned();
    }
    let thanks =
        app.client().page(&format!("/s/{}/thanks?receipt={receipt}", survey.key)).await.text().await.expect("html");
    assert!(thanks.contains("results-later") && !thanks.contains("poll-results"), "not while it is open");
    let closed = canvass_app::services::surveys::change_status(
        app.db(),
        None,
        survey.id,
        canvass_app::domain::survey::lifecycle::Action::Close,
    )
    .await;
    closed.expect("closed");
    let page = app.client().page(&format!("/s/{}", survey.key)).await.text().await.expect("html");
    assert!(page.contains("survey-closed") && page.contains("poll-results"), "on the closed page");
    assert!(page.contains("100% (6)"), "six of six");
}

crate::both_engines!(
    a_poll_can_keep_its_results_until_it_closes,
    a_resident_answers_page_by_page_without_javascript_and_gets_a_receipt,
    a_page_with_problems_comes_back_with_messages_and_what_was_typed,
    a_resident_can_leave_and_continue_later_on_another_device,
    submitting_twice_stores_one_response_and_gives_the_same_receipt,
    the_browser_language_decides_and_the_choice_is_remembered,
    a_quick_poll_shows_results_with_small_counts_withheld,
);

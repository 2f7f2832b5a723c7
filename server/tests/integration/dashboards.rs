//! The results pages' data, on both engines, with the twelve known responses of `results.rs`:
//! the dashboard (one question by area, map, outreach), the fieldwork view, the public page and
//! its switch, the GeoJSON (read back with the `geojson` crate, as a GIS would), and the data
//! dictionary.

use std::str::FromStr;

use reqwest::StatusCode;
use serde_json::Value;

use crate::results::{arrange, collect_counts};
use crate::support::Engine;

/// The address of the map image on a rendered results page.
fn map_src(html: &str) -> String {
    let figure = html.find("class=\"choropleth\"").expect("the page shows the map");
    let image = &html[figure..];
    let at = image.find("<img src=\"").expect("the map is an image") + "<img src=\"".len();
    image[at..].split('"').next().unwrap_or_default().replace("&amp;", "&")
}

async fn the_dashboard_shows_one_question_by_area_with_its_map_and_outreach(engine: Engine) {
    let (app, survey, designer) = arrange(engine).await;
    let id = survey.to_string();
    let response = designer.call("results/dashboard", &[("id", &id), ("query", "")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let d: Value = response.json().await.expect("json");
    assert_eq!(d["respondents"], 12);
    assert_eq!(d["filters"]["question"], "safety", "the first question with results");
    assert_eq!(d["parts"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["parts"][0]["groups"], serde_json::json!([]), "the areas' figures travel once, in the chart");
    // The map is its own SVG file, at an address that keeps the view's parameters; the page's
    // data carries only its legend.
    assert!(d["map"]["src"].is_null(), "the page, not its data, names the map's address");
    let page = designer.page(&format!("/surveys/{id}/results")).await.text().await.expect("html");
    let src = map_src(&page);
    let prefix = format!("/api/v1/surveys/{id}/");
    assert_eq!(src, format!("{prefix}results/map.svg?question=safety"));
    let (status, svg) = designer.text(survey, src.trim_start_matches(&prefix)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(svg.matches("<path data-area=").count(), 2, "{svg}");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert!(svg.contains("<title>a: 10.0 per 1,000"), "each area is titled with its figure (8 per 800 adults): {svg}");
    // Both areas' representation intervals straddle a threshold: dotted, not coloured.
    let (status, svg) = designer.text(survey, "results/map.svg?map=representation").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(svg.matches("fill:url(#too-few-dots)").count(), 2, "{svg}");
    assert!(svg.contains(": too few responses to tell: "), "{svg}");
    let (status, _) = designer.text(survey, "results/map.svg?map=per_week").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a malformed map is refused by name");
    let stranger = app.client().http.get(format!("{}{src}", app.base)).send().await;
    assert_eq!(stranger.expect("get").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(designer.text(999, "results/map.svg").await.0, StatusCode::NOT_FOUND, "no such survey");
    let not_a_number = designer.http.get(format!("{}/api/v1/surveys/first/results/map.svg", app.base)).send().await;
    assert_eq!(not_a_number.expect("get").status(), StatusCode::NOT_FOUND);
    let unknown_key = app.client().http.get(format!("{}/s/nosuchkey/results/map.svg", app.base)).send().await;
    assert_eq!(unknown_key.expect("get").status(), StatusCode::NOT_FOUND);
    // Area a: 8 responses for 800 adult residents; b 4.
    let figures = d["chart"]["figures"].as_array().expect("figures");
    assert_eq!(figures[0]["name"], "a", "highest first");
    assert_eq!(figures[0]["value"]["value"], 10.0);
    assert_eq!(figures[1]["value"]["value"], 5.0);
    // b has 4 of 12 responses for half the residents: 2 more would make it a half (6 of 14).
    assert_eq!(d["outreach"][0]["name"], "b");
    assert_eq!(d["outreach"][0]["responses_needed"], 4, "x = (0.5 × 12 − 4) / (1 − 0.5)");
    // Respondents vs residents reads the demographics even when one question is asked for:
    // 4 of the 12 said their age band (all 25–34, in the 18–64 group).
    let age =
        d["demographics"].as_array().expect("demographics").iter().find(|c| c["dimension"] == "age").expect("age");
    let adults = age["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["respondents"].as_u64() > Some(0))
        .expect("a group");
    assert_eq!(adults["respondents"], 4);
    assert_eq!(d["can_publish"], true);
    assert_eq!(d["sees_free_text"], false, "designers get no free text");

    // The headline by area, lowest first: b's top-2-box is 0 of 3.
    let query = "question=safety&map=answer&sort=lowest";
    let d: Value =
        designer.call("results/dashboard", &[("id", &id), ("query", query)]).await.json().await.expect("json");
    assert_eq!(d["chart"]["figures"][0]["name"], "b");
    assert_eq!(d["chart"]["figures"][0]["value"]["value"], 0.0);
    assert_eq!(d["chart"]["scale"], "Share");

    // Weighted on tenure, a cross-tab, a filter: all through the one query.
    let query = "weight=tenure&by=demographics.housing_tenure&channel=paper";
    let d: Value =
        designer.call("results/dashboard", &[("id", &id), ("query", query)]).await.json().await.expect("json");
    assert_eq!(d["respondents"], 10, "two came through the open link");
    assert!(d["weighting"]["effective_n"].as_f64().is_some_and(|n| n > 0.0 && n <= 10.0));
    let answered = d["crosstab"][0]["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .filter(|g| g["answered"].as_u64() > Some(0))
        .count();
    assert_eq!(answered, 2, "owners and renters answered; the item's other options are empty");

    for (query, parameter) in [
        ("map=turnout", "map"),
        ("sort=random", "sort"),
        ("map=option:maybe", "map"),
        ("weight=income", "weight"),
        ("question=nope", "question"),
    ] {
        let response = designer.call("results/dashboard", &[("id", &id), ("query", query)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.expect("json");
        assert!(body.to_string().contains(parameter), "{query}: {body}");
    }
    let stranger = app.client().call("results/dashboard", &[("id", &id), ("query", "")]).await;
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
    let missing = designer.call("results/dashboard", &[("id", "999"), ("query", "")]).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn the_fieldwork_view_counts_today_and_names_the_areas_to_visit(engine: Engine) {
    use canvass_app::db::entities::response;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, QueryOrder, Set};
    let (app, survey, _) = arrange(engine).await;
    // The newest row is a paper form answered over a year ago: neither today's nor the latest.
    let newest_row =
        response::Entity::find().order_by_desc(response::Column::Id).one(app.db()).await.expect("read").expect("row");
    let mut typed_in_later = newest_row.into_active_model();
    typed_in_later.submitted_at = Set(Some(time::OffsetDateTime::now_utc() - time::Duration::days(400)));
    typed_in_later.update(app.db()).await.expect("update");
    let analyst = app.signed_in_as("analyst").await;
    let f: Value = analyst.call("results/fieldwork", &[("id", &survey.to_string())]).await.json().await.expect("json");
    assert_eq!(f["responses"], 12);
    assert_eq!(f["today"], 11, "eleven came in just now");
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert!(f["latest"].as_str().is_some_and(|t| t.starts_with(&today)), "latest by time, not by row: {}", f["latest"]);
    assert_eq!(f["by_channel"], serde_json::json!([["open", 2], ["paper", 10]]));
    assert_eq!(f["outreach"][0]["name"], "b");
}

async fn the_public_page_is_off_until_a_designer_switches_it_on_and_shows_no_small_count(engine: Engine) {
    let (app, survey, designer) = arrange(engine).await;
    let key = canvass_app::db::surveys::find(app.db(), survey).await.expect("read").expect("survey").public_key;
    let visitor = app.client();
    let form = [("public_key", key.as_str()), ("query", "")];
    let page = || visitor.call("results/published", &form);
    assert_eq!(page().await.status(), StatusCode::NOT_FOUND, "off by default");

    let analyst = app.signed_in_as("analyst").await;
    let refused = analyst.call("results/publish", &[("id", &survey.to_string()), ("public", "true")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "analysts read results; designers publish them");
    let done = designer.call("results/publish", &[("id", &survey.to_string()), ("public", "true")]).await;
    assert_eq!(done.status(), StatusCode::OK);

    let response = page().await;
    assert_eq!(response.status(), StatusCode::OK);
    let p: Value = response.json().await.expect("json");
    // The public map file: published figures only, so both areas hatched and no count in a title.
    let public_page = visitor.page(&format!("/s/{key}/results")).await.text().await.expect("html");
    let src = map_src(&public_page);
    assert_eq!(src, format!("/s/{key}/results/map.svg?question=safety&map=per_thousand"));
    let map_file = || visitor.http.get(format!("{}{src}", app.base)).send();
    let drawn = map_file().await.expect("get");
    assert_eq!(drawn.status(), StatusCode::OK);
    let svg = drawn.text().await.unwrap_or_default();
    assert_eq!(svg.matches("url(#withheld-hatch)").count(), 2, "{svg}");
    assert!(!svg.contains(" answers</title>"), "no count in the public map: {svg}");
    // b's 4 responses are under 5, and a's 8 go with them (12 − 8 would give b away).
    let figures = p["chart"]["figures"].as_array().expect("figures");
    assert!(figures.iter().all(|f| f["withheld"] == true && f["base"].is_null()), "{figures:?}");
    assert_eq!(p["map"]["withheld"], 2);
    let mut counts = Vec::new();
    collect_counts(&p, &mut counts);
    assert!(counts.iter().all(|c| *c == 0 || *c >= 5), "a published count under 5: {counts:?}");
    assert!(!p.to_string().contains("calc"), "no free text on the public page");
    assert_eq!(p["methods"]["threshold"], 5);
    assert_eq!(p["methods"]["channels"].as_array().map(Vec::len), Some(1), "2 came by the open link: not named");

    for (query, parameter) in
        [("group=more_buses:yes", "group"), ("map=option:yes", "map"), ("question=comments", "question")]
    {
        let response = visitor.call("results/published", &[("public_key", key.as_str()), ("query", query)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(response.text().await.unwrap_or_default().contains(parameter), "{query}");
    }
    let off = designer.call("results/publish", &[("id", &survey.to_string()), ("public", "false")]).await;
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(page().await.status(), StatusCode::NOT_FOUND, "off again");
    assert_eq!(map_file().await.expect("get").status(), StatusCode::NOT_FOUND, "and so is its map");
}

async fn the_areas_download_as_geojson_that_a_gis_library_reads(engine: Engine) {
    let (app, survey, designer) = arrange(engine).await;
    let (status, text) = designer.text(survey, "results.geojson?question=safety").await;
    assert_eq!(status, StatusCode::OK);
    let geo = geojson::GeoJson::from_str(&text).expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(collection) = geo else { panic!("a FeatureCollection") };
    assert_eq!(collection.features.len(), 2);
    let alpha = &collection.features[0];
    assert!(matches!(
        alpha.geometry.as_ref().map(|g| &g.value),
        Some(geojson::GeometryValue::Polygon { .. } | geojson::GeometryValue::MultiPolygon { .. })
    ));
    assert_eq!(alpha.property("name"), Some(&Value::from("a")));
    assert_eq!(alpha.property("responses"), Some(&Value::from(8)));
    assert_eq!(alpha.property("per_1000"), Some(&Value::from(10.0)), "8 responses per 800 adults");
    // a's safety: 4 of 7 in the top two points.
    let top = alpha.property("safety_head").and_then(Value::as_f64).expect("headline");
    assert!((top - 4.0 / 7.0).abs() < 1e-9);

    crate::results::publish(&app, survey).await;
    let (status, text) = designer.text(survey, "results/public.geojson").await;
    assert_eq!(status, StatusCode::OK);
    let geojson::GeoJson::FeatureCollection(published) = geojson::GeoJson::from_str(&text).expect("valid") else {
        panic!("a FeatureCollection")
    };
    for feature in &published.features {
        assert_eq!(feature.property("responses"), Some(&Value::Null), "withheld, never a small number");
    }
    let stranger = app.client().http.get(format!("{}/api/v1/surveys/{survey}/results.geojson", app.base)).send().await;
    assert_eq!(stranger.expect("get").status(), StatusCode::UNAUTHORIZED);
}

async fn the_data_dictionary_explains_every_column_and_code(engine: Engine) {
    let (_app, survey, designer) = arrange(engine).await;
    let (status, csv) = designer.text(survey, "results/dictionary.csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let has = |file: &str, column: &str| rows.iter().any(|r| &r[0] == file && &r[1] == column);
    assert!(has("results.csv", "measure"));
    assert!(has("results.geojson", "per_1000"));
    assert!(has("question", "safety"));
    assert!(has("option", "more_buses:yes"));
    assert!(has("area", "a"));
    assert!(has("responses.csv", "weight"));
}

crate::both_engines!(
    the_dashboard_shows_one_question_by_area_with_its_map_and_outreach,
    the_fieldwork_view_counts_today_and_names_the_areas_to_visit,
    the_public_page_is_off_until_a_designer_switches_it_on_and_shows_no_small_count,
    the_areas_download_as_geojson_that_a_gis_library_reads,
    the_data_dictionary_explains_every_column_and_code,
);

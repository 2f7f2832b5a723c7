//! Area sets and population: the demo city, Durham's apportioned wards, refused files that
//! change nothing, "use my location", and the admin upload forms.

use std::collections::BTreeMap;

use canvass_app::db::areas as store;
use canvass_app::services::areas;
use canvass_server::demo::{DEMO_SET, load_demo_city};

use crate::cli::canvass;
use crate::support::{Engine, TestApp, TestDatabase, error_key};

fn data(path: &str) -> String {
    format!("{}/demo-data/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two side-by-side squares near Charlotte, ids "a" and "b".
const TWO_AREAS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"a","name":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[-80.9,35.2],[-80.8,35.2],[-80.8,35.3],[-80.9,35.3],[-80.9,35.2]]]}},
 {"type":"Feature","properties":{"id":"b","name":"Beta"},"geometry":{"type":"Polygon","coordinates":[[[-80.8,35.2],[-80.7,35.2],[-80.7,35.3],[-80.8,35.3],[-80.8,35.2]]]}}]}"#;

/// Three squares in a row near Charlotte, ids "a", "b" and "c" from west to east.
const THREE_AREAS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[-80.9,35.2],[-80.8,35.2],[-80.8,35.3],[-80.9,35.3],[-80.9,35.2]]]}},
 {"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[-80.8,35.2],[-80.7,35.2],[-80.7,35.3],[-80.8,35.3],[-80.8,35.2]]]}},
 {"type":"Feature","properties":{"id":"c"},"geometry":{"type":"Polygon","coordinates":[[[-80.7,35.2],[-80.6,35.2],[-80.6,35.3],[-80.7,35.3],[-80.7,35.2]]]}}]}"#;

async fn areas_grouped_into_districts_are_outlined_on_the_picker_with_their_population_summed(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let url = &app.database.url;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str, contents: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, contents).expect("write");
        file.to_str().expect("utf-8").to_owned()
    };
    let three = path("three.geojson", THREE_AREAS);
    let out =
        canvass(&["areas", "import", &three, "--key", "three", "--name", "Three", "--name-prefix", "Area "], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let population = path("p.csv", "area,total,moe:total\na,100,30\nb,50,40\n");
    let out = canvass(&["population", "import", &population, "--set", "three"], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // A lookup table with problems: each listed with its line, nothing stored.
    let bad = path("bad.csv", "area,group\na,District 1\nz,District 1\nb,\n");
    let out =
        canvass(&["areas", "group", &bad, "--of", "three", "--key", "districts", "--name", "Districts"], url, None);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Line 3: the area set has no area \"z\"") && stderr.contains("Line 4:"), "{stderr}");
    assert_eq!(areas::list_sets(app.db()).await.expect("sets").len(), 1, "nothing stored");

    // Areas a and b make District 1, b straddles into District 2 with c.
    let table = path("districts.csv", "area,group\na,District 1\nb,District 1\nb,District 2\nc,District 2\n");
    let out =
        canvass(&["areas", "group", &table, "--of", "three", "--key", "districts", "--name", "Districts"], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "Districts (districts) groups the areas of three into 2 areas, outlined on residents' area picker."
        ),
        "{stdout}"
    );
    assert!(stdout.contains("In two groups or more (counted whole in each): 1 area: b."), "{stdout}");
    let list = canvass(&["areas", "list"], url, None);
    assert!(text(&list.stdout).contains("(grouping of three)"), "{}", text(&list.stdout));

    // The population is summed where every area of a group has a figure: District 1 is 150
    // (margins combined as the root of the sum of squares, 50); District 2 lacks c's, so unknown.
    let detail = areas::set_detail(app.db(), "districts", "en").await.expect("detail");
    assert_eq!(detail.summary.grouping_of.as_deref(), Some("three"));
    let district = |key: &str| detail.areas.iter().find(|a| a.key == key).expect("district").clone();
    assert_eq!((district("district_1").total, district("district_1").margin), (Some(150.0), Some(50.0)));
    assert_eq!(district("district_2").total, None, "not a partial sum passed off as a count");
    let a_or_b = 2.0 * (0.1_f64 * 111_195.0) * (0.1 * 111_195.0 * 35.25_f64.to_radians().cos());
    assert!((district("district_1").land_square_metres / a_or_b - 1.0).abs() < 0.01, "the union's land");
    assert!(
        detail.map.areas[0].path.matches('M').count() == 1,
        "one outline, the shared edge dissolved: {}",
        detail.map.areas[0].path
    );

    // Residents' picker of the finer set outlines the districts over the same map.
    let resident = app.client();
    let map: serde_json::Value =
        resident.call("areas/map", &[("set", "three"), ("language", "en")]).await.json().await.expect("json");
    let outlines = map["outlines"].as_array().expect("outlines");
    assert_eq!(outlines.len(), 2);
    assert_eq!(outlines[0]["name"], "District 1");
    let bounds: Vec<f64> =
        outlines[0]["bounds"].as_array().expect("bounds").iter().filter_map(serde_json::Value::as_f64).collect();
    assert!(bounds[0].abs() < 0.5 && (bounds[2] - 666.7).abs() < 1.0, "the west two thirds of the map: {bounds:?}");
    let label: Vec<f64> =
        outlines[0]["label"].as_array().expect("label").iter().filter_map(serde_json::Value::as_f64).collect();
    assert!(label[0] > bounds[0] && label[0] < bounds[0] + bounds[2], "the name is written inside: {label:?}");

    // A grouping of a grouping, or of a set that does not exist, is refused.
    let again = path("again.csv", "area,group\ndistrict_1,All\n");
    let out = canvass(&["areas", "group", &again, "--of", "districts", "--key", "all", "--name", "All"], url, None);
    assert!(!out.status.success() && text(&out.stderr).contains("cannot be grouped"), "{}", text(&out.stderr));
    let out = canvass(&["areas", "group", &again, "--of", "nope", "--key", "all", "--name", "All"], url, None);
    assert!(!out.status.success() && text(&out.stderr).contains("no area set nope"), "{}", text(&out.stderr));

    // An administrator adds a second grouping from the set's page and outlines it instead.
    let admin = app.signed_in_as("admin").await;
    let form = reqwest::multipart::Form::new()
        .text("of", "three")
        .text("key", "towns")
        .text("name", "Towns")
        .text("on_picker", "1")
        .part("file", reqwest::multipart::Part::text("area,group\na,West Town\nc,East Town\n").file_name("t.csv"));
    let posted = admin
        .http
        .post(format!("{}/api/areas/grouping", admin.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/areas/three", admin.base))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(posted.headers()["location"], "/areas/three");
    let page = admin.page("/areas/three").await.text().await.expect("html");
    assert!(page.contains("Towns now groups the areas of this set into 2 areas."), "{page}");
    assert!(page.contains("In no group (left out of its figures): 1 area."), "{page}");
    let picker = areas::area_map(app.db(), Some("three"), "en").await.expect("map");
    let names: Vec<&str> = picker.outlines.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["West Town", "East Town"], "the grouping asked for is outlined now");
    // A stranger's bad upload from the form: no file, a bad id, an unknown set — each named,
    // nothing stored; the outline button refuses a set that is no grouping.
    let bad = |fields: Vec<(&'static str, &'static str)>, file: &'static str| {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k, v);
        }
        admin
            .http
            .post(format!("{}/api/areas/grouping", admin.base))
            .header("accept", "text/html")
            .header("referer", format!("{}/areas/three", admin.base))
            .multipart(form.part("file", reqwest::multipart::Part::text(file).file_name("g.csv")))
            .send()
    };
    let refused = bad(vec![("of", "three"), ("key", "more"), ("name", "More")], "").await.expect("post");
    assert!(refused.headers()["location"].to_str().expect("ascii").contains("error=file_missing"));
    let refused =
        bad(vec![("of", "three"), ("key", "Not OK!"), ("name", "More")], "area,group\na,X\n").await.expect("post");
    assert!(refused.headers()["location"].to_str().expect("ascii").contains("error=area_set_key_invalid"));
    let refused =
        bad(vec![("of", "nope"), ("key", "more"), ("name", "More")], "area,group\na,X\n").await.expect("post");
    assert!(refused.headers()["location"].to_str().expect("ascii").contains("error=not_found"));
    assert_eq!(areas::list_sets(app.db()).await.expect("sets").len(), 3, "nothing stored");
    let refused = admin
        .http
        .post(format!("{}/api/areas/on-picker", admin.base))
        .header("accept", "text/html")
        .header("referer", format!("{}/areas/three", admin.base))
        .form(&[("key", "three"), ("of", "three")])
        .send()
        .await
        .expect("post");
    assert!(refused.headers()["location"].to_str().expect("ascii").contains("error=not_a_grouping"));
    let out = canvass(&["areas", "outline", "districts"], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let picker = areas::area_map(app.db(), Some("three"), "en").await.expect("map");
    assert_eq!(picker.outlines[0].name, "District 1", "one grouping outlined at a time");
    let out = canvass(&["areas", "outline", "three"], url, None);
    assert!(!out.status.success(), "a set that is no grouping cannot be outlined");
}

async fn the_demo_city_reproduces_charlottes_2020_census(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let city = load_demo_city(&test_db.db).await.expect("demo city");
    assert_eq!(city.areas, 462);
    assert_eq!(city.total_population.map(f64::round), Some(1_115_476.0));
    assert_eq!(city.areas_without_population, 0);
    assert!(city.groups.contains(&"race_ethnicity:hispanic".to_owned()), "{:?}", city.groups);

    // The five race/ethnicity groups sum to the total in every area that has them.
    let set = store::find_set(&test_db.db, Some(DEMO_SET)).await.expect("query").expect("set");
    let mut by_area: BTreeMap<i64, (f64, f64, usize)> = BTreeMap::new();
    for f in store::figures(&test_db.db, set.id).await.expect("figures") {
        let entry = by_area.entry(f.area_id).or_default();
        match f.dimension.as_str() {
            "total" => entry.0 = f.count,
            "race_ethnicity" => {
                entry.1 += f.count;
                entry.2 += 1;
            }
            _ => {}
        }
    }
    let with_race: Vec<_> = by_area.values().filter(|(_, _, groups)| *groups == 5).collect();
    assert!(with_race.len() >= 450, "{} areas with race data", with_race.len());
    for (total, race_sum, _) in with_race {
        assert!((total - race_sum).abs() < 0.5, "total {total} vs groups {race_sum}");
    }
    // Residents find their area by the names they know: neighborhoods and towns.
    let map = areas::area_map(&test_db.db, Some(DEMO_SET), "en").await.expect("map");
    let named = |name: &str| map.areas.iter().filter(|a| a.aliases.iter().any(|n| n == name)).count();
    assert_eq!(named("Plaza Midwood"), 1);
    assert_eq!(named("Dilworth"), 1);
    assert_eq!(named("Davidson"), 5, "a town names each of its areas");
    assert_eq!(named("Charlotte"), 0, "not the 380 areas of the city itself");
    // Council districts outline the picker, their population the sum of their NPAs'.
    assert_eq!(map.outlines.len(), 7);
    assert_eq!(map.outlines[0].name, "District 1");
    let districts = areas::set_detail(&test_db.db, "council-districts", "en").await.expect("districts");
    assert_eq!(districts.summary.areas, 7);
    assert!(districts.areas.iter().all(|d| d.total.is_some_and(|t| t > 50_000.0)), "{:?}", districts.areas);
    // Loading it again changes nothing.
    let again = load_demo_city(&test_db.db).await.expect("demo city again");
    assert_eq!(again, city);
}

async fn durham_ward_population_is_apportioned_from_block_groups(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let url = test_db.url.clone();
    let groups = canvass(
        &[
            "areas",
            "import",
            &data("durham/blockgroup.geojson.json"),
            "--key",
            "block-groups",
            "--name",
            "Block groups",
        ],
        &url,
        None,
    );
    assert!(groups.status.success(), "{}", text(&groups.stderr));
    let wards = canvass(
        &[
            "areas",
            "import",
            &data("durham/selectgroups.geojson.json"),
            "--key",
            "wards",
            "--name",
            "City Council wards",
            "--name-property",
            "label",
            "--translated-name",
            "es=label_es",
            "--only-where",
            "feature_type=ward",
        ],
        &url,
        None,
    );
    assert!(wards.status.success(), "{}", text(&wards.stderr));
    assert!(text(&wards.stdout).contains("Imported 3 areas"), "{}", text(&wards.stdout));
    let population = canvass(
        &[
            "population",
            "import",
            &data("durham/rPOP.csv"),
            "--set",
            "block-groups",
            "--group",
            "total",
            "--year",
            "2020",
        ],
        &url,
        None,
    );
    assert!(population.status.success(), "{}", text(&population.stderr));
    // Block group 370639801001 has no population row: flagged, not zero.
    assert!(
        text(&population.stdout).contains("No total population for 1 area: shown as unknown"),
        "{}",
        text(&population.stdout)
    );

    let apportioned = canvass(&["population", "apportion", "--from", "block-groups", "--to", "wards"], &url, None);
    assert!(apportioned.status.success(), "{}", text(&apportioned.stderr));

    let sets = areas::list_sets(&test_db.db).await.expect("sets");
    let county = sets.iter().find(|s| s.key == "block-groups").and_then(|s| s.total_population).expect("county");
    let wards = sets.iter().find(|s| s.key == "wards").expect("wards");
    let city = wards.total_population.expect("ward population");
    assert_eq!(wards.areas_without_population, 0);
    assert!(wards.apportioned_from.as_deref().is_some_and(|m| m.contains("Block groups")), "{wards:?}");
    // The wards cover the City of Durham, most but not all of the county.
    assert!(city > 0.6 * county && city < county, "city {city} of county {county}");
    let detail = areas::set_detail(&test_db.db, "wards", "en").await.expect("detail");
    for ward in &detail.areas {
        let people = ward.total.expect("every ward has a figure");
        assert!(people > 0.2 * city && people < 0.5 * city, "{ward:?}");
        assert!(ward.apportioned);
    }
    let listed = text(&canvass(&["areas", "list"], &url, None).stdout);
    assert!(listed.contains("apportioned from Block groups by land share"), "{listed}");
}

async fn a_malformed_boundary_file_is_refused_and_changes_nothing(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        ("truncated.geojson", r#"{"type":"FeatureCollection","features":[{"type":"Feature""#, "not valid GeoJSON"),
        ("duplicate.geojson", &TWO_AREAS.replace("\"id\":\"b\"", "\"id\":\"a\""), "Area id a appears 2 times"),
        (
            "bowtie.geojson",
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}"#,
            "Area x has an invalid shape",
        ),
        ("projected.geojson", &TWO_AREAS.replace("-80.9,35.2", "1445000,540000"), "looks projected"),
    ];
    for (name, body, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, body).expect("write");
        let out = canvass(
            &["areas", "import", path.to_str().expect("utf-8"), "--key", "x", "--name", "X"],
            &test_db.url,
            None,
        );
        assert!(!out.status.success(), "{name} must be refused");
        assert!(text(&out.stderr).contains(expected), "{name}: {}", text(&out.stderr));
    }
    assert!(areas::list_sets(&test_db.db).await.expect("sets").is_empty(), "nothing was stored");
}

async fn a_population_file_with_problems_changes_nothing(engine: Engine) {
    let test_db = TestDatabase::create(engine).await;
    let boundaries = areas::read_boundary_file(TWO_AREAS.into(), Default::default()).await.expect("valid");
    let set = areas::NewAreaSet::parse("two", "Two", "").expect("set");
    areas::import_boundaries(&test_db.db, None, set, boundaries).await.expect("import");
    let file = areas::PopulationFile::Table { year: Some(2020) };
    areas::import_population(&test_db.db, None, "two", file.clone(), "area,total\na,100\nb,50\n", "test")
        .await
        .expect("good file");
    for (bad, expected) in [
        ("area,total\na,1\nzz,5\n", "area \"zz\" is not in this area set"),
        ("area,total\na,1\na,2\n", "appears on lines 2, 3"),
        ("area,total\na,-1\nb,2\n", "is negative"),
        ("area,total\na,lots\n", "is not a number"),
    ] {
        let refused =
            areas::import_population(&test_db.db, None, "two", file.clone(), bad, "bad").await.expect_err(bad);
        assert_eq!(refused.key(), "file_refused");
        let canvass_app::error::AppError::FileRefused { problems } = refused else { unreachable!() };
        assert!(problems.iter().any(|p| p.contains(expected)), "{problems:?}");
    }
    let sets = areas::list_sets(&test_db.db).await.expect("sets");
    assert_eq!(sets[0].total_population, Some(150.0), "the good figures are untouched");
}

async fn a_residents_location_is_placed_in_its_area(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    load_demo_city(app.db()).await.expect("demo city");
    let resident = app.client();
    // Uptown Charlotte (Trade & Tryon).
    let inside = resident.call("areas/locate", &[("longitude", "-80.8431"), ("latitude", "35.2271")]).await;
    assert_eq!(inside.status(), 200);
    let area: serde_json::Value = inside.json().await.expect("json");
    assert!(area["name"].as_str().is_some_and(|n| n.starts_with("NPA ")), "{area}");
    // Downtown Durham is outside Mecklenburg County.
    let outside = resident.call("areas/locate", &[("longitude", "-78.8986"), ("latitude", "35.9940")]).await;
    assert_eq!(outside.json::<serde_json::Value>().await.expect("json"), serde_json::Value::Null);
    let nonsense = resident.call("areas/locate", &[("longitude", "500"), ("latitude", "35")]).await;
    assert_eq!(error_key(nonsense).await, "location_invalid");
}

async fn an_administrator_uploads_boundaries_and_population_from_the_areas_page(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let admin = app.signed_in_as("admin").await;
    let upload = |fields: Vec<(&'static str, String)>, file: &'static str, name: &'static str| {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k, v);
        }
        form.part("file", reqwest::multipart::Part::text(file).file_name(name))
    };
    let post = |endpoint: &'static str, form: reqwest::multipart::Form| {
        admin
            .http
            .post(format!("{}/api/{endpoint}", admin.base))
            .header("accept", "text/html")
            .header("referer", format!("{}/areas", admin.base))
            .multipart(form)
            .send()
    };
    // A broken file goes back to the form, says why, and stores nothing.
    let refused =
        post("areas/import", upload(vec![("key", "two".into()), ("name", "Two".into())], "{", "broken.geojson"))
            .await
            .expect("post");
    assert_eq!(refused.status(), 302);
    assert!(refused.headers()["location"].to_str().expect("ascii").starts_with("/areas?error=file_refused"));
    let page = admin.page("/areas").await.text().await.expect("html");
    assert!(page.contains("not valid GeoJSON"), "the problem is shown on the page");
    assert!(areas::list_sets(app.db()).await.expect("sets").is_empty());

    let imported = post(
        "areas/import",
        upload(
            vec![("key", "two".into()), ("name", "Two areas".into()), ("name_property", "name".into())],
            TWO_AREAS,
            "two.geojson",
        ),
    )
    .await
    .expect("post");
    assert_eq!(imported.headers()["location"], "/areas/two");
    let population = post("areas/population", upload(vec![("set", "two".into())], "area,total\na,120\n", "p.csv"))
        .await
        .expect("post");
    assert_eq!(population.headers()["location"], "/areas/two");
    let page = admin.page("/areas/two").await.text().await.expect("html");
    assert!(page.contains("Imported 1 population figures"), "{page}");
    assert!(page.contains("No total population (unknown, not zero) for 1 area: Beta"), "flagged, not zero");
    assert!(page.contains("aria-label=\"Map of Two areas\""), "the map is drawn");

    // Other names residents know the areas by: a file with a problem changes nothing; a good
    // one names the areas, shows them on the set's page and in the survey's area list.
    let refused = post("areas/names", upload(vec![("set", "two".into())], "key,aliases\nz,Nowhere\n", "n.csv"))
        .await
        .expect("post");
    assert!(refused.headers()["location"].to_str().expect("ascii").starts_with("/areas?error=file_refused"));
    assert!(admin.page("/areas").await.text().await.expect("html").contains("Line 2: the area set has no area"));
    let named = post(
        "areas/names",
        upload(vec![("set", "two".into())], "key,aliases\na,Plaza Midwood; Midwood\nb,Dilworth\n", "n.csv"),
    )
    .await
    .expect("post");
    assert_eq!(named.headers()["location"], "/areas/two");
    let page = admin.page("/areas/two").await.text().await.expect("html");
    assert!(page.contains("2 areas now have other names residents can search by."), "{page}");
    assert!(page.contains("<td>Plaza Midwood; Midwood</td>"), "{page}");
    let map = areas::area_map(app.db(), Some("two"), "en").await.expect("map");
    assert_eq!(map.areas[0].aliases, ["Plaza Midwood", "Midwood"]);
    // No file, or a set that does not exist: refused, and the names stay.
    let empty = post("areas/names", upload(vec![("set", "two".into())], "", "n.csv")).await.expect("post");
    assert!(empty.headers()["location"].to_str().expect("ascii").starts_with("/areas?error=file_missing"));
    let unknown =
        post("areas/names", upload(vec![("set", "nope".into())], "key,aliases\na,X\n", "n.csv")).await.expect("post");
    assert!(unknown.headers()["location"].to_str().expect("ascii").starts_with("/areas?error=not_found"));
    assert_eq!(
        areas::area_map(app.db(), Some("two"), "en").await.expect("map").areas[0].aliases,
        ["Plaza Midwood", "Midwood"]
    );

    // Analysts see the set but cannot upload.
    let analyst = app.signed_in_as("analyst").await;
    assert_eq!(analyst.page("/areas/two").await.status(), 200);
    let form = upload(vec![("key", "three".into()), ("name", "Three".into())], TWO_AREAS, "two.geojson");
    let refused =
        analyst.http.post(format!("{}/api/areas/import", analyst.base)).multipart(form).send().await.expect("post");
    assert_eq!(refused.status(), 403);
}

async fn the_survey_preview_offers_the_city_map_for_the_neighborhood_question(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    load_demo_city(app.db()).await.expect("demo city");
    canvass_app::services::surveys::create_from_template(app.db(), None, "community_survey").await.expect("survey");
    let designer = app.signed_in_as("designer").await;
    let html = designer.page("/surveys/1/preview").await.text().await.expect("html");
    assert!(html.contains("aria-label=\"Map: tap your neighborhood\""), "map");
    assert_eq!(html.matches("data-area=").count(), 462, "one link per area");
    assert!(html.contains(">NPA 2</option>"), "the list");
    // Without JavaScript, following an area's link comes back with it chosen.
    let html = designer.page("/surveys/1/preview?neighborhood=9").await.text().await.expect("html");
    assert!(html.contains("value=\"9\" selected"), "preselected in the list");
}

/// ZIP code 28202 straddles areas a and b (a quarter in a, three quarters in b); 28203 lies in a.
const ZIP_CODES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"ZCTA5CE20":"28202"},"geometry":{"type":"Polygon","coordinates":[[[-80.825,35.25],[-80.725,35.25],[-80.725,35.28],[-80.825,35.28],[-80.825,35.25]]]}},
 {"type":"Feature","properties":{"ZCTA5CE20":"28203"},"geometry":{"type":"Polygon","coordinates":[[[-80.89,35.21],[-80.85,35.21],[-80.85,35.24],[-80.89,35.24],[-80.89,35.21]]]}}]}"#;

/// `(address, area key)` of what the address lookup finds for what a resident typed.
async fn addresses_found(resident: &crate::support::Client, typed: &str) -> Vec<(String, String)> {
    let found: serde_json::Value = resident
        .call("areas/address", &[("set", "two"), ("address", typed), ("language", "en")])
        .await
        .json()
        .await
        .expect("json");
    let text = |a: &serde_json::Value, field: &str| a[field].as_str().unwrap_or_default().to_owned();
    found.as_array().expect("list").iter().map(|a| (text(a, "address"), text(a, "key"))).collect()
}

async fn a_zip_code_leads_to_the_areas_it_overlaps(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (two, zips) = (dir.path().join("two.geojson"), dir.path().join("zips.geojson"));
    std::fs::write(&two, TWO_AREAS).expect("write");
    std::fs::write(&zips, ZIP_CODES).expect("write");
    let url = &app.database.url;
    let out = canvass(
        &["areas", "import", two.to_str().expect("utf-8"), "--key", "two", "--name", "Two", "--name-property", "name"],
        url,
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let args = [
        "areas",
        "import",
        zips.to_str().expect("utf-8"),
        "--key",
        "zip",
        "--name",
        "ZIP codes",
        "--id-property",
        "ZCTA5CE20",
        "--zip-codes",
    ];
    let out = canvass(&args, url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Other names from the command line: every problem listed, nothing stored; then stored.
    let names = dir.path().join("names.csv");
    std::fs::write(&names, "key,aliases\na,Uptown\nq,Nowhere\n").expect("write");
    let out = canvass(&["areas", "names", names.to_str().expect("utf-8"), "--set", "two"], url, None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("Line 3: the area set has no area \"q\""), "{}", text(&out.stderr));
    std::fs::write(&names, "key,alias\na,Uptown\na,First Ward\n").expect("write");
    let out = canvass(&["areas", "names", names.to_str().expect("utf-8"), "--set", "two"], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 area of two now has other names"), "{}", text(&out.stdout));
    // Address points: placed in their areas at import (one lies in none and is left out); a
    // resident's typed start of an address finds it, whatever the punctuation and capitals.
    let addresses = dir.path().join("addresses.csv");
    std::fs::write(
        &addresses,
        "address,longitude,latitude\n600 E 4th St,-80.85,35.25\n601 E 4th St,-80.75,35.25\n12 Far Away Rd,-81.5,35.0\n",
    )
    .expect("write");
    let out = canvass(&["areas", "addresses", addresses.to_str().expect("utf-8"), "--set", "two"], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Residents can now look up 2 addresses in two."), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("Left out, in no area of two: 1 address."), "{}", text(&out.stdout));
    let resident = app.client();
    assert_eq!(addresses_found(&resident, "600 E.").await, [("600 E 4th St".to_owned(), "a".to_owned())]);
    assert_eq!(addresses_found(&resident, "60").await.len(), 0, "too short to look up");
    assert_eq!(addresses_found(&resident, "6").await.len(), 0);
    assert_eq!(addresses_found(&resident, "601 e 4TH").await, [("601 E 4th St".to_owned(), "b".to_owned())]);
    assert!(addresses_found(&resident, "12 Far").await.is_empty(), "an address in no area was left out");
    let long = "6".repeat(300);
    assert!(addresses_found(&resident, &long).await.is_empty(), "an absurd address finds nothing");
    assert!(addresses_found(&resident, "%%%_ ").await.is_empty(), "nor does punctuation");
    let nowhere = resident.call("areas/address", &[("set", "nope"), ("address", "600 e"), ("language", "en")]).await;
    assert_eq!(nowhere.status(), 404, "an unknown set is named as such");
    assert!(areas::area_map(app.db(), Some("two"), "en").await.expect("map").address_lookup);
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, "address,longitude,latitude\n1 Main St,east,35\n").expect("write");
    let out = canvass(&["areas", "addresses", broken.to_str().expect("utf-8"), "--set", "two"], url, None);
    assert!(!out.status.success() && text(&out.stderr).contains("Line 2:"), "{}", text(&out.stderr));
    assert_eq!(addresses_found(&resident, "600 e").await.len(), 1, "a refused file changes nothing");
    let sets = areas::list_sets(app.db()).await.expect("sets");
    assert!(sets.iter().any(|s| s.key == "two" && s.is_default), "ZIP codes never become the default: {sets:?}");

    let resident = app.client();
    let map: serde_json::Value = resident.call("areas/map", &[("language", "en")]).await.json().await.expect("json");
    assert_eq!(map["zip_lookup"], true, "the picker offers ZIP codes");
    let straddling: serde_json::Value =
        resident.call("areas/zip", &[("zip", "28202"), ("language", "en")]).await.json().await.expect("json");
    let found: Vec<(&str, f64)> = straddling
        .as_array()
        .expect("list")
        .iter()
        .map(|a| (a["name"].as_str().unwrap_or_default(), a["share_of_zip"].as_f64().unwrap_or_default()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "Beta", "largest share first");
    assert!((found[0].1 - 0.75).abs() < 0.01 && (found[1].1 - 0.25).abs() < 0.01, "{found:?}");
    let inside: serde_json::Value =
        resident.call("areas/zip", &[("zip", "28203"), ("language", "en")]).await.json().await.expect("json");
    assert_eq!(inside.as_array().map(Vec::len), Some(1));
    let unknown: serde_json::Value =
        resident.call("areas/zip", &[("zip", "99999"), ("language", "en")]).await.json().await.expect("json");
    assert_eq!(unknown, serde_json::json!([]));
    assert_eq!(
        error_key(resident.call("areas/zip", &[("zip", "2820"), ("language", "en")]).await).await,
        "zip_invalid"
    );
    let refused = canvass(&["areas", "default", "zip"], url, None);
    assert!(!refused.status.success(), "ZIP codes cannot be the default set");
}

async fn bad_choices_on_the_command_line_and_the_upload_form_are_refused_and_change_nothing(engine: Engine) {
    let app = TestApp::spawn(engine).await;
    let url = &app.database.url;
    let dir = tempfile::tempdir().expect("temp dir");
    let two = dir.path().join("two.geojson");
    std::fs::write(&two, TWO_AREAS).expect("write");
    let two = two.to_str().expect("utf-8");
    let csv = dir.path().join("p.csv");
    std::fs::write(&csv, "id,y_2020\na,10\n").expect("write");
    let csv = csv.to_str().expect("utf-8");
    for (args, expected) in [
        (vec!["areas", "import", two, "--key", "Bad Key", "--name", "X"], "lowercase letters"),
        (vec!["areas", "import", two, "--key", "x", "--name", " "], "Give the area set a name"),
        (
            vec!["areas", "import", two, "--key", "x", "--name", "X", "--only-where", "feature_type"],
            "expected NAME=VALUE",
        ),
        (vec!["areas", "import", "/no/such/file.geojson", "--key", "x", "--name", "X"], "could not read"),
        (vec!["population", "import", csv, "--set", "nowhere"], "there is no area set nowhere"),
        (vec!["population", "import", csv, "--set", "x", "--group", "total"], "--year"),
        (vec!["population", "apportion", "--from", "a", "--to", "b"], "there is no area set"),
        (vec!["areas", "default", "nowhere"], "there is no area set nowhere"),
    ] {
        let out = canvass(&args, url, None);
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
    }
    assert!(areas::list_sets(app.db()).await.expect("sets").is_empty(), "nothing was stored");

    let out = canvass(&["areas", "import", two, "--key", "two", "--name", "Two"], url, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for (args, expected) in [
        (
            vec!["population", "import", csv, "--set", "two", "--group", "Age", "--year", "2020"],
            "--group must be total",
        ),
        (vec!["population", "import", csv, "--set", "two", "--group", "total", "--year", "2019"], "no column for 2019"),
        (vec!["population", "apportion", "--from", "two", "--to", "two"], "two different area sets"),
    ] {
        let out = canvass(&args, url, None);
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
    }

    // The upload forms, as the browser's JavaScript calls them: each bad field has its own key.
    let admin = app.signed_in_as("admin").await;
    let send = |endpoint: &'static str, fields: Vec<(&'static str, &'static str)>, file: &'static str| {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k, v);
        }
        form = form.part("file", reqwest::multipart::Part::text(file).file_name("upload"));
        admin
            .http
            .post(format!("{}/api/{endpoint}", admin.base))
            .header("accept", "application/json")
            .multipart(form)
            .send()
    };
    for (endpoint, fields, file, key) in [
        ("areas/import", vec![("key", "Bad Key"), ("name", "X")], TWO_AREAS, "area_set_key_invalid"),
        (
            "areas/import",
            vec![("key", "x"), ("name", "X"), ("only_where", "feature_type")],
            TWO_AREAS,
            "only_where_invalid",
        ),
        ("areas/import", vec![("key", "x"), ("name", "X")], "", "file_missing"),
        ("areas/import", vec![("key", "two"), ("name", "Again")], TWO_AREAS, "area_set_exists"),
        ("areas/population", vec![("set", "two"), ("year", "twenty")], "area,total\na,1\n", "year_invalid"),
        ("areas/population", vec![("set", "two"), ("group", "Age")], "id,y_2020\na,1\n", "group_invalid"),
        ("areas/population", vec![("set", "two"), ("group", "total")], "id,y_2020\na,1\n", "year_missing"),
        ("areas/population", vec![("set", "two")], "", "file_missing"),
        ("areas/population", vec![("set", "nowhere")], "area,total\na,1\n", "not_found"),
    ] {
        let response = send(endpoint, fields.clone(), file).await.expect("post");
        assert_eq!(error_key(response).await, key, "{endpoint} {fields:?}");
    }
    let sets = areas::list_sets(app.db()).await.expect("sets");
    assert_eq!(sets.len(), 1);
    assert_eq!((sets[0].name.as_str(), sets[0].total_population), ("Two", None), "nothing changed");
}

crate::both_engines! {
    areas_grouped_into_districts_are_outlined_on_the_picker_with_their_population_summed,
    bad_choices_on_the_command_line_and_the_upload_form_are_refused_and_change_nothing,
    a_zip_code_leads_to_the_areas_it_overlaps,
    the_demo_city_reproduces_charlottes_2020_census,
    durham_ward_population_is_apportioned_from_block_groups,
    a_malformed_boundary_file_is_refused_and_changes_nothing,
    a_population_file_with_problems_changes_nothing,
    a_residents_location_is_placed_in_its_area,
    an_administrator_uploads_boundaries_and_population_from_the_areas_page,
    the_survey_preview_offers_the_city_map_for_the_neighborhood_question,
}

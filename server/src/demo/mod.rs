//! The demo city: Charlotte–Mecklenburg's 462 Neighborhood Profile Areas with their 2020 census
//! population and race/ethnicity, and ACS 2015–19 age and tenure, shipped inside the binary.
//! Source: tobinbradley/mecklenburg-quality-of-life-data (MIT); the figures are US Census
//! products (public domain). See `server/demo-data/SOURCES.md`.

pub mod responses;

use std::collections::BTreeMap;
use std::fmt::Write;

use canvass_app::domain::geography::boundaries::{BoundaryOptions, read_boundaries};
use canvass_app::domain::survey::lifecycle::Action;
use canvass_app::error::AppError;
use canvass_app::models::AreaSetSummary;
use canvass_app::services::areas::{self, NewAreaSet, PopulationFile};
use canvass_app::services::{accounts, surveys};
use sea_orm::DatabaseConnection;

/// The demo area set's id.
pub const DEMO_SET: &str = "charlotte-npa";

const BOUNDARIES: &str = include_str!("../../demo-data/charlotte/geography.geojson.json");

/// (file, year column, group) for the published tables read as they are.
const TABLES: &[(&str, &str, &str)] = &[
    (include_str!("../../demo-data/charlotte/r47.csv"), "y_2020", "total"),
    (include_str!("../../demo-data/charlotte/r14.csv"), "y_2020", "race_ethnicity:white_nh"),
    (include_str!("../../demo-data/charlotte/r15.csv"), "y_2020", "race_ethnicity:black_nh"),
    (include_str!("../../demo-data/charlotte/r16.csv"), "y_2020", "race_ethnicity:asian_nh"),
    (include_str!("../../demo-data/charlotte/r17.csv"), "y_2020", "race_ethnicity:other_nh"),
    (include_str!("../../demo-data/charlotte/r18.csv"), "y_2020", "race_ethnicity:hispanic"),
];

/// Common neighborhood names with approximate centre points (Canvass's own, for the demo), and
/// the NPAs of each town.
const PLACES: &str = include_str!("../../demo-data/charlotte/places.csv");
const GROUPS: &str = include_str!("../../demo-data/charlotte/selectgroups.json");
/// A few address points (Canvass's own, approximate), so that a visitor can try the address
/// lookup; a city imports its published address points (`canvass areas addresses`).
const ADDRESSES: &str = include_str!("../../demo-data/charlotte/addresses.csv");

const UNDER_18: &str = include_str!("../../demo-data/charlotte/r12.csv");
const OVER_65: &str = include_str!("../../demo-data/charlotte/r13.csv");
const AGE_BASE: &str = include_str!("../../demo-data/charlotte/d12.csv");
const OWNERS: &str = include_str!("../../demo-data/charlotte/r29.csv");
const HOUSEHOLDS: &str = include_str!("../../demo-data/charlotte/d29.csv");

/// Loads the demo city unless it is there already. Returns its summary.
pub async fn load_demo_city(db: &DatabaseConnection) -> anyhow::Result<AreaSetSummary> {
    if let Some(existing) = areas::list_sets(db).await.map_err(to_anyhow)?.into_iter().find(|s| s.key == DEMO_SET) {
        return Ok(existing);
    }
    let options = BoundaryOptions { name_prefix: "NPA ".into(), ..BoundaryOptions::default() };
    let boundaries = tokio::task::spawn_blocking(move || read_boundaries(BOUNDARIES, &options, &mut |_, _| {}))
        .await?
        .map_err(|problems| anyhow::anyhow!("the demo boundaries are invalid: {}", problems[0]))?;
    let set = NewAreaSet::parse(
        DEMO_SET,
        "Charlotte–Mecklenburg neighborhood profile areas",
        "Charlotte–Mecklenburg Quality of Life Explorer (tobinbradley/mecklenburg-quality-of-life-data, MIT); US Census 2020 and ACS 2015–19 (public domain)",
    )
    .map_err(to_anyhow)?;
    areas::import_boundaries(db, None, set, boundaries).await.map_err(to_anyhow)?;
    for (text, year, group) in TABLES {
        let year: i32 = year.trim_start_matches("y_").parse()?;
        let group = canvass_app::domain::geography::population::PopulationGroup::parse(group)
            .ok_or_else(|| anyhow::anyhow!("bad demo group {group}"))?;
        let file = PopulationFile::Yearly { year, group, margins: None };
        areas::import_population(db, None, DEMO_SET, file, text, "US Census 2020 (Quality of Life Explorer)")
            .await
            .map_err(to_anyhow)?;
    }
    let derived = derived_groups()?;
    let imported = areas::import_population(
        db,
        None,
        DEMO_SET,
        PopulationFile::Table { year: Some(2019) },
        &derived,
        "ACS 2015–19 (Quality of Life Explorer); 18–64 and renters derived from the published denominators",
    )
    .await
    .map_err(to_anyhow)?;
    let names = demo_names(db).await?;
    areas::import_names(db, None, DEMO_SET, &names).await.map_err(to_anyhow)?;
    areas::import_address_points(db, None, DEMO_SET, ADDRESSES).await.map_err(to_anyhow)?;
    // Council districts first: residents' area picker outlines them, to tap and zoom into.
    for (key, name, category, prefix) in [
        ("council-districts", "City Council districts", "City Council", "District "),
        ("towns", "Towns", "Jurisdiction", ""),
    ] {
        let set = NewAreaSet::parse(
            key,
            name,
            "Mecklenburg County GIS (selectgroups, tobinbradley/mecklenburg-quality-of-life-data, MIT)",
        )
        .map_err(to_anyhow)?;
        areas::import_grouping(db, None, DEMO_SET, set, &demo_grouping(category, prefix)?, false)
            .await
            .map_err(to_anyhow)?;
    }
    Ok(imported.summary)
}

/// One category of `selectgroups.json` (the NPAs of each council district, town…) as a
/// grouping file: `area,group`.
fn demo_grouping(category: &str, prefix: &str) -> anyhow::Result<String> {
    let groups: serde_json::Value = serde_json::from_str(GROUPS)?;
    let mut file = String::from("area,group\n");
    for (group, ids) in groups[category].as_object().into_iter().flatten() {
        for id in ids.as_array().into_iter().flatten().filter_map(serde_json::Value::as_str) {
            writeln!(file, "{id},{prefix}{group}")?;
        }
    }
    Ok(file)
}

/// The names residents know the demo's areas by, as a names file: each common name given to the
/// NPA holding its point, and each town's name to the town's NPAs (not "Charlotte": that is 380).
async fn demo_names(db: &DatabaseConnection) -> anyhow::Result<String> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in PLACES.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split(',');
        let (Some(name), Some(longitude), Some(latitude)) = (parts.next(), parts.next(), parts.next()) else {
            anyhow::bail!("bad demo place line: {line}");
        };
        if let Some(area) =
            areas::locate(db, Some(DEMO_SET), longitude.parse()?, latitude.parse()?).await.map_err(to_anyhow)?
        {
            names.entry(area.key).or_default().push(name.to_owned());
        }
    }
    let groups: serde_json::Value = serde_json::from_str(GROUPS)?;
    for (town, ids) in groups["Jurisdiction"].as_object().into_iter().flatten() {
        if town == "Charlotte" {
            continue;
        }
        for id in ids.as_array().into_iter().flatten().filter_map(serde_json::Value::as_str) {
            names.entry(id.to_owned()).or_default().push(town.clone());
        }
    }
    let mut file = String::from("key,aliases\n");
    for (key, aliases) in names {
        writeln!(file, "{key},{}", aliases.join("; "))?;
    }
    Ok(file)
}

/// Age bands and tenure in Canvass's table format. The published files give under-18 and 65+
/// counts with the ACS population as denominator (÷ 100), and owner-occupied units with
/// occupied units (÷ 100); 18–64 and renter-occupied are the differences.
fn derived_groups() -> anyhow::Result<String> {
    let (under_18, over_65, base) = (column(UNDER_18)?, column(OVER_65)?, column(AGE_BASE)?);
    let (owners, households) = (column(OWNERS)?, column(HOUSEHOLDS)?);
    let mut csv = String::from("area,age:under_18,age:18_to_64,age:65_plus,tenure:owner,tenure:renter\n");
    for (area, total) in &base {
        let population = total * 100.0;
        let cell = |v: Option<f64>| v.map(|v| format!("{:.0}", v.max(0.0))).unwrap_or_default();
        let (young, old) = (under_18.get(area).copied(), over_65.get(area).copied());
        let middle = young.zip(old).map(|(y, o)| population - y - o);
        let own = owners.get(area).copied();
        let rent = own.zip(households.get(area)).map(|(o, h)| h * 100.0 - o);
        writeln!(csv, "{area},{},{},{},{},{}", cell(young), cell(middle), cell(old), cell(own), cell(rent))?;
    }
    Ok(csv)
}

/// `id,y_2019` → values by id (empty cells left out).
fn column(text: &str) -> anyhow::Result<BTreeMap<String, f64>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut values = BTreeMap::new();
    for record in reader.records() {
        let record = record?;
        if let (Some(id), Some(Ok(value))) =
            (record.get(0), record.get(1).filter(|v| !v.is_empty()).map(str::parse::<f64>))
        {
            values.insert(id.to_owned(), value);
        }
    }
    Ok(values)
}

fn to_anyhow(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Demo accounts for a visitor to click through, with one random password printed once.
pub async fn create_demo_accounts(db: &DatabaseConnection, threshold: u64) -> anyhow::Result<()> {
    let password = demo_password();
    for role in ["admin", "designer", "analyst"] {
        let email = format!("{role}@demo.example.org");
        accounts::create_with_password(db, &email, role, &password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    // Last year's wave: closed, with synthetic responses to explore results with.
    let last_year =
        surveys::create_from_template(db, None, "community_survey").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    surveys::change_status(db, None, last_year.id, Action::Publish).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    seed_synthetic(db, last_year.id, SYNTHETIC_LAST_WAVE).await?;
    let closed =
        surveys::change_status(db, None, last_year.id, Action::Close).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    // Its results are published, as a city would publish a finished survey's (by no staff
    // member: the dashboard lists it as published from the command line).
    canvass_app::services::results::publication::publish(db, None, last_year.id, threshold)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut links = Vec::new();
    let mut open_ids = Vec::new();
    for template in ["community_survey", "quick_poll"] {
        let survey = surveys::create_from_template(db, None, template).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let open =
            surveys::change_status(db, None, survey.id, Action::Publish).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        links.push(format!("/s/{}", open.public_key));
        open_ids.push(survey.id);
    }
    // This year's wave follows last year's, and has begun to fill.
    canvass_app::db::surveys::set_previous_wave(db, open_ids[0], last_year.id).await?;
    seed_synthetic(db, open_ids[0], SYNTHETIC_THIS_WAVE).await?;
    println!("Demo mode: opened the community survey ({}) and a quick poll ({}) for residents,", links[0], links[1]);
    println!(
        "with {SYNTHETIC_THIS_WAVE} synthetic responses in this year's community survey and {SYNTHETIC_LAST_WAVE} in last year's (closed),"
    );
    println!("Last year's results are public at /s/{}/results.", closed.public_key);
    println!("and created three staff accounts:");
    println!("    admin@demo.example.org, designer@demo.example.org, analyst@demo.example.org");
    println!("    password for all three: {password}");
    println!("Demo accounts are for trying Canvass out; do not use --demo for a real city.");
    Ok(())
}

/// Synthetic responses in the demo's closed and open community surveys.
const SYNTHETIC_LAST_WAVE: u64 = 2400;
const SYNTHETIC_THIS_WAVE: u64 = 600;

/// Seeds a survey with synthetic responses over the demo city (seeded: the same every time).
pub async fn seed_synthetic(db: &DatabaseConnection, survey_id: i64, count: u64) -> anyhow::Result<()> {
    let basis = canvass_app::services::results::basis(db, survey_id).await.map_err(|e| match e {
        canvass_app::error::AppError::NotFound => {
            anyhow::anyhow!("there is no survey {survey_id}; `canvass survey list` shows them")
        }
        other => anyhow::anyhow!("{other}"),
    })?;
    let mut generator = responses::Generator::new(&basis.definition, &basis.areas, 2026 + survey_id as u64);
    responses::seed(db, survey_id, &basis.definition, &mut generator, count, 30).await
}

fn demo_password() -> String {
    use rand::Rng;
    let words = ["maple", "harbor", "lantern", "meadow", "river", "cedar", "orchard", "summit", "willow", "prairie"];
    let mut rng = rand::rng();
    let mut pick = || words[rng.random_range(0..words.len())];
    let phrase = [pick(), pick(), pick(), pick()].join("-");
    format!("{phrase}-{}", rand::rng().random_range(10..100))
}

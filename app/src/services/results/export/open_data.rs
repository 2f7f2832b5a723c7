//! Files for GIS and open-data portals: the survey's areas as GeoJSON with result columns (for
//! ArcGIS or QGIS), and a data dictionary that says what every column and code in the results
//! files means. The published variant of the GeoJSON carries only the published report's figures:
//! a withheld figure is `null`, never a small number.

use sea_orm::DatabaseConnection;
use serde_json::{Map, Value, json};

use crate::db::{areas as store, surveys};
use crate::domain::analytics::intervals::Estimate;
use crate::domain::analytics::public::{PublicReport, unsuppressed};
use crate::domain::analytics::request::ResultsRequest;
use crate::error::AppError;
use crate::services::csv_file::CsvFile;
use crate::services::results::{self, PublishedResults, basis, publication};

/// One area's properties, in a fixed column order.
type Columns = Vec<(String, Value)>;

fn interval(columns: &mut Columns, name: &str, e: Option<Estimate>) {
    columns.push((name.to_owned(), e.map_or(Value::Null, |e| json!(e.value))));
    columns.push((format!("{name}_low"), e.map_or(Value::Null, |e| json!(e.low))));
    columns.push((format!("{name}_high"), e.map_or(Value::Null, |e| json!(e.high))));
}

/// Column-safe: GIS tools dislike dots and dashes in field names.
fn column(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

/// Each area's columns from a published report: withheld figures are `null`. Staff files use
/// the same columns from the report with nothing withheld (threshold 0).
fn area_columns(report: &PublicReport) -> Vec<(String, Columns)> {
    report
        .participation
        .iter()
        .map(|p| {
            let mut c: Columns = vec![
                ("area".into(), json!(p.area)),
                ("name".into(), json!(p.name)),
                ("responses".into(), json!(p.responses)),
                ("population".into(), json!(p.population)),
                ("per_1000".into(), json!(p.per_thousand_residents)),
            ];
            interval(&mut c, "repr_ratio", p.representation_ratio);
            c.push(("repr".into(), json!(p.representation)));
            for part in &report.questions {
                let g = part.groups.iter().find(|g| g.group.as_deref() == Some(p.area.as_str()));
                let prefix = column(&part.key);
                c.push((format!("{prefix}_n"), json!(g.and_then(|g| g.answered))));
                interval(&mut c, &format!("{prefix}_head"), g.and_then(|g| g.headline));
                for option in &part.citywide.options {
                    let share = g.and_then(|g| g.options.iter().find(|o| o.key == option.key)).and_then(|o| o.share);
                    let percent = share.map(|s| (s.value * 100.0).round());
                    c.push((format!("{prefix}_{}_pct", column(&option.key)), json!(percent)));
                }
            }
            (p.area.clone(), c)
        })
        .collect()
}

/// The survey's areas as a GeoJSON FeatureCollection (WGS 84 longitude/latitude, as imported)
/// with the results as properties; `published` asks for the latest publication's figures.
pub async fn geojson(
    db: &DatabaseConnection,
    survey_id: i64,
    request: ResultsRequest,
    published: bool,
) -> Result<Vec<u8>, AppError> {
    if published {
        return published_geojson(db, &publication::latest_for_staff(db, survey_id, &request).await?).await;
    }
    let r = results::survey_results(db, survey_id, request).await?;
    // Nothing withheld: the same columns as the published file, every figure as analysed.
    features(db, r.area_set.as_deref(), area_columns(&unsuppressed(&r.report))).await
}

/// A publication's areas as GeoJSON: the published figures, a withheld one `null`.
pub async fn published_geojson(db: &DatabaseConnection, published: &PublishedResults) -> Result<Vec<u8>, AppError> {
    features(db, published.area_set.as_deref(), area_columns(&published.report)).await
}

async fn features(
    db: &DatabaseConnection,
    area_set: Option<&str>,
    columns: Vec<(String, Columns)>,
) -> Result<Vec<u8>, AppError> {
    let set = store::find_set(db, area_set).await?.ok_or(AppError::NotFound)?;
    let boundaries: std::collections::HashMap<String, String> =
        store::areas(db, set.id).await?.into_iter().map(|a| (a.key, a.boundary)).collect();
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut features = 0;
    for (area, columns) in columns {
        let Some(geometry) = boundaries.get(&area) else { continue };
        if features > 0 {
            out.push(',');
        }
        features += 1;
        let properties: Map<String, Value> = columns.into_iter().collect();
        // The stored boundary is already a GeoJSON geometry: spliced in, not re-encoded.
        out.push_str(&format!(
            "{{\"type\":\"Feature\",\"id\":{},\"properties\":{},\"geometry\":{geometry}}}",
            json!(area),
            Value::Object(properties)
        ));
    }
    out.push_str("]}");
    Ok(out.into_bytes())
}

/// The data dictionary: every column of the results files, and every question, part and
/// option code of this survey, as CSV (`file, column, meaning`).
pub async fn dictionary(db: &DatabaseConnection, survey_id: i64) -> Result<Vec<u8>, AppError> {
    surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let survey = basis(db, survey_id).await?;
    // Question texts, option labels and area names are staff's words, written through the
    // formula guard like every other cell.
    let mut out = CsvFile::for_spreadsheets();
    let mut row = |file: &str, column: &str, meaning: &str| {
        let _ = out.row([file, column, meaning]);
    };
    row("file", "column", "meaning");
    for (column, meaning) in RESULTS_CSV {
        row("results.csv", column, meaning);
    }
    for (column, meaning) in GEOJSON {
        row("results.geojson", column, meaning);
    }
    for (column, meaning) in RESPONSES_CSV {
        row("responses.csv", column, meaning);
    }
    for part in crate::domain::analytics::results::outline(&survey.definition) {
        let prefix = column(&part.key);
        row("question", &part.key, &part.text);
        row("results.geojson", &format!("{prefix}_n"), &format!("Answers to “{}” in the area", part.text));
        row(
            "results.geojson",
            &format!("{prefix}_head, _low, _high"),
            &format!("Headline figure of “{}” in the area, with its 95% interval", part.text),
        );
        for (key, label) in &part.options {
            row("option", &format!("{}:{key}", part.key), label);
            row(
                "results.geojson",
                &format!("{prefix}_{}_pct", column(key)),
                &format!("% of the area's answers to “{}” choosing “{label}”", part.text),
            );
        }
    }
    for (key, area) in &survey.areas {
        row("area", key, &area.name);
    }
    out.finish()
}

const RESULTS_CSV: [(&str, &str); 11] = [
    ("section", "participation, demographics or answers"),
    ("question", "The question (or question.part) key; see the question rows below"),
    ("text", "The question's text"),
    ("group", "An area key (or, in a cross-tab, an option key); empty for the whole city"),
    ("group_name", "The area's (or group's) name"),
    ("option", "An option key; see the option rows below"),
    ("option_label", "The option's label"),
    (
        "measure",
        "count, percent, weighted_count, base, effective_base, dont_know, mean, top_two_box, net_promoter_score, responses, population, per_thousand_residents, representation_ratio, respondent_percent, population_percent, unknown",
    ),
    ("value", "The figure; empty when withheld to protect respondents (published file)"),
    ("low", "Lower end of the 95% interval; `withheld` when the figure is withheld"),
    ("high", "Upper end of the 95% interval"),
];

const GEOJSON: [(&str, &str); 9] = [
    ("area", "The area's key"),
    ("name", "The area's name"),
    ("responses", "Complete responses from the area (null when withheld)"),
    ("population", "Residents counted in the area (null when unknown)"),
    ("per_1000", "Responses per 1,000 residents: adult residents when every area has an under-18 count"),
    ("repr_ratio", "Share of responses ÷ share of residents (1 = in proportion)"),
    ("repr_ratio_low, repr_ratio_high", "95% interval of the representation ratio"),
    ("repr", "under, in_proportion, over (by the whole 95% interval), too_few_to_tell or unknown"),
    ("geometry", "The area's boundary, WGS 84 longitude/latitude"),
];

const RESPONSES_CSV: [(&str, &str); 7] = [
    ("response", "A number for the response (not linked to any person)"),
    ("submitted_at", "When the response was completed (UTC)"),
    ("channel", "invited, open, paper or kiosk"),
    ("language", "The language the respondent answered in"),
    ("area", "The respondent's area key"),
    ("weight", "The raking weight, when weighting was asked for (mean 1)"),
    ("(question keys)", "One column per question or part; codes as in the option rows below"),
];

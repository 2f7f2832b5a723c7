//! Area sets for the city: import boundaries and population, apportion population between sets,
//! draw maps, and place a resident's location in an area. Geometry work runs on blocking threads;
//! every import is checked whole before anything is written, and written in one transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use geo::{Area, MultiPolygon};
use sea_orm::{DatabaseConnection, SqlErr};
use serde_json::json;

use crate::db::areas::{self as store, AreaRow, AreaSetRow, FigureRow, NewArea, NewFigure};
use crate::db::audit;
use crate::domain::geography::apportion::{SourceFigure, apportion as apportion_figures, shared_ground};
use crate::domain::geography::boundaries::{Boundaries, BoundaryOptions, read_boundaries};
use crate::domain::geography::index::AreaIndex;
use crate::domain::geography::map::{DEFAULT_VERTEX_BUDGET, draw_map};
use crate::domain::geography::population::{PopulationFigure, read_population_table, read_yearly_table};
use crate::domain::geography::projection::LocalProjection;
use crate::domain::geography::{AddressArea, AreaMap, MapArea, ZipArea};
use crate::error::AppError;
use crate::models::{AreaPopulation, AreaSetDetail, AreaSetSummary, CurrentUser};

// The import forms' types are pure and live in the domain, beside the form parsing; they are
// named here too because every import goes through these services.
pub use crate::domain::geography::import_form::{NewAreaSet, PopulationFile};

/// What an import stored, and what deserves a second look.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedAreas {
    pub summary: AreaSetSummary,
    pub warnings: Vec<String>,
    pub map_vertices: usize,
}

/// Reads and checks a boundary file on a blocking thread; every problem is reported.
pub async fn read_boundary_file(text: String, options: BoundaryOptions) -> Result<Boundaries, AppError> {
    tokio::task::spawn_blocking(move || read_boundaries(&text, &options, &mut |_, _| {}))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "boundary check failed");
            AppError::Internal
        })?
        .map_err(|problems| AppError::FileRefused { problems: problems.iter().map(ToString::to_string).collect() })
}

/// Stores checked boundaries as a new area set, with its drawn map.
pub async fn import_boundaries(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    set: NewAreaSet,
    boundaries: Boundaries,
) -> Result<ImportedAreas, AppError> {
    if store::find_set(db, Some(&set.key)).await?.is_some() {
        return Err(set_exists(&set.key));
    }
    let warnings: Vec<String> = boundaries.warnings.iter().map(ToString::to_string).collect();
    let (areas, height, vertices) =
        tokio::task::spawn_blocking(move || prepare_areas(boundaries)).await.map_err(|e| {
            tracing::error!(error = %e, "drawing the map failed");
            AppError::Internal
        })?;
    let new = store::NewSet {
        key: &set.key,
        name: &set.name,
        source: &set.source,
        is_zip_codes: set.zip_codes,
        map_height: height,
        grouping_of: None,
        on_picker: false,
    };
    let row = match store::insert_set(db, new, areas).await {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(set_exists(&set.key));
        }
        Err(e) => return Err(AppError::from(e)),
    };
    audit::record(
        db,
        actor.map(|a| a.id),
        "areas.imported",
        &format!("area_set:{}", row.id),
        json!({"key": row.key, "name": row.name, "warnings": warnings.len()}),
    )
    .await?;
    tracing::info!(area_set = %row.key, "area set imported");
    Ok(ImportedAreas { summary: summary(db, &row).await?, warnings, map_vertices: vertices })
}

fn set_exists(key: &str) -> AppError {
    AppError::conflict(
        "area_set_exists",
        &format!("There is already an area set with the id {key}. Choose another id."),
    )
}

fn prepare_areas(boundaries: Boundaries) -> (Vec<NewArea>, f64, usize) {
    let shapes: Vec<MultiPolygon<f64>> = boundaries.areas.iter().map(|a| a.shape.clone()).collect();
    let map = draw_map(&shapes, DEFAULT_VERTEX_BUDGET);
    let projection = LocalProjection::for_shapes(&shapes);
    let areas = boundaries
        .areas
        .into_iter()
        .zip(map.paths)
        .map(|(area, map_path)| NewArea {
            land_square_metres: projection.map_or(0.0, |p| p.shape_in_metres(&area.shape).unsigned_area()),
            boundary_geojson: geojson::Geometry::from(&area.shape).to_string(),
            names_json: serde_json::to_string(&area.names).unwrap_or_else(|_| "{}".into()),
            key: area.key,
            name: area.name,
            map_path,
            map_label: String::new(),
            members: Vec::new(),
        })
        .collect();
    (areas, map.height, map.vertices)
}

/// What a grouping import stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedGrouping {
    pub summary: AreaSetSummary,
    /// Areas of the finer set in no group (left out of the grouping's figures).
    pub ungrouped: Vec<String>,
    /// Areas of the finer set in two groups or more (counted whole in each).
    pub in_several: Vec<String>,
}

/// Makes a grouping (roll-up) of a set from a lookup table of which area is in which group
/// (`domain::geography::groupings`): each group's boundary is the union of its areas', drawn
/// over the set's own map, and its population figures are the sums of its areas' (an area in
/// two groups counts whole in both). `on_picker`: draw it on residents' area picker (the first
/// grouping of a set always is).
pub async fn import_grouping(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    of_key: &str,
    set: NewAreaSet,
    text: &str,
    on_picker: bool,
) -> Result<ImportedGrouping, AppError> {
    use crate::domain::geography::groupings::read_groupings;
    let of = find_set(db, Some(of_key)).await?;
    if of.grouping_of.is_some() || of.is_zip_codes {
        return Err(AppError::invalid(
            "of",
            "grouping_of_grouping",
            &format!("{} cannot be grouped: choose a set imported from a boundary file.", of.name),
        ));
    }
    if store::find_set(db, Some(&set.key)).await?.is_some() {
        return Err(set_exists(&set.key));
    }
    let members = store::areas(db, of.id).await?;
    let known: BTreeSet<String> = members.iter().map(|a| a.key.clone()).collect();
    let groups = read_groupings(text, &known).map_err(|problems| AppError::FileRefused { problems })?;
    let member_shapes = shapes(&members)?;
    let mut times_grouped: BTreeMap<&str, usize> = BTreeMap::new();
    for key in groups.iter().flat_map(|g| &g.members) {
        *times_grouped.entry(key.as_str()).or_default() += 1;
    }
    let ungrouped: Vec<String> =
        members.iter().filter(|a| !times_grouped.contains_key(a.key.as_str())).map(|a| a.key.clone()).collect();
    let in_several: Vec<String> =
        times_grouped.iter().filter(|(_, n)| **n > 1).map(|(key, _)| (*key).to_owned()).collect();
    let position: HashMap<String, usize> = members.iter().enumerate().map(|(i, a)| (a.key.clone(), i)).collect();
    let grouped: Vec<(crate::domain::geography::groupings::AreaGroup, Vec<usize>)> = groups
        .into_iter()
        .map(|g| {
            let at = g.members.iter().filter_map(|k| position.get(k).copied()).collect();
            (g, at)
        })
        .collect();
    let plan: Vec<Vec<usize>> = grouped.iter().map(|(_, at)| at.clone()).collect();
    let drawn = tokio::task::spawn_blocking(move || draw_groups(&member_shapes, &plan)).await.map_err(|e| {
        tracing::error!(error = %e, "drawing the grouping failed");
        AppError::Internal
    })?;
    let areas: Vec<NewArea> = grouped
        .iter()
        .zip(drawn)
        .map(|((group, at), drawn)| NewArea {
            key: group.key.clone(),
            name: group.name.clone(),
            names_json: "{}".into(),
            boundary_geojson: drawn.boundary_geojson,
            map_path: drawn.path,
            land_square_metres: drawn.land_square_metres,
            map_label: drawn.label,
            members: at.iter().map(|&i| members[i].id).collect(),
        })
        .collect();
    let first = store::groupings_of(db, of.id).await?.is_empty();
    let new = store::NewSet {
        key: &set.key,
        name: &set.name,
        source: &format!(
            "{} grouped by a lookup table{}",
            of.name,
            if set.source.is_empty() { String::new() } else { format!(" ({})", set.source) }
        ),
        is_zip_codes: false,
        map_height: of.map_height,
        grouping_of: Some(of.id),
        on_picker: on_picker || first,
    };
    let row = match store::insert_set(db, new, areas).await {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(set_exists(&set.key));
        }
        Err(e) => return Err(AppError::from(e)),
    };
    let sums = summed_figures(&store::figures(db, of.id).await?, &grouped, &members, &of.name);
    if !sums.is_empty() {
        store::replace_figures(db, &row, sums).await?;
    }
    audit::record(
        db,
        actor.map(|a| a.id),
        "areas.grouping_imported",
        &format!("area_set:{}", row.id),
        json!({"key": row.key, "of": of.key, "groups": grouped.len(), "ungrouped": ungrouped.len()}),
    )
    .await?;
    let row = find_set(db, Some(&set.key)).await?;
    Ok(ImportedGrouping { summary: summary(db, &row).await?, ungrouped, in_several })
}

/// One group drawn: boundary (GeoJSON), path over the finer set's map, label point, land.
struct DrawnGroup {
    boundary_geojson: String,
    path: String,
    label: String,
    land_square_metres: f64,
}

fn draw_groups(member_shapes: &[MultiPolygon<f64>], plan: &[Vec<usize>]) -> Vec<DrawnGroup> {
    use crate::domain::geography::groupings::union_of;
    use crate::domain::geography::map::MapFrame;
    use geo::InteriorPoint;
    let unions: Vec<MultiPolygon<f64>> =
        plan.iter().map(|at| union_of(at.iter().map(|&i| &member_shapes[i]))).collect();
    let frame = MapFrame::for_shapes(member_shapes);
    let projection = LocalProjection::for_shapes(member_shapes);
    let drawn = frame.map(|f| f.draw(&unions, DEFAULT_VERTEX_BUDGET / 4));
    unions
        .iter()
        .enumerate()
        .map(|(i, union)| DrawnGroup {
            boundary_geojson: geojson::Geometry::from(union).to_string(),
            path: drawn.as_ref().and_then(|d| d.paths.get(i).cloned()).unwrap_or_default(),
            label: frame
                .zip(largest_part(union).and_then(|p| p.interior_point()))
                .map(|(f, point)| {
                    let (x, y) = f.to_map(point.0);
                    format!("{x:.1} {y:.1}")
                })
                .unwrap_or_default(),
            land_square_metres: projection.map_or(0.0, |p| p.shape_in_metres(union).unsigned_area()),
        })
        .collect()
}

/// The biggest polygon of a shape (where its name is written).
fn largest_part(shape: &MultiPolygon<f64>) -> Option<&geo::Polygon<f64>> {
    shape.0.iter().max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
}

/// A grouping's figures: for each figure the finer set has, the sum over a group's areas —
/// only where every area of the group has it (else the sum would pass for a full count). The
/// margins of error combine as the square root of the sum of squares (the Census Bureau's
/// rule for sums of estimates), where every area has one.
fn summed_figures(
    figures: &[FigureRow],
    grouped: &[(crate::domain::geography::groupings::AreaGroup, Vec<usize>)],
    members: &[AreaRow],
    of_name: &str,
) -> Vec<NewFigure> {
    let mut by_area: HashMap<(i64, &str, &str), &FigureRow> = HashMap::new();
    let mut kinds: BTreeSet<(&str, &str)> = BTreeSet::new();
    for f in figures {
        by_area.insert((f.area_id, f.dimension.as_str(), f.group_key.as_str()), f);
        kinds.insert((f.dimension.as_str(), f.group_key.as_str()));
    }
    let mut sums = Vec::new();
    for (group, at) in grouped {
        for &(dimension, key) in &kinds {
            let found: Option<Vec<&FigureRow>> =
                at.iter().map(|&i| by_area.get(&(members[i].id, dimension, key)).copied()).collect();
            let Some(found) = found.filter(|f| !f.is_empty()) else { continue };
            let margin = found
                .iter()
                .map(|f| f.margin)
                .collect::<Option<Vec<f64>>>()
                .map(|m| m.iter().map(|m| m * m).sum::<f64>().sqrt());
            sums.push(NewFigure {
                area_key: group.key.clone(),
                dimension: dimension.to_owned(),
                group_key: key.to_owned(),
                count: found.iter().map(|f| f.count).sum(),
                margin,
                year: found.iter().find_map(|f| f.year),
                source: format!("sum of its {of_name} areas"),
                apportioned: found.iter().any(|f| f.apportioned),
            });
        }
    }
    sums
}

/// Makes a grouping the one drawn as outlines on its set's area picker.
pub async fn draw_on_picker(db: &DatabaseConnection, actor: Option<&CurrentUser>, key: &str) -> Result<(), AppError> {
    let grouping = find_set(db, Some(key)).await?;
    if grouping.grouping_of.is_none() {
        return Err(AppError::invalid(
            "set",
            "not_a_grouping",
            &format!("{} is not a grouping of another set's areas.", grouping.name),
        ));
    }
    store::draw_on_picker(db, &grouping).await?;
    audit::record(db, actor.map(|a| a.id), "areas.grouping_on_picker", &format!("area_set:{}", grouping.id), json!({}))
        .await?;
    Ok(())
}

/// What a population import stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedPopulation {
    pub figures: usize,
    pub groups: Vec<String>,
    pub summary: AreaSetSummary,
}

/// Imports population figures for a set's areas; replaces the groups the file has.
pub async fn import_population(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    set_key: &str,
    file: PopulationFile,
    text: &str,
    source: &str,
) -> Result<ImportedPopulation, AppError> {
    let set = find_set(db, Some(set_key)).await?;
    let known: BTreeSet<String> = store::areas(db, set.id).await?.into_iter().map(|a| a.key).collect();
    let refused =
        |problems: Vec<_>| AppError::FileRefused { problems: problems.iter().map(ToString::to_string).collect() };
    let (figures, year) = match &file {
        PopulationFile::Table { year } => (read_population_table(text, &known).map_err(refused)?, *year),
        PopulationFile::Yearly { year, group, margins } => {
            (read_yearly_table(text, *year, group, &known, margins.as_deref()).map_err(refused)?, Some(*year))
        }
    };
    if figures.is_empty() {
        return Err(AppError::FileRefused { problems: vec!["The file has no figures.".into()] });
    }
    let groups: BTreeSet<String> = figures.iter().map(|f| f.group.to_string()).collect();
    let rows = figures.into_iter().map(|f| new_figure(f, year, source.to_owned(), false)).collect();
    let stored = store::replace_figures(db, &set, rows).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "population.imported",
        &format!("area_set:{}", set.id),
        json!({"groups": groups, "figures": stored, "source": source}),
    )
    .await?;
    let set = find_set(db, Some(set_key)).await?;
    Ok(ImportedPopulation { figures: stored, groups: groups.into_iter().collect(), summary: summary(db, &set).await? })
}

fn new_figure(f: PopulationFigure, year: Option<i32>, source: String, apportioned: bool) -> NewFigure {
    NewFigure {
        area_key: f.area,
        dimension: f.group.dimension,
        group_key: f.group.group,
        count: f.count,
        margin: f.margin,
        year,
        source,
        apportioned,
    }
}

/// What apportionment produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ApportionedPopulation {
    pub groups: usize,
    /// Target areas no source unit with a total overlaps: their population stays unknown.
    pub areas_without: Vec<String>,
    pub summary: AreaSetSummary,
}

/// Estimates `to`'s population from `from`'s by land share, for every group `from` has.
pub async fn apportion(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    from_key: &str,
    to_key: &str,
) -> Result<ApportionedPopulation, AppError> {
    let from = find_set(db, Some(from_key)).await?;
    let to = find_set(db, Some(to_key)).await?;
    if from.id == to.id {
        return Err(AppError::invalid("from", "apportion_same_set", "Choose two different area sets."));
    }
    let sources = store::areas(db, from.id).await?;
    let targets = store::areas(db, to.id).await?;
    let figures = store::figures(db, from.id).await?;
    if figures.is_empty() {
        return Err(AppError::conflict(
            "no_population",
            &format!("{} has no population figures to apportion.", from.name),
        ));
    }
    let source_shapes = shapes(&sources)?;
    let target_shapes = shapes(&targets)?;
    let shared =
        tokio::task::spawn_blocking(move || shared_ground(&source_shapes, &target_shapes)).await.map_err(|e| {
            tracing::error!(error = %e, "apportionment failed");
            AppError::Internal
        })?;
    let position: HashMap<i64, usize> = sources.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let mut by_group: BTreeMap<(String, String), (Vec<SourceFigure>, Option<i32>)> = BTreeMap::new();
    for figure in &figures {
        let Some(&i) = position.get(&figure.area_id) else { continue };
        let (slots, year) = by_group
            .entry((figure.dimension.clone(), figure.group_key.clone()))
            .or_insert_with(|| (vec![None; sources.len()], figure.year));
        slots[i] = Some((figure.count, figure.margin));
        *year = year.or(figure.year);
    }
    let method = format!("apportioned from {} by land share", from.name);
    let mut rows = Vec::new();
    let mut areas_without = Vec::new();
    for ((dimension, group), (slots, year)) in &by_group {
        for (target, estimate) in targets.iter().zip(apportion_figures(slots, &shared, targets.len())) {
            match estimate {
                Some(estimate) => rows.push(NewFigure {
                    area_key: target.key.clone(),
                    dimension: dimension.clone(),
                    group_key: group.clone(),
                    count: estimate.count,
                    margin: estimate.margin,
                    year: *year,
                    source: method.clone(),
                    apportioned: true,
                }),
                None if dimension == "total" => areas_without.push(target.key.clone()),
                None => {}
            }
        }
    }
    store::replace_figures(db, &to, rows).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "population.apportioned",
        &format!("area_set:{}", to.id),
        json!({"from": from.key, "groups": by_group.len()}),
    )
    .await?;
    let to = find_set(db, Some(to_key)).await?;
    Ok(ApportionedPopulation { groups: by_group.len(), areas_without, summary: summary(db, &to).await? })
}

fn shapes(areas: &[AreaRow]) -> Result<Vec<MultiPolygon<f64>>, AppError> {
    areas.iter().map(shape).collect()
}

/// A stored boundary back as a shape.
fn shape(area: &AreaRow) -> Result<MultiPolygon<f64>, AppError> {
    let geometry: geojson::Geometry = area.boundary.parse().map_err(|e: geojson::Error| {
        tracing::error!(area = %area.key, error = %e, "stored boundary unreadable");
        AppError::Internal
    })?;
    MultiPolygon::try_from(&geometry.value).map_err(|e| {
        tracing::error!(area = %area.key, error = %e, "stored boundary is not a MultiPolygon");
        AppError::Internal
    })
}

/// Every area set with its counts.
pub async fn list_sets(db: &DatabaseConnection) -> Result<Vec<AreaSetSummary>, AppError> {
    let mut summaries = Vec::new();
    for set in store::list_sets(db).await? {
        summaries.push(summary(db, &set).await?);
    }
    Ok(summaries)
}

async fn find_set(db: &DatabaseConnection, key: Option<&str>) -> Result<AreaSetRow, AppError> {
    store::find_set(db, key).await?.ok_or(AppError::NotFound)
}

async fn summary(db: &DatabaseConnection, set: &AreaSetRow) -> Result<AreaSetSummary, AppError> {
    let areas = store::areas(db, set.id).await?;
    let figures = store::figures(db, set.id).await?;
    let mut summary = summarize(set, &areas, &figures);
    summary.grouping_of = grouping_of_key(db, set).await?;
    Ok(summary)
}

/// The key of the set a grouping is made of.
async fn grouping_of_key(db: &DatabaseConnection, set: &AreaSetRow) -> Result<Option<String>, AppError> {
    let Some(of) = set.grouping_of else { return Ok(None) };
    Ok(store::list_sets(db).await?.into_iter().find(|s| s.id == of).map(|s| s.key))
}

fn summarize(set: &AreaSetRow, areas: &[AreaRow], figures: &[FigureRow]) -> AreaSetSummary {
    let totals: Vec<&FigureRow> = figures.iter().filter(|f| f.dimension == "total").collect();
    let groups: BTreeSet<String> =
        figures.iter().filter(|f| f.dimension != "total").map(|f| format!("{}:{}", f.dimension, f.group_key)).collect();
    AreaSetSummary {
        key: set.key.clone(),
        name: set.name.clone(),
        source: set.source.clone(),
        is_default: set.is_default,
        areas: areas.len(),
        total_population: (!totals.is_empty()).then(|| totals.iter().map(|f| f.count).sum()),
        areas_without_population: areas.len().saturating_sub(totals.len()),
        groups: groups.into_iter().collect(),
        apportioned_from: figures.iter().find(|f| f.apportioned).map(|f| f.source.clone()),
        grouping_of: None,
        on_picker: set.on_picker,
    }
}

/// A set's map, areas and population, names in `language` where translated.
pub async fn set_detail(db: &DatabaseConnection, key: &str, language: &str) -> Result<AreaSetDetail, AppError> {
    let set = find_set(db, Some(key)).await?;
    let areas = store::areas(db, set.id).await?;
    let figures = store::figures(db, set.id).await?;
    let mut summary = summarize(&set, &areas, &figures);
    summary.grouping_of = grouping_of_key(db, &set).await?;
    let mut groupings = Vec::new();
    for grouping in store::groupings_of(db, set.id).await? {
        groupings.push(self::summary(db, &grouping).await?);
    }
    let population = areas
        .iter()
        .map(|a| {
            let mine: Vec<&FigureRow> = figures.iter().filter(|f| f.area_id == a.id).collect();
            let total = mine.iter().find(|f| f.dimension == "total");
            AreaPopulation {
                key: a.key.clone(),
                name: local_name(a, language),
                total: total.map(|f| f.count),
                margin: total.and_then(|f| f.margin),
                groups: mine.iter().filter(|f| f.dimension != "total").count(),
                apportioned: mine.iter().any(|f| f.apportioned),
                land_square_metres: a.land_square_metres,
                aliases: crate::domain::geography::names::split(&a.aliases),
            }
        })
        .collect();
    let sources: BTreeSet<String> = figures.iter().map(|f| f.source.clone()).collect();
    Ok(AreaSetDetail {
        summary,
        map: map_of(&set, &areas, language, false),
        areas: population,
        population_sources: sources.into_iter().collect(),
        groupings,
    })
}

/// Gives areas of a set the other names residents know them by, from a CSV file
/// (`domain::geography::names`); areas the file does not name keep theirs. Returns how many
/// areas got names.
pub async fn import_names(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    set_key: &str,
    text: &str,
) -> Result<usize, AppError> {
    let set = find_set(db, Some(set_key)).await?;
    let known: BTreeSet<String> = store::areas(db, set.id).await?.into_iter().map(|a| a.key).collect();
    let names = crate::domain::geography::names::read_area_names(text, &known)
        .map_err(|problems| AppError::FileRefused { problems })?;
    if names.is_empty() {
        return Err(AppError::FileRefused { problems: vec!["The file names no area.".into()] });
    }
    let rows: Vec<(String, String)> =
        names.iter().map(|n| (n.key.clone(), crate::domain::geography::names::join(&n.aliases))).collect();
    store::set_aliases(db, set.id, &rows).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "areas.names_imported",
        &format!("area_set:{}", set.id),
        json!({"areas": rows.len(), "names": names.iter().map(|n| n.aliases.len()).sum::<usize>()}),
    )
    .await?;
    Ok(rows.len())
}

/// What an address points import stored.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedAddresses {
    pub stored: usize,
    /// Addresses in no area of the set (left out).
    pub outside: usize,
}

/// Replaces a set's address points from a city's open-data file (`address,longitude,latitude`):
/// each address is placed in its area now, and only the address and the area's key are kept.
pub async fn import_address_points(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    set_key: &str,
    text: &str,
) -> Result<ImportedAddresses, AppError> {
    use crate::domain::geography::addresses::{read_address_points, search_key};
    let set = find_set(db, Some(set_key)).await?;
    let points = read_address_points(text).map_err(|problems| AppError::FileRefused { problems })?;
    if points.is_empty() {
        return Err(AppError::FileRefused { problems: vec!["The file has no addresses.".into()] });
    }
    let index = index_for(db, &set).await?;
    let total = points.len();
    let rows: Vec<(String, String, String)> = points
        .into_iter()
        .filter_map(|p| {
            let area = index.locate(p.longitude, p.latitude)?.to_owned();
            Some((search_key(&p.address), p.address, area))
        })
        .map(|(key, address, area)| (address, key, area))
        .collect();
    let stored = store::replace_address_points(db, set.id, rows).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "areas.addresses_imported",
        &format!("area_set:{}", set.id),
        json!({"addresses": stored, "outside": total - stored}),
    )
    .await?;
    Ok(ImportedAddresses { stored, outside: total - stored })
}

/// The addresses of a set (the default set when `key` is `None`) that start as the resident
/// typed, with their areas. What was typed is not stored or logged.
pub async fn addresses_matching(
    db: &DatabaseConnection,
    key: Option<&str>,
    typed: &str,
    language: &str,
) -> Result<Vec<AddressArea>, AppError> {
    use crate::domain::geography::addresses::{MAX_MATCHES, MIN_QUERY_CHARS, search_key};
    let wanted = search_key(typed);
    if wanted.chars().count() < MIN_QUERY_CHARS || typed.len() > 200 {
        return Ok(Vec::new());
    }
    let set = find_set(db, key).await?;
    let found = store::addresses_starting_with(db, set.id, &wanted, MAX_MATCHES).await?;
    let areas = store::areas(db, set.id).await?;
    Ok(found
        .into_iter()
        .filter_map(|point| {
            let area = areas.iter().find(|a| a.key == point.area_key)?;
            Some(AddressArea { address: point.address, key: area.key.clone(), name: local_name(area, language) })
        })
        .collect())
}

/// A set drawn for picking (the default set when `key` is `None`).
pub async fn area_map(db: &DatabaseConnection, key: Option<&str>, language: &str) -> Result<AreaMap, AppError> {
    let set = find_set(db, key).await?;
    let areas = store::areas(db, set.id).await?;
    let zip_lookup = !set.is_zip_codes && store::find_zip_codes(db).await?.is_some();
    let mut map = map_of(&set, &areas, language, zip_lookup);
    map.address_lookup = store::has_address_points(db, set.id).await?;
    map.outlines = picker_outlines(db, &set, language).await?;
    Ok(map)
}

/// The grouping drawn over a set's picker, as outlines with their names and bounds.
async fn picker_outlines(
    db: &DatabaseConnection,
    set: &AreaSetRow,
    language: &str,
) -> Result<Vec<crate::domain::geography::MapOutline>, AppError> {
    use crate::domain::geography::map::path_bounds;
    let Some(grouping) = store::groupings_of(db, set.id).await?.into_iter().find(|g| g.on_picker) else {
        return Ok(Vec::new());
    };
    Ok(store::areas(db, grouping.id)
        .await?
        .iter()
        .filter_map(|a| {
            let bounds = path_bounds(&a.map_path)?;
            let mut label = a.map_label.split(' ').filter_map(|n| n.parse::<f64>().ok());
            let label = match (label.next(), label.next()) {
                (Some(x), Some(y)) => (x, y),
                _ => (bounds.0 + bounds.2 / 2.0, bounds.1 + bounds.3 / 2.0),
            };
            Some(crate::domain::geography::MapOutline {
                key: a.key.clone(),
                name: local_name(a, language),
                path: a.map_path.clone(),
                label,
                bounds,
            })
        })
        .collect())
}

/// The height of an area set's drawn map (a results page needs no more of it; the shapes come
/// in the map file); `None` without a set.
pub async fn map_height(db: &DatabaseConnection, key: Option<&str>) -> Result<Option<f64>, AppError> {
    let Some(key) = key else { return Ok(None) };
    Ok(store::find_set(db, Some(key)).await?.map(|set| set.map_height))
}

/// The areas of a set (the default set when `key` is `None`) that a ZIP code overlaps, largest
/// share of the ZIP code's land first; empty for a ZIP code the city's ZIP boundaries lack.
pub async fn areas_for_zip(
    db: &DatabaseConnection,
    key: Option<&str>,
    zip: &str,
    language: &str,
) -> Result<Vec<ZipArea>, AppError> {
    let zip = zip.trim();
    if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::invalid("zip", "zip_invalid", "Enter a five-digit ZIP code."));
    }
    let zip_set = store::find_zip_codes(db)
        .await?
        .ok_or_else(|| AppError::conflict("zip_lookup_unavailable", "This city has not set up ZIP code lookup."))?;
    let Some(zip_area) = store::areas(db, zip_set.id).await?.into_iter().find(|a| a.key == zip) else {
        return Ok(Vec::new());
    };
    let set = find_set(db, key).await?;
    let areas = store::areas(db, set.id).await?;
    let zip_shape = vec![shape(&zip_area)?];
    let target_shapes = shapes(&areas)?;
    let shared = tokio::task::spawn_blocking(move || shared_ground(&zip_shape, &target_shapes)).await.map_err(|e| {
        tracing::error!(error = %e, "ZIP lookup failed");
        AppError::Internal
    })?;
    let mut found: Vec<ZipArea> = shared
        .iter()
        // Slivers along a shared boundary are drawing noise, not a place someone lives.
        .filter(|g| g.share_of_source >= 0.01)
        .filter_map(|g| {
            let area = areas.get(g.target)?;
            Some(ZipArea { key: area.key.clone(), name: local_name(area, language), share_of_zip: g.share_of_source })
        })
        .collect();
    found.sort_by(|a, b| b.share_of_zip.total_cmp(&a.share_of_zip));
    Ok(found)
}

fn map_of(set: &AreaSetRow, areas: &[AreaRow], language: &str, zip_lookup: bool) -> AreaMap {
    AreaMap {
        address_lookup: false,
        outlines: Vec::new(),
        set_key: set.key.clone(),
        set_name: set.name.clone(),
        height: set.map_height,
        zip_lookup,
        areas: areas
            .iter()
            .map(|a| MapArea {
                key: a.key.clone(),
                name: local_name(a, language),
                path: a.map_path.clone(),
                aliases: crate::domain::geography::names::split(&a.aliases),
            })
            .collect(),
    }
}

fn local_name(area: &AreaRow, language: &str) -> String {
    serde_json::from_str::<BTreeMap<String, String>>(&area.names)
        .ok()
        .and_then(|names| names.get(language).cloned())
        .unwrap_or_else(|| area.name.clone())
}

/// Lookup indexes by area set id, with the revision they were built from.
type IndexCache = HashMap<i64, (i32, Arc<AreaIndex>)>;
static INDEXES: LazyLock<Mutex<IndexCache>> = LazyLock::new(Mutex::default);

/// The area holding a point (the default set when `key` is `None`); `None` outside every area.
/// The point is not stored or logged.
pub async fn locate(
    db: &DatabaseConnection,
    key: Option<&str>,
    longitude: f64,
    latitude: f64,
) -> Result<Option<MapArea>, AppError> {
    if !(-180.0..=180.0).contains(&longitude) || !(-90.0..=90.0).contains(&latitude) {
        return Err(AppError::invalid("location", "location_invalid", "That is not a longitude and latitude."));
    }
    let set = find_set(db, key).await?;
    let index = index_for(db, &set).await?;
    let Some(found) = index.locate(longitude, latitude).map(str::to_owned) else { return Ok(None) };
    let areas = store::areas(db, set.id).await?;
    Ok(areas.iter().find(|a| a.key == found).map(|a| MapArea {
        key: a.key.clone(),
        name: a.name.clone(),
        path: String::new(),
        aliases: Vec::new(),
    }))
}

/// The set's lookup index, built once per revision and shared.
pub async fn index_for(db: &DatabaseConnection, set: &AreaSetRow) -> Result<Arc<AreaIndex>, AppError> {
    if let Ok(cache) = INDEXES.lock()
        && let Some((revision, index)) = cache.get(&set.id)
        && *revision == set.revision
    {
        return Ok(index.clone());
    }
    let areas = store::areas(db, set.id).await?;
    let keyed: Vec<(String, MultiPolygon<f64>)> =
        areas.iter().map(|a| Ok((a.key.clone(), shape(a)?))).collect::<Result<_, AppError>>()?;
    let index = Arc::new(AreaIndex::new(keyed));
    if let Ok(mut cache) = INDEXES.lock() {
        cache.insert(set.id, (set.revision, index.clone()));
    }
    Ok(index)
}

/// Makes a set the default for area questions that name none.
pub async fn make_default(db: &DatabaseConnection, actor: Option<&CurrentUser>, key: &str) -> Result<(), AppError> {
    let set = find_set(db, Some(key)).await?;
    if set.is_zip_codes {
        return Err(AppError::conflict(
            "zip_codes_not_default",
            "ZIP codes help residents find their area; they cannot be the areas themselves.",
        ));
    }
    store::make_default(db, &set).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "areas.made_default",
        &format!("area_set:{}", set.id),
        json!({"key": set.key}),
    )
    .await
    .map_err(AppError::from)
}

/// The maps a survey's area questions need, in the resident's language. A question naming a
/// set that does not exist (or a city with no sets yet) gets no map: its list says so.
pub async fn maps_for_survey(
    db: &DatabaseConnection,
    definition: &crate::domain::survey::SurveyDefinition,
    language: &str,
) -> Result<crate::domain::geography::SurveyAreaMaps, AppError> {
    use crate::domain::survey::QuestionKind;
    let mut wanted: Vec<Option<String>> = definition
        .questions()
        .filter_map(|(_, q)| match &q.kind {
            QuestionKind::Area { area_set } => Some(area_set.clone()),
            _ => None,
        })
        .collect();
    wanted.dedup();
    let mut maps = Vec::new();
    for set in wanted {
        match area_map(db, set.as_deref(), language).await {
            Ok(map) => maps.push((set, map)),
            Err(AppError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(maps)
}

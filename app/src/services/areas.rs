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
        })
        .collect();
    (areas, map.height, map.vertices)
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
    Ok(summarize(set, &areas, &figures))
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
    }
}

/// A set's map, areas and population, names in `language` where translated.
pub async fn set_detail(db: &DatabaseConnection, key: &str, language: &str) -> Result<AreaSetDetail, AppError> {
    let set = find_set(db, Some(key)).await?;
    let areas = store::areas(db, set.id).await?;
    let figures = store::figures(db, set.id).await?;
    let summary = summarize(&set, &areas, &figures);
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
    Ok(map)
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

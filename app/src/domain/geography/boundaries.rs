//! Reading a city's boundary file (GeoJSON, longitude/latitude) into areas, and checking it:
//! problems that make the file unusable (not GeoJSON, not WGS84, missing or duplicate ids,
//! invalid polygons) refuse the whole file; overlaps and gaps between areas are warnings with
//! their sizes, because real boundary files have them (Durham's neighborhoods overlap).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use geo::{Area, BooleanOps, BoundingRect, CoordsIter, MultiPolygon, Polygon, Validation};
use geojson::{GeoJson, GeometryValue};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};
use serde_json::Value;

use super::projection::LocalProjection;
use super::readable_size;

/// Which feature properties hold what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundaryOptions {
    /// The property with each area's id (unique within the file).
    pub id_property: String,
    /// The property with each area's name; without it, the name is `name_prefix` + id.
    pub name_property: Option<String>,
    /// Put before the id when there is no name property ("NPA " → "NPA 12").
    pub name_prefix: String,
    /// Translated names: (language code, property), e.g. `("es", "label_es")`.
    pub translated_names: Vec<(String, String)>,
    /// Import only the features whose property equals a value, e.g. `feature_type = ward`.
    pub only_where: Option<(String, String)>,
}

impl Default for BoundaryOptions {
    fn default() -> Self {
        Self {
            id_property: "id".into(),
            name_property: None,
            name_prefix: String::new(),
            translated_names: Vec::new(),
            only_where: None,
        }
    }
}

/// One area read from the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    pub key: String,
    pub name: String,
    /// Names in other languages, by language code.
    pub names: BTreeMap<String, String>,
    /// Longitude/latitude.
    pub shape: MultiPolygon<f64>,
}

/// A usable boundary file: its areas in file order, and what is worth a second look.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundaries {
    pub areas: Vec<Boundary>,
    pub warnings: Vec<BoundaryWarning>,
}

/// Why a boundary file cannot be used. Each names the feature (by id where it has one).
#[derive(Clone, Debug, PartialEq)]
pub enum BoundaryProblem {
    NotGeoJson(String),
    NotAFeatureCollection,
    NotWgs84 { crs: String },
    ProjectedCoordinates { area: String, x: f64, y: f64 },
    MissingId { feature: usize, properties: Vec<String> },
    DuplicateId { area: String, count: usize },
    MissingGeometry { area: String },
    NotAPolygon { area: String, kind: String },
    InvalidGeometry { area: String, reason: String },
    NothingSelected { property: String, value: String, values_seen: Vec<String> },
    Empty,
}

impl fmt::Display for BoundaryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotGeoJson(reason) => write!(f, "The file is not valid GeoJSON: {reason}"),
            Self::NotAFeatureCollection => {
                write!(f, "The file must be a GeoJSON FeatureCollection with one feature per area.")
            }
            Self::NotWgs84 { crs } => write!(
                f,
                "The file's coordinate system is {crs}; Canvass needs longitude/latitude (WGS84, EPSG:4326). Re-project it first, e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`."
            ),
            Self::ProjectedCoordinates { area, x, y } => write!(
                f,
                "Area {area}: coordinate ({x}, {y}) is not a longitude/latitude, so the file looks projected (State Plane feet or UTM metres, for example). Re-project it to WGS84 (EPSG:4326)."
            ),
            Self::MissingId { feature, properties } => write!(
                f,
                "Feature {feature} has no id in the chosen id property. Properties in the file: {}.",
                if properties.is_empty() { "none".to_owned() } else { properties.join(", ") }
            ),
            Self::DuplicateId { area, count } => write!(f, "Area id {area} appears {count} times; ids must be unique."),
            Self::MissingGeometry { area } => write!(f, "Area {area} has no geometry."),
            Self::NotAPolygon { area, kind } => {
                write!(f, "Area {area} is a {kind}; areas must be Polygon or MultiPolygon.")
            }
            Self::InvalidGeometry { area, reason } => write!(f, "Area {area} has an invalid shape: {reason}."),
            Self::NothingSelected { property, value, values_seen } => write!(
                f,
                "No feature has {property} = {value}. Values in the file: {}.",
                if values_seen.is_empty() { "none".to_owned() } else { values_seen.join(", ") }
            ),
            Self::Empty => write!(f, "The file has no features."),
        }
    }
}

/// Something odd about a usable file, with its size.
#[derive(Clone, Debug, PartialEq)]
pub enum BoundaryWarning {
    /// Two areas share ground: a resident there could belong to either.
    Overlap { first: String, second: String, square_metres: f64 },
    /// Ground inside the city's outline that no area covers.
    Gap { square_metres: f64 },
}

impl fmt::Display for BoundaryWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Overlap { first, second, square_metres } => {
                write!(f, "Areas {first} and {second} overlap by {}.", readable_size(*square_metres))
            }
            Self::Gap { square_metres } => {
                write!(f, "A gap of {} inside the outline belongs to no area.", readable_size(*square_metres))
            }
        }
    }
}

/// Overlaps and gaps smaller than this (a 10 m × 10 m patch) are digitizing slop along shared
/// edges, not findings: Durham's neighborhood file has hundreds of overlaps of a few square metres
/// between neighbours that were drawn separately, which would bury the real ones.
const NOISE_SQUARE_METRES: f64 = 100.0;

/// Reads and checks a boundary file. `progress(done, total)` is called as features are read.
pub fn read_boundaries(
    text: &str,
    options: &BoundaryOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Boundaries, Vec<BoundaryProblem>> {
    let geojson: GeoJson =
        text.parse().map_err(|e: geojson::Error| vec![BoundaryProblem::NotGeoJson(e.to_string())])?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(vec![BoundaryProblem::NotAFeatureCollection]);
    };
    if let Some(crs) = collection.foreign_members.as_ref().and_then(|m| m.get("crs")).and_then(crs_name)
        && !is_wgs84(&crs)
    {
        return Err(vec![BoundaryProblem::NotWgs84 { crs }]);
    }
    if collection.features.is_empty() {
        return Err(vec![BoundaryProblem::Empty]);
    }
    let total = collection.features.len();
    let mut problems = Vec::new();
    let mut areas = Vec::new();
    let mut values_seen = BTreeSet::new();
    for (index, feature) in collection.features.iter().enumerate() {
        progress(index + 1, total);
        let properties = feature.properties.clone().unwrap_or_default();
        if let Some((property, wanted)) = &options.only_where {
            let value = properties.get(property).map(property_text).unwrap_or_default();
            if &value != wanted {
                values_seen.insert(value);
                continue;
            }
        }
        let Some(key) = properties.get(&options.id_property).map(property_text).filter(|k| !k.trim().is_empty()) else {
            problems.push(BoundaryProblem::MissingId {
                feature: index + 1,
                properties: properties.keys().cloned().collect(),
            });
            continue;
        };
        let key = key.trim().to_owned();
        let name = options
            .name_property
            .as_ref()
            .and_then(|p| properties.get(p))
            .map(property_text)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("{}{key}", options.name_prefix));
        let names = options
            .translated_names
            .iter()
            .filter_map(|(language, property)| {
                let name = properties.get(property).map(property_text).filter(|n| !n.trim().is_empty())?;
                Some((language.clone(), name))
            })
            .collect();
        let Some(geometry) = &feature.geometry else {
            problems.push(BoundaryProblem::MissingGeometry { area: key });
            continue;
        };
        let shape = match &geometry.value {
            GeometryValue::Polygon { .. } => Polygon::try_from(&geometry.value).map(|p| MultiPolygon::new(vec![p])),
            GeometryValue::MultiPolygon { .. } => MultiPolygon::try_from(&geometry.value),
            other => {
                problems.push(BoundaryProblem::NotAPolygon { area: key, kind: other.type_name().to_owned() });
                continue;
            }
        };
        let shape = match shape {
            Ok(shape) => shape,
            Err(error) => {
                problems.push(BoundaryProblem::InvalidGeometry { area: key, reason: error.to_string() });
                continue;
            }
        };
        if let Some(c) =
            shape.coords_iter().find(|c| !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y))
        {
            problems.push(BoundaryProblem::ProjectedCoordinates { area: key, x: c.x, y: c.y });
            continue;
        }
        if let Err(error) = shape.check_validation() {
            problems.push(BoundaryProblem::InvalidGeometry { area: key, reason: error.to_string() });
            continue;
        }
        areas.push(Boundary { key, name: name.trim().to_owned(), names, shape });
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for area in &areas {
        *counts.entry(&area.key).or_default() += 1;
    }
    let mut duplicates: Vec<_> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    duplicates.sort();
    problems.extend(
        duplicates.into_iter().map(|(key, count)| BoundaryProblem::DuplicateId { area: key.to_owned(), count }),
    );
    if areas.is_empty()
        && problems.is_empty()
        && let Some((property, value)) = &options.only_where
    {
        problems.push(BoundaryProblem::NothingSelected {
            property: property.clone(),
            value: value.clone(),
            values_seen: values_seen.into_iter().collect(),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let warnings = coverage_warnings(&areas);
    Ok(Boundaries { areas, warnings })
}

/// Overlaps between areas, and gaps inside the outline of their union, in square metres.
pub fn coverage_warnings(areas: &[Boundary]) -> Vec<BoundaryWarning> {
    let Some(projection) = LocalProjection::for_shapes(areas.iter().map(|a| &a.shape)) else { return Vec::new() };
    let shapes: Vec<MultiPolygon<f64>> = areas.iter().map(|a| projection.shape_in_metres(&a.shape)).collect();
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = shapes
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let b = s.bounding_rect()?;
            Some(GeomWithData::new(Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]), i))
        })
        .collect();
    let tree = RTree::bulk_load(boxes.clone());
    let mut warnings = Vec::new();
    for candidate in &boxes {
        for other in tree.locate_in_envelope_intersecting(&candidate.envelope()) {
            let (i, j) = (candidate.data, other.data);
            if j <= i {
                continue;
            }
            let overlap = shapes[i].intersection(&shapes[j]).unsigned_area();
            if overlap >= NOISE_SQUARE_METRES {
                warnings.push(BoundaryWarning::Overlap {
                    first: areas[i].key.clone(),
                    second: areas[j].key.clone(),
                    square_metres: overlap,
                });
            }
        }
    }
    warnings.sort_by(|a, b| size_of(b).total_cmp(&size_of(a)));
    let union = geo::unary_union(shapes.iter());
    let mut gaps: Vec<f64> = union
        .iter()
        .flat_map(|p| p.interiors().iter().map(|ring| Polygon::new(ring.clone(), Vec::new()).unsigned_area()))
        .filter(|size| *size >= NOISE_SQUARE_METRES)
        .collect();
    gaps.sort_by(|a, b| b.total_cmp(a));
    warnings.extend(gaps.into_iter().map(|square_metres| BoundaryWarning::Gap { square_metres }));
    warnings
}

fn size_of(warning: &BoundaryWarning) -> f64 {
    match warning {
        BoundaryWarning::Overlap { square_metres, .. } | BoundaryWarning::Gap { square_metres } => *square_metres,
    }
}

fn property_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn crs_name(crs: &Value) -> Option<String> {
    crs.get("properties")?.get("name")?.as_str().map(str::to_owned)
}

/// The names GeoJSON files use for longitude/latitude on WGS84.
fn is_wgs84(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    name.ends_with("CRS84") || name.ends_with("EPSG::4326") || name == "EPSG:4326" || name.ends_with("EPSG:4326")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(id: &str, coordinates: &str) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"id":"{id}","name":"Area {id}","label_es":"Zona {id}","kind":"ward"}},"geometry":{{"type":"Polygon","coordinates":{coordinates}}}}}"#
        )
    }

    fn collection(features: &[String]) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    /// Two unit squares (in hundredths of a degree) side by side.
    fn two_squares() -> String {
        collection(&[
            feature("a", "[[[0,0],[0.01,0],[0.01,0.01],[0,0.01],[0,0]]]"),
            feature("b", "[[[0.01,0],[0.02,0],[0.02,0.01],[0.01,0.01],[0.01,0]]]"),
        ])
    }

    fn read(text: &str, options: &BoundaryOptions) -> Result<Boundaries, Vec<BoundaryProblem>> {
        read_boundaries(text, options, &mut |_, _| {})
    }

    #[test]
    fn a_clean_partition_reads_with_names_and_no_warnings() {
        let options = BoundaryOptions {
            name_property: Some("name".into()),
            translated_names: vec![("es".into(), "label_es".into())],
            ..BoundaryOptions::default()
        };
        let boundaries = read(&two_squares(), &options).expect("valid");
        assert_eq!(boundaries.areas.len(), 2);
        assert_eq!(boundaries.areas[0].name, "Area a");
        assert_eq!(boundaries.areas[0].names.get("es").map(String::as_str), Some("Zona a"));
        assert!(boundaries.warnings.is_empty(), "{:?}", boundaries.warnings);
    }

    #[test]
    fn without_a_name_property_the_name_is_prefix_and_id() {
        let options = BoundaryOptions { name_prefix: "NPA ".into(), ..BoundaryOptions::default() };
        let boundaries = read(&two_squares(), &options).expect("valid");
        assert_eq!(boundaries.areas[1].name, "NPA b");
    }

    #[test]
    fn malformed_json_is_refused() {
        let problems = read("{\"type\": \"FeatureCollection\", \"features\": [", &BoundaryOptions::default())
            .expect_err("refused");
        assert!(matches!(problems[0], BoundaryProblem::NotGeoJson(_)), "{problems:?}");
    }

    #[test]
    fn a_single_geometry_is_not_a_feature_collection() {
        let problems =
            read(r#"{"type":"Point","coordinates":[0,0]}"#, &BoundaryOptions::default()).expect_err("refused");
        assert_eq!(problems, vec![BoundaryProblem::NotAFeatureCollection]);
    }

    #[test]
    fn a_projected_crs_is_refused_by_name() {
        let text = two_squares().replacen(
            "{\"type\":\"FeatureCollection\",",
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2264"}},"#,
            1,
        );
        let problems = read(&text, &BoundaryOptions::default()).expect_err("refused");
        assert!(matches!(&problems[0], BoundaryProblem::NotWgs84 { crs } if crs.contains("2264")), "{problems:?}");
        assert!(problems[0].to_string().contains("EPSG:4326"));
    }

    #[test]
    fn state_plane_coordinates_are_refused_even_without_a_crs() {
        let text =
            collection(&[feature("a", "[[[1445000,540000],[1446000,540000],[1446000,541000],[1445000,540000]]]")]);
        let problems = read(&text, &BoundaryOptions::default()).expect_err("refused");
        assert!(
            matches!(&problems[0], BoundaryProblem::ProjectedCoordinates { area, .. } if area == "a"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_crs84_name_is_accepted() {
        let text = two_squares().replacen(
            "{\"type\":\"FeatureCollection\",",
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"#,
            1,
        );
        assert!(read(&text, &BoundaryOptions::default()).is_ok());
    }

    #[test]
    fn a_self_intersecting_ring_is_reported_with_the_area_id() {
        let bow_tie = feature("bow", "[[[0,0],[0.01,0.01],[0.01,0],[0,0.01],[0,0]]]");
        let problems = read(&collection(&[bow_tie]), &BoundaryOptions::default()).expect_err("refused");
        assert!(
            matches!(&problems[0], BoundaryProblem::InvalidGeometry { area, reason } if area == "bow" && reason.contains("self-intersection")),
            "{problems:?}"
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let square = "[[[0,0],[0.01,0],[0.01,0.01],[0,0.01],[0,0]]]";
        let problems = read(&collection(&[feature("a", square), feature("a", square)]), &BoundaryOptions::default())
            .expect_err("refused");
        assert_eq!(problems, vec![BoundaryProblem::DuplicateId { area: "a".into(), count: 2 }]);
    }

    #[test]
    fn a_missing_id_property_lists_the_properties_there_are() {
        let options = BoundaryOptions { id_property: "GEOID".into(), ..BoundaryOptions::default() };
        let problems = read(&two_squares(), &options).expect_err("refused");
        assert!(problems[0].to_string().contains("id, kind, label_es, name"), "{}", problems[0]);
    }

    #[test]
    fn lines_are_not_areas() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}"#;
        let problems = read(text, &BoundaryOptions::default()).expect_err("refused");
        assert_eq!(problems, vec![BoundaryProblem::NotAPolygon { area: "x".into(), kind: "LineString".into() }]);
    }

    #[test]
    fn a_filter_keeps_only_matching_features_and_says_what_values_exist() {
        let options =
            BoundaryOptions { only_where: Some(("kind".into(), "ward".into())), ..BoundaryOptions::default() };
        assert_eq!(read(&two_squares(), &options).expect("valid").areas.len(), 2);
        let options =
            BoundaryOptions { only_where: Some(("kind".into(), "school".into())), ..BoundaryOptions::default() };
        let problems = read(&two_squares(), &options).expect_err("refused");
        assert!(problems[0].to_string().contains("Values in the file: ward"), "{}", problems[0]);
    }

    #[test]
    fn overlaps_are_warnings_with_their_size() {
        let text = collection(&[
            feature("a", "[[[0,0],[0.01,0],[0.01,0.01],[0,0.01],[0,0]]]"),
            feature("b", "[[[0.005,0],[0.02,0],[0.02,0.01],[0.005,0.01],[0.005,0]]]"),
        ]);
        let boundaries = read(&text, &BoundaryOptions::default()).expect("usable");
        let [BoundaryWarning::Overlap { first, second, square_metres }] = boundaries.warnings.as_slice() else {
            panic!("{:?}", boundaries.warnings)
        };
        assert_eq!((first.as_str(), second.as_str()), ("a", "b"));
        // 0.005° × 0.01° at the equator ≈ 556 m × 1112 m.
        assert!((square_metres - 618_000.0).abs() < 2_000.0, "{square_metres}");
    }

    #[test]
    fn a_hole_no_area_fills_is_a_gap() {
        // A ring of four areas around an empty middle square.
        let text = collection(&[
            feature("s", "[[[0,0],[0.03,0],[0.03,0.01],[0,0.01],[0,0]]]"),
            feature("n", "[[[0,0.02],[0.03,0.02],[0.03,0.03],[0,0.03],[0,0.02]]]"),
            feature("w", "[[[0,0.01],[0.01,0.01],[0.01,0.02],[0,0.02],[0,0.01]]]"),
            feature("e", "[[[0.02,0.01],[0.03,0.01],[0.03,0.02],[0.02,0.02],[0.02,0.01]]]"),
        ]);
        let boundaries = read(&text, &BoundaryOptions::default()).expect("usable");
        let gaps: Vec<f64> = boundaries
            .warnings
            .iter()
            .filter_map(|w| match w {
                BoundaryWarning::Gap { square_metres } => Some(*square_metres),
                BoundaryWarning::Overlap { .. } => None,
            })
            .collect();
        assert_eq!(gaps.len(), 1, "{:?}", boundaries.warnings);
        assert!((gaps[0] - 1_236_000.0).abs() < 5_000.0, "{}", gaps[0]);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(readable_size(12.4), "12 m²");
        assert_eq!(readable_size(25_000.0), "2.5 ha");
        assert_eq!(readable_size(3_200_000.0), "3.20 km²");
    }
}

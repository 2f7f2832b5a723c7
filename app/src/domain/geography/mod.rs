//! Geography: area sets (named partitions of the city such as neighborhoods or council
//! districts), their population tables, apportionment between sets, placing a resident's
//! location in an area, and drawing a set as an SVG map.
//!
//! The geometry is server-only (the `geo` crate); what the browser gets — the drawn map and the
//! list of areas — is plain serializable data defined here.

#[cfg(feature = "ssr")]
pub mod addresses;
#[cfg(feature = "ssr")]
pub mod apportion;
#[cfg(feature = "ssr")]
pub mod boundaries;
#[cfg(feature = "ssr")]
pub mod csv_table;
#[cfg(feature = "ssr")]
pub mod groupings;
#[cfg(feature = "ssr")]
pub mod import_form;
#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod map;
#[cfg(feature = "ssr")]
pub mod names;
#[cfg(feature = "ssr")]
pub mod population;
#[cfg(feature = "ssr")]
pub mod projection;

use serde::{Deserialize, Serialize};

/// One area as a resident picks it: id, name in the resident's language, and its drawn shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapArea {
    pub key: String,
    pub name: String,
    /// SVG path data in the map's view box.
    pub path: String,
    /// Other names residents know the area by ("Plaza Midwood"), searched by the area picker.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// An area set drawn for picking or for a choropleth: a 1,000-unit-wide view box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaMap {
    pub set_key: String,
    pub set_name: String,
    pub height: f64,
    pub areas: Vec<MapArea>,
    /// Whether the city has ZIP code boundaries, so residents can find their area by ZIP code.
    #[serde(default)]
    pub zip_lookup: bool,
    /// Whether the city has published address points for this set, so residents can find their
    /// area by street address.
    #[serde(default)]
    pub address_lookup: bool,
    /// A coarser grouping of these areas (council districts, towns) drawn over them as labeled
    /// outlines, to tap and zoom into; empty when the city has none on the picker.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlines: Vec<MapOutline>,
}

/// One area of a grouping drawn over a map: where to write its name and what to zoom to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapOutline {
    pub key: String,
    pub name: String,
    /// SVG path data in the map's view box.
    pub path: String,
    /// Where its name is written, in map units (a point inside it).
    pub label: (f64, f64),
    /// Its bounding box in map units: x, y, width, height.
    pub bounds: (f64, f64, f64, f64),
}

/// The maps a survey's area questions show: the area set a question names (`None`: the city's
/// default set) with that set drawn in the resident's language.
pub type SurveyAreaMaps = Vec<(Option<String>, AreaMap)>;

/// A street address a resident may mean, with the area it lies in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddressArea {
    pub address: String,
    pub key: String,
    pub name: String,
}

/// An area a ZIP code overlaps, with the part of the ZIP code's land inside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZipArea {
    pub key: String,
    pub name: String,
    pub share_of_zip: f64,
}

impl AreaMap {
    /// The areas sorted by name as people read numbers ("NPA 9" before "NPA 10").
    pub fn areas_by_name(&self) -> Vec<&MapArea> {
        let mut areas: Vec<&MapArea> = self.areas.iter().collect();
        areas.sort_by(|a, b| natural_order(&a.name, &b.name));
        areas
    }

    /// The area with this id.
    pub fn area(&self, key: &str) -> Option<&MapArea> {
        self.areas.iter().find(|a| a.key == key)
    }
}

/// Square metres as a person would say them.
pub fn readable_size(square_metres: f64) -> String {
    if square_metres >= 1_000_000.0 {
        format!("{:.2} km²", square_metres / 1_000_000.0)
    } else if square_metres >= 10_000.0 {
        format!("{:.1} ha", square_metres / 10_000.0)
    } else {
        format!("{square_metres:.0} m²")
    }
}

/// Compares names with runs of digits compared as numbers.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, text)) if *d == digit => text.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (a, b) = (chunks(a), chunks(b));
    for (x, y) in a.iter().zip(&b) {
        let order = match (x.0, y.0) {
            (true, true) => {
                let (xs, ys) = (x.1.trim_start_matches('0'), y.1.trim_start_matches('0'));
                xs.len().cmp(&ys.len()).then_with(|| xs.cmp(ys))
            }
            _ => x.1.to_lowercase().cmp(&y.1.to_lowercase()),
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_with_numbers_as_numbers() {
        let mut names = vec!["NPA 10", "NPA 9", "Ward 2", "npa 100", "NPA 09b"];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(names, vec!["NPA 9", "NPA 09b", "NPA 10", "npa 100", "Ward 2"]);
    }
}

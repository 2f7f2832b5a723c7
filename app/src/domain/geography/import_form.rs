//! The administrators' import forms, read into what an import needs: a new area set with how to
//! read its boundary file, or how to read a population file. The upload arrives as named text
//! fields (the file's contents under `file`); everything a person typed is checked here, once,
//! in the order the form shows it, so the first mistake on the form is the one reported.

use std::collections::BTreeMap;

use super::boundaries::BoundaryOptions;
use super::population::PopulationGroup;
use crate::error::AppError;

/// The fields of a posted form by name: text fields and uploaded files alike.
pub type FormFields = BTreeMap<String, String>;

/// A new area set's identity, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAreaSet {
    pub key: String,
    pub name: String,
    pub source: String,
    /// ZIP code (ZCTA) boundaries, used only to turn a ZIP code into areas.
    pub zip_codes: bool,
}

impl NewAreaSet {
    /// Checks the key (lowercase letters, digits, `-` and `_`; used in links and survey files)
    /// and the name.
    pub fn parse(key: &str, name: &str, source: &str) -> Result<Self, AppError> {
        let key = key.trim();
        if key.is_empty()
            || key.len() > 64
            || !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            return Err(AppError::invalid(
                "key",
                "area_set_key_invalid",
                "Choose a short id of lowercase letters, digits, - or _ (for example neighborhoods).",
            ));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(AppError::invalid(
                "name",
                "area_set_name_invalid",
                "Give the area set a name of up to 200 characters.",
            ));
        }
        Ok(Self { key: key.to_owned(), name: name.to_owned(), source: source.trim().to_owned(), zip_codes: false })
    }
}

/// How a population file is laid out.
#[derive(Clone, Debug, PartialEq)]
pub enum PopulationFile {
    /// Canvass's format: `area,total,dimension:group,…,moe:…`.
    Table { year: Option<i32> },
    /// A published yearly table (`id,y_2010,y_2020`): one year of it becomes one group.
    Yearly { year: i32, group: PopulationGroup, margins: Option<String> },
}

/// The boundary upload form, read: the set to create, which properties hold what, and the
/// GeoJSON text (checked later, as a whole, by `boundaries::read_boundaries`).
#[derive(Clone, Debug, PartialEq)]
pub struct BoundaryImport {
    pub set: NewAreaSet,
    pub options: BoundaryOptions,
    pub file: String,
}

impl BoundaryImport {
    /// Reads the form: key, name and source of the set, the ZIP code box, the id, name and
    /// Spanish name properties, the name prefix, the `property=value` filter, and the file.
    pub fn from_form(mut fields: FormFields) -> Result<Self, AppError> {
        // Taken, not copied: the file may be tens of megabytes.
        let file = fields.remove("file").unwrap_or_default();
        let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let optional = |name: &str| Some(get(name)).filter(|v| !v.is_empty());
        let mut set = NewAreaSet::parse(&get("key"), &get("name"), &get("source"))?;
        // A checkbox posts nothing when unchecked.
        set.zip_codes = !get("zip_codes").is_empty();
        let only_where = optional("only_where").map(|pair| parse_only_where(&pair)).transpose()?;
        let options = BoundaryOptions {
            id_property: optional("id_property").unwrap_or_else(|| "id".into()),
            name_property: optional("name_property"),
            // Not trimmed: a prefix usually ends with the space before the id ("NPA " → "NPA 12").
            name_prefix: fields.get("name_prefix").cloned().unwrap_or_default(),
            translated_names: optional("name_es_property").map(|p| vec![("es".to_owned(), p)]).unwrap_or_default(),
            only_where,
        };
        if file.trim().is_empty() {
            return Err(AppError::invalid("file", "file_missing", "Choose a GeoJSON file to import."));
        }
        Ok(Self { set, options, file })
    }
}

/// The grouping upload form, read: the set whose areas are grouped, the new grouping's key and
/// name, whether residents' picker draws it, and the lookup table (checked later, as a whole,
/// by `groupings::read_groupings`).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupingImport {
    pub of: String,
    pub set: NewAreaSet,
    pub on_picker: bool,
    pub text: String,
}

impl GroupingImport {
    /// Reads the form: `of`, `key`, `name`, `source`, the `on_picker` box and the file.
    pub fn from_form(mut fields: FormFields) -> Result<Self, AppError> {
        let text = fields.remove("file").unwrap_or_default();
        let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let set = NewAreaSet::parse(&get("key"), &get("name"), &get("source"))?;
        if text.trim().is_empty() {
            return Err(AppError::invalid(
                "file",
                "file_missing",
                "Choose a CSV file with area and group columns (which area is in which district or town).",
            ));
        }
        Ok(Self { of: get("of"), set, on_picker: !get("on_picker").is_empty(), text })
    }
}

/// The filter `property=value`, each side trimmed.
fn parse_only_where(pair: &str) -> Result<(String, String), AppError> {
    pair.split_once('=').map(|(p, v)| (p.trim().to_owned(), v.trim().to_owned())).ok_or_else(|| {
        AppError::invalid(
            "only_where",
            "only_where_invalid",
            "Write the filter as property=value, e.g. feature_type=ward.",
        )
    })
}

/// The population upload form, read: the set the figures are for, the file's layout, the CSV
/// text (checked later, as a whole, by `population`), and where the figures come from.
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationImport {
    pub set_key: String,
    pub file: PopulationFile,
    pub text: String,
    pub source: String,
}

impl PopulationImport {
    /// Reads the form: the set, the year, the group (blank: Canvass's own table layout; else a
    /// yearly table whose chosen year becomes this group), the margins column, the source and
    /// the file.
    pub fn from_form(mut fields: FormFields) -> Result<Self, AppError> {
        // Taken, not copied: the file may be tens of megabytes.
        let text = fields.remove("file").unwrap_or_default();
        let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let set_key = get("set");
        let year =
            match get("year").as_str() {
                "" => None,
                typed => Some(typed.parse::<i32>().map_err(|_| {
                    AppError::invalid("year", "year_invalid", "Write the year as four digits, e.g. 2020.")
                })?),
            };
        let file = match get("group").as_str() {
            "" => PopulationFile::Table { year },
            group => {
                let group = PopulationGroup::parse(group).ok_or_else(|| {
                    AppError::invalid(
                        "group",
                        "group_invalid",
                        "Write the group as total or dimension:group, e.g. age:under_18.",
                    )
                })?;
                let year = year.ok_or_else(|| {
                    AppError::invalid("year", "year_missing", "A yearly table needs the year to read, e.g. 2020.")
                })?;
                let margins = fields.get("margins").filter(|m| !m.trim().is_empty()).cloned();
                PopulationFile::Yearly { year, group, margins }
            }
        };
        if text.trim().is_empty() {
            return Err(AppError::invalid("file", "file_missing", "Choose a CSV file to import."));
        }
        let source = Some(get("source")).filter(|s| !s.is_empty()).unwrap_or_else(|| "uploaded CSV".into());
        Ok(Self { set_key, file, text, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    fn field_of(error: &AppError) -> &str {
        match error {
            AppError::Invalid { field, .. } => field.as_str(),
            other => panic!("not a field error: {other:?}"),
        }
    }

    const GEOJSON: &str = r#"{"type":"FeatureCollection","features":[]}"#;

    #[test]
    fn a_boundary_form_with_only_key_name_and_file_reads_ids_from_the_id_property() {
        let posted = fields(&[("key", " wards "), ("name", " Wards "), ("file", GEOJSON)]);

        let import = BoundaryImport::from_form(posted).expect("complete form");

        let set = NewAreaSet { key: "wards".into(), name: "Wards".into(), source: String::new(), zip_codes: false };
        assert_eq!(import, BoundaryImport { set, options: BoundaryOptions::default(), file: GEOJSON.into() });
    }

    #[test]
    fn every_boundary_option_is_read_and_the_name_prefix_keeps_its_space() {
        let posted = fields(&[
            ("key", "npa"),
            ("name", "Neighborhood profile areas"),
            ("source", " City open data "),
            ("zip_codes", "on"),
            ("id_property", " npa_id "),
            ("name_property", "label"),
            ("name_es_property", "label_es"),
            ("name_prefix", "NPA "),
            ("only_where", " feature_type = ward "),
            ("file", GEOJSON),
        ]);

        let import = BoundaryImport::from_form(posted).expect("complete form");

        assert_eq!(import.set.source, "City open data");
        assert!(import.set.zip_codes);
        let expected = BoundaryOptions {
            id_property: "npa_id".into(),
            name_property: Some("label".into()),
            name_prefix: "NPA ".into(),
            translated_names: vec![("es".into(), "label_es".into())],
            only_where: Some(("feature_type".into(), "ward".into())),
        };
        assert_eq!(import.options, expected);
    }

    #[test]
    fn the_first_mistake_on_the_boundary_form_is_the_one_reported() {
        let cases = [
            (vec![("key", "Bad Key"), ("name", "X"), ("only_where", "x")], "area_set_key_invalid", "key"),
            (vec![("key", "x"), ("name", " "), ("file", GEOJSON)], "area_set_name_invalid", "name"),
            (vec![("key", "x"), ("name", "X"), ("only_where", "feature_type")], "only_where_invalid", "only_where"),
            (vec![("key", "x"), ("name", "X"), ("file", "  \n")], "file_missing", "file"),
        ];
        for (posted, key, field) in cases {
            let error = BoundaryImport::from_form(fields(&posted)).expect_err(key);

            assert_eq!((error.key(), field_of(&error), error.status()), (key, field, 422), "{posted:?}");
        }
    }

    #[test]
    fn a_population_form_without_a_group_is_a_canvass_table_from_an_uploaded_csv() {
        let posted = fields(&[("set", " two "), ("year", "2020"), ("file", "area,total\na,1\n")]);

        let import = PopulationImport::from_form(posted).expect("complete form");

        let expected = PopulationImport {
            set_key: "two".into(),
            file: PopulationFile::Table { year: Some(2020) },
            text: "area,total\na,1\n".into(),
            source: "uploaded CSV".into(),
        };
        assert_eq!(import, expected);
    }

    #[test]
    fn a_population_form_with_a_group_reads_one_year_of_a_yearly_table() {
        let posted = fields(&[
            ("set", "two"),
            ("year", "2010"),
            ("group", "age:under_18"),
            ("margins", "moe_2010"),
            ("source", "Census"),
            ("file", "id,y_2010\na,1\n"),
        ]);

        let import = PopulationImport::from_form(posted).expect("complete form");

        let group = PopulationGroup { dimension: "age".into(), group: "under_18".into() };
        assert_eq!(import.file, PopulationFile::Yearly { year: 2010, group, margins: Some("moe_2010".into()) });
        assert_eq!(import.source, "Census");
    }

    #[test]
    fn a_blank_margins_field_means_no_margins() {
        let posted = fields(&[("set", "two"), ("year", "2020"), ("group", "total"), ("margins", " "), ("file", "x")]);

        let import = PopulationImport::from_form(posted).expect("complete form");

        assert_eq!(import.file, PopulationFile::Yearly { year: 2020, group: PopulationGroup::total(), margins: None });
    }

    #[test]
    fn the_first_mistake_on_the_population_form_is_the_one_reported() {
        let cases = [
            (vec![("set", "two"), ("year", "twenty"), ("group", "Age")], "year_invalid", "year"),
            (vec![("set", "two"), ("group", "Age"), ("file", "x")], "group_invalid", "group"),
            (vec![("set", "two"), ("group", "total"), ("file", "x")], "year_missing", "year"),
            (vec![("set", "two"), ("file", " ")], "file_missing", "file"),
        ];
        for (posted, key, field) in cases {
            let error = PopulationImport::from_form(fields(&posted)).expect_err(key);

            assert_eq!((error.key(), field_of(&error), error.status()), (key, field, 422), "{posted:?}");
        }
    }
}

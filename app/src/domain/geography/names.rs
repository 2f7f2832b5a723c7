//! Other names for areas: the names residents know a place by ("Plaza Midwood", "Midwood") when
//! the city's areas are named for their statistics ("NPA 123"). A city imports them as a CSV;
//! the area picker searches them with the areas' own names.
//!
//! The file: a header with `key` and `aliases` (or `alias`, or `name`) columns, one row per area
//! (several names separated by `;`) or one row per name. Every problem in the file is reported
//! with its line; nothing is stored unless the whole file is good.

use std::collections::{BTreeMap, BTreeSet};

/// Separates the names of one area in the file and where they are stored.
pub const SEPARATOR: char = ';';
/// The longest name kept.
pub const MAX_NAME_CHARS: usize = 80;
/// The most names one area may have.
pub const MAX_NAMES_PER_AREA: usize = 20;

/// The other names of one area, in the file's order, without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaNames {
    pub key: String,
    pub aliases: Vec<String>,
}

/// The names stored for an area, read back.
pub fn split(stored: &str) -> Vec<String> {
    stored.split(SEPARATOR).map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned).collect()
}

/// Names as stored.
pub fn join(names: &[String]) -> String {
    names.join(&format!("{SEPARATOR} "))
}

/// Reads a names file against the set's area keys.
pub fn read_area_names(text: &str, known: &BTreeSet<String>) -> Result<Vec<AreaNames>, Vec<String>> {
    let mut table = super::csv_table::CsvTable::open(text)?;
    let column = |names: &[&str]| table.column(names);
    let (Some(key_column), Some(names_column)) =
        (column(&["key", "id", "area"]), column(&["aliases", "alias", "name", "names"]))
    else {
        return Err(vec![
            "Line 1: the file needs a \"key\" column (the area's key, as in the area set) and an \"aliases\" column."
                .to_owned(),
        ]);
    };
    let mut problems = Vec::new();
    let mut by_area: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (index, record) in table.reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!("Line {line}: cannot be read ({e})."));
                continue;
            }
        };
        let key = record.get(key_column).unwrap_or_default();
        if key.is_empty() && record.iter().all(str::is_empty) {
            continue;
        }
        if !known.contains(key) {
            problems.push(format!("Line {line}: the area set has no area \"{key}\"."));
            continue;
        }
        let names = by_area.entry(key.to_owned()).or_default();
        for name in split(record.get(names_column).unwrap_or_default()) {
            if name.chars().count() > MAX_NAME_CHARS {
                problems.push(format!("Line {line}: \"{name}\" is longer than {MAX_NAME_CHARS} characters."));
            } else if name.chars().any(char::is_control) {
                problems.push(format!("Line {line}: a name holds a control character."));
            } else if !names.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
                names.push(name);
            }
        }
        if names.len() > MAX_NAMES_PER_AREA {
            problems.push(format!("Line {line}: area \"{key}\" has more than {MAX_NAMES_PER_AREA} names."));
        }
    }
    if !problems.is_empty() {
        problems.dedup();
        return Err(problems);
    }
    Ok(by_area.into_iter().map(|(key, aliases)| AreaNames { key, aliases }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["1", "2", "3"].into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn names_come_one_row_per_area_or_one_row_per_name() {
        let per_area = read_area_names("key,aliases\n1,Plaza Midwood; Midwood\n2,Dilworth\n", &known()).expect("good");
        assert_eq!(
            per_area,
            [
                AreaNames { key: "1".into(), aliases: vec!["Plaza Midwood".into(), "Midwood".into()] },
                AreaNames { key: "2".into(), aliases: vec!["Dilworth".into()] },
            ]
        );
        let per_name = read_area_names("Area,Name\n1,Plaza Midwood\n1,midwood\n1,Midwood\n\n", &known()).expect("good");
        assert_eq!(per_name, [AreaNames { key: "1".into(), aliases: vec!["Plaza Midwood".into(), "midwood".into()] }]);
        assert_eq!(split(&join(&per_area[0].aliases)), per_area[0].aliases);
    }

    #[test]
    fn every_problem_is_listed_with_its_line_and_nothing_is_kept() {
        let long = "x".repeat(81);
        let problems =
            read_area_names(&format!("key,aliases\n9,Nowhere\n1,{long}\n2,ok\n"), &known()).expect_err("refused");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("Line 2:") && problems[0].contains("no area \"9\""));
        assert!(problems[1].starts_with("Line 3:") && problems[1].contains("longer than 80"));
        assert!(
            read_area_names("name\nDilworth\n", &known()).expect_err("no key column")[0].contains("\"key\" column")
        );
    }
}

//! Area groupings (roll-ups): a coarser area set whose areas are unions of another set's areas —
//! City Council districts made of neighborhood profile areas, towns made of the same. A city
//! imports the lookup table it keeps (which area is in which district) as a CSV; the grouping's
//! boundaries are the unions of its members', so it needs no boundary file of its own.
//!
//! The file: a header with an `area` column (the finer set's area key) and a `group` column
//! (the name of the district, town… it is in), one row per area and group. An area may be in
//! two groups (an area straddling a district line); an area in none is simply left out of the
//! grouping. Every problem is reported with its line; nothing is stored unless the whole file is
//! good.

use std::collections::{BTreeMap, BTreeSet};

use geo::MultiPolygon;

use crate::domain::survey::edit::key_from_label;

/// The longest group name kept.
pub const MAX_GROUP_NAME_CHARS: usize = 100;
/// The most groups a grouping may have: more is not a coarser view of a city.
pub const MAX_GROUPS: usize = 200;

/// One area of a grouping: its key (from its name), name and the finer set's areas in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaGroup {
    pub key: String,
    pub name: String,
    /// Keys of the finer set's areas, in the file's order, without repeats.
    pub members: Vec<String>,
}

/// Reads a grouping file against the finer set's area keys.
pub fn read_groupings(text: &str, known: &BTreeSet<String>) -> Result<Vec<AreaGroup>, Vec<String>> {
    let mut table = super::csv_table::CsvTable::open(text)?;
    let column = |names: &[&str]| table.column(names);
    let (Some(area_column), Some(group_column)) =
        (column(&["area", "key", "area_key"]), column(&["group", "group_name", "district", "name"]))
    else {
        return Err(vec![
            "Line 1: the file needs an \"area\" column (the area's key, as in the area set) and a \"group\" column (the name of the district or town it is in)."
                .to_owned(),
        ]);
    };
    let mut problems = Vec::new();
    let mut groups: Vec<AreaGroup> = Vec::new();
    let mut names_by_key: BTreeMap<String, String> = BTreeMap::new();
    for (index, record) in table.reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!("Line {line}: cannot be read ({e})."));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let area = record.get(area_column).unwrap_or_default();
        let name = record.get(group_column).unwrap_or_default();
        if !known.contains(area) {
            problems.push(format!("Line {line}: the area set has no area \"{area}\"."));
            continue;
        }
        if name.is_empty() {
            problems.push(format!("Line {line}: write the name of the group area \"{area}\" is in."));
            continue;
        }
        if name.chars().count() > MAX_GROUP_NAME_CHARS || name.chars().any(char::is_control) {
            problems.push(format!(
                "Line {line}: a group name is at most {MAX_GROUP_NAME_CHARS} characters, without control characters."
            ));
            continue;
        }
        let key = key_from_label(name);
        match names_by_key.get(&key) {
            Some(known_name) if known_name != name => {
                problems.push(format!(
                    "Line {line}: \"{name}\" and \"{known_name}\" are too alike to tell apart; give one another name."
                ));
                continue;
            }
            Some(_) => {}
            None => {
                names_by_key.insert(key.clone(), name.to_owned());
                groups.push(AreaGroup { key: key.clone(), name: name.to_owned(), members: Vec::new() });
            }
        }
        if let Some(group) = groups.iter_mut().find(|g| g.key == key)
            && !group.members.iter().any(|m| m == area)
        {
            group.members.push(area.to_owned());
        }
    }
    if groups.is_empty() && problems.is_empty() {
        problems.push("The file puts no area in a group.".to_owned());
    }
    if groups.len() > MAX_GROUPS {
        problems.push(format!("The file names {} groups; a grouping has at most {MAX_GROUPS}.", groups.len()));
    }
    if !problems.is_empty() {
        problems.dedup();
        return Err(problems);
    }
    Ok(groups)
}

/// The boundary of a group: the union of its members' boundaries (shared edges dissolved).
pub fn union_of<'a>(shapes: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    geo::unary_union(shapes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    fn known() -> BTreeSet<String> {
        ["1", "2", "3", "4"].into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn a_lookup_table_becomes_groups_in_the_files_order() {
        let groups = read_groupings(
            "Area,Group\n1,District 2\n2,District 1\n3,District 2\n3,District 1\n1,District 2\n\n",
            &known(),
        )
        .expect("good");
        assert_eq!(
            groups,
            [
                AreaGroup {
                    key: "district_2".into(),
                    name: "District 2".into(),
                    members: vec!["1".into(), "3".into()]
                },
                AreaGroup {
                    key: "district_1".into(),
                    name: "District 1".into(),
                    members: vec!["2".into(), "3".into()]
                },
            ],
            "an area may straddle two districts; a repeated row is read once; area 4 is in none"
        );
    }

    #[test]
    fn every_problem_is_listed_with_its_line_and_nothing_is_kept() {
        let problems = read_groupings(
            &format!("area,group\n9,District 1\n1,\n2,{}\n3,District 1\n4,district-1\n", "x".repeat(101)),
            &known(),
        )
        .expect_err("refused");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("Line 2:") && problems[0].contains("no area \"9\""));
        assert!(problems[1].starts_with("Line 3:") && problems[1].contains("name of the group"));
        assert!(problems[2].starts_with("Line 4:") && problems[2].contains("at most 100"));
        assert!(problems[3].starts_with("Line 6:") && problems[3].contains("too alike"));
        assert!(read_groupings("key,aliases\n1,x\n", &known()).expect_err("no group column")[0].contains("\"group\""));
        assert!(read_groupings("area,group\n", &known()).expect_err("empty")[0].contains("no area in a group"));
    }

    #[test]
    fn a_groups_boundary_dissolves_the_edges_its_areas_share() {
        let left =
            MultiPolygon::new(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]]);
        let right =
            MultiPolygon::new(vec![polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)]]);
        let union = union_of([&left, &right]);
        assert_eq!(union.0.len(), 1, "one polygon, not two");
        assert!((union.unsigned_area() - 2.0).abs() < 1e-9);
    }
}

//! Population tables: counts per area for the whole population and for groups, read from CSV.
//!
//! Two shapes are read. Canvass's own format, one row per area:
//!
//! ```text
//! area,total,race_ethnicity:black_nh,race_ethnicity:hispanic,moe:race_ethnicity:hispanic
//! 12,2143,1011,204,58
//! ```
//!
//! and the yearly tables cities publish, one file per measure (`id,y_2010,y_2020`), of which one
//! year becomes one group. An empty cell is *missing*, never zero. A file with an unknown area,
//! a repeated area, a negative count or a value that is not a number is refused whole.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One population group: `total/all`, or a group within a dimension (`age/under_18`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PopulationGroup {
    pub dimension: String,
    pub group: String,
}

impl PopulationGroup {
    /// The whole population.
    pub fn total() -> Self {
        Self { dimension: "total".into(), group: "all".into() }
    }

    /// Reads `total` or `dimension:group` (lowercase letters, digits and `_`).
    pub fn parse(column: &str) -> Option<Self> {
        let column = column.trim();
        if column == "total" {
            return Some(Self::total());
        }
        let (dimension, group) = column.split_once(':')?;
        let slug =
            |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        (slug(dimension) && slug(group) && dimension != "moe" && dimension != "total")
            .then(|| Self { dimension: dimension.into(), group: group.into() })
    }

    /// Whether this is the whole population.
    pub fn is_total(&self) -> bool {
        self.dimension == "total"
    }
}

impl fmt::Display for PopulationGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_total() { write!(f, "total") } else { write!(f, "{}:{}", self.dimension, self.group) }
    }
}

/// One count for one area.
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationFigure {
    pub area: String,
    pub group: PopulationGroup,
    pub count: f64,
    /// The published margin of error of the count, when there is one.
    pub margin: Option<f64>,
}

/// Why a population file cannot be used; lines are numbered as a spreadsheet shows them.
#[derive(Clone, Debug, PartialEq)]
pub enum PopulationProblem {
    Unreadable { line: usize, reason: String },
    NoGroupColumns,
    BadColumn { column: String },
    MarginWithoutCount { column: String },
    YearNotInFile { year: i32, years: Vec<String> },
    UnknownArea { line: usize, area: String },
    DuplicateArea { area: String, lines: Vec<usize> },
    NotANumber { line: usize, column: String, value: String },
    Negative { line: usize, column: String, value: f64 },
}

impl fmt::Display for PopulationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable { line, reason } => write!(f, "Line {line} cannot be read as CSV: {reason}."),
            Self::NoGroupColumns => write!(
                f,
                "The file has no count columns: the first column is the area id, then `total` or `dimension:group` columns."
            ),
            Self::BadColumn { column } => write!(
                f,
                "Column \"{column}\" is not `total`, `dimension:group` (lowercase, e.g. `age:under_18`) or `moe:` followed by one of those."
            ),
            Self::MarginWithoutCount { column } => {
                write!(f, "Margin column \"{column}\" has no count column to go with it.")
            }
            Self::YearNotInFile { year, years } => {
                write!(f, "The file has no column for {year}. Years in the file: {}.", years.join(", "))
            }
            Self::UnknownArea { line, area } => write!(f, "Line {line}: area \"{area}\" is not in this area set."),
            Self::DuplicateArea { area, lines } => write!(
                f,
                "Area \"{area}\" appears on lines {}; each area must appear once.",
                lines.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
            ),
            Self::NotANumber { line, column, value } => {
                write!(f, "Line {line}, column {column}: \"{value}\" is not a number.")
            }
            Self::Negative { line, column, value } => {
                write!(f, "Line {line}, column {column}: {value} is negative; counts cannot be.")
            }
        }
    }
}

/// Reads Canvass's population format against the set's area ids.
pub fn read_population_table(
    text: &str,
    areas: &BTreeSet<String>,
) -> Result<Vec<PopulationFigure>, Vec<PopulationProblem>> {
    let (headers, rows, mut problems) = read_rows(text, areas)?;
    let mut counts = Vec::new();
    let mut margins = BTreeMap::new();
    let mut column_problems = Vec::new();
    for (index, header) in headers.iter().enumerate().skip(1) {
        if let Some(counted) = header.strip_prefix("moe:") {
            match PopulationGroup::parse(counted) {
                Some(group) => {
                    margins.insert(group, index);
                }
                None => column_problems.push(PopulationProblem::BadColumn { column: header.clone() }),
            }
        } else {
            match PopulationGroup::parse(header) {
                Some(group) => counts.push((group, index)),
                None => column_problems.push(PopulationProblem::BadColumn { column: header.clone() }),
            }
        }
    }
    for group in margins.keys() {
        if !counts.iter().any(|(g, _)| g == group) {
            column_problems.push(PopulationProblem::MarginWithoutCount { column: format!("moe:{group}") });
        }
    }
    if counts.is_empty() && column_problems.is_empty() {
        column_problems.push(PopulationProblem::NoGroupColumns);
    }
    if !column_problems.is_empty() {
        // Without the columns' meaning the cells cannot be checked.
        return Err(column_problems);
    }
    let mut figures = Vec::new();
    for row in &rows {
        for (group, column) in &counts {
            let count = cell_number(row, *column, &headers, &mut problems);
            let margin = margins.get(group).and_then(|m| cell_number(row, *m, &headers, &mut problems));
            if let Some(count) = count {
                figures.push(PopulationFigure { area: row.area.clone(), group: group.clone(), count, margin });
            }
        }
    }
    if problems.is_empty() { Ok(figures) } else { Err(problems) }
}

/// Reads one year of a published yearly table (`id,y_2010,y_2020`) as one group, with an
/// optional margins file of the same shape.
pub fn read_yearly_table(
    text: &str,
    year: i32,
    group: &PopulationGroup,
    areas: &BTreeSet<String>,
    margins: Option<&str>,
) -> Result<Vec<PopulationFigure>, Vec<PopulationProblem>> {
    let column_of = |headers: &[String]| -> Result<usize, Vec<PopulationProblem>> {
        let wanted = format!("y_{year}");
        headers.iter().position(|h| *h == wanted).ok_or_else(|| {
            vec![PopulationProblem::YearNotInFile {
                year,
                years: headers.iter().filter_map(|h| h.strip_prefix("y_")).map(str::to_owned).collect(),
            }]
        })
    };
    let (headers, rows, mut problems) = read_rows(text, areas)?;
    let column = column_of(&headers)?;
    let margin_by_area: BTreeMap<String, f64> = match margins {
        None => BTreeMap::new(),
        Some(margins) => {
            let (margin_headers, margin_rows, margin_problems) = read_rows(margins, areas)?;
            let margin_column = column_of(&margin_headers)?;
            problems.extend(margin_problems);
            margin_rows
                .iter()
                .filter_map(|row| {
                    Some((row.area.clone(), cell_number(row, margin_column, &margin_headers, &mut problems)?))
                })
                .collect()
        }
    };
    let figures = rows
        .iter()
        .filter_map(|row| {
            let count = cell_number(row, column, &headers, &mut problems)?;
            Some(PopulationFigure {
                area: row.area.clone(),
                group: group.clone(),
                count,
                margin: margin_by_area.get(&row.area).copied(),
            })
        })
        .collect();
    if problems.is_empty() { Ok(figures) } else { Err(problems) }
}

struct Row {
    line: usize,
    area: String,
    cells: Vec<String>,
}

/// A file's header, the rows whose area id is known, and the problems of the other rows.
type Rows = (Vec<String>, Vec<Row>, Vec<PopulationProblem>);

/// The header and the rows whose area id is known, with the problems of the others (unknown or
/// repeated ids, unreadable lines), so that one pass reports every problem in the file.
fn read_rows(text: &str, areas: &BTreeSet<String>) -> Result<Rows, Vec<PopulationProblem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| vec![PopulationProblem::Unreadable { line: 1, reason: e.to_string() }])?
        .iter()
        .map(str::to_owned)
        .collect();
    if headers.len() < 2 {
        return Err(vec![PopulationProblem::NoGroupColumns]);
    }
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut lines_by_area: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(PopulationProblem::Unreadable { line, reason: error.to_string() });
                continue;
            }
        };
        let area = record.get(0).unwrap_or_default().to_owned();
        if !areas.contains(&area) {
            problems.push(PopulationProblem::UnknownArea { line, area });
            continue;
        }
        lines_by_area.entry(area.clone()).or_default().push(line);
        rows.push(Row { line, area, cells: record.iter().map(str::to_owned).collect() });
    }
    problems.extend(
        lines_by_area
            .into_iter()
            .filter(|(_, lines)| lines.len() > 1)
            .map(|(area, lines)| PopulationProblem::DuplicateArea { area, lines }),
    );
    Ok((headers, rows, problems))
}

/// A cell as a count: `None` when empty (missing), a problem when not a non-negative number.
fn cell_number(row: &Row, column: usize, headers: &[String], problems: &mut Vec<PopulationProblem>) -> Option<f64> {
    let raw = row.cells.get(column).map(String::as_str).unwrap_or_default();
    if raw.is_empty() {
        return None;
    }
    let header = headers.get(column).cloned().unwrap_or_default();
    match raw.parse::<f64>() {
        Ok(value) if value.is_finite() && value >= 0.0 => Some(value),
        Ok(value) if value.is_finite() => {
            problems.push(PopulationProblem::Negative { line: row.line, column: header, value });
            None
        }
        _ => {
            problems.push(PopulationProblem::NotANumber { line: row.line, column: header, value: raw.to_owned() });
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> BTreeSet<String> {
        ["2", "3", "4"].into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn group_columns_parse() {
        assert_eq!(PopulationGroup::parse("total"), Some(PopulationGroup::total()));
        assert_eq!(
            PopulationGroup::parse("age:under_18"),
            Some(PopulationGroup { dimension: "age".into(), group: "under_18".into() })
        );
        for bad in ["Age:under_18", "age", "age:", ":x", "moe:total", "age:under 18"] {
            assert_eq!(PopulationGroup::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_canvass_format_reads_counts_and_margins_and_skips_empty_cells() {
        let text = "area,total,age:under_18,moe:age:under_18\n2,2143,414,52\n3,12121,,\n";
        let figures = read_population_table(text, &areas()).expect("valid");
        assert_eq!(figures.len(), 3, "{figures:?}");
        let youth = figures.iter().find(|f| f.group.dimension == "age").expect("youth");
        assert_eq!((youth.area.as_str(), youth.count, youth.margin), ("2", 414.0, Some(52.0)));
        assert!(!figures.iter().any(|f| f.area == "3" && f.group.dimension == "age"), "missing is not zero");
    }

    #[test]
    fn an_unknown_area_is_refused_with_its_line() {
        let problems = read_population_table("area,total\n2,10\n99,5\n", &areas()).expect_err("refused");
        assert_eq!(problems, vec![PopulationProblem::UnknownArea { line: 3, area: "99".into() }]);
    }

    #[test]
    fn a_repeated_area_is_refused_with_both_lines() {
        let problems = read_population_table("area,total\n2,10\n3,4\n2,11\n", &areas()).expect_err("refused");
        assert_eq!(problems, vec![PopulationProblem::DuplicateArea { area: "2".into(), lines: vec![2, 4] }]);
        assert!(problems[0].to_string().contains("lines 2, 4"));
    }

    #[test]
    fn negative_counts_and_words_are_refused() {
        let problems = read_population_table("area,total\n2,-5\n3,many\n", &areas()).expect_err("refused");
        assert_eq!(
            problems,
            vec![
                PopulationProblem::Negative { line: 2, column: "total".into(), value: -5.0 },
                PopulationProblem::NotANumber { line: 3, column: "total".into(), value: "many".into() },
            ]
        );
    }

    #[test]
    fn every_problem_in_a_file_is_reported_at_once() {
        let problems = read_population_table("area,total\n2,-5\n99,100\n", &areas()).expect_err("refused");
        assert_eq!(
            problems,
            vec![
                PopulationProblem::UnknownArea { line: 3, area: "99".into() },
                PopulationProblem::Negative { line: 2, column: "total".into(), value: -5.0 },
            ]
        );
    }

    #[test]
    fn unknown_columns_and_orphan_margins_are_refused() {
        let problems = read_population_table("area,Total,moe:age:x\n2,1,1\n", &areas()).expect_err("refused");
        assert_eq!(
            problems,
            vec![
                PopulationProblem::BadColumn { column: "Total".into() },
                PopulationProblem::MarginWithoutCount { column: "moe:age:x".into() },
            ]
        );
    }

    #[test]
    fn ragged_rows_are_refused() {
        let problems = read_population_table("area,total\n2,1,7\n", &areas()).expect_err("refused");
        assert!(matches!(problems[0], PopulationProblem::Unreadable { line: 2, .. }), "{problems:?}");
    }

    #[test]
    fn a_yearly_table_gives_one_group_for_the_chosen_year() {
        let text = "id,y_2010,y_2020\n2,2039,2143\n3,6563,12121\n4,100,\n";
        let margins = "id,y_2020\n2,40\n3,60\n";
        let group = PopulationGroup::total();
        let figures = read_yearly_table(text, 2020, &group, &areas(), Some(margins)).expect("valid");
        assert_eq!(figures.len(), 2);
        assert_eq!((figures[1].count, figures[1].margin), (12121.0, Some(60.0)));
    }

    #[test]
    fn a_year_not_in_the_table_names_the_years_that_are() {
        let problems = read_yearly_table("id,y_2010,y_2020\n2,1,2\n", 2019, &PopulationGroup::total(), &areas(), None)
            .expect_err("refused");
        assert_eq!(problems[0].to_string(), "The file has no column for 2019. Years in the file: 2010, 2020.");
    }
}

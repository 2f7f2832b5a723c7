//! One suppression for a whole publication. Its tables share margins: an area's responses are
//! the row total of participation *and* bound every question's answered count in that area, and
//! each question's citywide row is the column total of its area table. Withholding each table on
//! its own lets one table give back what another hides, so every table is withheld together:
//!
//! 1. **Participation** (areas, and respondents with no area as a row of its own): counts under
//!    *k* are withheld, then the fewest respondents as complements until the audit passes.
//! 2. **Each question**, citywide: option counts under *k* are withheld with complements the
//!    same way; a question answered by fewer than *k* is withheld whole.
//! 3. **Each question by area**: an area withheld in participation is withheld in every question
//!    (its answered count too); an area whose answered count is under *k* likewise; an area with
//!    an option under *k* shows its answered count but no option counts. When the citywide row
//!    withholds a count, no area shows option counts. Then whole areas are added, fewest
//!    respondents first (preferring those that hold the option the audit is short of), until
//!    every withheld count passes the audit.
//!
//! **The audit** ([`super::audit`]) finds, for every withheld count, the tightest interval that
//! all published numbers allow, and asks that it be at least *k* wide. It is exact for these
//! tables: the counts an area table withholds are a block of rows whose cells are bounded only
//! by their row and column sums, and such a block can be filled in for *any* non-negative row
//! and column sums with the same total. So the other rows of the block can be merged into one
//! without changing what can be learnt about a row, and each interval is a linear program over
//! a handful of unknowns: one row's cells and answered count, the rest of the block, and the
//! withheld areas' responses (which add up to what participation leaves over, and are at most
//! each area's published population). The property tests check the result against the full
//! program with every cell of the table as an unknown.
//!
//! Questions with several answers per respondent (multiple choice, ranking) and numbers are
//! published citywide only: their cells by area are not bounded by row sums.

use std::collections::HashMap;

use super::audit::{AuditFailed, Interval, LinearSystem};

/// The tables of one publication, before anything is withheld. Rows are the area set's areas
/// in order, then one row for respondents with no area.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Responses in each row.
    pub responses: Vec<u64>,
    /// Each row's published population: an upper bound anyone can read (`None`: not published,
    /// as for the no-area row).
    pub population: Vec<Option<f64>>,
    pub questions: Vec<AnswerTable>,
}

/// One question (or grid statement): who answered and what, by row.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerTable {
    /// One answer per respondent: the columns of a row add up to its answered count.
    pub exclusive: bool,
    /// Published by area: one-answer questions asked of everyone. A question asked only of
    /// those who gave some answer elsewhere (`show_if`) ties its answered count to that answer's
    /// count, area by area, so it is published citywide only.
    pub by_area: bool,
    /// The tables (indices in [`Tables::questions`]) whose answers decide who is asked this one:
    /// if any of their citywide counts is withheld, this question is withheld whole (its
    /// answered count is a sum of those counts, or a bound on one).
    pub asked_if: Vec<usize>,
    /// The most options one respondent may choose (multiple choice with a maximum).
    pub most_each: Option<u64>,
    /// Respondents who answered, in each row.
    pub answered: Vec<u64>,
    /// Each row's count in each column (options, then "don't know"); empty for numbers.
    pub cells: Vec<Vec<u64>>,
}

/// What a publication withholds (`true`: withheld), in the shape of [`Tables`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Withheld {
    /// The number of respondents (only when it is under *k*: then everything is withheld).
    pub respondents: bool,
    pub responses: Vec<bool>,
    pub questions: Vec<QuestionWithheld>,
}

/// What one question withholds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuestionWithheld {
    pub citywide_answered: bool,
    pub citywide: Vec<bool>,
    /// Whether the question is published by area at all (only one-answer questions are).
    pub by_area: bool,
    pub answered: Vec<bool>,
    pub cells: Vec<Vec<bool>>,
}

impl QuestionWithheld {
    /// A row with nothing withheld: its shares and means may be published.
    pub fn row_is_whole(&self, row: usize) -> bool {
        self.by_area
            && !self.answered.get(row).copied().unwrap_or(true)
            && self.cells.get(row).is_some_and(|cells| !cells.iter().any(|c| *c))
    }

    pub fn citywide_is_whole(&self) -> bool {
        !self.citywide_answered && !self.citywide.iter().any(|c| *c)
    }

    fn count(&self) -> usize {
        let by_area = if self.by_area {
            self.answered.iter().filter(|h| **h).count() + self.cells.iter().flatten().filter(|h| **h).count()
        } else {
            0
        };
        usize::from(self.citywide_answered) + self.citywide.iter().filter(|h| **h).count() + by_area
    }
}

impl Withheld {
    /// Nothing withheld, in the shape of `tables` (staff files, and patterns marked by hand).
    pub fn nothing(tables: &Tables) -> Withheld {
        Withheld {
            respondents: false,
            responses: vec![false; tables.responses.len()],
            questions: tables
                .questions
                .iter()
                .map(|q| QuestionWithheld {
                    citywide_answered: false,
                    citywide: vec![false; q.cells.first().map_or(0, Vec::len)],
                    by_area: q.by_area,
                    answered: vec![false; q.answered.len()],
                    cells: q.cells.iter().map(|c| vec![false; c.len()]).collect(),
                })
                .collect(),
        }
    }

    /// How many counts the publication withholds.
    pub fn count(&self) -> usize {
        usize::from(self.respondents)
            + self.responses.iter().filter(|h| **h).count()
            + self.questions.iter().map(QuestionWithheld::count).sum::<usize>()
    }
}

/// Why a publication cannot be made safe (with every fallback withheld, a count still narrows
/// below *k*); or the audit could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unsafe {
    #[error(
        "question {question}: even with its figures by area and its option counts withheld, a withheld count could be narrowed below the threshold"
    )]
    Question { question: usize },
    #[error(transparent)]
    Audit(#[from] AuditFailed),
}

/// A count that must be withheld on its own account.
fn small(count: u64, k: u64) -> bool {
    count > 0 && count < k
}

/// Withholds what the publication must, jointly over its tables, and audits it.
pub fn withhold(tables: &Tables, k: u64) -> Result<Withheld, Unsafe> {
    let rows = tables.responses.len();
    let respondents: u64 = tables.responses.iter().sum();
    if small(respondents, k) {
        return Ok(everything(tables));
    }
    let Some(responses) = withhold_participation(tables, k)? else { return Ok(everything(tables)) };
    let margins = Margins::of(tables, &responses);
    let mut questions = tables
        .questions
        .iter()
        .enumerate()
        .map(|(i, table)| withhold_question(table, &margins, k).map_err(|e| e.at(i)))
        .collect::<Result<Vec<_>, Unsafe>>()?;
    // A question asked only after some answers is withheld whole when one of those answers'
    // citywide counts is (repeated, as withholding one can withhold another that depends on it).
    loop {
        let mut changed = false;
        for (i, table) in tables.questions.iter().enumerate() {
            let rules_withheld = table
                .asked_if
                .iter()
                .any(|j| questions.get(*j).is_some_and(|q| q.citywide_answered || q.citywide.iter().any(|c| *c)));
            if rules_withheld && !questions[i].citywide_answered {
                questions[i] = withheld_whole(table, &margins);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    debug_assert_eq!(responses.len(), rows);
    Ok(Withheld { respondents: false, responses, questions })
}

/// One question withheld whole (an area with no responses published shows its zeros).
fn withheld_whole(table: &AnswerTable, margins: &Margins<'_>) -> QuestionWithheld {
    let columns = table.cells.first().map_or(0, Vec::len);
    let open = |row: usize| margins.withheld[row] || margins.tables.responses[row] > 0;
    QuestionWithheld {
        citywide_answered: true,
        citywide: vec![true; columns],
        by_area: table.by_area,
        answered: (0..table.answered.len()).map(open).collect(),
        cells: (0..table.answered.len()).map(|r| vec![open(r); columns]).collect(),
    }
}

/// Everything withheld: fewer respondents than *k* in all.
fn everything(tables: &Tables) -> Withheld {
    Withheld {
        respondents: true,
        responses: vec![true; tables.responses.len()],
        questions: tables
            .questions
            .iter()
            .map(|q| QuestionWithheld {
                citywide_answered: true,
                citywide: vec![true; q.cells.first().map_or(0, Vec::len)],
                by_area: q.by_area,
                answered: vec![true; q.answered.len()],
                cells: q.cells.iter().map(|c| vec![true; c.len()]).collect(),
            })
            .collect(),
    }
}

impl Unsafe {
    fn at(self, question: usize) -> Unsafe {
        match self {
            Unsafe::Question { .. } => Unsafe::Question { question },
            other => other,
        }
    }
}

/// The width a withheld count must have: *k*, or the row's published population if smaller
/// (an area of 3 residents cannot be said to have more than 3 respondents, whatever is withheld).
fn needed(k: u64, population: Option<f64>) -> u64 {
    population.map_or(k, |p| k.min(p.max(0.0).floor() as u64))
}

/// Participation by row; `None` when it cannot be made safe (then everything is withheld).
fn withhold_participation(tables: &Tables, k: u64) -> Result<Option<Vec<bool>>, AuditFailed> {
    let counts = &tables.responses;
    let mut hidden: Vec<bool> = counts.iter().map(|c| small(*c, k)).collect();
    loop {
        let margins = Margins::of(tables, &hidden);
        let mut short = false;
        for row in (0..counts.len()).filter(|r| hidden[*r]) {
            if !margins.responses_range(row)?.protects(needed(k, tables.population[row])) {
                short = true;
                break;
            }
        }
        if !short {
            return Ok(Some(hidden));
        }
        // The complement that withholds the fewest respondents.
        let next = (0..counts.len()).filter(|r| !hidden[*r] && counts[*r] > 0).min_by_key(|r| counts[*r]);
        match next {
            Some(row) => hidden[row] = true,
            None => return Ok(None),
        }
    }
}

/// What participation publishes, as the question tables see it.
struct Margins<'a> {
    tables: &'a Tables,
    withheld: &'a [bool],
    /// The withheld rows' responses together (respondents − the published rows).
    withheld_total: u64,
}

impl<'a> Margins<'a> {
    fn of(tables: &'a Tables, withheld: &'a [bool]) -> Self {
        let rows = 0..tables.responses.len();
        let withheld_total = rows.filter(|r| withheld[*r]).map(|r| tables.responses[r]).sum();
        Margins { tables, withheld, withheld_total }
    }

    fn cap(&self, row: usize) -> f64 {
        self.tables.population[row].unwrap_or(f64::INFINITY)
    }

    /// The interval of a withheld row's responses: it and the other withheld rows add up to
    /// `withheld_total`, each at most its population.
    fn responses_range(&self, row: usize) -> Result<Interval, AuditFailed> {
        let rest: f64 = (0..self.withheld.len()).filter(|r| *r != row && self.withheld[*r]).map(|r| self.cap(r)).sum();
        let mut system = LinearSystem::default();
        let this = system.unknown(0.0, self.cap(row));
        let rest = system.unknown(0.0, rest);
        system.equal(vec![(this, 1.0), (rest, 1.0)], self.withheld_total as f64);
        system.range(this)
    }
}

fn withhold_question(table: &AnswerTable, margins: &Margins<'_>, k: u64) -> Result<QuestionWithheld, Unsafe> {
    let rows = table.answered.len();
    let columns = table.cells.first().map_or(0, Vec::len);
    let answered: u64 = table.answered.iter().sum();
    let citywide: Vec<u64> = (0..columns).map(|c| table.cells.iter().map(|row| row[c]).sum()).collect();
    let mut out = QuestionWithheld {
        citywide_answered: false,
        citywide: vec![false; columns],
        by_area: table.by_area,
        answered: vec![false; rows],
        cells: vec![vec![false; columns]; rows],
    };
    if small(answered, k) {
        out.citywide_answered = true;
        out.citywide = vec![true; columns];
        out.answered = vec![true; rows];
        out.cells = vec![vec![true; columns]; rows];
        return Ok(out);
    }
    let each = if table.exclusive { Some(1) } else { table.most_each };
    out.citywide = withhold_citywide(&citywide, answered, each, k)?;
    if !table.by_area {
        return Ok(out);
    }
    let city_withholds = out.citywide.iter().any(|h| *h);
    for row in 0..rows {
        out.answered[row] = margins.withheld[row] || small(table.answered[row], k);
        let hide_cells = out.answered[row] || city_withholds || table.cells[row].iter().any(|c| small(*c, k));
        out.cells[row] = vec![hide_cells && table.answered[row] > 0 || margins.withheld[row]; columns];
    }
    let mut escalation = 0;
    loop {
        let block = Block::of(table, margins, &out, &citywide, answered);
        let short = block.shortfalls(k)?;
        if short.is_empty() {
            // A column with nobody in the withheld block is 0 in every row of it, which anyone
            // can work out: those cells are published as the zeros they are.
            let zero: Vec<bool> = (0..columns).map(|c| block.is_empty_column(c)).collect();
            for row in 0..rows {
                for (c, empty) in zero.iter().enumerate() {
                    if *empty {
                        out.cells[row][c] = false;
                    }
                }
            }
            return Ok(out);
        }
        if !short.answered {
            // For each column the audit is short of, a whole row to add: the fewest
            // respondents among those that hold it (else the fewest of any).
            let whole = |row: &usize| table.answered[*row] > 0 && out.row_is_whole(*row);
            let candidates: Vec<usize> = (0..rows).filter(whole).collect();
            let mut added = false;
            for column in &short.columns {
                let holding = candidates
                    .iter()
                    .copied()
                    .filter(|r| table.cells[*r][*column] > 0 && !out.cells[*r][*column])
                    .min_by_key(|r| table.answered[*r]);
                let any =
                    || candidates.iter().copied().filter(|r| !out.cells[*r][0]).min_by_key(|r| table.answered[*r]);
                if let Some(row) = holding.or_else(any) {
                    out.cells[row] = vec![true; columns];
                    added = true;
                }
            }
            if added {
                continue;
            }
        }
        // Whole areas do not help: withhold every area's answered count, then the citywide
        // options, then the question altogether (which is always safe).
        escalation += 1;
        match escalation {
            1 => {
                for row in (0..rows).filter(|r| table.answered[*r] > 0) {
                    out.answered[row] = true;
                    out.cells[row] = vec![true; columns];
                }
            }
            2 => out.citywide = vec![true; columns],
            3 => {
                // An area with no responses published shows its zeros: they are given anyway.
                out.citywide_answered = true;
                for row in 0..rows {
                    let open = margins.withheld[row] || margins.tables.responses[row] > 0;
                    out.answered[row] = open;
                    out.cells[row] = vec![open; columns];
                }
                return Ok(out);
            }
            _ => return Err(Unsafe::Question { question: 0 }),
        }
    }
}

/// The citywide row of one question (or any counts published with their total): counts under
/// *k* and complements, fewest first. `each`: how many options one respondent chooses (`Some(1)`
/// for one-answer questions, whose counts add up to the answered count), or at most.
pub(super) fn withhold_citywide(
    counts: &[u64],
    answered: u64,
    each: Option<u64>,
    k: u64,
) -> Result<Vec<bool>, AuditFailed> {
    let mut hidden: Vec<bool> = counts.iter().map(|c| small(*c, k)).collect();
    loop {
        let mut short = false;
        for column in (0..counts.len()).filter(|c| hidden[*c]) {
            if !citywide_range(counts, &hidden, answered, each, column)?.protects(k) {
                short = true;
                break;
            }
        }
        if !short {
            return Ok(hidden);
        }
        match (0..counts.len()).filter(|c| !hidden[*c] && counts[*c] > 0).min_by_key(|c| counts[*c]) {
            Some(c) => hidden[c] = true,
            None => return Ok(vec![true; counts.len()]),
        }
    }
}

/// A withheld citywide count: one-answer questions' columns add up to the answered count;
/// otherwise each is at most the answered count and together at least it (everyone who
/// answered chose something).
fn citywide_range(
    counts: &[u64],
    hidden: &[bool],
    answered: u64,
    each: Option<u64>,
    column: usize,
) -> Result<Interval, AuditFailed> {
    let exclusive = each == Some(1);
    let shown: u64 = (0..counts.len()).filter(|c| !hidden[*c]).map(|c| counts[c]).sum();
    let mut system = LinearSystem::default();
    let top = if exclusive { f64::INFINITY } else { answered as f64 };
    let vars: Vec<usize> = (0..counts.len()).filter(|c| hidden[*c]).map(|_| system.unknown(0.0, top)).collect();
    let target = (0..counts.len()).filter(|c| hidden[*c]).position(|c| c == column).map_or(0, |i| vars[i]);
    if exclusive {
        system.equal(vars.iter().map(|v| (*v, 1.0)).collect(), (answered - shown.min(answered)) as f64);
    } else {
        system.at_most(vars.iter().map(|v| (*v, -1.0)).collect(), shown as f64 - answered as f64);
        if let Some(most) = each {
            system.at_most(vars.iter().map(|v| (*v, 1.0)).collect(), (most * answered) as f64 - shown as f64);
        }
    }
    system.range(target)
}

/// The withheld counts the audit finds too narrow.
#[derive(Default)]
struct Shortfalls {
    /// Columns with a cell too narrow: the block needs more of that column.
    columns: std::collections::BTreeSet<usize>,
    /// An area's answered count is too narrow: more whole areas would not help.
    answered: bool,
}

impl Shortfalls {
    fn is_empty(&self) -> bool {
        self.columns.is_empty() && !self.answered
    }
}

/// The withheld block of one question's area table, as the audit sees it.
struct Block<'a> {
    table: &'a AnswerTable,
    margins: &'a Margins<'a>,
    withheld: &'a QuestionWithheld,
    /// Answered in the block's rows together (citywide − rows published whole).
    total: f64,
    /// Answered in the block's rows whose answered count is withheld, together.
    withheld_answered_total: f64,
    /// Each column's count in the block; the citywide-withheld columns merged into one.
    column_totals: Vec<f64>,
    /// Which column of `column_totals` each table column is in.
    column_of: Vec<usize>,
    /// The merged column, when the citywide row withholds some counts (and how many it merges).
    merged: Option<(usize, usize)>,
}

impl<'a> Block<'a> {
    fn of(
        table: &'a AnswerTable,
        margins: &'a Margins<'a>,
        withheld: &'a QuestionWithheld,
        citywide: &[u64],
        answered: u64,
    ) -> Self {
        let rows = table.answered.len();
        let in_block = |r: usize| withheld.answered[r] || withheld.cells[r].iter().any(|c| *c);
        let whole: u64 = (0..rows).filter(|r| !in_block(*r)).map(|r| table.answered[r]).sum();
        let shown_answered: u64 =
            (0..rows).filter(|r| in_block(*r) && !withheld.answered[*r]).map(|r| table.answered[r]).sum();
        let mut column_totals = Vec::new();
        let mut column_of = Vec::new();
        let mut merged: Option<(usize, usize)> = None;
        for (c, count) in citywide.iter().enumerate() {
            let outside: u64 = (0..rows).filter(|r| !in_block(*r)).map(|r| table.cells[r][c]).sum();
            let inside = (count - outside.min(*count)) as f64;
            if withheld.citywide[c] {
                let (at, n) = *merged.get_or_insert_with(|| {
                    column_totals.push(0.0);
                    (column_totals.len() - 1, 0)
                });
                column_totals[at] += inside;
                merged = Some((at, n + 1));
                column_of.push(at);
            } else {
                column_totals.push(inside);
                column_of.push(column_totals.len() - 1);
            }
        }
        let total = (answered - whole.min(answered)) as f64;
        Block {
            table,
            margins,
            withheld,
            total,
            withheld_answered_total: total - shown_answered as f64,
            column_totals,
            column_of,
            merged,
        }
    }

    /// Every withheld count the audit finds too narrow, by kind.
    fn shortfalls(&self, k: u64) -> Result<Shortfalls, AuditFailed> {
        let rows = self.table.answered.len();
        let mut short = Shortfalls::default();
        let mut answered_seen: HashMap<(bool, u64), Interval> = HashMap::new();
        let mut cells_seen: HashMap<(u64, u64, usize), Interval> = HashMap::new();
        for row in 0..rows {
            let need = needed(k, self.margins.tables.population[row]);
            let answered = if self.withheld.answered[row] {
                let key = (self.margins.withheld[row], self.answered_cap(row).to_bits());
                let range = match answered_seen.get(&key) {
                    Some(range) => *range,
                    None => *answered_seen.entry(key).or_insert(self.answered_range(row)?),
                };
                if (self.table.answered[row] > 0 || self.margins.withheld[row]) && !range.protects(need) {
                    short.answered = true;
                }
                range
            } else {
                Interval::exactly(self.table.answered[row] as f64)
            };
            for column in 0..self.withheld.cells[row].len() {
                if !self.withheld.cells[row][column] || short.columns.contains(&column) || self.is_empty_column(column)
                {
                    continue;
                }
                let merged_column = self.column_of[column];
                let key = (answered.low.to_bits(), answered.high.to_bits(), merged_column);
                let range = match cells_seen.get(&key) {
                    Some(range) => *range,
                    None => *cells_seen.entry(key).or_insert(self.cell_range(answered, merged_column)?),
                };
                if !range.protects(need) {
                    short.columns.insert(column);
                }
            }
        }
        Ok(short)
    }

    /// Whether nobody in the block is in this column (so each of its cells there is 0).
    fn is_empty_column(&self, column: usize) -> bool {
        self.column_totals[self.column_of[column]] == 0.0
    }

    /// The most a row's answered count can be: its responses, or for a withheld area its
    /// population.
    fn answered_cap(&self, row: usize) -> f64 {
        let m = self.margins;
        if m.withheld[row] { m.cap(row) } else { m.tables.responses[row] as f64 }
    }

    /// A withheld answered count: the block's withheld answered counts add up to what the
    /// published ones leave; each is at most its row's responses, and the withheld areas'
    /// together at most their responses together.
    fn answered_range(&self, row: usize) -> Result<Interval, AuditFailed> {
        let m = self.margins;
        let rows = self.table.answered.len();
        let others = (0..rows).filter(|r| *r != row && self.withheld.answered[*r]);
        let (mut withheld_cap, mut known_cap) = (0.0, 0.0);
        for r in others {
            if m.withheld[r] {
                withheld_cap += m.cap(r);
            } else {
                known_cap += m.tables.responses[r] as f64;
            }
        }
        let mut system = LinearSystem::default();
        let this = system.unknown(0.0, self.answered_cap(row));
        let rest_withheld = system.unknown(0.0, withheld_cap);
        let rest_known = system.unknown(0.0, known_cap);
        system.equal(vec![(this, 1.0), (rest_withheld, 1.0), (rest_known, 1.0)], self.withheld_answered_total);
        let mut in_withheld_areas = vec![(rest_withheld, 1.0)];
        if m.withheld[row] {
            in_withheld_areas.push((this, 1.0));
        }
        system.at_most(in_withheld_areas, m.withheld_total as f64);
        system.range(this)
    }

    /// A withheld cell of a row whose answered count lies in `answered`: the cell and the rest of
    /// its row make up the answered count; the cell is at most its column's count in the block,
    /// the rest at most the other columns'. In the merged column, the cell may be any part of
    /// the row's share of it (the merged columns' own totals are withheld).
    fn cell_range(&self, answered: Interval, column: usize) -> Result<Interval, AuditFailed> {
        let mut system = LinearSystem::default();
        let in_column = self.column_totals[column];
        let cell = system.unknown(0.0, in_column);
        let rest = system.unknown(0.0, (self.total - in_column).max(0.0));
        let row = system.unknown(answered.low, answered.high);
        system.equal(vec![(cell, 1.0), (rest, 1.0), (row, -1.0)], 0.0);
        let range = system.range(cell)?;
        Ok(match self.merged {
            Some((at, n)) if at == column && n > 1 => Interval { low: 0.0, high: range.high },
            _ => range,
        })
    }
}

#[cfg(test)]
mod tests;

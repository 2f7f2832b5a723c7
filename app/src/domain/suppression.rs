//! Small counts withheld from anyone outside the analyst role, so that nobody can be picked out
//! of a published table ("the only person in this neighborhood who answered No").
//!
//! A count under the suppression threshold *k* is withheld. When exactly one count in a table
//! would be withheld and the total is shown, it could be recovered by subtraction, so the next
//! smallest count is withheld too (complementary suppression). A table whose total is under *k*
//! shows nothing at all.

use serde::{Deserialize, Serialize};

/// The default suppression threshold: counts under 5 are withheld.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// One row of a published table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedCount {
    pub key: String,
    pub label: String,
    /// `None`: withheld.
    pub count: Option<u64>,
    /// Of the total, 0–100, rounded to a whole number; `None` when withheld.
    pub percent: Option<u32>,
}

/// A table ready to publish, or the reason it is withheld.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PublishedTable {
    /// Fewer than *k* answers in all: nothing is shown yet.
    TooFew {
        threshold: u64,
    },
    Shown {
        total: u64,
        rows: Vec<PublishedCount>,
    },
}

/// Applies the threshold to `(key, label, count)` rows.
pub fn publish(rows: Vec<(String, String, u64)>, threshold: u64) -> PublishedTable {
    let total: u64 = rows.iter().map(|r| r.2).sum();
    if total < threshold {
        return PublishedTable::TooFew { threshold };
    }
    let mut withheld: Vec<bool> = rows.iter().map(|r| r.2 > 0 && r.2 < threshold).collect();
    if withheld.iter().filter(|w| **w).count() == 1 {
        // The one withheld count would be total − the others: withhold the next smallest too.
        let next =
            rows.iter().enumerate().filter(|(i, r)| !withheld[*i] && r.2 > 0).min_by_key(|(_, r)| r.2).map(|(i, _)| i);
        if let Some(i) = next {
            withheld[i] = true;
        }
    }
    let rows = rows
        .into_iter()
        .zip(withheld)
        .map(|((key, label, count), hidden)| PublishedCount {
            key,
            label,
            count: (!hidden).then_some(count),
            percent: (!hidden).then(|| ((count as f64 * 100.0 / total as f64).round()) as u32),
        })
        .collect();
    PublishedTable::Shown { total, rows }
}

/// What to withhold in a two-way table (groups × answers) published with its totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldTable {
    /// `cells[group][answer]`.
    pub cells: Vec<Vec<bool>>,
    /// Each group's total.
    pub group_totals: Vec<bool>,
    /// Each answer's total over groups (the citywide counts).
    pub answer_totals: Vec<bool>,
    pub total: bool,
}

/// Applies the threshold to a two-way table and its margins. Every row and every column,
/// totals included, is a line whose entries add up; a line with exactly one withheld entry
/// would give it away by subtraction, so the smallest shown entry of such a line (a non-zero
/// one when there is one) is withheld too, until no line has exactly one.
pub fn withhold_table(counts: &[Vec<u64>], threshold: u64) -> WithheldTable {
    let rows = counts.len();
    let columns = counts.iter().map(Vec::len).max().unwrap_or(0);
    // The table with its margins: row `rows` holds the answer totals, column `columns` the
    // group totals, and the corner the grand total.
    let mut m = vec![vec![0u64; columns + 1]; rows + 1];
    for (i, row) in counts.iter().enumerate() {
        for (j, c) in row.iter().enumerate() {
            m[i][j] = *c;
            m[i][columns] += c;
            m[rows][j] += c;
            m[rows][columns] += c;
        }
    }
    let mut hidden: Vec<Vec<bool>> =
        m.iter().map(|row| row.iter().map(|c| *c > 0 && *c < threshold).collect()).collect();
    let lines: Vec<Vec<(usize, usize)>> = (0..=rows)
        .map(|i| (0..=columns).map(|j| (i, j)).collect())
        .chain((0..=columns).map(|j| (0..=rows).map(|i| (i, j)).collect()))
        .collect();
    loop {
        let mut changed = false;
        for line in &lines {
            if line.iter().filter(|(i, j)| hidden[*i][*j]).count() != 1 {
                continue;
            }
            // Prefer a non-zero entry whose other line already has a withheld one (hiding it
            // there creates no new lone entry), then the smallest.
            let is_row = line.first().zip(line.last()).is_some_and(|(a, b)| a.0 == b.0);
            let crossing_hidden = |i: usize, j: usize| {
                if is_row {
                    (0..=rows).any(|r| r != i && hidden[r][j])
                } else {
                    (0..=columns).any(|c| c != j && hidden[i][c])
                }
            };
            let shown = line.iter().filter(|(i, j)| !hidden[*i][*j]);
            let next = shown.min_by_key(|(i, j)| (m[*i][*j] == 0, !crossing_hidden(*i, *j), m[*i][*j]));
            if let Some((i, j)) = next {
                hidden[*i][*j] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    WithheldTable {
        cells: hidden[..rows].iter().map(|row| row[..columns].to_vec()).collect(),
        group_totals: hidden[..rows].iter().map(|row| row[columns]).collect(),
        answer_totals: hidden[rows][..columns].to_vec(),
        total: hidden[rows][columns],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(counts: &[u64]) -> Vec<(String, String, u64)> {
        counts.iter().enumerate().map(|(i, c)| (format!("o{i}"), format!("Option {i}"), *c)).collect()
    }

    fn shown(table: &PublishedTable) -> Vec<Option<u64>> {
        match table {
            PublishedTable::Shown { rows, .. } => rows.iter().map(|r| r.count).collect(),
            PublishedTable::TooFew { .. } => panic!("expected a table"),
        }
    }

    #[test]
    fn counts_under_the_threshold_are_withheld_and_cannot_be_subtracted_back() {
        let table = publish(rows(&[40, 12, 3]), 5);
        assert_eq!(shown(&table), [Some(40), None, None], "3 withheld, and 12 with it");
        let two_small = publish(rows(&[40, 2, 3, 10]), 5);
        assert_eq!(shown(&two_small), [Some(40), None, None, Some(10)]);
    }

    #[test]
    fn zeros_reveal_nobody_and_are_shown() {
        let table = publish(rows(&[10, 0, 7]), 5);
        assert_eq!(shown(&table), [Some(10), Some(0), Some(7)]);
        if let PublishedTable::Shown { rows, total } = table {
            assert_eq!(total, 17);
            assert_eq!(rows[0].percent, Some(59));
        }
    }

    #[test]
    fn a_table_with_fewer_answers_than_the_threshold_shows_nothing() {
        assert_eq!(publish(rows(&[2, 1]), 5), PublishedTable::TooFew { threshold: 5 });
        assert_eq!(publish(rows(&[]), 5), PublishedTable::TooFew { threshold: 5 });
    }

    #[test]
    fn no_published_count_is_ever_under_the_threshold() {
        for a in 0..8 {
            for b in 0..8 {
                for c in 0..8 {
                    if let PublishedTable::Shown { rows, total } = publish(rows(&[a, b, c]), 5) {
                        assert!(total >= 5);
                        let hidden: Vec<_> = rows.iter().filter(|r| r.count.is_none()).collect();
                        assert_ne!(hidden.len(), 1, "{a} {b} {c}: one lone withheld count");
                        assert!(rows.iter().all(|r| r.count.is_none_or(|n| n == 0 || n >= 5)));
                    }
                }
            }
        }
    }

    #[test]
    fn a_small_cell_in_a_two_way_table_cannot_be_recovered_from_either_total() {
        // Area B has 3 "No": withheld, then its row and its column each need a partner.
        let withheld = withhold_table(&[vec![40, 20], vec![12, 3], vec![30, 25]], 5);
        assert!(withheld.cells[1][1]);
        assert!(withheld.cells[1].iter().filter(|h| **h).count() + usize::from(withheld.group_totals[1]) >= 2);
        let column: usize = (0..3).filter(|i| withheld.cells[*i][1]).count() + usize::from(withheld.answer_totals[1]);
        assert!(column >= 2, "a partner in the column too");
        assert!(!withheld.total);
    }

    proptest::proptest! {
        #[test]
        fn no_line_of_a_published_table_has_one_withheld_entry(
            counts in proptest::collection::vec(proptest::collection::vec(0u64..12, 3), 1..5)
        ) {
            let w = withhold_table(&counts, 5);
            let rows = counts.len();
            let mut hidden = w.cells.clone();
            for (i, row) in hidden.iter_mut().enumerate() {
                row.push(w.group_totals[i]);
            }
            let mut last = w.answer_totals.clone();
            last.push(w.total);
            hidden.push(last);
            let mut values: Vec<Vec<u64>> = counts.iter().map(|r| { let mut r = r.clone(); r.push(r.iter().sum()); r }).collect();
            let mut totals: Vec<u64> = (0..3).map(|j| counts.iter().map(|r| r[j]).sum()).collect();
            totals.push(totals.iter().sum());
            values.push(totals);
            for i in 0..=rows {
                proptest::prop_assert_ne!(hidden[i].iter().filter(|h| **h).count(), 1, "row {}", i);
                for (h, v) in hidden[i].iter().zip(&values[i]) {
                    proptest::prop_assert!(*h || *v == 0 || *v >= 5);
                }
            }
            let hidden_in_column = |j: usize| hidden.iter().filter(|row| row[j]).count();
            for j in 0..=3 {
                proptest::prop_assert_ne!(hidden_in_column(j), 1, "column {}", j);
            }
        }
    }
}

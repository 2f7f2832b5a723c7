//! Small counts withheld from anyone outside the analyst role, so that nobody can be picked out
//! of a published table ("the only person in this neighborhood who answered No").
//!
//! A count under the suppression threshold *k* is withheld, and so are complements (the next
//! smallest counts) until the [`audit`] finds no withheld count that the published numbers pin
//! to an interval narrower than *k*. A table whose total is under *k* shows nothing at all.
//! [`publish`] does this for one list of counts with its total (a quick poll's options);
//! [`joint`] for all the tables of a publication together. `docs/PRIVACY.md` says it in plain
//! words.

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod joint;

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

/// Applies the threshold to `(key, label, count)` rows published with their total. Shares are
/// whole percents of the total, and only of counts that are shown.
#[cfg(feature = "ssr")]
pub fn publish(rows: Vec<(String, String, u64)>, threshold: u64) -> Result<PublishedTable, audit::AuditFailed> {
    let total: u64 = rows.iter().map(|r| r.2).sum();
    if total < threshold {
        return Ok(PublishedTable::TooFew { threshold });
    }
    let counts: Vec<u64> = rows.iter().map(|r| r.2).collect();
    let withheld = joint::withhold_citywide(&counts, total, Some(1), threshold)?;
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
    Ok(PublishedTable::Shown { total, rows })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn rows(counts: &[u64]) -> Vec<(String, String, u64)> {
        counts.iter().enumerate().map(|(i, c)| (format!("o{i}"), format!("Option {i}"), *c)).collect()
    }

    fn publish(rows: Vec<(String, String, u64)>, threshold: u64) -> PublishedTable {
        super::publish(rows, threshold).expect("audited")
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
        assert_eq!(shown(&two_small), [Some(40), None, None, Some(10)], "2 + 3 = 5: each could be 0 to 5");
        let too_narrow = publish(rows(&[40, 1, 1, 10]), 5);
        assert_eq!(shown(&too_narrow), [Some(40), None, None, None], "1 + 1 = 2 would pin both to 0–2");
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
                        let shown: u64 = rows.iter().filter_map(|r| r.count).sum();
                        assert!(hidden.is_empty() || total - shown >= 5, "{a} {b} {c}: withheld add up to under 5");
                        assert!(rows.iter().all(|r| r.count.is_none_or(|n| n == 0 || n >= 5)));
                    }
                }
            }
        }
    }
}

//! Pearson's chi-square test of independence for a groups × answers table: do answers differ
//! between neighborhoods (or groups) more than chance would explain?
//!
//! Rows or columns with no count are left out (they carry no information and would make the
//! degrees of freedom wrong). Cochran's rule decides when the approximation is doubtful: any
//! expected count under 1, or more than a fifth of them under 5.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The outcome of the test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChiSquare {
    pub statistic: f64,
    pub degrees_of_freedom: u32,
    pub p_value: f64,
    /// Share of expected counts under 5 (0–1).
    pub small_expected_share: f64,
    /// Cochran's rule fails: the p-value is approximate and should be read with care.
    pub small_expected_warning: bool,
}

/// Tests `table[group][answer]` (counts, possibly weighted and rescaled). `None` when fewer
/// than two groups or two answers have counts.
pub fn chi_square(table: &[Vec<f64>]) -> Option<ChiSquare> {
    let columns = table.iter().map(Vec::len).max().unwrap_or(0);
    let row_totals: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let column_totals: Vec<f64> =
        (0..columns).map(|j| table.iter().map(|row| row.get(j).copied().unwrap_or(0.0)).sum()).collect();
    let rows: Vec<usize> = (0..table.len()).filter(|i| row_totals[*i] > 0.0).collect();
    let cols: Vec<usize> = (0..columns).filter(|j| column_totals[*j] > 0.0).collect();
    if rows.len() < 2 || cols.len() < 2 {
        return None;
    }
    let total: f64 = row_totals.iter().sum();
    let (mut statistic, mut small, mut tiny) = (0.0, 0usize, false);
    for &i in &rows {
        for &j in &cols {
            let expected = row_totals[i] * column_totals[j] / total;
            let observed = table[i].get(j).copied().unwrap_or(0.0);
            statistic += (observed - expected).powi(2) / expected;
            small += usize::from(expected < 5.0);
            tiny |= expected < 1.0;
        }
    }
    let df = (rows.len() - 1) * (cols.len() - 1);
    let p_value = ChiSquared::new(df as f64).ok().map(|d| d.sf(statistic))?;
    let small_expected_share = small as f64 / (rows.len() * cols.len()) as f64;
    Some(ChiSquare {
        statistic,
        degrees_of_freedom: u32::try_from(df).unwrap_or(u32::MAX),
        p_value,
        small_expected_share,
        small_expected_warning: tiny || small_expected_share > 0.2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_by_two_table_matches_the_hand_computation() {
        // [[10, 20], [30, 40]]: totals 30/70 by row, 40/60 by column, N = 100.
        // Expected [[12, 18], [28, 42]]; X² = 4/12 + 4/18 + 4/28 + 4/42 = 0.79365;
        // df 1; p = 2(1 − Φ(√0.79365)) = 2(1 − Φ(0.89087)) = 0.37300 (no continuity correction).
        let test = chi_square(&[vec![10.0, 20.0], vec![30.0, 40.0]]).expect("a table");
        assert!((test.statistic - 0.793_651).abs() < 1e-6, "{test:?}");
        assert_eq!(test.degrees_of_freedom, 1);
        assert!((test.p_value - 0.373_00).abs() < 1e-5, "{test:?}");
        assert!(!test.small_expected_warning);
    }

    #[test]
    fn a_textbook_two_by_three_table() {
        // Agresti (2007), An Introduction to Categorical Data Analysis, table 2.5 (party
        // identification by gender, GSS): females 762/327/468, males 484/239/477; X² = 30.07 on
        // 2 df. With 2 df the survival function is exactly e^(−X²/2).
        let test = chi_square(&[vec![762.0, 327.0, 468.0], vec![484.0, 239.0, 477.0]]).expect("a table");
        assert!((test.statistic - 30.07).abs() < 5e-3, "{test:?}");
        assert_eq!(test.degrees_of_freedom, 2);
        assert!((test.p_value / (-test.statistic / 2.0).exp() - 1.0).abs() < 1e-9, "{test:?}");
    }

    #[test]
    fn empty_rows_and_columns_are_left_out() {
        let test = chi_square(&[vec![10.0, 0.0, 20.0], vec![0.0, 0.0, 0.0], vec![30.0, 0.0, 40.0]]).expect("a table");
        assert_eq!(test.degrees_of_freedom, 1, "one 2 × 2 table is left");
        assert_eq!(chi_square(&[vec![3.0, 4.0]]), None, "one group");
        assert_eq!(chi_square(&[vec![3.0, 0.0], vec![5.0, 0.0]]), None, "one answer");
    }

    #[test]
    fn small_expected_counts_are_flagged() {
        let test = chi_square(&[vec![1.0, 2.0], vec![3.0, 1.0]]).expect("a table");
        assert!(test.small_expected_warning);
        assert!((test.small_expected_share - 1.0).abs() < 1e-12);
    }
}

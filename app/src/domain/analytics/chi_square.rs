//! Pearson's chi-square test of independence for a groups × answers table: do answers differ
//! between neighborhoods (or groups) more than chance would explain?
//!
//! Rows or columns with no count are left out (they carry no information and would make the
//! degrees of freedom wrong). Cochran's rule decides when the approximation is doubtful: any
//! expected count under 1, or more than a fifth of them under 5.
//!
//! Weighted tables take the first-order Rao–Scott correction (Rao & Scott 1981, 1984): Pearson's
//! statistic on the weighted proportions and the number of respondents, divided by the mean
//! generalized design effect δ̄, estimated from the design effects of the cells and of the
//! margins. Weights that vary make proportions less certain than their count suggests; without
//! the correction the test finds differences that chance made.

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
    /// The Rao–Scott mean design effect δ̄ the statistic was divided by (1 without weights).
    #[serde(default = "no_design_effect")]
    pub design_effect: f64,
}

fn no_design_effect() -> f64 {
    1.0
}

/// One cell of a weighted table: the sum of its respondents' weights and of their squares.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeightedCount {
    pub weighted: f64,
    pub squared: f64,
}

impl std::ops::Add for WeightedCount {
    type Output = WeightedCount;

    fn add(self, other: WeightedCount) -> WeightedCount {
        WeightedCount { weighted: self.weighted + other.weighted, squared: self.squared + other.squared }
    }
}

/// Tests a weighted `table[group][answer]` of `respondents` people (each in one cell) with the
/// first-order Rao–Scott correction: X²_RS = X²(p̂, n) / δ̄ on (r − 1)(c − 1) degrees of freedom.
///
/// δ̄ = [Σᵢⱼ (1 − p̂ᵢⱼ) dᵢⱼ − Σᵢ (1 − p̂ᵢ.) dᵢ − Σⱼ (1 − p̂.ⱼ) dⱼ] / ((r − 1)(c − 1)) (Rao & Scott
/// 1984, eq. 4.3), where d is the design effect of a cell's or a margin's proportion: its
/// variance under the weights, Σₖ wₖ² (yₖ − p̂)² / (Σw)², over the simple random sampling
/// variance p̂(1 − p̂) / n. With equal weights every d and δ̄ are 1 and the test is Pearson's.
/// `None` where Pearson's is, or when δ̄ cannot be estimated.
pub fn rao_scott(table: &[Vec<WeightedCount>], respondents: f64) -> Option<ChiSquare> {
    let total: f64 = table.iter().flatten().map(|c| c.weighted).sum();
    let total_squared: f64 = table.iter().flatten().map(|c| c.squared).sum();
    if total <= 0.0 || respondents <= 0.0 {
        return None;
    }
    // Pearson's statistic on the proportions with n respondents is his statistic on the table
    // scaled to n.
    let scaled: Vec<Vec<f64>> =
        table.iter().map(|row| row.iter().map(|c| c.weighted / total * respondents).collect()).collect();
    let pearson = chi_square(&scaled)?;
    // The design effect of a proportion p̂ = w / Σw whose respondents' squared weights sum to s.
    let design_effect = |cell: WeightedCount| {
        let p = cell.weighted / total;
        if p <= 0.0 || p >= 1.0 {
            return 1.0;
        }
        let variance = ((1.0 - p).powi(2) * cell.squared + p * p * (total_squared - cell.squared)) / (total * total);
        variance / (p * (1.0 - p) / respondents)
    };
    let weighted_term = |cell: WeightedCount| (1.0 - cell.weighted / total) * design_effect(cell);
    let columns = table.iter().map(Vec::len).max().unwrap_or(0);
    let rows: Vec<WeightedCount> =
        table.iter().map(|row| row.iter().fold(WeightedCount::default(), |a, &c| a + c)).collect();
    let cols: Vec<WeightedCount> = (0..columns)
        .map(|j| table.iter().filter_map(|row| row.get(j)).fold(WeightedCount::default(), |a, &c| a + c))
        .collect();
    let cells: f64 = table.iter().flatten().filter(|c| c.weighted > 0.0).map(|&c| weighted_term(c)).sum::<f64>()
        // Empty cells of the rows and columns kept count with d = 1.
        + (rows.iter().filter(|r| r.weighted > 0.0).count() * cols.iter().filter(|c| c.weighted > 0.0).count()
            - table.iter().flatten().filter(|c| c.weighted > 0.0).count()) as f64;
    let margins: f64 = rows.iter().chain(&cols).filter(|m| m.weighted > 0.0).map(|&m| weighted_term(m)).sum();
    let mean_design_effect = (cells - margins) / f64::from(pearson.degrees_of_freedom);
    if !(mean_design_effect.is_finite() && mean_design_effect > 0.0) {
        return None;
    }
    let statistic = pearson.statistic / mean_design_effect;
    let p_value = ChiSquared::new(f64::from(pearson.degrees_of_freedom)).ok().map(|d| d.sf(statistic))?;
    Some(ChiSquare { statistic, p_value, design_effect: mean_design_effect, ..pearson })
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
        design_effect: 1.0,
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

    fn unweighted(table: &[Vec<f64>]) -> Vec<Vec<WeightedCount>> {
        table.iter().map(|row| row.iter().map(|&n| WeightedCount { weighted: n, squared: n }).collect()).collect()
    }

    #[test]
    fn without_weights_rao_scott_is_pearson() {
        let table = [vec![762.0, 327.0, 468.0], vec![484.0, 239.0, 477.0]];
        let pearson = chi_square(&table).expect("a table");
        let corrected = rao_scott(&unweighted(&table), 2757.0).expect("a table");
        assert!((corrected.design_effect - 1.0).abs() < 1e-9, "{corrected:?}");
        assert!((corrected.statistic - pearson.statistic).abs() < 1e-6, "{corrected:?} {pearson:?}");
        let with_empty = [vec![10.0, 0.0, 20.0], vec![0.0, 0.0, 0.0], vec![30.0, 5.0, 0.0]];
        let corrected = rao_scott(&unweighted(&with_empty), 65.0).expect("a table");
        assert!((corrected.design_effect - 1.0).abs() < 1e-9, "empty cells count as d = 1: {corrected:?}");
    }

    #[test]
    fn every_weight_doubled_changes_nothing() {
        let table = unweighted(&[vec![10.0, 20.0], vec![30.0, 40.0]]);
        let doubled: Vec<Vec<WeightedCount>> = table
            .iter()
            .map(|row| {
                row.iter().map(|c| WeightedCount { weighted: 2.0 * c.weighted, squared: 4.0 * c.squared }).collect()
            })
            .collect();
        let (a, b) = (rao_scott(&table, 100.0).expect("a"), rao_scott(&doubled, 100.0).expect("b"));
        assert!((a.statistic - b.statistic).abs() < 1e-9 && (b.design_effect - 1.0).abs() < 1e-9, "{a:?} {b:?}");
    }

    /// Draws surveys of 600 people in 6 areas answering one of 3 answers, independently of
    /// their area (no true difference), each weighted 1 or 5 (a third of them 5), and returns
    /// how often the corrected and the naive test (Pearson on the weighted shares and n) find a
    /// difference at 5%.
    fn rejections(surveys: usize) -> (f64, f64) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let (mut corrected, mut naive) = (0usize, 0usize);
        for _ in 0..surveys {
            let mut table = vec![vec![WeightedCount::default(); 3]; 6];
            for _ in 0..600 {
                let area = rng.random_range(0..6);
                let u: f64 = rng.random();
                let answer = if u < 0.5 {
                    0
                } else if u < 0.8 {
                    1
                } else {
                    2
                };
                let w = if rng.random_bool(1.0 / 3.0) { 5.0 } else { 1.0 };
                table[area][answer] = table[area][answer] + WeightedCount { weighted: w, squared: w * w };
            }
            let test = rao_scott(&table, 600.0).expect("a table");
            corrected += usize::from(test.p_value < 0.05);
            let pearson = ChiSquared::new(f64::from(test.degrees_of_freedom))
                .expect("df")
                .sf(test.statistic * test.design_effect);
            naive += usize::from(pearson < 0.05);
        }
        (corrected as f64 / surveys as f64, naive as f64 / surveys as f64)
    }

    #[test]
    fn under_a_true_null_the_corrected_test_rejects_about_5_percent_and_the_naive_far_more() {
        let (corrected, naive) = rejections(1000);
        assert!((0.03..=0.075).contains(&corrected), "Rao–Scott rejected {corrected}");
        assert!(naive > 0.2, "naive Pearson rejected {naive}");
    }
}

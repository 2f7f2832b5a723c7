//! Estimates with 95% intervals: proportions (Wilson), differences of proportions (Newcombe),
//! means (Student's t), the Net Promoter Score, and Kish's effective sample size.
//!
//! Weighted estimates use the effective sample size in place of the count, which widens the
//! interval by the design effect of the weights (Kish 1965). Formulas are in `docs/ANALYTICS.md`.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The normal quantile for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// An estimate with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// Kish's effective sample size of a set of weights: (Σw)² / Σw². `n` for equal weights.
pub fn effective_n(sum_weights: f64, sum_squared_weights: f64) -> f64 {
    if sum_squared_weights > 0.0 { sum_weights * sum_weights / sum_squared_weights } else { 0.0 }
}

/// The Wilson score interval for a proportion `p` observed on `n` (effective) respondents.
/// `None` when `n` is zero.
pub fn wilson(p: f64, n: f64) -> Option<Estimate> {
    wilson_at(p, n, Z95)
}

/// The Wilson interval with the normal quantile `z` (1.96 for 95%; larger when several
/// comparisons share the 5% chance of a false finding).
fn wilson_at(p: f64, n: f64, z: f64) -> Option<Estimate> {
    if n <= 0.0 || !p.is_finite() {
        return None;
    }
    let p = p.clamp(0.0, 1.0);
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 (or 1) the bound is exactly 0 (or 1); the formula leaves rounding dust like 7e-16.
    let low = if p == 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if p == 1.0 { 1.0 } else { (centre + half).min(1.0) };
    Some(Estimate { value: p, low, high })
}

/// The difference `a − b` of two independent proportions with Newcombe's hybrid score interval
/// (method 10 of Newcombe 1998), built from each proportion's Wilson interval.
pub fn difference_of_proportions(a: Estimate, b: Estimate) -> Estimate {
    let d = a.value - b.value;
    Estimate {
        value: d,
        low: d - ((a.value - a.low).powi(2) + (b.high - b.value).powi(2)).sqrt(),
        high: d + ((a.high - a.value).powi(2) + (b.value - b.low).powi(2)).sqrt(),
    }
}

/// How a figure's 95% interval was built, which says how to recover its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// A share with a Wilson interval on the effective number of respondents.
    Proportion { effective_n: f64 },
    /// A normal interval (the Net Promoter Score).
    Normal,
    /// A Student's t interval with these degrees of freedom (means).
    StudentT { degrees_of_freedom: f64 },
}

/// A figure with how its interval was built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub estimate: Estimate,
    pub spread: Spread,
}

/// The difference `a − b` of two independent figures of the same kind, with an interval that
/// has a `1 − alpha` chance of covering the true difference (alpha 0.05 for one comparison;
/// 0.05 / m when m comparisons share the 5%, Bonferroni).
///
/// Shares: Newcombe's interval from Wilson intervals at the matching normal quantile. Means and
/// the NPS: each standard error is its interval's half-width divided by the quantile that built
/// it (Student's t for means), and the difference takes Welch's t with Satterthwaite's degrees of
/// freedom (normal when both figures are normal). `None` when the figures differ in kind or a
/// standard error cannot be recovered.
pub fn difference(a: Measured, b: Measured, alpha: f64) -> Option<Estimate> {
    let z = normal_quantile(alpha)?;
    match (a.spread, b.spread) {
        (Spread::Proportion { effective_n: n_a }, Spread::Proportion { effective_n: n_b }) => {
            Some(difference_of_proportions(wilson_at(a.estimate.value, n_a, z)?, wilson_at(b.estimate.value, n_b, z)?))
        }
        (Spread::Proportion { .. }, _) | (_, Spread::Proportion { .. }) => None,
        (spread_a, spread_b) => {
            let (se_a, df_a) = standard_error(a.estimate, spread_a)?;
            let (se_b, df_b) = standard_error(b.estimate, spread_b)?;
            let variance = se_a * se_a + se_b * se_b;
            // Satterthwaite: a normal side (infinite degrees of freedom) adds nothing below.
            let below = df_a.map_or(0.0, |df| se_a.powi(4) / df) + df_b.map_or(0.0, |df| se_b.powi(4) / df);
            let quantile = if below > 0.0 { t_quantile_at(variance * variance / below, alpha)? } else { z };
            let d = a.estimate.value - b.estimate.value;
            let half = quantile * variance.sqrt();
            Some(Estimate { value: d, low: d - half, high: d + half })
        }
    }
}

/// The standard error behind a normal or t interval, with its degrees of freedom (`None` for
/// normal). The wider side is used: an interval cut at a scale's end (NPS at ±100) keeps one
/// side whole.
fn standard_error(estimate: Estimate, spread: Spread) -> Option<(f64, Option<f64>)> {
    let half = (estimate.high - estimate.value).max(estimate.value - estimate.low);
    match spread {
        Spread::Normal => Some((half / Z95, None)),
        Spread::StudentT { degrees_of_freedom } => {
            Some((half / t_quantile(degrees_of_freedom)?, Some(degrees_of_freedom)))
        }
        Spread::Proportion { .. } => None,
    }
}

/// The normal quantile of a two-sided interval with `1 − alpha` coverage.
fn normal_quantile(alpha: f64) -> Option<f64> {
    let normal = statrs::distribution::Normal::new(0.0, 1.0).ok()?;
    (alpha > 0.0 && alpha < 1.0).then(|| normal.inverse_cdf(1.0 - alpha / 2.0))
}

/// Weighted sums of one numeric answer: Σw, Σw·x, Σw·x², and Σw² for the effective n.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub weight: f64,
    pub sum: f64,
    pub sum_squares: f64,
    pub squared_weight: f64,
}

impl Moments {
    /// Adds `count` respondents with value `x`, each of weight `w`.
    pub fn add(&mut self, count: f64, sum: f64, sum_squares: f64, w: f64) {
        self.weight += count * w;
        self.sum += sum * w;
        self.sum_squares += sum_squares * w;
        self.squared_weight += count * w * w;
    }

    /// The effective number of respondents.
    pub fn effective_n(&self) -> f64 {
        effective_n(self.weight, self.squared_weight)
    }

    /// The mean with a Student's t interval on n_eff − 1 degrees of freedom; the variance is
    /// the weighted sample variance with Bessel's correction on the effective n. `None` under
    /// two (effective) respondents, where no interval exists.
    pub fn mean(&self) -> Option<Measured> {
        let n = self.effective_n();
        if self.weight <= 0.0 || n < 2.0 {
            return None;
        }
        let mean = self.sum / self.weight;
        let variance = ((self.sum_squares / self.weight - mean * mean).max(0.0)) * n / (n - 1.0);
        let t = t_quantile(n - 1.0)?;
        let half = t * (variance / n).sqrt();
        Some(Measured {
            estimate: Estimate { value: mean, low: mean - half, high: mean + half },
            spread: Spread::StudentT { degrees_of_freedom: n - 1.0 },
        })
    }
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom.
pub fn t_quantile(df: f64) -> Option<f64> {
    t_quantile_at(df, 0.05)
}

/// The quantile of Student's t for a two-sided interval with `1 − alpha` coverage.
fn t_quantile_at(df: f64, alpha: f64) -> Option<f64> {
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    (alpha > 0.0 && alpha < 1.0).then(|| t.inverse_cdf(1.0 - alpha / 2.0))
}

/// The Net Promoter Score (−100 to 100) from weighted counts of promoters (9–10), passives
/// (7–8) and detractors (0–6), with a normal interval on the per-respondent score (+1, 0, −1):
/// var = P + D − (P − D)², se = √(var / n_eff).
pub fn net_promoter_score(promoters: f64, passives: f64, detractors: f64, effective_n: f64) -> Option<Estimate> {
    let total = promoters + passives + detractors;
    if total <= 0.0 || effective_n <= 0.0 {
        return None;
    }
    let (p, d) = (promoters / total, detractors / total);
    let score = p - d;
    let se = ((p + d - score * score).max(0.0) / effective_n).sqrt();
    Some(Estimate {
        value: 100.0 * score,
        low: (100.0 * (score - Z95 * se)).max(-100.0),
        high: (100.0 * (score + Z95 * se)).min(100.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn wilson_matches_newcombe_1998_table_one() {
        // Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 → 0.2553 to 0.3662;
        // 15/148 → 0.0624 to 0.1605; 0/20 → 0 to 0.1611; 1/29 → 0.0061 to 0.1718.
        for (k, n, low, high) in [
            (81.0, 263.0, 0.2553, 0.3662),
            (15.0, 148.0, 0.0624, 0.1605),
            (0.0, 20.0, 0.0, 0.1611),
            (1.0, 29.0, 0.0061, 0.1718),
        ] {
            let e = wilson(k / n, n).expect("n > 0");
            assert!(close(e.low, low, 5e-5) && close(e.high, high, 5e-5), "{k}/{n}: {e:?}");
        }
        assert_eq!(wilson(0.5, 0.0), None);
        assert_eq!(wilson(0.0, 12.0).map(|e| e.low), Some(0.0), "exactly 0, not rounding dust");
        assert_eq!(wilson(1.0, 12.0).map(|e| e.high), Some(1.0));
    }

    #[test]
    fn newcombe_difference_matches_his_worked_example() {
        // Newcombe (1998b), Statistics in Medicine 17:873, table II (a): 56/70 − 48/80, method 10:
        // 0.0524 to 0.3339.
        let d = difference_of_proportions(wilson(56.0 / 70.0, 70.0).expect("n"), wilson(48.0 / 80.0, 80.0).expect("n"));
        assert!(close(d.value, 0.2, 1e-12));
        assert!(close(d.low, 0.0524, 5e-5) && close(d.high, 0.3339, 5e-5), "{d:?}");
    }

    #[test]
    fn the_mean_has_a_t_interval() {
        // Ten values 1..=10: mean 5.5, s = 3.02765, t(0.975, 9) = 2.26216, half-width 2.16585.
        let mut m = Moments::default();
        for x in 1..=10 {
            let x = f64::from(x);
            m.add(1.0, x, x * x, 1.0);
        }
        let Measured { estimate: e, spread } = m.mean().expect("ten values");
        assert_eq!(spread, Spread::StudentT { degrees_of_freedom: 9.0 });
        assert!(close(e.value, 5.5, 1e-12));
        assert!(close(e.high - e.value, 2.165_85, 1e-5), "{e:?}");
        let mut one = Moments::default();
        one.add(1.0, 3.0, 9.0, 1.0);
        assert_eq!(one.mean(), None, "one value has no interval");
    }

    #[test]
    fn weights_widen_the_interval_through_the_effective_n() {
        // Two groups of 50 with weights 1 and 3: n_eff = 200² / (50 + 450) = 80, not 100.
        let mut m = Moments::default();
        m.add(50.0, 50.0 * 2.0, 50.0 * 4.0, 1.0);
        m.add(50.0, 50.0 * 4.0, 50.0 * 16.0, 3.0);
        assert!(close(m.effective_n(), 80.0, 1e-9));
        assert!(close(effective_n(10.0, 10.0), 10.0, 1e-12), "equal weights: n_eff = n");
        let weighted = m.mean().expect("values").estimate;
        assert!(close(weighted.value, 3.5, 1e-12), "(50·2 + 150·4) / 200");
    }

    #[test]
    fn nps_is_promoters_minus_detractors_with_its_interval() {
        // 50 promoters, 30 passives, 20 detractors: NPS 30; var = .5 + .2 − .09 = .61;
        // se = √(.61/100) = .0781; half-width 15.31.
        let e = net_promoter_score(50.0, 30.0, 20.0, 100.0).expect("answers");
        assert!(close(e.value, 30.0, 1e-9));
        assert!(close(e.high - e.value, 15.308, 1e-3), "{e:?}");
        assert_eq!(net_promoter_score(0.0, 0.0, 0.0, 0.0), None);
    }

    #[test]
    fn the_difference_of_two_nps_adds_their_variances() {
        let a = Measured { estimate: Estimate { value: 10.0, low: 8.0, high: 12.0 }, spread: Spread::Normal };
        let b = Measured { estimate: Estimate { value: 7.0, low: 5.5, high: 8.5 }, spread: Spread::Normal };
        let d = difference(a, b, 0.05).expect("difference");
        // se_a = 2/z, se_b = 1.5/z: half = z·√(se_a² + se_b²) = √(4 + 2.25) = 2.5.
        assert!(close(d.value, 3.0, 1e-12) && close(d.high - d.value, 2.5, 1e-9), "{d:?}");
    }

    #[test]
    fn the_difference_of_two_means_recovers_their_errors_with_t() {
        // Two means of 3 respondents each (2 degrees of freedom, t = 4.303) with standard error 1.
        let t2 = t_quantile(2.0).expect("t");
        let mean = |value: f64| Measured {
            estimate: Estimate { value, low: value - t2, high: value + t2 },
            spread: Spread::StudentT { degrees_of_freedom: 2.0 },
        };
        let d = difference(mean(10.0), mean(7.0), 0.05).expect("difference");
        // Welch: se = √2, Satterthwaite df = (1 + 1)² / (1/2 + 1/2) = 4, t(4) = 2.7764.
        let expected = 2.776_445_105 * 2f64.sqrt();
        assert!(close(d.high - d.value, expected, 1e-6), "{d:?}, expected half-width {expected}");
    }

    #[test]
    fn a_difference_shared_by_more_comparisons_is_wider() {
        let share = |value: f64| Measured {
            estimate: wilson(value, 100.0).expect("share"),
            spread: Spread::Proportion { effective_n: 100.0 },
        };
        let one = difference(share(0.6), share(0.4), 0.05).expect("one");
        assert_eq!(one, difference_of_proportions(share(0.6).estimate, share(0.4).estimate));
        let many = difference(share(0.6), share(0.4), 0.05 / 21.0).expect("21 pairs");
        assert!(many.low < one.low && many.high > one.high, "{one:?} {many:?}");
        assert!(one.low > 0.0 && many.low < 0.0, "a gap clear alone is not clear among 21 pairs");
        assert_eq!(difference(share(0.6), Measured { estimate: one, spread: Spread::Normal }, 0.05), None);
    }
}

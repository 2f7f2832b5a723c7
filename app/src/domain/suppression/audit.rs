//! The audit: how tightly someone holding every number of a publication can pin down each count
//! it withholds. Published figures are linear equations and bounds over the true counts (cells
//! are at least 0, a row's cells add up to its published total, an area's answers are at most
//! its responses, and so on); the tightest interval for one withheld count is the minimum and
//! the maximum of that count over every table consistent with them: two linear programs, solved
//! with `good_lp`'s pure-Rust `microlp` backend.
//!
//! An attacker may also use the fact that counts are whole numbers; the audit does not, and asks
//! for an interval at least *k* wide, so that rounding it inwards still leaves *k* − 1 values
//! or more.

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, constraint, microlp, variable};

/// What an attacker can know of one withheld count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    /// `f64::INFINITY` when nothing published bounds it.
    pub high: f64,
}

/// Numerical slack of the solver: an interval this much narrower than *k* still counts as *k*.
const SLACK: f64 = 1e-6;

impl Interval {
    pub fn exactly(value: f64) -> Self {
        Interval { low: value, high: value }
    }

    pub fn width(&self) -> f64 {
        self.high - self.low
    }

    /// Whether a count in this interval is protected at threshold `k`: the interval is at least
    /// `k` wide (for a true 0, that says it could be `k` or more).
    pub fn protects(&self, k: u64) -> bool {
        k == 0 || self.width() + SLACK >= k as f64
    }
}

/// A linear term: (variable, coefficient).
pub type Term = (usize, f64);

/// The equations and bounds an attacker can write down from published figures.
#[derive(Debug, Clone, Default)]
pub struct LinearSystem {
    bounds: Vec<(f64, f64)>,
    equal: Vec<(Vec<Term>, f64)>,
    at_most: Vec<(Vec<Term>, f64)>,
}

/// The audit could not be run (a solver failure, or published figures that contradict each
/// other, which is a bug upstream).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the disclosure audit could not solve its linear program: {0}")]
pub struct AuditFailed(pub String);

impl LinearSystem {
    /// A new unknown count between `low` and `high` (`f64::INFINITY`: no upper bound).
    pub fn unknown(&mut self, low: f64, high: f64) -> usize {
        self.bounds.push((low, high));
        self.bounds.len() - 1
    }

    /// `Σ coefficient × variable = value`.
    pub fn equal(&mut self, terms: Vec<Term>, value: f64) {
        self.equal.push((terms, value));
    }

    /// `Σ coefficient × variable ≤ value`.
    pub fn at_most(&mut self, terms: Vec<Term>, value: f64) {
        self.at_most.push((terms, value));
    }

    pub fn unknowns(&self) -> usize {
        self.bounds.len()
    }

    /// The tightest interval of one unknown over every solution of the system.
    pub fn range(&self, target: usize) -> Result<Interval, AuditFailed> {
        let low = self.extreme(target, false)?.unwrap_or(f64::NEG_INFINITY);
        let high = self.extreme(target, true)?.unwrap_or(f64::INFINITY);
        Ok(Interval { low, high })
    }

    /// The largest (or smallest) value of one unknown; `None` when unbounded that way.
    fn extreme(&self, target: usize, largest: bool) -> Result<Option<f64>, AuditFailed> {
        let mut problem = ProblemVariables::new();
        let vars: Vec<_> = self
            .bounds
            .iter()
            .map(|(low, high)| {
                let v = variable().min(*low);
                problem.add(if high.is_finite() { v.max(*high) } else { v })
            })
            .collect();
        let expression = |terms: &[Term]| terms.iter().map(|(i, c)| *c * vars[*i]).sum::<Expression>();
        let objective = vars[target];
        let mut model = if largest { problem.maximise(objective) } else { problem.minimise(objective) }.using(microlp);
        for (terms, value) in &self.equal {
            model = model.with(constraint!(expression(terms) == *value));
        }
        for (terms, value) in &self.at_most {
            model = model.with(constraint!(expression(terms) <= *value));
        }
        match model.solve() {
            Ok(solution) => Ok(Some(solution.value(objective))),
            Err(ResolutionError::Unbounded) => Ok(None),
            Err(e) => Err(AuditFailed(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_withheld_counts_of_a_published_total_each_range_over_their_sum() {
        // 40 + a + b = 47 with a, b withheld: each is anywhere from 0 to 7.
        let mut system = LinearSystem::default();
        let a = system.unknown(0.0, f64::INFINITY);
        let b = system.unknown(0.0, f64::INFINITY);
        system.equal(vec![(a, 1.0), (b, 1.0)], 7.0);
        let range = system.range(a).expect("solved");
        assert!((range.low - 0.0).abs() < 1e-9 && (range.high - 7.0).abs() < 1e-9, "{range:?}");
        assert!(range.protects(5));
        assert!(!range.protects(8));
    }

    #[test]
    fn an_unbounded_count_is_protected_and_a_pinned_one_is_not() {
        let mut system = LinearSystem::default();
        let free = system.unknown(0.0, f64::INFINITY);
        let pinned = system.unknown(0.0, 10.0);
        system.at_most(vec![(pinned, 1.0)], 2.0);
        system.equal(vec![(pinned, 1.0)], 2.0);
        assert_eq!(system.range(free).expect("solved").high, f64::INFINITY);
        assert!(!system.range(pinned).expect("solved").protects(3));
        assert!(Interval::exactly(0.0).protects(0));
    }
}

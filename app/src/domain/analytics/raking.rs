//! Raking (iterative proportional fitting, Deming & Stephan 1940): weights that make the
//! respondents match the population on several margins at once (area, age band,
//! race/ethnicity, tenure), without needing the population's joint table.
//!
//! Raking works on *cells* — respondents who share every weighting variable share a weight —
//! so its cost depends on the number of distinct cells, never on the number of responses.
//!
//! - A respondent whose value on a margin is unknown ("prefer not to say", not answered) is not
//!   adjusted on that margin; the known respondents are raked to the population's shares among
//!   themselves. Those respondents are counted and reported per margin.
//! - A population group with no respondents cannot be weighted up from nothing: it is dropped
//!   from its margin (the other groups' shares are rescaled) and reported.
//! - Trimming: after raking, weights above `cap` × the mean are cut to it and the margins raked
//!   again, alternating until the margins and the cap both hold within the tolerance, until
//!   they pull against each other to a standstill, or [`TRIM_ROUNDS`] rounds have passed. The
//!   weights end within the cap; `converged` says whether the margins held. A handful of
//!   respondents cannot speak for a whole neighborhood.
//! - Weights are scaled to average 1 over respondents, so weighted counts stay on the scale of
//!   responses.

use serde::{Deserialize, Serialize};

use super::intervals::effective_n;

/// How many times trimming and raking alternate at most. Alternation converges geometrically
/// when the margins can be met under the cap (a 60-area city at cap 3 needs about 50 rounds
/// for 10⁻¹⁰); when they cannot, it stops here and says so.
pub const TRIM_ROUNDS: usize = 1_000;

/// Respondents who share every weighting variable.
#[derive(Debug, Clone, PartialEq)]
pub struct RakingCell {
    /// Respondents in the cell.
    pub count: f64,
    /// For each margin, the index of the cell's group, or `None` when unknown.
    pub groups: Vec<Option<usize>>,
}

/// One margin to rake to: the population in each group (any scale; only shares matter).
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    pub name: String,
    pub groups: Vec<String>,
    pub population: Vec<f64>,
}

/// Settings staff choose.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RakingOptions {
    /// Raking stops when every group's weighted share is within this of its target.
    pub tolerance: f64,
    pub max_iterations: usize,
    /// Weights are trimmed to at most this many times the mean weight (`None`: no trimming).
    pub cap: Option<f64>,
}

impl Default for RakingOptions {
    fn default() -> Self {
        Self { tolerance: 1e-6, max_iterations: 500, cap: Some(5.0) }
    }
}

/// What happened to each margin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarginReport {
    pub name: String,
    /// Respondents not adjusted on this margin because their group is unknown.
    pub unknown: f64,
    /// Population groups with no respondents, left out of the margin.
    pub empty_groups: Vec<String>,
    /// The largest gap between a weighted share and its target after raking (0–1).
    pub largest_error: f64,
}

/// The weights and how well they fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raking {
    /// One weight per cell (per respondent in the cell), averaging 1 over respondents.
    pub weights: Vec<f64>,
    pub iterations: usize,
    /// Every margin within the tolerance (every weight is within the cap in any case).
    pub converged: bool,
    /// Trim-and-rake rounds run.
    pub trim_rounds: usize,
    /// Cells whose weight sits at the cap in the end.
    pub trimmed_cells: usize,
    pub respondents: f64,
    /// Kish: (Σw)² / Σw² over respondents.
    pub effective_n: f64,
    /// respondents ÷ effective n: how much the weights widen intervals (squared).
    pub design_effect: f64,
    pub margins: Vec<MarginReport>,
}

/// Rakes `cells` to `margins`. Margins whose groups all lack respondents or population are
/// reported with every group empty and do not move the weights.
pub fn rake(cells: &[RakingCell], margins: &[Margin], options: RakingOptions) -> Raking {
    let respondents: f64 = cells.iter().map(|c| c.count).sum();
    let mut weights = vec![1.0; cells.len()];
    let targets: Vec<Vec<Option<f64>>> =
        margins.iter().enumerate().map(|(m, margin)| shares(cells, m, margin)).collect();
    let mut iterations = 0;
    let mut trim_rounds = 0;
    fit(cells, &targets, &mut weights, options, &mut iterations);
    if let Some(cap) = options.cap {
        // Raking lifts some weights above the cap, trimming moves the margins: alternate until
        // no weight is above the cap after raking (the margins then hold too) or the limit.
        // When the margins cannot be met under the cap the two pull against each other to a
        // standstill: a round that moves no weight by more than the tolerance ends it too.
        // Raking and trimming each rescale every weight, so rounds are compared on weights
        // relative to their mean.
        let relative = |weights: &[f64]| {
            let mean = mean_weight(cells, weights);
            weights.iter().map(|w| if mean > 0.0 { w / mean } else { *w }).collect::<Vec<f64>>()
        };
        let mut before = relative(&weights);
        while trim_rounds < TRIM_ROUNDS && trim(cells, &mut weights, cap, options.tolerance) > 0 {
            trim_rounds += 1;
            fit(cells, &targets, &mut weights, options, &mut iterations);
            let now = relative(&weights);
            let moved =
                now.iter().zip(&before).map(|(w, b)| (w - b).abs() / b.max(f64::MIN_POSITIVE)).fold(0.0, f64::max);
            if moved < options.tolerance {
                break;
            }
            before = now;
        }
        // The cap is a rule, the margins a goal: the weights end within the cap, and the
        // margins report how far they are from their targets.
        trim(cells, &mut weights, cap, options.tolerance);
    }
    let limit = options.cap.map(|cap| cap.max(1.0) * mean_weight(cells, &weights));
    let trimmed_cells = limit.map_or(0, |l| {
        cells.iter().zip(&weights).filter(|(c, w)| c.count > 0.0 && **w >= l * (1.0 - options.tolerance)).count()
    });
    let mean = mean_weight(cells, &weights);
    if mean > 0.0 {
        weights.iter_mut().for_each(|w| *w /= mean);
    }
    let (sum, sum_squares) =
        cells.iter().zip(&weights).fold((0.0, 0.0), |(s, q), (c, w)| (s + c.count * w, q + c.count * w * w));
    let effective_n = effective_n(sum, sum_squares);
    let reports: Vec<MarginReport> = margins
        .iter()
        .enumerate()
        .map(|(m, margin)| MarginReport {
            name: margin.name.clone(),
            unknown: cells.iter().filter(|c| c.groups[m].is_none()).map(|c| c.count).sum(),
            empty_groups: margin
                .groups
                .iter()
                .zip(&targets[m])
                .filter(|(_, t)| t.is_none())
                .map(|(g, _)| g.clone())
                .collect(),
            largest_error: largest_error(cells, &weights, m, &targets[m]),
        })
        .collect();
    let converged = reports.iter().all(|r| r.largest_error < options.tolerance);
    Raking {
        weights,
        iterations,
        converged,
        trim_rounds,
        trimmed_cells,
        respondents,
        effective_n,
        design_effect: if effective_n > 0.0 { respondents / effective_n } else { 1.0 },
        margins: reports,
    }
}

/// Cuts weights more than `tolerance` above `cap` × the mean until none is (cutting lowers the
/// mean, so it repeats). Returns how many cells were cut.
fn trim(cells: &[RakingCell], weights: &mut [f64], cap: f64, tolerance: f64) -> usize {
    let mut cut = vec![false; weights.len()];
    for _ in 0..100 {
        let limit = cap.max(1.0) * mean_weight(cells, weights);
        let mut changed = false;
        for (w, cut) in weights.iter_mut().zip(cut.iter_mut()) {
            if *w > limit * (1.0 + tolerance) {
                *w = limit;
                *cut = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    cut.iter().filter(|c| **c).count()
}

/// The target share of each group among groups that have respondents (`None`: left out).
fn shares(cells: &[RakingCell], m: usize, margin: &Margin) -> Vec<Option<f64>> {
    let mut present = vec![false; margin.groups.len()];
    for cell in cells.iter().filter(|c| c.count > 0.0) {
        if let Some(g) = cell.groups[m].filter(|g| *g < present.len()) {
            present[g] = true;
        }
    }
    let usable: f64 =
        margin.population.iter().zip(&present).filter(|(p, here)| **here && **p > 0.0).map(|(p, _)| *p).sum();
    margin
        .population
        .iter()
        .zip(&present)
        .map(|(p, here)| (*here && *p > 0.0 && usable > 0.0).then(|| p / usable))
        .collect()
}

/// Weighted totals of each group on margin `m`, and of respondents known on it.
fn group_totals(cells: &[RakingCell], weights: &[f64], m: usize, groups: usize) -> (Vec<f64>, f64) {
    let mut totals = vec![0.0; groups];
    let mut known = 0.0;
    for (cell, w) in cells.iter().zip(weights) {
        if let Some(g) = cell.groups[m].filter(|g| *g < groups) {
            totals[g] += cell.count * w;
            known += cell.count * w;
        }
    }
    (totals, known)
}

/// Raking rounds until every margin is within tolerance (or the iterations run out).
fn fit(
    cells: &[RakingCell],
    targets: &[Vec<Option<f64>>],
    weights: &mut [f64],
    options: RakingOptions,
    iterations: &mut usize,
) {
    for _ in 0..options.max_iterations {
        *iterations += 1;
        let mut error: f64 = 0.0;
        for (m, shares) in targets.iter().enumerate() {
            let (totals, known) = group_totals(cells, weights, m, shares.len());
            if known <= 0.0 {
                continue;
            }
            let factors: Vec<f64> = shares
                .iter()
                .zip(&totals)
                .map(|(share, total)| match share {
                    Some(share) if *total > 0.0 => {
                        error = error.max((total / known - share).abs());
                        share * known / total
                    }
                    // A left-out group's few respondents (zero population) get no weight.
                    _ if *total > 0.0 => 0.0,
                    _ => 1.0,
                })
                .collect();
            for (cell, w) in cells.iter().zip(weights.iter_mut()) {
                if let Some(g) = cell.groups[m].filter(|g| *g < factors.len()) {
                    *w *= factors[g];
                }
            }
        }
        if error < options.tolerance {
            return;
        }
    }
}

fn mean_weight(cells: &[RakingCell], weights: &[f64]) -> f64 {
    let (sum, n) = cells.iter().zip(weights).fold((0.0, 0.0), |(s, n), (c, w)| (s + c.count * w, n + c.count));
    if n > 0.0 { sum / n } else { 0.0 }
}

fn largest_error(cells: &[RakingCell], weights: &[f64], m: usize, shares: &[Option<f64>]) -> f64 {
    let (totals, known) = group_totals(cells, weights, m, shares.len());
    if known <= 0.0 {
        return 0.0;
    }
    shares.iter().zip(&totals).filter_map(|(s, t)| s.map(|s| (t / known - s).abs())).fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cell(count: f64, groups: &[Option<usize>]) -> RakingCell {
        RakingCell { count, groups: groups.to_vec() }
    }

    fn margin(name: &str, population: &[f64]) -> Margin {
        Margin {
            name: name.into(),
            groups: (0..population.len()).map(|g| format!("{name}{g}")).collect(),
            population: population.to_vec(),
        }
    }

    #[test]
    fn a_two_by_two_example_worked_by_hand() {
        // Respondents by tenure × age: owner-young 20, owner-old 30, renter-young 10,
        // renter-old 40 (n = 100). Population: owners 60%, renters 40%; young 40%, old 60%.
        // Raking converges to the table with those margins and the sample's odds ratio
        // (20·40)/(30·10) = 8/3 (Deming & Stephan). With x = owner-young = renter-old:
        // x² / ((60 − x)(40 − x)) = 8/3  ⇒  x² − 160x + 3840 = 0  ⇒  x = 80 − √2560 = 29.4036.
        // Weights: 29.4036/20 = 1.47018, 30.5964/30 = 1.01988, 10.5964/10 = 1.05964,
        // 29.4036/40 = 0.73509.
        let cells = [
            cell(20.0, &[Some(0), Some(0)]),
            cell(30.0, &[Some(0), Some(1)]),
            cell(10.0, &[Some(1), Some(0)]),
            cell(40.0, &[Some(1), Some(1)]),
        ];
        let margins = [margin("tenure", &[600.0, 400.0]), margin("age", &[400.0, 600.0])];
        let raking = rake(&cells, &margins, RakingOptions { cap: None, ..RakingOptions::default() });
        assert!(raking.converged);
        let x = 80.0 - 2560f64.sqrt();
        let expected = [x / 20.0, (60.0 - x) / 30.0, (40.0 - x) / 10.0, x / 40.0];
        for (w, e) in raking.weights.iter().zip(expected) {
            assert!((w - e).abs() < 1e-6, "{:?} vs {expected:?}", raking.weights);
        }
        // Kish: Σw = 100; Σw² = 20·1.47018² + 30·1.01988² + 10·1.05964² + 40·0.73509²
        //     = 43.229 + 31.204 + 11.228 + 21.614 = 107.275; n_eff = 10000 / 107.275 = 93.22.
        assert!((raking.effective_n - 93.22).abs() < 0.01, "{}", raking.effective_n);
        assert!((raking.design_effect - 100.0 / raking.effective_n).abs() < 1e-12);
    }

    #[test]
    fn unknown_groups_are_not_adjusted_and_are_counted() {
        // 30 owners, 10 renters, 10 who did not say; population half and half.
        let cells = [cell(30.0, &[Some(0)]), cell(10.0, &[Some(1)]), cell(10.0, &[None])];
        let raking = rake(&cells, &[margin("tenure", &[1.0, 1.0])], RakingOptions::default());
        assert_eq!(raking.margins[0].unknown, 10.0);
        // Known respondents: 40, raked to 20/20; the unknown keep their weight. Mean is 1.
        let (owner, renter, unknown) = (raking.weights[0], raking.weights[1], raking.weights[2]);
        assert!((owner * 30.0 - renter * 10.0).abs() < 1e-6);
        assert!((unknown / owner - 1.5).abs() < 1e-6, "owners went 1 → 2/3, unknown stayed 1");
    }

    #[test]
    fn a_group_with_no_respondents_is_left_out_and_named() {
        let cells = [cell(10.0, &[Some(0)]), cell(10.0, &[Some(1)])];
        let raking = rake(&cells, &[margin("age", &[300.0, 100.0, 600.0])], RakingOptions::default());
        assert_eq!(raking.margins[0].empty_groups, ["age2"]);
        assert!((raking.weights[0] / raking.weights[1] - 3.0).abs() < 1e-6, "300 : 100 among the rest");
    }

    #[test]
    fn trimming_caps_weights_at_the_chosen_multiple_of_the_mean() {
        // One renter among 99 owners, population half and half: untrimmed, the renter's weight
        // would be 50; capped at 5 × the mean.
        let cells = [cell(99.0, &[Some(0)]), cell(1.0, &[Some(1)])];
        let margins = [margin("tenure", &[1.0, 1.0])];
        let free = rake(&cells, &margins, RakingOptions { cap: None, ..RakingOptions::default() });
        assert!((free.weights[1] - 50.0).abs() < 1e-6);
        let capped = rake(&cells, &margins, RakingOptions { cap: Some(5.0), ..RakingOptions::default() });
        assert!(capped.weights[1] <= 5.0 * (1.0 + 1e-6), "within the cap, to the tolerance: {:?}", capped.weights);
        assert!(!capped.converged, "the margin cannot be met under the cap, and that is said");
        assert!(capped.margins[0].largest_error > 0.4);
        assert_eq!(capped.trimmed_cells, 1, "the renter sits at the cap");
        assert!(capped.trim_rounds < TRIM_ROUNDS, "a standstill ends the rounds: {}", capped.trim_rounds);
    }

    /// A city of 60 areas of equal population whose respondents come unevenly (6 to 24 per
    /// area), young people under-represented by different amounts in each.
    fn sixty_areas() -> (Vec<RakingCell>, Vec<Margin>) {
        let mut cells = Vec::new();
        for area in 0..60 {
            let n = 6.0 + f64::from(area % 10) * 2.0;
            let young = (n * (0.1 + 0.4 * f64::from(area % 7) / 6.0)).round().max(1.0);
            cells.push(cell(young, &[Some(area as usize), Some(0)]));
            cells.push(cell(n - young, &[Some(area as usize), Some(1)]));
        }
        (cells, vec![margin("area", &[1000.0; 60]), margin("age", &[1.0, 1.0])])
    }

    #[test]
    fn trimming_and_raking_alternate_until_both_hold_and_cells_at_the_cap_are_counted() {
        let (cells, margins) = sixty_areas();
        let options = RakingOptions { cap: Some(3.0), tolerance: 1e-10, ..RakingOptions::default() };
        let raking = rake(&cells, &margins, options);
        assert!(raking.converged, "margins {:?}, {} rounds", raking.margins, raking.trim_rounds);
        assert!(
            raking.trim_rounds > 20,
            "needs more than the 20 rounds that stopped it before: {}",
            raking.trim_rounds
        );
        let at_cap =
            cells.iter().zip(&raking.weights).filter(|(c, w)| c.count > 0.0 && **w >= 3.0 * (1.0 - 1e-6)).count();
        assert!(
            at_cap > 0 && raking.trimmed_cells == at_cap,
            "{} at the cap, {} counted",
            at_cap,
            raking.trimmed_cells
        );
        assert!(raking.weights.iter().all(|w| *w <= 3.0 * (1.0 + 1e-9)), "{:?}", raking.weights);
    }

    proptest! {
        #[test]
        fn raked_weights_meet_every_margin_and_average_one(
            counts in proptest::collection::vec(1u32..50, 12),
            area in proptest::collection::vec(1u32..1000, 3),
            age in proptest::collection::vec(1u32..1000, 2),
            tenure in proptest::collection::vec(1u32..1000, 2),
        ) {
            // Every combination of 3 areas × 2 ages × 2 tenures has respondents.
            let cells: Vec<RakingCell> = counts.iter().enumerate().map(|(i, c)| {
                cell(f64::from(*c), &[Some(i % 3), Some((i / 3) % 2), Some(i / 6)])
            }).collect();
            let to_f = |v: &[u32]| v.iter().map(|x| f64::from(*x)).collect::<Vec<_>>();
            let margins = [margin("area", &to_f(&area)), margin("age", &to_f(&age)), margin("tenure", &to_f(&tenure))];
            let raking = rake(&cells, &margins, RakingOptions { cap: None, ..RakingOptions::default() });
            prop_assert!(raking.converged);
            for report in &raking.margins {
                prop_assert!(report.largest_error < 1e-5);
            }
            let total: f64 = cells.iter().zip(&raking.weights).map(|(c, w)| c.count * w).sum();
            prop_assert!((total - raking.respondents).abs() < 1e-6);
            prop_assert!(raking.effective_n <= raking.respondents + 1e-9);
            prop_assert!(raking.weights.iter().all(|w| *w > 0.0));
        }
    }
}

//! Who answered compared with who lives there: participation and representation by area, and
//! respondents compared with residents on each demographic with population figures.
//!
//! - Respondents are adults: they are compared with adult residents (the total less
//!   `age:under_18`) when every area's table has under-18s, and with all residents otherwise,
//!   which the summary says ([`ComparedWith`]).
//! - Shares are taken over the same areas on both sides: the areas with a population figure.
//!   Responses placed in areas without one are counted apart and those areas listed.
//! - Representation ratio of area *a*: (n_a / N) ÷ (P_a / P). Its interval combines the Wilson
//!   interval of the response share with the census estimate's own error (published 90%
//!   margins of error, as a standard error, by the delta method on the log ratio), square and
//!   add on the log scale.
//! - An area is under- or over-represented only when its whole interval is past the threshold;
//!   when the interval straddles a threshold there are too few responses to tell.
//! - Dissimilarity index: D = ½ Σ |n_a / N − P_a / P|, the share of responses that would have
//!   to come from other areas for every area to be heard in proportion (0 = perfect), with the
//!   value proportional sampling would give by chance alone, E[D], from the binomial mean
//!   absolute deviation (De Moivre).
//! - Responses needed for area *a* to reach its population share s_a, if every new response
//!   came from it: x = (s_a N − n_a) / (1 − s_a).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use statrs::function::factorial::ln_binomial;

use super::intervals::{Estimate, Z95, wilson};
use super::tally::{WEIGHTING_DIMENSIONS, weighting_groups};

/// The normal quantile of the 90% margins of error the Census Bureau publishes.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// The population group of residents under 18, which adult respondents are never in.
pub const UNDER_18: (&str, &str) = ("age", "under_18");

/// An area's population: its total and its groups (`(dimension, group)` → count), each with
/// its published 90% margin of error when the table has one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaPopulation {
    pub name: String,
    pub total: Option<f64>,
    pub total_margin: Option<f64>,
    pub groups: BTreeMap<(String, String), f64>,
    pub margins: BTreeMap<(String, String), f64>,
}

impl AreaPopulation {
    /// The residents under 18, when the table has them.
    fn under_18(&self) -> Option<f64> {
        self.groups.get(&(UNDER_18.0.to_owned(), UNDER_18.1.to_owned())).copied()
    }

    /// The residents respondents are compared with, and the standard error of that figure (0
    /// without a published margin): adults when `adults`, else everyone. The margin of a
    /// difference of two estimates is the root of the sum of their squares (Census Bureau,
    /// *Understanding and Using ACS Data*, 2020, ch. 8).
    pub fn compared(&self, adults: bool) -> Option<(f64, f64)> {
        let total = self.total.filter(|t| *t > 0.0)?;
        let margin = self.total_margin.unwrap_or(0.0);
        if !adults {
            return Some((total, margin / Z90));
        }
        let under_18 = self.under_18()?;
        let key = (UNDER_18.0.to_owned(), UNDER_18.1.to_owned());
        let under_margin = self.margins.get(&key).copied().unwrap_or(0.0);
        let adults = total - under_18;
        (adults > 0.0).then(|| (adults, margin.hypot(under_margin) / Z90))
    }
}

/// Whom respondents are compared with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparedWith {
    /// Residents 18 and over: every area's table has its under-18s.
    Adults,
    /// Every resident, children included: some table has no under-18s, so respondents (adults)
    /// are compared with a base that includes children.
    #[default]
    AllResidents,
}

impl ComparedWith {
    /// Adults when every area with a total also has its under-18s (and some area has them).
    pub fn for_areas(population: &[(String, AreaPopulation)]) -> ComparedWith {
        let with_total = || population.iter().filter(|(_, a)| a.total.is_some_and(|t| t > 0.0));
        if with_total().next().is_some() && with_total().all(|(_, a)| a.under_18().is_some()) {
            ComparedWith::Adults
        } else {
            ComparedWith::AllResidents
        }
    }
}

/// Whether an area is heard in proportion to its population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Representation {
    /// The whole interval of the ratio is at or below the threshold.
    Under,
    /// The whole interval lies between the threshold and its inverse.
    InProportion,
    /// The whole interval is at or above the inverse of the threshold.
    Over,
    /// The interval straddles a threshold: too few responses to tell.
    TooFewToTell,
    /// No population figure: no ratio can be computed.
    Unknown,
}

impl Representation {
    /// Where a ratio's interval lies against `under` and its inverse.
    pub fn of(ratio: Option<Estimate>, under: f64) -> Representation {
        let over = if under > 0.0 { 1.0 / under } else { f64::INFINITY };
        match ratio {
            None => Representation::Unknown,
            Some(r) if r.high <= under => Representation::Under,
            Some(r) if r.low >= over => Representation::Over,
            Some(r) if r.low > under && r.high < over => Representation::InProportion,
            Some(_) => Representation::TooFewToTell,
        }
    }
}

/// One area's participation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaParticipation {
    pub area: String,
    pub name: String,
    pub responses: u64,
    /// Of the responses in areas with a population figure; 0 for an area without one.
    pub response_share: f64,
    /// The residents respondents are compared with (see [`ComparedWith`]).
    pub population: Option<f64>,
    pub population_share: Option<f64>,
    /// The standard error of the logarithm of the population share, from the census margins
    /// of error (0 when the table has none).
    #[serde(default)]
    pub population_log_se: f64,
    pub per_thousand_residents: Option<f64>,
    pub representation_ratio: Option<Estimate>,
    pub representation: Representation,
    /// More responses this area needs to reach its population share.
    pub responses_needed: Option<u64>,
}

/// The city in a few numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipationSummary {
    pub responses: u64,
    /// Responses whose area is unknown (left out of every share).
    pub responses_without_area: u64,
    /// Responses placed in areas without a population figure (left out of every share, so
    /// that response and population shares are over the same areas).
    #[serde(default)]
    pub responses_without_population: u64,
    /// The areas without a population figure, by name.
    #[serde(default)]
    pub areas_without_population: Vec<String>,
    /// The residents respondents are compared with (sum over the areas with a figure).
    pub population: f64,
    pub compared_with: ComparedWith,
    /// Lowest ÷ highest responses per resident among areas with population (0–1; 1 = even).
    pub lowest_to_highest_rate: Option<f64>,
    pub dissimilarity_index: f64,
    /// The index proportional sampling of this many responses would give by chance alone: a
    /// value near it is noise, not skew.
    #[serde(default)]
    pub dissimilarity_expected: f64,
    pub areas_under: usize,
    pub areas_over: usize,
    /// Areas whose ratio's interval straddles a threshold.
    #[serde(default)]
    pub areas_too_few_to_tell: usize,
    /// A ratio at or below this is under-represented; at or above its inverse, over.
    pub under_threshold: f64,
}

/// The representation ratio `response share ÷ population share` with its 95% interval: the
/// Wilson interval of `responses` of `n`, widened on the log scale by the error of the
/// population share (`population_log_se`, the standard error of its logarithm; 0 for figures
/// taken as known). `None` without responses to share or a population share.
pub fn representation_ratio(responses: u64, n: u64, population_share: f64, population_log_se: f64) -> Option<Estimate> {
    if population_share <= 0.0 {
        return None;
    }
    let w = wilson(responses as f64 / n as f64, n as f64)?;
    let census = Z95 * population_log_se;
    let value = w.value / population_share;
    let widen = |side: f64| (side * side + census * census).sqrt();
    let (low, high) = if w.value > 0.0 {
        (value * (-widen((w.value / w.low).ln())).exp(), value * widen((w.high / w.value).ln()).exp())
    } else {
        (0.0, w.high / population_share * census.exp())
    };
    Some(Estimate { value, low, high })
}

/// The standard error of log(P_a / P) for each area from the standard errors of the P's, by
/// the delta method: (1/P_a − 1/P)² σ_a² + Σ_{b≠a} σ_b² / P².
fn population_share_log_se(bases: &[Option<(f64, f64)>]) -> Vec<f64> {
    let p: f64 = bases.iter().flatten().map(|b| b.0).sum();
    let variance: f64 = bases.iter().flatten().map(|b| b.1 * b.1).sum();
    bases
        .iter()
        .map(|b| match b {
            Some((count, se)) if p > 0.0 => {
                ((1.0 / count - 1.0 / p).powi(2) * se * se + (variance - se * se) / (p * p)).max(0.0).sqrt()
            }
            _ => 0.0,
        })
        .collect()
}

/// E[D] under proportional sampling: ½ Σ E|n_a − N π_a| / N with n_a ~ Binomial(N, π_a), whose
/// mean absolute deviation is 2 ν C(N, ν) π^ν (1 − π)^(N − ν + 1), ν = ⌊N π⌋ + 1 (De Moivre).
pub fn expected_dissimilarity(shares: &[f64], n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let mean_absolute_deviation = |pi: f64| {
        if pi <= 0.0 || pi >= 1.0 {
            return 0.0;
        }
        let nu = (n as f64 * pi).floor() as u64 + 1;
        if nu > n {
            return 0.0;
        }
        (2.0 * nu as f64).ln() + ln_binomial(n, nu) + nu as f64 * pi.ln() + (n - nu + 1) as f64 * (1.0 - pi).ln()
    };
    shares.iter().map(|&pi| mean_absolute_deviation(pi)).map(|l| if l == 0.0 { 0.0 } else { l.exp() }).sum::<f64>()
        / (2.0 * n as f64)
}

/// Participation by area, in the order of `population` (the area set's order).
pub fn participation(
    responses_by_area: &BTreeMap<String, u64>,
    population: &[(String, AreaPopulation)],
    under_threshold: f64,
) -> (Vec<AreaParticipation>, ParticipationSummary) {
    let adults = ComparedWith::for_areas(population) == ComparedWith::Adults;
    let bases: Vec<Option<(f64, f64)>> = population.iter().map(|(_, a)| a.compared(adults)).collect();
    let log_se = population_share_log_se(&bases);
    let responses_of = |key: &str| responses_by_area.get(key).copied().unwrap_or(0);
    let n: u64 = population.iter().zip(&bases).filter(|(_, b)| b.is_some()).map(|((k, _), _)| responses_of(k)).sum();
    let placed: u64 = population.iter().map(|(k, _)| responses_of(k)).sum();
    let total: u64 = responses_by_area.values().sum();
    let p: f64 = bases.iter().flatten().map(|b| b.0).sum();
    let mut rows = Vec::with_capacity(population.len());
    let mut dissimilarity = 0.0;
    for (((key, area), base), log_se) in population.iter().zip(&bases).zip(log_se) {
        let responses = responses_of(key);
        let counted = base.is_some() && n > 0;
        let response_share = if counted { responses as f64 / n as f64 } else { 0.0 };
        let population_share = base.filter(|_| p > 0.0).map(|(b, _)| b / p);
        let ratio = population_share.filter(|_| counted).and_then(|s| representation_ratio(responses, n, s, log_se));
        if let Some(s) = population_share {
            dissimilarity += (response_share - s).abs() / 2.0;
        }
        rows.push(AreaParticipation {
            area: key.clone(),
            name: area.name.clone(),
            responses,
            response_share,
            population: base.map(|(b, _)| b),
            population_share,
            population_log_se: log_se,
            per_thousand_residents: base.map(|(b, _)| 1000.0 * responses as f64 / b),
            representation_ratio: ratio,
            representation: Representation::of(ratio, under_threshold),
            responses_needed: population_share.map(|s| needed_to_reach(s, responses, n)),
        });
    }
    let rates: Vec<f64> = rows.iter().filter_map(|r| r.per_thousand_residents).collect();
    let highest = rates.iter().copied().fold(0.0, f64::max);
    let lowest = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let shares: Vec<f64> = rows.iter().filter_map(|r| r.population_share).collect();
    let count = |kind: Representation| rows.iter().filter(|r| r.representation == kind).count();
    let summary = ParticipationSummary {
        responses: total,
        responses_without_area: total - placed,
        responses_without_population: placed - n,
        areas_without_population: rows.iter().filter(|r| r.population.is_none()).map(|r| r.name.clone()).collect(),
        population: p,
        compared_with: if adults { ComparedWith::Adults } else { ComparedWith::AllResidents },
        lowest_to_highest_rate: (highest > 0.0).then(|| lowest / highest),
        dissimilarity_index: dissimilarity,
        dissimilarity_expected: expected_dissimilarity(&shares, n),
        areas_under: count(Representation::Under),
        areas_over: count(Representation::Over),
        areas_too_few_to_tell: count(Representation::TooFewToTell),
        under_threshold,
    };
    (rows, summary)
}

/// x = (s N − n) / (1 − s), at least 0.
fn needed_to_reach(share: f64, responses: u64, total: u64) -> u64 {
    if share >= 1.0 {
        return 0;
    }
    let x = (share * total as f64 - responses as f64) / (1.0 - share);
    if x > 0.0 { x.ceil() as u64 } else { 0 }
}

/// Respondents compared with residents on one group of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupComparison {
    pub group: String,
    pub respondents: u64,
    /// Among respondents whose group on this dimension is known.
    pub respondent_share: f64,
    /// Among residents in the groups respondents can fall in.
    pub population_share: f64,
}

/// One dimension's comparison, citywide or for one area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemographicComparison {
    pub dimension: String,
    /// Respondents who did not say (or whose answer maps to no population group).
    pub unknown: u64,
    pub groups: Vec<GroupComparison>,
}

/// Respondent vs resident shares on each weighting dimension that has population figures for
/// these areas. `respondents[(dimension index, group)]` counts respondents; `None` group keys
/// (unknown) are under the empty string.
pub fn demographic_comparison(
    respondents: &BTreeMap<(usize, String), u64>,
    areas: &[&AreaPopulation],
) -> Vec<DemographicComparison> {
    let mut out = Vec::new();
    for (d, dimension) in WEIGHTING_DIMENSIONS.iter().enumerate() {
        let groups = weighting_groups(d);
        let residents: Vec<f64> = groups
            .iter()
            .map(|g| areas.iter().filter_map(|a| a.groups.get(&((*dimension).to_owned(), (*g).to_owned()))).sum())
            .collect();
        let resident_total: f64 = residents.iter().sum();
        if resident_total <= 0.0 {
            continue;
        }
        let counts: Vec<u64> =
            groups.iter().map(|g| respondents.get(&(d, (*g).to_owned())).copied().unwrap_or(0)).collect();
        let known: u64 = counts.iter().sum();
        out.push(DemographicComparison {
            dimension: (*dimension).to_owned(),
            unknown: respondents.get(&(d, String::new())).copied().unwrap_or(0),
            groups: groups
                .iter()
                .zip(counts)
                .zip(residents)
                .map(|((g, count), resident)| GroupComparison {
                    group: (*g).to_owned(),
                    respondents: count,
                    respondent_share: if known > 0 { count as f64 / known as f64 } else { 0.0 },
                    population_share: resident / resident_total,
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(name: &str, total: f64) -> AreaPopulation {
        AreaPopulation { name: name.into(), total: Some(total), ..AreaPopulation::default() }
    }

    #[test]
    fn shares_ratios_and_the_city_summary() {
        // Populations 1000 / 3000 / 6000 (10%, 30%, 60%); responses 30 / 30 / 40 (N = 100).
        let population =
            vec![("a".into(), area("A", 1000.0)), ("b".into(), area("B", 3000.0)), ("c".into(), area("C", 6000.0))];
        let responses = BTreeMap::from([("a".into(), 30), ("b".into(), 30), ("c".into(), 40), ("".into(), 5)]);
        let (rows, summary) = participation(&responses, &population, 0.8);
        assert!((rows[0].representation_ratio.expect("ratio").value - 3.0).abs() < 1e-12, "30% of responses ÷ 10%");
        assert_eq!(rows[0].representation, Representation::Over, "2.19 to 3.96: all of it over 1.25");
        assert_eq!(rows[1].representation, Representation::TooFewToTell, "ratio 1, but 0.73 to 1.32");
        assert!((rows[2].representation_ratio.expect("ratio").value - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            rows[2].representation,
            Representation::TooFewToTell,
            "0.67 is under 0.8, but its interval reaches 0.83: flagged by the interval, not the point"
        );
        assert_eq!(rows[0].per_thousand_residents, Some(30.0));
        // Wilson on 40/100 is 0.3094 to 0.4980; ÷ 0.6 gives 0.5157 to 0.8300.
        let c = rows[2].representation_ratio.expect("ratio");
        assert!((c.low - 0.5157).abs() < 1e-4 && (c.high - 0.8300).abs() < 1e-4, "{c:?}");
        // C needs x with (40 + x) / (100 + x) = 0.6: x = (60 − 40) / 0.4 = 50.
        assert_eq!(rows[2].responses_needed, Some(50));
        assert_eq!(rows[0].responses_needed, Some(0));
        // D = ½ (|.3 − .1| + |.3 − .3| + |.4 − .6|) = 0.2; rates 30, 10, 6.67 per 1000.
        assert!((summary.dissimilarity_index - 0.2).abs() < 1e-12);
        assert!((summary.lowest_to_highest_rate.expect("rates") - (40.0 / 6.0) / 30.0).abs() < 1e-12);
        assert_eq!((summary.responses, summary.responses_without_area), (105, 5));
        assert_eq!((summary.areas_under, summary.areas_over, summary.areas_too_few_to_tell), (0, 1, 2));
        assert_eq!(summary.compared_with, ComparedWith::AllResidents, "no under-18s in the tables");
    }

    #[test]
    fn an_area_is_flagged_only_when_its_whole_interval_is_past_the_threshold() {
        let ratio = |low: f64, high: f64| Some(Estimate { value: (low + high) / 2.0, low, high });
        assert_eq!(Representation::of(ratio(0.3, 0.8), 0.8), Representation::Under);
        assert_eq!(Representation::of(ratio(0.3, 0.81), 0.8), Representation::TooFewToTell);
        assert_eq!(Representation::of(ratio(1.25, 2.0), 0.8), Representation::Over);
        assert_eq!(Representation::of(ratio(0.81, 1.2), 0.8), Representation::InProportion);
        assert_eq!(Representation::of(ratio(0.0, 9.0), 0.8), Representation::TooFewToTell);
        assert_eq!(Representation::of(None, 0.8), Representation::Unknown);
    }

    #[test]
    fn an_area_without_population_is_left_out_of_both_shares() {
        let population = vec![
            ("a".into(), area("A", 1000.0)),
            ("b".into(), AreaPopulation { name: "B".into(), ..AreaPopulation::default() }),
            ("c".into(), area("C", 1000.0)),
        ];
        let responses = BTreeMap::from([("a".into(), 10), ("b".into(), 10), ("c".into(), 10)]);
        let (rows, summary) = participation(&responses, &population, 0.8);
        assert_eq!(rows[1].representation, Representation::Unknown);
        assert_eq!(rows[1].representation_ratio, None);
        assert_eq!(summary.population, 2000.0);
        // A: 10 of the 20 responses in areas with population, and half the residents.
        assert!((rows[0].response_share - 0.5).abs() < 1e-12, "{:?}", rows[0]);
        assert!((rows[0].representation_ratio.expect("ratio").value - 1.0).abs() < 1e-12);
        assert!(summary.dissimilarity_index.abs() < 1e-12);
        assert_eq!(summary.responses_without_population, 10);
        assert_eq!(summary.areas_without_population, vec!["B".to_owned()]);
    }

    #[test]
    fn adult_respondents_are_compared_with_adult_residents_in_every_area() {
        let with_children = |name: &str, total: f64, children: f64| {
            let mut a = area(name, total);
            a.groups.insert(("age".into(), "under_18".into()), children);
            a
        };
        // A: 1000 residents, 500 of them children; B: 1000, none. Responses 10 and 20.
        let population =
            vec![("a".into(), with_children("A", 1000.0, 500.0)), ("b".into(), with_children("B", 1000.0, 0.0))];
        let responses = BTreeMap::from([("a".into(), 10), ("b".into(), 20)]);
        let (rows, summary) = participation(&responses, &population, 0.8);
        assert_eq!(summary.compared_with, ComparedWith::Adults);
        assert_eq!(summary.population, 1500.0);
        assert!(
            (rows[0].representation_ratio.expect("ratio").value - 1.0).abs() < 1e-12,
            "10/30 of responses, 500/1500 adults"
        );
        assert_eq!(rows[0].population, Some(500.0));
        // When one table has no under-18s, every area is compared with all its residents.
        let population = vec![("a".into(), with_children("A", 1000.0, 500.0)), ("b".into(), area("B", 1000.0))];
        let (rows, summary) = participation(&responses, &population, 0.8);
        assert_eq!(summary.compared_with, ComparedWith::AllResidents);
        assert!((rows[0].representation_ratio.expect("ratio").value - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn the_census_margin_of_error_widens_the_ratio() {
        // Known populations: the interval is the Wilson interval divided by the share.
        let known = representation_ratio(40, 100, 0.6, 0.0).expect("ratio");
        assert!((known.low - 0.5157).abs() < 1e-4 && (known.high - 0.8300).abs() < 1e-4, "{known:?}");
        // Two areas of 1000 ± 164.5 (90%), i.e. σ = 100 each: the share ½ has
        // var(log) = (1/1000 − 1/2000)² · 100² + 100² / 2000² = 0.005.
        let margin = Some(Z90 * 100.0);
        let a = AreaPopulation { total_margin: margin, ..area("A", 1000.0) };
        let log_se = population_share_log_se(&[a.compared(false), a.compared(false)]);
        assert!((log_se[0] - 0.005f64.sqrt()).abs() < 1e-12, "{log_se:?}");
        let wider = representation_ratio(40, 100, 0.6, log_se[0]).expect("ratio");
        assert_eq!(wider.value, known.value);
        // Square and add on the log scale: ln(low) = ln(r) − √(ln(r/low)² + (1.96 · 0.0707)²).
        let expected_low =
            known.value * (-((known.value / known.low).ln().powi(2) + (Z95 * log_se[0]).powi(2)).sqrt()).exp();
        assert!((wider.low - expected_low).abs() < 1e-12 && wider.high > known.high, "{wider:?}");
        // The adults' margin is the root of the sum of squares of the total's and the children's.
        let mut b = AreaPopulation { total_margin: Some(30.0), ..area("B", 1000.0) };
        b.groups.insert(("age".into(), "under_18".into()), 200.0);
        b.margins.insert(("age".into(), "under_18".into()), 40.0);
        let (adults, se) = b.compared(true).expect("adults");
        assert_eq!(adults, 800.0);
        assert!((se - 50.0 / Z90).abs() < 1e-12);
    }

    #[test]
    fn the_dissimilarity_expected_by_chance() {
        // Two halves, two responses: D is ½ when both come from one half (probability ½), else 0.
        assert!((expected_dissimilarity(&[0.5, 0.5], 2) - 0.25).abs() < 1e-12);
        // The case: 462 equal areas and 2,400 perfectly proportional responses.
        let expected = expected_dissimilarity(&vec![1.0 / 462.0; 462], 2400);
        assert!((expected - 0.17).abs() < 0.01, "{expected}");
        assert_eq!(expected_dissimilarity(&[1.0], 100), 0.0, "one area: always in proportion");
    }

    #[test]
    fn respondents_are_compared_with_adult_residents() {
        let mut a = area("A", 1000.0);
        for (group, count) in [("under_18", 250.0), ("18_to_64", 600.0), ("65_plus", 150.0)] {
            a.groups.insert(("age".into(), group.into()), count);
        }
        let respondents = BTreeMap::from([
            ((0, "18_to_64".to_owned()), 60),
            ((0, "65_plus".to_owned()), 40),
            ((0, String::new()), 9),
        ]);
        let comparison = demographic_comparison(&respondents, &[&a]);
        assert_eq!(comparison.len(), 1, "only age has figures");
        let age = &comparison[0];
        assert_eq!(age.unknown, 9);
        assert!((age.groups[1].population_share - 0.2).abs() < 1e-12, "150 of 750 adults");
        assert!((age.groups[1].respondent_share - 0.4).abs() < 1e-12);
    }
}

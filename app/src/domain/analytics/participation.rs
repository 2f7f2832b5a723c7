//! Who answered compared with who lives there: participation and representation by area, and
//! respondents compared with residents on each demographic with population figures.
//!
//! - Representation ratio of area *a*: (n_a / N) ÷ (P_a / P). Its interval is the Wilson
//!   interval of the response share n_a / N divided by the population share, which is taken as
//!   known (census counts; their own error is far smaller than a survey's).
//! - Dissimilarity index: D = ½ Σ |n_a / N − P_a / P|, the share of responses that would have
//!   to come from other areas for every area to be heard in proportion (0 = perfect).
//! - Responses needed for area *a* to reach its population share s_a, if every new response
//!   came from it: x = (s_a N − n_a) / (1 − s_a).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::intervals::{Estimate, wilson};
use super::tally::{WEIGHTING_DIMENSIONS, weighting_groups};

/// An area's population: its total and its groups (`(dimension, group)` → count).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaPopulation {
    pub name: String,
    pub total: Option<f64>,
    pub groups: BTreeMap<(String, String), f64>,
}

/// Whether an area is heard in proportion to its population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Representation {
    Under,
    InProportion,
    Over,
    /// No population figure: no ratio can be computed.
    Unknown,
}

/// One area's participation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaParticipation {
    pub area: String,
    pub name: String,
    pub responses: u64,
    pub response_share: f64,
    pub population: Option<f64>,
    pub population_share: Option<f64>,
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
    pub population: f64,
    /// Lowest ÷ highest responses per resident among areas with population (0–1; 1 = even).
    pub lowest_to_highest_rate: Option<f64>,
    pub dissimilarity_index: f64,
    pub areas_under: usize,
    pub areas_over: usize,
    /// A ratio at or below this is under-represented; at or above its inverse, over.
    pub under_threshold: f64,
}

/// Participation by area, in the order of `population` (the area set's order).
pub fn participation(
    responses_by_area: &BTreeMap<String, u64>,
    population: &[(String, AreaPopulation)],
    under_threshold: f64,
) -> (Vec<AreaParticipation>, ParticipationSummary) {
    let known_areas: BTreeMap<&str, ()> = population.iter().map(|(k, _)| (k.as_str(), ())).collect();
    let n: u64 = responses_by_area.iter().filter(|(a, _)| known_areas.contains_key(a.as_str())).map(|(_, c)| c).sum();
    let total: u64 = responses_by_area.values().sum();
    let p: f64 = population.iter().filter_map(|(_, a)| a.total).filter(|t| *t > 0.0).sum();
    let over_threshold = if under_threshold > 0.0 { 1.0 / under_threshold } else { f64::INFINITY };
    let mut rows = Vec::with_capacity(population.len());
    let mut dissimilarity = 0.0;
    for (key, area) in population {
        let responses = responses_by_area.get(key).copied().unwrap_or(0);
        let response_share = if n > 0 { responses as f64 / n as f64 } else { 0.0 };
        let population_share = area.total.filter(|t| *t > 0.0 && p > 0.0).map(|t| t / p);
        let ratio = population_share.and_then(|s| {
            wilson(response_share, n as f64).map(|w| Estimate { value: w.value / s, low: w.low / s, high: w.high / s })
        });
        if let Some(s) = population_share {
            dissimilarity += (response_share - s).abs() / 2.0;
        }
        let representation = match ratio {
            None => Representation::Unknown,
            Some(r) if r.value <= under_threshold => Representation::Under,
            Some(r) if r.value >= over_threshold => Representation::Over,
            Some(_) => Representation::InProportion,
        };
        rows.push(AreaParticipation {
            area: key.clone(),
            name: area.name.clone(),
            responses,
            response_share,
            population: area.total,
            population_share,
            per_thousand_residents: area.total.filter(|t| *t > 0.0).map(|t| 1000.0 * responses as f64 / t),
            representation_ratio: ratio,
            representation,
            responses_needed: population_share.map(|s| needed_to_reach(s, responses, n)),
        });
    }
    let rates: Vec<f64> = rows.iter().filter_map(|r| r.per_thousand_residents).collect();
    let highest = rates.iter().copied().fold(0.0, f64::max);
    let lowest = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let summary = ParticipationSummary {
        responses: total,
        responses_without_area: total - n,
        population: p,
        lowest_to_highest_rate: (highest > 0.0).then(|| lowest / highest),
        dissimilarity_index: dissimilarity,
        areas_under: rows.iter().filter(|r| r.representation == Representation::Under).count(),
        areas_over: rows.iter().filter(|r| r.representation == Representation::Over).count(),
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
        AreaPopulation { name: name.into(), total: Some(total), groups: BTreeMap::new() }
    }

    #[test]
    fn shares_ratios_and_the_city_summary() {
        // Populations 1000 / 3000 / 6000 (10%, 30%, 60%); responses 30 / 30 / 40 (N = 100).
        let population =
            vec![("a".into(), area("A", 1000.0)), ("b".into(), area("B", 3000.0)), ("c".into(), area("C", 6000.0))];
        let responses = BTreeMap::from([("a".into(), 30), ("b".into(), 30), ("c".into(), 40), ("".into(), 5)]);
        let (rows, summary) = participation(&responses, &population, 0.8);
        assert!((rows[0].representation_ratio.expect("ratio").value - 3.0).abs() < 1e-12, "30% of responses ÷ 10%");
        assert_eq!(rows[0].representation, Representation::Over);
        assert_eq!(rows[1].representation, Representation::InProportion, "ratio 1");
        assert!((rows[2].representation_ratio.expect("ratio").value - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(rows[2].representation, Representation::Under);
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
        assert_eq!((summary.areas_under, summary.areas_over), (1, 1));
    }

    #[test]
    fn an_area_without_population_has_no_ratio() {
        let population = vec![
            ("a".into(), area("A", 1000.0)),
            ("b".into(), AreaPopulation { name: "B".into(), ..AreaPopulation::default() }),
        ];
        let (rows, summary) = participation(&BTreeMap::from([("b".into(), 7)]), &population, 0.8);
        assert_eq!(rows[1].representation, Representation::Unknown);
        assert_eq!(rows[1].representation_ratio, None);
        assert_eq!(summary.population, 1000.0);
        assert_eq!(rows[0].representation, Representation::Under, "0 of 7 responses from all the residents");
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

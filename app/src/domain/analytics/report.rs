//! A survey's whole analysis from its tally: weighting, participation, respondents vs residents
//! and answers by area — the one computation behind the API, the CSV and the dashboards.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::participation::{
    AreaParticipation, AreaPopulation, ComparedWith, DemographicComparison, ParticipationSummary,
    demographic_comparison, participation,
};
use super::raking::{Margin, MarginReport, RakingCell, RakingOptions, rake};
use super::results::{PartResult, WeightedCell, question_results};
use super::tally::{CellKey, PROFILE_PREFIX, Profile, Tally, WEIGHTING_DIMENSIONS, weighting_groups};
use crate::domain::survey::model::SurveyDefinition;

/// The margin name for the area set.
pub const AREA_MARGIN: &str = "area";

/// What staff ask of the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightingRequest {
    /// `area` and any of [`WEIGHTING_DIMENSIONS`].
    pub margins: Vec<String>,
    pub options: RakingOptions,
}

/// How the weights came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightingSummary {
    pub margins: Vec<MarginReport>,
    pub options: RakingOptions,
    pub iterations: usize,
    pub converged: bool,
    /// Trim-and-rake rounds run.
    #[serde(default)]
    pub trim_rounds: usize,
    pub trimmed_cells: usize,
    pub respondents: f64,
    pub effective_n: f64,
    pub design_effect: f64,
    pub smallest_weight: f64,
    pub largest_weight: f64,
}

/// The analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub respondents: u64,
    pub weighting: Option<WeightingSummary>,
    pub participation: Vec<AreaParticipation>,
    pub summary: ParticipationSummary,
    /// Citywide respondents vs residents on each dimension with population figures.
    pub demographics: Vec<DemographicComparison>,
    /// The same per area (areas with respondents).
    pub demographics_by_area: BTreeMap<String, Vec<DemographicComparison>>,
    pub questions: Vec<PartResult>,
}

/// Everything the analysis reads.
pub struct ReportInput<'a> {
    pub survey: &'a SurveyDefinition,
    pub tally: &'a Tally,
    /// The area set's areas in order, with population.
    pub areas: &'a [(String, AreaPopulation)],
    pub weighting: Option<&'a WeightingRequest>,
    pub under_threshold: f64,
    /// Cross-tab: answers broken down by these groups (option key, label) of another question,
    /// read from each cell's `by`, instead of by area.
    pub cross_by: Option<&'a [(String, String)]>,
    /// Only these questions' results (`None`: every question).
    pub questions: Option<&'a [String]>,
    /// The whole sample the weights are computed on when `tally` is a part of it (a group or a
    /// date range: domain estimation). Its respondents' weights are given to `tally`'s by area
    /// and profile, so a subgroup is never raked to the whole city's margins on its own.
    pub weighting_sample: Option<&'a Tally>,
}

/// Why the weights cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeightingProblem {
    #[error("unknown weighting margin `{0}`; use area, age, race_ethnicity or tenure")]
    UnknownMargin(String),
    #[error("the area set has no population figures for `{0}`")]
    NoPopulation(String),
}

/// The weight of each cell (in `tally.cells` order) and the summary, or every weight 1.
pub fn weights(input: &ReportInput<'_>) -> Result<(Vec<f64>, Option<WeightingSummary>), WeightingProblem> {
    let Some(request) = input.weighting.filter(|r| !r.margins.is_empty()) else {
        return Ok((vec![1.0; input.tally.cells.len()], None));
    };
    let mut margins = Vec::new();
    let mut membership: Vec<Membership<'_>> = Vec::new();
    for name in &request.margins {
        if name == AREA_MARGIN {
            // The residents respondents are compared with (adults where the tables allow), as
            // in participation. An area without a figure is no group of the margin: its
            // respondents are unknown on it and keep their weight, never 0.
            let adults = ComparedWith::for_areas(input.areas) == ComparedWith::Adults;
            let with_population: Vec<(&str, f64)> = input
                .areas
                .iter()
                .filter_map(|(key, a)| a.compared(adults).map(|(people, _)| (key.as_str(), people)))
                .collect();
            if with_population.is_empty() {
                return Err(WeightingProblem::NoPopulation(name.clone()));
            }
            margins.push(Margin {
                name: name.clone(),
                groups: with_population.iter().map(|(key, _)| (*key).to_owned()).collect(),
                population: with_population.iter().map(|(_, people)| *people).collect(),
            });
            membership
                .push(Membership::Area(with_population.iter().enumerate().map(|(i, (key, _))| (*key, i)).collect()));
            continue;
        }
        let d = WEIGHTING_DIMENSIONS
            .iter()
            .position(|dim| dim == name)
            .ok_or_else(|| WeightingProblem::UnknownMargin(name.clone()))?;
        let groups = weighting_groups(d);
        let population: Vec<f64> = groups
            .iter()
            .map(|g| input.areas.iter().filter_map(|(_, a)| a.groups.get(&(name.clone(), (*g).to_owned()))).sum())
            .collect();
        if population.iter().all(|p| *p <= 0.0) {
            return Err(WeightingProblem::NoPopulation(name.clone()));
        }
        margins.push(Margin {
            name: name.clone(),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            population,
        });
        membership.push(Membership::Dimension(d, groups));
    }
    let cells: Vec<RakingCell> = input
        .tally
        .cells
        .iter()
        .map(|(key, counts)| RakingCell {
            count: counts.respondents,
            groups: membership.iter().map(|m| m.of(key)).collect(),
        })
        .collect();
    let raking = rake(&cells, &margins, request.options);
    let occupied = || raking.weights.iter().zip(&cells).filter(|(_, c)| c.count > 0.0).map(|(w, _)| *w);
    let summary = WeightingSummary {
        smallest_weight: occupied().fold(f64::INFINITY, f64::min),
        largest_weight: occupied().fold(0.0, f64::max),
        margins: raking.margins,
        options: request.options,
        iterations: raking.iterations,
        converged: raking.converged,
        trim_rounds: raking.trim_rounds,
        trimmed_cells: raking.trimmed_cells,
        respondents: raking.respondents,
        effective_n: raking.effective_n,
        design_effect: raking.design_effect,
    };
    Ok((raking.weights, Some(summary)))
}

/// How a cell's group on one margin is found.
enum Membership<'a> {
    /// The area's position in the set.
    Area(BTreeMap<&'a str, usize>),
    /// A weighting dimension (index into [`WEIGHTING_DIMENSIONS`]) and its groups.
    Dimension(usize, &'static [&'static str]),
}

impl Membership<'_> {
    fn of(&self, cell: &CellKey) -> Option<usize> {
        match self {
            Membership::Area(index) => index.get(cell.area.as_str()).copied(),
            Membership::Dimension(d, groups) => {
                cell.profile.group(*d).and_then(|g| groups.iter().position(|known| *known == g))
            }
        }
    }
}

/// The weights of `input.tally`'s cells: computed on the tally itself, or on the whole sample
/// and looked up by area and profile (the weighting variables, so every respondent of a cell of
/// the whole sample has its weight). A cell the whole sample lacks (a response stored between
/// the two reads) weighs the mean, 1.
fn domain_weights(input: &ReportInput<'_>) -> Result<(Vec<f64>, Option<WeightingSummary>), WeightingProblem> {
    let Some(sample) = input.weighting_sample.filter(|_| input.weighting.is_some()) else { return weights(input) };
    let (sample_weights, summary) = weights(&ReportInput { tally: sample, weighting_sample: None, ..*input })?;
    let by_cell: BTreeMap<(&str, &Profile), f64> =
        sample.cells.keys().map(|k| (k.area.as_str(), &k.profile)).zip(sample_weights).collect();
    let weights =
        input.tally.cells.keys().map(|k| by_cell.get(&(k.area.as_str(), &k.profile)).copied().unwrap_or(1.0)).collect();
    Ok((weights, summary))
}

/// The whole analysis.
pub fn report(input: &ReportInput<'_>) -> Result<Report, WeightingProblem> {
    let (weights, weighting) = domain_weights(input)?;
    let mut responses_by_area: BTreeMap<String, u64> = BTreeMap::new();
    let mut demographic_counts: BTreeMap<String, BTreeMap<(usize, String), u64>> = BTreeMap::new();
    let mut citywide_counts: BTreeMap<(usize, String), u64> = BTreeMap::new();
    for (key, counts) in &input.tally.cells {
        *responses_by_area.entry(key.area.clone()).or_default() += counts.respondents.round() as u64;
        for (d, dimension) in WEIGHTING_DIMENSIONS.iter().enumerate() {
            let question = format!("{PROFILE_PREFIX}{dimension}");
            for ((_, group), sums) in
                counts.answers.range((question.clone(), String::new())..).take_while(|((q, _), _)| *q == question)
            {
                let n = sums.count.round() as u64;
                *citywide_counts.entry((d, group.clone())).or_default() += n;
                if !key.area.is_empty() {
                    *demographic_counts.entry(key.area.clone()).or_default().entry((d, group.clone())).or_default() +=
                        n;
                }
            }
        }
    }
    let (participation, summary) = participation(&responses_by_area, input.areas, input.under_threshold);
    let all_areas: Vec<&AreaPopulation> = input.areas.iter().map(|(_, a)| a).collect();
    let demographics = demographic_comparison(&citywide_counts, &all_areas);
    let by_key: BTreeMap<&str, &AreaPopulation> = input.areas.iter().map(|(k, a)| (k.as_str(), a)).collect();
    let demographics_by_area = demographic_counts
        .iter()
        .filter_map(|(area, counts)| {
            by_key.get(area.as_str()).map(|a| (area.clone(), demographic_comparison(counts, &[a])))
        })
        .collect();
    let known: BTreeMap<&str, ()> = input.areas.iter().map(|(k, _)| (k.as_str(), ())).collect();
    let cells: Vec<WeightedCell<'_>> = input
        .tally
        .cells
        .iter()
        .zip(&weights)
        .map(|((key, tally), weight)| WeightedCell {
            group: match input.cross_by {
                Some(_) => (!key.by.is_empty()).then_some(key.by.as_str()),
                None => known.contains_key(key.area.as_str()).then_some(key.area.as_str()),
            },
            weight: *weight,
            tally,
        })
        .collect();
    let groups: Vec<(String, String)> = match input.cross_by {
        Some(groups) => groups.to_vec(),
        None => input.areas.iter().map(|(k, a)| (k.clone(), a.name.clone())).collect(),
    };
    Ok(Report {
        respondents: input.tally.respondents().round() as u64,
        weighting,
        participation,
        summary,
        demographics,
        demographics_by_area,
        questions: question_results(input.survey, &cells, &groups, input.questions),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::tally::ResponseTally;
    use crate::domain::survey::answers::{Answer, Answers};
    use crate::domain::survey::templates::Template;

    fn area(total: Option<f64>, under_18: Option<f64>) -> AreaPopulation {
        let mut a = AreaPopulation { name: String::new(), total, ..AreaPopulation::default() };
        if let Some(children) = under_18 {
            a.groups.insert(("age".into(), "under_18".into()), children);
        }
        a
    }

    fn survey() -> SurveyDefinition {
        Template::find("community_survey").and_then(|t| t.definition().ok()).expect("template")
    }

    /// `n` respondents in each area, all with the same answer.
    fn tally_of(survey: &SurveyDefinition, responses: &[(&str, usize)]) -> Tally {
        let mut tally = Tally::default();
        for (area, n) in responses {
            for _ in 0..*n {
                let answers = Answers::from([("place_to_live".to_owned(), Answer::Scale(4))]);
                tally.add(ResponseTally::of(survey, Some(area), "open", &answers));
            }
        }
        tally
    }

    /// Analysing `tally` weighted on the area margin only.
    fn weighted_on_areas<'a>(
        survey: &'a SurveyDefinition,
        tally: &'a Tally,
        areas: &'a [(String, AreaPopulation)],
        request: &'a WeightingRequest,
    ) -> ReportInput<'a> {
        ReportInput {
            survey,
            tally,
            areas,
            weighting: Some(request),
            under_threshold: 0.8,
            cross_by: None,
            questions: None,
            weighting_sample: None,
        }
    }

    fn area_margin() -> WeightingRequest {
        WeightingRequest { margins: vec![AREA_MARGIN.into()], options: RakingOptions::default() }
    }

    /// The weight of the cell in `area`, and the respondents unknown on the area margin.
    fn area_weights(areas: &[(String, AreaPopulation)], responses: &[(&str, usize)]) -> (BTreeMap<String, f64>, f64) {
        let (survey, request) = (survey(), area_margin());
        let tally = tally_of(&survey, responses);
        let (weights, summary) = weights(&weighted_on_areas(&survey, &tally, areas, &request)).expect("weights");
        let by_area = tally.cells.keys().map(|k| k.area.clone()).zip(weights).collect();
        (by_area, summary.expect("weighted").margins[0].unknown)
    }

    #[test]
    fn respondents_in_an_area_without_population_keep_their_weight() {
        let areas = vec![("a".into(), area(Some(1000.0), None)), ("b".into(), area(None, None))];
        let (weights, unknown) = area_weights(&areas, &[("a", 10), ("b", 10)]);
        assert!(weights["b"] > 0.0, "b's respondents vanished from every weighted figure: {weights:?}");
        assert_eq!(unknown, 10.0, "they are unknown on the area margin");
    }

    #[test]
    fn the_area_margin_is_adults_where_every_table_has_children() {
        // A: 1000 residents of whom 500 children; B: 1000 of whom none. Adults 500 and 1000.
        let areas = vec![("a".into(), area(Some(1000.0), Some(500.0))), ("b".into(), area(Some(1000.0), Some(0.0)))];
        let (weights, _) = area_weights(&areas, &[("a", 10), ("b", 20)]);
        // 10 and 20 respondents for 500 and 1000 adults: already in proportion, weights equal.
        assert!((weights["a"] - weights["b"]).abs() < 1e-6, "{weights:?}");
    }

    #[test]
    fn a_subgroup_keeps_the_weights_of_the_whole_sample() {
        // The whole sample: 10 respondents in a and 30 in b, for equal populations, so a's
        // weigh 2 and b's 2/3. A subgroup (say, renters) of 5 of a's respondents alone, raked on
        // its own, would weigh 1: a city made of one area.
        let (survey, request) = (survey(), area_margin());
        let (whole, part) = (tally_of(&survey, &[("a", 10), ("b", 30)]), tally_of(&survey, &[("a", 5)]));
        let areas = vec![("a".into(), area(Some(1000.0), None)), ("b".into(), area(Some(1000.0), None))];
        let input = weighted_on_areas(&survey, &part, &areas, &request);
        let (alone, _) = domain_weights(&input).expect("weights");
        assert!((alone[0] - 1.0).abs() < 1e-9, "raked alone: {alone:?}");
        let (domain, summary) =
            domain_weights(&ReportInput { weighting_sample: Some(&whole), ..input }).expect("weights");
        assert!((domain[0] - 2.0).abs() < 1e-6, "the whole sample's weight: {domain:?}");
        assert_eq!(summary.expect("weighted").respondents, 40.0, "the weighting describes the whole sample");
    }
}

//! Answers by group (area, or a demographic group for cross-tabs) and citywide, for every
//! choice, rating, grid, NPS, number, ranking and demographic question, weighted or not.
//!
//! - Proportions: weighted share with a Wilson interval on the effective n of the base.
//! - "Don't know" is left out of the base of ratings and grids and reported on its own.
//! - Ratings and grids: top-2-box (the two highest points; grid scales are listed lowest first).
//! - Ratings, numbers: mean with a t interval; rankings: each option's mean rank.
//! - NPS: promoters − detractors with its interval.
//! - Differences: Pearson's chi-square on groups × answers (single choice, rating, grid
//!   statement, NPS as promoter/passive/detractor). Weighted tables are rescaled to the
//!   effective n first (the first-order Rao–Scott correction). Also the largest gap in the
//!   headline figure between groups with at least [`MIN_BASE_FOR_GAP`] answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::chi_square::{ChiSquare, chi_square};
use super::intervals::{
    Estimate, Moments, Z95, difference_of_means, difference_of_proportions, effective_n, net_promoter_score, wilson,
};
use super::parts::{PartSpec, parts};
use super::tally::{ANSWERED, CellTally, Sums};
use crate::domain::survey::answers::DONT_KNOW;
use crate::domain::survey::model::SurveyDefinition;

pub use super::parts::{PartOutline, outline, part_keys, part_options};

/// Groups with fewer answers than this are left out of the largest gap: a gap between two tiny
/// groups says more about chance than about the city.
pub const MIN_BASE_FOR_GAP: f64 = 30.0;

/// One cell's counts, the group it belongs to (if any) and its weight.
pub struct WeightedCell<'a> {
    pub group: Option<&'a str>,
    pub weight: f64,
    pub tally: &'a CellTally,
}

/// What the headline figure of a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Headline {
    /// Share choosing the most common option citywide.
    TopOption,
    /// Share in the two highest points.
    TopTwoBox,
    NetPromoterScore,
    Mean,
    /// Rankings have no single headline.
    None,
}

/// One option's figures in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionResult {
    pub key: String,
    pub label: String,
    pub count: u64,
    pub weighted: f64,
    /// Of the base; `None` when the base is empty.
    pub share: Option<Estimate>,
    /// Rankings: the option's mean rank (1 = first).
    pub mean_rank: Option<Estimate>,
}

/// A question's (or grid statement's) figures in one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    /// The group's key; `None` for citywide.
    pub group: Option<String>,
    pub label: String,
    /// Respondents who answered, "don't know" included.
    pub answered: u64,
    /// The base of shares and means ("don't know" excluded).
    pub base: u64,
    pub weighted_base: f64,
    pub effective_base: f64,
    pub dont_know: u64,
    pub options: Vec<OptionResult>,
    pub top_two_box: Option<Estimate>,
    pub mean: Option<Estimate>,
    pub net_promoter_score: Option<Estimate>,
    /// The headline figure (see [`Headline`]); shares are 0–1, NPS −100 to 100.
    pub headline: Option<Estimate>,
}

impl GroupResult {
    /// A group nobody in answered, with the options of `like`.
    pub fn empty(group: Option<String>, label: String, like: &GroupResult) -> GroupResult {
        GroupResult {
            group,
            label,
            answered: 0,
            base: 0,
            weighted_base: 0.0,
            effective_base: 0.0,
            dont_know: 0,
            options: like
                .options
                .iter()
                .map(|o| OptionResult {
                    key: o.key.clone(),
                    label: o.label.clone(),
                    count: 0,
                    weighted: 0.0,
                    share: None,
                    mean_rank: None,
                })
                .collect(),
            top_two_box: None,
            mean: None,
            net_promoter_score: None,
            headline: None,
        }
    }
}

/// The largest difference in the headline figure between two groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub highest: String,
    pub lowest: String,
    pub difference: Estimate,
}

/// One question, or one statement of a grid, or one item of a demographics block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartResult {
    /// `question` or `question.statement`.
    pub key: String,
    pub question: String,
    pub kind: String,
    pub text: String,
    pub headline: Headline,
    pub citywide: GroupResult,
    pub groups: Vec<GroupResult>,
    pub differences: Option<ChiSquare>,
    pub largest_gap: Option<Gap>,
    /// Why some of this part's figures could not be computed (they are left out; its counts
    /// and every other question stand): a stored sum that is not a finite number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

/// Why a part's averages are left out when one of its stored sums is not a finite number
/// (only a database from before number answers were bounded can hold one).
pub const SUMS_UNUSABLE: &str = "Averages are unavailable: a stored sum for this question is not a finite number. \
     `canvass survey recount` recounts the survey, leaving out numbers beyond ±10¹⁵.";

/// Results for every analysable part of the survey (or of the questions asked for), in survey
/// order. `groups` lists the groups to report (key, label) in display order.
pub fn question_results(
    survey: &SurveyDefinition,
    cells: &[WeightedCell<'_>],
    groups: &[(String, String)],
    only: Option<&[String]>,
) -> Vec<PartResult> {
    parts(survey)
        .iter()
        .filter(|spec| only.is_none_or(|keys| keys.contains(&spec.question)))
        .map(|spec| part_result(spec, cells, groups))
        .collect()
}

/// Weighted sums of one answer key within one group.
#[derive(Default, Clone, Copy)]
struct Weighted {
    count: f64,
    weighted: f64,
    squared: f64,
    moments: Moments,
}

impl Weighted {
    fn add(&mut self, sums: Sums, w: f64) {
        self.count += sums.count;
        self.weighted += sums.count * w;
        self.squared += sums.count * w * w;
        self.moments.add(sums.count, sums.sum, sums.sum_squares, w);
    }
}

fn part_result(spec: &PartSpec, cells: &[WeightedCell<'_>], groups: &[(String, String)]) -> PartResult {
    let mut by_group: BTreeMap<Option<&str>, BTreeMap<&str, Weighted>> = BTreeMap::new();
    let mut unusable = false;
    for cell in cells {
        for ((question, answer), sums) in cell.tally.answers.range((spec.key.clone(), String::new())..) {
            if question != &spec.key {
                break;
            }
            // One sum that is not finite would make every average of the part NaN or infinite:
            // the counts are kept, the averages are left out and the part says why.
            let mut sums = *sums;
            if !(sums.sum.is_finite() && sums.sum_squares.is_finite()) {
                unusable = true;
                sums = Sums { count: sums.count, ..Sums::default() };
            }
            by_group.entry(None).or_default().entry(answer.as_str()).or_default().add(sums, cell.weight);
            if let Some(group) = cell.group {
                by_group.entry(Some(group)).or_default().entry(answer.as_str()).or_default().add(sums, cell.weight);
            }
        }
    }
    let empty = BTreeMap::new();
    let result = |group: Option<&str>, label: &str| {
        let g = group_result(spec, group, label, by_group.get(&group).unwrap_or(&empty));
        if unusable { without_averages(g) } else { g }
    };
    let citywide = result(None, "Citywide");
    let rows: Vec<GroupResult> = groups.iter().map(|(key, label)| result(Some(key), label)).collect();
    let headline = match spec.headline {
        Headline::TopOption => {
            citywide.options.iter().max_by(|a, b| a.weighted.total_cmp(&b.weighted)).map(|o| o.key.clone())
        }
        _ => None,
    };
    let rows: Vec<GroupResult> = rows.into_iter().map(|g| with_headline(spec, g, headline.as_deref())).collect();
    let citywide = with_headline(spec, citywide, headline.as_deref());
    PartResult {
        key: spec.key.clone(),
        question: spec.question.clone(),
        kind: spec.kind.to_owned(),
        text: spec.text.clone(),
        headline: spec.headline,
        differences: differences(spec, &rows),
        largest_gap: largest_gap(spec, &rows),
        citywide,
        groups: rows,
        unavailable: unusable.then(|| SUMS_UNUSABLE.to_owned()),
    }
}

/// A group's figures without those computed from sums of values (means, mean ranks).
fn without_averages(mut g: GroupResult) -> GroupResult {
    g.mean = None;
    for option in &mut g.options {
        option.mean_rank = None;
    }
    g
}

fn group_result(spec: &PartSpec, group: Option<&str>, label: &str, sums: &BTreeMap<&str, Weighted>) -> GroupResult {
    let get = |key: &str| sums.get(key).copied().unwrap_or_default();
    let answered = get(ANSWERED);
    let dont_know = if spec.has_dont_know { get(DONT_KNOW) } else { Weighted::default() };
    let base_weighted = answered.weighted - dont_know.weighted;
    let base_squared = answered.squared - dont_know.squared;
    let n_eff = effective_n(base_weighted, base_squared);
    let share = |w: f64| (base_weighted > 0.0).then(|| wilson(w / base_weighted, n_eff)).flatten();
    let options = spec
        .options
        .iter()
        .map(|(key, label)| {
            let s = get(key);
            OptionResult {
                key: key.clone(),
                label: label.clone(),
                count: s.count.round() as u64,
                weighted: s.weighted,
                share: share(s.weighted),
                mean_rank: (spec.kind == "ranking").then(|| s.moments.mean().map(|(m, _)| m)).flatten(),
            }
        })
        .collect::<Vec<_>>();
    let top_two_box =
        (!spec.top_two.is_empty()).then(|| share(spec.top_two.iter().map(|k| get(k).weighted).sum())).flatten();
    let mean = match spec.kind {
        "number" => answered.moments.mean().map(|(m, _)| m),
        "rating" | "nps" => {
            let mut m = Moments::default();
            for (key, _) in &spec.options {
                let s = get(key).moments;
                m.weight += s.weight;
                m.sum += s.sum;
                m.sum_squares += s.sum_squares;
                m.squared_weight += s.squared_weight;
            }
            m.mean().map(|(m, _)| m)
        }
        _ => None,
    };
    let net_promoter_score = (spec.kind == "nps")
        .then(|| {
            let sum = |range: std::ops::RangeInclusive<i32>| range.map(|p| get(&p.to_string()).weighted).sum::<f64>();
            net_promoter_score(sum(9..=10), sum(7..=8), sum(0..=6), n_eff)
        })
        .flatten();
    GroupResult {
        group: group.map(str::to_owned),
        label: label.to_owned(),
        answered: answered.count.round() as u64,
        base: (answered.count - dont_know.count).round() as u64,
        weighted_base: base_weighted,
        effective_base: n_eff,
        dont_know: dont_know.count.round() as u64,
        options,
        top_two_box,
        mean,
        net_promoter_score,
        headline: None,
    }
}

fn with_headline(spec: &PartSpec, mut g: GroupResult, top_option: Option<&str>) -> GroupResult {
    g.headline = match spec.headline {
        Headline::TopOption => top_option.and_then(|k| g.options.iter().find(|o| o.key == k)).and_then(|o| o.share),
        Headline::TopTwoBox => g.top_two_box,
        Headline::NetPromoterScore => g.net_promoter_score,
        Headline::Mean => g.mean,
        Headline::None => None,
    };
    g
}

/// Chi-square on groups × answers, with weighted counts rescaled to the effective n.
fn differences(spec: &PartSpec, rows: &[GroupResult]) -> Option<ChiSquare> {
    if !spec.exclusive {
        return None;
    }
    let table: Vec<Vec<f64>> = rows
        .iter()
        .filter(|g| g.weighted_base > 0.0)
        .map(|g| {
            let scale = g.effective_base / g.weighted_base;
            let cells: Vec<f64> = g.options.iter().map(|o| o.weighted * scale).collect();
            if spec.kind == "nps" {
                // Promoters, passives, detractors: eleven sparse points would break the test.
                vec![cells[9..].iter().sum(), cells[7..9].iter().sum(), cells[..7].iter().sum()]
            } else {
                cells
            }
        })
        .collect();
    chi_square(&table)
}

fn largest_gap(spec: &PartSpec, rows: &[GroupResult]) -> Option<Gap> {
    let eligible: Vec<(&GroupResult, Estimate)> =
        rows.iter().filter(|g| g.base as f64 >= MIN_BASE_FOR_GAP).filter_map(|g| g.headline.map(|h| (g, h))).collect();
    let high = eligible.iter().max_by(|a, b| a.1.value.total_cmp(&b.1.value))?;
    let low = eligible.iter().min_by(|a, b| a.1.value.total_cmp(&b.1.value))?;
    if high.0.group == low.0.group {
        return None;
    }
    let difference = match spec.headline {
        Headline::TopOption | Headline::TopTwoBox => difference_of_proportions(high.1, low.1),
        _ => difference_of_means(high.1, low.1, Z95, Z95),
    };
    Some(Gap { highest: high.0.label.clone(), lowest: low.0.label.clone(), difference })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::tally::{ResponseTally, Tally};
    use crate::domain::survey::answers::{Answer, Answers};
    use crate::domain::survey::templates::Template;

    fn survey() -> SurveyDefinition {
        Template::find("community_survey").and_then(|t| t.definition().ok()).expect("template")
    }

    fn rating(point: Option<i32>) -> Answers {
        let answer = point.map_or(Answer::DontKnow, Answer::Scale);
        Answers::from([("place_to_live".to_owned(), answer)])
    }

    /// Area `a`: ratings 5,5,4,2 and one don't know; area `b`: 1,1,2,3.
    fn tally() -> Tally {
        let survey = survey();
        let mut tally = Tally::default();
        for (area, point) in [
            ("a", Some(5)),
            ("a", Some(5)),
            ("a", Some(4)),
            ("a", Some(2)),
            ("a", None),
            ("b", Some(1)),
            ("b", Some(1)),
            ("b", Some(2)),
            ("b", Some(3)),
        ] {
            tally.add(ResponseTally::of(&survey, Some(area), "open", &rating(point)));
        }
        tally
    }

    fn place_to_live(results: &[PartResult]) -> &PartResult {
        results.iter().find(|p| p.key == "place_to_live").expect("the question")
    }

    #[test]
    fn a_sum_that_is_not_finite_takes_out_its_questions_averages_only() {
        let survey = survey();
        let mut tally = tally();
        for value in [10.0, 20.0] {
            let answers = Answers::from([("years_in_city".to_owned(), Answer::Number(value))]);
            tally.add(ResponseTally::of(&survey, Some("a"), "open", &answers));
        }
        let city = |tally: &Tally| {
            let cells: Vec<WeightedCell<'_>> =
                tally.cells.values().map(|t| WeightedCell { group: None, weight: 1.0, tally: t }).collect();
            question_results(&survey, &cells, &[], None)
        };
        let years = |results: &[PartResult]| results.iter().find(|p| p.key == "years_in_city").cloned().expect("years");
        let fine = years(&city(&tally));
        assert_eq!((fine.citywide.mean.map(|m| m.value), fine.unavailable), (Some(15.0), None));
        // What an old database holds after an answer of 1e200: its square summed to infinity.
        for cell in tally.cells.values_mut() {
            if let Some(sums) = cell.answers.get_mut(&("years_in_city".to_owned(), ANSWERED.to_owned())) {
                sums.sum_squares = f64::INFINITY;
            }
        }
        let results = city(&tally);
        let broken = years(&results);
        assert_eq!(broken.citywide.mean, None);
        assert_eq!(broken.citywide.headline, None);
        assert_eq!(broken.citywide.answered, 2, "the counts stand");
        assert_eq!(broken.unavailable.as_deref(), Some(SUMS_UNUSABLE));
        let other = place_to_live(&results);
        assert!(other.citywide.mean.is_some() && other.unavailable.is_none(), "other questions are untouched");
    }

    #[test]
    fn ratings_by_area_leave_dont_know_out_of_the_base() {
        let tally = tally();
        let cells: Vec<WeightedCell<'_>> = tally
            .cells
            .iter()
            .map(|(k, t)| WeightedCell { group: Some(k.area.as_str()), weight: 1.0, tally: t })
            .collect();
        let groups = [("a".to_owned(), "Area A".to_owned()), ("b".to_owned(), "Area B".to_owned())];
        let results = question_results(&survey(), &cells, &groups, None);
        let part = place_to_live(&results);
        let a = &part.groups[0];
        assert_eq!((a.answered, a.base, a.dont_know), (5, 4, 1));
        // Top-2-box in A: 5, 5, 4 of 4 answers = 0.75; Wilson(0.75, 4) = 0.3006 to 0.9544.
        let top = a.top_two_box.expect("top-2-box");
        assert!((top.value - 0.75).abs() < 1e-12 && (top.low - 0.3006).abs() < 1e-4, "{top:?}");
        // Mean in A: (5 + 5 + 4 + 2) / 4 = 4.
        assert!((a.mean.expect("mean").value - 4.0).abs() < 1e-12);
        assert_eq!(a.options[4].count, 2, "two fives");
        assert_eq!(part.citywide.base, 8);
        assert_eq!(part.headline, Headline::TopTwoBox);
        assert!(part.differences.is_some(), "a rating gets a chi-square");
        assert_eq!(part.largest_gap, None, "both areas are under the minimum base for a gap");
        assert_eq!(
            results.iter().find(|p| p.key == "top_issues").map(|p| p.differences),
            Some(None),
            "no test for multiple choice"
        );
    }

    #[test]
    fn weights_change_estimates_and_shrink_the_effective_base() {
        let tally = tally();
        // Area A's respondents count twice as much as B's.
        let cells: Vec<WeightedCell<'_>> = tally
            .cells
            .iter()
            .map(|(k, t)| WeightedCell {
                group: Some(k.area.as_str()),
                weight: if k.area == "a" { 2.0 } else { 1.0 },
                tally: t,
            })
            .collect();
        let results = question_results(&survey(), &cells, &[], None);
        let city = &place_to_live(&results).citywide;
        // Weighted top-2-box: (2·3) / (2·4 + 4) = 0.5, where unweighted it is 3 / 8.
        assert!((city.top_two_box.expect("top").value - 0.5).abs() < 1e-12);
        // n_eff = 12² / (4·4 + 4·1) = 7.2 < 8.
        assert!((city.effective_base - 7.2).abs() < 1e-12);
        assert!((city.weighted_base - 12.0).abs() < 1e-12);
    }
}

//! Answers by group (area, or a demographic group for cross-tabs) and citywide, for every
//! choice, rating, grid, NPS, number, ranking and demographic question, weighted or not.
//!
//! - Proportions: weighted share with a Wilson interval on the effective n of the base.
//! - "Don't know" is left out of the base of ratings and grids and reported on its own.
//! - Ratings and grids: top-2-box (the two highest points; grid scales are listed lowest first).
//! - Ratings, numbers: mean with a t interval; rankings: each option's mean rank.
//! - NPS: promoters − detractors with its interval.
//! - Differences: Pearson's chi-square on groups × answers (single choice, rating, grid
//!   statement, NPS as promoter/passive/detractor), with the first-order Rao–Scott correction
//!   when weighted. Also the largest gap in the headline figure between groups with at least
//!   [`MIN_BASE_FOR_GAP`] answers, its interval adjusted for every pair of groups compared.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::chi_square::{ChiSquare, WeightedCount, rao_scott};
use super::intervals::{Estimate, Measured, Moments, Spread, difference, effective_n, net_promoter_score, wilson};
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
    /// The degrees of freedom of the mean's t interval (effective n − 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_degrees_of_freedom: Option<f64>,
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
            mean_degrees_of_freedom: None,
            net_promoter_score: None,
            headline: None,
        }
    }

    /// `figure` (this group's headline, or one option's share) with how its interval was
    /// built, for comparing it with another group's or another wave's.
    pub fn measured(&self, headline: Headline, figure: Estimate) -> Option<Measured> {
        let spread = match headline {
            Headline::TopOption | Headline::TopTwoBox => Spread::Proportion { effective_n: self.effective_base },
            Headline::NetPromoterScore => Spread::Normal,
            Headline::Mean => Spread::StudentT { degrees_of_freedom: self.mean_degrees_of_freedom? },
            Headline::None => return None,
        };
        Some(Measured { estimate: figure, spread })
    }
}

/// The largest difference in the headline figure between two groups.
///
/// Picking the largest of many differences favours chance: its interval is widened so that
/// all `pairs` differences between the groups compared share one 5% chance of a false finding
/// (Bonferroni: each at 95 / pairs % … 100 − 5 / pairs %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub highest: String,
    pub lowest: String,
    pub difference: Estimate,
    /// Pairs of groups compared (k groups: k(k − 1) / 2).
    #[serde(default = "one_pair")]
    pub pairs: u64,
}

fn one_pair() -> u64 {
    1
}

impl Gap {
    /// The whole (adjusted) interval is away from zero: more than chance would explain.
    pub fn is_clear(&self) -> bool {
        self.difference.low > 0.0 || self.difference.high < 0.0
    }
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
        differences: differences(spec, groups, &by_group),
        largest_gap: largest_gap(spec.headline, &rows),
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
                mean_rank: (spec.kind == "ranking").then(|| s.moments.mean().map(|m| m.estimate)).flatten(),
            }
        })
        .collect::<Vec<_>>();
    let top_two_box =
        (!spec.top_two.is_empty()).then(|| share(spec.top_two.iter().map(|k| get(k).weighted).sum())).flatten();
    let mean = match spec.kind {
        "number" => answered.moments.mean(),
        "rating" | "nps" => {
            let mut m = Moments::default();
            for (key, _) in &spec.options {
                let s = get(key).moments;
                m.weight += s.weight;
                m.sum += s.sum;
                m.sum_squares += s.sum_squares;
                m.squared_weight += s.squared_weight;
            }
            m.mean()
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
        mean: mean.map(|m| m.estimate),
        mean_degrees_of_freedom: mean.and_then(|m| match m.spread {
            Spread::StudentT { degrees_of_freedom } => Some(degrees_of_freedom),
            _ => None,
        }),
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

/// Chi-square on groups × answers, with the Rao–Scott correction for the weights.
fn differences(
    spec: &PartSpec,
    groups: &[(String, String)],
    by_group: &BTreeMap<Option<&str>, BTreeMap<&str, Weighted>>,
) -> Option<ChiSquare> {
    if !spec.exclusive {
        return None;
    }
    let mut respondents = 0.0;
    let mut table = Vec::new();
    for sums in groups.iter().filter_map(|(key, _)| by_group.get(&Some(key.as_str()))) {
        let cells: Vec<WeightedCount> = spec
            .options
            .iter()
            .map(|(key, _)| {
                let s = sums.get(key.as_str()).copied().unwrap_or_default();
                respondents += s.count;
                WeightedCount { weighted: s.weighted, squared: s.squared }
            })
            .collect();
        let sum = |cells: &[WeightedCount]| cells.iter().fold(WeightedCount::default(), |a, &c| a + c);
        table.push(if spec.kind == "nps" {
            // Promoters, passives, detractors: eleven sparse points would break the test.
            vec![sum(&cells[9..]), sum(&cells[7..9]), sum(&cells[..7])]
        } else {
            cells
        });
    }
    rao_scott(&table, respondents)
}

/// The largest difference in the headline figure between two groups with at least
/// [`MIN_BASE_FOR_GAP`] answers, its interval adjusted for every pair of them (see [`Gap`]).
fn largest_gap(headline: Headline, rows: &[GroupResult]) -> Option<Gap> {
    let eligible: Vec<(&GroupResult, Measured)> = rows
        .iter()
        .filter(|g| g.base as f64 >= MIN_BASE_FOR_GAP)
        .filter_map(|g| g.headline.and_then(|h| g.measured(headline, h)).map(|m| (g, m)))
        .collect();
    let high = eligible.iter().max_by(|a, b| a.1.estimate.value.total_cmp(&b.1.estimate.value))?;
    let low = eligible.iter().min_by(|a, b| a.1.estimate.value.total_cmp(&b.1.estimate.value))?;
    if high.0.group == low.0.group {
        return None;
    }
    let k = eligible.len() as u64;
    let pairs = k * (k - 1) / 2;
    let difference = difference(high.1, low.1, 0.05 / pairs as f64)?;
    Some(Gap { highest: high.0.label.clone(), lowest: low.0.label.clone(), difference, pairs })
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

    /// A group of 30 to 60 respondents drawn from a city where every area answers alike: a
    /// share of one half, or ratings spread evenly over 1–5.
    fn alike(label: String, headline: Headline, rng: &mut rand::rngs::StdRng) -> GroupResult {
        use rand::Rng;
        let n: u64 = rng.random_range(30..=60);
        let mut g = GroupResult {
            group: Some(label.clone()),
            label,
            answered: n,
            base: n,
            weighted_base: n as f64,
            effective_base: n as f64,
            dont_know: 0,
            options: Vec::new(),
            top_two_box: None,
            mean: None,
            mean_degrees_of_freedom: None,
            net_promoter_score: None,
            headline: None,
        };
        if headline == Headline::Mean {
            let mut moments = Moments::default();
            for _ in 0..n {
                let x = f64::from(rng.random_range(1..=5));
                moments.add(1.0, x, x * x, 1.0);
            }
            let mean = moments.mean().expect("a mean");
            g.headline = Some(mean.estimate);
            g.mean_degrees_of_freedom = match mean.spread {
                Spread::StudentT { degrees_of_freedom } => Some(degrees_of_freedom),
                _ => None,
            };
        } else {
            let yes = (0..n).filter(|_| rng.random_bool(0.5)).count();
            g.headline = wilson(yes as f64 / n as f64, n as f64);
        }
        g
    }

    #[test]
    fn with_no_true_difference_the_largest_gap_is_called_real_in_at_most_5_percent_of_surveys() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(17);
        for (areas, surveys) in [(7, 400), (20, 400), (60, 200), (462, 100)] {
            for headline in [Headline::TopTwoBox, Headline::Mean] {
                let claims = (0..surveys)
                    .filter(|_| {
                        let rows: Vec<GroupResult> =
                            (0..areas).map(|a| alike(format!("Area {a}"), headline, &mut rng)).collect();
                        largest_gap(headline, &rows).expect("a gap").is_clear()
                    })
                    .count();
                let rate = claims as f64 / surveys as f64;
                assert!(rate <= 0.05, "{areas} areas, {headline:?}: a difference claimed in {rate:.3} of surveys");
            }
        }
    }

    #[test]
    fn the_largest_gap_counts_the_pairs_it_was_picked_from() {
        use rand::SeedableRng;
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let mut rows: Vec<GroupResult> =
            (0..7).map(|a| alike(format!("Area {a}"), Headline::TopTwoBox, &mut rng)).collect();
        rows[6].base = 10;
        let gap = largest_gap(Headline::TopTwoBox, &rows).expect("a gap");
        assert_eq!(gap.pairs, 15, "six areas with 30 or more answers: 6 × 5 / 2 pairs");
    }
}

//! The report as it may leave the analyst role (publications: the public results page, the
//! public JSON, CSV and GeoJSON files): every count under the suppression threshold *k* is
//! withheld, jointly over all the tables that share margins, and audited
//! ([`crate::domain::suppression::joint`]). Every other figure is computed from published counts
//! only: a share, interval, mean or NPS of a row with a withheld count is withheld, shares are
//! whole percents, and `None` (JSON `null`) marks what is withheld, never 0. Free text and
//! demographic questions are never in it; publications are never weighted.

use serde::{Deserialize, Serialize};

use super::intervals::Estimate;
#[cfg(feature = "ssr")]
use super::intervals::wilson;
#[cfg(feature = "ssr")]
use super::participation::representation_ratio;
use super::participation::{ComparedWith, Representation};
use super::results::Headline;
#[cfg(feature = "ssr")]
use super::{
    report::Report,
    results::{GroupResult, PartResult},
};
#[cfg(feature = "ssr")]
use crate::domain::suppression::joint::{AnswerTable, QuestionWithheld, Tables, Unsafe, Withheld, withhold};
#[cfg(feature = "ssr")]
use crate::domain::survey::model::{QuestionKind, SurveyDefinition};

/// The group key of respondents who gave no area, in a question's groups.
pub const NO_AREA: &str = "~no_area";

/// An area's participation, published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicParticipation {
    pub area: String,
    pub name: String,
    /// `None`: withheld.
    pub responses: Option<u64>,
    pub population: Option<f64>,
    pub per_thousand_residents: Option<f64>,
    pub representation_ratio: Option<Estimate>,
    pub representation: Option<Representation>,
}

/// One option in one group, published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicOption {
    pub key: String,
    pub label: String,
    pub count: Option<u64>,
    /// Of the group's base, 0–1 in whole percents; only for a group with nothing withheld.
    pub share: Option<Estimate>,
}

/// One group's figures for one part, published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicGroup {
    pub group: Option<String>,
    pub label: String,
    /// `None`: withheld (and so is everything below).
    pub answered: Option<u64>,
    pub dont_know: Option<u64>,
    pub options: Vec<PublicOption>,
    pub top_two_box: Option<Estimate>,
    pub mean: Option<Estimate>,
    pub net_promoter_score: Option<Estimate>,
    pub headline: Option<Estimate>,
}

/// One question (or statement), published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicPart {
    pub key: String,
    pub question: String,
    pub kind: String,
    pub text: String,
    pub headline: Headline,
    pub citywide: PublicGroup,
    /// By area (then respondents with no area, [`NO_AREA`]); empty for questions published
    /// citywide only (several answers each, rankings, numbers).
    pub groups: Vec<PublicGroup>,
}

/// The city in a few numbers, from published figures only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSummary {
    pub responses: Option<u64>,
    /// Respondents who gave no area (`None`: withheld).
    pub responses_without_area: Option<u64>,
    pub population: f64,
    /// Lowest ÷ highest responses per resident; withheld when any area's responses are.
    pub lowest_to_highest_rate: Option<f64>,
    /// Withheld when any area's responses are.
    pub dissimilarity_index: Option<f64>,
    /// Among areas whose responses are published.
    pub areas_under: usize,
    pub areas_over: usize,
    /// Areas whose ratio's interval straddles a threshold.
    #[serde(default)]
    pub areas_too_few_to_tell: usize,
    /// The residents respondents are compared with.
    #[serde(default)]
    pub compared_with: ComparedWith,
    pub areas_withheld: usize,
    pub under_threshold: f64,
}

/// The report as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicReport {
    pub threshold: u64,
    pub respondents: Option<u64>,
    pub participation: Vec<PublicParticipation>,
    pub summary: PublicSummary,
    pub questions: Vec<PublicPart>,
    /// How many counts the publication withholds.
    pub withheld: usize,
}

/// Whether a part's answers add up to one per respondent (so it can be published by area).
#[cfg(feature = "ssr")]
fn exclusive(part: &PartResult) -> bool {
    !matches!(part.kind.as_str(), "multiple_choice" | "ranking" | "number")
}

/// The report's parts that may be published: demographics describe people, not opinions.
#[cfg(feature = "ssr")]
fn published_parts(report: &Report) -> impl Iterator<Item = &PartResult> {
    report.questions.iter().filter(|p| p.kind != "demographics")
}

/// What the survey's form tells anyone about a part: whether it is asked of everyone (no
/// `show_if` on it or its page), the parts whose answers decide who is asked it, and the most
/// options one respondent may choose.
#[cfg(feature = "ssr")]
fn form_rules(survey: &SurveyDefinition, part: &PartResult, parts: &[&PartResult]) -> (bool, Vec<usize>, Option<u64>) {
    let Some((page, question)) = survey.questions().find(|(_, q)| q.key == part.question) else {
        return (true, Vec::new(), None);
    };
    let rules = [question.show_if.as_ref(), survey.pages.get(page).and_then(|p| p.show_if.as_ref())];
    let tested: Vec<&str> = rules.into_iter().flatten().flat_map(|c| c.tests()).map(|t| t.question.as_str()).collect();
    let asked_if =
        parts.iter().enumerate().filter(|(_, p)| tested.contains(&p.question.as_str())).map(|(i, _)| i).collect();
    let most = match &question.kind {
        QuestionKind::MultipleChoice { max_selected, .. } => max_selected.map(u64::from),
        _ => None,
    };
    (tested.is_empty(), asked_if, most)
}

/// One part's counts by row (areas in the report's order, then no area), in the audit's shape.
#[cfg(feature = "ssr")]
fn answer_table(report: &Report, part: &PartResult) -> AnswerTable {
    let row_of = |g: &GroupResult| {
        let mut cells: Vec<u64> = g.options.iter().map(|o| o.count).collect();
        if !cells.is_empty() || g.dont_know > 0 {
            cells.push(g.dont_know);
        }
        cells
    };
    let columns = row_of(&part.citywide).len().max(if part.citywide.options.is_empty() { 0 } else { 1 });
    let mut cells: Vec<Vec<u64>> = report
        .participation
        .iter()
        .map(|a| {
            let row = part.groups.iter().find(|g| g.group.as_deref() == Some(a.area.as_str())).map(row_of);
            let mut row = row.unwrap_or_default();
            row.resize(columns, 0);
            row
        })
        .collect();
    let mut answered: Vec<u64> = report
        .participation
        .iter()
        .map(|a| part.groups.iter().find(|g| g.group.as_deref() == Some(a.area.as_str())).map_or(0, |g| g.answered))
        .collect();
    let exclusive = exclusive(part);
    if exclusive {
        // Published answered counts are the sum of their cells, so the tables add up exactly.
        answered = cells.iter().map(|row| row.iter().sum()).collect();
    }
    let mut city = row_of(&part.citywide);
    city.resize(columns, 0);
    let no_area: Vec<u64> =
        (0..columns).map(|c| city[c] - cells.iter().map(|r| r[c]).sum::<u64>().min(city[c])).collect();
    let city_answered = if exclusive { city.iter().sum() } else { part.citywide.answered };
    answered.push(city_answered - answered.iter().sum::<u64>().min(city_answered));
    cells.push(no_area);
    AnswerTable { exclusive, by_area: exclusive, asked_if: Vec::new(), most_each: None, answered, cells }
}

/// The tables of a report, as the joint suppression sees them, with what the survey's form
/// says about each part (`None`: staff files, where nothing is withheld).
#[cfg(feature = "ssr")]
pub fn tables(report: &Report, survey: Option<&SurveyDefinition>) -> Tables {
    let mut responses: Vec<u64> = report.participation.iter().map(|a| a.responses).collect();
    responses.push(report.summary.responses_without_area);
    // The published population bounds an area's responses, unless more answered than it counts
    // (a business district): then the responses are the bound.
    let mut population: Vec<Option<f64>> =
        report.participation.iter().map(|a| a.population.map(|p| p.max(a.responses as f64))).collect();
    population.push(None);
    let parts: Vec<&PartResult> = published_parts(report).collect();
    let questions = parts
        .iter()
        .map(|p| {
            let mut table = answer_table(report, p);
            if let Some(survey) = survey {
                let (asked_of_everyone, asked_if, most_each) = form_rules(survey, p, &parts);
                table.by_area = table.by_area && asked_of_everyone;
                (table.asked_if, table.most_each) = (asked_if, most_each);
            }
            table
        })
        .collect();
    Tables { responses, population, questions }
}

#[cfg(feature = "ssr")]
/// Rounds to `places` decimals.
fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

#[cfg(feature = "ssr")]
/// A share of published counts with its interval, in whole percents (0–1).
fn share(count: u64, base: u64) -> Option<Estimate> {
    let e = wilson(count as f64 / base as f64, base as f64)?;
    Some(Estimate { value: round(e.value, 2), low: round(e.low, 2), high: round(e.high, 2) })
}

#[cfg(feature = "ssr")]
fn rounded(e: Option<Estimate>, places: i32) -> Option<Estimate> {
    e.map(|e| Estimate { value: round(e.value, places), low: round(e.low, places), high: round(e.high, places) })
}

/// Withholds every count under `threshold` and what could reveal it, jointly and audited.
/// The report must be unweighted (a publication is).
#[cfg(feature = "ssr")]
pub fn public_report(report: &Report, survey: &SurveyDefinition, threshold: u64) -> Result<PublicReport, Unsafe> {
    let tables = tables(report, Some(survey));
    let withheld = withhold(&tables, threshold)?;
    Ok(publish_report(report, &tables, &withheld, threshold))
}

/// The same shape with nothing withheld and every figure as the analysis made it (weighted if
/// asked, unrounded): staff files (the staff GeoJSON) share the published files' columns.
#[cfg(feature = "ssr")]
pub fn unsuppressed(report: &Report) -> PublicReport {
    let tables = tables(report, None);
    // Staff files show every area's figures, whatever the form's rules.
    let mut withheld = Withheld::nothing(&tables);
    for q in &mut withheld.questions {
        q.by_area = true;
    }
    let mut out = publish_report(report, &tables, &withheld, 0);
    for (published, part) in out.questions.iter_mut().zip(published_parts(report)) {
        for (group, result) in std::iter::once(&mut published.citywide)
            .chain(published.groups.iter_mut())
            .zip(std::iter::once(&part.citywide).chain(part.groups.iter()))
        {
            for (option, o) in group.options.iter_mut().zip(&result.options) {
                option.share = o.share;
            }
            (group.top_two_box, group.mean, group.net_promoter_score, group.headline) =
                (result.top_two_box, result.mean, result.net_promoter_score, result.headline);
        }
    }
    for (published, area) in out.participation.iter_mut().zip(&report.participation) {
        (published.per_thousand_residents, published.representation_ratio) =
            (area.per_thousand_residents, area.representation_ratio);
        published.representation = Some(area.representation);
    }
    out
}

#[cfg(feature = "ssr")]
fn publish_report(report: &Report, tables: &Tables, withheld: &Withheld, threshold: u64) -> PublicReport {
    let areas = report.participation.len();
    let shown = |row: usize| (!withheld.responses[row]).then_some(tables.responses[row]);
    let respondents = (!withheld.respondents).then_some(report.summary.responses);
    let without_area = shown(areas);
    // Response shares over the respondents placed in areas with a population figure, as on the
    // dashboard, from published counts only: when a count to take away is withheld, no ratio
    // is published (it would give the withheld count away).
    let without_population: Option<u64> =
        report.participation.iter().enumerate().filter(|(_, a)| a.population.is_none()).map(|(i, _)| shown(i)).sum();
    let base = respondents.zip(without_area).zip(without_population).map(|((r, a), p)| r - a - p);
    let population: f64 = report.participation.iter().filter_map(|a| a.population).filter(|p| *p > 0.0).sum();
    let under = report.summary.under_threshold;
    let participation: Vec<PublicParticipation> = report
        .participation
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let responses = shown(i);
            let residents = a.population.filter(|p| *p > 0.0);
            let ratio = responses
                .zip(base)
                .zip(residents)
                .and_then(|((r, n), p)| rounded(representation_ratio(r, n, p / population, a.population_log_se), 2));
            PublicParticipation {
                area: a.area.clone(),
                name: a.name.clone(),
                responses,
                population: a.population,
                per_thousand_residents: responses.zip(residents).map(|(r, p)| round(1000.0 * r as f64 / p, 1)),
                representation_ratio: ratio,
                representation: responses.map(|_| Representation::of(ratio, under)),
            }
        })
        .collect();
    let every_area_shown = (0..=areas).all(|r| !withheld.responses[r]);
    let summary = PublicSummary {
        responses: respondents,
        responses_without_area: without_area,
        population: report.summary.population,
        lowest_to_highest_rate: report.summary.lowest_to_highest_rate.filter(|_| every_area_shown).map(|r| round(r, 3)),
        dissimilarity_index: every_area_shown.then(|| round(report.summary.dissimilarity_index, 3)),
        areas_under: participation.iter().filter(|p| p.representation == Some(Representation::Under)).count(),
        areas_over: participation.iter().filter(|p| p.representation == Some(Representation::Over)).count(),
        areas_too_few_to_tell: participation
            .iter()
            .filter(|p| p.representation == Some(Representation::TooFewToTell))
            .count(),
        areas_withheld: (0..areas).filter(|r| withheld.responses[*r]).count(),
        under_threshold: under,
        compared_with: report.summary.compared_with,
    };
    let questions = published_parts(report)
        .zip(&tables.questions)
        .zip(&withheld.questions)
        .map(|((part, table), w)| public_part(report, part, table, w))
        .collect();
    PublicReport { threshold, respondents, participation, summary, questions, withheld: withheld.count() }
}

#[cfg(feature = "ssr")]
fn public_part(report: &Report, part: &PartResult, table: &AnswerTable, w: &QuestionWithheld) -> PublicPart {
    let areas = report.participation.len();
    let city_cells: Vec<u64> =
        (0..table.cells.first().map_or(0, Vec::len)).map(|c| table.cells.iter().map(|r| r[c]).sum()).collect();
    let city_answered: u64 = table.answered.iter().sum();
    let citywide = public_group(
        &part.citywide,
        part.headline,
        Row { answered: city_answered, cells: &city_cells, answered_hidden: w.citywide_answered, hidden: &w.citywide },
        w.citywide_is_whole(),
    );
    let mut groups = Vec::new();
    if w.by_area {
        for (i, a) in report.participation.iter().enumerate() {
            let empty = GroupResult::empty(Some(a.area.clone()), a.name.clone(), &part.citywide);
            let g = part.groups.iter().find(|g| g.group.as_deref() == Some(a.area.as_str())).unwrap_or(&empty);
            let row = Row {
                answered: table.answered[i],
                cells: &table.cells[i],
                answered_hidden: w.answered[i],
                hidden: &w.cells[i],
            };
            groups.push(public_group(g, part.headline, row, w.row_is_whole(i)));
        }
        {
            // Respondents with no area: their row of the table, with no figures but counts
            // (always listed: whether it is there must not hint at a withheld count).
            let g = GroupResult::empty(Some(NO_AREA.to_owned()), "No area given".to_owned(), &part.citywide);
            let row = Row {
                answered: table.answered[areas],
                cells: &table.cells[areas],
                answered_hidden: w.answered[areas],
                hidden: &w.cells[areas],
            };
            groups.push(public_group(&g, part.headline, row, false));
        }
    }
    PublicPart {
        key: part.key.clone(),
        question: part.question.clone(),
        kind: part.kind.clone(),
        text: part.text.clone(),
        headline: part.headline,
        citywide,
        groups,
    }
}

/// One row of a part's table: its counts and what is withheld of them.
#[cfg(feature = "ssr")]
struct Row<'a> {
    answered: u64,
    /// Options, then "don't know" (empty for numbers).
    cells: &'a [u64],
    answered_hidden: bool,
    hidden: &'a [bool],
}

/// A group as published. Shares, means and NPS only for a whole row (`whole`): with a withheld
/// count in the row, each would be one more equation that could give it away.
#[cfg(feature = "ssr")]
fn public_group(g: &GroupResult, headline: Headline, row: Row<'_>, whole: bool) -> PublicGroup {
    let count =
        |i: usize| (!row.hidden.get(i).copied().unwrap_or(true)).then(|| row.cells.get(i).copied().unwrap_or(0));
    let dont_know_column = g.options.len();
    let dont_know = row.cells.get(dont_know_column).copied().unwrap_or(0);
    let base = row.answered.saturating_sub(dont_know);
    let derived = |e: Option<Estimate>, places: i32| if whole { rounded(e, places) } else { None };
    let headline_places = if headline == Headline::NetPromoterScore { 0 } else { 2 };
    PublicGroup {
        group: g.group.clone(),
        label: g.label.clone(),
        answered: (!row.answered_hidden).then_some(row.answered),
        dont_know: if row.cells.len() > dont_know_column {
            count(dont_know_column)
        } else {
            Some(0).filter(|_| !row.answered_hidden)
        },
        options: g
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| PublicOption {
                key: o.key.clone(),
                label: o.label.clone(),
                count: count(i),
                share: if whole { count(i).and_then(|c| share(c, base)) } else { None },
            })
            .collect(),
        top_two_box: derived(g.top_two_box, 2),
        mean: derived(g.mean, 2),
        net_promoter_score: derived(g.net_promoter_score, 0),
        headline: derived(g.headline, headline_places),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::analytics::participation::AreaPopulation;
    use crate::domain::analytics::report::{ReportInput, report};
    use crate::domain::analytics::tally::{ResponseTally, Tally};
    use crate::domain::survey::answers::{Answer, Answers};
    use crate::domain::survey::templates::Template;

    #[test]
    fn no_published_count_is_under_the_threshold_and_derived_figures_go_with_withheld_ones() {
        let survey = Template::find("community_survey").and_then(|t| t.definition().ok()).expect("template");
        let mut tally = Tally::default();
        // Area a: 12 answers of 4 and 3 of 1; area b: 2 answers of 5 (too few to show).
        for (area, point, times) in [("a", 4, 12), ("a", 1, 3), ("b", 5, 2)] {
            for _ in 0..times {
                let answers = Answers::from([("safe_day".to_owned(), Answer::Scale(point))]);
                tally.add(ResponseTally::of(&survey, Some(area), "open", &answers));
            }
        }
        let areas = vec![
            ("a".to_owned(), AreaPopulation { name: "A".into(), total: Some(1000.0), ..AreaPopulation::default() }),
            ("b".to_owned(), AreaPopulation { name: "B".into(), total: Some(1000.0), ..AreaPopulation::default() }),
        ];
        let full = report(&ReportInput {
            survey: &survey,
            tally: &tally,
            areas: &areas,
            weighting: None,
            under_threshold: 0.8,
            cross_by: None,
            questions: None,
            weighting_sample: None,
        })
        .expect("a report");
        let public = public_report(&full, &template(), 5).expect("safe");
        assert_eq!(public.participation[1].responses, None, "2 responses in b");
        assert_eq!(public.participation[0].responses, None, "and a's 15 with it, or b = 17 − 15");
        let part = public.questions.iter().find(|p| p.key == "safe_day").expect("question");
        assert_eq!(part.groups[1].answered, None);
        assert_eq!(part.groups[0].options[0].count, None, "3 ones withheld");
        assert_eq!(part.groups[0].mean, None, "the mean would give the ones away");
        assert!(public.questions.iter().all(|p| p.kind != "demographics"));
        let json = serde_json::to_string(&public).expect("json");
        for small in
            ["\"count\":1,", "\"count\":2,", "\"count\":3,", "\"count\":4,", "\"answered\":2,", "\"responses\":2,"]
        {
            assert!(!json.contains(small), "{small} in {json}");
        }
    }

    fn template() -> crate::domain::survey::SurveyDefinition {
        Template::find("community_survey").and_then(|t| t.definition().ok()).expect("template")
    }

    /// A report of `safe_day` answers: (area or none, answer, how many).
    fn report_of(votes: &[(Option<&str>, Answer, usize)], areas: &[(&str, f64)]) -> Report {
        let survey = Template::find("community_survey").and_then(|t| t.definition().ok()).expect("template");
        let mut tally = Tally::default();
        for (area, answer, times) in votes {
            for _ in 0..*times {
                let answers = Answers::from([("safe_day".to_owned(), answer.clone())]);
                tally.add(ResponseTally::of(&survey, *area, "open", &answers));
            }
        }
        let areas: Vec<(String, AreaPopulation)> = areas
            .iter()
            .map(|(key, people)| {
                let population =
                    AreaPopulation { name: key.to_uppercase(), total: Some(*people), ..AreaPopulation::default() };
                ((*key).to_owned(), population)
            })
            .collect();
        report(&ReportInput {
            survey: &survey,
            tally: &tally,
            areas: &areas,
            weighting: None,
            under_threshold: 0.8,
            cross_by: None,
            questions: Some(&["safe_day".to_owned()]),
            weighting_sample: None,
        })
        .expect("a report")
    }

    #[test]
    fn a_share_next_to_a_withheld_dont_know_does_not_give_its_base_away() {
        // Mechanism 1: 40 and 30 answers, 2 "don't know". An unrounded share 40 ÷ 70 next to
        // answered = 72 gave the base (70), so "don't know" = 72 − 70 = 2.
        let votes =
            [(Some("a"), Answer::Scale(5), 40), (Some("a"), Answer::Scale(4), 30), (Some("a"), Answer::DontKnow, 2)];
        let public = public_report(&report_of(&votes, &[("a", 1000.0)]), &template(), 5).expect("safe");
        let part = &public.questions[0];
        assert_eq!(part.citywide.dont_know, None);
        assert!(part.citywide.options.iter().all(|o| o.share.is_none()), "no share in a row with a withheld count");
        assert_eq!(part.citywide.headline, None);
        // In a whole row, shares are whole percents.
        let whole = [(Some("a"), Answer::Scale(5), 40), (Some("a"), Answer::Scale(4), 30)];
        let public = public_report(&report_of(&whole, &[("a", 1000.0)]), &template(), 5).expect("safe");
        let five = public.questions[0].citywide.options.iter().find(|o| o.key == "5").and_then(|o| o.share);
        let five = five.expect("a share");
        assert_eq!(five.value, 0.57, "40 of 70 = 57%");
        assert_eq!((five.low * 100.0).fract(), 0.0);
    }

    #[test]
    fn the_summary_is_computed_from_published_figures_and_withheld_is_none_not_zero() {
        // Mechanism 3: area c has 3 responses (withheld, with a complement); the lowest-to-highest
        // rate, times the highest published rate, times c's population, gave c back. And 2
        // respondents with no area were published as 0.
        let votes = [
            (Some("a"), Answer::Scale(5), 40),
            (Some("b"), Answer::Scale(4), 50),
            (Some("c"), Answer::Scale(4), 3),
            (Some("d"), Answer::Scale(3), 60),
            (None, Answer::Scale(2), 2),
        ];
        let areas = [("a", 1000.0), ("b", 1000.0), ("c", 1000.0), ("d", 1000.0)];
        let public = public_report(&report_of(&votes, &areas), &template(), 5).expect("safe");
        assert_eq!(public.participation[2].responses, None);
        assert_eq!(public.summary.lowest_to_highest_rate, None);
        assert_eq!(public.summary.dissimilarity_index, None);
        assert_eq!(public.summary.responses_without_area, None, "2 is withheld, not 0");
        assert!(public.summary.areas_withheld >= 1);
        let json = serde_json::to_string(&public).expect("json");
        assert!(!json.contains("\"responses_without_area\":0"), "{json}");
        // Fewer respondents than k: the count itself is withheld.
        let few = public_report(&report_of(&[(Some("a"), Answer::Scale(5), 3)], &[("a", 1000.0)]), &template(), 5)
            .expect("safe");
        assert_eq!(few.respondents, None);
        assert_eq!(few.summary.responses, None);
    }

    #[test]
    fn respondents_with_no_area_are_a_row_of_their_own_not_hidden_in_the_citywide_row() {
        // Mechanism 4: citywide − the areas = the 2 with no area, and what they answered.
        let votes = [(Some("a"), Answer::Scale(5), 40), (Some("b"), Answer::Scale(5), 50), (None, Answer::Scale(1), 2)];
        let public = public_report(&report_of(&votes, &[("a", 1000.0), ("b", 1000.0)]), &template(), 5).expect("safe");
        let part = &public.questions[0];
        let one = |g: &PublicGroup| g.options.iter().find(|o| o.key == "1").and_then(|o| o.count);
        assert_eq!(one(&part.citywide), None, "the 2 ones are withheld citywide");
        let city_five = part.citywide.options.iter().find(|o| o.key == "5").and_then(|o| o.count);
        let areas_five: Option<u64> = part
            .groups
            .iter()
            .filter(|g| g.group.as_deref() != Some(NO_AREA))
            .map(|g| g.options.iter().find(|o| o.key == "5").and_then(|o| o.count))
            .sum();
        if let (Some(city), Some(areas)) = (city_five, areas_five) {
            assert!(city - areas == 0 || public.summary.responses_without_area.is_none());
        }
        let no_area = part.groups.iter().find(|g| g.group.as_deref() == Some(NO_AREA)).expect("a no-area row");
        assert_eq!(no_area.answered, None);
    }
}

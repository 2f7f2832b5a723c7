//! The report as it may leave the analyst role (public results pages, open-data exports): every
//! count under the suppression threshold *k* is withheld, with complementary suppression across
//! areas and answers (see [`crate::domain::suppression::withhold_table`]), and every figure
//! computed from a withheld count goes with it. Free text is never in a report.

use serde::{Deserialize, Serialize};

use super::intervals::Estimate;
use super::participation::{ParticipationSummary, Representation};
use super::report::{Report, WeightingSummary};
use super::results::{GroupResult, Headline, PartResult};
use crate::domain::suppression::{PublishedTable, publish, withhold_table};

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
    pub groups: Vec<PublicGroup>,
}

/// The report as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicReport {
    pub threshold: u64,
    pub respondents: Option<u64>,
    pub weighting: Option<WeightingSummary>,
    pub participation: Vec<PublicParticipation>,
    pub summary: ParticipationSummary,
    pub questions: Vec<PublicPart>,
}

/// Withholds every count under `threshold` and what could reveal it. Demographic parts (who
/// the respondents are, by area) are left out entirely: they describe people, not opinions.
pub fn public_report(report: &Report, threshold: u64) -> PublicReport {
    let area_counts: Vec<(String, String, u64)> =
        report.participation.iter().map(|a| (a.area.clone(), a.name.clone(), a.responses)).collect();
    let shown: Vec<Option<u64>> = match publish(area_counts, threshold) {
        PublishedTable::Shown { rows, .. } => rows.into_iter().map(|r| r.count).collect(),
        PublishedTable::TooFew { .. } => vec![None; report.participation.len()],
    };
    let participation = report
        .participation
        .iter()
        .zip(shown)
        .map(|(a, count)| PublicParticipation {
            area: a.area.clone(),
            name: a.name.clone(),
            responses: count,
            population: a.population,
            per_thousand_residents: count.and(a.per_thousand_residents),
            representation_ratio: count.and(a.representation_ratio),
            representation: count.map(|_| a.representation),
        })
        .collect();
    let mut summary = report.summary.clone();
    summary.responses_without_area =
        if summary.responses_without_area >= threshold { summary.responses_without_area } else { 0 };
    PublicReport {
        threshold,
        respondents: (report.respondents >= threshold).then_some(report.respondents),
        weighting: report.weighting.clone(),
        participation,
        summary,
        questions: report
            .questions
            .iter()
            .filter(|p| p.kind != "demographics")
            .map(|p| public_part(p, threshold))
            .collect(),
    }
}

fn public_part(part: &PartResult, threshold: u64) -> PublicPart {
    // Columns: each option, then "don't know"; rows: the groups. Citywide is the column totals.
    let counts: Vec<Vec<u64>> =
        part.groups.iter().map(|g| g.options.iter().map(|o| o.count).chain([g.dont_know]).collect()).collect();
    let withheld = withhold_table(&counts, threshold);
    let exclusive = part.kind != "multiple_choice" && part.kind != "ranking" && part.kind != "number";
    let groups = part
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            // Multiple-choice rows do not add up to the answered count, so a group's total is
            // withheld by its own size there.
            let total_hidden = if exclusive { withheld.group_totals[i] } else { g.answered < threshold };
            public_group(g, total_hidden || g.answered < threshold, &withheld.cells[i])
        })
        .collect();
    let city_hidden = part.citywide.answered < threshold;
    PublicPart {
        key: part.key.clone(),
        question: part.question.clone(),
        kind: part.kind.clone(),
        text: part.text.clone(),
        headline: part.headline,
        citywide: public_group(&part.citywide, city_hidden, &withheld.answer_totals),
        groups,
    }
}

fn public_group(g: &GroupResult, hidden: bool, cells: &[bool]) -> PublicGroup {
    let shown = |i: usize| !hidden && !cells.get(i).copied().unwrap_or(false);
    // A mean, a top-2-box or an NPS is one more equation over the row's counts: with a withheld
    // count in the row, it could give that count away. They are shown only for whole rows.
    let whole = !hidden && !cells.iter().any(|c| *c);
    let derived = |e: Option<Estimate>| if whole { e } else { None };
    let dont_know_column = g.options.len();
    PublicGroup {
        group: g.group.clone(),
        label: g.label.clone(),
        answered: (!hidden).then_some(g.answered),
        dont_know: shown(dont_know_column).then_some(g.dont_know),
        options: g
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| PublicOption {
                key: o.key.clone(),
                label: o.label.clone(),
                count: shown(i).then_some(o.count),
                share: if shown(i) { o.share } else { None },
            })
            .collect(),
        top_two_box: derived(g.top_two_box),
        mean: derived(g.mean),
        net_promoter_score: derived(g.net_promoter_score),
        headline: derived(g.headline),
    }
}

#[cfg(test)]
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
        })
        .expect("a report");
        let public = public_report(&full, 5);
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
}

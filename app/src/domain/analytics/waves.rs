//! Waves: the same questions (same keys) compared across runs of a survey — the 2025 wave and
//! the 2026 wave — citywide, on each question's headline figure, with the change since the
//! previous wave and its 95% interval (Newcombe for proportions, Welch's t for means, normal for
//! the NPS).

use serde::{Deserialize, Serialize};

use super::intervals::{Estimate, Measured, difference};
use super::report::Report;
use super::results::{GroupResult, Headline, PartResult};

/// One wave's figure for one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveFigure {
    pub survey_id: i64,
    pub title: String,
    pub base: u64,
    pub effective_base: f64,
    pub value: Option<Estimate>,
}

/// One question across waves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaveComparison {
    pub key: String,
    pub text: String,
    pub headline: Headline,
    /// For choice questions, the option compared (the latest wave's most common).
    pub option: Option<String>,
    /// Oldest first.
    pub waves: Vec<WaveFigure>,
    /// Latest wave minus the one before it.
    pub change: Option<Estimate>,
    /// The change's interval leaves out zero.
    pub clear_change: bool,
}

/// One wave: its survey id, title and report.
pub struct Wave<'a> {
    pub survey_id: i64,
    pub title: String,
    pub report: &'a Report,
}

/// Compares every question of the latest wave (the last given) that an earlier wave also asked.
pub fn compare(waves: &[Wave<'_>]) -> Vec<WaveComparison> {
    let Some(latest) = waves.last() else { return Vec::new() };
    let mut out = Vec::new();
    for part in latest.report.questions.iter().filter(|p| p.headline != Headline::None && p.kind != "demographics") {
        let option = match part.headline {
            Headline::TopOption => {
                part.citywide.options.iter().max_by(|a, b| a.weighted.total_cmp(&b.weighted)).map(|o| o.key.clone())
            }
            _ => None,
        };
        let figures: Vec<(WaveFigure, Option<Measured>)> = waves
            .iter()
            .filter_map(|w| {
                let same = w.report.questions.iter().find(|p| p.key == part.key && p.kind == part.kind)?;
                let value = figure(same, &same.citywide, option.as_deref());
                let figure = WaveFigure {
                    survey_id: w.survey_id,
                    title: w.title.clone(),
                    base: same.citywide.base,
                    effective_base: same.citywide.effective_base,
                    value,
                };
                Some((figure, value.and_then(|v| same.citywide.measured(part.headline, v))))
            })
            .collect();
        if figures.len() < 2 {
            continue;
        }
        let change = match (figures[figures.len() - 2].1, figures[figures.len() - 1].1) {
            (Some(before), Some(after)) => difference(after, before, 0.05),
            _ => None,
        };
        let figures: Vec<WaveFigure> = figures.into_iter().map(|(figure, _)| figure).collect();
        out.push(WaveComparison {
            key: part.key.clone(),
            text: part.text.clone(),
            headline: part.headline,
            option,
            clear_change: change.is_some_and(|c| c.low > 0.0 || c.high < 0.0),
            waves: figures,
            change,
        });
    }
    out
}

fn figure(part: &PartResult, group: &GroupResult, option: Option<&str>) -> Option<Estimate> {
    match part.headline {
        Headline::TopOption => option.and_then(|k| group.options.iter().find(|o| o.key == k)).and_then(|o| o.share),
        _ => group.headline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::report::{ReportInput, report};
    use crate::domain::analytics::tally::{ResponseTally, Tally};
    use crate::domain::survey::answers::{Answer, Answers};
    use crate::domain::survey::templates::Template;

    fn wave(top_box: usize, others: usize) -> Report {
        let survey = Template::find("community_survey").and_then(|t| t.definition().ok()).expect("template");
        let mut tally = Tally::default();
        for i in 0..top_box + others {
            let point = if i < top_box { 5 } else { 2 };
            let answers = Answers::from([("safe_day".to_owned(), Answer::Scale(point))]);
            tally.add(ResponseTally::of(&survey, None, "open", &answers));
        }
        report(&ReportInput {
            survey: &survey,
            tally: &tally,
            areas: &[],
            weighting: None,
            under_threshold: 0.8,
            cross_by: None,
            questions: None,
            weighting_sample: None,
        })
        .expect("report")
    }

    #[test]
    fn the_change_since_the_previous_wave_has_newcombes_interval() {
        // 2025: 48 of 80 feel safe by day (top-2-box); 2026: 56 of 70. Newcombe's example:
        // 0.2 with 0.0524 to 0.3339 — a clear improvement.
        let (before, after) = (wave(48, 32), wave(56, 14));
        let waves = [
            Wave { survey_id: 1, title: "2025".into(), report: &before },
            Wave { survey_id: 2, title: "2026".into(), report: &after },
        ];
        let comparisons = compare(&waves);
        let safe = comparisons.iter().find(|c| c.key == "safe_day").expect("asked in both waves");
        let change = safe.change.expect("both have answers");
        assert!((change.value - 0.2).abs() < 1e-12);
        assert!((change.low - 0.0524).abs() < 5e-5 && (change.high - 0.3339).abs() < 5e-5, "{change:?}");
        assert!(safe.clear_change);
        assert_eq!(safe.waves.len(), 2);
        assert_eq!(safe.waves[0].base, 80);
    }
}

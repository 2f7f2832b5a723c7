//! Results as CSV in long ("tidy") form, one figure per row, which opens cleanly in Excel
//! (UTF-8 with a byte-order mark) and reads straight into R or pandas:
//!
//! `section, question, text, group, group_name, option, option_label, measure, value, low, high`
//!
//! - `section`: `participation`, `demographics` or `answers`.
//! - `group` is an area key (or a cross-tab option); empty for citywide.
//! - `measure`: `count`, `percent`, `weighted_count`, `base`, `effective_base`, `dont_know`,
//!   `mean`, `top_two_box`, `net_promoter_score`, `responses`, `population`,
//!   `per_thousand_residents`, `representation_ratio`, `respondent_percent`,
//!   `population_percent`, `unknown`. `low`/`high` are the 95% interval where there is one.
//! - In the published variant a withheld figure has an empty `value` and `withheld` in `low`.
//!
//! Written through `services::csv_file`, so question texts, labels and area names that look
//! like formulas are defused.

use crate::domain::analytics::intervals::Estimate;
use crate::domain::analytics::public::{PublicGroup, PublicReport};
use crate::domain::analytics::report::Report;
use crate::domain::analytics::results::GroupResult;
use crate::services::csv_file::CsvFile;

const HEADER: [&str; 11] =
    ["section", "question", "text", "group", "group_name", "option", "option_label", "measure", "value", "low", "high"];

struct Rows {
    out: CsvFile,
}

/// Where a figure belongs.
#[derive(Clone, Copy)]
struct At<'a> {
    section: &'a str,
    question: &'a str,
    text: &'a str,
    group: &'a str,
    group_name: &'a str,
    option: &'a str,
    option_label: &'a str,
}

impl<'a> At<'a> {
    /// An area's participation figures.
    fn area(group: &'a str, group_name: &'a str) -> Self {
        At { section: "participation", question: "", text: "", group, group_name, option: "", option_label: "" }
    }
}

impl Rows {
    fn new() -> Self {
        let mut out = CsvFile::for_spreadsheets();
        let _ = out.row(HEADER);
        Rows { out }
    }

    fn figure(&mut self, at: &At<'_>, measure: &str, value: Option<f64>, interval: Option<Estimate>, withheld: bool) {
        let number = |v: f64| format_number(v);
        let (value, low, high) = match (value, interval) {
            (_, Some(e)) => (number(e.value), number(e.low), number(e.high)),
            (Some(v), None) => (number(v), String::new(), String::new()),
            (None, None) if withheld => (String::new(), "withheld".to_owned(), String::new()),
            (None, None) => return,
        };
        let _ = self.out.row([
            at.section,
            at.question,
            at.text,
            at.group,
            at.group_name,
            at.option,
            at.option_label,
            measure,
            &value,
            &low,
            &high,
        ]);
    }

    fn finish(self) -> Vec<u8> {
        self.out.finish().unwrap_or_default()
    }
}

/// Shares are written as percentages with one decimal place more than a chart needs.
fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { format!("{v:.4}") }
}

fn percent(e: Option<Estimate>) -> Option<Estimate> {
    e.map(|e| Estimate { value: 100.0 * e.value, low: 100.0 * e.low, high: 100.0 * e.high })
}

/// The full report for staff.
pub fn report_csv(report: &Report) -> Vec<u8> {
    let mut rows = Rows::new();
    for a in &report.participation {
        let at = At::area(&a.area, &a.name);
        rows.figure(&at, "responses", Some(a.responses as f64), None, false);
        rows.figure(&at, "population", a.population, None, false);
        rows.figure(&at, "per_thousand_residents", a.per_thousand_residents, None, false);
        rows.figure(&at, "representation_ratio", None, a.representation_ratio, false);
    }
    let citywide = [(String::new(), &report.demographics)];
    for (area, comparisons) in citywide
        .iter()
        .map(|(a, c)| (a.as_str(), *c))
        .chain(report.demographics_by_area.iter().map(|(a, c)| (a.as_str(), c)))
    {
        for d in comparisons {
            let at = At {
                section: "demographics",
                question: &d.dimension,
                text: "",
                group: area,
                group_name: "",
                option: "",
                option_label: "",
            };
            rows.figure(&at, "unknown", Some(d.unknown as f64), None, false);
            for g in &d.groups {
                let at = At { option: &g.group, ..at };
                rows.figure(&at, "respondents", Some(g.respondents as f64), None, false);
                rows.figure(&at, "respondent_percent", Some(100.0 * g.respondent_share), None, false);
                rows.figure(&at, "population_percent", Some(100.0 * g.population_share), None, false);
            }
        }
    }
    for part in &report.questions {
        for g in std::iter::once(&part.citywide).chain(&part.groups) {
            answer_rows(&mut rows, &part.key, &part.text, g);
        }
    }
    rows.finish()
}

fn answer_rows(rows: &mut Rows, key: &str, text: &str, g: &GroupResult) {
    let group = g.group.as_deref().unwrap_or_default();
    let at = At { section: "answers", question: key, text, group, group_name: &g.label, option: "", option_label: "" };
    rows.figure(&at, "base", Some(g.base as f64), None, false);
    if (g.weighted_base - g.base as f64).abs() > 1e-9 {
        rows.figure(&at, "weighted_base", Some(g.weighted_base), None, false);
        rows.figure(&at, "effective_base", Some(g.effective_base), None, false);
    }
    rows.figure(&at, "dont_know", Some(g.dont_know as f64).filter(|d| *d > 0.0), None, false);
    rows.figure(&at, "mean", None, g.mean, false);
    rows.figure(&at, "top_two_box", None, percent(g.top_two_box), false);
    rows.figure(&at, "net_promoter_score", None, g.net_promoter_score, false);
    for o in &g.options {
        let at = At { option: &o.key, option_label: &o.label, ..at };
        rows.figure(&at, "count", Some(o.count as f64), None, false);
        rows.figure(&at, "percent", None, percent(o.share), false);
        rows.figure(&at, "mean_rank", None, o.mean_rank, false);
    }
}

/// The published report: every withheld figure is an empty value marked `withheld`.
pub fn public_csv(report: &PublicReport) -> Vec<u8> {
    let mut rows = Rows::new();
    for a in &report.participation {
        let at = At::area(&a.area, &a.name);
        let withheld = a.responses.is_none();
        rows.figure(&at, "responses", a.responses.map(|r| r as f64), None, withheld);
        rows.figure(&at, "population", a.population, None, false);
        rows.figure(&at, "per_thousand_residents", a.per_thousand_residents, None, withheld);
        rows.figure(&at, "representation_ratio", None, a.representation_ratio, withheld);
    }
    for part in &report.questions {
        for g in std::iter::once(&part.citywide).chain(&part.groups) {
            public_answer_rows(&mut rows, &part.key, &part.text, g);
        }
    }
    rows.finish()
}

fn public_answer_rows(rows: &mut Rows, key: &str, text: &str, g: &PublicGroup) {
    let group = g.group.as_deref().unwrap_or_default();
    let at = At { section: "answers", question: key, text, group, group_name: &g.label, option: "", option_label: "" };
    let hidden = g.answered.is_none();
    rows.figure(&at, "answered", g.answered.map(|n| n as f64), None, hidden);
    rows.figure(&at, "mean", None, g.mean, false);
    rows.figure(&at, "top_two_box", None, percent(g.top_two_box), false);
    rows.figure(&at, "net_promoter_score", None, g.net_promoter_score, false);
    for o in &g.options {
        let at = At { option: &o.key, option_label: &o.label, ..at };
        rows.figure(&at, "count", o.count.map(|c| c as f64), None, o.count.is_none());
        rows.figure(&at, "percent", None, percent(o.share), false);
    }
}

//! The microdata export: one row per complete response, stable question keys as columns, with
//! the area, channel and raking weight. Written a page at a time, so memory does not grow with
//! the number of responses; UTF-8 with a byte-order mark for Excel.
//!
//! Columns: `response, submitted_at, channel, language, area, weight`, then per question:
//! choice → the option key; multiple choice → `key.option` as 1/0; rating and NPS → the point
//! (or `dont_know`); grid → `key.statement`; ranking → `key.option` as the rank; demographics →
//! `key.item` (several options joined with `;`); number, date → the value; free text (and
//! "other, please specify") only for analysts and administrators. Every cell goes through
//! `services::csv_file`'s guard: text a spreadsheet would run as a formula (starting with `=`,
//! `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`; plain numbers stay numbers.

use std::collections::HashMap;

use sea_orm::DatabaseConnection;

use crate::db::responses::{CompleteRow, ResponseFilter, complete_page};
use crate::db::tallies;
use crate::domain::analytics::report::{ReportInput, weights};
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::analytics::tally::{Profile, profile_of};
use crate::domain::survey::answers::{Answer, Answers};
use crate::domain::survey::model::{QuestionKind, SurveyDefinition};
use crate::error::AppError;
use crate::services::csv_file::CsvFile;
use crate::services::results::basis;

/// An export in progress: the survey, the weights and where the next page starts.
pub struct Microdata {
    survey_id: i64,
    definition: SurveyDefinition,
    filter: ResponseFilter,
    group: Option<(String, String)>,
    include_text: bool,
    /// Weight by (area, profile); empty when unweighted (every weight 1).
    weights: HashMap<(String, Profile), f64>,
    after_id: i64,
    pub file_name: String,
}

/// Prepares an export (weights are computed first, from the tallies).
pub async fn start(
    db: &DatabaseConnection,
    survey_id: i64,
    request: &ResultsRequest,
    include_text: bool,
) -> Result<Microdata, AppError> {
    let basis = basis(db, survey_id).await?;
    let mut by_cell = HashMap::new();
    if request.weighting.is_some() {
        let tally = tallies::by_cell(db, survey_id, request.channels.as_deref(), tallies::Rows::Questions(&[]))
            .await
            .map_err(|e| {
            tracing::error!(error = %e, "reading tallies for the microdata weights");
            AppError::Internal
        })?;
        let input = ReportInput {
            survey: &basis.definition,
            tally: &tally,
            areas: &basis.areas,
            weighting: request.weighting.as_ref(),
            under_threshold: request.under_threshold,
            cross_by: None,
            questions: None,
            weighting_sample: None,
        };
        let (cell_weights, _) =
            weights(&input).map_err(|e| AppError::bad_parameter("weight", "weighting_impossible", &e.to_string()))?;
        for ((cell, _), w) in tally.cells.iter().zip(cell_weights) {
            by_cell.insert((cell.area.clone(), cell.profile.clone()), w);
        }
    }
    Ok(Microdata {
        survey_id,
        file_name: format!("survey-{survey_id}-responses.csv"),
        definition: basis.definition,
        filter: ResponseFilter::of(request),
        group: request.group.clone(),
        include_text,
        weights: by_cell,
        after_id: 0,
    })
}

impl Microdata {
    /// The byte-order mark and the header row.
    pub fn header(&self) -> Vec<u8> {
        let mut out = CsvFile::for_spreadsheets();
        let mut names: Vec<String> =
            ["response", "submitted_at", "channel", "language", "area", "weight"].map(str::to_owned).to_vec();
        names.extend(self.columns().into_iter().map(|(name, _)| name));
        let _ = out.row(&names);
        out.finish().unwrap_or_default()
    }

    /// The next page of rows, or `None` when every response has been written.
    pub async fn next_page(&mut self, db: &DatabaseConnection) -> Result<Option<Vec<u8>>, AppError> {
        let page = complete_page(db, self.survey_id, &self.filter, self.after_id).await.map_err(|e| {
            tracing::error!(error = %e, "reading responses for the microdata export");
            AppError::Internal
        })?;
        let Some(last) = page.last() else { return Ok(None) };
        self.after_id = last.id;
        let columns = self.columns();
        let mut out = CsvFile::rows_only();
        for row in &page {
            let Some(answers) = row.answers() else { continue };
            if let Some((part, option)) = &self.group
                && !crate::domain::analytics::tally::answer_sums(&self.definition, &answers)
                    .iter()
                    .any(|((q, a), _)| q == part && a == option)
            {
                continue;
            }
            out.row(self.record(row, &answers, &columns))?;
        }
        Ok(Some(out.finish()?))
    }

    fn record(&self, row: &CompleteRow, answers: &Answers, columns: &[(String, Cell)]) -> Vec<String> {
        let area = row.area_key.clone().unwrap_or_default();
        // A response stored after the weights were computed has no weight yet: left blank.
        let weight = if self.weights.is_empty() {
            "1".to_owned()
        } else {
            let profile = profile_of(&self.definition, answers);
            self.weights.get(&(area.clone(), profile)).map(|w| format!("{w:.6}")).unwrap_or_default()
        };
        // RFC 3339 in UTC to the second, whatever the engine kept.
        let submitted = row
            .submitted_at
            .and_then(|t| t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).ok())
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
            .unwrap_or_default();
        let mut record = vec![row.id.to_string(), submitted, row.channel.clone(), row.language.clone(), area, weight];
        record.extend(columns.iter().map(|(_, cell)| cell.value(answers)));
        record
    }

    /// The question columns: name and how to fill it.
    fn columns(&self) -> Vec<(String, Cell)> {
        let mut out = Vec::new();
        for (_, q) in self.definition.questions() {
            let key = q.key.clone();
            let part = |suffix: &str| format!("{key}.{suffix}");
            match &q.kind {
                QuestionKind::SingleChoice { other, .. } => {
                    out.push((key.clone(), Cell::Choice(key.clone())));
                    if other.is_some() && self.include_text {
                        out.push((format!("{key}_other"), Cell::OtherText(key.clone())));
                    }
                }
                QuestionKind::MultipleChoice { options, other, .. } => {
                    for o in options {
                        out.push((part(&o.key), Cell::Chosen(key.clone(), o.key.clone())));
                    }
                    if other.is_some() {
                        out.push((part("other"), Cell::Chosen(key.clone(), "other".into())));
                        if self.include_text {
                            out.push((format!("{key}_other"), Cell::OtherText(key.clone())));
                        }
                    }
                }
                QuestionKind::Grid { statements, .. } => {
                    for s in statements {
                        out.push((part(&s.key), Cell::Statement(key.clone(), s.key.clone())));
                    }
                }
                QuestionKind::Ranking { options, .. } => {
                    for o in options {
                        out.push((part(&o.key), Cell::Rank(key.clone(), o.key.clone())));
                    }
                }
                QuestionKind::Demographics { items } => {
                    for item in items {
                        out.push((part(item.key()), Cell::Demographic(key.clone(), item.key().to_owned())));
                    }
                }
                QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } if self.include_text => {
                    out.push((key.clone(), Cell::Text(key.clone())));
                }
                QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } | QuestionKind::Area { .. } => {}
                QuestionKind::Rating { .. }
                | QuestionKind::Nps { .. }
                | QuestionKind::Number { .. }
                | QuestionKind::Date { .. } => {
                    out.push((key.clone(), Cell::Value(key.clone())));
                }
            }
        }
        out
    }
}

/// How one column is filled from a response's answers.
enum Cell {
    Choice(String),
    OtherText(String),
    Chosen(String, String),
    Statement(String, String),
    Rank(String, String),
    Demographic(String, String),
    Text(String),
    Value(String),
}

impl Cell {
    fn value(&self, answers: &Answers) -> String {
        let get = |key: &str| answers.get(key);
        match self {
            Cell::Choice(q) => match get(q) {
                Some(Answer::Choice { option, .. }) => option.clone(),
                _ => String::new(),
            },
            Cell::OtherText(q) => match get(q) {
                Some(Answer::Choice { other_text: Some(t), .. } | Answer::Choices { other_text: Some(t), .. }) => {
                    t.clone()
                }
                _ => String::new(),
            },
            Cell::Chosen(q, option) => match get(q) {
                Some(Answer::Choices { options, .. }) => u8::from(options.contains(option)).to_string(),
                _ => String::new(),
            },
            Cell::Statement(q, statement) => match get(q) {
                Some(Answer::Grid(cells)) => cells.get(statement).cloned().unwrap_or_default(),
                _ => String::new(),
            },
            Cell::Rank(q, option) => match get(q) {
                Some(Answer::Ranking(order)) => {
                    order.iter().position(|o| o == option).map(|p| (p + 1).to_string()).unwrap_or_default()
                }
                _ => String::new(),
            },
            Cell::Demographic(q, item) => match get(q) {
                Some(Answer::Demographics(items)) => items.get(item).map(|o| o.join(";")).unwrap_or_default(),
                _ => String::new(),
            },
            Cell::Text(q) => match get(q) {
                Some(Answer::Text(t)) => t.clone(),
                _ => String::new(),
            },
            Cell::Value(q) => match get(q) {
                Some(Answer::Scale(n)) => n.to_string(),
                Some(Answer::DontKnow) => crate::domain::survey::answers::DONT_KNOW.to_owned(),
                Some(Answer::Number(n)) => n.to_string(),
                Some(Answer::Date(d)) => d.clone(),
                _ => String::new(),
            },
        }
    }
}

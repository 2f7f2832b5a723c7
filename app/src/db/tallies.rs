//! The running tallies behind results (tables `tally_by_area` and `tally_by_cell`; see the
//! migration `m20261122_000005_tallies` and `domain::analytics::tally`).
//!
//! Tallies are added to with upserts (`n = n + excluded.n`) in the transaction that stores the
//! responses, so they are exact on every engine and with many app servers writing at once.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, TransactionTrait,
};

use super::entities::{tally_by_area, tally_by_cell};
use super::responses::{ResponseFilter, complete_page};
use crate::domain::analytics::tally::{ANSWERED, CellKey, Profile, ResponseTally, Sums, Tally};
use crate::domain::survey::model::SurveyDefinition;

/// Rows per insert statement: 11 values each, well inside every engine's parameter limit.
const ROWS_PER_STATEMENT: usize = 1000;

const AREA_KEY: [&str; 5] = ["survey_id", "area_key", "channel", "question_key", "answer_key"];
const CELL_KEY: [&str; 8] =
    ["survey_id", "area_key", "channel", "age", "race_ethnicity", "tenure", "question_key", "answer_key"];

/// Adds a group of responses' tallies to both tables.
pub async fn add(db: &impl ConnectionTrait, survey_id: i64, tally: &Tally) -> Result<(), DbErr> {
    upsert(db, "tally_by_cell", &CELL_KEY, rows(survey_id, tally, true)).await?;
    upsert(db, "tally_by_area", &AREA_KEY, rows(survey_id, &tally.by_area_and_channel(), false)).await
}

/// One row of values per cell and answer key (`""`, `""` for the cell's responses).
fn rows(survey_id: i64, tally: &Tally, with_profile: bool) -> Vec<Vec<SimpleExpr>> {
    let mut out = Vec::new();
    for (cell, counts) in &tally.cells {
        let respondents = Sums { count: counts.respondents, ..Sums::default() };
        let lines = std::iter::once((("", ""), respondents))
            .chain(counts.answers.iter().map(|((q, a), s)| ((q.as_str(), a.as_str()), *s)));
        for ((question, answer), sums) in lines {
            let mut row: Vec<SimpleExpr> =
                vec![survey_id.into(), cell.area.clone().into(), cell.channel.clone().into()];
            if with_profile {
                row.extend(cell.profile.0.iter().map(|g| SimpleExpr::from(g.clone())));
            }
            row.extend([
                question.to_owned().into(),
                answer.to_owned().into(),
                (sums.count.round() as i64).into(),
                sums.sum.into(),
                sums.sum_squares.into(),
            ]);
            out.push(row);
        }
    }
    out
}

async fn upsert(db: &impl ConnectionTrait, table: &str, key: &[&str], rows: Vec<Vec<SimpleExpr>>) -> Result<(), DbErr> {
    let columns: Vec<Alias> =
        key.iter().chain(["n", "value_sum", "value_sum_squares"].iter()).map(|c| Alias::new(*c)).collect();
    let added = |column: &str| {
        Expr::col((Alias::new(table), Alias::new(column))).add(Expr::col((Alias::new("excluded"), Alias::new(column))))
    };
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(table)).columns(columns.clone());
        for row in chunk {
            insert.values(row.clone()).map_err(|e| DbErr::Custom(format!("a tally row: {e}")))?;
        }
        insert.on_conflict(
            OnConflict::columns(key.iter().map(|c| Alias::new(*c)))
                .value(Alias::new("n"), added("n"))
                .value(Alias::new("value_sum"), added("value_sum"))
                .value(Alias::new("value_sum_squares"), added("value_sum_squares"))
                .to_owned(),
        );
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Which rows of a survey's tallies to read.
#[derive(Debug, Clone, Copy)]
pub enum Rows<'a> {
    /// Everything.
    All,
    /// Each cell's number of responses, and these exact question keys (a grid's statements and
    /// a demographics block's items are listed one by one, so the question index is used).
    Questions(&'a [String]),
}

impl Rows<'_> {
    /// The condition on `question_key` (`None`: no condition).
    fn condition(self, column: impl ColumnTrait + Copy) -> Option<Condition> {
        let Rows::Questions(keys) = self else { return None };
        let mut wanted = vec![String::new()];
        wanted.extend(keys.iter().cloned());
        Some(Condition::all().add(column.is_in(wanted)))
    }
}

/// A survey's tallies by area and channel (no profile), optionally only some channels.
pub async fn by_area(
    db: &DatabaseConnection,
    survey_id: i64,
    channels: Option<&[String]>,
    rows: Rows<'_>,
) -> Result<Tally, DbErr> {
    let mut query = tally_by_area::Entity::find()
        .select_only()
        .columns([
            tally_by_area::Column::AreaKey,
            tally_by_area::Column::Channel,
            tally_by_area::Column::QuestionKey,
            tally_by_area::Column::AnswerKey,
            tally_by_area::Column::N,
        ])
        .expr_as(finite_or_null("value_sum"), "value_sum")
        .expr_as(finite_or_null("value_sum_squares"), "value_sum_squares")
        .filter(tally_by_area::Column::SurveyId.eq(survey_id));
    if let Some(channels) = channels {
        query = query.filter(tally_by_area::Column::Channel.is_in(channels.to_vec()));
    }
    if let Some(condition) = rows.condition(tally_by_area::Column::QuestionKey) {
        query = query.filter(condition);
    }
    let columns = ["area_key", "channel", "question_key", "answer_key", "n", "value_sum", "value_sum_squares"];
    let found: Vec<(String, String, String, String, i64, Stored, Stored)> =
        super::rows_as_json(db, &QueryTrait::into_query(query), &columns).await?;
    let mut tally = Tally::default();
    for (area, channel, question, answer, n, sum, sum_squares) in found {
        let cell = CellKey { area, channel, ..CellKey::default() };
        add_row(&mut tally, cell, question, answer, sums(n, sum, sum_squares));
    }
    Ok(tally)
}

/// A survey's tallies by cell (with the weighting profile), optionally only some channels.
/// `Rows::Questions(&[])` reads only each cell's number of responses (all raking needs).
pub async fn by_cell(
    db: &DatabaseConnection,
    survey_id: i64,
    channels: Option<&[String]>,
    rows: Rows<'_>,
) -> Result<Tally, DbErr> {
    use tally_by_cell::Column as C;
    let mut query = tally_by_cell::Entity::find()
        .select_only()
        .columns([C::AreaKey, C::Channel, C::Age, C::RaceEthnicity, C::Tenure, C::QuestionKey, C::AnswerKey, C::N])
        .expr_as(finite_or_null("value_sum"), "value_sum")
        .expr_as(finite_or_null("value_sum_squares"), "value_sum_squares")
        .filter(C::SurveyId.eq(survey_id));
    if let Some(channels) = channels {
        query = query.filter(C::Channel.is_in(channels.to_vec()));
    }
    if let Some(condition) = rows.condition(C::QuestionKey) {
        query = query.filter(condition);
    }
    let columns = [
        "area_key",
        "channel",
        "age",
        "race_ethnicity",
        "tenure",
        "question_key",
        "answer_key",
        "n",
        "value_sum",
        "value_sum_squares",
    ];
    let found: Vec<CellColumns> = super::rows_as_json(db, &QueryTrait::into_query(query), &columns).await?;
    let mut tally = Tally::default();
    for (area, channel, age, race, tenure, question, answer, n, sum, sum_squares) in found {
        let cell = CellKey { area, channel, profile: Profile([age, race, tenure]), by: String::new() };
        add_row(&mut tally, cell, question, answer, sums(n, sum, sum_squares));
    }
    Ok(tally)
}

/// The columns [`by_cell`] reads, in order.
type CellColumns = (String, String, String, String, String, String, String, i64, Stored, Stored);

/// A stored sum as read: `None` when it is not a finite number a JSON row can carry.
type Stored = Option<f64>;

/// The largest stored sum read as it is. Tallies made since answers are bounded never come
/// near it (docs/SURVEY_FORMAT.md); an older database may hold an infinite sum (PostgreSQL
/// keeps `Infinity`, SQLite `Inf`), which no JSON row can carry: read as it was, it failed the
/// whole survey's results. Read as `NULL` instead, it fails only its own question's averages.
const LARGEST_SUM: &str = "1e300";

fn finite_or_null(column: &str) -> SimpleExpr {
    Expr::cust(format!("CASE WHEN {column} BETWEEN -{LARGEST_SUM} AND {LARGEST_SUM} THEN {column} END"))
}

/// A row's sums; a sum that could not be read becomes `NaN`, which results report as the
/// question's averages being unavailable (`domain::analytics::results`).
fn sums(n: i64, sum: Stored, sum_squares: Stored) -> Sums {
    Sums { count: n as f64, sum: sum.unwrap_or(f64::NAN), sum_squares: sum_squares.unwrap_or(f64::NAN) }
}

fn add_row(tally: &mut Tally, cell: CellKey, question: String, answer: String, sums: Sums) {
    let key = (!question.is_empty()).then_some((question, answer));
    tally.add_counts(cell, key, sums);
}

/// Folds a survey's complete responses (those the filter keeps) into a tally, reading them a
/// page at a time so memory stays flat whatever their number.
pub async fn fold(
    db: &impl ConnectionTrait,
    survey_id: i64,
    survey: &SurveyDefinition,
    filter: &ResponseFilter,
) -> Result<Tally, DbErr> {
    let mut tally = Tally::default();
    let mut last_id = 0;
    loop {
        let page = complete_page(db, survey_id, filter, last_id).await?;
        let Some(last) = page.last() else { break };
        last_id = last.id;
        for row in page {
            let Some(answers) = row.answers() else { continue };
            let mut response = ResponseTally::of(survey, row.area_key.as_deref(), &row.channel, &answers);
            let has = |part: &str, option: Option<&str>| {
                response.answers.iter().find(|((q, a), _)| q == part && a != ANSWERED && option.is_none_or(|o| o == a))
            };
            if let Some((part, option)) = &filter.group
                && has(part, Some(option)).is_none()
            {
                continue;
            }
            if let Some(by) = &filter.by {
                response.cell.by = has(by, None).map(|((_, a), _)| a.clone()).unwrap_or_default();
            }
            tally.add(response);
        }
    }
    Ok(tally)
}

/// Recomputes a survey's tallies from its complete responses, in one transaction. Returns the
/// number of responses counted.
pub async fn rebuild(db: &DatabaseConnection, survey_id: i64, survey: &SurveyDefinition) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    tally_by_area::Entity::delete_many().filter(tally_by_area::Column::SurveyId.eq(survey_id)).exec(&txn).await?;
    tally_by_cell::Entity::delete_many().filter(tally_by_cell::Column::SurveyId.eq(survey_id)).exec(&txn).await?;
    let tally = fold(&txn, survey_id, survey, &ResponseFilter::default()).await?;
    add(&txn, survey_id, &tally).await?;
    txn.commit().await?;
    Ok(tally.respondents().round() as u64)
}

//! Queries on responses and invite codes. Complete responses are written in groups by
//! [`store`] (behind `services::responses::writer`'s queue); this module holds the rest.

pub mod store;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;

use super::entities::{invite_code, response};
use crate::domain::access::Channel;
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::survey::answers::Answers;
use crate::error::AppError;

/// A response row.
pub type ResponseRow = response::Model;
/// An invite code row.
pub type InviteCodeRow = invite_code::Model;

/// The stored status of a response being answered page by page.
pub const IN_PROGRESS: &str = "in_progress";
/// The stored status of a submitted response.
pub const COMPLETE: &str = "complete";
/// A complete response taken out of the results (`services::responses::exclude`): kept, never
/// counted.
pub const EXCLUDED: &str = "excluded";

/// What excluding a response by its receipt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exclusion {
    /// Excluded: the response's id.
    Done(i64),
    /// No response of the survey has the receipt.
    Unknown,
    /// The response was excluded before.
    AlreadyExcluded,
}

/// In one transaction: finds the complete response of `survey_id` with `receipt`, subtracts
/// `tally_of(response)` from the tallies, marks it excluded (and empties its answers when
/// `erase`), and records `audit` as `actor`'s action (the response's id is added to its detail).
pub async fn exclude(
    db: &DatabaseConnection,
    survey_id: i64,
    receipt: &str,
    erase: bool,
    tally_of: impl FnOnce(&ResponseRow) -> Option<crate::domain::analytics::tally::Tally>,
    (actor, mut detail): (Option<i64>, serde_json::Value),
) -> Result<Exclusion, DbErr> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    let Some(row) = response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Receipt.eq(receipt))
        .one(&txn)
        .await?
    else {
        return Ok(Exclusion::Unknown);
    };
    if row.status != COMPLETE {
        return Ok(Exclusion::AlreadyExcluded);
    }
    let tally =
        tally_of(&row).ok_or_else(|| DbErr::Custom(format!("response {}: its answers do not parse", row.id)))?;
    super::tallies::add(&txn, survey_id, &tally.negated()).await?;
    let id = row.id;
    let mut excluded: response::ActiveModel = row.into();
    excluded.status = Set(EXCLUDED.to_owned());
    if erase {
        excluded.answers = Set("{}".to_owned());
    }
    excluded.update(&txn).await?;
    detail["response"] = serde_json::json!(id);
    super::audit::record(&txn, actor, "response.exclude", &format!("survey {survey_id}"), detail).await?;
    txn.commit().await?;
    Ok(Exclusion::Done(id))
}

/// The channel a response came through, as stored.
pub fn channel_of(row: &ResponseRow) -> Result<Channel, AppError> {
    super::stored(Channel::parse(&row.channel), "response.channel", row.id, &row.channel)
}

/// The response of a survey whose token hash in `column` is `token_hash`.
async fn find_by_token(
    db: &DatabaseConnection,
    survey_id: i64,
    column: response::Column,
    token_hash: &str,
) -> Result<Option<ResponseRow>, DbErr> {
    response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(column.eq(token_hash))
        .one(db)
        .await
}

/// The response a resume token belongs to.
pub async fn find_by_resume_token(
    db: &DatabaseConnection,
    survey_id: i64,
    token_hash: &str,
) -> Result<Option<ResponseRow>, DbErr> {
    find_by_token(db, survey_id, response::Column::ResumeTokenHash, token_hash).await
}

/// The response that moved to another device from the one holding this token.
pub async fn find_moved_from(
    db: &DatabaseConnection,
    survey_id: i64,
    token_hash: &str,
) -> Result<Option<ResponseRow>, DbErr> {
    find_by_token(db, survey_id, response::Column::MovedTokenHash, token_hash).await
}

/// Moves a response in progress from one resume token to another, if it is still in progress
/// under the old one; `false` when it is not (used, submitted or pruned meanwhile). One
/// conditional update, so of two browsers taking the same link over only one succeeds.
pub async fn replace_resume_token(
    db: &DatabaseConnection,
    survey_id: i64,
    old_hash: &str,
    new_hash: &str,
) -> Result<bool, DbErr> {
    let updated = response::Entity::update_many()
        .col_expr(response::Column::ResumeTokenHash, sea_orm::sea_query::Expr::value(new_hash))
        .col_expr(response::Column::MovedTokenHash, sea_orm::sea_query::Expr::value(old_hash))
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::ResumeTokenHash.eq(old_hash))
        .filter(response::Column::Status.eq(IN_PROGRESS))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// How many responses a survey has, complete or in progress.
pub async fn count_all(db: &DatabaseConnection, survey_id: i64) -> Result<u64, DbErr> {
    response::Entity::find().filter(response::Column::SurveyId.eq(survey_id)).count(db).await
}

/// Whether a complete response came from this device already.
pub async fn device_has_answered(db: &DatabaseConnection, survey_id: i64, device_hash: &str) -> Result<bool, DbErr> {
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::DeviceHash.eq(device_hash))
        .filter(response::Column::Status.eq(COMPLETE))
        .count(db)
        .await?
        > 0)
}

/// What a new in-progress response starts with.
pub struct NewProgress<'a> {
    pub survey_id: i64,
    pub survey_version: i32,
    pub channel: &'a str,
    pub language: &'a str,
    pub fields_json: String,
    pub current_page: i32,
    pub area_key: Option<String>,
    pub invite_code_id: Option<i64>,
    pub resume_token_hash: String,
    pub submission_id: String,
}

/// Stores a new in-progress response.
pub async fn insert_progress(db: &DatabaseConnection, new: NewProgress<'_>) -> Result<ResponseRow, DbErr> {
    let now = OffsetDateTime::now_utc();
    response::ActiveModel {
        survey_id: Set(new.survey_id),
        survey_version: Set(new.survey_version),
        status: Set(IN_PROGRESS.to_owned()),
        channel: Set(new.channel.to_owned()),
        language: Set(new.language.to_owned()),
        answers: Set(new.fields_json),
        current_page: Set(new.current_page),
        area_key: Set(new.area_key),
        invite_code_id: Set(new.invite_code_id),
        resume_token_hash: Set(Some(new.resume_token_hash)),
        submission_id: Set(Some(new.submission_id)),
        started_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Saves the fields typed so far and the page to return to; only while still in progress.
pub async fn save_progress(
    db: &DatabaseConnection,
    id: i64,
    fields_json: String,
    current_page: i32,
    language: &str,
) -> Result<(), DbErr> {
    response::Entity::update_many()
        .col_expr(response::Column::Answers, Expr::value(fields_json))
        .col_expr(response::Column::CurrentPage, Expr::value(current_page))
        .col_expr(response::Column::Language, Expr::value(language))
        .col_expr(response::Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(response::Column::Id.eq(id))
        .filter(response::Column::Status.eq(IN_PROGRESS))
        .exec(db)
        .await?;
    Ok(())
}

/// The receipt of a complete response.
pub async fn receipt_of(db: &impl ConnectionTrait, id: i64) -> Result<Option<String>, DbErr> {
    Ok(response::Entity::find_by_id(id).one(db).await?.and_then(|r| r.receipt))
}

/// Complete responses to a survey, oldest first.
pub async fn complete_responses(db: &DatabaseConnection, survey_id: i64) -> Result<Vec<ResponseRow>, DbErr> {
    response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .order_by_asc(response::Column::Id)
        .all(db)
        .await
}

/// The receipt of the complete response stored with this submission id, if any.
pub async fn receipt_for_submission(
    db: &DatabaseConnection,
    survey_id: i64,
    submission_id: &str,
) -> Result<Option<String>, DbErr> {
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::SubmissionId.eq(submission_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .one(db)
        .await?
        .and_then(|r| r.receipt))
}

/// Whether a complete response of the survey has this receipt.
pub async fn has_receipt(db: &DatabaseConnection, survey_id: i64, receipt: &str) -> Result<bool, DbErr> {
    Ok(response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Receipt.eq(receipt))
        .filter(response::Column::Status.eq(COMPLETE))
        .count(db)
        .await?
        > 0)
}

/// How many complete responses a survey has.
pub async fn count_complete(db: &DatabaseConnection, survey_id: i64) -> Result<u64, DbErr> {
    response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .count(db)
        .await
}

/// Deletes in-progress responses untouched since `before` (nobody is coming back for them).
pub async fn prune_abandoned(db: &DatabaseConnection, before: OffsetDateTime) -> Result<u64, DbErr> {
    Ok(response::Entity::delete_many()
        .filter(response::Column::Status.eq(IN_PROGRESS))
        .filter(response::Column::UpdatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

/// The invite code of a survey (stored without its dash).
pub async fn find_invite(db: &DatabaseConnection, survey_id: i64, code: &str) -> Result<Option<InviteCodeRow>, DbErr> {
    invite_code::Entity::find()
        .filter(invite_code::Column::SurveyId.eq(survey_id))
        .filter(invite_code::Column::Code.eq(code))
        .one(db)
        .await
}

/// The highest batch number of a survey's invite codes (0 when none).
pub async fn last_invite_batch(db: &impl ConnectionTrait, survey_id: i64) -> Result<i32, DbErr> {
    let last: Option<Option<i32>> = invite_code::Entity::find()
        .select_only()
        .column_as(invite_code::Column::Batch.max(), "batch")
        .filter(invite_code::Column::SurveyId.eq(survey_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// A survey's invite codes, optionally of one batch, in the order they were made.
pub async fn invites(
    db: &impl ConnectionTrait,
    survey_id: i64,
    batch: Option<i32>,
) -> Result<Vec<InviteCodeRow>, DbErr> {
    let mut query = invite_code::Entity::find().filter(invite_code::Column::SurveyId.eq(survey_id));
    if let Some(batch) = batch {
        query = query.filter(invite_code::Column::Batch.eq(batch));
    }
    query.order_by_asc(invite_code::Column::Id).all(db).await
}

/// Stores a batch of new invite codes.
pub async fn insert_invites(
    db: &impl ConnectionTrait,
    survey_id: i64,
    batch: i32,
    codes: Vec<String>,
    area_key: Option<String>,
) -> Result<(), DbErr> {
    let now = OffsetDateTime::now_utc();
    // Bounded rows per statement: SQLite allows 32,766 parameters.
    for chunk in codes.chunks(1000) {
        let rows = chunk.iter().map(|code| invite_code::ActiveModel {
            survey_id: Set(survey_id),
            code: Set(code.clone()),
            batch: Set(batch),
            area_key: Set(area_key.clone()),
            created_at: Set(now),
            used_at: Set(None),
            ..Default::default()
        });
        invite_code::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Complete responses of a survey by channel.
pub async fn count_by_channel(db: &DatabaseConnection, survey_id: i64) -> Result<Vec<(String, u64)>, DbErr> {
    let rows: Vec<(String, i64)> = response::Entity::find()
        .select_only()
        .column(response::Column::Channel)
        .column_as(response::Column::Id.count(), "n")
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .group_by(response::Column::Channel)
        .order_by_asc(response::Column::Channel)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(channel, n)| (channel, n.max(0) as u64)).collect())
}

/// Which complete responses to read when results cannot come from the tallies.
#[derive(Debug, Clone, Default)]
pub struct ResponseFilter {
    pub channels: Option<Vec<String>>,
    /// Submitted at or after.
    pub since: Option<OffsetDateTime>,
    /// Submitted before.
    pub before: Option<OffsetDateTime>,
    /// Only respondents whose answers include this (question part, option).
    pub group: Option<(String, String)>,
    /// Cross-tab: each respondent's option on this part goes in its cell's `by`.
    pub by: Option<String>,
}

impl ResponseFilter {
    /// The filter a results request asks for (days are whole UTC days).
    pub fn of(request: &ResultsRequest) -> Self {
        ResponseFilter {
            channels: request.channels.clone(),
            since: request.from.map(|d| d.midnight().assume_utc()),
            before: request.to.and_then(|d| d.next_day()).map(|d| d.midnight().assume_utc()),
            group: request.group.clone(),
            by: request.by.clone(),
        }
    }
}

/// A complete response as results and exports read it.
#[derive(Debug, Clone)]
pub struct CompleteRow {
    pub id: i64,
    pub channel: String,
    pub language: String,
    pub area_key: Option<String>,
    pub answers_json: String,
    pub submitted_at: Option<OffsetDateTime>,
}

impl CompleteRow {
    /// The checked answers; a row that does not parse is logged and left out.
    pub fn answers(&self) -> Option<Answers> {
        serde_json::from_str(&self.answers_json)
            .inspect_err(|_| {
                tracing::error!(response.id = self.id, "a stored response's answers do not parse; left out")
            })
            .ok()
    }
}

/// The columns [`complete_page`] reads, in order.
type CompleteColumns = (i64, String, String, Option<String>, String, Option<OffsetDateTime>);

/// Rows per page when reading complete responses in order.
pub const PAGE: u64 = 5000;

/// The next page of complete responses after `after_id` that the filter keeps (channel and
/// dates; the group is checked by the caller on the answers), in id order.
pub async fn complete_page(
    db: &impl ConnectionTrait,
    survey_id: i64,
    filter: &ResponseFilter,
    after_id: i64,
) -> Result<Vec<CompleteRow>, DbErr> {
    let mut query = response::Entity::find()
        .select_only()
        .columns([
            response::Column::Id,
            response::Column::Channel,
            response::Column::Language,
            response::Column::AreaKey,
            response::Column::Answers,
            response::Column::SubmittedAt,
        ])
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .filter(response::Column::Id.gt(after_id));
    if let Some(channels) = &filter.channels {
        query = query.filter(response::Column::Channel.is_in(channels.clone()));
    }
    if let Some(since) = filter.since {
        query = query.filter(response::Column::SubmittedAt.gte(since));
    }
    if let Some(before) = filter.before {
        query = query.filter(response::Column::SubmittedAt.lt(before));
    }
    let rows: Vec<CompleteColumns> = query.order_by_asc(response::Column::Id).limit(PAGE).into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, channel, language, area_key, answers_json, submitted_at)| CompleteRow {
            id,
            channel,
            language,
            area_key,
            answers_json,
            submitted_at,
        })
        .collect())
}

/// How many complete responses a survey has had since `since`, and when the latest came.
pub async fn complete_since(
    db: &DatabaseConnection,
    survey_id: i64,
    since: OffsetDateTime,
) -> Result<(u64, Option<OffsetDateTime>), DbErr> {
    let recent = response::Entity::find()
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .filter(response::Column::SubmittedAt.gte(since))
        .count(db)
        .await?;
    let latest: Option<Option<OffsetDateTime>> = response::Entity::find()
        .select_only()
        .column(response::Column::SubmittedAt)
        .filter(response::Column::SurveyId.eq(survey_id))
        .filter(response::Column::Status.eq(COMPLETE))
        .filter(response::Column::SubmittedAt.is_not_null())
        // By time, not id: paper forms typed in later, and imported responses, come after
        // responses that were given later.
        .order_by_desc(response::Column::SubmittedAt)
        .into_tuple()
        .one(db)
        .await?;
    Ok((recent, latest.flatten()))
}

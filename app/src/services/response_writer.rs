//! Storing complete responses in groups ("group commit").
//!
//! Every complete response, from the resident's form or the JSON API, goes through one writer
//! task. It takes whatever has queued up (up to [`MAX_GROUP`]), stores it in one transaction and
//! only then answers each submitter: a receipt is never shown before its response is committed
//! (and, on SQLite with `synchronous = FULL`, on disk). One commit per group instead of one per
//! response is what lets a single SQLite file take thousands of responses a second.
//!
//! The writer is also where submissions become idempotent: a submission id seen before (in the
//! database or earlier in the same group) gets the first response's receipt, and nothing new is
//! stored. An invite code is marked used in the same transaction as its response, with a
//! conditional update, so a code admits one response even across many app servers.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::db::entities::{invite_code, response};
use crate::db::responses::{COMPLETE, IN_PROGRESS};
use crate::db::tallies;
use crate::domain::access::{CODE_LENGTH, CODE_SYMBOLS, Channel};
use crate::domain::analytics::tally::{ResponseTally, Tally};
use crate::error::AppError;
use crate::services::codes::random_code;

/// The most responses stored in one transaction.
pub const MAX_GROUP: usize = 512;
/// Submissions waiting beyond this make submitters wait for room (back-pressure).
const QUEUE: usize = 8192;

/// A checked, complete response ready to store.
#[derive(Debug, Clone)]
pub struct CompleteResponse {
    pub survey_id: i64,
    pub survey_version: i32,
    pub channel: Channel,
    pub language: String,
    /// The checked answers, as JSON by question key.
    pub answers_json: String,
    pub area_key: Option<String>,
    pub invite_code_id: Option<i64>,
    pub device_hash: Option<String>,
    pub submission_id: String,
    /// The in-progress response this completes, when the resident answered page by page.
    pub in_progress: Option<i64>,
    /// What the response adds to the survey's tallies (computed by the submitter, added in the
    /// same transaction as the response).
    pub tally: ResponseTally,
}

/// What happened to a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now; the new receipt.
    New { receipt: String },
    /// The same submission was stored before; its receipt.
    Again { receipt: String },
}

impl Stored {
    pub fn receipt(&self) -> &str {
        match self {
            Stored::New { receipt } | Stored::Again { receipt } => receipt,
        }
    }
}

type Reply = Result<Stored, AppError>;

struct Job {
    response: CompleteResponse,
    reply: oneshot::Sender<Reply>,
}

/// The handle submitters use; cheap to clone.
#[derive(Clone, Debug)]
pub struct ResponseWriter {
    queue: mpsc::Sender<Job>,
}

impl ResponseWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, jobs));
        ResponseWriter { queue }
    }

    /// Stores a complete response and returns once it is committed.
    pub async fn store(&self, response: CompleteResponse) -> Result<Stored, AppError> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Job { response, reply }).await.map_err(|_| {
            tracing::error!("the response writer has stopped");
            AppError::Internal
        })?;
        answer.await.map_err(|_| {
            tracing::error!("the response writer dropped a submission");
            AppError::Internal
        })?
    }
}

async fn run(db: DatabaseConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while jobs.recv_many(&mut group, MAX_GROUP).await > 0 {
        let batch: Vec<Job> = std::mem::take(&mut group);
        let (responses, replies): (Vec<CompleteResponse>, Vec<oneshot::Sender<Reply>>) =
            batch.into_iter().map(|j| (j.response, j.reply)).unzip();
        let outcomes = match store_group(&db, &responses).await {
            Ok(outcomes) => outcomes,
            Err(e) => {
                tracing::error!(error = %e, responses = responses.len(), "could not store a group of responses");
                vec![Err(AppError::Internal); responses.len()]
            }
        };
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            // A submitter that gave up (closed connection) no longer needs its answer.
            let _ = reply.send(outcome);
        }
    }
}

/// Stores one group in one transaction; one outcome per response, in order.
async fn store_group(db: &DatabaseConnection, group: &[CompleteResponse]) -> Result<Vec<Reply>, DbErr> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    let mut known = stored_receipts(&txn, group.iter().map(|r| (r.survey_id, r.submission_id.as_str()))).await?;

    let mut outcomes: Vec<Option<Reply>> = vec![None; group.len()];
    let mut new_rows = Vec::new();
    let mut inserted = Vec::new();
    // What was stored, for the tallies.
    let mut tallied: HashMap<i64, Tally> = HashMap::new();
    for (i, r) in group.iter().enumerate() {
        let key = (r.survey_id, r.submission_id.clone());
        if let Some(receipt) = known.get(&key) {
            outcomes[i] = Some(Ok(Stored::Again { receipt: receipt.clone() }));
            continue;
        }
        if let Some(progress) = r.in_progress {
            let stored = response::Entity::find_by_id(progress).one(&txn).await?;
            if let Some(receipt) = stored.filter(|s| s.status == COMPLETE).and_then(|s| s.receipt) {
                outcomes[i] = Some(Ok(Stored::Again { receipt }));
                continue;
            }
        }
        if let Some(invite) = r.invite_code_id {
            let used = invite_code::Entity::update_many()
                .col_expr(invite_code::Column::UsedAt, Expr::value(now))
                .filter(invite_code::Column::Id.eq(invite))
                .filter(invite_code::Column::UsedAt.is_null())
                .exec(&txn)
                .await?;
            if used.rows_affected == 0 {
                outcomes[i] = Some(Err(AppError::conflict(
                    "invite_code_used",
                    "This invite code has already been used to answer the survey.",
                )));
                continue;
            }
        }
        let receipt = random_code(CODE_SYMBOLS, CODE_LENGTH);
        match r.in_progress {
            Some(progress) => {
                let completed = response::Entity::update_many()
                    .col_expr(response::Column::Status, Expr::value(COMPLETE))
                    .col_expr(response::Column::Answers, Expr::value(r.answers_json.clone()))
                    .col_expr(response::Column::Language, Expr::value(r.language.clone()))
                    .col_expr(response::Column::AreaKey, Expr::value(r.area_key.clone()))
                    .col_expr(response::Column::DeviceHash, Expr::value(r.device_hash.clone()))
                    .col_expr(response::Column::SubmissionId, Expr::value(r.submission_id.clone()))
                    .col_expr(response::Column::Receipt, Expr::value(receipt.clone()))
                    .col_expr(response::Column::SurveyVersion, Expr::value(r.survey_version))
                    .col_expr(response::Column::ResumeTokenHash, Expr::value(None::<String>))
                    .col_expr(response::Column::UpdatedAt, Expr::value(now))
                    .col_expr(response::Column::SubmittedAt, Expr::value(Some(now)))
                    .filter(response::Column::Id.eq(progress))
                    .filter(response::Column::Status.eq(IN_PROGRESS))
                    .exec(&txn)
                    .await?;
                if completed.rows_affected == 1 {
                    tallied.entry(r.survey_id).or_default().add(r.tally.clone());
                }
            }
            None => {
                new_rows.push(response::ActiveModel {
                    survey_id: Set(r.survey_id),
                    survey_version: Set(r.survey_version),
                    status: Set(COMPLETE.to_owned()),
                    channel: Set(r.channel.as_str().to_owned()),
                    language: Set(r.language.clone()),
                    answers: Set(r.answers_json.clone()),
                    current_page: Set(0),
                    area_key: Set(r.area_key.clone()),
                    invite_code_id: Set(r.invite_code_id),
                    resume_token_hash: Set(None),
                    device_hash: Set(r.device_hash.clone()),
                    submission_id: Set(Some(r.submission_id.clone())),
                    receipt: Set(Some(receipt.clone())),
                    started_at: Set(now),
                    updated_at: Set(now),
                    submitted_at: Set(Some(now)),
                    ..Default::default()
                });
                inserted.push(i);
            }
        }
        known.insert(key, receipt.clone());
        outcomes[i] = Some(Ok(Stored::New { receipt }));
    }
    if !new_rows.is_empty() {
        // A conflict means another app server stored the same submission id a moment ago
        // (PostgreSQL with several servers); it is resolved below from what was committed.
        let conflict =
            OnConflict::columns([response::Column::SurveyId, response::Column::SubmissionId]).do_nothing().to_owned();
        let stored = match response::Entity::insert_many(new_rows).on_conflict(conflict).exec_with_returning(&txn).await
        {
            Ok(rows) => rows,
            Err(DbErr::RecordNotInserted) => Vec::new(),
            Err(e) => return Err(e),
        };
        // Only what this transaction inserted is tallied: a row another server stored is its.
        let ours: HashMap<(i64, &str), usize> =
            inserted.iter().map(|&i| ((group[i].survey_id, group[i].submission_id.as_str()), i)).collect();
        for row in &stored {
            if let Some(&i) = row.submission_id.as_deref().and_then(|s| ours.get(&(row.survey_id, s))) {
                tallied.entry(group[i].survey_id).or_default().add(group[i].tally.clone());
            }
        }
    }
    for (survey_id, tally) in &tallied {
        tallies::add(&txn, *survey_id, tally).await?;
    }
    txn.commit().await?;

    // On SQLite this writer is the only one, and the transaction above already looked every
    // submission id up; on PostgreSQL another app server may have stored the same id a moment
    // ago, so what was committed is read back.
    let single_writer = db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite;
    if !inserted.is_empty() && !single_writer {
        let stored =
            stored_receipts(db, inserted.iter().map(|&i| (group[i].survey_id, group[i].submission_id.as_str())))
                .await?;
        for &i in &inserted {
            let r = &group[i];
            let committed = stored.get(&(r.survey_id, r.submission_id.clone())).cloned();
            let ours = outcomes[i].as_ref().and_then(|o| o.as_ref().ok()).map(|s| s.receipt().to_owned());
            outcomes[i] = Some(match committed {
                Some(receipt) if Some(&receipt) == ours.as_ref() => Ok(Stored::New { receipt }),
                Some(receipt) => Ok(Stored::Again { receipt }),
                None => {
                    tracing::error!(survey = r.survey_id, "a response vanished after its group was committed");
                    Err(AppError::Internal)
                }
            });
        }
    }
    Ok(outcomes.into_iter().map(|o| o.unwrap_or(Err(AppError::Internal))).collect())
}

/// The receipts of complete responses stored with these `(survey, submission id)` pairs, looked
/// up one survey at a time so the `(survey_id, submission_id)` index is used.
async fn stored_receipts<'a>(
    db: &impl sea_orm::ConnectionTrait,
    pairs: impl Iterator<Item = (i64, &'a str)>,
) -> Result<HashMap<(i64, String), String>, DbErr> {
    let mut by_survey: HashMap<i64, Vec<String>> = HashMap::new();
    for (survey, submission) in pairs {
        by_survey.entry(survey).or_default().push(submission.to_owned());
    }
    let mut found = HashMap::new();
    for (survey, submissions) in by_survey {
        let rows: Vec<(Option<String>, Option<String>)> = response::Entity::find()
            .select_only()
            .columns([response::Column::SubmissionId, response::Column::Receipt])
            .filter(response::Column::SurveyId.eq(survey))
            .filter(response::Column::SubmissionId.is_in(submissions))
            .filter(response::Column::Status.eq(COMPLETE))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows.into_iter().filter_map(|(s, r)| Some(((survey, s?), r?))));
    }
    Ok(found)
}

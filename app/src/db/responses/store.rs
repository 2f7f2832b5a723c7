//! Storing a group of complete responses in one transaction (the SQL behind
//! `services::responses::writer`, which queues them): idempotent by submission id, an invite
//! code marked used with a conditional update in the same transaction, and the survey's
//! tallies added with the responses.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set, TransactionTrait};
use time::OffsetDateTime;

use super::{COMPLETE, IN_PROGRESS};
use crate::db::entities::{invite_code, response};
use crate::db::tallies;
use crate::domain::access::Channel;
use crate::domain::analytics::tally::{ResponseTally, Tally};
use crate::domain::submission::{Refusal, Stored};
use crate::error::AppError;

/// A checked, complete response ready to store.
#[derive(Debug, Clone)]
pub struct CompleteResponse {
    pub survey_id: i64,
    pub survey_version: i32,
    pub channel: Channel,
    pub language: String,
    /// The checked answers, as JSON by question key.
    pub answers_json: String,
    /// SHA-256 of `answers_json`: a submission id seen before with other answers is refused.
    pub answers_hash: String,
    pub area_key: Option<String>,
    pub invite_code_id: Option<i64>,
    pub device_hash: Option<String>,
    /// Scoped by its submitter (`domain::submission::Submitter::scoped`).
    pub submission_id: String,
    /// The receipt the resident will be shown if this is stored now (made by the submitter, so
    /// storing is the same for the same input).
    pub receipt: String,
    /// The in-progress response this completes, when the resident answered page by page.
    pub in_progress: Option<i64>,
    /// What the response adds to the survey's tallies (computed by the submitter, added in the
    /// same transaction as the response).
    pub tally: ResponseTally,
}

/// What one response of a group came to.
pub type Outcome = Result<Stored, AppError>;

/// Stores one group in one transaction; one outcome per response, in order.
pub async fn store_group(db: &DatabaseConnection, group: &[CompleteResponse]) -> Result<Vec<Outcome>, DbErr> {
    let now = OffsetDateTime::now_utc();
    let txn = db.begin().await?;
    let mut known = stored_receipts(&txn, group.iter().map(|r| (r.survey_id, r.submission_id.as_str()))).await?;

    let mut outcomes: Vec<Option<Outcome>> = vec![None; group.len()];
    let mut new_rows = Vec::new();
    let mut inserted = Vec::new();
    // Responses in progress that another server completed first: answered after the commit.
    let mut raced = Vec::new();
    // What was stored, for the tallies.
    let mut tallied: HashMap<i64, Tally> = HashMap::new();
    for (i, r) in group.iter().enumerate() {
        let key = (r.survey_id, r.submission_id.clone());
        if let Some(earlier) = known.get(&key) {
            // A retry sends the same answers; another response under the same id is refused
            // (ids stored before answers were hashed are taken as retries).
            let same = earlier.answers_hash.as_ref().is_none_or(|hash| *hash == r.answers_hash);
            outcomes[i] = Some(Ok(if same {
                Stored::Already { receipt: earlier.receipt.clone() }
            } else {
                Stored::Refused(Refusal::SubmissionReused)
            }));
            continue;
        }
        let mut completes = r.in_progress;
        if let Some(progress) = r.in_progress {
            match response::Entity::find_by_id(progress).one(&txn).await? {
                Some(stored) if stored.status == COMPLETE => {
                    outcomes[i] = Some(match stored.receipt {
                        Some(receipt) => Ok(Stored::Already { receipt }),
                        None => Err(AppError::Internal),
                    });
                    continue;
                }
                Some(_) => {}
                // Pruned (abandoned for 30 days) while the resident was on its last page: the
                // response is stored as a new row rather than lost.
                None => completes = None,
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
                outcomes[i] = Some(Ok(Stored::Refused(Refusal::InviteUsed)));
                continue;
            }
        }
        let receipt = r.receipt.clone();
        match completes {
            Some(progress) => {
                let completed = response::Entity::update_many()
                    .col_expr(response::Column::Status, Expr::value(COMPLETE))
                    .col_expr(response::Column::Answers, Expr::value(r.answers_json.clone()))
                    .col_expr(response::Column::Language, Expr::value(r.language.clone()))
                    .col_expr(response::Column::AreaKey, Expr::value(r.area_key.clone()))
                    .col_expr(response::Column::DeviceHash, Expr::value(r.device_hash.clone()))
                    .col_expr(response::Column::SubmissionId, Expr::value(r.submission_id.clone()))
                    .col_expr(response::Column::AnswersHash, Expr::value(r.answers_hash.clone()))
                    .col_expr(response::Column::Receipt, Expr::value(receipt.clone()))
                    .col_expr(response::Column::SurveyVersion, Expr::value(r.survey_version))
                    .col_expr(response::Column::ResumeTokenHash, Expr::value(None::<String>))
                    .col_expr(response::Column::UpdatedAt, Expr::value(now))
                    .col_expr(response::Column::SubmittedAt, Expr::value(Some(now)))
                    .filter(response::Column::Id.eq(progress))
                    .filter(response::Column::Status.eq(IN_PROGRESS))
                    .exec(&txn)
                    .await?;
                if completed.rows_affected != 1 {
                    // Completed by another app server between the look-up and the update:
                    // that one's receipt stands (read back after the commit).
                    tracing::warn!(response = progress, "a response in progress was completed concurrently");
                    outcomes[i] = Some(Err(AppError::Internal));
                    raced.push(i);
                    continue;
                }
                tallied.entry(r.survey_id).or_default().add(r.tally.clone());
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
                    answers_hash: Set(Some(r.answers_hash.clone())),
                    receipt: Set(Some(receipt.clone())),
                    started_at: Set(now),
                    updated_at: Set(now),
                    submitted_at: Set(Some(now)),
                    ..Default::default()
                });
                inserted.push(i);
            }
        }
        known.insert(key, Earlier { receipt: receipt.clone(), answers_hash: Some(r.answers_hash.clone()) });
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

    for &i in &raced {
        let r = &group[i];
        let row = match r.in_progress {
            Some(progress) => response::Entity::find_by_id(progress).one(db).await?,
            None => None,
        };
        outcomes[i] = Some(match row.filter(|row| row.status == COMPLETE).and_then(|row| row.receipt) {
            Some(receipt) => Ok(Stored::Already { receipt }),
            None => Err(AppError::Internal),
        });
    }

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
            let committed = stored.get(&(r.survey_id, r.submission_id.clone())).map(|e| e.receipt.clone());
            let ours = outcomes[i].as_ref().and_then(|o| o.as_ref().ok()).and_then(Stored::receipt).map(str::to_owned);
            outcomes[i] = Some(match committed {
                Some(receipt) if Some(&receipt) == ours.as_ref() => Ok(Stored::New { receipt }),
                Some(receipt) => Ok(Stored::Already { receipt }),
                None => {
                    tracing::error!(survey = r.survey_id, "a response vanished after its group was committed");
                    Err(AppError::Internal)
                }
            });
        }
    }
    Ok(outcomes.into_iter().map(|o| o.unwrap_or(Err(AppError::Internal))).collect())
}

/// A complete response stored before under a submission id.
struct Earlier {
    receipt: String,
    answers_hash: Option<String>,
}

/// The complete responses stored with these `(survey, submission id)` pairs, looked up one
/// survey at a time so the `(survey_id, submission_id)` index is used.
async fn stored_receipts<'a>(
    db: &impl sea_orm::ConnectionTrait,
    pairs: impl Iterator<Item = (i64, &'a str)>,
) -> Result<HashMap<(i64, String), Earlier>, DbErr> {
    let mut by_survey: HashMap<i64, Vec<String>> = HashMap::new();
    for (survey, submission) in pairs {
        by_survey.entry(survey).or_default().push(submission.to_owned());
    }
    let mut found = HashMap::new();
    for (survey, submissions) in by_survey {
        let rows: Vec<(Option<String>, Option<String>, Option<String>)> = response::Entity::find()
            .select_only()
            .columns([response::Column::SubmissionId, response::Column::Receipt, response::Column::AnswersHash])
            .filter(response::Column::SurveyId.eq(survey))
            .filter(response::Column::SubmissionId.is_in(submissions))
            .filter(response::Column::Status.eq(COMPLETE))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(
            rows.into_iter()
                .filter_map(|(s, r, answers_hash)| Some(((survey, s?), Earlier { receipt: r?, answers_hash }))),
        );
    }
    Ok(found)
}

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
//! conditional update, so a code admits one response even across many app servers. The SQL of
//! a group is `db::responses::store`'s; this module is the queue in front of it.

use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use crate::db::responses::store::{CompleteResponse, store_group};
use crate::domain::submission::Stored;
use crate::error::AppError;

/// The most responses stored in one transaction.
pub const MAX_GROUP: usize = 512;
/// Submissions waiting beyond this make submitters wait for room (back-pressure).
const QUEUE: usize = 8192;

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

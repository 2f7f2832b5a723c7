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
//!
//! Failures cost only what failed: a group whose transaction fails is stored again one response
//! at a time (a receipt that collides with a stored one is drawn again), a panic fails its group
//! and the loop goes on under a supervisor, and `/healthz` reports the writer's state
//! ([`ResponseWriter::health`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use sea_orm::{DatabaseConnection, DbErr, SqlErr};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::db::responses::store::{CompleteResponse, Outcome, store_group};
use crate::domain::access::{CODE_LENGTH, CODE_SYMBOLS};
use crate::domain::submission::Stored;
use crate::error::AppError;
use crate::services::codes::random_code;

/// The most responses stored in one transaction.
pub const MAX_GROUP: usize = 512;
/// Submissions waiting beyond this make submitters wait for room (back-pressure).
const QUEUE: usize = 8192;
/// Tries of one response stored on its own, each with a new receipt if the last collided.
const TRIES_ALONE: usize = 3;

type Reply = Result<Stored, AppError>;

struct Job {
    response: CompleteResponse,
    reply: oneshot::Sender<Reply>,
}

/// The handle submitters use; cheap to clone.
#[derive(Clone, Debug)]
pub struct ResponseWriter {
    queue: mpsc::Sender<Job>,
    health: Arc<Health>,
}

/// How the writer is doing, for `/healthz`.
#[derive(Debug, Default)]
struct Health {
    /// The writer's loop is running (its supervisor restarts it if it panics).
    running: AtomicBool,
    /// The last group could not be stored at all (the database refused every response).
    failing: AtomicBool,
    /// How often the loop panicked and was restarted.
    restarts: AtomicU64,
}

/// The writer's state as `/healthz` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterHealth {
    /// Storing responses.
    Ok,
    /// The last group of responses could not be stored (each got a 500).
    Failing,
    /// The writer is not running: no response can be stored.
    Stopped,
}

impl WriterHealth {
    /// As written in `/healthz`.
    pub fn as_str(self) -> &'static str {
        match self {
            WriterHealth::Ok => "ok",
            WriterHealth::Failing => "failing",
            WriterHealth::Stopped => "stopped",
        }
    }
}

impl ResponseWriter {
    /// Starts the writer task, under a supervisor that restarts it after a panic, on the
    /// current Tokio runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let health = Arc::new(Health::default());
        health.running.store(true, Ordering::SeqCst);
        tokio::spawn(supervise(db, Arc::new(Mutex::new(jobs)), health.clone()));
        ResponseWriter { queue, health }
    }

    /// Whether responses are being stored.
    pub fn health(&self) -> WriterHealth {
        if !self.health.running.load(Ordering::SeqCst) || self.queue.is_closed() {
            WriterHealth::Stopped
        } else if self.health.failing.load(Ordering::SeqCst) {
            WriterHealth::Failing
        } else {
            WriterHealth::Ok
        }
    }

    /// How often the writer's loop was restarted after a panic.
    pub fn restarts(&self) -> u64 {
        self.health.restarts.load(Ordering::SeqCst)
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

/// Runs the writer's loop, and runs it again if it panics (the queue survives: submitters
/// waiting in it are served by the next run; the group in hand when it panicked gets 500s).
async fn supervise(db: DatabaseConnection, jobs: Arc<Mutex<mpsc::Receiver<Job>>>, health: Arc<Health>) {
    loop {
        match tokio::spawn(run(db.clone(), jobs.clone(), health.clone())).await {
            Ok(()) => break,
            Err(e) => {
                health.restarts.fetch_add(1, Ordering::SeqCst);
                tracing::error!(error = %e, "the response writer stopped unexpectedly; restarting it");
            }
        }
    }
    // Every sender is gone: the server is shutting down.
    health.running.store(false, Ordering::SeqCst);
}

async fn run(db: DatabaseConnection, jobs: Arc<Mutex<mpsc::Receiver<Job>>>, health: Arc<Health>) {
    let mut jobs = jobs.lock().await;
    let mut group = Vec::with_capacity(MAX_GROUP);
    while jobs.recv_many(&mut group, MAX_GROUP).await > 0 {
        let batch: Vec<Job> = std::mem::take(&mut group);
        let (responses, replies): (Vec<CompleteResponse>, Vec<oneshot::Sender<Reply>>) =
            batch.into_iter().map(|j| (j.response, j.reply)).unzip();
        let outcomes = store_safely(&db, responses).await;
        health.failing.store(!outcomes.is_empty() && outcomes.iter().all(Result::is_err), Ordering::SeqCst);
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            // A submitter that gave up (closed connection) no longer needs its answer.
            let _ = reply.send(outcome);
        }
    }
}

/// Stores a group in one transaction; if that fails, each response on its own, so one bad row
/// (or a receipt that collides with a stored one) costs only itself. A panic while storing
/// fails the group, not the writer.
async fn store_safely(db: &DatabaseConnection, responses: Vec<CompleteResponse>) -> Vec<Outcome> {
    let count = responses.len();
    let db = db.clone();
    let stored = tokio::spawn(async move {
        match store_group(&db, &responses).await {
            Ok(outcomes) => outcomes,
            Err(e) => {
                if responses.len() > 1 {
                    tracing::warn!(error = %e, responses = responses.len(), "a group of responses failed; storing them one by one");
                }
                let mut outcomes = Vec::with_capacity(responses.len());
                for response in responses {
                    outcomes.push(store_alone(&db, response).await);
                }
                outcomes
            }
        }
    })
    .await;
    stored.unwrap_or_else(|e| {
        tracing::error!(error = %e, responses = count, "storing a group of responses panicked");
        vec![Err(AppError::Internal); count]
    })
}

/// Stores one response in a transaction of its own, drawing a new receipt when it collides
/// with one stored before (the `(survey, receipt)` index).
async fn store_alone(db: &DatabaseConnection, mut response: CompleteResponse) -> Outcome {
    let mut last_error = None;
    for _ in 0..TRIES_ALONE {
        match store_group(db, std::slice::from_ref(&response)).await {
            Ok(mut outcomes) => return outcomes.pop().unwrap_or(Err(AppError::Internal)),
            Err(e) if is_unique_violation(&e) => {
                response.receipt = random_code(CODE_SYMBOLS, CODE_LENGTH);
                last_error = Some(e);
            }
            Err(e) => {
                last_error = Some(e);
                break;
            }
        }
    }
    if let Some(e) = last_error {
        tracing::error!(error = %e, survey.id = response.survey_id, "could not store a response");
    }
    Err(AppError::Internal)
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

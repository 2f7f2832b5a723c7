//! A short-lived in-memory copy of the surveys residents are answering, so that the busiest
//! pages (a survey page, a posted page, an API submission) do not each read and parse the
//! survey's definition from the database.
//!
//! Entries live one second. Every change to a survey through this process forgets them all at
//! once (`db::surveys` calls [`forget_all`]); another app server sees a change within a second
//! (so a survey closed on one server may take one more second to refuse responses on another).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, DbErr};

use super::surveys::{self, SurveyRow};

/// How long an entry is trusted.
const FRESH_FOR: Duration = Duration::from_secs(1);

type Entries = HashMap<String, (Instant, Option<Arc<SurveyRow>>)>;

static ENTRIES: LazyLock<Mutex<Entries>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn cached(key: &str) -> Option<Option<Arc<SurveyRow>>> {
    let entries = ENTRIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    entries.get(key).filter(|(at, _)| at.elapsed() < FRESH_FOR).map(|(_, row)| row.clone())
}

fn remember(key: String, row: Option<Arc<SurveyRow>>) {
    let mut entries = ENTRIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if entries.len() > 10_000 {
        entries.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
    }
    entries.insert(key, (Instant::now(), row));
}

/// Which database a connection pool reads: entries of two databases in one process (the
/// integration tests run many) must never be mistaken for each other.
pub(crate) fn database_of(db: &DatabaseConnection) -> String {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Sqlite => {
            format!("sqlite:{}", db.get_sqlite_connection_pool().connect_options().get_filename().display())
        }
        sea_orm::DatabaseBackend::Postgres => {
            let options = db.get_postgres_connection_pool().connect_options();
            format!("postgres:{}:{}/{}", options.get_host(), options.get_port(), options.get_database().unwrap_or(""))
        }
        other => format!("{other:?}"),
    }
}

/// The survey with this public key (unknown keys are remembered too, briefly).
pub async fn by_public_key(db: &DatabaseConnection, public_key: &str) -> Result<Option<Arc<SurveyRow>>, DbErr> {
    let key = format!("{}|k:{public_key}", database_of(db));
    if let Some(row) = cached(&key) {
        return Ok(row);
    }
    let row = surveys::find_by_public_key(db, public_key).await?.map(Arc::new);
    remember(key, row.clone());
    Ok(row)
}

/// The survey with this id.
pub async fn by_id(db: &DatabaseConnection, id: i64) -> Result<Option<Arc<SurveyRow>>, DbErr> {
    let key = format!("{}|i:{id}", database_of(db));
    if let Some(row) = cached(&key) {
        return Ok(row);
    }
    let row = surveys::find(db, id).await?.map(Arc::new);
    remember(key, row.clone());
    Ok(row)
}

/// Forgets every entry: called after any change to any survey.
pub fn forget_all() {
    ENTRIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
}

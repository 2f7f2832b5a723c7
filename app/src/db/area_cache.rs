//! A short-lived in-memory copy of each area set's area keys, so that checking a response's
//! area answer (every submission of a survey with an area question) does not read the set from
//! the database each time.
//!
//! Like `survey_cache`: entries live one second, and a change to the area sets through this
//! process ([`super::areas`]) forgets them all at once.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, DbErr};

use super::survey_cache::database_of;

/// How long an entry is trusted.
const FRESH_FOR: Duration = Duration::from_secs(1);

type Keys = Arc<BTreeSet<String>>;

static ENTRIES: LazyLock<Mutex<HashMap<String, (Instant, Keys)>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The keys of the areas of the set with this key (the default set when `None`); empty when
/// there is no such set.
pub async fn area_keys(db: &DatabaseConnection, set: Option<&str>) -> Result<Keys, DbErr> {
    // `|` never appears in a set key, so the default set cannot be mistaken for one.
    let entry = format!("{}|{}", database_of(db), set.unwrap_or("|default"));
    {
        let entries = ENTRIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, keys)) = entries.get(&entry).filter(|(at, _)| at.elapsed() < FRESH_FOR) {
            return Ok(keys.clone());
        }
    }
    let keys: Keys = match super::areas::find_set(db, set).await? {
        Some(found) => {
            Arc::new(super::areas::area_names(db, found.id).await?.into_iter().map(|(_, key, _)| key).collect())
        }
        None => Arc::default(),
    };
    let mut entries = ENTRIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if entries.len() > 1_000 {
        entries.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
    }
    entries.insert(entry, (Instant::now(), keys.clone()));
    Ok(keys)
}

/// Forgets every entry: called after any change to the area sets.
pub fn forget_all() {
    ENTRIES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
}

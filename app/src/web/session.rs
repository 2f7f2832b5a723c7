//! The staff session: which staff member a browser signed in as. The session cookie and its
//! store are `tower_sessions`'; the accounts and roles behind it are `services::auth`'s.

use sea_orm::DatabaseConnection;
use tower_sessions::Session;

use crate::domain::Role;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::services::auth;

/// The session key holding the signed-in staff member's id (the store also files the session
/// under that account, so a password change can end its other sessions).
const STAFF_USER_ID: &str = crate::db::session_store::SIGNED_IN_AS;

/// Starts a signed-in session for `user`, under a fresh session id (no session fixation).
pub async fn start(session: &Session, user: &CurrentUser) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(STAFF_USER_ID, user.id).await.map_err(session_error)
}

/// Ends the session and deletes it from the store.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The session's id as the browser holds it (to keep this session when others are ended).
pub fn id_of(session: &Session) -> Option<String> {
    session.id().map(|id| id.to_string())
}

/// The signed-in staff member, if any. An account deactivated since sign-in is signed out at once.
pub async fn current_user(db: &DatabaseConnection, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    match session.get::<i64>(STAFF_USER_ID).await.map_err(session_error)? {
        Some(id) => auth::active_staff_member(db, id).await,
        None => Ok(None),
    }
}

/// The signed-in staff member if their role grants `required`; otherwise 401 or 403.
pub async fn require(db: &DatabaseConnection, session: &Session, required: Role) -> Result<CurrentUser, AppError> {
    auth::authorize(current_user(db, session).await?, required)
}

/// Keeps `value` under `key` for the page views that follow a plain form post (what a change
/// did, or why it was refused) — only in a signed-in staff member's session. A stranger's
/// refused request writes nothing: no session row is created for anyone who is not signed in.
pub async fn keep_for_next_page<T: serde::Serialize>(session: &Session, key: &str, value: &T) {
    if matches!(session.get::<i64>(STAFF_USER_ID).await, Ok(Some(_))) {
        let _ = session.insert(key, value).await;
    }
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Internal
}

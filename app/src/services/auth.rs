//! Signing in and out, and who is asking.

use sea_orm::DatabaseConnection;
use tower_sessions::Session;

use crate::db::{login_attempts, staff};
use crate::domain::throttle::{self, LoginGate};
use crate::domain::{Role, StaffEmail};
use crate::error::AppError;
use crate::models::{AccountStatus, CurrentUser};
use crate::services::passwords;

/// The session key holding the signed-in staff member's id.
const STAFF_USER_ID: &str = "staff_user_id";

/// Checks an e-mail and password, with throttling, and returns the account on success.
///
/// Every failure — unknown e-mail, wrong password, invited or deactivated account — gives the
/// same error after the same amount of work, so the answer says nothing about which it was.
#[tracing::instrument(name = "login", skip_all, fields(client.ip = %client_ip))]
pub async fn check_credentials(
    db: &DatabaseConnection,
    email_input: &str,
    password: String,
    client_ip: &str,
) -> Result<CurrentUser, AppError> {
    // A malformed address cannot belong to an account; count it under what was typed.
    let email = StaffEmail::parse(email_input).ok();
    let account = email.as_ref().map_or_else(|| email_input.trim().to_lowercase(), |e| e.as_str().to_owned());
    let account: String = account.chars().take(254).collect();

    let failures = login_attempts::recent_failures(db, &account, client_ip).await.map_err(staff::internal)?;
    if let LoginGate::Paused { retry_after_secs } = throttle::gate(failures) {
        tracing::warn!(retry_after_secs, "login paused by throttling");
        return Err(AppError::TooManyAttempts { retry_after_secs });
    }

    let row = match &email {
        Some(email) => staff::find_by_email(db, email).await.map_err(staff::internal)?,
        None => None,
    };
    let usable = row.as_ref().filter(|r| AccountStatus::from_stored(&r.status) == AccountStatus::Active);
    let matches = passwords::verify(password, usable.and_then(|r| r.password_hash.clone())).await?;
    login_attempts::record(db, &account, client_ip, matches).await.map_err(staff::internal)?;

    match (matches, usable) {
        (true, Some(row)) => {
            let row = staff::touch_last_login(db, row.clone()).await.map_err(staff::internal)?;
            tracing::info!(staff_user.id = row.id, "staff member signed in");
            Ok(CurrentUser { id: row.id, email: row.email.clone(), role: staff::role_of(&row)? })
        }
        _ => {
            tracing::info!("login refused");
            Err(AppError::WrongCredentials)
        }
    }
}

/// Starts a signed-in session for `user`, under a fresh session id (no session fixation).
pub async fn start_session(session: &Session, user: &CurrentUser) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.insert(STAFF_USER_ID, user.id).await.map_err(session_error)
}

/// Ends the session and deletes it from the store.
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The signed-in staff member, if any. An account deactivated since sign-in is signed out at once.
pub async fn current_user(db: &DatabaseConnection, session: &Session) -> Result<Option<CurrentUser>, AppError> {
    let Some(id) = session.get::<i64>(STAFF_USER_ID).await.map_err(session_error)? else {
        return Ok(None);
    };
    let Some(row) = staff::find_by_id(db, id).await.map_err(staff::internal)? else {
        return Ok(None);
    };
    if AccountStatus::from_stored(&row.status) != AccountStatus::Active {
        return Ok(None);
    }
    Ok(Some(CurrentUser { id: row.id, email: row.email.clone(), role: staff::role_of(&row)? }))
}

/// The signed-in staff member if their role grants `required`; otherwise 401 or 403.
pub async fn require(db: &DatabaseConnection, session: &Session, required: Role) -> Result<CurrentUser, AppError> {
    let user = current_user(db, session).await?.ok_or(AppError::NotSignedIn)?;
    if user.role.grants(required) {
        Ok(user)
    } else {
        tracing::warn!(staff_user.id = user.id, role = %user.role, required = %required, "refused by role");
        Err(AppError::Forbidden)
    }
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store error");
    AppError::Internal
}

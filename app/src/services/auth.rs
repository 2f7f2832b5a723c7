//! Signing in (checking credentials, with throttling) and whether an account may do a thing.
//! The session that remembers who signed in is the web adapter's (`crate::web::session`).

use sea_orm::DatabaseConnection;

use crate::db::{login_attempts, staff};
use crate::domain::throttle::{self, LoginGate};
use crate::domain::{Role, StaffEmail};
use crate::error::AppError;
use crate::models::{AccountStatus, CurrentUser};
use crate::services::passwords;

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

    let row = match &email {
        Some(email) => staff::find_by_email(db, email).await?,
        None => None,
    };
    let active = match &row {
        Some(r) => staff::status_of(r)? == AccountStatus::Active,
        None => false,
    };
    let usable = row.as_ref().filter(|_| active);
    let matches =
        check_password(db, &account, client_ip, password, usable.and_then(|r| r.password_hash.clone())).await?;

    match (matches, usable) {
        (true, Some(row)) => {
            let row = staff::touch_last_login(db, row.clone()).await?;
            tracing::info!(staff_user.id = row.id, "staff member signed in");
            Ok(CurrentUser { id: row.id, email: row.email.clone(), role: staff::role_of(&row)? })
        }
        _ => {
            tracing::info!("login refused");
            Err(AppError::WrongCredentials)
        }
    }
}

/// Checks `password` against `stored_hash` as one throttled attempt on `account` from
/// `client_ip` (sign-in, and the current password when changing it).
///
/// The attempt is logged as a failure *before* the check and the throttle counts the others
/// (`db::login_attempts` explains why parallel guesses cannot slip through); a refused attempt is
/// withdrawn (429 with the wait), and so is one that never got its turn at Argon2 (503 busy).
pub(crate) async fn check_password(
    db: &DatabaseConnection,
    account: &str,
    client_ip: &str,
    password: String,
    stored_hash: Option<String>,
) -> Result<bool, AppError> {
    let attempt = login_attempts::reserve(db, account, client_ip).await?;
    let failures = match login_attempts::recent_failures(db, account, client_ip, attempt).await {
        Ok(failures) => failures,
        Err(e) => {
            login_attempts::withdraw(db, attempt).await.ok();
            return Err(e.into());
        }
    };
    if let LoginGate::Paused { retry_after_secs } = throttle::gate(failures) {
        login_attempts::withdraw(db, attempt).await?;
        tracing::warn!(retry_after_secs, failures.account = failures.account, "login paused by throttling");
        return Err(AppError::TooManyAttempts { retry_after_secs });
    }
    match passwords::verify(password, stored_hash).await {
        Ok(matches) => {
            login_attempts::settle(db, attempt, matches).await?;
            Ok(matches)
        }
        Err(e) => {
            login_attempts::withdraw(db, attempt).await?;
            Err(e)
        }
    }
}

/// The staff member with this id (from a signed-in session), if the account is still active.
/// An account deactivated since sign-in is signed out at once.
pub async fn active_staff_member(db: &DatabaseConnection, id: i64) -> Result<Option<CurrentUser>, AppError> {
    let Some(row) = staff::find_by_id(db, id).await? else {
        return Ok(None);
    };
    if staff::status_of(&row)? != AccountStatus::Active {
        return Ok(None);
    }
    Ok(Some(CurrentUser { id: row.id, email: row.email.clone(), role: staff::role_of(&row)? }))
}

/// `user` if their role grants `required`; otherwise 401 (nobody signed in) or 403.
pub fn authorize(user: Option<CurrentUser>, required: Role) -> Result<CurrentUser, AppError> {
    let user = user.ok_or(AppError::NotSignedIn)?;
    if user.role.grants(required) {
        Ok(user)
    } else {
        tracing::warn!(staff_user.id = user.id, role = %user.role, required = %required, "refused by role");
        Err(AppError::Forbidden)
    }
}

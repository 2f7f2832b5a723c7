//! Managing staff accounts: creating, inviting, changing roles, deactivating.

use sea_orm::DatabaseConnection;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::db::staff::{self, NewAccount};
use crate::domain::dates::readable_time;
use crate::domain::{NewPassword, Role, StaffEmail};
use crate::error::AppError;
use crate::models::{AccountStatus, CurrentUser, Invitation, StaffMember};
use crate::services::{auth, codes, passwords};

/// How long an invite link works.
pub const INVITE_VALID_FOR: Duration = Duration::days(7);
/// Letters of an invite code.
const CODE_ALPHABET: &[u8] = codes::UNAMBIGUOUS_UPPER;
/// 26 symbols of 5 bits: 130 bits of randomness.
const CODE_LEN: usize = 26;

/// Creates an active account with a password (the command line's `canvass user add`).
pub async fn create_with_password(
    db: &DatabaseConnection,
    email: &str,
    role: &str,
    password: &str,
) -> Result<StaffMember, AppError> {
    let email = StaffEmail::parse(email)?;
    let role = Role::parse(role)?;
    let password = NewPassword::parse(password, None)?;
    let password_hash = passwords::hash(password).await?;
    let row = staff::insert(db, &email, role, NewAccount::Active { password_hash }).await?;
    tracing::info!(staff_user.id = row.id, role = %role, "staff account created");
    audit(db, None, "staff.created", row.id, json!({"role": role.as_str()})).await?;
    staff::to_staff_member(&row)
}

/// Every staff account, for administrators.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<StaffMember>, AppError> {
    staff::list(db).await?.iter().map(staff::to_staff_member).collect()
}

/// The most recent audit log entries with the actor's e-mail, newest first.
pub async fn audit_log(db: &DatabaseConnection, limit: u64) -> Result<Vec<crate::models::AuditEntry>, AppError> {
    let staff: std::collections::HashMap<i64, String> =
        staff::list(db).await?.into_iter().map(|row| (row.id, row.email)).collect();
    let events = crate::db::audit::recent(db, limit).await?;
    Ok(events
        .into_iter()
        .map(|e| crate::models::AuditEntry {
            at: crate::domain::dates::readable_time(e.at),
            actor: e.actor_id.and_then(|id| staff.get(&id).cloned()).unwrap_or_else(|| "command line".to_owned()),
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect())
}

/// Whether any staff account exists yet (a fresh installation has none).
pub async fn any_exist(db: &DatabaseConnection) -> Result<bool, AppError> {
    Ok(!staff::list(db).await?.is_empty())
}

/// Invites a new staff member: creates the account and returns a one-time link to pass on.
#[tracing::instrument(name = "invite_staff", skip_all, fields(staff_user.id = actor.id))]
pub async fn invite(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    email: &str,
    role: &str,
    public_url: &str,
) -> Result<Invitation, AppError> {
    let email = StaffEmail::parse(email)?;
    let role = Role::parse(role)?;
    let code = new_invite_code();
    let expires_at = OffsetDateTime::now_utc() + INVITE_VALID_FOR;
    let row = staff::insert(db, &email, role, NewAccount::Invited { code_hash: codes::hash_secret(&code), expires_at })
        .await?;
    tracing::info!(staff_user.id = row.id, invited_by = actor.id, role = %role, "staff member invited");
    audit(db, Some(actor.id), "staff.invited", row.id, json!({"role": role.as_str()})).await?;
    Ok(Invitation {
        email: row.email,
        role,
        invite_url: format!("{}/invite/{code}", public_url.trim_end_matches('/')),
        invite_path: format!("/invite/{code}"),
        expires_at: readable_time(expires_at),
    })
}

/// The e-mail address an invite code is for, if the code is still good.
pub async fn invited_email(db: &DatabaseConnection, code: &str) -> Result<String, AppError> {
    Ok(pending_invite(db, code).await?.email)
}

/// Sets the password of an invited account, activates it, and returns it signed in.
#[tracing::instrument(name = "accept_invite", skip_all)]
pub async fn accept_invite(
    db: &DatabaseConnection,
    code: &str,
    password: &str,
    confirmation: &str,
) -> Result<CurrentUser, AppError> {
    let row = pending_invite(db, code).await?;
    let password = NewPassword::parse(password, Some(confirmation))?;
    let password_hash = passwords::hash(password).await?;
    // Only if the invite is still pending as this request saw it: of two accepts at once, the
    // second finds it taken and is told the link was used.
    let row = staff::accept_invite(db, row, password_hash).await?.ok_or(AppError::InviteExpired)?;
    tracing::info!(staff_user.id = row.id, "invite accepted");
    audit(db, Some(row.id), "staff.invite_accepted", row.id, json!({})).await?;
    Ok(CurrentUser { id: row.id, email: row.email.clone(), role: staff::role_of(&row)? })
}

/// A signed-in staff member changes their own password. Wrong current passwords count as failed
/// sign-ins for throttling, so a stolen session cannot be used to guess the password. Every
/// other session of the account ends (someone who knew the old password is signed out); the
/// session whose id is `this_session` stays.
#[tracing::instrument(name = "change_password", skip_all, fields(staff_user.id = user.id))]
pub async fn change_password(
    db: &DatabaseConnection,
    user: &CurrentUser,
    client_ip: &str,
    this_session: Option<&str>,
    current: String,
    new: &str,
    confirmation: &str,
) -> Result<(), AppError> {
    let row = staff::find_by_id(db, user.id).await?.ok_or(AppError::NotSignedIn)?;
    let new = NewPassword::parse(new, Some(confirmation))?;
    let matches = auth::check_password(db, &row.email, client_ip, current, row.password_hash.clone()).await?;
    if !matches {
        return Err(AppError::invalid(
            "current_password",
            "current_password_wrong",
            "Your current password is not right.",
        ));
    }
    let password_hash = passwords::hash(new).await?;
    let row = staff::set_password(db, row, password_hash).await?;
    let ended = crate::db::session_store::end_other_sessions(db, row.id, this_session).await?;
    tracing::info!(staff_user.id = row.id, sessions_ended = ended, "password changed");
    audit(db, Some(row.id), "staff.password_changed", row.id, json!({})).await
}

/// Changes someone's role. The last active administrator cannot be demoted.
pub async fn change_role(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    role: &str,
) -> Result<StaffMember, AppError> {
    let role = Role::parse(role)?;
    let row = staff::find_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    if role != Role::Admin {
        keep_an_admin(db, &row).await?;
    }
    let row = staff::set_role(db, row, role).await?;
    tracing::info!(staff_user.id = row.id, changed_by = actor.id, role = %role, "role changed");
    audit(db, Some(actor.id), "staff.role_changed", row.id, json!({"role": role.as_str()})).await?;
    staff::to_staff_member(&row)
}

/// Deactivates or reactivates an account. Nobody can deactivate themselves, and the last active
/// administrator stays. Reactivating an invited account is not possible: it has no password.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    active: bool,
) -> Result<StaffMember, AppError> {
    let row = staff::find_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    let status = staff::status_of(&row)?;
    let new_status = match (active, status) {
        (false, _) if row.id == actor.id => {
            return Err(AppError::conflict("deactivate_self", "You cannot deactivate your own account."));
        }
        (false, _) => {
            keep_an_admin(db, &row).await?;
            AccountStatus::Deactivated
        }
        (true, AccountStatus::Deactivated) if row.password_hash.is_none() => {
            return Err(AppError::conflict(
                "never_activated",
                "This person never accepted the invite; invite them again.",
            ));
        }
        (true, _) => AccountStatus::Active,
    };
    let row = staff::set_status(db, row, new_status).await?;
    tracing::info!(
        staff_user.id = row.id,
        changed_by = actor.id,
        status = new_status.as_str(),
        "account status changed"
    );
    audit(db, Some(actor.id), "staff.status_changed", row.id, json!({"status": new_status.as_str()})).await?;
    staff::to_staff_member(&row)
}

async fn keep_an_admin(db: &DatabaseConnection, row: &staff::StaffRow) -> Result<(), AppError> {
    let is_active_admin = row.role == Role::Admin.as_str() && staff::status_of(row)? == AccountStatus::Active;
    if is_active_admin && staff::count_active_admins(db).await? <= 1 {
        return Err(AppError::conflict("last_admin", "Canvass needs at least one active administrator."));
    }
    Ok(())
}

async fn pending_invite(db: &DatabaseConnection, code: &str) -> Result<staff::StaffRow, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != CODE_LEN || !code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        return Err(AppError::InviteExpired);
    }
    let row = staff::find_by_invite(db, &codes::hash_secret(&code)).await?;
    match row {
        Some(row)
            if staff::status_of(&row)? == AccountStatus::Invited
                && row.invite_expires_at.is_some_and(|t| t > OffsetDateTime::now_utc()) =>
        {
            Ok(row)
        }
        _ => Err(AppError::InviteExpired),
    }
}

/// Records a change to a staff account in the audit log.
async fn audit(
    db: &DatabaseConnection,
    actor_id: Option<i64>,
    action: &str,
    staff_user_id: i64,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    crate::db::audit::record(db, actor_id, action, &format!("staff_user:{staff_user_id}"), detail)
        .await
        .map_err(AppError::from)
}

fn new_invite_code() -> String {
    codes::random_code(CODE_ALPHABET, CODE_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_are_long_and_use_only_unambiguous_letters() {
        let code = new_invite_code();
        assert_eq!(code.len(), CODE_LEN);
        assert!(!code.contains(['I', 'L', 'O', 'U']));
        assert_ne!(code, new_invite_code());
    }

    #[test]
    fn a_code_hash_is_stable_and_not_the_code() {
        assert_eq!(codes::hash_secret("ABC"), codes::hash_secret("ABC"));
        assert_ne!(codes::hash_secret("ABC"), "ABC");
        assert_eq!(codes::hash_secret("ABC").len(), 64);
    }
}

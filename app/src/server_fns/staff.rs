//! Staff account administration (administrators only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::models::{Invitation, StaffMember};
#[cfg(feature = "ssr")]
use crate::{domain::Role, server_fns::context, services};

/// The staff list page's data: every account, and the invitation just made (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDirectory {
    pub members: Vec<StaffMember>,
    pub just_invited: Option<Invitation>,
    /// The id of the administrator looking at the page (who cannot deactivate themselves).
    pub viewer_id: i64,
}

/// The session key where a fresh invitation waits to be shown once.
#[cfg(feature = "ssr")]
const JUST_INVITED: &str = "just_invited";

/// Every staff account.
#[server(endpoint = "staff/list")]
pub async fn list_staff() -> Result<StaffDirectory, AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let result = async {
        let admin = services::auth::require(&db, &session, Role::Admin).await?;
        let members = services::accounts::list(&db).await?;
        let just_invited = session.remove::<Invitation>(JUST_INVITED).await.ok().flatten();
        Ok(StaffDirectory { members, just_invited, viewer_id: admin.id })
    }
    .await;
    context::reply(result, "/admin/users", &[])
}

/// Invites a new staff member; the one-time link appears on the staff page.
#[server(endpoint = "staff/invite")]
pub async fn invite_staff(email: String, role: String) -> Result<(), AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let result = async {
        let admin = services::auth::require(&db, &session, Role::Admin).await?;
        let invitation = services::accounts::invite(&db, &admin, &email, &role, &context::public_url().await).await?;
        session.insert(JUST_INVITED, invitation).await.map_err(|e| {
            tracing::error!(error = %e, "could not keep the invitation in the session");
            AppError::Internal
        })
    }
    .await;
    context::reply(result, "/admin/users", &[("email", email.trim()), ("role", role.trim())])?;
    context::go_to("/admin/users");
    Ok(())
}

/// Changes a staff member's role.
#[server(endpoint = "staff/role")]
pub async fn change_staff_role(id: i64, role: String) -> Result<(), AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let result = async {
        let admin = services::auth::require(&db, &session, Role::Admin).await?;
        services::accounts::change_role(&db, &admin, id, &role).await
    }
    .await;
    context::reply(result, "/admin/users", &[])?;
    context::go_to("/admin/users");
    Ok(())
}

/// Deactivates (`active = false`) or reactivates a staff account.
#[server(endpoint = "staff/active")]
pub async fn set_staff_active(id: i64, active: bool) -> Result<(), AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let result = async {
        let admin = services::auth::require(&db, &session, Role::Admin).await?;
        services::accounts::set_active(&db, &admin, id, active).await
    }
    .await;
    context::reply(result, "/admin/users", &[])?;
    context::go_to("/admin/users");
    Ok(())
}

/// The latest 200 entries of the audit log.
#[server(endpoint = "staff/audit")]
pub async fn audit_log() -> Result<Vec<crate::models::AuditEntry>, AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let result = async {
        services::auth::require(&db, &session, Role::Admin).await?;
        services::accounts::audit_log(&db, 200).await
    }
    .await;
    context::reply(result, "/admin/audit", &[])
}

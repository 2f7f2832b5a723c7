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

/// The session key where a fresh invitation waits to be shown.
#[cfg(feature = "ssr")]
const JUST_INVITED: &str = "just_invited";

/// A fresh invitation and the one address that shows it (`/admin/users?invited=NONCE`).
///
/// Reading it does not remove it: a page may be rendered more than once on the server (a
/// guard that re-runs), and a destructive read there lost the link now and then. It stays in
/// the administrator's own session until the next invite replaces it or they sign out; only
/// the address with its random nonce shows it.
#[cfg(feature = "ssr")]
#[derive(Serialize, Deserialize)]
struct JustInvited {
    nonce: String,
    invitation: Invitation,
}

/// Every staff account, and the invitation just made when `invited` is its nonce.
#[server(endpoint = "staff/list")]
pub async fn list_staff(invited: Option<String>) -> Result<StaffDirectory, AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        let members = services::accounts::list(&admin.db).await?;
        let kept = admin.session.get::<JustInvited>(JUST_INVITED).await.ok().flatten();
        let just_invited = kept.filter(|k| invited.as_deref() == Some(k.nonce.as_str())).map(|k| k.invitation);
        Ok(StaffDirectory { members, just_invited, viewer_id: admin.user.id })
    }
    .await;
    context::reply(result, "/admin/users", &[])
}

/// Invites a new staff member; the one-time link appears on the staff page.
#[server(endpoint = "staff/invite")]
pub async fn invite_staff(email: String, role: String) -> Result<(), AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        let public_url = context::public_url()?;
        let invitation = services::accounts::invite(&admin.db, &admin.user, &email, &role, &public_url).await?;
        let nonce = services::codes::random_code(services::codes::LINK_SAFE_LOWER, 16);
        admin.session.insert(JUST_INVITED, JustInvited { nonce: nonce.clone(), invitation }).await.map_err(|e| {
            tracing::error!(error = %e, "could not keep the invitation in the session");
            AppError::Internal
        })?;
        Ok(nonce)
    }
    .await;
    let nonce = context::reply(result, "/admin/users", &[("email", email.trim()), ("role", role.trim())])?;
    context::go_to(&crate::domain::navigation::with_query("/admin/users", &[("invited", &nonce)]));
    Ok(())
}

/// Changes a staff member's role.
#[server(endpoint = "staff/role")]
pub async fn change_staff_role(id: i64, role: String) -> Result<(), AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        services::accounts::change_role(&admin.db, &admin.user, id, &role).await
    }
    .await;
    context::reply(result, "/admin/users", &[])?;
    context::go_to("/admin/users");
    Ok(())
}

/// Deactivates (`active = false`) or reactivates a staff account.
#[server(endpoint = "staff/active")]
pub async fn set_staff_active(id: i64, active: bool) -> Result<(), AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        services::accounts::set_active(&admin.db, &admin.user, id, active).await
    }
    .await;
    context::reply(result, "/admin/users", &[])?;
    context::go_to("/admin/users");
    Ok(())
}

/// The latest 200 entries of the audit log.
#[server(endpoint = "staff/audit")]
pub async fn audit_log() -> Result<Vec<crate::models::AuditEntry>, AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        services::accounts::audit_log(&admin.db, 200).await
    }
    .await;
    context::reply(result, "/admin/audit", &[])
}

//! Staff account administration (administrators only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::models::{Invitation, StaffMember};
#[cfg(feature = "ssr")]
use crate::{domain::Role, server_fns::context, services};

/// The staff list page's data: every account, and the invitation just made by a form posted
/// without JavaScript (shown once; with JavaScript the invite's own answer shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDirectory {
    pub members: Vec<StaffMember>,
    pub just_invited: Option<Invitation>,
    /// The id of the administrator looking at the page (who cannot deactivate themselves).
    pub viewer_id: i64,
}

/// Every staff account; with `invited` (the address an invite form without JavaScript is sent
/// to), also the invitation that form left in its cookie (`web::shown_once`), which is
/// then cleared.
///
/// The cookie is sent only to the page `/admin/users`, so only the page's own render (not a
/// later call from the browser) sees it; a render that runs twice reads the same request.
#[server(endpoint = "staff/list")]
pub async fn list_staff(invited: Option<String>) -> Result<StaffDirectory, AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        let members = services::accounts::list(&admin.db).await?;
        let just_invited = match invited {
            Some(_) => context::take_shown_once(crate::web::shown_once::INVITATION),
            None => None,
        };
        Ok(StaffDirectory { members, just_invited, viewer_id: admin.user.id })
    }
    .await;
    context::reply(result, "/admin/users", &[])
}

/// Invites a new staff member and answers with the one-time link, which the page shows.
/// Without JavaScript the browser is sent back to the staff page, the link waiting in a
/// short-lived cookie (`web::shown_once`); it is never kept in the session.
#[server(endpoint = "staff/invite")]
pub async fn invite_staff(email: String, role: String) -> Result<Invitation, AppError> {
    let result = async {
        let admin = context::staff(Role::Admin).await?;
        let public_url = context::public_url()?;
        services::accounts::invite(&admin.db, &admin.user, &email, &role, &public_url).await
    }
    .await;
    let invitation = context::reply(result, "/admin/users", &[("email", email.trim()), ("role", role.trim())])?;
    if context::is_plain_form_post() {
        context::keep_shown_once(crate::web::shown_once::INVITATION, &invitation);
        context::go_to("/admin/users?invited=1");
    }
    Ok(invitation)
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

//! Who may answer a survey, and invite codes for mailed samples (designers and administrators).

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::InviteOverview;
#[cfg(feature = "ssr")]
use crate::{domain::Role, server_fns::context, services};

/// A survey's access setting, invite batches and responses by channel.
#[server(endpoint = "invites/overview")]
pub async fn load_invite_overview(id: i64) -> Result<InviteOverview, AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::invites::overview(&staff.db, id).await
    }
    .await;
    context::reply(result, &format!("/surveys/{id}/invites"), &[])
}

/// Sets who may answer: `open`, `invite_only` or `both`.
#[server(endpoint = "invites/access")]
pub async fn set_survey_access(id: i64, access: String) -> Result<(), AppError> {
    let back = format!("/surveys/{id}/invites");
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::invites::set_access(&staff.db, Some(&staff.user), id, &access).await
    }
    .await;
    context::reply(result, &back, &[])?;
    context::go_to(&back);
    Ok(())
}

/// Makes a batch of invite codes; `area` is an area key of the default set, or blank.
#[server(endpoint = "invites/generate")]
pub async fn generate_invite_codes(id: i64, count: String, area: Option<String>) -> Result<i32, AppError> {
    let back = format!("/surveys/{id}/invites");
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        services::invites::generate(&staff.db, Some(&staff.user), id, &count, area.as_deref()).await
    }
    .await;
    let batch = context::reply(result, &back, &[("count", &count)])?;
    context::go_to(&format!("{back}?made={batch}"));
    Ok(batch)
}

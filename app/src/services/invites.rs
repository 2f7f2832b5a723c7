//! Invite codes for mailed random samples (the gold standard of city surveys): generating a
//! batch for a mailing, the CSV for mail merge, and who may answer a survey.

use std::collections::{BTreeMap, HashSet};

use sea_orm::{DatabaseConnection, TransactionTrait};
use serde_json::json;

use crate::db::responses as stored;
use crate::db::{audit, surveys};
use crate::domain::access::{Access, CODE_LENGTH, CODE_SYMBOLS, display_code};
use crate::domain::dates::readable_time;
use crate::error::AppError;
use crate::models::{CurrentUser, InviteBatch, InviteOverview};
use crate::services::codes::random_code;
use crate::services::csv_file::CsvFile;

/// The most codes made at once.
pub const MAX_BATCH: u32 = 50_000;

/// Sets who may answer a survey.
pub async fn set_access(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    survey_id: i64,
    access: &str,
) -> Result<(), AppError> {
    let access = Access::parse(access).ok_or_else(|| {
        AppError::invalid("access", "access_unknown", "Choose who may answer: open, invite_only or both.")
    })?;
    let row = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let before = row.access.clone();
    surveys::set_access(db, row, access.as_str()).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "survey.access_changed",
        &format!("survey:{survey_id}"),
        json!({"from": before, "to": access.as_str()}),
    )
    .await
    .map_err(AppError::from)
}

/// Makes `count` new codes (unique within the survey), optionally all for one area of the
/// default area set. Returns the batch number.
pub async fn generate(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    survey_id: i64,
    count: &str,
    area_key: Option<&str>,
) -> Result<i32, AppError> {
    let count =
        count.trim().replace(',', "").parse::<u32>().ok().filter(|n| (1..=MAX_BATCH).contains(n)).ok_or_else(|| {
            AppError::invalid("count", "invite_count_invalid", "Make between 1 and 50,000 codes at a time.")
        })?;
    surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let area_key = area_key.map(str::trim).filter(|a| !a.is_empty());
    if let Some(area) = area_key
        && !default_areas(db).await?.iter().any(|(key, _)| key == area)
    {
        return Err(AppError::invalid("area", "area_unknown", "Choose one of the city's areas, or none."));
    }
    let txn = db.begin().await?;
    let batch = stored::last_invite_batch(&txn, survey_id).await? + 1;
    let existing: HashSet<String> = stored::invites(&txn, survey_id, None).await?.into_iter().map(|i| i.code).collect();
    let mut codes = HashSet::new();
    while codes.len() < count as usize {
        let code = random_code(CODE_SYMBOLS, CODE_LENGTH);
        if !existing.contains(&code) {
            codes.insert(code);
        }
    }
    stored::insert_invites(&txn, survey_id, batch, codes.into_iter().collect(), area_key.map(str::to_owned)).await?;
    txn.commit().await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "survey.invite_codes_made",
        &format!("survey:{survey_id}"),
        json!({"batch": batch, "codes": count, "area": area_key}),
    )
    .await?;
    Ok(batch)
}

/// `(key, name)` of the default area set's areas.
async fn default_areas(db: &DatabaseConnection) -> Result<Vec<(String, String)>, AppError> {
    match crate::services::areas::area_map(db, None, "en").await {
        Ok(map) => Ok(map.areas_by_name().into_iter().map(|a| (a.key.clone(), a.name.clone())).collect()),
        Err(AppError::NotFound) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// A survey's access, invite batches and responses by channel.
pub async fn overview(db: &DatabaseConnection, survey_id: i64) -> Result<InviteOverview, AppError> {
    let row = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let areas = default_areas(db).await?;
    let name_of = |key: &str| areas.iter().find(|(k, _)| k == key).map_or(key.to_owned(), |(_, n)| n.clone());
    let mut batches: BTreeMap<i32, InviteBatch> = BTreeMap::new();
    for invite in stored::invites(db, survey_id, None).await? {
        let batch = batches.entry(invite.batch).or_insert_with(|| InviteBatch {
            batch: invite.batch,
            codes: 0,
            used: 0,
            areas: Vec::new(),
            created_at: readable_time(invite.created_at),
        });
        batch.codes += 1;
        batch.used += u64::from(invite.used_at.is_some());
        if let Some(area) = invite.area_key.as_deref().map(name_of)
            && !batch.areas.contains(&area)
        {
            batch.areas.push(area);
        }
    }
    let responses = stored::count_by_channel(db, survey_id).await?;
    let access = surveys::access_of(&row)?;
    Ok(InviteOverview {
        survey_id,
        title: row.title,
        access,
        batches: batches.into_values().collect(),
        responses,
        areas,
    })
}

/// The CSV for mail merge: one row per code of the batch (all batches when `None`), with the
/// link to print as a QR code.
pub async fn csv(
    db: &DatabaseConnection,
    survey_id: i64,
    batch: Option<i32>,
    public_url: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let row = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let invites = stored::invites(db, survey_id, batch).await?;
    let mut writer = CsvFile::rows_only();
    writer.row(["code", "link", "area", "batch", "used"])?;
    for invite in invites {
        let code = display_code(&invite.code);
        let link = format!("{public_url}/s/{}/invite/{code}", row.public_key);
        let batch = invite.batch.to_string();
        let used = if invite.used_at.is_some() { "yes" } else { "no" };
        writer.row([code.as_str(), &link, invite.area_key.as_deref().unwrap_or(""), &batch, used])?;
    }
    let bytes = writer.finish()?;
    let name = match batch {
        Some(b) => format!("canvass-{}-invite-codes-batch-{b}.csv", row.public_key),
        None => format!("canvass-{}-invite-codes.csv", row.public_key),
    };
    Ok((name, bytes))
}

//! Queries on surveys and their recorded versions.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use time::OffsetDateTime;

use super::entities::{survey, survey_version};
use crate::domain::dates::{readable_time, utc_minute_field};
use crate::domain::survey::lifecycle::Status;
use crate::domain::survey::{SurveyDefinition, SurveyKind};
use crate::error::AppError;
use crate::models::SurveySummary;

/// A survey row.
pub type SurveyRow = survey::Model;

/// Every survey, most recently changed first.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<SurveyRow>, DbErr> {
    survey::Entity::find().order_by_desc(survey::Column::UpdatedAt).order_by_desc(survey::Column::Id).all(db).await
}

/// The survey with this id.
pub async fn find(db: &DatabaseConnection, id: i64) -> Result<Option<SurveyRow>, DbErr> {
    survey::Entity::find_by_id(id).one(db).await
}

/// The survey with this public key.
pub async fn find_by_public_key(db: &DatabaseConnection, public_key: &str) -> Result<Option<SurveyRow>, DbErr> {
    survey::Entity::find().filter(survey::Column::PublicKey.eq(public_key)).one(db).await
}

/// Stores a new draft survey and its first version, in one transaction.
pub async fn insert(
    db: &DatabaseConnection,
    definition: &SurveyDefinition,
    public_key: &str,
    created_by: Option<i64>,
) -> Result<SurveyRow, DbErr> {
    let now = OffsetDateTime::now_utc();
    let json = definition.to_json();
    let txn = db.begin().await?;
    let row = survey::ActiveModel {
        public_key: Set(public_key.to_owned()),
        kind: Set(kind_name(definition.kind).to_owned()),
        status: Set(Status::Draft.as_str().to_owned()),
        title: Set(default_title(definition)),
        definition: Set(json.clone()),
        version: Set(1),
        opens_at: Set(None),
        closes_at: Set(None),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_version(&txn, row.id, 1, json, created_by, now).await?;
    txn.commit().await?;
    super::survey_cache::forget_all();
    Ok(row)
}

/// Saves a new version of the definition (version + 1, recorded in `survey_version`).
pub async fn save_definition(
    db: &DatabaseConnection,
    row: SurveyRow,
    definition: &SurveyDefinition,
    saved_by: Option<i64>,
) -> Result<SurveyRow, DbErr> {
    let now = OffsetDateTime::now_utc();
    let json = definition.to_json();
    let version = row.version + 1;
    let txn = db.begin().await?;
    let mut active: survey::ActiveModel = row.into();
    active.definition = Set(json.clone());
    active.title = Set(default_title(definition));
    active.version = Set(version);
    active.updated_at = Set(now);
    let row = active.update(&txn).await?;
    record_version(&txn, row.id, version, json, saved_by, now).await?;
    txn.commit().await?;
    super::survey_cache::forget_all();
    Ok(row)
}

/// Changes a survey's status.
pub async fn set_status(db: &DatabaseConnection, row: SurveyRow, status: Status) -> Result<SurveyRow, DbErr> {
    let mut row: survey::ActiveModel = row.into();
    row.status = Set(status.as_str().to_owned());
    row.updated_at = Set(OffsetDateTime::now_utc());
    let row = row.update(db).await;
    super::survey_cache::forget_all();
    row
}

async fn record_version<C: ConnectionTrait>(
    db: &C,
    survey_id: i64,
    version: i32,
    definition: String,
    created_by: Option<i64>,
    at: OffsetDateTime,
) -> Result<(), DbErr> {
    survey_version::ActiveModel {
        survey_id: Set(survey_id),
        version: Set(version),
        definition: Set(definition),
        created_by: Set(created_by),
        created_at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn kind_name(kind: SurveyKind) -> &'static str {
    match kind {
        SurveyKind::Survey => "survey",
        SurveyKind::QuickPoll => "quick_poll",
    }
}

fn default_title(definition: &SurveyDefinition) -> String {
    crate::domain::survey::model::localized(&definition.title, definition.default_language(), "").to_owned()
}

/// The stored definition; a row that no longer parses is a server fault, logged with its id.
pub fn definition_of(row: &SurveyRow) -> Result<SurveyDefinition, AppError> {
    SurveyDefinition::from_json(&row.definition).map_err(|e| {
        tracing::error!(survey.id = row.id, error = %e, "stored survey definition does not parse");
        AppError::Internal
    })
}

/// Whether the stored survey is a survey or a quick poll.
pub fn kind_of(row: &SurveyRow) -> SurveyKind {
    if row.kind == kind_name(SurveyKind::QuickPoll) { SurveyKind::QuickPoll } else { SurveyKind::Survey }
}

/// The list entry for staff.
pub fn to_summary(row: &SurveyRow) -> Result<SurveySummary, AppError> {
    let status = effective_status(row)?;
    let kind = kind_of(row);
    Ok(SurveySummary {
        id: row.id,
        public_key: row.public_key.clone(),
        kind,
        status,
        title: row.title.clone(),
        version: row.version,
        updated_at: readable_time(row.updated_at),
        opens_at: row.opens_at.map(utc_minute_field),
        closes_at: row.closes_at.map(utc_minute_field),
    })
}

/// The status residents see now: the stored status moved along by the schedule.
pub fn effective_status(row: &SurveyRow) -> Result<Status, AppError> {
    let stored = super::stored(Status::from_stored(&row.status), "survey.status", row.id, &row.status)?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    Ok(stored.at(now, row.opens_at.map(|t| t.unix_timestamp()), row.closes_at.map(|t| t.unix_timestamp())))
}

/// Who may answer the survey, as stored.
pub fn access_of(row: &SurveyRow) -> Result<crate::domain::access::Access, AppError> {
    super::stored(crate::domain::access::Access::parse(&row.access), "survey.access", row.id, &row.access)
}

/// Sets who may answer (`open`, `invite_only`, `both`).
pub async fn set_access(db: &DatabaseConnection, row: SurveyRow, access: &str) -> Result<SurveyRow, DbErr> {
    let mut row: survey::ActiveModel = row.into();
    row.access = Set(access.to_owned());
    row.updated_at = Set(OffsetDateTime::now_utc());
    let row = row.update(db).await;
    super::survey_cache::forget_all();
    row
}

/// Sets or clears the scheduled opening and closing times.
pub async fn set_schedule(
    db: &DatabaseConnection,
    row: SurveyRow,
    opens_at: Option<OffsetDateTime>,
    closes_at: Option<OffsetDateTime>,
) -> Result<SurveyRow, DbErr> {
    let mut row: survey::ActiveModel = row.into();
    row.opens_at = Set(opens_at);
    row.closes_at = Set(closes_at);
    row.updated_at = Set(OffsetDateTime::now_utc());
    let row = row.update(db).await;
    super::survey_cache::forget_all();
    row
}

/// Records that `id` is the next wave of `previous`.
pub async fn set_previous_wave(db: &DatabaseConnection, id: i64, previous: i64) -> Result<(), DbErr> {
    survey::Entity::update_many()
        .col_expr(survey::Column::PreviousWaveId, sea_orm::sea_query::Expr::value(Some(previous)))
        .filter(survey::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Switches a survey's public results page on or off.
pub async fn set_results_public(db: &DatabaseConnection, id: i64, public: bool) -> Result<(), DbErr> {
    survey::Entity::update_many()
        .col_expr(survey::Column::ResultsPublic, sea_orm::sea_query::Expr::value(public))
        .filter(survey::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

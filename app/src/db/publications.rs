//! Publications: stored snapshots of what is public about a survey's results.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;

use super::entities::publication;

/// A publication row.
pub type PublicationRow = publication::Model;

/// What a new publication stores.
pub struct NewPublication {
    pub survey_id: i64,
    pub published_by: Option<i64>,
    pub automatic: bool,
    pub threshold: u64,
    pub respondents: Option<u64>,
    pub withheld: usize,
    /// The published results, as JSON.
    pub results: String,
}

/// Stores a publication. An automatic one (a quick poll's refresh) replaces the survey's
/// earlier automatic ones: only staff publications are kept as a record.
pub async fn insert(db: &DatabaseConnection, new: NewPublication) -> Result<PublicationRow, DbErr> {
    let row = publication::ActiveModel {
        survey_id: Set(new.survey_id),
        published_at: Set(OffsetDateTime::now_utc()),
        published_by: Set(new.published_by),
        automatic: Set(new.automatic),
        threshold: Set(i32::try_from(new.threshold).unwrap_or(i32::MAX)),
        respondents: Set(new.respondents.map(|n| i64::try_from(n).unwrap_or(i64::MAX))),
        withheld: Set(i32::try_from(new.withheld).unwrap_or(i32::MAX)),
        results: Set(new.results),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if new.automatic {
        publication::Entity::delete_many()
            .filter(publication::Column::SurveyId.eq(new.survey_id))
            .filter(publication::Column::Automatic.eq(true))
            .filter(publication::Column::Id.lt(row.id))
            .exec(db)
            .await?;
    }
    Ok(row)
}

/// The survey's latest publication by staff (`automatic = false`), or its latest automatic
/// one (a quick poll's results after voting), if any. The two are never mixed: what the public
/// page shows moves only when staff publish.
pub async fn latest(db: &DatabaseConnection, survey_id: i64, automatic: bool) -> Result<Option<PublicationRow>, DbErr> {
    publication::Entity::find()
        .filter(publication::Column::SurveyId.eq(survey_id))
        .filter(publication::Column::Automatic.eq(automatic))
        .order_by_desc(publication::Column::Id)
        .one(db)
        .await
}

/// The survey's publications, newest first, without their contents.
pub async fn list(db: &DatabaseConnection, survey_id: i64) -> Result<Vec<PublicationRow>, DbErr> {
    publication::Entity::find()
        .filter(publication::Column::SurveyId.eq(survey_id))
        .filter(publication::Column::Automatic.eq(false))
        .order_by_desc(publication::Column::Id)
        .limit(50)
        .all(db)
        .await
}

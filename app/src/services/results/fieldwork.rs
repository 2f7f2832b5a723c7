//! The live fieldwork view (`/surveys/ID/fieldwork`): how many responses came today and in all,
//! by channel, and the outreach targets an engagement team canvasses next.

use sea_orm::DatabaseConnection;
use time::OffsetDateTime;

use crate::db::{responses, surveys};
use crate::domain::analytics::request::ResultsRequest;
use crate::domain::dates::readable_time;
use crate::error::AppError;
use crate::models::results::Fieldwork;
use crate::services::results;
use crate::services::results::dashboard::outreach;

/// The live fieldwork view: today's and all responses, by channel, and where to canvass next.
pub async fn fieldwork(db: &DatabaseConnection, survey_id: i64) -> Result<Fieldwork, AppError> {
    let basis = results::basis(db, survey_id).await?;
    let survey = surveys::to_summary(&basis.row)?;
    let now = OffsetDateTime::now_utc();
    let midnight = now.replace_time(time::Time::MIDNIGHT);
    let (today, latest) = responses::complete_since(db, survey_id, midnight).await?;
    let by_channel = responses::count_by_channel(db, survey_id).await?;
    // Participation only: no question's answers are read.
    let request = ResultsRequest { questions: Some(Vec::new()), ..ResultsRequest::everything() };
    let report = results::analyse(db, &basis, request).await?.report;
    Ok(Fieldwork {
        survey,
        responses: by_channel.iter().map(|(_, n)| n).sum(),
        today,
        latest: latest.map(readable_time),
        by_channel,
        outreach: outreach(&report.participation),
        summary: report.summary,
        checked_at: readable_time(now),
    })
}

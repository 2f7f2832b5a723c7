//! The results pages: the staff dashboard and fieldwork view (every staff role), the switch for
//! a survey's public results page (designers), and that public page (anyone, once switched on).

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::SurveySummary;
use crate::models::results::{Dashboard, Fieldwork, PublicResults};
#[cfg(feature = "ssr")]
use crate::{domain::Role, server_fns::context, services};

/// The survey results dashboard; `query` is the page's query string (`question=safe&weight=age`).
#[server(endpoint = "results/dashboard")]
pub async fn results_dashboard(id: i64, query: String) -> Result<Dashboard, AppError> {
    let result = async {
        let staff = context::signed_in_staff().await?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let threshold = context::suppression_threshold();
        services::results::dashboard::dashboard(&staff.db, &staff.user, id, &pairs, threshold).await
    }
    .await;
    context::reply(result, &format!("/surveys/{id}/results"), &[])
}

/// The live fieldwork view of a survey.
#[server(endpoint = "results/fieldwork")]
pub async fn results_fieldwork(id: i64) -> Result<Fieldwork, AppError> {
    let result = async {
        let staff = context::signed_in_staff().await?;
        services::results::fieldwork::fieldwork(&staff.db, id).await
    }
    .await;
    context::reply(result, &format!("/surveys/{id}/fieldwork"), &[])
}

/// Every survey, for the results index (all staff roles).
#[server(endpoint = "results/surveys")]
pub async fn results_surveys() -> Result<Vec<SurveySummary>, AppError> {
    let result = async {
        let staff = context::signed_in_staff().await?;
        services::surveys::list(&staff.db).await
    }
    .await;
    context::reply(result, "/results", &[])
}

/// Publishes a survey's results now (`public = true`: a new publication, and the public page
/// on) or takes the public page down.
#[server(endpoint = "results/publish")]
pub async fn publish_results(id: i64, public: bool) -> Result<(), AppError> {
    let back = format!("/surveys/{id}/results");
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        let publication = services::results::publication::publish;
        match public {
            true => publication(&staff.db, Some(&staff.user), id, context::suppression_threshold()).await.map(|_| ()),
            false => services::results::publication::withdraw(&staff.db, Some(&staff.user), id).await,
        }
    }
    .await;
    context::reply(result, &back, &[])?;
    context::go_to(&format!("{back}#public-page"));
    Ok(())
}

/// A survey's public results page (suppressed), once staff have switched it on.
#[server(endpoint = "results/published")]
pub async fn published_results_page(public_key: String, query: String) -> Result<PublicResults, AppError> {
    let db = context::db()?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let result = services::results::public::public_results(&db, &public_key, &pairs).await;
    context::reply(result, &format!("/s/{public_key}/results"), &[])
}

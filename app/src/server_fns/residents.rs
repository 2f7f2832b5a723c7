//! What residents' pages load: a survey page with what they typed so far, and the thank-you
//! page. Answers are posted to a plain HTML form handler (`server/src/http/resident.rs`), so
//! they arrive the same way with or without JavaScript.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{ResidentThanks, ResidentView, ResumeOffer};
#[cfg(feature = "ssr")]
use crate::{server_fns::context, services};

/// A page of a survey for the visitor (anyone), as its address asks. The language picked in the
/// switcher (`lang`) is remembered in a cookie.
#[server(endpoint = "residents/page")]
pub async fn load_resident_page(
    key: String,
    #[server(default)] address: crate::models::PageAddress,
) -> Result<ResidentView, AppError> {
    let crate::models::PageAddress { page, check, lang, embed, map, later, new } = address;
    let db = context::db()?;
    let visitor = context::visitor(&db, &key, lang.as_deref()).await?;
    if let Some(lang) = lang.as_deref() {
        context::remember_language(lang);
    }
    let poll = services::results::publication::PollSettings {
        threshold: context::suppression_threshold(),
        every: context::poll_results_every(),
    };
    let public_url = context::public_url()?;
    let request = services::responses::PageRequest {
        page,
        check,
        embed,
        with_map: map,
        poll,
        resume_link_base: later.then_some(public_url.as_str()),
        start_new: new,
    };
    let view = services::responses::page_view(&db, &key, &visitor, request, async |survey, language| {
        services::areas::maps_for_survey(&db, survey, language).await
    })
    .await;
    match &view {
        Ok(ResidentView::NotYetOpen { .. }) => context::set_page_status(403),
        Ok(ResidentView::Closed { .. }) => context::set_page_status(410),
        Err(e) => context::set_page_status(e.status()),
        Ok(_) => {}
    }
    view
}

/// The thank-you page for a receipt of this survey (anyone who has the receipt).
#[server(endpoint = "residents/thanks")]
pub async fn load_resident_thanks(
    key: String,
    receipt: String,
    lang: Option<String>,
    embed: bool,
) -> Result<ResidentThanks, AppError> {
    let db = context::db()?;
    let visitor = context::visitor(&db, &key, lang.as_deref()).await?;
    let poll = services::results::publication::PollSettings {
        threshold: context::suppression_threshold(),
        every: context::poll_results_every(),
    };
    let thanks = services::responses::thanks(&db, &key, &receipt, &visitor, embed, poll).await;
    if let Err(e) = &thanks {
        context::set_page_status(e.status());
    }
    thanks
}

/// The language to show a refusal in, and sets its HTTP status (anyone).
#[server(endpoint = "residents/refusal")]
pub async fn load_resident_refusal(key: String, reason: String) -> Result<(String, String), AppError> {
    let db = context::db()?;
    let refusal = crate::domain::submission::Refusal::from_key(&reason).ok_or(AppError::NotFound)?;
    let survey = services::responses::find_survey(&db, &key).await?;
    let visitor = context::visitor(&db, &key, None).await?;
    let language = crate::domain::language::choose_language(
        &survey.definition.languages,
        visitor.chosen_language.as_deref(),
        visitor.accept_language.as_deref(),
    );
    context::set_page_status(refusal.status());
    let title = crate::domain::survey::model::localized(
        &survey.definition.title,
        &language,
        survey.definition.default_language(),
    )
    .to_owned();
    Ok((title, language))
}

/// What a "continue later" link opens: the survey's title and whether the link still opens a
/// response in progress (anyone). Nothing is read from or given to the browser until the
/// resident confirms (a form post to `/s/{key}/resume/{token}`).
#[server(endpoint = "residents/resume")]
pub async fn load_resume_offer(key: String, token: String) -> Result<ResumeOffer, AppError> {
    let db = context::db()?;
    let result = async {
        let survey = services::responses::find_survey(&db, &key).await?;
        let visitor = context::visitor(&db, &key, None).await?;
        let language = crate::domain::language::choose_language(
            &survey.definition.languages,
            visitor.chosen_language.as_deref(),
            visitor.accept_language.as_deref(),
        );
        let title = crate::domain::survey::model::localized(
            &survey.definition.title,
            &language,
            survey.definition.default_language(),
        )
        .to_owned();
        let open = services::responses::resume_link_is_open(&db, &survey, &token).await?;
        Ok::<_, AppError>(ResumeOffer { title, language, open })
    }
    .await;
    if let Err(e) = &result {
        context::set_page_status(e.status());
    }
    result
}

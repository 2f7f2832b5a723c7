//! Residents' pages: `/s/:key` (the survey, a page at a time), `/s/:key/thanks` (the receipt, and
//! a quick poll's results), `/s/:key/sorry` (a response that was not accepted). All public, all
//! usable without JavaScript, all in the resident's language.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::resident_form::ResidentForm;
use crate::domain::interface_text::{Phrase, phrase, refusal_phrase};
use crate::domain::submission::Refusal;
use crate::domain::suppression::PublishedTable;
use crate::models::{PageAddress, ResidentThanks, ResidentView, ResumeOffer};
use crate::routes::errors::ErrorPage;
use crate::server_fns::residents::{
    load_resident_page, load_resident_refusal, load_resident_thanks, load_resume_offer,
};

fn key_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("public_key").unwrap_or_default()
}

/// `/s/:key?page=N&check=1&lang=es&embed=1`.
#[component]
pub fn ResidentSurveyPage() -> impl IntoView {
    let key = key_param();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        let address = PageAddress {
            page: q.get("page").and_then(|p| p.parse::<usize>().ok()),
            check: q.get("check").is_some(),
            lang: q.get("lang").filter(|l| l.len() <= 16),
            embed: q.get("embed").is_some(),
            map: q.get("map").is_some(),
            later: q.get("later").is_some(),
            new: q.get("new").is_some(),
        };
        (key(), address)
    };
    let view = Resource::new(args, |(key, address)| load_resident_page(key, address));
    let invite_error = move || query.read_untracked().get("invite_error");
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match view.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(ResidentView::Page(page)) => {
                        let title = crate::domain::survey::model::localized(&page.definition.title, &page.language, page.definition.default_language()).to_owned();
                        let switcher = language_switcher(&page.language, &page.languages);
                        view! {
                            <Title text=title />
                            {switcher}
                            <ResidentForm page=*page />
                        }.into_any()
                    }
                    Ok(ResidentView::InviteNeeded { title, language, .. }) => {
                        let problem = invite_error().map(|key| phrase(if Refusal::from_key(&key) == Some(Refusal::InviteUsed) { Phrase::InviteUsed } else { Phrase::InviteUnknown }, &language));
                        view! {
                            <Title text=title.clone() />
                            <section class="resident-page" lang=language.clone() data-testid="invite-needed">
                                <h1>{title}</h1>
                                <p>{phrase(Phrase::InviteNeeded, &language)}</p>
                                {problem.map(|p| view! { <p class="field-error" role="alert" id="code-problem">{p}</p> })}
                                <form method="post" action=format!("/s/{}/invite", key()) class="invite-form">
                                    <label for="invite-code">{phrase(Phrase::InviteCode, &language)}</label>
                                    <input id="invite-code" name="code" type="text" autocomplete="off" autocapitalize="characters"
                                        spellcheck="false" inputmode="text" maxlength="20" placeholder="K7QX-M3PR" required />
                                    <button type="submit" class="button primary">{phrase(Phrase::InviteStart, &language)}</button>
                                </form>
                            </section>
                        }.into_any()
                    }
                    Ok(ResidentView::NotYetOpen { title, language, opens }) => view! {
                        <Title text=title.clone() />
                        <section class="resident-page" lang=language.clone() data-testid="not-yet-open">
                            <h1>{title}</h1>
                            <p>{phrase(Phrase::NotYetOpen, &language)}</p>
                            {(!opens.is_empty()).then(|| view! { <p>{format!("{} {opens}.", phrase(Phrase::OpensAt, &language))}</p> })}
                        </section>
                    }.into_any(),
                    Ok(ResidentView::Closed { title, language, results }) => view! {
                        <Title text=title.clone() />
                        <section class="resident-page" lang=language.clone() data-testid="survey-closed">
                            <h1>{title}</h1>
                            <p><strong>{phrase(Phrase::Closed, &language)}</strong></p>
                            <p>{phrase(Phrase::ClosedHint, &language)}</p>
                            {results.map(|(question, table)| view! {
                                <section class="poll-results" aria-labelledby="final-results-heading">
                                    <h2 id="final-results-heading">{phrase(Phrase::FinalResults, &language)}</h2>
                                    <p>{question}</p>
                                    {results_table(table, &language)}
                                </section>
                            })}
                        </section>
                    }.into_any(),
                    Ok(ResidentView::ContinuedElsewhere { title, language }) => view! {
                        <Title text=title.clone() />
                        <section class="resident-page" lang=language.clone() data-testid="continued-elsewhere">
                            <p class="survey-title">{title}</p>
                            <h1>{phrase(Phrase::ContinuedElsewhereTitle, &language)}</h1>
                            <p>{phrase(Phrase::ContinuedElsewhere, &language)}</p>
                            <p><a href=format!("/s/{}?new=1", key()) class="button secondary">{phrase(Phrase::StartNewHere, &language)}</a></p>
                        </section>
                    }.into_any(),
                    Ok(ResidentView::AlreadyAnswered { title, language }) => view! {
                        <Title text=title.clone() />
                        <section class="resident-page" lang=language.clone() data-testid="already-answered">
                            <h1>{title}</h1>
                            <p>{phrase(Phrase::AlreadyAnswered, &language)}</p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A button for each of the survey's languages. They submit the page's form (saving what was
/// typed, without checking it) and show the same page in that language; without JavaScript too.
fn language_switcher(current: &str, languages: &[(String, String)]) -> Option<AnyView> {
    (languages.len() > 1).then(|| {
        view! {
            <nav class="language-switcher" aria-label=phrase(Phrase::Language, current)>
                {languages.iter().map(|(tag, name)| {
                    let here = (tag == current).then_some("true");
                    view! {
                        <button type="submit" form="resident-form" name="_switch" value=tag.clone() formnovalidate
                            lang=tag.clone() aria-current=here class="link-button">{name.clone()}</button>
                    }
                }).collect_view()}
            </nav>
        }
        .into_any()
    })
}

/// `/s/:key/thanks?receipt=K7QX-M3PR`.
#[component]
pub fn ResidentThanksPage() -> impl IntoView {
    let key = key_param();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (key(), q.get("receipt").unwrap_or_default(), q.get("lang"), q.get("embed").is_some())
    };
    let thanks = Resource::new(args, |(key, receipt, lang, embed)| load_resident_thanks(key, receipt, lang, embed));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match thanks.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(thanks) => thanks_view(thanks),
                }
            })}
        </Suspense>
    }
}

fn thanks_view(thanks: ResidentThanks) -> AnyView {
    let ResidentThanks { title, language, receipt, results, results_later, .. } = thanks;
    let l = language.clone();
    view! {
        <Title text=title.clone() />
        <section class="resident-page thanks" lang=language.clone() data-testid="thanks">
            <p class="survey-title">{title}</p>
            <h1>{phrase(Phrase::ThankYou, &l)}</h1>
            <p>{phrase(Phrase::Stored, &l)}</p>
            <p>{phrase(Phrase::YourReceipt, &l)} " " <strong class="receipt" data-testid="receipt">{receipt}</strong></p>
            <p class="hint">{phrase(Phrase::ReceiptHint, &l)}</p>
            {results.map(|(question, table)| view! {
                <section class="poll-results" aria-labelledby="results-heading">
                    <h2 id="results-heading">{phrase(Phrase::ResultsSoFar, &l)}</h2>
                    <p>{question}</p>
                    {results_table(table, &l)}
                </section>
            })}
            {results_later.then(|| view! { <p class="hint" data-testid="results-later">{phrase(Phrase::ResultsAfterClose, &l)}</p> })}
        </section>
    }
    .into_any()
}

fn results_table(table: PublishedTable, language: &str) -> AnyView {
    match table {
        PublishedTable::TooFew { .. } => {
            view! { <p class="hint">{phrase(Phrase::ResultsTooFew, language)}</p> }.into_any()
        }
        PublishedTable::Shown { total, rows } => view! {
            <ul class="result-bars" data-testid="poll-results">
                {rows.into_iter().map(|row| {
                    let width = format!("width: {}%", row.percent.unwrap_or(0));
                    let figure = match (row.count, row.percent) {
                        (Some(count), Some(percent)) => format!("{percent}% ({count})"),
                        _ => phrase(Phrase::Withheld, language).to_owned(),
                    };
                    view! {
                        <li>
                            <span class="result-label">{row.label}</span>
                            <span class="result-figure">{figure}</span>
                            <span class="result-bar" aria-hidden="true"><span style=width></span></span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="hint">{format!("{total} {}", phrase(Phrase::Votes, language))}</p>
        }
        .into_any(),
    }
}

/// `/s/:key/sorry?reason=too_many_responses`: why a response was not accepted.
#[component]
pub fn ResidentRefusedPage() -> impl IntoView {
    let key = key_param();
    let query = use_query_map();
    let reason = move || query.read().get("reason").unwrap_or_default();
    let refusal = Resource::new(move || (key(), reason()), |(key, reason)| load_resident_refusal(key, reason));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match refusal.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((title, language)) => {
                        let explanation = Refusal::from_key(&reason()).map_or(Phrase::InviteNeeded, refusal_phrase);
                        view! {
                            <Title text=title.clone() />
                            <section class="resident-page" lang=language.clone() data-testid="refused">
                                <p class="survey-title">{title}</p>
                                <h1>{phrase(Phrase::NotAccepted, &language)}</h1>
                                <p>{phrase(explanation, &language)}</p>
                                <p><a href=format!("/s/{}", key())>{phrase(Phrase::Back, &language)}</a></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/s/:key/resume/:token`: the page a "continue later" link opens. It asks before it continues
/// anything, so a link someone else sent cannot tie this browser to their response.
#[component]
pub fn ResidentResumePage() -> impl IntoView {
    let key = key_param();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let offer = Resource::new(move || (key(), token()), |(key, token)| load_resume_offer(key, token));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match offer.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(offer) => resume_view(offer, key(), token()),
                }
            })}
        </Suspense>
    }
}

fn resume_view(offer: ResumeOffer, key: String, token: String) -> AnyView {
    let ResumeOffer { title, language, open } = offer;
    let l = language.clone();
    view! {
        <Title text=title.clone() />
        <section class="resident-page" lang=language.clone() data-testid="resume-offer">
            <p class="survey-title">{title}</p>
            {if open {
                view! {
                    <h1>{phrase(Phrase::ResumeQuestion, &l)}</h1>
                    <p>{phrase(Phrase::ResumeExplain, &l)}</p>
                    <form method="post" action=format!("/s/{key}/resume/{token}")>
                        <button type="submit" class="primary">{phrase(Phrase::ResumeContinue, &l)}</button>
                    </form>
                    <p><a href=format!("/s/{key}")>{phrase(Phrase::ResumeStartNew, &l)}</a></p>
                }.into_any()
            } else {
                view! {
                    <h1>{phrase(Phrase::ResumeLinkClosedTitle, &l)}</h1>
                    <p>{phrase(Phrase::ResumeLinkClosed, &l)}</p>
                    <p><a href=format!("/s/{key}")>{phrase(Phrase::ResumeStartNew, &l)}</a></p>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

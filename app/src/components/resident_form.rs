//! One page of a survey as a resident answers it: a plain HTML form that posts to the server
//! and works without JavaScript. The page does not hydrate: with JavaScript, the residents'
//! script (`public/resident.js`) applies display rules as the resident answers and finds
//! unanswered questions before the page is sent, from what `page_script` tells it.

use leptos::prelude::*;

use crate::components::survey_form::{Prefill, QuestionInput, map_for};
use crate::domain::access::HONEYPOT_FIELD;
use crate::domain::interface_text::{Phrase, phrase};
use crate::domain::survey::flow::{Fields, walk_fields};
use crate::domain::survey::model::{Text, localized};
use crate::domain::survey::page_script::page_script;
use crate::domain::survey::{SurveyDefinition, SurveyKind};
use crate::models::ResidentPage;

/// The keys of this page's questions hidden on first render: those whose display rule depends
/// only on answers saved from other pages and does not hold. A rule that depends on this page
/// cannot be decided before the resident answers, so without JavaScript such a question stays
/// visible (and an answer to it is dropped by the server if its rule fails).
fn hidden_at_first(survey: &SurveyDefinition, page: usize, saved: &Fields) -> Vec<String> {
    let Some(this_page) = survey.pages.get(page) else { return Vec::new() };
    let walk = walk_fields(survey, saved);
    let on_page = |key: &str| this_page.questions.iter().any(|q| q.key == key);
    this_page
        .questions
        .iter()
        .zip(&walk.pages[page].questions)
        .filter(|(question, state)| {
            !state.shown
                && question.show_if.as_ref().is_none_or(|rule| rule.tests().iter().all(|t| !on_page(&t.question)))
        })
        .map(|(question, _)| question.key.clone())
        .collect()
}

/// `value` as JSON for a `<script type="application/json">` element: `<`, `>` and `&` are
/// written as escapes, so no text in it can end the element.
pub(crate) fn script_data<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".to_owned())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The resident's page.
#[component]
pub fn ResidentForm(page: ResidentPage) -> impl IntoView {
    let ResidentPage {
        public_key,
        definition,
        language,
        page: index,
        position,
        of,
        is_last,
        has_previous,
        values,
        problems,
        submission_id,
        resume_link,
        invited,
        areas,
        embed,
        map_view,
        ..
    } = page;
    let default = definition.default_language().to_owned();
    let t = {
        let (language, default) = (language.clone(), default.clone());
        move |text: &Text| localized(text, &language, &default).to_owned()
    };
    let this_page = definition.pages.get(index).cloned().unwrap_or_else(|| definition.pages[0].clone());
    let hidden = hidden_at_first(&definition, index, &values);
    let problem_of = |key: &str| problems.iter().find(|(q, _)| q == key).map(|(_, m)| m.clone());
    // The summary names each question, so "Please answer this question." is never ambiguous.
    let label_of = |key: &str| this_page.questions.iter().find(|q| q.key == key).map(|q| t(&q.text));
    let summary: Vec<(String, String)> = problems
        .iter()
        .map(|(q, message)| (q.clone(), label_of(q).map_or(message.clone(), |label| format!("{label} — {message}"))))
        .collect();
    let no_problems = summary.is_empty();
    // What the page script (`public/resident.js`) needs to apply display rules and find
    // unanswered questions without a round trip.
    let script = script_data(&page_script(&definition, index, &values, &language));
    let texts = script_data(&serde_json::json!({ "saved_on_device": phrase(Phrase::SavedOnDevice, &language) }));
    let poll = (definition.kind == SurveyKind::QuickPoll).then_some("true");
    let title = t(&definition.title);
    let intro = (position == 1).then(|| {
        view! {
            {definition.description.as_ref().map(|d| view! { <p>{t(d)}</p> })}
            {definition.consent.as_ref().map(|c| view! { <p class="consent">{t(c)}</p> })}
        }
    });
    let lang = language.clone();
    // This page's own address without the map (the map view's way back).
    let page_address = {
        let query = leptos_router::hooks::use_query_map().get_untracked();
        let kept: Vec<(String, String)> =
            query.into_iter().filter(|(k, _)| k != "map").map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let kept: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        crate::domain::navigation::with_query(&format!("/s/{public_key}"), &kept)
    };
    view! {
        <div class="resident-page" lang=language.clone()>
            <h1 class="survey-title">{title}</h1>
            {intro}
            {(of > 1).then(|| view! {
                <p class="progress-text" id="progress">
                    {format!("{} {position} {} {of}", phrase(Phrase::PageOf, &lang), phrase(Phrase::Of, &lang))}
                </p>
                <progress max=of.to_string() value=position.to_string() aria-labelledby="progress"></progress>
            })}
            {invited.then(|| view! { <p class="hint">{phrase(Phrase::InvitedNote, &lang)}</p> })}
            <div class="error-summary" id="problems" tabindex="-1" role="alert" hidden=no_problems>
                <p><strong>{phrase(Phrase::CheckAnswers, &lang)}</strong></p>
                <ul>
                    {summary.into_iter().map(|(q, text)| view! { <li><a href=format!("#question-{q}")>{text}</a></li> }).collect_view()}
                </ul>
            </div>
            <script type="application/json" id="page-script" inner_html=script></script>
            <script type="application/json" id="page-texts" inner_html=texts></script>
            // `novalidate`: the page's own checks, in the resident's language, not the browser's
            // validation bubbles; the server checks again either way.
            <form class="survey-form" id="resident-form" method="post" action=format!("/s/{public_key}") novalidate=true
                data-poll=poll data-testid="resident-form">
                <input type="hidden" name="_page" value=index.to_string() />
                <input type="hidden" name="_submission" value=submission_id />
                <input type="hidden" name="_lang" value=language.clone() />
                {embed.then(|| view! { <input type="hidden" name="_embed" value="1" /> })}
                <div class="leave-empty" aria-hidden="true">
                    <label for="website-field">{phrase(Phrase::LeaveEmpty, &lang)}</label>
                    <input id="website-field" type="text" name=HONEYPOT_FIELD tabindex="-1" autocomplete="off" />
                </div>
                <section class="survey-page">
                    {this_page.title.as_ref().map(|title| view! { <h2>{t(title)}</h2> })}
                    {map_view.then(|| view! {
                        <p class="notice" data-testid="map-view-note">{phrase(Phrase::MapViewNote, &lang)}</p>
                        <p><a href=page_address.clone() data-testid="back-to-questions">{phrase(Phrase::BackToQuestions, &lang)}</a></p>
                    })}
                    {this_page.questions.iter().map(|q| {
                        let key = q.key.clone();
                        let map = map_for(&areas, q);
                        let mine: Vec<(String, String)> = values.iter()
                            .filter(|(name, _)| crate::domain::survey::flow::question_of_field(name) == key)
                            .cloned().collect();
                        if map_view && map.is_none() {
                            // Kept as they were saved when the map was asked for.
                            return mine.into_iter()
                                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                                .collect_view()
                                .into_any();
                        }
                        let problem = problem_of(&key);
                        let has_problem = problem.is_some();
                        view! {
                            <div class="survey-question" id=format!("question-{key}") data-question=key.clone()
                                class:has-problem=has_problem hidden=hidden.contains(&key)>
                                {problem.map(|m| view! { <p class="field-error">{m}</p> })}
                                <QuestionInput question=q.clone() t=t.clone() language=language.clone() map values=Prefill(mine) in_resident_form=true />
                            </div>
                        }
                        .into_any()
                    }).collect_view()}
                </section>
                <p id="send-status" class="send-status" role="status"></p>
                <div class="page-buttons">
                    <button type="submit" name="_nav" value="next" class="button primary">
                        {phrase(if is_last { Phrase::Submit } else { Phrase::Next }, &lang)}
                    </button>
                    {has_previous.then(|| view! {
                        <button type="submit" name="_nav" value="back" class="button secondary" formnovalidate>
                            {phrase(Phrase::Back, &lang)}
                        </button>
                    })}
                </div>
                // Saves this page first (nothing is checked), then shows the link to continue.
                {(of > 1).then(|| view! {
                    <p class="later">
                        <button type="submit" name="_later" value="1" class="link-button" formnovalidate data-testid="continue-later-button">
                            {phrase(Phrase::ContinueLater, &lang)}
                        </button>
                    </p>
                })}
            </form>
            // "Continue later" saved the page: the whole link, to keep or copy.
            {resume_link.map(|link| view! {
                <section class="continue-later" id="continue-later" tabindex="-1" aria-labelledby="continue-later-heading"
                    data-testid="continue-later">
                    <h2 id="continue-later-heading">{phrase(Phrase::ContinueLater, &lang)}</h2>
                    <p>{phrase(Phrase::ContinueLaterHint, &lang)}</p>
                    <label for="resume-link-field">{phrase(Phrase::ContinueLaterLink, &lang)}</label>
                    <input id="resume-link-field" type="text" readonly value=link.clone() class="resume-link-field" />
                    <p class="actions">
                        <button type="button" class="button secondary" data-copy="resume-link-field"
                            data-copied=phrase(Phrase::LinkCopied, &lang) hidden>{phrase(Phrase::CopyLink, &lang)}</button>
                        <a href=link.clone() data-testid="resume-link" class="visually-hidden">{link.clone()}</a>
                    </p>
                    <p class="copy-status" role="status"></p>
                </section>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::templates::TEMPLATES;

    #[test]
    fn a_follow_up_on_the_same_page_stays_visible_until_javascript_can_decide() {
        let survey = TEMPLATES[0].definition().expect("template");
        let page = survey.pages.iter().position(|p| p.questions.iter().any(|q| q.key == "feel_safer")).expect("page");
        assert!(hidden_at_first(&survey, page, &Vec::new()).is_empty());
    }
}

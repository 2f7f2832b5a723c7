//! One page of a survey as a resident answers it: a plain HTML form that posts to the server
//! and works without JavaScript. With JavaScript, display rules apply as the resident answers
//! and the page is checked before it is sent (by the same code the server runs).

use leptos::prelude::*;

use crate::components::survey_form::{Prefill, QuestionInput, form_pairs, map_for};
use crate::domain::access::HONEYPOT_FIELD;
use crate::domain::interface_text::{Phrase, answer_problem, phrase};
use crate::domain::survey::SurveyDefinition;
use crate::domain::survey::flow::{Fields, merge_page, walk_fields};
use crate::domain::survey::form_fields::raw_answers;
use crate::domain::survey::model::{Text, localized};
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
        resume_token,
        invited,
        areas,
        embed,
        ..
    } = page;
    let default = definition.default_language().to_owned();
    let t = {
        let (language, default) = (language.clone(), default.clone());
        move |text: &Text| localized(text, &language, &default).to_owned()
    };
    let this_page = definition.pages.get(index).cloned().unwrap_or_else(|| definition.pages[0].clone());
    let hidden = RwSignal::new(hidden_at_first(&definition, index, &values));
    let problems = RwSignal::new(problems);
    let going_back = StoredValue::new(false);
    let form = NodeRef::<leptos::html::Form>::new();
    let summary = NodeRef::<leptos::html::Div>::new();

    // What the server would see if the form were posted now.
    let survey = StoredValue::new(definition.clone());
    let saved = StoredValue::new(values.clone());
    let fields_now = move || -> Option<Fields> {
        let form = form.get()?;
        let mut fields = saved.get_value();
        survey.with_value(|s| merge_page(s, index, &mut fields, &form_pairs(&form)));
        Some(fields)
    };
    let update = move || {
        if let Some(fields) = fields_now() {
            let shown = survey
                .with_value(|s| crate::domain::survey::form_fields::visible_questions(s, &raw_answers(s, &fields)));
            let keys: Vec<String> =
                survey.with_value(|s| s.pages[index].questions.iter().map(|q| q.key.clone()).collect());
            hidden.set(keys.into_iter().filter(|k| !shown.contains(k)).collect());
        }
    };
    Effect::new(move |_| update());
    let check_language = language.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // Back and the language buttons save without checking.
        let submitter = ev.submitter().and_then(|b| b.get_attribute("name"));
        if going_back.get_value() || submitter.as_deref() == Some("_switch") {
            return;
        }
        let Some(fields) = fields_now() else { return };
        let found: Vec<(String, String)> = survey.with_value(|s| {
            walk_fields(s, &fields).pages[index]
                .problems()
                .map(|p| (p.question.clone(), answer_problem(p, &check_language)))
                .collect()
        });
        if !found.is_empty() {
            ev.prevent_default();
            problems.set(found);
            // The summary is shown at once (not when the next render runs): an element still
            // hidden cannot take focus, and focus must leave the button for the summary, as it
            // does on the page the server sends back without JavaScript.
            if let Some(summary) = summary.get() {
                let _ = summary.remove_attribute("hidden");
                let _ = summary.focus();
                summary.scroll_into_view();
            }
        }
    };
    let problem_of = move |key: &str| problems.with(|p| p.iter().find(|(q, _)| q == key).map(|(_, m)| m.clone()));
    // The summary names each question, so "Please answer this question." is never ambiguous.
    let labels: StoredValue<Vec<(String, String)>> =
        StoredValue::new(this_page.questions.iter().map(|q| (q.key.clone(), t(&q.text))).collect());
    let label_of = move |key: &str| labels.with_value(|l| l.iter().find(|(k, _)| k == key).map(|(_, t)| t.clone()));
    let title = t(&definition.title);
    let intro = (position == 1).then(|| {
        view! {
            {definition.description.as_ref().map(|d| view! { <p>{t(d)}</p> })}
            {definition.consent.as_ref().map(|c| view! { <p class="consent">{t(c)}</p> })}
        }
    });
    let lang = language.clone();
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
            <div class="error-summary" id="problems" tabindex="-1" node_ref=summary role="alert"
                hidden=move || problems.with(Vec::is_empty)>
                <p><strong>{phrase(Phrase::CheckAnswers, &lang)}</strong></p>
                <ul>
                    {move || problems.get().into_iter().map(|(q, message)| {
                        let text = label_of(&q).map_or(message.clone(), |label| format!("{label} — {message}"));
                        view! { <li><a href=format!("#question-{q}")>{text}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
            // `novalidate`: the page's own checks, in the resident's language, not the browser's
            // validation bubbles; the server checks again either way.
            <form class="survey-form" id="resident-form" method="post" action=format!("/s/{public_key}") node_ref=form novalidate=true
                on:input=move |_| update() on:change=move |_| update() on:submit=on_submit data-testid="resident-form">
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
                    {this_page.questions.iter().map(|q| {
                        let key = q.key.clone();
                        let map = map_for(&areas, q);
                        let hide_key = key.clone();
                        let problem_key = key.clone();
                        let class_key = key.clone();
                        let mine: Vec<(String, String)> = values.iter()
                            .filter(|(name, _)| crate::domain::survey::flow::question_of_field(name) == key)
                            .cloned().collect();
                        view! {
                            <div class="survey-question" id=format!("question-{key}") data-question=key.clone()
                                class:has-problem=move || problem_of(&class_key).is_some()
                                hidden=move || hidden.with(|h| h.contains(&hide_key))>
                                {move || problem_of(&problem_key).map(|m| view! { <p class="field-error">{m}</p> })}
                                <QuestionInput question=q.clone() t=t.clone() language=language.clone() map values=Prefill(mine) />
                            </div>
                        }
                    }).collect_view()}
                </section>
                <div class="page-buttons">
                    <button type="submit" name="_nav" value="next" class="button primary">
                        {phrase(if is_last { Phrase::Submit } else { Phrase::Next }, &lang)}
                    </button>
                    {has_previous.then(|| view! {
                        <button type="submit" name="_nav" value="back" class="button secondary" formnovalidate
                            on:click=move |_| going_back.set_value(true)>
                            {phrase(Phrase::Back, &lang)}
                        </button>
                    })}
                </div>
            </form>
            {resume_token.map(|token| format!("/s/{public_key}/resume/{token}")).map(|link| view! {
                <details class="continue-later">
                    <summary>{phrase(Phrase::ContinueLater, &lang)}</summary>
                    <p class="hint">{phrase(Phrase::ContinueLaterHint, &lang)}</p>
                    <p><a href=link.clone() data-testid="resume-link">{link.clone()}</a></p>
                </details>
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

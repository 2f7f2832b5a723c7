//! `/surveys/:id`: the survey editor. Every button is a form, so it all works without
//! JavaScript; with it, changes apply without a page load.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::guard::RequireRole;
use crate::components::problems::ProblemList;
use crate::domain::Role;
use crate::domain::survey::lifecycle::Status;
use crate::domain::survey::logic::Condition;
use crate::domain::survey::model::{PollResults, localized};
use crate::domain::survey::new_question::ADDABLE_KINDS;
use crate::domain::survey::{Question, SurveyDefinition};
use crate::error::AppError;
use crate::routes::errors::ErrorPage;
use crate::routes::{load_survey, survey_id_param};
use crate::server_fns::surveys::{
    ChangeSurveyStatus, DuplicateSurvey, EditSurvey, ScheduleSurvey, SurveyEditor, problems_of,
};

/// The editor page (designers and administrators).
#[component]
pub fn SurveyEditorPage() -> impl IntoView {
    view! {
        <Title text="Edit survey" />
        <RequireRole role=Role::Designer>
            <Editor />
        </RequireRole>
    }
}

/// The actions the editor's forms use, shared with its parts.
#[derive(Clone, Copy)]
struct EditorActions {
    edit: ServerAction<EditSurvey>,
    schedule: ServerAction<ScheduleSurvey>,
    status: ServerAction<ChangeSurveyStatus>,
    duplicate: ServerAction<DuplicateSurvey>,
}

#[component]
fn Editor() -> impl IntoView {
    let id = survey_id_param();
    let actions = EditorActions {
        edit: ServerAction::new(),
        schedule: ServerAction::new(),
        status: ServerAction::new(),
        duplicate: ServerAction::new(),
    };
    let editor = Resource::new(
        move || (id(), actions.edit.version().get(), actions.status.version().get(), actions.schedule.version().get()),
        |(id, _, _, _)| load_survey(id),
    );
    let failed = Signal::derive(move || {
        let err = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
        err(actions.edit.value().get())
            .or_else(|| err(actions.status.value().get()))
            .or_else(|| err(actions.duplicate.value().get()))
            .or_else(|| err(actions.schedule.value().get()))
            .map(|e| problems_of(&e))
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(editor) => {
                        let refused = editor.refused.clone();
                        let problems = Signal::derive(move || failed.get().unwrap_or_else(|| refused.clone()));
                        view! { <EditorBody editor actions problems /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn EditorBody(
    editor: SurveyEditor,
    actions: EditorActions,
    problems: Signal<Vec<crate::domain::survey::check::Problem>>,
) -> impl IntoView {
    let SurveyEditor { summary, definition, missing_translations, public_link, .. } = editor;
    let is_poll = definition.kind == crate::domain::survey::SurveyKind::QuickPoll;
    let poll_results = definition.poll_results();
    let id = summary.id;
    let language = definition.default_language().to_owned();
    let title = localized(&definition.title, &language, "").to_owned();
    let description =
        definition.description.as_ref().map(|d| localized(d, &language, "").to_owned()).unwrap_or_default();
    let other_languages = definition.languages.iter().skip(1).cloned().collect::<Vec<_>>().join(", ");
    let locked = summary.status != Status::Draft;
    view! {
        <section class="panel" data-testid="survey-editor">
            <p class="hint"><A href="/surveys">"← All surveys"</A></p>
            <h1>{title.clone()}</h1>
            <p>
                <span class=format!("badge status-{}", summary.status.as_str()) data-testid="survey-status">{summary.status.as_str()}</span>
                {format!(" Version {} · changed {} · public link /s/{}", summary.version, summary.updated_at, summary.public_key)}
            </p>
            {locked.then(|| view! {
                <p class="notice">"This survey has been opened, so residents may have answered. Wording fixes and new optional questions are fine; removing questions or options, or changing scales, is refused."</p>
            })}
            <ProblemList problems />
            <StatusActions id status=summary.status actions />
            <details class="schedule">
                <summary>{schedule_summary(&summary.opens_at, &summary.closes_at)}</summary>
                <ActionForm action=actions.schedule attr:class="stack">
                    <input type="hidden" name="id" value=id.to_string() />
                    <label for="opens-at">"Opens at (UTC)"</label>
                    <input id="opens-at" name="opens_at" type="datetime-local" value=summary.opens_at.clone().unwrap_or_default() />
                    <label for="closes-at">"Closes at (UTC)"</label>
                    <input id="closes-at" name="closes_at" type="datetime-local" value=summary.closes_at.clone().unwrap_or_default() />
                    <p class="hint">"Leave blank to open or close by hand. A scheduled draft opens by itself; an open survey closes by itself."</p>
                    <button type="submit" class="button secondary">"Save schedule"</button>
                </ActionForm>
            </details>
            <p>
                <A href=format!("/surveys/{id}/preview")>"Preview"</A>
                " · "
                <A href=format!("/surveys/{id}/translations")>"Translations"</A>
                " · "
                <A href=format!("/surveys/{id}/json")>"View, export or edit as JSON"</A>
                {(!missing_translations.is_empty()).then(|| view! {
                    <span class="hint">{format!(" · {} texts still need a translation ({other_languages})", missing_translations.len())}</span>
                })}
            </p>
        </section>
        <ShareSection id public_key=summary.public_key.clone() public_link is_poll title=title.clone() />
        <section class="panel">
            <h2>"Title and description"</h2>
            <ActionForm action=actions.edit attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="edit" value="settings" />
                <label for="survey-title">{format!("Title ({language})")}</label>
                <input id="survey-title" name="title" value=title required />
                <label for="survey-description">{format!("Description ({language})")}</label>
                <textarea id="survey-description" name="description" rows="3">{description}</textarea>
                {is_poll.then(|| {
                    let current = poll_results;
                    let choices = [
                        (PollResults::Hidden, "Never: only staff see the results"),
                        (PollResults::AfterVoting, "After they vote (taken again at most every few minutes; small counts withheld)"),
                        (PollResults::AfterClose, "Only when the poll has closed"),
                    ];
                    view! {
                        // The edit form's `required` field carries this choice for the settings edit.
                        <fieldset class="choices">
                            <legend>"Show residents the results"</legend>
                            {choices.into_iter().map(|(choice, label)| {
                                let id = format!("poll-results-{}", choice.as_str());
                                view! {
                                    <div class="choice">
                                        <input id=id.clone() type="radio" name="required" value=choice.as_str() checked=choice == current />
                                        <label for=id>{label}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                })}
                <button type="submit" class="button secondary">"Save title and description"</button>
            </ActionForm>
        </section>
        {definition.pages.iter().enumerate().map(|(p, page)| {
            let page_key = page.key.clone();
            let empty_page_key = page.key.clone();
            view! {
                <section class="panel" data-testid="survey-page">
                    <h2>{format!("Page {} ", p + 1)}<code>{page.key.clone()}</code></h2>
                    {page.show_if.as_ref().map(|c| view! { <p class="hint">{format!("Shown if {}", describe(c, &definition))}</p> })}
                    <ol class="question-list">
                        {page.questions.iter().map(|q| view! { <QuestionRow id question=q.clone() definition=definition.clone() actions /> }).collect_view()}
                    </ol>
                    {page.questions.is_empty().then(|| view! {
                        <ActionForm action=actions.edit>
                            <input type="hidden" name="id" value=id.to_string() />
                            <input type="hidden" name="edit" value="delete_page" />
                            <input type="hidden" name="key" value=empty_page_key.clone() />
                            <button type="submit" class="button secondary">"Delete this empty page"</button>
                        </ActionForm>
                    })}
                    <AddQuestion id page=page_key actions />
                </section>
            }
        }).collect_view()}
        <section class="panel">
            <h2>"Add a page"</h2>
            <ActionForm action=actions.edit attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="edit" value="add_page" />
                <label for="new-page-key">"Page key"</label>
                <input id="new-page-key" name="key" required pattern="[a-z0-9_]+" />
                <button type="submit" class="button secondary">"Add page"</button>
            </ActionForm>
        </section>
    }
}

/// The public link, its QR code, and for quick polls the snippet to embed in a city web page.
#[component]
fn ShareSection(id: i64, public_key: String, public_link: String, is_poll: bool, title: String) -> impl IntoView {
    let qr = format!("/s/{public_key}/qr");
    // The frame starts at 420 px; the script beside it (`public/embed.js`) then fits it to the
    // poll's content, which the poll's page reports (`public/resident.js`).
    let site = public_link.split("/s/").next().unwrap_or_default();
    let embed = format!(
        "<iframe src=\"{public_link}?embed=1\" title=\"{}\" width=\"100%\" height=\"420\" style=\"border:0\" loading=\"lazy\"></iframe>\n<script src=\"{site}/embed.js\" async></script>",
        title.replace('"', "&quot;")
    );
    view! {
        <section class="panel" data-testid="share">
            <h2>"Share"</h2>
            <label for="public-link">"Public link"</label>
            <input id="public-link" type="text" readonly value=public_link />
            <p class="hint">"Residents answer at this link once the survey is open. Print the QR code on flyers and posters."</p>
            <img class="qr" src=format!("{qr}.svg") alt="QR code of the public link" width="160" height="160" />
            <p>
                <a href=format!("{qr}.svg") download="">"Download QR code (SVG, for print)"</a>
                " · "
                <a href=format!("{qr}.png") download="">"PNG"</a>
            </p>
            <p><A href=format!("/surveys/{id}/invites")>"Who may answer, and invite codes for mailed samples"</A></p>
            {is_poll.then(|| view! {
                <label for="embed-snippet">"Embed on a city web page"</label>
                <textarea id="embed-snippet" readonly rows="4" class="code">{embed}</textarea>
            })}
        </section>
    }
}

#[component]
fn StatusActions(id: i64, status: Status, actions: EditorActions) -> impl IntoView {
    let button = move |action: &'static str, label: &'static str| {
        let class = if action == "archive" { "button secondary" } else { "button" };
        view! {
            <ActionForm action=actions.status attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="action" value=action />
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="actions" data-testid="status-actions">
            {matches!(status, Status::Draft | Status::Closed).then(|| button("publish", if status == Status::Draft { "Publish" } else { "Reopen" }))}
            {(status == Status::Open).then(|| button("close", "Close"))}
            {matches!(status, Status::Draft | Status::Closed).then(|| button("archive", "Archive"))}
            <ActionForm action=actions.duplicate attr:class="inline-form">
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="button secondary">"Duplicate as next wave"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn QuestionRow(id: i64, question: Question, definition: SurveyDefinition, actions: EditorActions) -> impl IntoView {
    let language = definition.default_language().to_owned();
    let key = question.key.clone();
    let kind_label = ADDABLE_KINDS.iter().find(|(k, _)| *k == question.kind.name()).map_or("Question", |(_, l)| *l);
    let hidden = |name: &'static str, value: String| view! { <input type="hidden" name=name value=value /> };
    let edit_form = move |key: String,
                          edit: &'static str,
                          extra: Vec<(&'static str, String)>,
                          label: String,
                          class: &'static str| {
        view! {
            <ActionForm action=actions.edit attr:class="inline-form">
                {hidden("id", id.to_string())}
                {hidden("edit", edit.to_owned())}
                {hidden("key", key)}
                {extra.into_iter().map(|(n, v)| hidden(n, v)).collect_view()}
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    let text = localized(&question.text, &language, "").to_owned();
    view! {
        <li class="question" data-testid="question" data-key=question.key.clone()>
            <p class="question-text"><strong>{text.clone()}</strong></p>
            <p class="hint">
                {kind_label} " · " <code>{question.key.clone()}</code>
                {question.required.then_some(" · required")}
            </p>
            {question.show_if.as_ref().map(|c| view! { <p class="hint">{format!("Shown if {}", describe(c, &definition))}</p> })}
            <div class="actions">
                <A href=format!("/surveys/{id}/questions/{}", question.key) attr:class="button">"Edit"</A>
                {edit_form(key.clone(), "move_question", vec![("direction", "up".into())], "↑ Move up".into(), "button secondary")}
                {edit_form(key.clone(), "move_question", vec![("direction", "down".into())], "↓ Move down".into(), "button secondary")}
                {edit_form(key.clone(), "required", vec![("required", (!question.required).to_string())],
                    if question.required { "Make optional".into() } else { "Make required".into() }, "button secondary")}
            </div>
            <details class="danger-zone">
                <summary>"Delete…"</summary>
                <p>{format!("Delete “{text}”? Its answers in exports will disappear with it.")}</p>
                {edit_form(key.clone(), "delete_question", vec![], "Delete this question".into(), "button danger")}
            </details>
        </li>
    }
}

#[component]
fn AddQuestion(id: i64, page: String, actions: EditorActions) -> impl IntoView {
    let field_id = {
        let page = page.clone();
        move |name: &str| format!("add-{page}-{name}")
    };
    view! {
        <details class="add-question">
            <summary>"Add a question to this page"</summary>
            <ActionForm action=actions.edit attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="edit" value="add_question" />
                <input type="hidden" name="page" value=page.clone() />
                <label for=field_id("kind")>"Kind"</label>
                <select id=field_id("kind") name="kind">
                    {ADDABLE_KINDS.iter().map(|(k, l)| view! { <option value=*k>{*l}</option> }).collect_view()}
                </select>
                <label for=field_id("text")>"Question"</label>
                <input id=field_id("text") name="text" required />
                <label for=field_id("key")>"Key"</label>
                <p class="hint" id=field_id("key-hint")>"A short name for exports and comparisons between waves: a–z, 0–9 and _, e.g. bus_frequency."</p>
                <input id=field_id("key") name="key" required pattern="[a-z0-9_]+" aria-describedby=field_id("key-hint") />
                <button type="submit" class="button">"Add question"</button>
            </ActionForm>
        </details>
    }
}

/// The schedule in a few words.
fn schedule_summary(opens_at: &Option<String>, closes_at: &Option<String>) -> String {
    match (opens_at, closes_at) {
        (None, None) => "Schedule opening and closing…".to_owned(),
        (Some(o), None) => format!("Opens {} UTC · change…", o.replace('T', " ")),
        (None, Some(c)) => format!("Closes {} UTC · change…", c.replace('T', " ")),
        (Some(o), Some(c)) => format!("Opens {} · closes {} UTC · change…", o.replace('T', " "), c.replace('T', " ")),
    }
}

/// A display rule in words, for the designer.
fn describe(condition: &Condition, survey: &SurveyDefinition) -> String {
    match condition {
        Condition::All { all } => all.iter().map(|c| describe(c, survey)).collect::<Vec<_>>().join(" and "),
        Condition::Any { any } => any.iter().map(|c| describe(c, survey)).collect::<Vec<_>>().join(" or "),
        Condition::Test(test) => {
            let op = serde_json::to_value(test.op)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
                .unwrap_or_default();
            let value = test.value.as_ref().map(|v| format!(" {v}")).unwrap_or_default();
            let question = survey
                .question(&test.question)
                .map_or(test.question.clone(), |q| localized(&q.text, survey.default_language(), "").to_owned());
            let target = match &test.statement {
                Some(statement) => format!("{question} / {statement}"),
                None => question,
            };
            format!("“{target}” {op}{value}")
        }
    }
}

//! `/surveys/:id/questions/:key`: one question's wording, options, settings and display rule.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::guard::RequireRole;
use crate::components::problems::ProblemList;
use crate::domain::Role;
use crate::domain::survey::logic::{Condition, Op};
use crate::domain::survey::model::{ChoiceDisplay, localized};
use crate::domain::survey::{Choice, Question, QuestionKind, SurveyDefinition};
use crate::error::AppError;
use crate::routes::errors::ErrorPage;
use crate::routes::{load_survey, survey_id_param};
use crate::server_fns::surveys::{QuestionChoices, QuestionRule, QuestionSettings, QuestionWording, problems_of};

/// The question editor (designers and administrators).
#[component]
pub fn QuestionEditorPage() -> impl IntoView {
    view! {
        <Title text="Edit question" />
        <RequireRole role=Role::Designer>
            <QuestionEditor />
        </RequireRole>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    wording: ServerAction<QuestionWording>,
    choices: ServerAction<QuestionChoices>,
    settings: ServerAction<QuestionSettings>,
    rule: ServerAction<QuestionRule>,
}

#[component]
fn QuestionEditor() -> impl IntoView {
    let params = use_params_map();
    let id = survey_id_param();
    let key = move || params.read().get("key").unwrap_or_default();
    let actions = Actions {
        wording: ServerAction::new(),
        choices: ServerAction::new(),
        settings: ServerAction::new(),
        rule: ServerAction::new(),
    };
    let versions = move || {
        (
            actions.wording.version().get(),
            actions.choices.version().get(),
            actions.settings.version().get(),
            actions.rule.version().get(),
        )
    };
    let editor = Resource::new(move || (id(), versions()), |(id, _)| load_survey(id));
    let failed = Signal::derive(move || {
        let err = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
        err(actions.wording.value().get())
            .or_else(|| err(actions.choices.value().get()))
            .or_else(|| err(actions.settings.value().get()))
            .or_else(|| err(actions.rule.value().get()))
            .map(|e| problems_of(&e))
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let key = key();
                match editor.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(editor) => match editor.definition.question(&key).cloned() {
                        None => view! { <ErrorPage error=AppError::NotFound /> }.into_any(),
                        Some(question) => {
                            let refused = editor.refused.clone();
                            let problems = Signal::derive(move || failed.get().unwrap_or_else(|| refused.clone()));
                            view! { <Forms id=editor.summary.id question definition=editor.definition actions problems /> }.into_any()
                        }
                    },
                }
            })}
        </Transition>
    }
}

#[component]
fn Forms(
    id: i64,
    question: Question,
    definition: SurveyDefinition,
    actions: Actions,
    problems: Signal<Vec<crate::domain::survey::check::Problem>>,
) -> impl IntoView {
    let language = definition.default_language().to_owned();
    let t = {
        let language = language.clone();
        move |text: &crate::domain::survey::Text| localized(text, &language, "").to_owned()
    };
    let key = question.key.clone();
    let text = t(&question.text);
    let help = question.help.as_ref().map(&t).unwrap_or_default();
    let lists: Vec<(&'static str, &'static str, Vec<Choice>)> = match &question.kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. }
        | QuestionKind::Ranking { options, .. } => {
            vec![("options", "Options", options.clone())]
        }
        QuestionKind::Grid { statements, scale, .. } => {
            vec![("statements", "Statements (rows)", statements.clone()), ("scale", "Scale (answers)", scale.clone())]
        }
        _ => vec![],
    };
    let list_key = key.clone();
    let list_views = lists
        .into_iter()
        .map(|(list, title, choices)| {
            let lines = choices.iter().map(|c| format!("{}: {}", c.key, t(&c.label))).collect::<Vec<_>>().join("\n");
            let field = format!("q-{list}");
            let hint = format!("{field}-hint");
            let rows = (choices.len() + 2).to_string();
            let list_key = list_key.clone();
            view! {
                <section class="panel">
                    <h2>{title}</h2>
                    <ActionForm action=actions.choices attr:class="stack">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="key" value=list_key />
                        <input type="hidden" name="list" value=list />
                        <label for=field.clone()>{format!("{title}, one per line")}</label>
                        <p class="hint" id=hint.clone()>"Write key: Label. The key names the answer in exports and stays the same across waves; leave it out and one is made from the label."</p>
                        <textarea id=field name="lines" rows=rows class="code" aria-describedby=hint>{lines}</textarea>
                        <button type="submit" class="button secondary">{format!("Save {}", title.to_lowercase())}</button>
                    </ActionForm>
                </section>
            }
        })
        .collect_view();
    let kind_name = question.kind.name().replace('_', " ");
    let settings =
        view! { <Settings id key=key.clone() question=question.clone() language=language.clone() actions /> };
    let rule = view! { <Rule id key=key.clone() question definition actions /> };
    view! {
        <section class="panel">
            <p class="hint"><A href=format!("/surveys/{id}")>"← Back to the survey"</A></p>
            <h1>{text.clone()}</h1>
            <p class="hint">{kind_name} " · " <code>{key.clone()}</code></p>
            <ProblemList problems />
            <h2>"Wording"</h2>
            <ActionForm action=actions.wording attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="key" value=key.clone() />
                <label for="q-text">{format!("Question ({language})")}</label>
                <textarea id="q-text" name="text" rows="2" required>{text}</textarea>
                <label for="q-help">"Help text (optional)"</label>
                <textarea id="q-help" name="help" rows="2">{help}</textarea>
                <button type="submit" class="button secondary">"Save wording"</button>
            </ActionForm>
        </section>
        {list_views}
        {settings}
        {rule}
    }
}

#[component]
fn Settings(id: i64, key: String, question: Question, language: String, actions: Actions) -> impl IntoView {
    let t = |text: &Option<crate::domain::survey::Text>| {
        text.as_ref().map(|t| localized(t, &language, "").to_owned()).unwrap_or_default()
    };
    let fields = match &question.kind {
        QuestionKind::SingleChoice { display, other, randomize, .. } => view! {
            <LabelField name="other" label="“Other, please specify” option (blank: not offered)" value=t(other) />
            <Checkbox name="dropdown" label="Show as a drop-down list (for long lists)" checked=*display == ChoiceDisplay::Dropdown />
            <Checkbox name="randomize" label="Show options in random order" checked=*randomize />
        }
        .into_any(),
        QuestionKind::MultipleChoice { max_selected, other, randomize, .. } => view! {
            <LabelField name="max_selected" label="Most options a resident may choose (0: no limit)" value=max_selected.map(|m| m.to_string()).unwrap_or_default() />
            <LabelField name="other" label="“Other, please specify” option (blank: not offered)" value=t(other) />
            <Checkbox name="randomize" label="Show options in random order" checked=*randomize />
        }
        .into_any(),
        QuestionKind::Rating { min, max, dont_know, .. } => view! {
            <LabelField name="min" label="Lowest point (0 or 1)" value=min.to_string() />
            <LabelField name="max" label="Highest point" value=max.to_string() />
            <LabelField name="dont_know" label="“Don't know” answer (blank: not offered)" value=t(dont_know) />
        }
        .into_any(),
        QuestionKind::Grid { dont_know, randomize, .. } => view! {
            <LabelField name="dont_know" label="“Don't know” answer (blank: not offered)" value=t(dont_know) />
            <Checkbox name="randomize" label="Show statements in random order" checked=*randomize />
        }
        .into_any(),
        QuestionKind::Number { min, max, integer } => view! {
            <LabelField name="min" label="Smallest number allowed (optional)" value=min.map(|m| m.to_string()).unwrap_or_default() />
            <LabelField name="max" label="Largest number allowed (optional)" value=max.map(|m| m.to_string()).unwrap_or_default() />
            <Checkbox name="integer" label="Whole numbers only" checked=*integer />
        }
        .into_any(),
        QuestionKind::ShortText { max_length } | QuestionKind::LongText { max_length } => view! {
            <LabelField name="max_length" label="Longest answer (characters)" value=max_length.to_string() />
        }
        .into_any(),
        QuestionKind::Ranking { randomize, .. } => view! {
            <Checkbox name="randomize" label="Show options in random order" checked=*randomize />
        }
        .into_any(),
        _ => return ().into_any(),
    };
    view! {
        <section class="panel">
            <h2>"Settings"</h2>
            <ActionForm action=actions.settings attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="key" value=key />
                {fields}
                <button type="submit" class="button secondary">"Save settings"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn LabelField(name: &'static str, label: &'static str, value: String) -> impl IntoView {
    let id = format!("setting-{name}");
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id name=name value=value />
    }
}

/// A checkbox; unchecked, it posts nothing, which the settings form reads as "no".
#[component]
fn Checkbox(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    let id = format!("setting-{name}");
    view! {
        <div class="choice">
            <input id=id.clone() type="checkbox" name=name value="true" checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}

#[component]
fn Rule(id: i64, key: String, question: Question, definition: SurveyDefinition, actions: Actions) -> impl IntoView {
    let language = definition.default_language().to_owned();
    // Only questions before this one can decide whether it is shown.
    let earlier: Vec<Question> = definition.questions().map(|(_, q)| q).take_while(|q| q.key != key).cloned().collect();
    let current = question.show_if.as_ref().and_then(|c| match c {
        Condition::Test(test) => Some(test.clone()),
        _ => None,
    });
    let combined = matches!(question.show_if, Some(Condition::All { .. } | Condition::Any { .. }));
    let value_text = current.as_ref().and_then(|t| t.value.as_ref()).map(|v| match v {
        serde_json::Value::Array(items) => {
            items.iter().map(|i| i.as_str().map_or(i.to_string(), str::to_owned)).collect::<Vec<_>>().join(", ")
        }
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let op_name =
        |op: Op| serde_json::to_value(op).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let chosen_op = current.as_ref().map(|t| t.op).unwrap_or(Op::Equals);
    view! {
        <section class="panel">
            <h2>"Display rule"</h2>
            {combined.then(|| view! { <p class="notice">"This question has a combined rule (all / any). Edit it as JSON, or replace it here with a single test."</p> })}
            {if earlier.is_empty() {
                view! { <p>"The first question is always shown."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=actions.rule attr:class="stack">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="key" value=key.clone() />
                        <label for="rule-question">"Show this question only if"</label>
                        <select id="rule-question" name="question">
                            <option value="">"— always show it —"</option>
                            {earlier.iter().map(|q| {
                                let selected = current.as_ref().is_some_and(|t| t.question == q.key);
                                view! { <option value=q.key.clone() selected=selected>{localized(&q.text, &language, "").to_owned()}</option> }
                            }).collect_view()}
                        </select>
                        <label for="rule-op">"Comparison"</label>
                        <select id="rule-op" name="op">
                            {Op::ALL.into_iter().map(|op| {
                                let name = op_name(op);
                                view! { <option value=name.clone() selected=op == chosen_op>{name.replace('_', " ")}</option> }
                            }).collect_view()}
                        </select>
                        <label for="rule-statement">"Grid statement (only for a satisfaction grid)"</label>
                        <input id="rule-statement" name="statement" value=current.as_ref().and_then(|t| t.statement.clone()).unwrap_or_default() />
                        <label for="rule-value">"Value"</label>
                        <p class="hint" id="rule-value-hint">"An option key, a number, or a date (YYYY-MM-DD); for “any of” and “none of”, several separated by commas."</p>
                        <input id="rule-value" name="value" value=value_text.unwrap_or_default() aria-describedby="rule-value-hint" />
                        <details>
                            <summary>"Possible values of the earlier questions"</summary>
                            <ul class="hint">
                                {earlier.iter().filter_map(|q| q.kind.options().map(|options| {
                                    let keys = options.iter().map(|o| o.key.clone()).collect::<Vec<_>>().join(", ");
                                    view! { <li><code>{q.key.clone()}</code>": "{keys}</li> }
                                })).collect_view()}
                            </ul>
                        </details>
                        <button type="submit" class="button secondary">"Save display rule"</button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
    }
}

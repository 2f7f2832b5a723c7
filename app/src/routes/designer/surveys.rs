//! `/surveys`: the designer's list of surveys, and where new ones start.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::guard::RequireRole;
use crate::components::problems::ProblemList;
use crate::domain::Role;
use crate::domain::survey::SurveyKind;
use crate::domain::survey::templates::TEMPLATES;
use crate::error::AppError;
use crate::routes::errors::ErrorPage;
use crate::server_fns::surveys::{CreateSurvey, ImportSurvey, list_surveys, problems_of};

/// The survey list (designers and administrators).
#[component]
pub fn SurveysPage() -> impl IntoView {
    view! {
        <Title text="Surveys" />
        <RequireRole role=Role::Designer>
            <Surveys />
        </RequireRole>
    }
}

#[component]
fn Surveys() -> impl IntoView {
    let create = ServerAction::<CreateSurvey>::new();
    let import = ServerAction::<ImportSurvey>::new();
    let surveys = Resource::new(move || (create.version().get(), import.version().get()), |_| list_surveys());
    let problems = Signal::derive(move || {
        let failed = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
        failed(create.value().get())
            .or_else(|| failed(import.value().get()))
            .map(|e| problems_of(&e))
            .unwrap_or_default()
    });
    view! {
        <section class="panel">
            <h1>"Surveys"</h1>
            <ProblemList problems />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match surveys.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"No surveys yet. Start one from a template below."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="survey-list" data-testid="survey-list">
                                {list.into_iter().map(|s| view! {
                                    <li class="survey-item">
                                        <A href=format!("/surveys/{}", s.id)>{s.title.clone()}</A>
                                        <span class=format!("badge status-{}", s.status.as_str())>{s.status.as_str()}</span>
                                        <span class="hint">
                                            {if s.kind == SurveyKind::QuickPoll { "Quick poll" } else { "Survey" }}
                                            {format!(" · version {} · changed {}", s.version, s.updated_at)}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="panel">
            <h2>"Start a new survey"</h2>
            <ul class="cards">
                {TEMPLATES.iter().map(|t| view! {
                    <li>
                        <strong>{t.name}</strong>
                        <span>{t.description}</span>
                        <span class="hint">"English and Spanish"</span>
                        <ActionForm action=create>
                            <input type="hidden" name="template" value=t.key />
                            <button type="submit" class="button secondary">{format!("Use the {} template", t.name.to_lowercase())}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <h2>"Import a definition file"</h2>
            <ActionForm action=import attr:class="stack">
                <label for="definition">"Survey definition (JSON)"</label>
                <p class="hint" id="definition-hint">"Paste a file exported from Canvass or written to the documented format. Every problem is listed if it does not fit."</p>
                <textarea id="definition" name="definition" rows="6" required aria-describedby="definition-hint"></textarea>
                <button type="submit" class="button">"Import as a draft"</button>
            </ActionForm>
        </section>
    }
}

//! `/surveys/:id/json`: the survey's definition file, to copy, save or edit as a whole.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::guard::RequireRole;
use crate::components::problems::ProblemList;
use crate::domain::Role;
use crate::routes::errors::ErrorPage;
use crate::routes::{load_survey, survey_id_param};
use crate::server_fns::surveys::{ReplaceSurvey, problems_of};

/// The JSON page (designers and administrators).
#[component]
pub fn SurveyJsonPage() -> impl IntoView {
    view! {
        <Title text="Survey definition" />
        <RequireRole role=Role::Designer>
            <SurveyJson />
        </RequireRole>
    }
}

#[component]
fn SurveyJson() -> impl IntoView {
    let id = survey_id_param();
    let replace = ServerAction::<ReplaceSurvey>::new();
    let editor = Resource::new(id, load_survey);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(editor) => {
                        let id = editor.summary.id;
                        let refused = editor.refused.clone();
                        let problems = Signal::derive(move || {
                            replace.value().get().and_then(Result::err).map(|e| problems_of(&e)).unwrap_or_else(|| refused.clone())
                        });
                        view! {
                            <section class="panel">
                                <p class="hint"><A href=format!("/surveys/{id}")>"← Back to the editor"</A></p>
                                <h1>"Survey definition"</h1>
                                <p>"This is the whole survey in Canvass's documented format. Copy it to keep a file, import it elsewhere, or edit it here and save: every problem is listed before anything changes."</p>
                                <ProblemList problems />
                                <ActionForm action=replace attr:class="stack">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <label for="definition-json">"Definition (JSON)"</label>
                                    <textarea id="definition-json" name="definition" rows="24" class="code" data-testid="definition-json">
                                        {editor.definition.to_json()}
                                    </textarea>
                                    <button type="submit" class="button">"Save as a new version"</button>
                                </ActionForm>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

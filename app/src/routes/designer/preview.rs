//! `/surveys/:id/preview?lang=es`: the survey exactly as a resident sees it, in a phone-sized
//! frame, in each language, with display rules applied live (with JavaScript).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::guard::RequireRole;
use crate::components::survey_form::SurveyForm;
use crate::domain::Role;
use crate::routes::errors::ErrorPage;
use crate::routes::{load_survey, survey_id_param};
use crate::server_fns::areas::survey_area_maps;

/// The preview page (designers and administrators).
#[component]
pub fn SurveyPreviewPage() -> impl IntoView {
    view! {
        <Title text="Preview" />
        <RequireRole role=Role::Designer>
            <Preview />
        </RequireRole>
    }
}

#[component]
fn Preview() -> impl IntoView {
    let query = use_query_map();
    let id = survey_id_param();
    let language_asked = move || query.read().get("lang").unwrap_or_else(|| "en".to_owned());
    // One resource for the survey and its maps: a render waits on one future, not two in turn.
    let editor = Resource::new(
        move || (id(), language_asked()),
        |(id, language)| async move {
            let editor = load_survey(id).await?;
            let areas = survey_area_maps(editor.summary.id, language).await.unwrap_or_default();
            Ok::<_, crate::error::AppError>((editor, areas))
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((editor, areas)) => {
                        let id = editor.summary.id;
                        let definition = editor.definition;
                        let language = query
                            .read()
                            .get("lang")
                            .filter(|l| definition.languages.contains(l))
                            .unwrap_or_else(|| definition.default_language().to_owned());
                        let languages = definition.languages.clone();
                        let frame_language = language.clone();
                        view! {
                            <section class="panel">
                                <p class="hint"><A href=format!("/surveys/{id}")>"← Back to the editor"</A></p>
                                <h1>"Preview"</h1>
                                <p>"This is what residents see on a phone. Answers typed here are not saved. Follow-up questions appear as you answer."</p>
                                <nav aria-label="Preview language" class="actions">
                                    {languages.into_iter().map(|lang| {
                                        let current = (lang == language).then_some("page");
                                        view! { <A href=format!("/surveys/{id}/preview?lang={lang}") attr:aria-current=current attr:class="button secondary">{lang.clone()}</A> }
                                    }).collect_view()}
                                </nav>
                            </section>
                            <div class="phone-frame" data-testid="phone-frame" lang=frame_language>
                                <SurveyForm definition language areas />
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

//! `/surveys/:id/translations?lang=es`: every text of the survey beside its translation, and the
//! survey's languages.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::guard::RequireRole;
use crate::components::problems::ProblemList;
use crate::domain::Role;
use crate::domain::survey::model::localized;
use crate::domain::survey::texts::all_texts;
use crate::error::AppError;
use crate::routes::errors::ErrorPage;
use crate::routes::{load_survey, survey_id_param};
use crate::server_fns::surveys::{EditSurvey, TranslateSurvey, problems_of};

/// The translations page (designers and administrators).
#[component]
pub fn SurveyTranslationsPage() -> impl IntoView {
    view! {
        <Title text="Translations" />
        <RequireRole role=Role::Designer>
            <Translations />
        </RequireRole>
    }
}

#[component]
fn Translations() -> impl IntoView {
    let query = use_query_map();
    let id = survey_id_param();
    let translate = ServerAction::<TranslateSurvey>::new();
    let languages = ServerAction::<EditSurvey>::new();
    let editor = Resource::new(
        move || (id(), translate.version().get(), languages.version().get()),
        |(id, _, _)| load_survey(id),
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(editor) => {
                        let id = editor.summary.id;
                        let definition = editor.definition;
                        let default = definition.default_language().to_owned();
                        let others: Vec<String> = definition.languages.iter().skip(1).cloned().collect();
                        let chosen = query.read_untracked().get("lang").filter(|l| others.contains(l)).or_else(|| others.first().cloned());
                        let refused = editor.refused.clone();
                        let problems = Signal::derive(move || {
                            let err = |v: Option<Result<(), AppError>>| v.and_then(Result::err);
                            err(translate.value().get()).or_else(|| err(languages.value().get())).map(|e| problems_of(&e)).unwrap_or_else(|| refused.clone())
                        });
                        let rows: Vec<(String, String, String)> = chosen.as_ref().map(|lang| {
                            all_texts(&definition).into_iter().map(|(path, text)| {
                                (path, localized(text, &default, "").to_owned(), text.get(lang).cloned().unwrap_or_default())
                            }).collect()
                        }).unwrap_or_default();
                        let missing = rows.iter().filter(|(_, _, t)| t.trim().is_empty()).count();
                        view! {
                            <section class="panel">
                                <p class="hint"><A href=format!("/surveys/{id}")>"← Back to the editor"</A></p>
                                <h1>"Translations"</h1>
                                <ProblemList problems />
                                <p>{format!("Default language: {default}. Residents see the default text wherever a translation is missing.")}</p>
                                <ul class="language-list">
                                    {others.clone().into_iter().map(|lang| {
                                        let href = format!("/surveys/{id}/translations?lang={lang}");
                                        let stop = format!("Stop offering {lang}");
                                        let name = lang.clone();
                                        view! {
                                            <li>
                                                <A href=href>{name}</A>
                                                <details class="danger-zone">
                                                    <summary>{stop.clone()}"…"</summary>
                                                    <p>"Its translations will be deleted."</p>
                                                    <ActionForm action=languages attr:class="inline-form">
                                                        <input type="hidden" name="id" value=id.to_string() />
                                                        <input type="hidden" name="edit" value="remove_language" />
                                                        <input type="hidden" name="language" value=lang />
                                                        <button type="submit" class="button danger">{stop}</button>
                                                    </ActionForm>
                                                </details>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <ActionForm action=languages attr:class="inline-form">
                                    <input type="hidden" name="id" value=id.to_string() />
                                    <input type="hidden" name="edit" value="add_language" />
                                    <label for="new-language">"Add a language (tag such as vi, zh-Hant)"</label>
                                    <input id="new-language" name="language" required />
                                    <button type="submit" class="button secondary">"Add language"</button>
                                </ActionForm>
                            </section>
                            {chosen.map(|lang| view! {
                                <section class="panel">
                                    <h2>{format!("{default} → {lang}")}</h2>
                                    <p class="hint" data-testid="missing-count">{format!("{missing} of {} texts still need a translation.", rows.len())}</p>
                                    <ActionForm action=translate attr:class="stack translations">
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <input type="hidden" name="language" value=lang.clone() />
                                        {rows.into_iter().enumerate().map(|(i, (path, original, translation))| {
                                            let field = format!("translation-{i}");
                                            let class = if translation.trim().is_empty() { "translation missing" } else { "translation" };
                                            view! {
                                                <div class=class>
                                                    <input type="hidden" name=format!("paths[{i}]") value=path.clone() />
                                                    <label for=field.clone()>{original}</label>
                                                    <span class="hint"><code>{path}</code></span>
                                                    <textarea id=field name=format!("values[{i}]") rows="2" lang=lang.clone()>{translation}</textarea>
                                                </div>
                                            }
                                        }).collect_view()}
                                        <button type="submit" class="button">{format!("Save {lang} translations")}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

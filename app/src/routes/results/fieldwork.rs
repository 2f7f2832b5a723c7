//! `/surveys/:id/fieldwork`: while a survey is open, how many have answered today and in all,
//! by channel, and the outreach list — the areas furthest below their share of residents, with
//! how many more responses each needs. With JavaScript it refreshes itself every 15 seconds.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::guard::RequireSignedIn;
use crate::domain::access::Channel;
use crate::domain::dashboard::words::count;
use crate::routes::errors::ErrorPage;
use crate::routes::survey_id_param;
use crate::server_fns::results::results_fieldwork;

/// How often the view asks for new figures.
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

/// The live fieldwork page.
#[component]
pub fn FieldworkPage() -> impl IntoView {
    view! {
        <Title text="Fieldwork" />
        <RequireSignedIn>
            <FieldworkView />
        </RequireSignedIn>
    }
}

#[component]
fn FieldworkView() -> impl IntoView {
    let id = survey_id_param();
    let tick = RwSignal::new(0u32);
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
            live.set(true);
            on_cleanup(move || handle.clear());
        }
    });
    let figures = Resource::new(
        move || (id(), tick.get()),
        |(id, _)| async move {
            match id {
                Some(id) => results_fieldwork(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match figures.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(f) => view! {
                        <section class="panel">
                            <p class="hint"><A href=format!("/surveys/{}/results", f.survey.id)>"← Results"</A></p>
                            <h1>{format!("Fieldwork: {}", f.survey.title)}</h1>
                            <p class="hint" aria-live="polite" data-testid="checked-at">
                                {format!("Figures as of {}. ", f.checked_at)}
                                {move || if live.get() { "They update every 15 seconds." } else { "Reload the page for new figures." }}
                            </p>
                            <dl class="figures big">
                                <div><dt>"Responses today"</dt><dd data-testid="responses-today">{count(f.today as f64)}</dd></div>
                                <div><dt>"Responses in all"</dt><dd data-testid="responses-total">{count(f.responses as f64)}</dd></div>
                                <div><dt>"Latest response"</dt><dd class="when">{f.latest.clone().unwrap_or_else(|| "none yet".to_owned())}</dd></div>
                                <div><dt>"Areas under-represented"</dt><dd>{f.summary.areas_under}</dd></div>
                            </dl>
                            <h2>"By channel"</h2>
                            <ul class="plain">
                                {f.by_channel.iter().map(|(c, n)| view! { <li>{format!("{}: {}", channel_label(c), count(*n as f64))}</li> }).collect_view()}
                            </ul>
                        </section>
                        <section class="panel" aria-labelledby="targets-heading">
                            <h2 id="targets-heading">"Outreach targets"</h2>
                            <p class="hint">"The areas furthest below their share of the city's residents, and how many more responses each needs to reach it."</p>
                            {if f.outreach.is_empty() {
                                view! { <p>"Every area has at least its share of responses."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" tabindex="0" role="region" aria-label="Outreach targets">
                                        <table data-testid="outreach-targets">
                                            <thead><tr><th scope="col">"Area"</th><th scope="col" class="number">"More needed"</th><th scope="col" class="number">"Responses"</th><th scope="col" class="number">"Residents"</th></tr></thead>
                                            <tbody>
                                                {f.outreach.iter().map(|a| view! {
                                                    <tr>
                                                        <th scope="row">{a.name.clone()}</th>
                                                        <td class="number">{a.responses_needed.unwrap_or(0)}</td>
                                                        <td class="number">{a.responses}</td>
                                                        <td class="number">{a.population.map_or_else(|| "unknown".to_owned(), count)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

/// A stored channel name as staff call it (an unknown one as it is).
fn channel_label(name: &str) -> String {
    Channel::parse(name).map_or_else(|| name.to_owned(), |c| c.label().to_owned())
}

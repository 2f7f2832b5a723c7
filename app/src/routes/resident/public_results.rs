//! `/s/:public_key/results`: a survey's results for everyone, once staff switch the page on.
//! Only the published report reaches this page: counts under the city's threshold are withheld
//! (and hatched on the map), with no free text and no breakdown by demographic; a short methods
//! note says how the figures were made.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

use crate::components::charts::{AreaBars, Bar, BarChart, ChoroplethMap, said};
use crate::domain::analytics::public::PublicPart;
use crate::domain::dashboard::figures::Scale;
use crate::domain::dashboard::words::count;
use crate::domain::navigation::with_query;
use crate::models::results::{MethodsNote, PublicResults};
use crate::routes::errors::ErrorPage;
use crate::server_fns::results::published_results_page;

/// The public results page.
#[component]
pub fn PublicResultsPage() -> impl IntoView {
    let params = use_params_map();
    let search = use_location().search;
    let page = Resource::new(
        move || (params.read().get("public_key").unwrap_or_default(), search.get()),
        |(key, search)| published_results_page(key, search.trim_start_matches('?').to_owned()),
    );
    view! {
        <Title text="Survey results" />
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(p) => view! { <PublicResultsView p /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PublicResultsView(p: PublicResults) -> impl IntoView {
    let action = format!("/s/{}/results", p.public_key);
    view! {
        <article class="panel public-results" data-testid="public-results">
            <h1>{format!("Results: {}", p.title)}</h1>
            <Methods m=p.methods.clone() />
            <form method="get" action=action class="filters no-print">
                <div class="field">
                    <label for="p-question">"Question"</label>
                    <select id="p-question" name="question">
                        {p.questions.iter().map(|q| {
                            let selected = q.key == p.question;
                            view! { <option value=q.key.clone() selected=selected>{q.text.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="p-map">"Map"</label>
                    <select id="p-map" name="map">
                        <option value="per_thousand">"Responses per 1,000 residents"</option>
                        <option value="representation">"Representation ratio"</option>
                        <option value="answer">"The question's answers"</option>
                    </select>
                </div>
                <button type="submit" class="button">"Show"</button>
            </form>
            {p.parts.iter().map(|part| view! { <PublicPartView part=part.clone() /> }).collect_view()}
            {p.map.clone().map(|map| {
                let src = with_query(
                    &format!("/s/{}/results/map.svg", p.public_key),
                    &[("question", p.question.as_str()), ("map", p.metric.as_str())],
                );
                view! { <ChoroplethMap map src /> }
            })}
            <AreaBars chart=p.chart.clone() />
            <section class="downloads no-print" aria-labelledby="files-heading">
                <h2 id="files-heading">"Download this publication"</h2>
                <ul>
                    <li><a href=format!("/s/{}/results/data.csv", p.public_key) download>"Every published figure (CSV)"</a></li>
                    <li><a href=format!("/s/{}/results/data.json", p.public_key)>"Every published figure (JSON)"</a></li>
                    <li><a href=format!("/s/{}/results/areas.geojson", p.public_key) download>"Areas with their figures (GeoJSON, for maps)"</a></li>
                </ul>
            </section>
        </article>
    }
}

/// How the figures were made.
#[component]
fn Methods(m: MethodsNote) -> impl IntoView {
    view! {
        <section class="methods" aria-labelledby="methods-heading" data-testid="methods">
            <h2 id="methods-heading">"How these figures were made"</h2>
            <ul>
                <li>{match (&m.opened, &m.closed) {
                    (Some(o), Some(c)) => format!("Open from {o} until {c}."),
                    (Some(o), None) => format!("Open since {o}; figures as of {}.", m.generated_at),
                    (None, _) => format!("Figures as of {}.", m.generated_at),
                }}</li>
                <li>{m.respondents.map_or_else(|| "Too few responses to report.".to_owned(), |n| format!("{} people answered", count(n as f64)))}
                    {(!m.channels.is_empty()).then(|| format!(", through: {}.", m.channels.join(", ")))}</li>
                <li>{m.weighting.clone()}</li>
                {m.margin_of_error.clone().map(|e| view! { <li>{format!("Margin of error for a city-wide percentage near 50%: {e} (95% confidence). Figures for one area are much less certain.")}</li> })}
                <li>{format!("To protect the people who answered, any count under {} is withheld, with whatever figures would reveal it; areas so withheld are hatched on the map. No written-in answers are published. ", m.threshold)}
                    <a href="/privacy">"How Canvass protects respondents"</a></li>
                {m.area_set.clone().map(|s| view! { <li>{format!("Areas: {s}.")}</li> })}
            </ul>
        </section>
    }
}

/// One question part: its city-wide answers, with what is withheld marked.
#[component]
fn PublicPartView(part: PublicPart) -> impl IntoView {
    let scale = Scale::of_headline(part.headline);
    let bars: Vec<Bar> = part
        .citywide
        .options
        .iter()
        .map(|o| Bar { label: o.label.clone(), value: o.share, base: o.count, withheld: o.count.is_none() })
        .collect();
    // Percentages only when no count of the row is withheld: next to a withheld count, a
    // percentage would give it back.
    let whole = part.citywide.options.iter().all(|o| o.share.is_some());
    let counts = part.citywide.options.clone();
    view! {
        <section class="part" data-testid="public-part">
            <h2>{part.text.clone()}</h2>
            <p class="headline">{said(scale, part.citywide.headline)}</p>
            {(!bars.is_empty() && whole).then(|| view! { <BarChart title=format!("{} — city-wide, with 95% intervals", part.text) name="Answer" scale=Scale::Share bars /> })}
            {(!counts.is_empty() && !whole).then(|| view! {
                <table class="counts" data-testid="public-counts">
                    <caption>{format!("{} — city-wide, number of people", part.text)}</caption>
                    <thead><tr><th scope="col">"Answer"</th><th scope="col">"People"</th></tr></thead>
                    <tbody>
                        {counts.iter().map(|o| view! {
                            <tr><th scope="row">{o.label.clone()}</th><td>{o.count.map_or_else(|| "withheld".to_owned(), |n| count(n as f64))}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="hint">"Percentages are not shown for this question: a small count is withheld, and percentages next to it would reveal it."</p>
            })}
        </section>
    }
}

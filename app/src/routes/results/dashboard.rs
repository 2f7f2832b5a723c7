//! `/results`: every survey's results and fieldwork, for all staff; and
//! `/surveys/:id/results`: one survey's dashboard — participation on a map and by area, who
//! answered against who lives there, what they said with how sure we are, differences between
//! areas and groups, waves, exports, and the switch for the public results page. Every filter is
//! a plain GET form, so the page works without JavaScript and each view has its own address.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_location;

use crate::components::charts::{AreaBars, ChoroplethMap};
use crate::components::guard::RequireSignedIn;
use crate::components::results_sections::{CrossTab, Demographics, Outreach, PartView, SummaryFigures, Waves};
use crate::domain::access::Channel;
use crate::domain::analytics::results::PartResult;
use crate::domain::analytics::tally::weighting_choices;
use crate::domain::dashboard::words::count;
use crate::domain::navigation::with_query;
use crate::models::results::{Dashboard, PartChoice, QuestionChoice, ResultsFilters};
use crate::routes::errors::ErrorPage;
use crate::routes::survey_id_param;
use crate::server_fns::results::{PublishResults, results_dashboard, results_surveys};

/// The results index.
#[component]
pub fn ResultsIndexPage() -> impl IntoView {
    let surveys = Resource::new(|| (), |_| results_surveys());
    view! {
        <Title text="Results" />
        <RequireSignedIn>
            <section class="panel">
                <h1>"Results"</h1>
                <p class="hint">"Each survey's dashboard: who answered, what they said by neighborhood, and how sure we can be. Open surveys also have a live fieldwork view."</p>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match surveys.await {
                            Err(error) => view! { <ErrorPage error /> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p>"No surveys yet."</p> }.into_any(),
                            Ok(list) => view! {
                                <ul class="survey-list" data-testid="results-list">
                                    {list.into_iter().map(|s| view! {
                                        <li>
                                            <A href=format!("/surveys/{}/results", s.id)>{s.title.clone()}</A>
                                            <span class=format!("badge status-{}", s.status.as_str())>{s.status.as_str()}</span>
                                            " "
                                            <A href=format!("/surveys/{}/fieldwork", s.id)>"Fieldwork"</A>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }
                                .into_any(),
                        }
                    })}
                </Transition>
            </section>
        </RequireSignedIn>
    }
}

/// One survey's results dashboard.
#[component]
pub fn ResultsDashboardPage() -> impl IntoView {
    view! {
        <Title text="Results" />
        <RequireSignedIn>
            <ResultsDashboard />
        </RequireSignedIn>
    }
}

#[component]
fn ResultsDashboard() -> impl IntoView {
    let id = survey_id_param();
    let search = use_location().search;
    let dashboard = Resource::new(
        move || (id(), search.get()),
        |(id, search)| async move {
            match id {
                Some(id) => results_dashboard(id, search.trim_start_matches('?').to_owned()).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading results…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(d) => view! { <DashboardView d /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(d: Dashboard) -> impl IntoView {
    let id = d.survey.id;
    let here = format!("/surveys/{id}/results");
    let f = d.filters.clone();
    let analysis: Vec<(&str, &str)> = f.analysis_pairs();
    let export = |path: &str| with_query(&format!("/api/v1/surveys/{id}/{path}"), &analysis);
    let open_data = |path: &str| format!("/api/v1/surveys/{id}/{path}");
    let crossed_by = d.questions.iter().flat_map(|q| q.parts.iter()).find(|p| p.key == f.by).map(|p| p.text.clone());
    view! {
        <section class="panel dashboard-head">
            <p class="hint no-print"><A href="/results">"← All results"</A></p>
            <h1>{d.survey.title.clone()}</h1>
            <p>
                <span class=format!("badge status-{}", d.survey.status.as_str())>{d.survey.status.as_str()}</span>
                " "
                <strong data-testid="respondents">{format!("{} respondents", count(d.respondents as f64))}</strong>
                {d.area_set.clone().map(|s| format!(" · areas: {s}"))}
                {format!(" · as of {}", d.generated_at)}
            </p>
            <p class="no-print">
                <A href=format!("/surveys/{id}/fieldwork")>"Live fieldwork view"</A>
                " · "
                <button type="button" class="link-button print-button" on:click=move |_| { let _ = window().print(); }>"Print report"</button>
            </p>
            <Filters id f=f.clone() questions=d.questions.clone() />
        </section>
        <section class="panel" aria-labelledby="heard-heading">
            <h2 id="heard-heading">"Who answered"</h2>
            <SummaryFigures summary=d.summary.clone() weighting=d.weighting.clone() respondents=d.respondents />
            {d.map.clone().map(|map| view! { <ChoroplethMap map src=map_src(id, &f) /> })}
            <MapChoice here=here.clone() f=f.clone() parts=d.parts.clone() />
            <AreaBars chart=d.chart.clone() />
        </section>
        <section class="panel" aria-labelledby="outreach-heading">
            <h2 id="outreach-heading">"Under-heard areas"</h2>
            <Outreach areas=d.outreach.clone() />
        </section>
        <section class="panel" aria-labelledby="said-heading">
            <h2 id="said-heading">"What they said"</h2>
            {d.parts.iter().map(|part| view! { <PartView part=part.clone() between="neighborhoods" /> }).collect_view()}
            {(d.parts.is_empty()).then(|| view! { <p>"This survey has no question with results to show."</p> })}
        </section>
        {(!d.crosstab.is_empty()).then(|| {
            let by = crossed_by.clone().unwrap_or_default();
            view! {
                <section class="panel" aria-labelledby="crosstab-heading" data-testid="crosstab">
                    <h2 id="crosstab-heading">{format!("By {by}")}</h2>
                    {d.crosstab.iter().map(|part| view! { <CrossTab part=part.clone() /> }).collect_view()}
                </section>
            }
        })}
        <section class="panel" aria-labelledby="demographics-heading">
            <h2 id="demographics-heading">"Respondents compared with residents"</h2>
            <Demographics comparisons=d.demographics.clone() />
        </section>
        {d.waves.clone().map(|waves| view! { <Waves waves /> })}
        <section class="panel no-print" aria-labelledby="exports-heading" data-testid="exports">
            <h2 id="exports-heading">"Downloads"</h2>
            <p class="hint">"Each file holds what this page shows: the same question, filters and weighting."</p>
            <ul class="downloads">
                <li><a href=export("results.csv") download>"Results (CSV, every figure by area)"</a></li>
                <li><a href=export("results")>"Results (JSON)"</a></li>
                <li><a href=export("results.geojson") download>"Areas with results (GeoJSON, for ArcGIS or QGIS)"</a></li>
                {(!d.publications.is_empty()).then(|| view! {
                    <li><a href=open_data("results/public.csv") download>"Open data: the latest publication (CSV)"</a></li>
                    <li><a href=open_data("results/public")>"Open data: the latest publication (JSON)"</a></li>
                    <li><a href=open_data("results/public.geojson") download>"Open data: the latest publication's areas (GeoJSON)"</a></li>
                })}
                <li><a href=format!("/api/v1/surveys/{id}/results/dictionary.csv") download>"Data dictionary (CSV): every column and question"</a></li>
                <li>
                    <a href=export("responses.csv") download>"Responses, one row per person (CSV, with weights)"</a>
                    {if d.sees_free_text {
                        view! { <p class="warning" data-testid="free-text-warning">"Includes free-text answers, which can hold names, addresses and other personal information. Keep this file inside the city and do not publish it."</p> }.into_any()
                    } else {
                        view! { <p class="hint">"Free-text answers are left out for your role."</p> }.into_any()
                    }}
                </li>
            </ul>
        </section>
        <PublicSwitch d=d.clone() />
    }
}

/// The filter form: question, weighting, channel, dates, group and cross-tab.
#[component]
fn Filters(id: i64, f: ResultsFilters, questions: Vec<QuestionChoice>) -> impl IntoView {
    let exclusive: Vec<PartChoice> = questions
        .iter()
        .flat_map(|q| q.parts.iter())
        .filter(|p| p.exclusive && !p.options.is_empty())
        .cloned()
        .collect();
    let option = |value: String, label: String, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <Form method="GET" action=format!("/surveys/{id}/results") attr:class="filters no-print" attr:data-testid="filters">
            <div class="field">
                <label for="f-question">"Question"</label>
                <select id="f-question" name="question">
                    {questions.iter().map(|q| option(q.key.clone(), q.text.clone(), &f.question)).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-weight">"Weighting"</label>
                <select id="f-weight" name="weight" aria-describedby="f-weight-hint">
                    {weighting_choices().into_iter().map(|(v, l)| option(v, l, &f.weight)).collect_view()}
                </select>
                <p class="hint" id="f-weight-hint">"Weighting makes respondents count as the city's residents would (raking)."</p>
            </div>
            <div class="field">
                <label for="f-channel">"Channel"</label>
                <select id="f-channel" name="channel">
                    {option(String::new(), "All channels".to_owned(), &f.channel)}
                    {Channel::ALL.iter().map(|c| option(c.as_str().to_owned(), c.label().to_owned(), &f.channel)).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-from">"From"</label>
                <input id="f-from" name="from" type="date" value=f.from.clone() />
            </div>
            <div class="field">
                <label for="f-to">"To"</label>
                <input id="f-to" name="to" type="date" value=f.to.clone() />
            </div>
            <div class="field">
                <label for="f-group">"Only respondents who answered"</label>
                <select id="f-group" name="group">
                    <option value="">"Everyone"</option>
                    {exclusive.iter().map(|p| view! {
                        <optgroup label=p.text.clone()>
                            {p.options.iter().map(|(o, label)| option(format!("{}:{o}", p.key), label.clone(), &f.group)).collect_view()}
                        </optgroup>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-by">"Break answers down by"</label>
                <select id="f-by" name="by">
                    <option value="">"Neighborhood only"</option>
                    {exclusive.iter().map(|p| option(p.key.clone(), p.text.clone(), &f.by)).collect_view()}
                </select>
            </div>
            <input type="hidden" name="map" value=f.map.clone() />
            <input type="hidden" name="sort" value=f.sort.clone() />
            <button type="submit" class="button">"Show results"</button>
        </Form>
    }
}

/// Links that switch the map and bars between figures, and sort the bars.
#[component]
fn MapChoice(here: String, f: ResultsFilters, parts: Vec<PartResult>) -> impl IntoView {
    let kept = f.clone();
    let link = move |map: &str, sort: &str| {
        let mut pairs: Vec<(&str, &str)> = kept.analysis_pairs();
        if !map.is_empty() {
            pairs.push(("map", map));
        }
        if !sort.is_empty() {
            pairs.push(("sort", sort));
        }
        with_query(&here, &pairs)
    };
    let current_map = if f.map.is_empty() { "per_thousand".to_owned() } else { f.map.clone() };
    let current_sort = if f.sort.is_empty() { "value".to_owned() } else { f.sort.clone() };
    let mut maps = vec![
        ("per_thousand".to_owned(), "Responses per 1,000 residents".to_owned()),
        ("representation".to_owned(), "Representation ratio".to_owned()),
    ];
    if let Some(part) = parts.first() {
        maps.push(("answer".to_owned(), "The question's headline figure".to_owned()));
        if part.citywide.options.len() <= 12 {
            for o in &part.citywide.options {
                maps.push((format!("option:{}", o.key), format!("% choosing “{}”", o.label)));
            }
        }
    }
    let sorts =
        [("value", "Highest first"), ("lowest", "Lowest first"), ("answers", "Most answers"), ("name", "By name")];
    view! {
        <nav class="toggles no-print" aria-label="Map figure">
            <span class="hint">"Show on the map: "</span>
            {maps.into_iter().map(|(value, label)| {
                let current = value == current_map;
                view! { <a href=link(&value, &f.sort) aria-current=current.then_some("true") class="toggle">{label}</a> }
            }).collect_view()}
        </nav>
        <nav class="toggles no-print" aria-label="Order of the areas">
            <span class="hint">"Order the areas: "</span>
            {sorts.into_iter().map(|(value, label)| {
                let current = value == current_sort;
                view! { <a href=link(&f.map, value) aria-current=current.then_some("true") class="toggle">{label}</a> }
            }).collect_view()}
        </nav>
    }
}

/// Publishing: what the public page shows (the latest publication), earlier publications, and
/// the buttons to publish again or take the page down.
#[component]
fn PublicSwitch(d: Dashboard) -> impl IntoView {
    let address = format!("/s/{}/results", d.public_key);
    let latest = d.publications.first().cloned();
    let earlier: Vec<_> = d.publications.iter().skip(1).cloned().collect();
    let describe = |p: &crate::models::results::PublicationSummary| {
        let by = p.published_by.clone().map_or_else(|| "from the command line".to_owned(), |who| format!("by {who}"));
        let respondents = p
            .respondents
            .map_or_else(|| "fewer respondents than the threshold".to_owned(), |n| format!("{n} respondents"));
        format!("{} {by}: {respondents}, {} counts withheld (threshold {})", p.published_at, p.withheld, p.threshold)
    };
    view! {
        <section class="panel no-print" id="public-page" aria-labelledby="public-heading" data-testid="public-switch">
            <h2 id="public-heading">"Published results"</h2>
            {match (&latest, d.results_public) {
                (Some(p), true) => view! {
                    <p>"Public: anyone can read the publication of " {describe(p)} ", at " <a href=address.clone()>{address.clone()}</a>
                    ", with its files: " <a href=format!("{address}/data.csv")>"CSV"</a> ", "
                    <a href=format!("{address}/data.json")>"JSON"</a> ", " <a href=format!("{address}/areas.geojson")>"GeoJSON"</a> "."</p>
                    <p class="hint">"The public page does not change as responses come in: publish again to show today's figures."</p>
                }.into_any(),
                (Some(p), false) => view! { <p>{format!("Not public. Last published {}.", describe(p))}</p> }.into_any(),
                (None, _) => view! { <p>"Not published: only staff can see these results."</p> }.into_any(),
            }}
            <p class="hint">{format!("A publication shows no free text, no breakdown by demographic and no weighting, and withholds every count under {} together with whatever would reveal it; Canvass checks every withheld count against all the published figures before anything is published.", d.suppression_threshold)}</p>
            {d.can_publish.then(|| view! {
                // Plain forms: the page reloads with the new state, with or without JavaScript.
                <div class="actions">
                    <form method="post" action=PublishResults::url()>
                        <input type="hidden" name="id" value=d.survey.id.to_string() />
                        <input type="hidden" name="public" value="true" />
                        <button type="submit" class="button">{if latest.is_some() { "Publish again with today's responses" } else { "Publish the results" }}</button>
                    </form>
                    {d.results_public.then(|| view! {
                        <form method="post" action=PublishResults::url()>
                            <input type="hidden" name="id" value=d.survey.id.to_string() />
                            <input type="hidden" name="public" value="false" />
                            <button type="submit" class="button secondary">"Take the public page down"</button>
                        </form>
                    })}
                </div>
            })}
            {(!earlier.is_empty()).then(|| view! {
                <details>
                    <summary>{format!("Earlier publications ({})", earlier.len())}</summary>
                    <ul>{earlier.iter().map(|p| view! { <li>{format!("{}.", describe(p))}</li> }).collect_view()}</ul>
                </details>
            })}
        </section>
    }
}

/// The address of the dashboard's drawn map: only what changes the map goes in it.
fn map_src(id: i64, filters: &ResultsFilters) -> String {
    let pairs: Vec<(&str, &str)> = filters.pairs().into_iter().filter(|(k, _)| !matches!(*k, "by" | "sort")).collect();
    with_query(&format!("/api/v1/surveys/{id}/results/map.svg"), &pairs)
}

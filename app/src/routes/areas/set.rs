//! `/areas/:key`: one area set — its map, every area's population, where the figures come from,
//! and which areas have none (unknown, not zero).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::area_map::AreaMapView;
use crate::components::guard::RequireSignedIn;
use crate::domain::dashboard::words::{count, how_many};
use crate::domain::geography::readable_size;
use crate::models::AreaSetSummary;
use crate::routes::areas::sets::OutcomePanel;
use crate::routes::errors::ErrorPage;
use crate::server_fns::areas::{
    DrawGroupingOnPicker, ImportAreaGrouping, ImportAreaNames, area_import_outcome, load_area_set,
};

/// The area set page.
#[component]
pub fn AreaSetPage() -> impl IntoView {
    view! {
        <Title text="Area set" />
        <RequireSignedIn>
            <AreaSet />
        </RequireSignedIn>
    }
}

#[component]
fn AreaSet() -> impl IntoView {
    let params = use_params_map();
    let key = move || params.read().get("key").unwrap_or_default();
    // One resource, so a render waits on one future, not two in turn.
    let detail = Resource::new(key, |key| async move {
        let outcome = area_import_outcome().await.ok().flatten();
        load_area_set(key).await.map(|detail| (detail, outcome))
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok((detail, outcome)) => {
                        let summary = detail.summary;
                        let without = detail.areas.iter().filter(|a| a.total.is_none()).map(|a| a.name.clone()).collect::<Vec<_>>();
                        view! {
                            <section class="panel">
                                <p class="hint"><A href="/areas">"← All area sets"</A></p>
                                <h1>{summary.name.clone()}</h1>
                                {outcome.map(|o| view! { <OutcomePanel outcome=o /> })}
                                <p>
                                    {how_many(summary.areas, "area", "areas")}
                                    {summary.total_population.map(|p| format!(" · population {}", count(p)))}
                                    {summary.is_default.then_some(" · used by area questions that name no set")}
                                </p>
                                {summary.apportioned_from.clone().map(|method| view! {
                                    <p class="notice" data-testid="apportioned-note">{format!("Population figures here are estimates, {method}: people are assumed to be spread evenly within each source unit.")}</p>
                                })}
                                {(!without.is_empty()).then(|| view! {
                                    <p class="warning" data-testid="areas-without-population">
                                        {format!("No total population (unknown, not zero) for {}: {}", how_many(without.len(), "area", "areas"), without.join(", "))}
                                    </p>
                                })}
                                <AreaMapView map=detail.map />
                                {(!summary.source.is_empty()).then(|| view! { <p class="hint">{format!("Boundaries: {}", summary.source)}</p> })}
                                {(!detail.population_sources.is_empty()).then(|| view! {
                                    <p class="hint">{format!("Population: {}", detail.population_sources.join("; "))}</p>
                                })}
                                {(!summary.groups.is_empty()).then(|| view! {
                                    <p class="hint">{format!("Population groups: {}", summary.groups.join(", "))}</p>
                                })}
                            </section>
                            <section class="panel">
                                <h2>"Names residents know"</h2>
                                <p class="hint">"When areas are named for statistics (\"NPA 123\"), residents cannot find theirs. Give each area the names people use — neighborhoods, landmarks, towns — and the survey's area picker finds it by any of them (accents and capitals do not matter; the start of a word is enough)."</p>
                                <form method="post" action=ImportAreaNames::url() enctype="multipart/form-data" class="stack" data-testid="import-names">
                                    <input type="hidden" name="set" value=summary.key.clone() />
                                    <label for="names-file">"CSV file with key and aliases columns (several names separated by ;)"</label>
                                    <input id="names-file" name="file" type="file" required accept=".csv,text/csv" />
                                    <button type="submit" class="button secondary">"Check and import names"</button>
                                </form>
                            </section>
                            <Groupings summary=summary.clone() groupings=detail.groupings />
                            <section class="panel">
                                <h2>"Areas"</h2>
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Areas and population">
                                    <table data-testid="area-population">
                                        <thead>
                                            <tr><th scope="col">"Area"</th><th scope="col">"Id"</th><th scope="col">"Other names"</th><th scope="col" class="number">"Population"</th><th scope="col" class="number">"Groups"</th><th scope="col" class="number">"Land"</th></tr>
                                        </thead>
                                        <tbody>
                                            {detail.areas.into_iter().map(|a| view! {
                                                <tr>
                                                    <th scope="row">{a.name}</th>
                                                    <td>{a.key}</td>
                                                    <td>{a.aliases.join("; ")}</td>
                                                    <td class="number">
                                                        {a.total.map_or_else(|| "unknown".to_owned(), count)}
                                                        {a.margin.map(|m| format!(" ± {}", count(m)))}
                                                        {a.apportioned.then_some(" (est.)")}
                                                    </td>
                                                    <td class="number">{a.groups}</td>
                                                    <td class="number">{readable_size(a.land_square_metres)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A set's groupings (council districts, towns made of its areas), and the form to add one; for a
/// grouping, the set it is made of.
#[component]
fn Groupings(summary: AreaSetSummary, groupings: Vec<AreaSetSummary>) -> impl IntoView {
    if let Some(of) = summary.grouping_of.clone() {
        return view! {
            <section class="panel" data-testid="groupings">
                <h2>"Grouping"</h2>
                <p>"Each area here is a group of areas of "<A href=format!("/areas/{of}")>{of.clone()}</A>
                    ": its boundary is theirs joined, its population their sum (an area in two groups counts whole in both)."</p>
            </section>
        }
        .into_any();
    }
    let of = summary.key.clone();
    view! {
        <section class="panel" data-testid="groupings">
            <h2>"Districts and towns"</h2>
            <p class="hint">"Group these areas into coarser ones — council districts, towns — from the lookup table your city keeps (which area is in which district). Their boundaries are drawn from the areas', their population is the areas' summed, and residents' area picker outlines one grouping to tap and zoom into."</p>
            {(!groupings.is_empty()).then(|| view! {
                <ul class="plain">
                    {groupings.into_iter().map(|g| {
                        let of = of.clone();
                        view! {
                            <li>
                                <A href=format!("/areas/{}", g.key)>{g.name.clone()}</A>
                                {format!(" · {}", how_many(g.areas, "area", "areas"))}
                                {if g.on_picker {
                                    view! { <span class="hint">" · outlined on residents' area picker"</span> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action=DrawGroupingOnPicker::url() class="inline-form">
                                            <input type="hidden" name="key" value=g.key.clone() />
                                            <input type="hidden" name="of" value=of />
                                            <button type="submit" class="link-button">"Outline this one on residents' area picker"</button>
                                        </form>
                                    }.into_any()
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <form method="post" action=ImportAreaGrouping::url() enctype="multipart/form-data" class="stack" data-testid="import-grouping">
                <input type="hidden" name="of" value=of.clone() />
                <label for="grouping-key">"Short id (lowercase letters, digits, - or _)"</label>
                <input id="grouping-key" name="key" required placeholder="council-districts" />
                <label for="grouping-name">"Name"</label>
                <input id="grouping-name" name="name" required placeholder="City Council districts" />
                <label for="grouping-file">"CSV file with area and group columns (one row per area; the group is the district's or town's name)"</label>
                <input id="grouping-file" name="file" type="file" required accept=".csv,text/csv" />
                <div class="choice">
                    <input id="grouping-on-picker" type="checkbox" name="on_picker" value="1" />
                    <label for="grouping-on-picker">"Outline it on residents' area picker (the first grouping always is)"</label>
                </div>
                <button type="submit" class="button secondary">"Check and import the grouping"</button>
            </form>
        </section>
    }
    .into_any()
}

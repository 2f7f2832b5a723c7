//! `/areas`: the city's area sets (any staff member), and for administrators the forms that
//! import boundaries and population and apportion population between sets. The import forms are
//! plain multipart posts, the same with and without JavaScript; what they did is shown once here
//! or on the set's page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::app::SignedIn;
use crate::components::form::{ErrorSummary, form_error};
use crate::components::guard::RequireSignedIn;
use crate::domain::Role;
use crate::domain::dashboard::words::count;
use crate::models::AreaSetSummary;
use crate::routes::errors::ErrorPage;
use crate::server_fns::areas::{
    ApportionPopulation, ImportAreas, ImportOutcome, ImportPopulation, area_import_outcome, list_area_sets,
};

/// The area sets page.
#[component]
pub fn AreaSetsPage() -> impl IntoView {
    view! {
        <Title text="Areas" />
        <RequireSignedIn>
            <AreaSets />
        </RequireSignedIn>
    }
}

#[component]
fn AreaSets() -> impl IntoView {
    let apportion = ServerAction::<ApportionPopulation>::new();
    let sets = Resource::new(move || apportion.version().get(), |_| list_area_sets());
    let outcome = Resource::new(|| (), |_| area_import_outcome());
    let error = form_error(move || apportion.value().get());
    let SignedIn(user) = expect_context::<SignedIn>();
    view! {
        <section class="panel">
            <h1>"Areas"</h1>
            <p>"Area sets divide the city into neighborhoods, council districts or census units. Residents pick their area in surveys; results are compared by area and against who lives there."</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    outcome.await.ok().flatten().map(|o| view! { <OutcomePanel outcome=o /> })
                })}
            </Transition>
            <ErrorSummary error />
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sets.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p data-testid="no-area-sets">"No area sets yet."</p> }.into_any(),
                        Ok(list) => view! { <AreaSetTable sets=list /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <Suspense fallback=|| ()>
        {move || Suspend::new(async move {
            let is_admin = matches!(user.await, Ok(Some(u)) if u.role.grants(Role::Admin));
            is_admin.then(|| view! {
            <ImportForms />
            <section class="panel">
                <h2>"Apportion population"</h2>
                <p class="hint">"When population is known for small units (census block groups) but residents answer by larger areas that are not made of them (wards), Canvass estimates each area's population by land share: a block group with 40% of its land in a ward gives the ward 40% of its people. The estimate is labelled wherever it is shown."</p>
                <ActionForm action=apportion attr:class="stack">
                    <label for="apportion-from">"From (the set with population)"</label>
                    <input id="apportion-from" name="from" required placeholder="block-groups" />
                    <label for="apportion-to">"To (the set to estimate)"</label>
                    <input id="apportion-to" name="to" required placeholder="wards" />
                    <button type="submit" class="button secondary">"Apportion"</button>
                </ActionForm>
            </section>
            })
        })}
        </Suspense>
    }
}

/// What the last import did.
#[component]
pub fn OutcomePanel(outcome: ImportOutcome) -> impl IntoView {
    let class = if outcome.succeeded { "notice" } else { "error-summary" };
    let role = if outcome.succeeded { "status" } else { "alert" };
    view! {
        <div class=class role=role data-testid="import-outcome">
            <p>{outcome.headline}</p>
            {(!outcome.details.is_empty()).then(|| view! {
                <ul>{outcome.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

#[component]
fn AreaSetTable(sets: Vec<AreaSetSummary>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Area sets">
            <table data-testid="area-sets">
                <caption class="visually-hidden">"Area sets"</caption>
                <thead>
                    <tr><th scope="col">"Area set"</th><th scope="col" class="number">"Areas"</th><th scope="col" class="number">"Population"</th><th scope="col" class="number">"Without population"</th></tr>
                </thead>
                <tbody>
                    {sets.into_iter().map(|s| view! {
                        <tr>
                            <th scope="row">
                                <A href=format!("/areas/{}", s.key)>{s.name.clone()}</A>
                                {s.is_default.then(|| view! { <span class="badge">"default"</span> })}
                                <span class="hint">{format!(" {}", s.key)}</span>
                            </th>
                            <td class="number">{s.areas}</td>
                            <td class="number">
                                {s.total_population.map_or_else(|| "—".to_owned(), count)}
                                {s.apportioned_from.is_some().then(|| view! { <span class="hint">" (apportioned)"</span> })}
                            </td>
                            <td class="number">{s.areas_without_population}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn ImportForms() -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Import boundaries"</h2>
            <p class="hint">"A GeoJSON FeatureCollection of Polygon or MultiPolygon features in longitude/latitude (WGS84), one per area. The whole file is checked first: invalid shapes, missing or repeated ids refuse it; overlaps and gaps are reported as warnings."</p>
            <form method="post" action=ImportAreas::url() enctype="multipart/form-data" class="stack" data-testid="import-areas">
                <label for="areas-name">"Name"</label>
                <input id="areas-name" name="name" required placeholder="Neighborhoods" />
                <label for="areas-key">"Short id"</label>
                <input id="areas-key" name="key" required pattern="[a-z0-9_\\-]+" placeholder="neighborhoods" aria-describedby="areas-key-hint" />
                <p class="hint" id="areas-key-hint">"Lowercase letters, digits, - or _. Survey files name the set by this id."</p>
                <label for="areas-file">"GeoJSON file"</label>
                <input id="areas-file" name="file" type="file" required accept=".geojson,.json,application/geo+json,application/json" />
                <label for="areas-id-property">"Property with each area's id"</label>
                <input id="areas-id-property" name="id_property" value="id" />
                <label for="areas-name-property">"Property with each area's name (optional)"</label>
                <input id="areas-name-property" name="name_property" placeholder="label" />
                <label for="areas-name-prefix">"Without a name property, name areas as this text plus the id"</label>
                <input id="areas-name-prefix" name="name_prefix" placeholder="Area " />
                <label for="areas-name-es">"Property with Spanish names (optional)"</label>
                <input id="areas-name-es" name="name_es_property" placeholder="label_es" />
                <label for="areas-only-where">"Only features where (optional)"</label>
                <input id="areas-only-where" name="only_where" placeholder="feature_type=ward" />
                <div class="choice">
                    <input id="areas-zip-codes" type="checkbox" name="zip_codes" value="yes" />
                    <label for="areas-zip-codes">"These are ZIP code boundaries (ids are ZIP codes): residents can find their area by ZIP code"</label>
                </div>
                <label for="areas-source">"Source and licence"</label>
                <input id="areas-source" name="source" placeholder="City GIS open data, 2024" />
                <button type="submit" class="button">"Check and import"</button>
            </form>
        </section>
        <section class="panel">
            <h2>"Import population"</h2>
            <p class="hint">"A CSV with one row per area. Canvass's format: area,total,age:under_18,…,moe:total (see docs/AREAS.md). Or a published yearly table (id,y_2010,y_2020): give the year to read and the group its numbers are. Empty cells are unknown, never zero; unknown or repeated ids and negative counts refuse the file."</p>
            <form method="post" action=ImportPopulation::url() enctype="multipart/form-data" class="stack" data-testid="import-population">
                <label for="population-set">"Area set id"</label>
                <input id="population-set" name="set" required placeholder="neighborhoods" />
                <label for="population-file">"CSV file"</label>
                <input id="population-file" name="file" type="file" required accept=".csv,text/csv" />
                <label for="population-year">"Year"</label>
                <input id="population-year" name="year" inputmode="numeric" placeholder="2020" />
                <label for="population-group">"For a yearly table: the group (total, or dimension:group)"</label>
                <input id="population-group" name="group" placeholder="race_ethnicity:hispanic" />
                <label for="population-margins">"For a yearly table: margins of error (optional, same shape)"</label>
                <input id="population-margins" name="margins" type="file" accept=".csv,text/csv" />
                <label for="population-source">"Source"</label>
                <input id="population-source" name="source" placeholder="US Census 2020" />
                <button type="submit" class="button">"Check and import"</button>
            </form>
        </section>
    }
}

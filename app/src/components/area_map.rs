//! Maps of an area set: the static map on staff pages, and the area picker residents use in a
//! survey — a list (works everywhere, without JavaScript too), a map to tap, and "use my
//! location". The map's SVG is written as one string rather than 462 reactive nodes, so a cheap
//! phone hydrates it instantly; one click handler on the map reads which area was tapped.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::geography::AreaMap;
use crate::domain::interface_text::{Phrase, phrase};
use crate::domain::navigation::with_query;
use crate::domain::svg::escape;

/// The map's inner SVG: one link per area when `link` gives addresses, else one titled shape
/// per area. The links are out of the tab order (a city has hundreds of areas): the list beside
/// the map is the way by keyboard, and a screen reader still finds each area by name.
pub fn map_svg_inner(map: &AreaMap, selected: Option<&str>, link: Option<&dyn Fn(&str) -> String>) -> String {
    let mut svg = String::with_capacity(map.areas.iter().map(|a| a.path.len() + a.name.len() + 80).sum());
    for area in &map.areas {
        let (key, name) = (escape(&area.key), escape(&area.name));
        let current = if selected == Some(area.key.as_str()) { " aria-current=\"true\"" } else { "" };
        match link {
            Some(link) => svg.push_str(&format!(
                "<a href=\"{}\" data-area=\"{key}\" aria-label=\"{name}\" tabindex=\"-1\"{current}><path d=\"{}\"/></a>",
                escape(&link(&area.key)),
                area.path
            )),
            None => {
                svg.push_str(&format!("<path data-area=\"{key}\" d=\"{}\"><title>{name}</title></path>", area.path))
            }
        }
    }
    svg
}

/// A grouping's outlines over a map, with their names written on it (`MapOutline`). With a
/// `zoom_link`, each outline is a link that zooms into it (residents' picker: the script zooms
/// in place; without JavaScript the link reloads the map zoomed); without one they are drawn
/// only.
pub fn outlines_svg(map: &AreaMap, zoom_link: Option<&dyn Fn(&str) -> String>) -> String {
    if map.outlines.is_empty() {
        return String::new();
    }
    let mut svg = String::from("<g class=\"outlines\">");
    for outline in &map.outlines {
        let (x, y, w, h) = outline.bounds;
        match zoom_link {
            Some(link) => svg.push_str(&format!(
                "<a href=\"{}\" class=\"outline\" data-zoom=\"{x} {y} {w} {h}\" aria-label=\"{}\" tabindex=\"-1\"><path d=\"{}\"/></a>",
                escape(&link(&outline.key)),
                escape(&outline.name),
                outline.path
            )),
            None => svg.push_str(&format!("<path class=\"outline\" d=\"{}\"/>", outline.path)),
        }
    }
    for outline in &map.outlines {
        svg.push_str(&format!(
            "<text class=\"outline-label\" x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"middle\" aria-hidden=\"true\">{}</text>",
            outline.label.0,
            outline.label.1,
            escape(&outline.name)
        ));
    }
    svg.push_str("</g>");
    svg
}

/// The view box that shows one outline with a margin around it.
pub fn zoomed_view_box(bounds: (f64, f64, f64, f64)) -> String {
    let (x, y, w, h) = bounds;
    let margin = w.max(h) * 0.05;
    format!("{:.1} {:.1} {:.1} {:.1}", x - margin, y - margin, w + 2.0 * margin, h + 2.0 * margin)
}

/// A map of an area set for staff pages.
#[component]
pub fn AreaMapView(map: AreaMap) -> impl IntoView {
    let inner = map_svg_inner(&map, None, None);
    view! {
        <svg class="area-map" viewBox=format!("0 0 1000 {}", map.height) role="img" aria-label=format!("Map of {}", map.set_name) inner_html=inner></svg>
    }
}

/// The controls of an area question: the list, "use my location", and the map. `name` is the
/// form field; `field_id` the list's id (its label points there).
#[component]
pub fn AreaPicker(
    field_id: String,
    name: String,
    map: Option<AreaMap>,
    language: String,
    /// The area chosen before (a saved page), if any.
    #[prop(optional)]
    chosen: Option<String>,
    /// In a resident's survey form: "Show the map" saves the page first (a submit button), so
    /// that without JavaScript nothing typed is lost when the page reloads with the map.
    #[prop(optional)]
    in_resident_form: bool,
) -> impl IntoView {
    let Some(map) = map else {
        return view! {
            <select id=field_id name=name>
                <option value="">{phrase(Phrase::ChooseYourArea, &language)}</option>
            </select>
            <p class="hint">{phrase(Phrase::NoAreasYet, &language)}</p>
        }
        .into_any();
    };
    let query = use_query_map();
    let preselected = query.read_untracked().get(&name).or(chosen).filter(|key| map.area(key).is_some());
    let selected = RwSignal::new(preselected.clone());
    let status = RwSignal::new(String::new());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    // In reading order, for the name search: (key, name, what the search looks in — the name
    // and the other names residents know the area by).
    let names: StoredValue<Vec<(String, String, String)>> = StoredValue::new(
        map.areas_by_name()
            .into_iter()
            .map(|a| (a.key.clone(), a.name.clone(), format!("{} {}", a.name, a.aliases.join(" ")).to_lowercase()))
            .collect(),
    );
    let search = RwSignal::new(String::new());
    let matches = move || {
        let wanted = search.get().trim().to_lowercase();
        if wanted.is_empty() {
            return None;
        }
        Some(names.with_value(|n| {
            n.iter()
                .filter(|(_, _, searched)| searched.contains(&wanted))
                .take(8)
                .map(|(key, name, _)| (key.clone(), name.clone()))
                .collect::<Vec<_>>()
        }))
    };
    let name_of =
        move |key: &str| names.with_value(|n| n.iter().find(|(k, _, _)| k == key).map(|(_, name, _)| name.clone()));
    let map_id = format!("{field_id}-map");
    let link_name = name.clone();
    // The page's own address with this area chosen and without the map: other parameters (page,
    // language) stay. Without JavaScript the tap reloads the page with every question on it.
    let kept: Vec<(String, String)> = query
        .get_untracked()
        .into_iter()
        .filter(|(k, _)| k != &name && k != "map")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    // The grouping area the map is zoomed into without JavaScript (`?map=1&zoom=district_3`).
    let zoom = query.read_untracked().get("zoom").and_then(|z| map.outlines.iter().find(|o| o.key == z).cloned());
    let in_map: Vec<(String, String)> = query
        .get_untracked()
        .into_iter()
        .filter(|(k, _)| k != "zoom" && k != "map")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let zoom_anchor = field_id_anchor(&name);
    // The map again, zoomed into an outline (`Some`) or whole (`None`).
    let map_address = move |outline: Option<&str>| {
        let mut params: Vec<(&str, &str)> = in_map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        params.push(("map", "1"));
        if let Some(outline) = outline {
            params.push(("zoom", outline));
        }
        with_query("", &params) + "#" + &zoom_anchor
    };
    let kept: Vec<(String, String)> = kept.into_iter().filter(|(k, _)| k != "zoom").collect();
    let link = move |area: &str| {
        let mut params: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        params.push((link_name.as_str(), area));
        with_query("", &params) + "#" + &field_id_anchor(&link_name)
    };
    // Residents' pages send the list without the drawn map (it is most of the page's weight);
    // the map comes on request: a link without JavaScript, a fetch with it.
    let drawn = map.areas.iter().any(|a| !a.path.is_empty());
    let full_map = RwSignal::new(drawn.then(|| map.clone()));
    let map_link = {
        let mut params: Vec<(String, String)> = query
            .get_untracked()
            .into_iter()
            .filter(|(k, _)| k != "map")
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        params.push(("map".into(), "1".into()));
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        with_query("", &params) + "#" + &field_id_anchor(&name)
    };
    let map_set = map.set_key.clone();
    let map_language = language.clone();
    let loading_map = RwSignal::new(false);
    let show_map = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let (set, language) = (map_set.clone(), map_language.clone());
        loading_map.set(true);
        leptos::task::spawn_local(async move {
            if let Ok(map) = crate::server_fns::areas::picker_map(Some(set), language).await {
                full_map.set(Some(map));
            }
            loading_map.set(false);
        });
    };
    let preselected_for_map = preselected.clone();

    // Keep the map's highlighted area in step with the list.
    let highlight_id = map_id.clone();
    Effect::new(move |_| {
        let current = selected.get();
        full_map.track();
        let Some(svg) = document().get_element_by_id(&highlight_id) else { return };
        let links = svg.get_elements_by_tag_name("a");
        for i in 0..links.length() {
            let Some(link) = links.item(i) else { continue };
            if link.get_attribute("data-area") == current {
                let _ = link.set_attribute("aria-current", "true");
            } else {
                let _ = link.remove_attribute("aria-current");
            }
        }
    });

    let map_label_language = language.clone();
    let map_question = name.clone();
    let your_area = phrase(Phrase::YourArea, &language);
    let announce = move |key: &str| {
        if let Some(name) = name_of(key) {
            status.set(format!("{your_area} {name}"));
        }
    };
    let on_map_click = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok()) else { return };
        let Ok(Some(link)) = target.closest("a[data-area]") else { return };
        let Some(key) = link.get_attribute("data-area") else { return };
        ev.prevent_default();
        selected.set(Some(key.clone()));
        announce(&key);
    };
    let choose = move |key: String| {
        selected.set(Some(key.clone()));
        announce(&key);
        search.set(String::new());
    };
    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        // Enter picks the first match instead of sending the whole survey.
        if ev.key() == "Enter" {
            ev.prevent_default();
            if let Some(Some((key, _))) = matches().map(|m| m.first().cloned()) {
                choose(key);
            }
        }
    };
    let search_id = format!("{field_id}-search");
    let zip_id = format!("{field_id}-zip");
    let zip_lookup = map.zip_lookup;
    let zip = RwSignal::new(String::new());
    let zip_choices = RwSignal::new(Vec::<crate::domain::geography::ZipArea>::new());
    let (zip_unknown, zip_several) = (phrase(Phrase::ZipUnknown, &language), phrase(Phrase::ZipSeveral, &language));
    let zip_language = language.clone();
    let zip_set = map.set_key.clone();
    let find_by_zip = move || {
        let (set, code, language) = (zip_set.clone(), zip.get_untracked(), zip_language.clone());
        zip_choices.set(Vec::new());
        leptos::task::spawn_local(async move {
            match crate::server_fns::areas::areas_for_zip(Some(set), code, language).await {
                Ok(found) if found.is_empty() => status.set(zip_unknown.to_owned()),
                Ok(found) if found.len() == 1 => choose(found[0].key.clone()),
                Ok(found) => {
                    status.set(zip_several.to_owned());
                    zip_choices.set(found);
                }
                Err(error) => status.set(error.to_string()),
            }
        });
    };
    let find_on_enter = find_by_zip.clone();
    let no_matches = phrase(Phrase::NoAreaMatches, &language);
    let set_key = map.set_key.clone();
    let locating = phrase(Phrase::FindingYourLocation, &language);
    let outside = phrase(Phrase::OutsideTheCity, &language);
    let unavailable = phrase(Phrase::LocationUnavailable, &language);
    let on_locate = move |_| {
        status.set(locating.to_owned());
        let set = set_key.clone();
        let found = move |longitude: f64, latitude: f64| {
            leptos::task::spawn_local(async move {
                match crate::server_fns::areas::locate_area(Some(set), longitude, latitude).await {
                    Ok(Some(area)) => {
                        selected.set(Some(area.key.clone()));
                        announce(&area.key);
                    }
                    Ok(None) => status.set(outside.to_owned()),
                    Err(_) => status.set(unavailable.to_owned()),
                }
            });
        };
        if !current_position(found, move || status.set(unavailable.to_owned())) {
            status.set(unavailable.to_owned());
        }
    };

    // For the residents' page script (`public/resident.js`), which gives these controls their
    // behaviour where the page does not hydrate.
    let script_texts = serde_json::json!({
        "your_area": phrase(Phrase::YourArea, &language),
        "zip_unknown": zip_unknown,
        "zip_several": zip_several,
        "locating": locating,
        "outside": outside,
        "unavailable": unavailable,
        "loading_map": phrase(Phrase::LoadingMap, &language),
        "whole_map": phrase(Phrase::WholeMap, &language),
        "no_matches": no_matches,
        "address_unknown": phrase(Phrase::AddressUnknown, &language),
        "address_several": phrase(Phrase::AddressSeveral, &language),
    })
    .to_string();
    view! {
        <div class="area-picker" data-set=map.set_key.clone() data-language=language.clone() data-texts=script_texts>
        <select
            id=field_id.clone()
            name=name
            prop:value=move || selected.get().unwrap_or_default()
            on:change=move |ev| {
                let key = event_target_value(&ev);
                selected.set(Some(key.clone()).filter(|k| !k.is_empty()));
                announce(&key);
            }
        >
            <option value="">{phrase(Phrase::ChooseYourArea, &language)}</option>
            {map.areas_by_name().into_iter().map(|a| {
                let is_selected = preselected.as_deref() == Some(a.key.as_str());
                let aliases = (!a.aliases.is_empty()).then(|| a.aliases.join("; "));
                view! { <option value=a.key.clone() selected=is_selected data-aliases=aliases>{a.name.clone()}</option> }
            }).collect_view()}
        </select>
        <p class="hint">{phrase(Phrase::AreaListNote, &language)}</p>
        <div class="area-search" data-enhance hidden=move || !hydrated.get()>
            <label for=search_id.clone()>{phrase(Phrase::SearchAreas, &language)}</label>
            <input id=search_id type="search" autocomplete="off" prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev)) on:keydown=on_search_key />
            {move || matches().map(|found| if found.is_empty() {
                view! { <p class="hint" role="status">{no_matches}</p> }.into_any()
            } else {
                view! {
                    <ul class="area-matches" data-testid="area-matches">
                        {found.into_iter().map(|(key, name)| view! {
                            <li><button type="button" class="button secondary" on:click=move |_| choose(key.clone())>{name}</button></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </div>
        // By street address: the residents' script (`public/resident.js`) looks it up; the field
        // has no name, so the address is never sent with the page.
        {map.address_lookup.then(|| view! {
            <div class="area-address" data-enhance hidden>
                <label for=format!("{field_id}-address")>{phrase(Phrase::StreetAddress, &language)}</label>
                <div class="inline-form">
                    <input id=format!("{field_id}-address") type="text" autocomplete="street-address" maxlength="200" />
                    <button type="button" class="button secondary">{phrase(Phrase::FindByZip, &language)}</button>
                </div>
            </div>
        })}
        {zip_lookup.then(|| view! {
            <div class="area-zip" data-enhance hidden=move || !hydrated.get()>
                <label for=zip_id.clone()>{phrase(Phrase::ZipCode, &language)}</label>
                <div class="inline-form">
                    <input id=zip_id inputmode="numeric" autocomplete="postal-code" maxlength="5" size="6"
                        prop:value=move || zip.get() on:input=move |ev| zip.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); find_on_enter() } />
                    <button type="button" class="button secondary" on:click=move |_| find_by_zip()>{phrase(Phrase::FindByZip, &language)}</button>
                </div>
                {move || (!zip_choices.get().is_empty()).then(|| view! {
                    <ul class="area-matches" data-testid="zip-choices">
                        {zip_choices.get().into_iter().map(|area| {
                            let label = format!("{} ({:.0}%)", area.name, area.share_of_zip * 100.0);
                            view! { <li><button type="button" class="button secondary" on:click=move |_| { zip_choices.set(Vec::new()); choose(area.key.clone()) }>{label}</button></li> }
                        }).collect_view()}
                    </ul>
                })}
            </div>
        })}
        <p class="area-tools" data-enhance hidden=move || !hydrated.get()>
            <button type="button" class="button secondary" on:click=on_locate data-testid="use-my-location">
                {phrase(Phrase::UseMyLocation, &language)}
            </button>
        </p>
        <p class="area-status" role="status" aria-live="polite" data-testid="area-status">{move || status.get()}</p>
        {move || match full_map.get() {
            Some(drawn) => {
                let zoom_link = |outline: &str| map_address(Some(outline));
                let mut inner = map_svg_inner(&drawn, preselected_for_map.as_deref(), Some(&link));
                inner.push_str(&outlines_svg(&drawn, in_resident_form.then_some(&zoom_link as &dyn Fn(&str) -> String)));
                let zoomed = zoom.as_ref().filter(|_| in_resident_form);
                let view_box = zoomed.map_or_else(|| format!("0 0 1000 {}", drawn.height), |o| zoomed_view_box(o.bounds));
                let zoom_bar = zoomed.map(|o| view! {
                    <p class="map-zoom" id=format!("{map_id}-zoom")>
                        <strong>{o.name.clone()}</strong>" "
                        <a href=map_address(None)>{phrase(Phrase::WholeMap, &map_label_language)}</a>
                    </p>
                });
                let hint = (!drawn.outlines.is_empty() && in_resident_form && zoomed.is_none())
                    .then(|| view! { <p class="hint map-hint">{phrase(Phrase::ZoomHint, &map_label_language)}</p> });
                view! {
                    {hint}
                    {zoom_bar}
                    <svg
                        id=map_id.clone()
                        class="area-map picker"
                        class:zoomed=zoomed.is_some()
                        class:has-outlines=!drawn.outlines.is_empty()
                        data-whole=format!("0 0 1000 {}", drawn.height)
                        viewBox=view_box
                        role="group"
                        aria-label=phrase(Phrase::MapOfAreas, &map_label_language)
                        on:click=on_map_click
                        inner_html=inner
                    ></svg>
                }
                .into_any()
            }
            None if in_resident_form => view! {
                <p class="show-map">
                    <button type="submit" form="resident-form" name="_map" value=map_question.clone() formnovalidate
                        class="link-button" data-href=map_link.clone() data-testid="show-map">
                        {phrase(Phrase::ShowMap, &map_label_language)}
                    </button>
                </p>
            }
            .into_any(),
            None => {
                let language = map_label_language.clone();
                view! {
                <p class="show-map">
                    <a href=map_link.clone() on:click=show_map.clone() data-testid="show-map">
                        {move || if loading_map.get() { phrase(Phrase::LoadingMap, &language) } else { phrase(Phrase::ShowMap, &language) }}
                    </a>
                </p>
                }
                .into_any()
            }
        }}
        </div>
    }
    .into_any()
}

/// The id of an area question's list, for links back to it.
fn field_id_anchor(name: &str) -> String {
    format!("q-{name}-area")
}

/// Asks the browser for the device's position; `false` when the browser cannot.
fn current_position(found: impl FnOnce(f64, f64) + 'static, failed: impl FnOnce() + 'static) -> bool {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Ok(geolocation) = window().navigator().geolocation() else { return false };
    let on_position = Closure::once_into_js(move |position: wasm_bindgen::JsValue| {
        let number = |object: &wasm_bindgen::JsValue, field: &str| {
            js_sys::Reflect::get(object, &field.into()).ok().and_then(|v| v.as_f64())
        };
        let coords = js_sys::Reflect::get(&position, &"coords".into()).unwrap_or_default();
        if let (Some(longitude), Some(latitude)) = (number(&coords, "longitude"), number(&coords, "latitude")) {
            found(longitude, latitude);
        }
    });
    let on_error = Closure::once_into_js(move |_: wasm_bindgen::JsValue| failed());
    geolocation
        .get_current_position_with_error_callback(on_position.unchecked_ref(), Some(on_error.unchecked_ref()))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::geography::MapArea;

    fn map() -> AreaMap {
        AreaMap {
            set_key: "npa".into(),
            set_name: "Areas".into(),
            height: 500.0,
            zip_lookup: false,
            address_lookup: false,
            outlines: Vec::new(),
            areas: vec![
                MapArea {
                    key: "1".into(),
                    name: "Dilworth & <Myers>".into(),
                    path: "M0 0L1 0L1 1Z".into(),
                    aliases: Vec::new(),
                },
                MapArea {
                    key: "2".into(),
                    name: "Plaza \"Midwood\"".into(),
                    path: "M1 0L2 0L2 1Z".into(),
                    aliases: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn names_are_escaped_in_the_map() {
        let svg = map_svg_inner(&map(), None, None);
        assert!(svg.contains("<title>Dilworth &amp; &lt;Myers&gt;</title>"), "{svg}");
        assert!(!svg.contains("<Myers>"));
    }

    #[test]
    fn picker_maps_link_each_area_out_of_the_tab_order_and_mark_the_selected_one() {
        let link = |key: &str| format!("?where={key}");
        let svg = map_svg_inner(&map(), Some("2"), Some(&link));
        assert!(
            svg.contains(
                "<a href=\"?where=1\" data-area=\"1\" aria-label=\"Dilworth &amp; &lt;Myers&gt;\" tabindex=\"-1\"><path"
            ),
            "{svg}"
        );
        assert!(
            svg.contains("aria-label=\"Plaza &quot;Midwood&quot;\" tabindex=\"-1\" aria-current=\"true\""),
            "{svg}"
        );
    }
}

//! Charts for results, each with its table: bars with 95% interval whiskers (one small SVG per
//! row, so labels stay HTML text that wraps on a 360 px phone and prints sharply), and the
//! choropleth map with its legend. The figures come ready from the analysis; nothing here
//! computes a statistic.

use leptos::prelude::*;

use crate::domain::analytics::intervals::Estimate;
use crate::domain::dashboard::figures::{AreaFigure, Scale};
use crate::domain::dashboard::words::{count, estimate, figure};
use crate::models::results::{AreaChart, ResultsMap};

/// One bar: a label, its figure (if any), what it rests on, and whether it is withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<Estimate>,
    pub base: Option<u64>,
    pub withheld: bool,
}

impl From<&AreaFigure> for Bar {
    fn from(f: &AreaFigure) -> Self {
        Bar { label: f.name.clone(), value: f.value, base: f.base, withheld: f.withheld }
    }
}

/// Where a figure sits on the bar's axis (0–100).
fn position(scale: Scale, top: f64, value: f64) -> f64 {
    let (low, high) = match scale {
        Scale::Share => (0.0, 1.0),
        Scale::Score => (-100.0, 100.0),
        _ => (0.0, top.max(f64::MIN_POSITIVE)),
    };
    ((value - low) / (high - low) * 100.0).clamp(0.0, 100.0)
}

/// The axis's top for open-ended scales: the largest upper bound shown.
fn axis_top(scale: Scale, bars: &[Bar]) -> f64 {
    match scale {
        Scale::Share => 1.0,
        Scale::Score => 100.0,
        _ => bars.iter().filter_map(|b| b.value.map(|v| v.high.max(v.value))).fold(0.0, f64::max),
    }
}

/// Horizontal bars with whiskers, then the same numbers as a table. `name` labels the chart
/// for screen readers and names the table's first column ("Answer", "Area").
#[component]
pub fn BarChart(
    title: String,
    name: &'static str,
    scale: Scale,
    bars: Vec<Bar>,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let top = axis_top(scale, &bars);
    let rows = bars
        .iter()
        .map(|bar| {
            let said = match (bar.withheld, bar.value) {
                (true, _) => "withheld".to_owned(),
                (false, Some(v)) => figure(scale, v.value),
                (false, None) => "—".to_owned(),
            };
            let drawing = bar.value.filter(|_| !bar.withheld).map(|v| {
                let origin = position(scale, top, 0.0);
                let at = position(scale, top, v.value);
                let (x, width) = if at >= origin { (origin, at - origin) } else { (at, origin - at) };
                let (low, high) = (position(scale, top, v.low), position(scale, top, v.high));
                view! {
                    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                        <rect class="bar-fill" x=format!("{x:.2}") y="2" width=format!("{width:.2}") height="6" />
                        {(v.low != v.high).then(|| view! {
                            <line class="whisker" x1=format!("{low:.2}") x2=format!("{high:.2}") y1="5" y2="5" vector-effect="non-scaling-stroke" />
                            <line class="whisker" x1=format!("{low:.2}") x2=format!("{low:.2}") y1="2.5" y2="7.5" vector-effect="non-scaling-stroke" />
                            <line class="whisker" x1=format!("{high:.2}") x2=format!("{high:.2}") y1="2.5" y2="7.5" vector-effect="non-scaling-stroke" />
                        })}
                    </svg>
                }
            });
            view! {
                <li class="bar-row" class:withheld=bar.withheld>
                    <span class="bar-label">{bar.label.clone()}</span>
                    <span class="bar-track">{drawing}</span>
                    <span class="bar-value">{said}</span>
                </li>
            }
        })
        .collect_view();
    let table_rows = bars
        .into_iter()
        .map(|bar| {
            let (value, interval) = match (bar.withheld, bar.value) {
                (true, _) => ("withheld".to_owned(), String::new()),
                (false, Some(v)) if v.low != v.high => {
                    (figure(scale, v.value), format!("{} to {}", figure(scale, v.low), figure(scale, v.high)))
                }
                (false, Some(v)) => (figure(scale, v.value), String::new()),
                (false, None) => ("—".to_owned(), String::new()),
            };
            view! {
                <tr>
                    <th scope="row">{bar.label}</th>
                    <td class="number">{value}</td>
                    <td class="number">{interval}</td>
                    <td class="number" data-count=bar.base.map(|n| n.to_string())>{bar.base.map_or_else(|| "withheld".to_owned(), |n| count(n as f64))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid=test_id>
            <figcaption>{title.clone()}</figcaption>
            // Focusable: a long list scrolls, and keyboard users must be able to scroll it (axe).
            <ul class="bars" aria-label=title.clone() tabindex="0">{rows}</ul>
            <details class="chart-table">
                <summary>"Table of these numbers"</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{title}: table")>
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{name}</th>
                                <th scope="col" class="number">"Figure"</th>
                                <th scope="col" class="number">"95% interval"</th>
                                <th scope="col" class="number">"Answers"</th>
                            </tr>
                        </thead>
                        <tbody>{table_rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// The bars by area for the map's figure.
#[component]
pub fn AreaBars(chart: AreaChart) -> impl IntoView {
    let bars: Vec<Bar> = chart.figures.iter().map(Bar::from).collect();
    view! { <BarChart title=chart.title name="Area" scale=chart.scale bars test_id="area-bars" /> }
}

/// The choropleth map with its legend and a note on grey and hatched areas. The map itself is an
/// SVG file drawn by the server (`domain::dashboard::svg`), fetched from `src`.
#[component]
pub fn ChoroplethMap(map: ResultsMap, src: String) -> impl IntoView {
    let label = format!(
        "Map: {}. {}{} The figures are in the table of areas.",
        map.title,
        map.legend.classes.iter().map(|c| format!("{}: {} areas.", c.label, c.areas)).collect::<Vec<_>>().join(" "),
        if map.too_few_to_tell > 0 {
            format!(" Too few responses to tell: {} areas.", map.too_few_to_tell)
        } else {
            String::new()
        }
    );
    view! {
        <figure class="choropleth" data-testid="choropleth">
            <figcaption>{map.title.clone()}</figcaption>
            <img class="area-map" src=src alt=label width="1000" height=format!("{:.0}", map.height) decoding="async" />
            <ul class="legend" aria-label="Legend">
                {map.legend.classes.iter().map(|c| view! {
                    <li><span class="swatch" style=format!("background:{}", c.color) aria-hidden="true"></span>{c.label.clone()}<span class="hint">{format!(" ({} areas)", c.areas)}</span></li>
                }).collect_view()}
                {(map.no_data > 0).then(|| view! {
                    <li><span class="swatch no-data" aria-hidden="true"></span>{format!("No figure ({} areas): no responses or no population count", map.no_data)}</li>
                })}
                {(map.too_few_to_tell > 0).then(|| view! {
                    <li data-testid="too-few-note"><span class="swatch too-few" aria-hidden="true"></span>{format!("Dotted ({} areas): too few responses to tell — the 95% interval is too wide to give the area a colour", map.too_few_to_tell)}</li>
                })}
                {(map.withheld > 0).then(|| view! {
                    <li data-testid="withheld-note"><span class="swatch withheld" aria-hidden="true"></span>{format!("Hatched ({} areas): withheld because so few people answered there that they could be recognised", map.withheld)}</li>
                })}
            </ul>
        </figure>
    }
}

/// An estimate in words with its interval, or a dash.
pub fn said(scale: Scale, value: Option<Estimate>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| estimate(scale, v))
}

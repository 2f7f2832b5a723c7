//! The parts of a results dashboard below its filters: the city-wide participation figures, the
//! outreach list, each question's answers with how sure we are, cross-tabs, respondents against
//! residents, and waves. Each takes figures ready from the analysis.

use leptos::prelude::*;

use crate::components::charts::{Bar, BarChart, said};
use crate::domain::analytics::participation::{
    AreaParticipation, ComparedWith, DemographicComparison, ParticipationSummary,
};
use crate::domain::analytics::report::WeightingSummary;
use crate::domain::analytics::results::PartResult;
use crate::domain::dashboard::figures::Scale;
use crate::domain::dashboard::words::{count, differences, gap, margin_of_error};
use crate::models::results::WavesView;

/// The city-wide participation figures, and the weighting's effective sample size.
#[component]
pub fn SummaryFigures(
    summary: ParticipationSummary,
    weighting: Option<WeightingSummary>,
    respondents: u64,
) -> impl IntoView {
    let moe = margin_of_error(weighting.as_ref().map_or(respondents as f64, |w| w.effective_n));
    view! {
        <dl class="figures" data-testid="summary-figures">
            <div><dt>"Areas under-represented"</dt><dd data-testid="areas-under">{summary.areas_under}</dd></div>
            <div><dt>"Areas over-represented"</dt><dd>{summary.areas_over}</dd></div>
            <div>
                <dt><abbr title="Areas whose 95% interval reaches past a threshold: not enough responses to say whether they are under- or over-represented">"Too few responses to tell"</abbr></dt>
                <dd data-testid="areas-too-few">{summary.areas_too_few_to_tell}</dd>
            </div>
            <div>
                <dt>"Lowest ÷ highest participation rate"</dt>
                <dd>{summary.lowest_to_highest_rate.map_or_else(|| "—".to_owned(), |r| format!("{r:.2}"))}</dd>
            </div>
            <div>
                <dt><abbr title="The share of responses that would have to move between areas to match where residents live (0 = none, 1 = all)">"Dissimilarity index"</abbr></dt>
                <dd>
                    {format!("{:.2}", summary.dissimilarity_index)}
                    <span class="hint" data-testid="dissimilarity-expected">{format!(" (chance alone: {:.2})", summary.dissimilarity_expected)}</span>
                </dd>
            </div>
            {summary.responses_without_area.gt(&0).then(|| view! {
                <div><dt>"Responses without an area"</dt><dd>{summary.responses_without_area}</dd></div>
            })}
            {summary.responses_without_population.gt(&0).then(|| view! {
                <div>
                    <dt><abbr title=format!("Areas without a population figure, left out of every share: {}", summary.areas_without_population.join(", "))>"Responses in areas without population"</abbr></dt>
                    <dd>{summary.responses_without_population}</dd>
                </div>
            })}
            <div>
                <dt>"Compared with"</dt>
                <dd data-testid="compared-with">{match summary.compared_with {
                    ComparedWith::Adults => "Adult residents (18 and over)",
                    ComparedWith::AllResidents => "All residents, children included (the population table has no under-18s)",
                }}</dd>
            </div>
            {match &weighting {
                Some(w) => view! {
                    <div data-testid="effective-n">
                        <dt>"Effective sample size"</dt>
                        <dd>{format!("{:.0}", w.effective_n)}<span class="hint">{format!(" (design effect {:.2})", w.design_effect)}</span></dd>
                    </div>
                }.into_any(),
                None => view! {
                    <div><dt>"Weighting"</dt><dd>"None"</dd></div>
                }.into_any(),
            }}
            {moe.map(|m| view! { <div><dt>"Margin of error (a share near 50%)"</dt><dd>{m}</dd></div> })}
        </dl>
        {weighting.filter(|w| !w.converged).map(|w| view! {
            <p class="warning" data-testid="weighting-not-converged">
                {weighting_not_converged(&w)}
            </p>
        })}
    }
}

/// The areas furthest below their share of the city's residents.
#[component]
pub fn Outreach(areas: Vec<AreaParticipation>) -> impl IntoView {
    if areas.is_empty() {
        return view! { <p>"Every area has at least its share of responses."</p> }.into_any();
    }
    view! {
        <p class="hint">"Where to canvass next: the areas that need the most responses to reach their share of the city's residents."</p>
        <ol class="outreach" data-testid="outreach">
            {areas.into_iter().map(|a| view! {
                <li>
                    <strong>{a.name.clone()}</strong>
                    {format!(": {} more needed ({} so far", a.responses_needed.unwrap_or(0), a.responses)}
                    {a.representation_ratio.map(|r| format!(", {:.2}× its share", r.value))}
                    ")"
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// One question part: its answers city-wide with intervals, and how areas differ.
#[component]
pub fn PartView(part: PartResult, between: &'static str) -> impl IntoView {
    let scale = Scale::of_headline(part.headline);
    let city = part.citywide.clone();
    let bars: Vec<Bar> = city
        .options
        .iter()
        .map(|o| Bar { label: o.label.clone(), value: o.share, base: Some(o.count), withheld: false })
        .collect();
    let headline = city.headline.map(|h| said(scale, Some(h)));
    view! {
        <article class="part" data-testid="part" data-part=part.key.clone()>
            <h3>{part.text.clone()}</h3>
            <p class="hint">
                {format!("{} answered", count(city.answered as f64))}
                {(city.dont_know > 0).then(|| format!(" · {} said they don't know (left out of the percentages)", city.dont_know))}
                {(city.weighted_base > 0.0 && (city.effective_base - city.base as f64).abs() > 0.5).then(|| format!(" · effective n {:.0}", city.effective_base))}
            </p>
            {headline.map(|h| view! { <p class="headline" data-testid="headline">{h}</p> })}
            {part.unavailable.clone().map(|why| view! { <p class="finding" data-testid="unavailable">{why}</p> })}
            {(!bars.is_empty()).then(|| view! { <BarChart title=format!("{} — city-wide, with 95% intervals", part.text) name="Answer" scale=Scale::Share bars /> })}
            {city.mean.filter(|_| part.headline != crate::domain::analytics::results::Headline::Mean).map(|m| view! { <p>{format!("Mean {}", said(Scale::Mean, Some(m)))}</p> })}
            {part.differences.map(|t| view! { <p class="finding" data-testid="differences">{differences(&t, between)}</p> })}
            {part.largest_gap.as_ref().map(|g| view! { <p class="finding">{gap(g, scale)}</p> })}
        </article>
    }
}

/// A cross-tab: each group's answers with intervals.
#[component]
pub fn CrossTab(part: PartResult) -> impl IntoView {
    let scale = Scale::of_headline(part.headline);
    let options: Vec<(String, String)> =
        part.citywide.options.iter().map(|o| (o.key.clone(), o.label.clone())).collect();
    view! {
        <article class="part">
            <h3>{part.text.clone()}</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("{}: by group", part.text)>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Group"</th>
                            <th scope="col" class="number">"Answered"</th>
                            <th scope="col" class="number">"Headline"</th>
                            {options.iter().map(|(_, l)| view! { <th scope="col" class="number">{l.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {part.groups.iter().map(|g| view! {
                            <tr>
                                <th scope="row">{g.label.clone()}</th>
                                <td class="number">{g.answered}</td>
                                <td class="number">{said(scale, g.headline)}</td>
                                {options.iter().map(|(k, _)| view! {
                                    <td class="number">{said(Scale::Share, g.options.iter().find(|o| &o.key == k).and_then(|o| o.share))}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {part.differences.map(|t| view! { <p class="finding">{differences(&t, "these groups")}</p> })}
            {part.largest_gap.as_ref().map(|g| view! { <p class="finding">{gap(g, scale)}</p> })}
        </article>
    }
}

/// Respondents against residents, demographic by demographic.
#[component]
pub fn Demographics(comparisons: Vec<DemographicComparison>) -> impl IntoView {
    if comparisons.is_empty() {
        return view! { <p>"The survey asks no demographic question the area set has population figures for."</p> }
            .into_any();
    }
    comparisons
        .into_iter()
        .map(|c| {
            let title = format!("{}: respondents compared with residents", c.dimension.replace('_', " "));
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=title.clone()>
                    <table data-testid="demographic-table">
                        <caption>{title.clone()}{(c.unknown > 0).then(|| format!(" ({} did not say)", c.unknown))}</caption>
                        <thead><tr><th scope="col">"Group"</th><th scope="col" class="number">"Respondents"</th><th scope="col" class="number">"Residents"</th><th scope="col">"Compared"</th></tr></thead>
                        <tbody>
                            {c.groups.iter().map(|g| {
                                let (r, p) = (g.respondent_share, g.population_share);
                                view! {
                                    <tr>
                                        <th scope="row">{g.group.clone()}</th>
                                        <td class="number">{format!("{:.1}%", r * 100.0)}</td>
                                        <td class="number">{format!("{:.1}%", p * 100.0)}</td>
                                        <td class="pair">
                                            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                                                <rect class="bar-fill" x="0" y="1" width=format!("{:.2}", r * 100.0) height="4" />
                                                <rect class="bar-population" x="0" y="5.5" width=format!("{:.2}", p * 100.0) height="3.5" />
                                            </svg>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// The question across the survey's waves.
#[component]
pub fn Waves(waves: WavesView) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="waves-heading" data-testid="waves">
            <h2 id="waves-heading">"Compared with earlier waves"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Waves">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Question"</th>
                            {waves.waves.iter().map(|(_, t)| view! { <th scope="col" class="number">{t.clone()}</th> }).collect_view()}
                            <th scope="col" class="number">"Change"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {waves.questions.iter().map(|q| {
                            let scale = Scale::of_headline(q.headline);
                            let change = q.change.map_or_else(|| "—".to_owned(), |c| {
                                let pts = |v: f64| if scale == Scale::Share { format!("{:+.1} points", v * 100.0) } else { format!("{v:+.2}") };
                                format!("{} ({} to {}){}", pts(c.value), pts(c.low), pts(c.high), if q.clear_change { ", a clear change" } else { ", could be chance" })
                            });
                            view! {
                                <tr>
                                    <th scope="row">{q.text.clone()}</th>
                                    {q.waves.iter().map(|w| view! { <td class="number">{said(scale, w.value)}</td> }).collect_view()}
                                    <td class="number">{change}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Why the weights did not settle, for the warning under the summary figures.
fn weighting_not_converged(w: &WeightingSummary) -> String {
    let gap = w.margins.iter().map(|m| m.largest_error).fold(0.0, f64::max) * 100.0;
    match w.options.cap {
        Some(cap) => format!(
            "The weights could not match every population margin within the cap of {cap}× the mean weight (largest remaining gap {gap:.1} points). Figures are weighted as far as the cap allows."
        ),
        None => format!(
            "The weights did not match every population margin within {} rounds (largest remaining gap {gap:.1} points).",
            w.iterations
        ),
    }
}

//! A survey as residents see it: every question kind as plain HTML form controls (usable
//! without JavaScript), grouped with fieldsets and legends for screen readers. With JavaScript,
//! display rules are applied live as the person answers, by the same evaluator the server uses.

use leptos::prelude::*;

use crate::components::area_map::AreaPicker;
use crate::domain::geography::{AreaMap, SurveyAreaMaps};
use crate::domain::interface_text::{Phrase, phrase};
use crate::domain::survey::answers::{DONT_KNOW, OTHER};
use crate::domain::survey::demographics::DemographicItem;
use crate::domain::survey::form_fields::{raw_answers, sub_field, visible_questions};
use crate::domain::survey::model::{ChoiceDisplay, Text, localized};
use crate::domain::survey::{Choice, Question, QuestionKind, SurveyDefinition};

/// The whole survey on one scrolling page (the preview; residents' pages show one page at a time).
#[component]
pub fn SurveyForm(
    definition: SurveyDefinition,
    language: String,
    /// The maps for the area questions.
    #[prop(optional)]
    areas: SurveyAreaMaps,
) -> impl IntoView {
    let default = definition.default_language().to_owned();
    let t = {
        let (language, default) = (language.clone(), default.clone());
        move |text: &Text| localized(text, &language, &default).to_owned()
    };
    // `None` until the browser takes over: without JavaScript every question stays visible.
    let shown = RwSignal::new(None::<Vec<String>>);
    let form = NodeRef::<leptos::html::Form>::new();
    let survey = definition.clone();
    let update = move || {
        if let Some(form) = form.get() {
            let raw = raw_answers(&survey, &form_pairs(&form));
            shown.set(Some(visible_questions(&survey, &raw)));
        }
    };
    let first_update = update.clone();
    Effect::new(move |_| first_update());
    let on_change = update.clone();
    view! {
        <form class="survey-form" node_ref=form on:input=move |_| update() on:change=move |_| on_change() data-testid="survey-form">
            <h1 class="survey-title">{t(&definition.title)}</h1>
            {definition.description.as_ref().map(|d| view! { <p>{t(d)}</p> })}
            {definition.consent.as_ref().map(|c| view! { <p class="consent">{t(c)}</p> })}
            {definition.pages.iter().map(|page| view! {
                <section class="survey-page">
                    {page.title.as_ref().map(|title| view! { <h2>{t(title)}</h2> })}
                    {page.questions.iter().map(|q| {
                        let key = q.key.clone();
                        let map = map_for(&areas, q);
                        let hidden = move || shown.get().is_some_and(|keys| !keys.contains(&key));
                        view! {
                            <div class="survey-question" hidden=hidden data-question=q.key.clone()>
                                <QuestionInput question=q.clone() t=t.clone() language=language.clone() map />
                            </div>
                        }
                    }).collect_view()}
                </section>
            }).collect_view()}
        </form>
    }
}

/// The map an area question needs, if it is one and its set has a map.
pub(crate) fn map_for(areas: &SurveyAreaMaps, question: &Question) -> Option<AreaMap> {
    match &question.kind {
        QuestionKind::Area { area_set } => areas.iter().find(|(set, _)| set == area_set).map(|(_, map)| map.clone()),
        _ => None,
    }
}

/// The `(name, value)` pairs the form would post right now.
pub(crate) fn form_pairs(form: &leptos::web_sys::HtmlFormElement) -> Vec<(String, String)> {
    let Ok(data) = leptos::web_sys::FormData::new_with_form(form) else { return Vec::new() };
    let Ok(Some(entries)) = js_sys::try_iter(&data) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pair = js_sys::Array::from(&entry);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// What a resident typed before, to show again in the form (`(name, value)` pairs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prefill(pub Vec<(String, String)>);

impl Prefill {
    fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && v == value)
    }

    fn first(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

/// The form controls of one question, filled in with `values`.
#[component]
pub(crate) fn QuestionInput<T>(
    question: Question,
    t: T,
    language: String,
    map: Option<AreaMap>,
    #[prop(optional)] values: Prefill,
    /// In a resident's survey form (not the designer's preview).
    #[prop(optional)]
    in_resident_form: bool,
) -> impl IntoView
where
    T: Fn(&Text) -> String + Clone + Send + Sync + 'static,
{
    let key = question.key.clone();
    let label = t(&question.text);
    let help = question.help.as_ref().map(&t);
    let required = question
        .required
        .then(|| view! { <span class="required">{phrase(Phrase::Required, &language)}</span> }.into_any());
    let id = |part: &str| format!("q-{key}-{part}");
    let help_view = help.map(|h| view! { <p class="hint">{h}</p> }.into_any());
    let v = &values;
    match &question.kind {
        QuestionKind::SingleChoice { options, display: ChoiceDisplay::Dropdown, other, .. } => view! {
            <label for=id("select")>{label}{required}</label>
            {help_view}
            <select id=id("select") name=key.clone()>
                <option value="">"—"</option>
                {options.iter().map(|o| view! { <option value=o.key.clone() selected=v.has(&key, &o.key)>{t(&o.label)}</option> }).collect_view()}
                {other.as_ref().map(|o| view! { <option value=OTHER selected=v.has(&key, OTHER)>{t(o)}</option> })}
            </select>
            {other.as_ref().map(|_| other_text(&key, &language, v))}
        }
        .into_any(),
        QuestionKind::SingleChoice { options, other, .. } => {
            choice_group(&key, label, required, help_view, options, other.as_ref(), "radio", &t, &language, v)
        }
        QuestionKind::MultipleChoice { options, other, .. } => {
            choice_group(&key, label, required, help_view, options, other.as_ref(), "checkbox", &t, &language, v)
        }
        QuestionKind::Rating { min, max, min_label, max_label, dont_know } => {
            let points: Vec<Choice> = (*min..=*max)
                .map(|n| Choice { key: n.to_string(), label: Text::from([(String::new(), n.to_string())]) })
                .chain(
                    dont_know
                        .iter()
                        .map(|d| Choice { key: DONT_KNOW.into(), label: Text::from([(String::new(), t(d))]) }),
                )
                .collect();
            let ends = scale_ends((*min, min_label.as_ref().map(&t)), (*max, max_label.as_ref().map(&t)));
            scale_group(&key, label, required, help_view, &points, ends, v).into_any()
        }
        QuestionKind::Nps { min_label, max_label } => {
            let points: Vec<Choice> =
                (0..=10).map(|n| Choice { key: n.to_string(), label: Text::from([(String::new(), n.to_string())]) }).collect();
            let ends = scale_ends((0, min_label.as_ref().map(&t)), (10, max_label.as_ref().map(&t)));
            scale_group(&key, label, required, help_view, &points, ends, v).into_any()
        }
        QuestionKind::Grid { statements, scale, dont_know, .. } => {
            // Each statement is one compact row of numbered points (a phone has no room for the
            // scale's words beside every statement); what the numbers mean is said once, above,
            // and each point's label still reads in full ("1 – Very dissatisfied").
            let mut points: Vec<(String, String, String)> =
                scale.iter().enumerate().map(|(i, p)| (p.key.clone(), (i + 1).to_string(), t(&p.label))).collect();
            points.extend(dont_know.iter().map(|d| (DONT_KNOW.to_owned(), "?".to_owned(), t(d))));
            let legend = points.iter().map(|(_, short, full)| format!("{short} = {full}")).collect::<Vec<_>>().join(" · ");
            let legend_id = id("points");
            let described_by = legend_id.clone();
            view! {
                <fieldset class="grid-question" aria-describedby=described_by>
                    <legend>{label}{required}</legend>
                    {help_view}
                    <p class="hint scale-ends" id=legend_id>{legend}</p>
                    {statements.iter().map(|s| {
                        let name = sub_field(&key, &s.key);
                        view! {
                            <fieldset class="grid-statement">
                                <legend>{t(&s.label)}</legend>
                                <div class="scale-points">{numbered_points(&name, &points, v)}</div>
                            </fieldset>
                        }
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
        QuestionKind::Number { min, max, integer } => view! {
            <label for=id("number")>{label}{required}</label>
            {help_view}
            <input id=id("number") name=key.clone() type="number" inputmode=if *integer { "numeric" } else { "decimal" }
                step=if *integer { "1" } else { "any" } min=min.map(|m| m.to_string()) max=max.map(|m| m.to_string()) value=v.first(&key) />
        }
        .into_any(),
        QuestionKind::Date { min, max } => view! {
            <label for=id("date")>{label}{required}</label>
            {help_view}
            <input id=id("date") name=key.clone() type="date" min=min.clone() max=max.clone() value=v.first(&key) />
        }
        .into_any(),
        QuestionKind::ShortText { max_length } => view! {
            <label for=id("text")>{label}{required}</label>
            {help_view}
            <input id=id("text") name=key.clone() type="text" maxlength=max_length.to_string() value=v.first(&key) />
        }
        .into_any(),
        QuestionKind::LongText { max_length } => view! {
            <label for=id("text")>{label}{required}</label>
            {help_view}
            <textarea id=id("text") name=key.clone() rows="4" maxlength=max_length.to_string()>{v.first(&key)}</textarea>
        }
        .into_any(),
        QuestionKind::Ranking { options, .. } => {
            let count = options.len();
            view! {
                <fieldset>
                    <legend>{label}{required}</legend>
                    <p class="hint">{format!("{} {count}.", phrase(Phrase::RankingHint, &language))}</p>
                    {help_view}
                    {options.iter().map(|o| {
                        let field = format!("q-{key}-{}", o.key);
                        let name = sub_field(&key, &o.key);
                        view! {
                            <div class="rank-row">
                                <select id=field.clone() name=name.clone()>
                                    <option value="">"—"</option>
                                    {(1..=count).map(|n| view! { <option value=n.to_string() selected=v.has(&name, &n.to_string())>{n.to_string()}</option> }).collect_view()}
                                </select>
                                <label for=field>{t(&o.label)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }
            .into_any()
        }
        QuestionKind::Area { .. } => view! {
            <label for=id("area")>{label}{required}</label>
            {help_view}
            <AreaPicker field_id=id("area") name=key.clone() map language=language.clone() chosen=v.first(&key).unwrap_or_default() in_resident_form />
        }
        .into_any(),
        QuestionKind::Demographics { items } => view! {
            <fieldset>
                <legend>{label}{required}</legend>
                {help_view}
                {items.iter().map(|item| demographic(&key, *item, &language, v)).collect_view()}
            </fieldset>
        }
        .into_any(),
    }
}

fn other_text(key: &str, language: &str, values: &Prefill) -> AnyView {
    let id = format!("q-{key}-other-text");
    let name = sub_field(key, "other");
    view! {
        <label for=id.clone() class="other-label">{phrase(Phrase::PleaseSpecify, language)}</label>
        <input id=id value=values.first(&name) name=name type="text" maxlength="200" />
    }
    .into_any()
}

#[expect(clippy::too_many_arguments, reason = "the parts of one fieldset")]
fn choice_group<T: Fn(&Text) -> String>(
    key: &str,
    label: String,
    required: Option<AnyView>,
    help: Option<AnyView>,
    options: &[Choice],
    other: Option<&Text>,
    input_type: &'static str,
    t: &T,
    language: &str,
    values: &Prefill,
) -> AnyView {
    let mut all: Vec<Choice> = options
        .iter()
        .map(|o| Choice { key: o.key.clone(), label: Text::from([(String::new(), t(&o.label))]) })
        .collect();
    all.extend(other.map(|o| Choice { key: OTHER.into(), label: Text::from([(String::new(), t(o))]) }));
    view! {
        <fieldset>
            <legend>{label}{required}</legend>
            {help}
            {inputs(key, &all, input_type, values)}
            {other.map(|_| other_text(key, language, values))}
        </fieldset>
    }
    .into_any()
}

/// What the ends of a scale mean ("1 = Very poor · 5 = Very good"), shown under its question
/// and read with it: the points themselves show only their numbers, so that they fit a phone's
/// width in one compact row.
fn scale_ends(low: (i32, Option<String>), high: (i32, Option<String>)) -> Option<String> {
    let end = |(n, label): (i32, Option<String>)| label.map(|l| format!("{n} = {l}"));
    let ends: Vec<String> = [end(low), end(high)].into_iter().flatten().collect();
    (!ends.is_empty()).then(|| ends.join(" · "))
}

fn scale_group(
    key: &str,
    label: String,
    required: Option<AnyView>,
    help: Option<AnyView>,
    points: &[Choice],
    ends: Option<String>,
    values: &Prefill,
) -> AnyView {
    let ends_id = format!("q-{key}-ends");
    let described_by = ends.as_ref().map(|_| ends_id.clone());
    view! {
        <fieldset class="scale" aria-describedby=described_by>
            <legend>{label}{required}</legend>
            {help}
            {ends.map(|ends| view! { <p class="hint scale-ends" id=ends_id>{ends}</p> })}
            <div class="scale-points">{radios(key, points, values)}</div>
        </fieldset>
    }
    .into_any()
}

fn radios(name: &str, choices: &[Choice], values: &Prefill) -> AnyView {
    inputs(name, choices, "radio", values)
}

/// One input per choice; the labels are already in the reader's language (stored under "").
fn inputs(name: &str, choices: &[Choice], input_type: &'static str, values: &Prefill) -> AnyView {
    choices
        .iter()
        .map(|c| {
            let id = format!("q-{}-{}", name.replace('.', "-"), c.key);
            let text = c.label.values().next().cloned().unwrap_or_default();
            view! {
                <div class="choice">
                    <input id=id.clone() type=input_type name=name.to_owned() value=c.key.clone() checked=values.has(name, &c.key) />
                    <label for=id>{text}</label>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// Radio buttons shown as short marks (`1`, `2`, `?`) whose labels still read in full:
/// `(key, mark, full label)`.
fn numbered_points(name: &str, points: &[(String, String, String)], values: &Prefill) -> AnyView {
    points
        .iter()
        .map(|(key, mark, full)| {
            let id = format!("q-{}-{key}", name.replace('.', "-"));
            view! {
                <div class="choice">
                    <input id=id.clone() type="radio" name=name.to_owned() value=key.clone() checked=values.has(name, key) />
                    <label for=id>{mark.clone()}<span class="visually-hidden">{format!(" – {full}")}</span></label>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

/// One standard demographic item, in Spanish for Spanish readers and English otherwise.
fn demographic(key: &str, item: DemographicItem, language: &str, values: &Prefill) -> AnyView {
    let spanish = language == "es" || language.starts_with("es-");
    let (en, es) = item.question();
    let question = if spanish { es } else { en };
    let choices: Vec<Choice> = item
        .options()
        .iter()
        .map(|(k, en, es)| Choice {
            key: (*k).into(),
            label: Text::from([(String::new(), (*if spanish { es } else { en }).to_owned())]),
        })
        .collect();
    let name = sub_field(key, item.key());
    view! {
        <fieldset class="demographic">
            <legend>{question}</legend>
            {inputs(&name, &choices, if item.multiple() { "checkbox" } else { "radio" }, values)}
        </fieldset>
    }
    .into_any()
}

//! The list of problems of a refused survey change, each with where it is.

use leptos::prelude::*;

use crate::domain::survey::check::Problem;

/// Shows problems as an alert list; nothing when there are none.
#[component]
pub fn ProblemList(#[prop(into)] problems: Signal<Vec<Problem>>) -> impl IntoView {
    // With JavaScript the page does not reload after a refused change, and the button pressed
    // may be far below: bring the message into view.
    let list = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !problems.get().is_empty()
            && let Some(element) = list.get()
        {
            element.scroll_into_view();
        }
    });
    move || {
        let problems = problems.get();
        (!problems.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" data-testid="problems" node_ref=list>
                    <p>
                        {if problems.len() == 1 {
                            "That change was not saved:".to_owned()
                        } else {
                            format!("That change was not saved. {} things need fixing:", problems.len())
                        }}
                    </p>
                    <ul>
                        {problems
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li>
                                        {(!p.path.is_empty()).then(|| view! { <code>{p.path.clone()}</code> " " })}
                                        {p.reason.clone()}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

//! `/login`: staff sign in. Works without JavaScript (a plain form post with redirects).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::app::SessionActions;
use crate::components::form::{ErrorSummary, form_error, invalid, kept_value};
use crate::components::layout::HydrationMark;

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let SessionActions { login, .. } = expect_context::<SessionActions>();
    let error = form_error(move || login.value().get());
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    // "Signed out" stays until the next sign-in attempt on this page.
    let attempts_before = login.version().get_untracked();
    let signed_out = move || query.read().get("signed_out").is_some() && login.version().get() == attempts_before;
    let email = kept_value("email");
    view! {
        <Title text="Staff sign in" />
        <HydrationMark />
        <section class="panel narrow">
            <h1>"Staff sign in"</h1>
            <Show when=signed_out>
                <p class="notice" role="status">"You have signed out."</p>
            </Show>
            <ErrorSummary error />
            <ActionForm action=login attr:class="stack" attr:data-testid="login-form">
                <input type="hidden" name="next" value=next />
                <label for="email">"E-mail"</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    value=email aria-invalid=invalid(error, "email") />
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" } />
                <button type="submit" class="button">"Sign in"</button>
            </ActionForm>
            <p class="hint">"Residents never need an account. Staff accounts are created by a Canvass administrator."</p>
        </section>
    }
}

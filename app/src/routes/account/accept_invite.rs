//! `/invite/:code`: an invited staff member chooses a password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::app::SessionActions;
use crate::components::form::{ErrorSummary, FieldError, form_error, invalid};
use crate::domain::password::MIN_CHARS;
use crate::routes::errors::ErrorPage;
use crate::server_fns::auth::invite_details;

/// The invite page.
#[component]
pub fn AcceptInvitePage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let details = Resource::new(code, invite_details);
    let accept = expect_context::<SessionActions>().accept_invite;
    let error = form_error(move || accept.value().get());
    view! {
        <Title text="Choose your password" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(email) => view! {
                        <section class="panel narrow">
                            <h1>"Welcome to Canvass"</h1>
                            <p>"Choose a password for " <strong>{email.clone()}</strong> "."</p>
                            <ErrorSummary error />
                            <ActionForm action=accept attr:class="stack">
                                <input type="hidden" name="code" value=code />
                                <input type="hidden" name="email" autocomplete="username" value=email />
                                <label for="password">"New password"</label>
                                <p class="hint" id="password-hint">{format!("At least {MIN_CHARS} characters. A short sentence is easy to remember.")}</p>
                                <input id="password" name="password" type="password" autocomplete="new-password" required
                                    minlength=MIN_CHARS.to_string() aria-describedby="password-hint"
                                    aria-invalid=invalid(error, "password") />
                                <FieldError error field="password" />
                                <label for="password_confirmation">"Type it again"</label>
                                <input id="password_confirmation" name="password_confirmation" type="password"
                                    autocomplete="new-password" required aria-invalid=invalid(error, "password_confirmation") />
                                <FieldError error field="password_confirmation" />
                                <button type="submit" class="button">"Save password and sign in"</button>
                            </ActionForm>
                        </section>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}

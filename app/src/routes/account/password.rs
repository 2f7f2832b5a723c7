//! `/account`: a signed-in staff member's own account: change the password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::app::SignedIn;
use crate::components::form::{ErrorSummary, FieldError, form_error, invalid};
use crate::components::guard::RequireSignedIn;
use crate::domain::password::MIN_CHARS;
use crate::server_fns::auth::ChangePassword;

/// The account page (any signed-in staff member).
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Your account" />
        <RequireSignedIn>
            <Account />
        </RequireSignedIn>
    }
}

#[component]
fn Account() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = form_error(move || change.value().get());
    let query = use_query_map();
    let changed = move || {
        matches!(change.value().get(), Some(Ok(())))
            || (change.value().get().is_none() && query.read().get("changed").is_some())
    };
    let SignedIn(user) = expect_context::<SignedIn>();
    view! {
        <section class="panel narrow">
            <h1>"Your account"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.ok().flatten().map(|u| view! { <p>"Signed in as " <strong>{u.email}</strong> " (" {u.role.as_str()} ")."</p> })
                })}
            </Suspense>
            <h2>"Change your password"</h2>
            <Show when=changed>
                <p class="notice" role="status" data-testid="password-changed">"Your password has been changed."</p>
            </Show>
            <ErrorSummary error />
            <ActionForm action=change attr:class="stack">
                <label for="current_password">"Current password"</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required
                    aria-invalid=invalid(error, "current_password") />
                <FieldError error field="current_password" />
                <label for="password">"New password"</label>
                <p class="hint" id="new-password-hint">{format!("At least {MIN_CHARS} characters.")}</p>
                <input id="password" name="password" type="password" autocomplete="new-password" required
                    minlength=MIN_CHARS.to_string() aria-describedby="new-password-hint" aria-invalid=invalid(error, "password") />
                <FieldError error field="password" />
                <label for="password_confirmation">"Type the new password again"</label>
                <input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" required
                    aria-invalid=invalid(error, "password_confirmation") />
                <FieldError error field="password_confirmation" />
                <button type="submit" class="button">"Change password"</button>
            </ActionForm>
        </section>
    }
}

//! Pages for a role: render the page for those allowed, a 403 page for other staff, and send
//! visitors to sign in. The server functions behind each page check the role again: this guard
//! is for people, the server's check is for safety.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::app::SignedIn;
use crate::domain::Role;
use crate::domain::navigation::with_query;
use crate::routes::errors::{ErrorPage, ForbiddenPage};

/// Shows `children` to any signed-in staff member, whatever the role.
#[component]
pub fn RequireSignedIn(children: ChildrenFn) -> impl IntoView {
    view! { <RequireRole role=Role::Analyst any_role=true children /> }
}

/// Shows `children` only to staff whose role grants `role` (or to all staff with `any_role`).
#[component]
pub fn RequireRole(role: Role, #[prop(optional)] any_role: bool, children: ChildrenFn) -> impl IntoView {
    let SignedIn(user) = expect_context::<SignedIn>();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) if any_role || user.role.grants(role) => children().into_any(),
                        Ok(Some(_)) => view! { <ForbiddenPage /> }.into_any(),
                        Ok(None) => view! { <Redirect path=with_query("/login", &[("next", &here)]) /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

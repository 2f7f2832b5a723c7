//! The frame around every page: header with navigation by role, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::{SessionActions, SignedIn};
use crate::domain::Role;
use crate::models::CurrentUser;

/// Header, main content and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span aria-hidden="true" class="brand-mark">"◆"</span>
                " Canvass"
            </A>
            <Transition fallback=|| ()>
                {move || {
                    let SignedIn(user) = expect_context::<SignedIn>();
                    Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! { <StaffNav user /> }.into_any(),
                            _ => view! {
                                <nav aria-label="Main">
                                    <A href="/login">"Staff sign in"</A>
                                </nav>
                            }
                                .into_any(),
                        }
                    })
                }}
            </Transition>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>"Canvass — open-source resident engagement for cities."</p>
        </footer>
    }
}

/// Navigation for a signed-in staff member: only the places their role can use.
#[component]
fn StaffNav(user: CurrentUser) -> impl IntoView {
    let SessionActions { logout, .. } = expect_context::<SessionActions>();
    view! {
        <nav aria-label="Main">
            <A href="/">"Home"</A>
            {user.role.grants(Role::Designer).then(|| view! { <A href="/surveys">"Surveys"</A> })}
            <A href="/areas">"Areas"</A>
            {user.role.grants(Role::Admin).then(|| view! { <A href="/admin/users">"Staff accounts"</A> <A href="/admin/audit">"Audit log"</A> })}
            <A href="/account" attr:class="who" attr:data-testid="signed-in-as">
                {user.email.clone()}
                " · "
                {user.role.as_str()}
            </A>
            <ActionForm action=logout attr:class="inline-form">
                <button type="submit" class="link-button">"Sign out"</button>
            </ActionForm>
        </nav>
    }
}

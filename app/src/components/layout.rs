//! The frame around every page: header with navigation by role, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::{SessionActions, SignedIn};
use crate::domain::Role;
use crate::models::CurrentUser;

/// Header, main content and footer. Residents' pages (`/s/...`) get a quiet frame without
/// staff navigation; inside a city website's frame (`embed=1`), no frame at all.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let resident = location.pathname.get_untracked().starts_with("/s/");
    if resident {
        let embedded = location.search.get_untracked().contains("embed=1");
        return view! {
            <a class="skip-link" href="#main">"Skip to content"</a>
            <main id="main" tabindex="-1" class="resident-main" class:embedded=embedded>
                {children()}
            </main>
            {(!embedded).then(|| view! {
                <footer class="site-footer resident-footer">
                    <p><span aria-hidden="true" class="brand-mark">"◆"</span>" Canvass"</p>
                </footer>
            })}
        }
        .into_any();
    }
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
    .into_any()
}

/// Navigation for a signed-in staff member: only the places their role can use.
#[component]
fn StaffNav(user: CurrentUser) -> impl IntoView {
    let SessionActions { logout, .. } = expect_context::<SessionActions>();
    view! {
        <nav aria-label="Main">
            <A href="/">"Home"</A>
            {user.role.grants(Role::Designer).then(|| view! { <A href="/surveys">"Surveys"</A> })}
            <A href="/results">"Results"</A>
            <A href="/areas">"Areas"</A>
            {user.role.grants(Role::Admin).then(|| view! { <A href="/admin/users">"Staff accounts"</A> <A href="/admin/tokens">"API tokens"</A> <A href="/admin/audit">"Audit log"</A> })}
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

/// Marks the page as interactive (`data-hydrated` on `<html>`) once this point of the page has
/// hydrated: effects never run during server rendering, and a page loaded in a group of its own
/// (`routes::lazy_pages`) hydrates after the frame around it. The browser tests wait for it.
#[component]
pub fn HydrationMark() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

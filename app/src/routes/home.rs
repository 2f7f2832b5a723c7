//! The home page: what Canvass is for a visitor, a role-based start page for staff.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::app::SignedIn;
use crate::components::layout::HydrationMark;
use crate::domain::Role;
use crate::models::CurrentUser;

/// `/`.
#[component]
pub fn HomePage() -> impl IntoView {
    let SignedIn(user) = expect_context::<SignedIn>();
    view! {
        <Title text="" />
        <HydrationMark />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! { <StaffHome user /> }.into_any(),
                    _ => view! { <Welcome /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Hear from every neighborhood"</h1>
            <p>
                "Canvass runs your city's resident surveys and quick polls. Residents answer on any phone, "
                "with or without JavaScript, in their language. Leaders see results by neighborhood, "
                "with who answered compared with who lives there — and no individual exposed."
            </p>
            <p><A href="/login" attr:class="button">"Staff sign in"</A></p>
        </section>
    }
}

#[component]
fn StaffHome(user: CurrentUser) -> impl IntoView {
    let welcome = use_query_map().read_untracked().get("welcome").is_some();
    let role_text = match user.role {
        Role::Admin => "As an administrator you manage staff accounts and can do everything designers and analysts do.",
        Role::Designer => "As a designer you build and run surveys and quick polls.",
        Role::Analyst => "As an analyst you read results by neighborhood.",
    };
    view! {
        <section class="panel">
            <h1>{if welcome { "Welcome to Canvass" } else { "Canvass" }}</h1>
            <p>"Signed in as " <strong>{user.email.clone()}</strong> "."</p>
            <p>{role_text}</p>
            <ul class="cards">
                {user.role.grants(Role::Designer).then(|| view! {
                    <li><A href="/surveys">"Surveys"</A><span>"Build surveys and quick polls from templates, publish and close them."</span></li>
                })}
                {user.role.grants(Role::Admin).then(|| view! {
                    <li><A href="/admin/users">"Staff accounts"</A><span>"Invite staff, change roles, deactivate accounts."</span></li>
                    <li><A href="/admin/tokens">"API tokens"</A><span>"Let a kiosk, a data-entry script or a data pipeline use the API."</span></li>
                })}
            </ul>
        </section>
    }
}

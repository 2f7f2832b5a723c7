//! Error pages, each sent with its HTTP status when rendered on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::layout::HydrationMark;
use crate::error::AppError;

fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    crate::server_fns::context::set_page_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found" />
        <HydrationMark />
        <section class="panel error-page" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"We could not find that page. The link may be mistyped, or the page may have moved."</p>
            <p><A href="/">"Go to the home page"</A></p>
        </section>
    }
}

/// 403.
#[component]
pub fn ForbiddenPage() -> impl IntoView {
    set_status(403);
    view! {
        <Title text="Not allowed" />
        <section class="panel error-page" data-testid="forbidden">
            <h1>"You don't have access to this page"</h1>
            <p>"Your account's role does not include this page. If you need it, ask a Canvass administrator to change your role."</p>
            <p><A href="/">"Go to the home page"</A></p>
        </section>
    }
}

/// Any other error, with its status; internal errors say nothing about the cause.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    set_status(error.status());
    view! {
        <Title text="Something went wrong" />
        <section class="panel error-page" data-testid="error-page" data-error-key=error.key().to_owned()>
            <h1>"Something went wrong"</h1>
            <p>{error.to_string()}</p>
            <p><A href="/">"Go to the home page"</A></p>
        </section>
    }
}

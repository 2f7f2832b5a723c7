//! The application shell: the HTML document, the router and the shared signed-in state.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::layout::Layout;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::routes::account::password::AccountPage;
use crate::routes::admin::audit_log::AuditLogPage;
use crate::routes::admin::tokens::TokensAdminPage;
use crate::routes::areas::set::AreaSetPage;
use crate::routes::areas::sets::AreaSetsPage;
use crate::routes::designer::editor::SurveyEditorPage;
use crate::routes::designer::invites::SurveyInvitesPage;
use crate::routes::designer::json::SurveyJsonPage;
use crate::routes::designer::preview::SurveyPreviewPage;
use crate::routes::designer::question::QuestionEditorPage;
use crate::routes::designer::surveys::SurveysPage;
use crate::routes::designer::translations::SurveyTranslationsPage;
use crate::routes::resident::public_results::PublicResultsPage;
use crate::routes::resident::survey::{
    ResidentRefusedPage, ResidentResumePage, ResidentSurveyPage, ResidentThanksPage,
};
use crate::routes::results::dashboard::{ResultsDashboardPage, ResultsIndexPage};
use crate::routes::results::fieldwork::FieldworkPage;
use crate::routes::{
    account::accept_invite::AcceptInvitePage, account::login::LoginPage, admin::staff::StaffAdminPage,
    errors::NotFoundPage, home::HomePage,
};
use crate::server_fns::auth::{AcceptInvite, Login, Logout, signed_in_user};

/// The signed-in staff member, reloaded whenever someone signs in or out.
#[derive(Clone, Copy)]
pub struct SignedIn(pub Resource<Result<Option<CurrentUser>, AppError>>);

/// The actions that sign someone in or out, shared so that the header refreshes after each.
#[derive(Clone, Copy)]
pub struct SessionActions {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub accept_invite: ServerAction<AcceptInvite>,
}

/// The HTML document around every page (server-side rendering only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: routes and the state every page shares.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let actions = SessionActions {
        login: ServerAction::<Login>::new(),
        logout: ServerAction::<Logout>::new(),
        accept_invite: ServerAction::<AcceptInvite>::new(),
    };
    let signed_in = Resource::new(
        move || (actions.login.version().get(), actions.logout.version().get(), actions.accept_invite.version().get()),
        |_| signed_in_user(),
    );
    provide_context(actions);
    provide_context(SignedIn(signed_in));

    // Proof of hydration for the browser tests: effects never run during server rendering.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/canvass.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="Canvass: city surveys and quick polls for every neighborhood." />
        <Title formatter=|title: String| if title.is_empty() { "Canvass".to_owned() } else { format!("{title} · Canvass") } />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:code") view=AcceptInvitePage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=StaffAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/tokens") view=TokensAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view=AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys") view=SurveysPage ssr=SsrMode::Async />
                    <Route path=path!("/areas") view=AreaSetsPage ssr=SsrMode::Async />
                    <Route path=path!("/areas/:key") view=AreaSetPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id") view=SurveyEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/json") view=SurveyJsonPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/invites") view=SurveyInvitesPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/preview") view=SurveyPreviewPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/questions/:key") view=QuestionEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/translations") view=SurveyTranslationsPage ssr=SsrMode::Async />
                    <Route path=path!("/results") view=ResultsIndexPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/results") view=ResultsDashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/fieldwork") view=FieldworkPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/results") view=PublicResultsPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key") view=ResidentSurveyPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/thanks") view=ResidentThanksPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/sorry") view=ResidentRefusedPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/resume/:token") view=ResidentResumePage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

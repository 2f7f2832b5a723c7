//! The application shell: the HTML document, the router and the shared signed-in state.

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use crate::components::layout::Layout;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::routes::lazy_pages::*;
use crate::routes::{account::login::LoginPage, errors::NotFoundPage, home::HomePage};
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

/// The HTML document around every page (server-side rendering only). Staff pages load the
/// application's WebAssembly and hydrate; residents' pages (`/s/...`) do not reference it: they
/// are plain HTML and CSS with one small script (`public/resident.js`), so that they are light
/// on a cheap phone and a slow network (docs/MEASUREMENTS.md).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let resident = is_resident_page();
    if resident {
        // Nothing on a resident's page hydrates: the server does not write its resources into
        // the page for a hydration that never comes.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HashedStylesheet options=options.clone() id="leptos" />
                {if resident {
                    view! { <script src=resident_script_address() defer></script> }.into_any()
                } else {
                    view! { <AutoReload options=options.clone() /> <HydrationScripts options /> }.into_any()
                }}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page being rendered is a resident's page (`/s/...`).
fn is_resident_page() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| parts.uri.path().starts_with("/s/"))
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The address of the residents' script, named by its content so that browsers may keep it for
/// a year (`Cache-Control: immutable`) and fetch a new one after every change.
pub fn resident_script_address() -> String {
    #[cfg(feature = "ssr")]
    {
        use sha2::Digest;
        static ADDRESS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        ADDRESS
            .get_or_init(|| {
                let digest = sha2::Sha256::digest(RESIDENT_SCRIPT.as_bytes());
                format!("/resident.js?v={}", &hex::encode(digest)[..12])
            })
            .clone()
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/resident.js".to_owned()
    }
}

/// The residents' script as built into this binary; the site serves the same file
/// (`public/resident.js`, copied and precompressed by `cargo leptos build`).
#[cfg(feature = "ssr")]
pub const RESIDENT_SCRIPT: &str = include_str!("../../public/resident.js");

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

    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="Canvass: city surveys and quick polls for every neighborhood." />
        <Title formatter=|title: String| if title.is_empty() { "Canvass".to_owned() } else { format!("{title} · Canvass") } />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:code") view={Lazy::<AcceptInviteRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view={Lazy::<StaffAdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/tokens") view={Lazy::<TokensAdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/audit") view={Lazy::<AuditLogRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys") view={Lazy::<SurveysRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/areas") view={Lazy::<AreaSetsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/areas/:key") view={Lazy::<AreaSetRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id") view={Lazy::<SurveyEditorRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/json") view={Lazy::<SurveyJsonRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/invites") view={Lazy::<SurveyInvitesRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/preview") view={Lazy::<SurveyPreviewRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/questions/:key") view={Lazy::<QuestionEditorRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/translations") view={Lazy::<SurveyTranslationsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/results") view={Lazy::<ResultsIndexRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/results") view={Lazy::<ResultsDashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/surveys/:id/fieldwork") view={Lazy::<FieldworkRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/results") view={Lazy::<PublicResultsRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key") view={Lazy::<ResidentSurveyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/thanks") view={Lazy::<ResidentThanksRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/sorry") view={Lazy::<ResidentRefusedRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/s/:public_key/resume/:token") view={Lazy::<ResidentResumeRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

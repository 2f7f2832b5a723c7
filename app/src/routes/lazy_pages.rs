//! Pages, loaded in five groups: with `cargo leptos build --split`, each group's code (the
//! designer's pages, the results pages, the area pages, the administrators' pages, and surveys
//! as residents see them with the designer's preview) is a separate WebAssembly file fetched
//! when one of its pages is first shown; the home and sign-in pages are in the main file. A
//! staff member's first load carries the framework, the shell and one group, not the whole
//! application. Few groups, not one per page: code shared by several split points goes into a
//! file of its own for each combination, and hundreds of small files cost more than they save.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::components::layout::HydrationMark;

/// Which page of a group a route shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Surveys,
    SurveyEditor,
    SurveyJson,
    SurveyInvites,
    SurveyPreview,
    QuestionEditor,
    SurveyTranslations,
    ResultsIndex,
    ResultsDashboard,
    Fieldwork,
    AreaSets,
    AreaSet,
    StaffAdmin,
    TokensAdmin,
    AuditLog,
    Account,
    AcceptInvite,
    PublicResults,
    ResidentSurvey,
    ResidentThanks,
    ResidentRefused,
    ResidentResume,
}

#[lazy]
fn designer_pages(page: Page) -> AnyView {
    use crate::routes::designer::*;
    match page {
        Page::Surveys => view! { <surveys::SurveysPage /> }.into_any(),
        Page::SurveyJson => view! { <json::SurveyJsonPage /> }.into_any(),
        Page::SurveyInvites => view! { <invites::SurveyInvitesPage /> }.into_any(),
        Page::QuestionEditor => view! { <question::QuestionEditorPage /> }.into_any(),
        Page::SurveyTranslations => view! { <translations::SurveyTranslationsPage /> }.into_any(),
        _ => view! { <editor::SurveyEditorPage /> }.into_any(),
    }
}

#[lazy]
fn results_pages(page: Page) -> AnyView {
    use crate::routes::results::*;
    match page {
        Page::ResultsIndex => view! { <dashboard::ResultsIndexPage /> }.into_any(),
        Page::Fieldwork => view! { <fieldwork::FieldworkPage /> }.into_any(),
        _ => view! { <dashboard::ResultsDashboardPage /> }.into_any(),
    }
}

#[lazy]
fn area_pages(page: Page) -> AnyView {
    use crate::routes::areas::*;
    match page {
        Page::AreaSet => view! { <set::AreaSetPage /> }.into_any(),
        _ => view! { <sets::AreaSetsPage /> }.into_any(),
    }
}

#[lazy]
fn admin_pages(page: Page) -> AnyView {
    use crate::routes::{account, admin};
    match page {
        Page::TokensAdmin => view! { <admin::tokens::TokensAdminPage /> }.into_any(),
        Page::AuditLog => view! { <admin::audit_log::AuditLogPage /> }.into_any(),
        Page::Account => view! { <account::password::AccountPage /> }.into_any(),
        Page::AcceptInvite => view! { <account::accept_invite::AcceptInvitePage /> }.into_any(),
        _ => view! { <admin::staff::StaffAdminPage /> }.into_any(),
    }
}

/// Surveys as residents see them: the residents' pages (which render from their own shell and
/// never hydrate, `app::shell`; in the staff bundle they are only reached by a link followed
/// inside the application) and the designer's preview, which shares their form and area picker
/// — kept out of the designer's group, which then loads without them.
#[lazy]
fn resident_pages(page: Page) -> AnyView {
    use crate::routes::resident::*;
    match page {
        Page::SurveyPreview => view! { <crate::routes::designer::preview::SurveyPreviewPage /> }.into_any(),
        Page::PublicResults => view! { <public_results::PublicResultsPage /> }.into_any(),
        Page::ResidentThanks => view! { <survey::ResidentThanksPage /> }.into_any(),
        Page::ResidentRefused => view! { <survey::ResidentRefusedPage /> }.into_any(),
        Page::ResidentResume => view! { <survey::ResidentResumePage /> }.into_any(),
        _ => view! { <survey::ResidentSurveyPage /> }.into_any(),
    }
}

/// A route showing `$page` of `$group`, whose WebAssembly `$preload` fetches (`#[lazy]` names
/// it `__preload_` + the group). Hydration waits for it (`hydrate_lazy`): a page hydrated before
/// its code has arrived would not match the server's HTML.
macro_rules! grouped_page {
    ($route:ident, $page:ident, $group:ident, $preload:ident) => {
        /// A page loaded with its group's WebAssembly.
        #[derive(Clone, Copy)]
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }

            async fn view(_this: Self) -> AnyView {
                let page = $group(Page::$page).await;
                view! { {page} <HydrationMark /> }.into_any()
            }
        }
    };
}

grouped_page!(SurveysRoute, Surveys, designer_pages, __preload_designer_pages);
grouped_page!(SurveyEditorRoute, SurveyEditor, designer_pages, __preload_designer_pages);
grouped_page!(SurveyJsonRoute, SurveyJson, designer_pages, __preload_designer_pages);
grouped_page!(SurveyInvitesRoute, SurveyInvites, designer_pages, __preload_designer_pages);
grouped_page!(SurveyPreviewRoute, SurveyPreview, resident_pages, __preload_resident_pages);
grouped_page!(QuestionEditorRoute, QuestionEditor, designer_pages, __preload_designer_pages);
grouped_page!(SurveyTranslationsRoute, SurveyTranslations, designer_pages, __preload_designer_pages);
grouped_page!(ResultsIndexRoute, ResultsIndex, results_pages, __preload_results_pages);
grouped_page!(ResultsDashboardRoute, ResultsDashboard, results_pages, __preload_results_pages);
grouped_page!(FieldworkRoute, Fieldwork, results_pages, __preload_results_pages);
grouped_page!(AreaSetsRoute, AreaSets, area_pages, __preload_area_pages);
grouped_page!(AreaSetRoute, AreaSet, area_pages, __preload_area_pages);
grouped_page!(StaffAdminRoute, StaffAdmin, admin_pages, __preload_admin_pages);
grouped_page!(TokensAdminRoute, TokensAdmin, admin_pages, __preload_admin_pages);
grouped_page!(AuditLogRoute, AuditLog, admin_pages, __preload_admin_pages);
grouped_page!(AccountRoute, Account, admin_pages, __preload_admin_pages);
grouped_page!(AcceptInviteRoute, AcceptInvite, admin_pages, __preload_admin_pages);
grouped_page!(PublicResultsRoute, PublicResults, resident_pages, __preload_resident_pages);
grouped_page!(ResidentSurveyRoute, ResidentSurvey, resident_pages, __preload_resident_pages);
grouped_page!(ResidentThanksRoute, ResidentThanks, resident_pages, __preload_resident_pages);
grouped_page!(ResidentRefusedRoute, ResidentRefused, resident_pages, __preload_resident_pages);
grouped_page!(ResidentResumeRoute, ResidentResume, resident_pages, __preload_resident_pages);

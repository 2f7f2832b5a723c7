//! `/admin/audit`: who changed what, and when (administrators only).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::guard::RequireRole;
use crate::domain::Role;
use crate::routes::errors::ErrorPage;
use crate::server_fns::staff::audit_log;

/// The audit log page.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    view! {
        <Title text="Audit log" />
        <RequireRole role=Role::Admin>
            <AuditLog />
        </RequireRole>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let entries = Resource::new(|| (), |_| audit_log());
    view! {
        <section class="panel">
            <h1>"Audit log"</h1>
            <p class="hint">"Every change to staff accounts and surveys, newest first (the latest 200)."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"Nothing has been recorded yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="audit-list" data-testid="audit-log">
                                {list.into_iter().map(|e| view! {
                                    <li>
                                        <strong>{e.action.clone()}</strong>
                                        " " <code>{e.subject.clone()}</code>
                                        <span class="hint">{format!(" by {} · {}", e.actor, e.at)}</span>
                                        <span class="hint audit-detail">{e.detail.clone()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

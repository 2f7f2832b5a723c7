//! `/admin/users`: administrators invite staff, change roles and deactivate accounts.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::form::{ErrorSummary, FieldError, form_error, invalid, kept_value};
use crate::components::guard::RequireRole;
use crate::domain::Role;
use crate::error::AppError;
use crate::models::{AccountStatus, Invitation, StaffMember};
use crate::routes::errors::ErrorPage;
use crate::server_fns::staff::{ChangeStaffRole, InviteStaff, SetStaffActive, list_staff};

/// The staff accounts page (administrators only).
#[component]
pub fn StaffAdminPage() -> impl IntoView {
    view! {
        <Title text="Staff accounts" />
        <RequireRole role=Role::Admin>
            <StaffAdmin />
        </RequireRole>
    }
}

#[component]
fn StaffAdmin() -> impl IntoView {
    let invite = ServerAction::<InviteStaff>::new();
    let change_role = ServerAction::<ChangeStaffRole>::new();
    let set_active = ServerAction::<SetStaffActive>::new();
    // With JavaScript the invite's answer is the new link; without, the server sends the page to
    // `?invited=1` and the page's data carries the link (once).
    let query = leptos_router::hooks::use_query_map();
    let invited = Signal::derive(move || query.read().get("invited").unwrap_or_default());
    let fresh_invitation = move || invite.value().get().and_then(Result::ok);
    let directory = Resource::new(
        move || (invited.get(), invite.version().get(), change_role.version().get(), set_active.version().get()),
        |(invited, ..)| list_staff((!invited.is_empty()).then_some(invited)),
    );
    // One message area for the page: the latest result of any of its forms (with JavaScript),
    // or the `?error=` key a form post sent back (without).
    let latest = RwSignal::new(None::<Result<(), AppError>>);
    Effect::watch(
        move || invite.value().get(),
        move |result, _, _| latest.set(result.clone().map(|r| r.map(|_| ()))),
        false,
    );
    for value in [change_role.value(), set_active.value()] {
        Effect::watch(move || value.get(), move |result, _, _| latest.set(result.clone()), false);
    }
    let error = form_error(move || latest.get());
    // With JavaScript the page does not reload after an invite: empty the form for the next one.
    let invite_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(invite.value().get(), Some(Ok(_)))
            && let Some(form) = invite_form.get()
        {
            form.reset();
        }
    });
    let kept_email = kept_value("email");
    let kept_role = kept_value("role");

    view! {
        <section class="panel">
            <h1>"Staff accounts"</h1>
            <ErrorSummary error />
            <h2>"Invite someone"</h2>
            <ActionForm action=invite node_ref=invite_form attr:class="stack" attr:data-testid="invite-form">
                <label for="invite-email">"E-mail"</label>
                <input id="invite-email" name="email" type="email" required autocomplete="off"
                    value=kept_email aria-invalid=invalid(error, "email") />
                <FieldError error=error field="email" />
                <label for="invite-role">"Role"</label>
                <p class="hint" id="invite-role-hint">
                    "Designers build and run surveys. Analysts read results. Administrators do everything, including managing staff accounts."
                </p>
                <select id="invite-role" name="role" aria-describedby="invite-role-hint" aria-invalid=invalid(error, "role")>
                    {Role::ALL.into_iter().map(|role| {
                        let selected = move || kept_role.get() == role.as_str() || (kept_role.get().is_empty() && role == Role::Designer);
                        view! { <option value=role.as_str() selected=selected>{role.label()}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="button">"Create invite link"</button>
            </ActionForm>
        </section>
        {move || fresh_invitation().map(|invitation| view! { <InvitationMade invitation /> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match directory.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(directory) => view! {
                        {directory.just_invited.map(|invitation| view! { <InvitationMade invitation /> })}
                        <section class="panel">
                            <h2>"Everyone with an account"</h2>
                            <ul class="staff-list" data-testid="staff-list">
                                {directory.members.into_iter().map(|member| {
                                    let is_me = member.id == directory.viewer_id;
                                    view! { <StaffRow member is_me change_role set_active /> }
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn InvitationMade(invitation: Invitation) -> impl IntoView {
    view! {
        <section class="panel success" role="status" data-testid="invitation">
            <h2>"Invite link for " {invitation.email.clone()}</h2>
            <p>"Send this link to the person. It works once, until " {invitation.expires_at.clone()} ". Copy it now: Canvass keeps only a fingerprint of it, so it cannot be looked up later (you can always make a new one)."</p>
            <label for="invite-url">"Invite link"</label>
            <textarea id="invite-url" class="invite-url" readonly rows="3" data-testid="invite-url">{invitation.invite_url.clone()}</textarea>
        </section>
    }
}

#[component]
fn StaffRow(
    member: StaffMember,
    is_me: bool,
    change_role: ServerAction<ChangeStaffRole>,
    set_active: ServerAction<SetStaffActive>,
) -> impl IntoView {
    let role_id = format!("role-{}", member.id);
    let (toggle_label, toggle_to) = match member.status {
        AccountStatus::Deactivated => ("Reactivate", true),
        _ => ("Deactivate", false),
    };
    view! {
        <li class="staff-member" data-testid="staff-member" data-email=member.email.clone()>
            <div class="staff-identity">
                <strong>{member.email.clone()}</strong>
                <span class=format!("badge status-{}", member.status.as_str())>{member.status.label()}</span>
                {is_me.then(|| view! { <span class="badge">"you"</span> })}
                <span class="hint">
                    {member.last_login_at.clone().map_or_else(|| "Never signed in".to_owned(), |t| format!("Last sign-in {t}"))}
                </span>
            </div>
            <ActionForm action=change_role attr:class="inline-form">
                <input type="hidden" name="id" value=member.id.to_string() />
                <label for=role_id.clone()>"Role"</label>
                <select id=role_id name="role">
                    {Role::ALL.into_iter().map(|role| view! {
                        <option value=role.as_str() selected=role == member.role>{role.as_str()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">"Change role"</button>
            </ActionForm>
            {(!is_me).then(|| view! {
                <ActionForm action=set_active attr:class="inline-form">
                    <input type="hidden" name="id" value=member.id.to_string() />
                    <input type="hidden" name="active" value=toggle_to.to_string() />
                    <button type="submit" class="button secondary">{toggle_label}</button>
                </ActionForm>
            })}
        </li>
    }
}

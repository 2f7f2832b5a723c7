//! `/surveys/:id/invites`: who may answer (open link, invite codes, both), invite code batches
//! for mailed samples with their CSV for mail merge, and responses by channel.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::components::guard::RequireRole;
use crate::domain::Role;
use crate::domain::access::Access;
use crate::error::AppError;
use crate::models::InviteOverview;
use crate::routes::errors::ErrorPage;
use crate::routes::survey_id_param;
use crate::server_fns::invites::{GenerateInviteCodes, SetSurveyAccess, load_invite_overview};

/// The page (designers and administrators).
#[component]
pub fn SurveyInvitesPage() -> impl IntoView {
    view! {
        <Title text="Invite codes" />
        <RequireRole role=Role::Designer>
            <Invites />
        </RequireRole>
    }
}

#[component]
fn Invites() -> impl IntoView {
    let id = survey_id_param();
    let access = ServerAction::<SetSurveyAccess>::new();
    let generate = ServerAction::<GenerateInviteCodes>::new();
    let overview = Resource::new(
        move || (id(), access.version().get(), generate.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => load_invite_overview(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let query = use_query_map();
    let error = Signal::derive(move || {
        let from_action = generate.value().get().and_then(Result::err).or(access.value().get().and_then(Result::err));
        from_action.or_else(|| query.read().get("error").and_then(|k| AppError::from_key(&k)))
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(overview) => view! { <Overview overview access generate error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(
    overview: InviteOverview,
    access: ServerAction<SetSurveyAccess>,
    generate: ServerAction<GenerateInviteCodes>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let InviteOverview { survey_id: id, title, access: current, batches, responses, areas } = overview;
    let choice = move |value: Access, label: &'static str, hint: &'static str| {
        let input_id = format!("access-{}", value.as_str());
        view! {
            <div class="choice">
                <input type="radio" id=input_id.clone() name="access" value=value.as_str() checked=current == value />
                <label for=input_id>{label}<span class="hint">{format!(" — {hint}")}</span></label>
            </div>
        }
    };
    let total: u64 = responses.iter().map(|(_, n)| n).sum();
    view! {
        <section class="panel">
            <p class="hint"><A href=format!("/surveys/{id}")>"← Back to the editor"</A></p>
            <h1>"Who may answer: " {title}</h1>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <ActionForm action=access>
                <input type="hidden" name="id" value=id.to_string() />
                <fieldset>
                    <legend>"Access"</legend>
                    {choice(Access::Open, "Open link", "anyone with the link or QR code; one response per device")}
                    {choice(Access::InviteOnly, "Invite codes only", "only households with a code from a mailed letter")}
                    {choice(Access::Both, "Both", "invited households and the open link, counted apart")}
                </fieldset>
                <button type="submit" class="button">"Save access"</button>
            </ActionForm>
        </section>
        <section class="panel" data-testid="invite-batches">
            <h2>"Invite codes"</h2>
            <p class="hint">"Each code admits one response. Codes are 8 characters without look-alike letters (K7QX-M3PR); the CSV has a link per code to print as a QR code on each letter."</p>
            <ActionForm action=generate attr:class="stack">
                <input type="hidden" name="id" value=id.to_string() />
                <label for="invite-count">"How many codes"</label>
                <input id="invite-count" name="count" type="number" min="1" max="50000" required value="100" inputmode="numeric" />
                <label for="invite-area">"For households in (optional)"</label>
                <select id="invite-area" name="area">
                    <option value="">"Any area (sample not drawn by area)"</option>
                    {areas.into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">"Make codes"</button>
            </ActionForm>
            {if batches.is_empty() {
                view! { <p>"No codes yet."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <caption>"Batches"</caption>
                        <thead><tr><th scope="col">"Batch"</th><th scope="col">"Made"</th><th scope="col">"Codes"</th><th scope="col">"Used"</th><th scope="col">"Area"</th><th scope="col">"Download"</th></tr></thead>
                        <tbody>
                            {batches.into_iter().map(|b| view! {
                                <tr>
                                    <td>{b.batch}</td>
                                    <td>{b.created_at}</td>
                                    <td>{b.codes}</td>
                                    <td>{b.used}</td>
                                    <td>{if b.areas.is_empty() { "—".to_owned() } else { b.areas.join(", ") }}</td>
                                    <td><a href=format!("/surveys/{id}/invites.csv?batch={}", b.batch) download="">"CSV"</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="panel">
            <h2>"Responses by channel"</h2>
            <p>{format!("{total} complete responses")}</p>
            <ul>
                {responses.into_iter().map(|(channel, n)| view! { <li>{format!("{channel}: {n}")}</li> }).collect_view()}
            </ul>
        </section>
    }
}

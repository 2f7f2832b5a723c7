//! `/admin/tokens`: administrators create API tokens for machines (a kiosk, a data-entry
//! script, the open-data pipeline), see when each was last used, and revoke them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::form::{ErrorSummary, FieldError, invalid, kept_value};
use crate::components::guard::RequireRole;
use crate::domain::Role;
use crate::domain::access::Channel;
use crate::domain::api_token::TokenAction;
use crate::error::AppError;
use crate::routes::errors::ErrorPage;
use crate::server_fns::tokens::{
    CreateToken, ListedToken, NewToken, RevokeToken, SurveyChoice, action_form_value, error_from_key, list_tokens,
};

/// What a new token may do, as the form offers it.
const ACTIONS: [(TokenAction, &str); 3] = [
    (TokenAction::SubmitResponses(Channel::Kiosk), "Submit responses as a kiosk"),
    (TokenAction::SubmitResponses(Channel::Paper), "Submit responses as paper forms (data entry)"),
    (TokenAction::ReadResults, "Read results and exports"),
];

/// The API tokens page (administrators only).
#[component]
pub fn TokensAdminPage() -> impl IntoView {
    view! {
        <Title text="API tokens" />
        <RequireRole role=Role::Admin>
            <TokensAdmin />
        </RequireRole>
    }
}

#[component]
fn TokensAdmin() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    // With JavaScript the new secret is the create function's answer; without, the server sends
    // the page to `?created=1` and the page's data carries it (once).
    let query = leptos_router::hooks::use_query_map();
    let created = Signal::derive(move || query.read().get("created").unwrap_or_default());
    let fresh_token = move || create.value().get().and_then(Result::ok);
    // The list (and the create form in it) is reloaded after a token is made or a revoke is
    // tried, not after a refused create, so that the form keeps what was typed.
    let last_made = Memo::new(move |_| {
        create.value().with(|result| result.as_ref().and_then(|r| r.as_ref().ok()).map(|made| made.token.id))
    });
    let directory = Resource::new(
        move || (created.get(), last_made.get(), revoke.version().get()),
        |(created, ..)| list_tokens((!created.is_empty()).then_some(created)),
    );
    // One message area for the page: the latest result of either form (with JavaScript), or the
    // `?error=` key a form post was sent back with (without).
    let latest = RwSignal::new(None::<Result<(), AppError>>);
    Effect::watch(
        move || create.value().get(),
        move |result, _, _| latest.set(result.clone().map(|r| r.map(|_| ()))),
        false,
    );
    Effect::watch(move || revoke.value().get(), move |result, _, _| latest.set(result.clone()), false);
    let error = Signal::derive(move || match latest.get() {
        Some(Err(error)) => Some(error),
        Some(Ok(())) => None,
        None => query.read().get("error").and_then(|key| error_from_key(&key)),
    });

    view! {
        <section class="panel">
            <h1>"API tokens"</h1>
            <p>
                "Tokens let a kiosk, a data-entry script or the open-data pipeline use the API without a staff sign-in. Each token does one thing on one survey."
            </p>
            <ErrorSummary error />
        </section>
        {move || fresh_token().map(|token| view! { <TokenMade token /> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match directory.await {
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                    Ok(directory) => view! {
                        {directory.just_created.map(|token| view! { <TokenMade token /> })}
                        <CreateTokenForm create surveys=directory.surveys error />
                        <TokenList tokens=directory.tokens revoke />
                    }
                        .into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CreateTokenForm(
    create: ServerAction<CreateToken>,
    surveys: Vec<SurveyChoice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    if surveys.is_empty() {
        return view! {
            <section class="panel">
                <h2>"Create a token"</h2>
                <p>"There are no surveys yet. A token is always for one survey: create the survey first."</p>
            </section>
        }
        .into_any();
    }
    let kept_name = kept_value("name");
    let kept_survey = kept_value("survey");
    let kept_can = kept_value("can");
    view! {
        <section class="panel">
            <h2>"Create a token"</h2>
            <ActionForm action=create attr:class="stack" attr:data-testid="token-form">
                <label for="token-name">"Name"</label>
                <p class="hint" id="token-name-hint">"Which machine uses it, e.g. \"Main library kiosk\"."</p>
                <input id="token-name" name="name" type="text" required maxlength="100" autocomplete="off"
                    value=kept_name aria-describedby="token-name-hint" aria-invalid=invalid(error, "name") />
                <FieldError error=error field="name" />
                <label for="token-survey">"Survey"</label>
                <select id="token-survey" name="survey" aria-invalid=invalid(error, "survey")>
                    {surveys.into_iter().map(|survey| {
                        let value = survey.id.to_string();
                        let selected = {
                            let value = value.clone();
                            move || kept_survey.get() == value
                        };
                        view! {
                            <option value=value selected=selected>
                                {format!("{} (no. {}, {})", survey.title, survey.id, survey.status)}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <FieldError error=error field="survey" />
                <label for="token-can">"What it may do"</label>
                <p class="hint" id="token-can-hint">
                    "Submitting tokens send whole responses, recorded as kiosk or paper responses. Reading tokens get the results and exports, never free-text answers."
                </p>
                <select id="token-can" name="can" aria-describedby="token-can-hint" aria-invalid=invalid(error, "can")>
                    {ACTIONS.into_iter().map(|(action, label)| {
                        let value = action_form_value(action);
                        view! { <option value=value selected=move || kept_can.get() == value>{label}</option> }
                    }).collect_view()}
                </select>
                <FieldError error=error field="can" />
                <button type="submit" class="button">"Create token"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// A new token's secret, shown this once, and how to use it.
#[component]
fn TokenMade(token: NewToken) -> impl IntoView {
    let NewToken { token, secret } = token;
    let survey = survey_text(&token);
    let (can, example) = match token.action {
        Some(TokenAction::ReadResults) => {
            ("read results".to_owned(), format!("GET /api/v1/surveys/{}/results", token.survey_id))
        }
        Some(action) => (action.describe(), format!("POST /api/v1/surveys/{}/responses", token.survey_id)),
        None => ("do nothing".to_owned(), String::new()),
    };
    view! {
        <section class="panel success" role="status" data-testid="new-token">
            <h2>"Token created: " {token.name.clone()}</h2>
            <p>
                <strong>"Copy this secret now; it will not be shown again."</strong>
                " Canvass keeps only a fingerprint of it. If it is lost, revoke the token and create a new one."
            </p>
            <code class="token-secret" data-testid="token-secret">{secret}</code>
            <p>"It may " {can} " on " {survey} "."</p>
            <p>
                "The machine sends it with every request, in the header " <code>"Authorization: Bearer <secret>"</code>
                {(!example.is_empty()).then(|| view! { ", for example to " <code>{example}</code> })} "."
            </p>
        </section>
    }
}

fn survey_text(token: &ListedToken) -> String {
    match &token.survey_title {
        Some(title) => format!("{title} (no. {})", token.survey_id),
        None => format!("survey no. {}", token.survey_id),
    }
}

#[component]
fn TokenList(tokens: Vec<ListedToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>"Tokens"</h2>
            {if tokens.is_empty() {
                view! { <p data-testid="token-list">"No tokens yet."</p> }.into_any()
            } else {
                view! {
                    <p class="hint">"Newest first. Revoked tokens stay in the list."</p>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="API tokens">
                        <table class="token-table" data-testid="token-list">
                            <caption class="visually-hidden">"API tokens, newest first"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Survey"</th>
                                    <th scope="col">"May"</th>
                                    <th scope="col">"Prefix"</th>
                                    <th scope="col">"Created"</th>
                                    <th scope="col">"Last used"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {tokens.into_iter().map(|token| view! { <TokenRow token revoke /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn TokenRow(token: ListedToken, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let survey = survey_text(&token);
    let can =
        token.action.map_or_else(|| "nothing (an action Canvass does not know)".to_owned(), TokenAction::describe);
    let hidden_name = format!(" {}", token.name);
    let button_name = format!(": {}", token.name);
    let status = match token.revoked_at.clone() {
        Some(at) => view! {
            <span class="badge status-deactivated">"Revoked"</span>
            " "
            <span class="hint">{at}</span>
        }
        .into_any(),
        None => view! {
            <span class="badge status-active">"Active"</span>
            <details class="danger-zone">
                <summary>"Revoke…" <span class="visually-hidden">{hidden_name}</span></summary>
                <ActionForm action=revoke attr:class="stack">
                    <input type="hidden" name="id" value=token.id.to_string() />
                    <p class="hint">"Requests with this token are refused from now on. This cannot be undone."</p>
                    <button type="submit" class="button danger">
                        "Revoke this token"
                        <span class="visually-hidden">{button_name}</span>
                    </button>
                </ActionForm>
            </details>
        }
        .into_any(),
    };
    view! {
        <tr data-testid="token" data-token-id=token.id.to_string() data-revoked=token.revoked_at.is_some().to_string()>
            <th scope="row">{token.name.clone()}</th>
            <td>{status}</td>
            <td>{survey}</td>
            <td>{can}</td>
            <td><code>{format!("{}…", token.prefix)}</code></td>
            <td>{token.created_at.clone()}</td>
            <td>{token.last_used_at.clone().unwrap_or_else(|| "never".to_owned())}</td>
        </tr>
    }
}

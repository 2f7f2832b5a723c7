//! What a server function can learn about its request (server only).

use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use sea_orm::DatabaseConnection;
use tower_sessions::Session;

use crate::domain::Role;
use crate::domain::navigation::with_query;
use crate::error::AppError;
use crate::models::CurrentUser;
use crate::state::AppState;
use crate::web::client_address::ClientAddress;

/// The database pool.
pub fn db() -> Result<DatabaseConnection, AppError> {
    use_context::<AppState>().map(|state| state.db).ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The city's suppression threshold: counts under it are withheld from anything public.
pub fn suppression_threshold() -> u64 {
    use_context::<AppState>().map_or(crate::domain::suppression::DEFAULT_THRESHOLD, |state| state.suppression_threshold)
}

/// How often a quick poll's results after voting are published again, at most.
pub fn poll_results_every() -> std::time::Duration {
    use_context::<AppState>().map_or(crate::state::POLL_RESULTS_EVERY, |state| state.poll_results_every)
}

/// The visitor's session (created lazily; nothing is stored until something is inserted).
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = %e, "session layer missing");
        AppError::Internal
    })
}

/// A signed-in staff member's request: the database, who is asking, and their session.
pub struct Staff {
    /// The database pool.
    pub db: DatabaseConnection,
    /// Who is asking; their role grants what was asked for.
    pub user: CurrentUser,
    /// Their session, for what a page keeps between requests.
    pub session: Session,
}

/// The database, the session and the signed-in staff member whose role grants `role` (else 401
/// `NotSignedIn` or 403 `Forbidden`). Call it inside the block whose result goes to [`reply`],
/// so a refusal gets its status, or its redirect for a plain form post.
pub async fn staff(role: Role) -> Result<Staff, AppError> {
    let db = db()?;
    let session = session().await?;
    let user = crate::web::session::require(&db, &session, role).await?;
    Ok(Staff { db, user, session })
}

/// The same for any signed-in staff member, whatever their role (else 401 `NotSignedIn`).
///
/// No role stands for "any staff": `Role::grants` lets only administrators act for another
/// role, so `staff(Role::Analyst)` would refuse designers.
pub async fn signed_in_staff() -> Result<Staff, AppError> {
    let db = db()?;
    let session = session().await?;
    let user = crate::web::session::current_user(&db, &session).await?.ok_or(AppError::NotSignedIn)?;
    Ok(Staff { db, user, session })
}

/// What per-address limits count the client by (its address, read through the city's trusted
/// proxies; an IPv6 client's /64), as text for the sign-in throttle.
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().copied())
        .map_or_else(|| "unknown".to_owned(), |client| client.limit_key().to_string())
}

/// The address people reach this Canvass at (`--public-url`): every link handed out starts
/// with it, never with what a request's `Host` header says.
pub fn public_url() -> Result<String, AppError> {
    use_context::<AppState>().map(|state| state.public_url).ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// Whether the request is a plain HTML form post (no JavaScript): browsers send `Accept:
/// text/html` for those, while the server-function client asks for JSON.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    })
}

/// Sends the browser to `path` after a success (a real redirect without JavaScript, a
/// client-side navigation with it).
pub fn go_to(path: &str) {
    leptos_axum::redirect(path);
}

/// Finishes a server function that a form calls.
///
/// On error, the response gets the error's HTTP status (and `Retry-After` when waiting helps); and for a plain form post it redirects
/// back to `form_path` with `?error=KEY` plus the non-secret values in `keep`, so the page can
/// show the message and the person's typing is not lost.
pub fn reply<T>(result: Result<T, AppError>, form_path: &str, keep: &[(&str, &str)]) -> Result<T, AppError> {
    if let Err(error) = &result {
        if is_plain_form_post() {
            let mut params = vec![("error", error.key())];
            params.extend_from_slice(keep);
            go_to(&with_query(form_path, &params));
        } else if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(
                http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let Some(secs) = error.retry_after_secs() {
                response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
            }
        }
    }
    result
}

/// Leaves `value` for the one page of `cookie` (a form posted without JavaScript; see
/// `web::shown_once`).
pub fn keep_shown_once<T: serde::Serialize>(cookie: crate::web::shown_once::ShownOnce, value: &T) {
    let secure = use_context::<AppState>().map_or(crate::web::cookies::Secure(false), |state| state.secure_cookies());
    if let Some(response) = use_context::<ResponseOptions>()
        && let Some(set_cookie) = cookie.keep(value, secure)
        && let Ok(header) = http::HeaderValue::from_str(&set_cookie)
    {
        response.append_header(http::header::SET_COOKIE, header);
    }
}

/// What the request's `cookie` carries, if anything, clearing the cookie (shown once).
pub fn take_shown_once<T: serde::de::DeserializeOwned>(cookie: crate::web::shown_once::ShownOnce) -> Option<T> {
    let value = use_context::<http::request::Parts>().and_then(|parts| cookie.read(&parts.headers))?;
    let secure = use_context::<AppState>().map_or(crate::web::cookies::Secure(false), |state| state.secure_cookies());
    if let Some(response) = use_context::<ResponseOptions>()
        && let Ok(header) = http::HeaderValue::from_str(&cookie.clear(secure))
    {
        response.append_header(http::header::SET_COOKIE, header);
    }
    Some(value)
}

/// Sets the status of the page being rendered (server-side rendering of an error page).
pub fn set_page_status(status: u16) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
}

/// What the resident's browser says about itself: its cookies for this survey and its languages.
/// An unknown survey gets a visitor with no cookies of its own (its page is a 404 anyway).
pub async fn visitor(
    db: &DatabaseConnection,
    public_key: &str,
    chosen_language: Option<&str>,
) -> Result<crate::services::responses::Visitor, AppError> {
    let survey_id = match crate::services::responses::find_survey(db, public_key).await {
        Ok(survey) => survey.row.id,
        Err(AppError::NotFound) => 0,
        Err(e) => return Err(e),
    };
    Ok(use_context::<http::request::Parts>().map_or_else(Default::default, |parts| {
        crate::web::cookies::visitor(&parts.headers, survey_id, chosen_language)
    }))
}

/// Remembers the resident's language choice for a year.
pub fn remember_language(language: &str) {
    let secure = use_context::<AppState>().map_or(crate::web::cookies::Secure(false), |state| state.secure_cookies());
    if let Some(response) = use_context::<ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&crate::web::cookies::language_cookie(language, secure))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

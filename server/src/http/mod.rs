//! The HTTP surface: Leptos pages and server functions, static files, health check, sessions.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use axum::{Json, Router};
use canvass_app::app::{App, shell};
use canvass_app::db::session_store::DatabaseSessionStore;
use canvass_app::state::AppState;
use canvass_app::web::security_headers::CspNonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use sea_orm::DatabaseConnection;
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

mod api;
mod files;
mod invites;
pub mod openapi;
mod protection;
mod resident;
mod results;
mod share;
mod static_files;

/// The largest page of answers a resident's form may post: far above any real page (a page of
/// twelve questions with a long comment is a few kilobytes), far below what would let a script
/// fill the database with each post. Larger posts get 413.
pub const RESIDENT_FORM_LIMIT: usize = 64 * 1024;
/// The largest whole response the JSON API takes.
pub const API_RESPONSE_LIMIT: usize = 256 * 1024;

/// Staff sessions end after this long without activity (and, whatever the activity,
/// `canvass_app::db::session_store::SESSION_LIFETIME` after they began).
pub const SESSION_IDLE_LIMIT: time::Duration = time::Duration::hours(8);

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    // Generated once per process: generating the route list sets a process-wide flag that
    // suspends every resource first polled meanwhile (leptos-rs/leptos#4773), so a page being
    // rendered while a second router is built (the integration tests build one per test) would
    // never finish.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let secure_cookies = state.is_https();
    let sessions = SessionManagerLayer::new(DatabaseSessionStore::new(state.db.clone()))
        .with_name("canvass_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure_cookies)
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE_LIMIT));

    let context_state = state.clone();
    let context = move || {
        provide_context(context_state.clone());
        // The nonce of this response's Content-Security-Policy (`protection::security_headers`),
        // so that Leptos's inline scripts carry it.
        if let Some(nonce) =
            use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
        {
            provide_context(leptos::nonce::Nonce::from_value(nonce.as_str()));
        }
    };
    let server_fn_context = context.clone();
    let shell_options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(healthz))
        .route("/privacy", get(privacy))
        .route("/s/{public_key}/{file}", get(share::survey_qr))
        .route("/s/{public_key}", post(resident::post_page).layer(DefaultBodyLimit::max(RESIDENT_FORM_LIMIT)))
        .route("/s/{public_key}/resume/{token}", post(resident::take_over_resume_link))
        .route("/s/{public_key}/invite", post(resident::post_invite))
        .route("/s/{public_key}/invite/{code}", get(resident::invite_link))
        // Every `/api/v1` route, with its OpenAPI description (`openapi.rs`).
        .merge(openapi::api_routes())
        .route("/s/{public_key}/results/map.svg", get(results::public_map))
        .route("/s/{public_key}/results/{file}", get(results::public_file))
        .route("/api/v1/{*rest}", any(api_not_found))
        .route("/surveys/{id}/invites.csv", get(invites::invite_csv))
        .route(
            "/api/{*fn_name}",
            get({
                let c = server_fn_context.clone();
                move |req| handle_server_fns_with_context(c.clone(), req)
            })
            .post({
                let c = server_fn_context.clone();
                move |req| handle_server_fns_with_context(c.clone(), req)
            }),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(shell_options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(sessions)
        .layer(axum::middleware::from_fn(protection::refuse_impossible_survey_keys))
        .layer(from_fn_with_state(state.clone(), protection::refuse_cross_site))
        .layer(axum::middleware::from_fn(static_files::cache_named_files))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(internal_error_response))
        .layer(from_fn_with_state(state.clone(), protection::security_headers))
        .layer(from_fn_with_state(state.clone(), protection::client_address))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The request log's span: the method and the address with its secrets redacted
/// (`telemetry::redact_path`) — never the raw URI, which can hold an invite code, a resume token
/// or an e-mail address, and never the headers (cookies).
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let address =
        request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %crate::telemetry::redact_path(&address),
        version = ?request.version(),
    )
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise. For load balancers.
/// `GET /privacy`: what Canvass publishes and how it protects respondents (docs/PRIVACY.md),
/// linked from every public results page.
async fn privacy() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], include_str!("../../../docs/PRIVACY.md"))
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database = match tokio::time::timeout(Duration::from_secs(3), state.db.ping()).await {
        Ok(Ok(())) => "ok",
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database did not answer");
            "error"
        }
        Err(_) => "timeout",
    };
    let writer = state.responses.health();
    let healthy = database == "ok" && writer == canvass_app::services::responses::writer::WriterHealth::Ok;
    let (status, word) =
        if healthy { (StatusCode::OK, "ok") } else { (StatusCode::SERVICE_UNAVAILABLE, "unavailable") };
    let body = json!({
        "status": word,
        "database": database,
        "response_writer": writer.as_str(),
        "response_writer_restarts": state.responses.restarts(),
    });
    (status, Json(body))
}

/// An `/api/v1` address that is not one of the API's: the API's one error body, not a page.
async fn api_not_found() -> canvass_app::error::AppError {
    canvass_app::error::AppError::NotFound
}

/// What a request that panicked gets: a plain 500 page; the panic is logged, never shown.
fn internal_error_response(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "request handler panicked");
    plain_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        &canvass_app::error::AppError::Internal.to_string(),
    )
}

/// A minimal page for what is answered before (or instead of) the application's own pages: a
/// panic, a refused cross-site request, a survey address that names no survey.
pub(crate) fn plain_page(status: StatusCode, title: &str, message: &str) -> axum::response::Response {
    use canvass_app::domain::svg::escape;
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title} · Canvass</title></head><body><main><h1>{title}</h1><p>{message}</p>\
         <p><a href=\"/\">Go to the home page</a></p></main></body></html>",
        title = escape(title),
        message = escape(message),
    );
    (status, axum::response::Html(page)).into_response()
}

/// Every ten minutes, for as long as the server runs: deletes expired sessions, old login
/// attempts and responses abandoned in progress for longer than they can be resumed, and lets the
/// open-link limit forget idle addresses.
pub fn spawn_housekeeping(db: DatabaseConnection, limits: Vec<canvass_app::state::AddressLimit>) {
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        let store = DatabaseSessionStore::new(db.clone());
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
            if let Err(e) = canvass_app::db::login_attempts::prune(&db).await {
                tracing::warn!(error = %e, "could not prune old login attempts");
            }
            let abandoned =
                time::OffsetDateTime::now_utc() - time::Duration::days(canvass_app::services::responses::RESUME_DAYS);
            if let Err(e) = canvass_app::db::responses::prune_abandoned(&db, abandoned).await {
                tracing::warn!(error = %e, "could not delete abandoned responses in progress");
            }
            for limit in &limits {
                limit.forget_idle();
            }
        }
    });
}

//! What every request passes through before its handler (docs/SECURITY.md): who the client is
//! (read through the city's trusted proxies), the refusal of cross-site requests that would
//! change something, and the security headers with this response's script nonce.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canvass_app::db::survey_cache;
use canvass_app::domain::access::is_public_key;
use canvass_app::domain::survey::SurveyKind;
use canvass_app::error::AppError;
use canvass_app::state::AppState;
use canvass_app::web::client_address::ClientAddress;
use canvass_app::web::cross_site;
use canvass_app::web::security_headers::{self, CspNonce, Framing};

/// Puts the request's [`ClientAddress`] in its extensions, for handlers and server functions.
pub async fn client_address(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |ConnectInfo(peer)| peer.ip());
    let client = ClientAddress::of_request(peer, request.headers(), &state.trusted_proxies);
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// Refuses (403 `cross_site_request`) a request that would change something and comes from a
/// page of another website (`web::cross_site`).
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !cross_site::is_refused(request.method(), request.headers(), &state.allowed_origins) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    tracing::warn!(method = %request.method(), path = %crate::telemetry::redact_path(path), "refused a cross-site request");
    let error = AppError::CrossSite;
    if path.starts_with("/api/") {
        return error.into_response();
    }
    super::plain_page(StatusCode::FORBIDDEN, "Not sent", &error.to_string())
}

/// Answers 404 for a survey address (`/s/{key}…`) whose key cannot be a key, before any
/// handler looks it up or sets a cookie named after it.
pub async fn refuse_impossible_survey_keys(request: Request, next: Next) -> Response {
    if let Some(rest) = request.uri().path().strip_prefix("/s/") {
        let key = rest.split('/').next().unwrap_or_default();
        if !is_public_key(key) {
            return super::plain_page(StatusCode::NOT_FOUND, "Not found", &AppError::NotFound.to_string());
        }
    }
    next.run(request).await
}

/// Adds the security headers (`web::security_headers`) to every response, with a fresh nonce
/// that the page's inline scripts carry (the Leptos context reads it from the request).
pub async fn security_headers(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    request.extensions_mut().insert(nonce.clone());
    let framing = framing_of(&state, request.method(), request.uri().clone()).await;
    let mut response = next.run(request).await;
    security_headers::apply(response.headers_mut(), &nonce, framing, state.is_https());
    response
}

/// Only a quick poll's pages asked for in embed mode (`/s/{key}?embed=1`, its thank-you page)
/// may sit in another website's frame.
async fn framing_of(state: &AppState, method: &axum::http::Method, uri: axum::http::Uri) -> Framing {
    let embed = uri.query().is_some_and(|q| q.split('&').any(|pair| pair == "embed=1" || pair == "embed"));
    if !embed || method != axum::http::Method::GET {
        return Framing::Nobody;
    }
    let mut segments = uri.path().trim_start_matches('/').split('/');
    let key = match (segments.next(), segments.next(), segments.next(), segments.next()) {
        (Some("s"), Some(key), None | Some("thanks" | "sorry"), None) => key,
        _ => return Framing::Nobody,
    };
    match survey_cache::by_public_key(&state.db, key).await {
        Ok(Some(survey)) if canvass_app::db::surveys::kind_of(&survey) == SurveyKind::QuickPoll => Framing::AnyWebsite,
        _ => Framing::Nobody,
    }
}

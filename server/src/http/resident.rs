//! Residents' form posts: a page of answers, an invite code, a "continue later" link. Plain
//! HTML forms that post and redirect (303), so they work the same with or without JavaScript;
//! the pages themselves are Leptos routes (`app/src/routes/resident/`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use canvass_app::domain::access::display_code;
use canvass_app::error::AppError;
use canvass_app::services::responses::{self, AfterPost, PagePost, Submitting, new_token};
use canvass_app::state::AppState;
use canvass_app::web::cookies::{self, device_cookie, resume_cookie};
use serde::Deserialize;

/// `POST /s/{public_key}`: one page of answers (or the last page: the whole response).
pub async fn post_page(
    State(state): State<AppState>,
    Path(public_key): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut visitor = cookies::visitor(&headers, &public_key, None);
    // Every browser that posts gets a device token, so "one response per device" holds.
    let new_device = visitor.device_token.is_none().then(new_token);
    if let Some(token) = &new_device {
        visitor.device_token = Some(token.clone());
        visitor.device_is_new = true;
    }
    let submitting =
        Submitting { db: &state.db, writer: &state.responses, limit: &state.open_link_limit, address: peer.ip() };
    let post = PagePost::parse(form);
    let embed = post.embed;
    let outcome = responses::post_page(&submitting, &public_key, &visitor, post).await;
    let mut response = match outcome {
        Ok(AfterPost::Page { page, check, language, resume_token }) => {
            let mut response =
                Redirect::to(&page_path(&public_key, page, check, embed, language.as_deref())).into_response();
            if let Some(token) = resume_token {
                set_cookie(&mut response, &resume_cookie(&public_key, Some(&token)));
            }
            response
        }
        Ok(AfterPost::Thanks { receipt }) => {
            let mut response = Redirect::to(&thanks_path(&public_key, &receipt, embed)).into_response();
            set_cookie(&mut response, &resume_cookie(&public_key, None));
            response
        }
        Ok(AfterPost::Refused(refusal)) => {
            Redirect::to(&format!("/s/{public_key}/sorry?reason={}", refusal.key())).into_response()
        }
        Err(AppError::NotFound) => Redirect::to(&format!("/s/{public_key}")).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, key = e.key(), "a resident's page could not be saved");
            (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.to_string())
                .into_response()
        }
    };
    if let Some(token) = new_device {
        set_cookie(&mut response, &device_cookie(&token));
    }
    response
}

/// The address of a survey page: with its problems shown (`check`, scrolled to them), inside a
/// city website's frame (`embed`), in the language the resident switched to.
fn page_path(public_key: &str, page: usize, check: bool, embed: bool, language: Option<&str>) -> String {
    let mut path = format!("/s/{public_key}?page={page}");
    if check {
        path.push_str("&check=1");
    }
    if embed {
        path.push_str("&embed=1");
    }
    if let Some(language) = language {
        path.push_str(&format!("&lang={language}"));
    }
    if check { format!("{path}#problems") } else { path }
}

/// The thank-you address for a receipt.
fn thanks_path(public_key: &str, receipt: &str, embed: bool) -> String {
    let embed = if embed { "&embed=1" } else { "" };
    format!("/s/{public_key}/thanks?receipt={}{embed}", display_code(receipt))
}

/// `GET /s/{public_key}/resume/{token}`: the "continue later" link, on any device.
pub async fn resume(Path((public_key, token)): Path<(String, String)>) -> Response {
    let mut response = Redirect::to(&format!("/s/{public_key}")).into_response();
    if token.len() <= 64 && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        set_cookie(&mut response, &resume_cookie(&public_key, Some(&token)));
    }
    response
}

/// The invite code form.
#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    code: String,
}

/// `POST /s/{public_key}/invite`: the code typed from the letter.
pub async fn post_invite(
    State(state): State<AppState>,
    Path(public_key): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<InviteForm>,
) -> Response {
    start_invited(&state, &public_key, &form.code, peer).await
}

/// `GET /s/{public_key}/invite/{code}`: the link (or QR code) printed on the letter.
pub async fn invite_link(
    State(state): State<AppState>,
    Path((public_key, code)): Path<(String, String)>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> Response {
    start_invited(&state, &public_key, &code, peer).await
}

async fn start_invited(state: &AppState, public_key: &str, code: &str, peer: SocketAddr) -> Response {
    if !state.invite_code_limit.allows(peer.ip()) {
        return Redirect::to(&format!("/s/{public_key}/sorry?reason=too_many_code_tries")).into_response();
    }
    match responses::start_with_invite(&state.db, public_key, code).await {
        Ok(token) => {
            let mut response = Redirect::to(&format!("/s/{public_key}")).into_response();
            set_cookie(&mut response, &resume_cookie(public_key, Some(&token)));
            response
        }
        Err(AppError::NotFound) => Redirect::to(&format!("/s/{public_key}")).into_response(),
        Err(e) => Redirect::to(&format!("/s/{public_key}?invite_error={}", e.key())).into_response(),
    }
}

fn set_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

//! Residents' form posts: a page of answers, an invite code, taking over a "continue later"
//! link. Plain HTML forms that post and redirect (303), so they work the same with or without
//! JavaScript; the pages themselves are Leptos routes (`app/src/routes/resident/`).
//!
//! The survey is looked up before anything else: an unknown key gets a 404 and no cookie, and
//! cookies are named by the survey's number, never by the key in the address.

use axum::extract::{Extension, Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use canvass_app::domain::access::display_code;
use canvass_app::error::AppError;
use canvass_app::services::responses::{self, AfterPost, PagePost, ResidentSurvey, Submitting, new_token};
use canvass_app::state::AppState;
use canvass_app::web::client_address::ClientAddress;
use canvass_app::web::cookies::{self, device_cookie, resume_cookie};
use serde::Deserialize;

use super::plain_page;

/// `POST /s/{public_key}`: one page of answers (or the last page: the whole response).
pub async fn post_page(
    State(state): State<AppState>,
    Path(public_key): Path<String>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let survey = match find_survey(&state, &public_key).await {
        Ok(survey) => survey,
        Err(response) => return response,
    };
    let survey_id = survey.row.id;
    let mut visitor = cookies::visitor(&headers, survey_id, None);
    // Every browser that posts gets a device token, so "one response per device" holds.
    let new_device = visitor.device_token.is_none().then(new_token);
    if let Some(token) = &new_device {
        visitor.device_token = Some(token.clone());
        visitor.device_is_new = true;
    }
    let submitting = Submitting {
        db: &state.db,
        writer: &state.responses,
        limit: &state.open_link_limit,
        invite_code_limit: &state.invite_code_limit,
        progress_limit: &state.progress_limit,
        address: client.limit_key(),
    };
    let post = PagePost::parse(form);
    let embed = post.embed;
    let secure = state.secure_cookies();
    let outcome = responses::post_page(&submitting, &public_key, &visitor, post).await;
    let mut response = match outcome {
        Ok(AfterPost::Page { page, check, language, resume_token, map, later }) => {
            let mut path = page_path(&public_key, page, check, embed, language.as_deref(), map.as_deref());
            if later {
                path = path.split('#').next().unwrap_or_default().to_owned() + "&later=1#continue-later";
            }
            let mut response = Redirect::to(&path).into_response();
            if let Some(token) = resume_token {
                set_cookie(&mut response, &resume_cookie(survey_id, Some(&token), secure));
            }
            response
        }
        Ok(AfterPost::Thanks { receipt }) => {
            let mut response = Redirect::to(&thanks_path(&public_key, &receipt, embed)).into_response();
            set_cookie(&mut response, &resume_cookie(survey_id, None, secure));
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
        set_cookie(&mut response, &device_cookie(&token, secure));
    }
    if headers.contains_key(SENT_BY_SCRIPT) { for_the_script(response) } else { response }
}

/// The header the residents' script (`public/resident.js`) sends with a page it posts itself.
pub const SENT_BY_SCRIPT: &str = "x-canvass-script";

/// A redirect as the residents' script wants it: `200` with `{"location": …}` (and the same
/// cookies), so that the browser loads the next page once instead of the script's `fetch`
/// loading it first only to throw it away.
fn for_the_script(response: Response) -> Response {
    let Some(location) =
        response.status().is_redirection().then(|| response.headers().get(header::LOCATION).cloned()).flatten()
    else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.status = StatusCode::OK;
    parts.headers.remove(header::LOCATION);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let body = serde_json::json!({ "location": location.to_str().unwrap_or("/") }).to_string();
    Response::from_parts(parts, body.into())
}

/// The survey behind the address, or the reply for an address that names none.
async fn find_survey(state: &AppState, public_key: &str) -> Result<ResidentSurvey, Response> {
    match responses::find_survey(&state.db, public_key).await {
        Ok(survey) => Ok(survey),
        Err(AppError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into_response()),
    }
}

fn not_found() -> Response {
    plain_page(StatusCode::NOT_FOUND, "Not found", &AppError::NotFound.to_string())
}

/// The address of a survey page: with its problems shown (`check`, scrolled to them), inside a
/// city website's frame (`embed`), in the language the resident switched to, with the map of an
/// area question drawn (`map`, scrolled to that question).
fn page_path(
    public_key: &str,
    page: usize,
    check: bool,
    embed: bool,
    language: Option<&str>,
    map: Option<&str>,
) -> String {
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
    if map.is_some() {
        path.push_str("&map=1");
    }
    match (check, map) {
        (true, _) => format!("{path}#problems"),
        (false, Some(question)) => format!("{path}#question-{question}"),
        (false, None) => path,
    }
}

/// The thank-you address for a receipt.
fn thanks_path(public_key: &str, receipt: &str, embed: bool) -> String {
    let embed = if embed { "&embed=1" } else { "" };
    format!("/s/{public_key}/thanks?receipt={}{embed}", display_code(receipt))
}

/// `POST /s/{public_key}/resume/{token}`: the resident confirmed, on the page the "continue
/// later" link opens (`GET`, a Leptos page), that they want to continue the response they
/// started. This browser gets a new token and the link's token ends; a link that no longer
/// opens anything goes back to that page, which says so.
pub async fn take_over_resume_link(
    State(state): State<AppState>,
    Path((public_key, token)): Path<(String, String)>,
) -> Response {
    let survey = match find_survey(&state, &public_key).await {
        Ok(survey) => survey,
        Err(response) => return response,
    };
    if token.len() > 64 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return not_found();
    }
    match responses::take_over_resume_link(&state.db, &survey, &token).await {
        Ok(Some(fresh)) => {
            let mut response = Redirect::to(&format!("/s/{public_key}")).into_response();
            set_cookie(&mut response, &resume_cookie(survey.row.id, Some(&fresh), state.secure_cookies()));
            response
        }
        Ok(None) => Redirect::to(&format!("/s/{public_key}/resume/{token}")).into_response(),
        Err(e) => e.into_response(),
    }
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
    Extension(client): Extension<ClientAddress>,
    Form(form): Form<InviteForm>,
) -> Response {
    start_invited(&state, &public_key, &form.code, client).await
}

/// `GET /s/{public_key}/invite/{code}`: the link (or QR code) printed on the letter.
pub async fn invite_link(
    State(state): State<AppState>,
    Path((public_key, code)): Path<(String, String)>,
    Extension(client): Extension<ClientAddress>,
) -> Response {
    start_invited(&state, &public_key, &code, client).await
}

async fn start_invited(state: &AppState, public_key: &str, code: &str, client: ClientAddress) -> Response {
    let survey = match find_survey(state, public_key).await {
        Ok(survey) => survey,
        Err(response) => return response,
    };
    if !state.invite_code_limit.allows(client.limit_key()) {
        return Redirect::to(&format!("/s/{public_key}/sorry?reason=too_many_code_tries")).into_response();
    }
    match responses::start_with_invite(&state.db, public_key, code).await {
        Ok(token) => {
            let mut response = Redirect::to(&format!("/s/{public_key}")).into_response();
            set_cookie(&mut response, &resume_cookie(survey.row.id, Some(&token), state.secure_cookies()));
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

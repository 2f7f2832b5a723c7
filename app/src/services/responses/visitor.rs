//! What a resident's browser carries: the language, device and resume cookies, and
//! `Accept-Language`.

use super::*;

/// The cookie that remembers the resident's language.
pub const LANGUAGE_COOKIE: &str = "canvass_lang";
/// The cookie that tells this browser's responses apart (stored hashed with each response).
pub const DEVICE_COOKIE: &str = "canvass_device";

/// The cookie holding the resume token of one survey's response in progress.
pub fn resume_cookie_name(public_key: &str) -> String {
    format!("canvass_resume_{public_key}")
}

/// A year, in seconds: how long language and device cookies last.
const YEAR_SECONDS: i64 = 365 * 24 * 3600;
/// How long a response in progress can be resumed (and its cookie kept).
pub const RESUME_DAYS: i64 = 30;

fn cookie_header(name: &str, value: &str, max_age_seconds: i64, http_only: bool) -> String {
    use tower_sessions::cookie::{Cookie, SameSite, time::Duration};
    Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(max_age_seconds))
        .build()
        .to_string()
}

/// `Set-Cookie` for the language choice.
pub fn language_cookie(language: &str) -> String {
    let safe: String = language.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(16).collect();
    cookie_header(LANGUAGE_COOKIE, &safe, YEAR_SECONDS, false)
}

/// `Set-Cookie` for a device token.
pub fn device_cookie(token: &str) -> String {
    cookie_header(DEVICE_COOKIE, token, YEAR_SECONDS, true)
}

/// `Set-Cookie` for a resume token; `None` clears it (the response was submitted).
pub fn resume_cookie(public_key: &str, token: Option<&str>) -> String {
    match token {
        Some(token) => cookie_header(&resume_cookie_name(public_key), token, RESUME_DAYS * 24 * 3600, true),
        None => cookie_header(&resume_cookie_name(public_key), "", 0, true),
    }
}

impl Visitor {
    /// Reads the cookies and `Accept-Language` of a request.
    pub fn from_headers(headers: &http::HeaderMap, public_key: &str, chosen_language: Option<&str>) -> Self {
        use tower_sessions::cookie::Cookie;
        let resume = resume_cookie_name(public_key);
        let mut visitor = Visitor {
            chosen_language: chosen_language.map(str::to_owned),
            accept_language: headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(256).collect()),
            ..Visitor::default()
        };
        for header in headers.get_all(http::header::COOKIE) {
            let Ok(header) = header.to_str() else { continue };
            for cookie in Cookie::split_parse(header).filter_map(Result::ok) {
                let value = Some(cookie.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 64);
                match cookie.name() {
                    LANGUAGE_COOKIE if visitor.chosen_language.is_none() => visitor.chosen_language = value,
                    DEVICE_COOKIE => visitor.device_token = value,
                    name if name == resume => visitor.resume_token = value,
                    _ => {}
                }
            }
        }
        visitor
    }
}

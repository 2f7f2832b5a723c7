//! What a resident's browser carries — the language, device and resume cookies, and
//! `Accept-Language` — read into a [`Visitor`], and the `Set-Cookie` values that keep them.

use crate::services::responses::{RESUME_DAYS, Visitor};

/// The cookie that remembers the resident's language.
pub const LANGUAGE_COOKIE: &str = "canvass_lang";
/// The cookie that tells this browser's responses apart (stored hashed with each response).
pub const DEVICE_COOKIE: &str = "canvass_device";

/// The cookie holding the resume token of one survey's response in progress. Named by the
/// survey's number, never by anything from the address (a crafted key could add cookie
/// attributes).
pub fn resume_cookie_name(survey_id: i64) -> String {
    format!("canvass_resume_{survey_id}")
}

/// A year, in seconds: how long language and device cookies last.
const YEAR_SECONDS: i64 = 365 * 24 * 3600;

/// Whether browsers reach Canvass over HTTPS, so its cookies are sent only over HTTPS
/// (`AppState::is_https`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Secure(pub bool);

fn cookie_header(name: &str, value: &str, max_age_seconds: i64, http_only: bool, secure: Secure) -> String {
    use tower_sessions::cookie::{Cookie, SameSite, time::Duration};
    Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(http_only)
        .secure(secure.0)
        .same_site(SameSite::Lax)
        .max_age(Duration::seconds(max_age_seconds))
        .build()
        .to_string()
}

/// `Set-Cookie` for the language choice.
pub fn language_cookie(language: &str, secure: Secure) -> String {
    let safe: String = language.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(16).collect();
    cookie_header(LANGUAGE_COOKIE, &safe, YEAR_SECONDS, false, secure)
}

/// `Set-Cookie` for a device token.
pub fn device_cookie(token: &str, secure: Secure) -> String {
    cookie_header(DEVICE_COOKIE, token, YEAR_SECONDS, true, secure)
}

/// `Set-Cookie` for a resume token; `None` clears it (the response was submitted).
pub fn resume_cookie(survey_id: i64, token: Option<&str>, secure: Secure) -> String {
    match token {
        Some(token) => cookie_header(&resume_cookie_name(survey_id), token, RESUME_DAYS * 24 * 3600, true, secure),
        None => cookie_header(&resume_cookie_name(survey_id), "", 0, true, secure),
    }
}

/// Reads the cookies and `Accept-Language` of a request into what the survey pages need.
pub fn visitor(headers: &http::HeaderMap, survey_id: i64, chosen_language: Option<&str>) -> Visitor {
    use tower_sessions::cookie::Cookie;
    let resume = resume_cookie_name(survey_id);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::test_headers as headers;

    #[test]
    fn a_visitor_is_read_from_this_surveys_cookies_only() {
        let v = visitor(
            &headers(&[
                ("cookie", "canvass_lang=es; canvass_device=dev123; canvass_resume_7=tok1"),
                ("cookie", "canvass_resume_71=tok2"),
                ("accept-language", "fr-CA,fr;q=0.9"),
            ]),
            7,
            None,
        );
        assert_eq!(v.chosen_language.as_deref(), Some("es"));
        assert_eq!(v.device_token.as_deref(), Some("dev123"));
        assert_eq!(v.resume_token.as_deref(), Some("tok1"));
        assert_eq!(v.accept_language.as_deref(), Some("fr-CA,fr;q=0.9"));
    }

    #[test]
    fn a_language_chosen_in_the_address_beats_the_cookie_and_overlong_values_are_dropped() {
        let long = "x".repeat(65);
        let v = visitor(&headers(&[("cookie", &format!("canvass_lang=es; canvass_device={long}"))]), 7, Some("en"));
        assert_eq!(v.chosen_language.as_deref(), Some("en"));
        assert_eq!(v.device_token, None);
    }

    #[test]
    fn a_submitted_response_clears_its_resume_cookie() {
        let cleared = resume_cookie(7, None, Secure(false));
        assert!(cleared.starts_with("canvass_resume_7=;"), "{cleared}");
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        assert!(resume_cookie(7, Some("t"), Secure(false)).contains("HttpOnly"));
    }

    #[test]
    fn residents_cookies_are_secure_when_canvass_is_reached_over_https() {
        assert!(device_cookie("d", Secure(true)).contains("Secure"));
        assert!(resume_cookie(7, Some("t"), Secure(true)).contains("Secure"));
        assert!(language_cookie("es", Secure(true)).contains("Secure"));
        assert!(!device_cookie("d", Secure(false)).contains("Secure"));
    }

    #[test]
    fn the_language_cookie_keeps_only_a_language_tag() {
        assert!(language_cookie("es\r\nSet-Cookie: x=1", Secure(false)).starts_with("canvass_lang=esSet-Cookiex1;"));
    }
}

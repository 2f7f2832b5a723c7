//! How a fresh invite link reaches the staff page after an invite form posted *without*
//! JavaScript: in a cookie of its own, for five minutes, read once by the page that shows it.
//!
//! With JavaScript the link is simply the invite server function's answer. Without it the form
//! post must end in a redirect, and the link must not travel in the address (request logs,
//! browser history) nor wait in the administrator's session (a copy of the database would hold
//! a working link). So it waits in the administrator's own browser: `HttpOnly`,
//! `SameSite=Strict`, sent only to `/admin/users`, cleared by the page that shows it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::models::Invitation;
use crate::web::cookies::Secure;

/// The cookie's name.
pub const NAME: &str = "canvass_invitation";
/// The only page the cookie is sent to.
const PATH: &str = "/admin/users";
/// How long the link waits to be shown.
const MAX_AGE_SECONDS: i64 = 5 * 60;

fn header(value: &str, max_age_seconds: i64, secure: Secure) -> String {
    use tower_sessions::cookie::{Cookie, SameSite, time::Duration};
    Cookie::build((NAME, value.to_owned()))
        .path(PATH)
        .http_only(true)
        .secure(secure.0)
        .same_site(SameSite::Strict)
        .max_age(Duration::seconds(max_age_seconds))
        .build()
        .to_string()
}

/// `Set-Cookie` holding `invitation` until the staff page shows it.
pub fn keep(invitation: &Invitation, secure: Secure) -> Option<String> {
    let json = serde_json::to_vec(invitation).ok()?;
    Some(header(&URL_SAFE_NO_PAD.encode(json), MAX_AGE_SECONDS, secure))
}

/// `Set-Cookie` that removes it (once shown).
pub fn clear(secure: Secure) -> String {
    header("", 0, secure)
}

/// The invitation a request's cookies carry, if any (anything unreadable is ignored).
pub fn read(headers: &http::HeaderMap) -> Option<Invitation> {
    use tower_sessions::cookie::Cookie;
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == NAME)
        .and_then(|cookie| URL_SAFE_NO_PAD.decode(cookie.value()).ok())
        .and_then(|json| serde_json::from_slice(&json).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn invitation() -> Invitation {
        Invitation {
            email: "dee@city.gov".into(),
            role: Role::Designer,
            invite_url: "https://canvass.city.gov/invite/ABC".into(),
            invite_path: "/invite/ABC".into(),
            expires_at: "Dec 14, 2026".into(),
        }
    }

    #[test]
    fn a_kept_invitation_is_read_back_and_only_sent_to_the_staff_page() {
        let set_cookie = keep(&invitation(), Secure(true)).expect("cookie");
        for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/admin/users", "Max-Age=300"] {
            assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
        }
        let value = set_cookie.split(';').next().expect("name=value");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, format!("other=1; {value}").parse().expect("header"));
        assert_eq!(read(&headers), Some(invitation()));
    }

    #[test]
    fn a_cleared_or_tampered_cookie_shows_nothing() {
        assert!(clear(Secure(false)).contains("Max-Age=0"));
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, format!("{NAME}=not-base64-json!").parse().expect("header"));
        assert_eq!(read(&headers), None);
    }
}

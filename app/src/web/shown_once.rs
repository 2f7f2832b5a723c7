//! How something shown once reaches a staff page after a form posted *without* JavaScript: a
//! fresh invite link (`/admin/users`), a new API token's secret (`/admin/tokens`).
//!
//! With JavaScript it is simply the server function's answer. Without it the form post must end
//! in a redirect, and the secret must not travel in the address (request logs, browser history)
//! nor wait in the administrator's session (a copy of the database would hold a working link or
//! token). So it waits in the administrator's own browser, for five minutes: `HttpOnly`,
//! `SameSite=Strict`, sent only to the one page that shows it, cleared by that page.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::web::cookies::Secure;

/// A cookie that carries one thing to one page, once.
#[derive(Debug, Clone, Copy)]
pub struct ShownOnce {
    /// The cookie's name.
    pub name: &'static str,
    /// The only page the cookie is sent to.
    pub path: &'static str,
}

/// A fresh staff invitation, for the staff page.
pub const INVITATION: ShownOnce = ShownOnce { name: "canvass_invitation", path: "/admin/users" };
/// A new API token and its secret, for the tokens page.
pub const NEW_TOKEN: ShownOnce = ShownOnce { name: "canvass_new_token", path: "/admin/tokens" };

/// How long it waits to be shown.
const MAX_AGE_SECONDS: i64 = 5 * 60;

impl ShownOnce {
    fn header(self, value: &str, max_age_seconds: i64, secure: Secure) -> String {
        use tower_sessions::cookie::{Cookie, SameSite, time::Duration};
        Cookie::build((self.name, value.to_owned()))
            .path(self.path)
            .http_only(true)
            .secure(secure.0)
            .same_site(SameSite::Strict)
            .max_age(Duration::seconds(max_age_seconds))
            .build()
            .to_string()
    }

    /// `Set-Cookie` holding `value` until its page shows it.
    pub fn keep<T: Serialize>(self, value: &T, secure: Secure) -> Option<String> {
        let json = serde_json::to_vec(value).ok()?;
        Some(self.header(&URL_SAFE_NO_PAD.encode(json), MAX_AGE_SECONDS, secure))
    }

    /// `Set-Cookie` that removes it (once shown).
    pub fn clear(self, secure: Secure) -> String {
        self.header("", 0, secure)
    }

    /// What a request's cookies carry, if anything (anything unreadable is ignored).
    pub fn read<T: DeserializeOwned>(self, headers: &http::HeaderMap) -> Option<T> {
        use tower_sessions::cookie::Cookie;
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == self.name)
            .and_then(|cookie| URL_SAFE_NO_PAD.decode(cookie.value()).ok())
            .and_then(|json| serde_json::from_slice(&json).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::models::Invitation;

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
        let set_cookie = INVITATION.keep(&invitation(), Secure(true)).expect("cookie");
        for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/admin/users", "Max-Age=300"] {
            assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
        }
        let value = set_cookie.split(';').next().expect("name=value");
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, format!("other=1; {value}").parse().expect("header"));
        assert_eq!(INVITATION.read(&headers), Some(invitation()));
    }

    #[test]
    fn a_cleared_or_tampered_cookie_shows_nothing() {
        assert!(INVITATION.clear(Secure(false)).contains("Max-Age=0"));
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::COOKIE, format!("{}=not-base64-json!", INVITATION.name).parse().expect("header"));
        assert_eq!(INVITATION.read::<Invitation>(&headers), None);
    }
}

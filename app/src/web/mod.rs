//! The web adapter shared by server functions (`server_fns`) and the server's own handlers
//! (`canvass-server`'s `http`): what a request carries (the staff session, a resident's
//! cookies) and how an error is answered. Services below it know nothing of HTTP.

pub mod client_address;
pub mod cookies;
pub mod cross_site;
mod error_reply;
pub mod security_headers;
pub mod session;
pub mod shown_once;

/// The secret of `Authorization: Bearer <secret>` (an API token), if the request carries one.
pub fn bearer_token(headers: &http::HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty()).then_some(secret)
}

/// Request headers from `(name, value)` pairs, for the web adapter's tests.
#[cfg(test)]
pub(crate) fn test_headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        map.append(http::HeaderName::from_bytes(name.as_bytes()).expect("name"), value.parse().expect("value"));
    }
    map
}

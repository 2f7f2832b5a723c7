//! Cross-site request forgery: a page on another website must not be able to make a signed-in
//! staff member's browser (or a resident's) change anything in Canvass.
//!
//! `SameSite=Lax` cookies alone leave gaps (top-level form posts within two minutes of a cookie
//! being set in some browsers, sibling subdomains count as same-site). So every request that
//! can change something — any method but `GET`, `HEAD` and `OPTIONS` — must show that it comes
//! from a page of Canvass itself: its `Origin` is the public URL's origin, or, from a browser
//! that sends no `Origin`, its `Sec-Fetch-Site` is `same-origin`. Modern browsers send at least
//! one of the two on every such request. A request with neither did not come from a modern
//! browser (a kiosk script, curl): no browser session can be abused through it, so it passes.
//! A request with `Authorization: Bearer` (an API token) passes too: a page on another site
//! cannot add that header without a CORS preflight, which Canvass never grants.

/// The origin (`scheme://host[:port]`) of a URL, in lower case and without a default port, as
/// browsers write it in `Origin`.
pub fn origin_of(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let scheme = scheme.to_ascii_lowercase();
    let authority = authority.to_ascii_lowercase();
    let authority = match scheme.as_str() {
        "https" => authority.strip_suffix(":443").unwrap_or(&authority),
        "http" => authority.strip_suffix(":80").unwrap_or(&authority),
        _ => &authority,
    };
    format!("{scheme}://{authority}")
}

/// Whether a request must be refused as cross-site (see the module doc). `allowed` are
/// origins as [`origin_of`] writes them.
pub fn is_refused(method: &http::Method, headers: &http::HeaderMap, allowed: &[String]) -> bool {
    if matches!(*method, http::Method::GET | http::Method::HEAD | http::Method::OPTIONS) {
        return false;
    }
    if super::bearer_token(headers).is_some() {
        return false;
    }
    if let Some(origin) = headers.get(http::header::ORIGIN) {
        let Ok(origin) = origin.to_str() else { return true };
        // `Origin: null` (sandboxed frames, some redirects) is never ours.
        return origin == "null" || !allowed.contains(&origin_of(origin));
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => !(site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none")),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::web::test_headers as headers;
    use http::Method;

    use super::*;

    fn allowed() -> Vec<String> {
        vec![origin_of("https://canvass.city.gov/")]
    }

    #[test]
    fn origins_are_written_as_browsers_write_them() {
        assert_eq!(origin_of("https://Canvass.City.gov:443/"), "https://canvass.city.gov");
        assert_eq!(origin_of("http://127.0.0.1:3000"), "http://127.0.0.1:3000");
        assert_eq!(origin_of("http://example.org:80/path?q"), "http://example.org");
    }

    #[test]
    fn a_post_from_another_site_is_refused() {
        assert!(is_refused(&Method::POST, &headers(&[("origin", "https://evil.example")]), &allowed()));
        assert!(is_refused(&Method::POST, &headers(&[("origin", "null")]), &allowed()));
        assert!(is_refused(&Method::DELETE, &headers(&[("sec-fetch-site", "cross-site")]), &allowed()));
        // A sibling subdomain is same-site for cookies, but not the same origin.
        assert!(is_refused(&Method::POST, &headers(&[("origin", "https://blog.city.gov")]), &allowed()));
        assert!(is_refused(&Method::POST, &headers(&[("sec-fetch-site", "same-site")]), &allowed()));
    }

    #[test]
    fn a_post_from_canvass_itself_passes() {
        assert!(!is_refused(&Method::POST, &headers(&[("origin", "https://canvass.city.gov")]), &allowed()));
        assert!(!is_refused(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")]), &allowed()));
    }

    #[test]
    fn reads_token_clients_and_non_browsers_pass() {
        assert!(!is_refused(&Method::GET, &headers(&[("origin", "https://evil.example")]), &allowed()));
        let token = [("origin", "https://evil.example"), ("authorization", "Bearer cvt_abc")];
        assert!(!is_refused(&Method::POST, &headers(&token), &allowed()));
        assert!(!is_refused(&Method::POST, &headers(&[]), &allowed()));
        // "Bearer" alone is no token.
        let empty = [("origin", "https://evil.example"), ("authorization", "Bearer ")];
        assert!(is_refused(&Method::POST, &headers(&empty), &allowed()));
    }
}

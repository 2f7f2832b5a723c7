//! How long browsers may keep the site's static files: a year, never asking again, for files
//! named by their content (the bundle `pkg/canvass.<hash>.js|wasm|css` and the residents' script
//! `/resident.js?v=<hash>`), because a new build gives them new names. The files themselves are
//! served by Leptos's file handler, with the brotli and gzip copies `cargo leptos build
//! --release --precompress` wrote beside them.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// `Cache-Control` of a file named by its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Adds [`IMMUTABLE`] to successful answers for files named by their content.
pub async fn cache_named_files(request: Request, next: Next) -> Response {
    let immutable = is_named_by_content(request.uri().path(), request.uri().query());
    let mut response = next.run(request).await;
    if immutable && response.status() == StatusCode::OK {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    response
}

/// Whether the address names a file by its content.
pub fn is_named_by_content(path: &str, query: Option<&str>) -> bool {
    if path == "/resident.js" {
        return query.is_some_and(|q| q.split('&').any(|pair| pair.strip_prefix("v=").is_some_and(is_hash)));
    }
    let Some(name) = path.strip_prefix("/pkg/") else { return false };
    let parts: Vec<&str> = name.split('.').collect();
    matches!(parts.as_slice(), [_, hash, "js" | "wasm" | "css"] if is_hash(hash))
}

fn is_hash(text: &str) -> bool {
    text.len() >= 8 && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_named_by_their_content_are_kept_for_a_year() {
        assert!(is_named_by_content("/pkg/canvass.3fa9c2b1d0e7.js", None));
        assert!(is_named_by_content("/pkg/canvass.3fa9c2b1d0e7.wasm", None));
        assert!(is_named_by_content("/pkg/canvass.Zk_3-a9c2b1.css", None));
        assert!(is_named_by_content("/resident.js", Some("v=0123456789ab")));
        assert!(!is_named_by_content("/pkg/canvass.js", None), "a build without hashes");
        assert!(!is_named_by_content("/pkg/canvass.css", None));
        assert!(!is_named_by_content("/resident.js", None));
        assert!(!is_named_by_content("/resident.js", Some("v=x")));
        assert!(!is_named_by_content("/favicon.svg", None));
        assert!(!is_named_by_content("/s/abc.defghijkl.js", None));
    }
}

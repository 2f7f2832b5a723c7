//! The web adapter shared by server functions (`server_fns`) and the server's own handlers
//! (`canvass-server`'s `http`): what a request carries (the staff session, a resident's
//! cookies) and how an error is answered. Services below it know nothing of HTTP.

pub mod cookies;
mod error_reply;
pub mod session;

/// The address people reach this Canvass at: the configured public URL, else what the request's
/// `Host` header says (fine on a trusted network; set the public URL in production).
pub fn origin(public_url: Option<&str>, headers: &http::HeaderMap) -> String {
    if let Some(url) = public_url {
        return url.to_owned();
    }
    let host = headers.get(http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

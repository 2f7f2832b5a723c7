//! The security headers every response carries, and the per-response nonce that lets the
//! page's own inline scripts (Leptos's hydration and resource scripts) run while any script
//! an attacker manages to inject does not.

use http::{HeaderMap, HeaderValue, header};

/// A fresh random value for one response's `Content-Security-Policy`; the page renders it into
/// its inline scripts (the server provides it to Leptos as its `Nonce`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(String);

impl CspNonce {
    /// 128 random bits, as base64url.
    pub fn new() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        use base64::Engine as _;
        CspNonce(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The nonce as written in the policy and the `nonce` attributes.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for CspNonce {
    fn default() -> Self {
        Self::new()
    }
}

/// Who may show a page inside a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// No one (clickjacking): every page but a quick poll's embed page.
    Nobody,
    /// Any website: a quick poll's embed page, made to sit in a city website's `<iframe>`.
    AnyWebsite,
}

/// The `Content-Security-Policy` of a response. Scripts: only Canvass's own files and inline
/// scripts carrying this response's nonce (no `unsafe-inline`), plus WebAssembly compilation.
/// Styles may be inline (the charts' widths are `style` attributes; the map's SVG has a
/// `<style>`): styles cannot run code.
pub fn content_security_policy(nonce: &CspNonce, framing: Framing) -> String {
    let frame_ancestors = match framing {
        Framing::Nobody => "'none'",
        Framing::AnyWebsite => "*",
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {frame_ancestors}",
        nonce.as_str()
    )
}

/// A year, in seconds: how long browsers remember to use HTTPS only.
const HSTS_SECONDS: u32 = 365 * 24 * 3600;

/// Adds the security headers to a response's headers.
pub fn apply(headers: &mut HeaderMap, nonce: &CspNonce, framing: Framing, https: bool) {
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(nonce, framing)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if framing == Framing::Nobody {
        // For browsers older than `frame-ancestors`.
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if https && let Ok(value) = HeaderValue::from_str(&format!("max-age={HSTS_SECONDS}")) {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_nonce_is_new_and_url_safe() {
        let (a, b) = (CspNonce::new(), CspNonce::new());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 22);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn scripts_need_the_nonce_and_only_poll_embeds_can_be_framed() {
        let nonce = CspNonce::new();
        let page = content_security_policy(&nonce, Framing::Nobody);
        assert!(page.contains(&format!("script-src 'self' 'nonce-{}' 'wasm-unsafe-eval';", nonce.as_str())));
        assert!(!page.contains("script-src 'self' 'unsafe-inline'"));
        assert!(page.ends_with("frame-ancestors 'none'"));
        assert!(content_security_policy(&nonce, Framing::AnyWebsite).ends_with("frame-ancestors *"));
    }

    #[test]
    fn hsts_only_over_https_and_frame_options_only_when_not_framable() {
        let mut plain = HeaderMap::new();
        apply(&mut plain, &CspNonce::new(), Framing::Nobody, false);
        assert!(plain.get(header::STRICT_TRANSPORT_SECURITY).is_none());
        assert_eq!(plain.get(header::X_FRAME_OPTIONS).map(|v| v.as_bytes()), Some(&b"DENY"[..]));
        assert_eq!(plain.get(header::REFERRER_POLICY).map(|v| v.as_bytes()), Some(&b"same-origin"[..]));
        let mut secure = HeaderMap::new();
        apply(&mut secure, &CspNonce::new(), Framing::AnyWebsite, true);
        assert!(secure.get(header::STRICT_TRANSPORT_SECURITY).is_some());
        assert!(secure.get(header::X_FRAME_OPTIONS).is_none());
    }
}

//! Files the server sends for download: CSV, GeoJSON, exports. Never cached: they carry
//! results or codes that change, and some are for staff only.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The content type of every CSV Canvass sends.
pub const CSV: &str = "text/csv; charset=utf-8";

/// A download named `name`.
pub fn attachment(content_type: &str, name: &str, body: impl Into<Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body.into(),
    )
        .into_response()
}

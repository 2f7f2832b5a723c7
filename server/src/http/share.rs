//! QR codes for a survey's public link, as SVG (for print) and PNG (for slides and social posts).
//! Public: the code only encodes the link, which is meant to be shared.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use canvass_app::db::surveys;
use canvass_app::error::AppError;
use canvass_app::state::AppState;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Pixels per QR module in the PNG, and the quiet zone around it in modules.
const PNG_SCALE: usize = 12;
const QUIET_ZONE: usize = 4;

/// `GET /s/{public_key}/qr.svg` and `/s/{public_key}/qr.png`.
pub async fn survey_qr(
    State(state): State<AppState>,
    Path((public_key, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let format = match file.as_str() {
        "qr.svg" => Format::Svg,
        "qr.png" => Format::Png,
        _ => return Err(AppError::NotFound),
    };
    surveys::find_by_public_key(&state.db, &public_key).await?.ok_or(AppError::NotFound)?;
    let link = format!("{}/s/{public_key}", state.public_url);
    // Medium error correction survives a smudged flyer and keeps the code small.
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).map_err(|e| {
        tracing::error!(error = %e, "could not make a QR code of a survey's link");
        AppError::Internal
    })?;
    let filename = format!("canvass-{public_key}-qr");
    Ok(match format {
        Format::Svg => {
            let image = code.render::<svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build();
            download(image.into_bytes(), "image/svg+xml", &format!("{filename}.svg"))
        }
        Format::Png => {
            let bytes = png_of(&code).map_err(|e| {
                tracing::error!(error = %e, "could not encode a QR code as PNG");
                AppError::Internal
            })?;
            download(bytes, "image/png", &format!("{filename}.png"))
        }
    })
}

enum Format {
    Svg,
    Png,
}

fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    let inline = if content_type == "image/svg+xml" { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("{inline}; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// A black-on-white grayscale PNG of the code, with a quiet zone.
fn png_of(code: &QrCode) -> Result<Vec<u8>, png::EncodingError> {
    let modules = code.width();
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
            for y in my * PNG_SCALE..(my + 1) * PNG_SCALE {
                pixels[y * side + mx * PNG_SCALE..y * side + (mx + 1) * PNG_SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(side).unwrap_or(u32::MAX);
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header()?.write_image_data(&pixels)?;
    }
    Ok(out)
}

//! Results for staff and for publishing (docs/ANALYTICS.md, docs/API.md):
//!
//! - `GET /api/v1/surveys/{id}/results` (JSON) and `results.csv`: the full analysis, for
//!   signed-in staff.
//! - `GET /api/v1/surveys/{id}/results/public` (JSON) and `results/public.csv`: the same with
//!   small counts withheld, for a city to publish.
//! - `GET /api/v1/surveys/{id}/results.geojson` and `results/public.geojson`: the areas with
//!   result columns, for GIS; `results/dictionary.csv`: what every column and code means.
//! - `GET /api/v1/surveys/{id}/results/waves`: each question against the earlier waves.
//! - `GET /api/v1/surveys/{id}/results/map.svg` and `GET /s/{public_key}/results/map.svg`: the
//!   dashboard's and the public page's choropleth, as SVG files.
//! - `GET /api/v1/surveys/{id}/responses.csv`: microdata, streamed; free text only for
//!   analysts and administrators.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use canvass_app::domain::Role;
use canvass_app::domain::analytics::request::ResultsRequest;
use canvass_app::error::AppError;
use canvass_app::models::CurrentUser;
use canvass_app::services::auth;
use canvass_app::services::{dashboard, microdata, open_data, public_results, results, results_csv};
use canvass_app::state::AppState;
use futures_util::StreamExt;
use serde_json::json;
use tower_sessions::Session;

type Pairs = Query<Vec<(String, String)>>;

/// What each endpoint sends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Json,
    Csv,
}

/// `GET /api/v1/surveys/{id}/results`.
pub async fn staff_json(state: State<AppState>, path: Path<String>, query: Pairs, session: Session) -> Response {
    answer(state, path, query, session, false, Shape::Json).await
}

/// `GET /api/v1/surveys/{id}/results.csv`.
pub async fn staff_csv(state: State<AppState>, path: Path<String>, query: Pairs, session: Session) -> Response {
    answer(state, path, query, session, false, Shape::Csv).await
}

/// `GET /api/v1/surveys/{id}/results/public`.
pub async fn public_json(state: State<AppState>, path: Path<String>, query: Pairs, session: Session) -> Response {
    answer(state, path, query, session, true, Shape::Json).await
}

/// `GET /api/v1/surveys/{id}/results/public.csv`.
pub async fn public_csv(state: State<AppState>, path: Path<String>, query: Pairs, session: Session) -> Response {
    answer(state, path, query, session, true, Shape::Csv).await
}

/// `GET /api/v1/surveys/{id}/results.geojson`: the areas with every result as a property.
pub async fn staff_geojson(state: State<AppState>, path: Path<String>, query: Pairs, session: Session) -> Response {
    geojson(state, path, query, session, false).await
}

/// `GET /api/v1/surveys/{id}/results/public.geojson`: the same with small counts withheld.
pub async fn public_geojson(state: State<AppState>, path: Path<String>, query: Pairs, session: Session) -> Response {
    geojson(state, path, query, session, true).await
}

async fn geojson(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
    session: Session,
    published: bool,
) -> Response {
    let (id, request, _) = match prepare(&state, &id, &pairs, &session).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let threshold = published.then_some(state.suppression_threshold);
    match open_data::geojson(&state.db, id, request, threshold).await {
        Ok(bytes) => {
            let name = format!("survey-{id}-areas{}.geojson", if published { "-public" } else { "" });
            file("application/geo+json", name, bytes)
        }
        Err(e) => error(&e),
    }
}

/// `GET /api/v1/surveys/{id}/results/dictionary.csv`: what every column and code means.
pub async fn dictionary_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
    session: Session,
) -> Response {
    let (id, _, _) = match prepare(&state, &id, &pairs, &session).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    match open_data::dictionary(&state.db, id).await {
        Ok(bytes) => csv(format!("survey-{id}-data-dictionary.csv"), bytes),
        Err(e) => error(&e),
    }
}

/// `GET /api/v1/surveys/{id}/results/waves`: each question against the survey's earlier waves.
pub async fn waves_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
    session: Session,
) -> Response {
    let (id, request, _) = match prepare(&state, &id, &pairs, &session).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    match results::wave_results(&state.db, id, request).await {
        Ok(r) => Json(r).into_response(),
        Err(e) => error(&e),
    }
}

async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
    session: Session,
    published: bool,
    shape: Shape,
) -> Response {
    let (id, request, _) = match prepare(&state, &id, &pairs, &session).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    if published {
        match results::published_results(&state.db, id, request, state.suppression_threshold).await {
            Ok(r) if shape == Shape::Json => Json(r).into_response(),
            Ok(r) => csv(format!("survey-{id}-results-public.csv"), results_csv::public_csv(&r.report)),
            Err(e) => error(&e),
        }
    } else {
        match results::survey_results(&state.db, id, request).await {
            Ok(r) if shape == Shape::Json => Json(r).into_response(),
            Ok(r) => csv(format!("survey-{id}-results.csv"), results_csv::report_csv(&r.report)),
            Err(e) => error(&e),
        }
    }
}

/// `GET /api/v1/surveys/{id}/responses.csv`, streamed a page at a time.
pub async fn responses_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
    session: Session,
) -> Response {
    let (id, request, user) = match prepare(&state, &id, &pairs, &session).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    // Free text can hold names and telephone numbers: analysts and administrators only.
    let include_text = user.role.grants(Role::Analyst);
    let export = match microdata::start(&state.db, id, &request, include_text).await {
        Ok(export) => export,
        Err(e) => return error(&e),
    };
    let name = export.file_name.clone();
    let header = Bytes::from(export.header());
    let db = state.db.clone();
    let pages = futures_util::stream::unfold(Some(export), move |export| {
        let db = db.clone();
        async move {
            let mut export = export?;
            match export.next_page(&db).await {
                Ok(Some(bytes)) => Some((Ok::<Bytes, std::io::Error>(Bytes::from(bytes)), Some(export))),
                Ok(None) => None,
                // The status line has gone out: a broken file is the only way left to say so.
                Err(_) => Some((Err(std::io::Error::other("the export failed")), None)),
            }
        }
    });
    // Fused: the compression layer polls a finished body once more, which an unfused unfold
    // answers with a panic (a browser asking for br then saw the connection reset).
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(header) }).chain(pages).fuse();
    let body = Body::from_stream(stream);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Who is asking, which survey, and what they ask for.
async fn prepare(
    state: &AppState,
    id: &str,
    pairs: &[(String, String)],
    session: &Session,
) -> Result<(i64, ResultsRequest, CurrentUser), Response> {
    let user = staff(state, session).await?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(error(&AppError::NotFound));
    };
    let request = ResultsRequest::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|p| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": "parameter_invalid", "parameter": p.parameter, "message": p.message })),
        )
            .into_response()
    })?;
    Ok((id, request, user))
}

/// The signed-in member of staff: every staff role reads results; residents and strangers do not.
async fn staff(state: &AppState, session: &Session) -> Result<CurrentUser, Response> {
    match auth::current_user(&state.db, session).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(error(&AppError::NotSignedIn)),
        Err(e) => Err(error(&e)),
    }
}

/// `GET /api/v1/surveys/{id}/results/map.svg`: the dashboard's map, for the dashboard's own
/// parameters (`question`, `map`, `weight`, `channel`, `from`, `to`, `group`).
pub async fn staff_map(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Pairs,
    session: Session,
) -> Response {
    let user = match staff(&state, &session).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<i64>() else { return error(&AppError::NotFound) };
    match dashboard::map_file(&state.db, &user, id, &pairs, state.suppression_threshold).await {
        Ok(svg) => map_svg(svg, "private, max-age=60"),
        Err(e) => error(&e),
    }
}

/// `GET /s/{public_key}/results/map.svg`: the public results page's map (published figures;
/// 404 while the page is switched off).
pub async fn public_map(
    State(state): State<AppState>,
    Path(public_key): Path<String>,
    Query(pairs): Pairs,
) -> Response {
    match public_results::map_file(&state.db, &public_key, &pairs, state.suppression_threshold).await {
        Ok(svg) => map_svg(svg, "public, max-age=60"),
        Err(e) => error(&e),
    }
}

fn map_svg(svg: String, cache: &str) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml".to_owned()), (header::CACHE_CONTROL, cache.to_owned())], svg)
        .into_response()
}

fn csv(name: String, bytes: Vec<u8>) -> Response {
    file("text/csv; charset=utf-8", name, bytes)
}

fn file(content_type: &str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

fn error(e: &AppError) -> Response {
    // A parameter that names something the survey does not have is a bad request like any other.
    let status = match e {
        AppError::Invalid { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    };
    let mut body = json!({ "error": e.key(), "message": e.to_string() });
    if let AppError::Invalid { field, .. } = e {
        body["parameter"] = json!(field);
    }
    (status, Json(body)).into_response()
}

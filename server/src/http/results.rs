//! Results for staff and for publishing (docs/ANALYTICS.md, docs/API.md):
//!
//! - `GET /api/v1/surveys/{id}/results` (JSON) and `results.csv`: the full analysis, for
//!   signed-in staff.
//! - `GET /api/v1/surveys/{id}/results/public` (JSON) and `results/public.csv`: the survey's
//!   latest publication (small counts withheld, audited), for a city to post.
//! - `GET /s/{public_key}/results/data.json`, `data.csv`, `areas.geojson`: the same publication
//!   for anyone, while the public page is on.
//! - `GET /api/v1/surveys/{id}/results.geojson` and `results/public.geojson`: the areas with
//!   result columns, for GIS; `results/dictionary.csv`: what every column and code means.
//! - `GET /api/v1/surveys/{id}/results/waves`: each question against the earlier waves.
//! - `GET /api/v1/surveys/{id}/results/map.svg` and `GET /s/{public_key}/results/map.svg`: the
//!   dashboard's and the public page's choropleth, as SVG files.
//! - `GET /api/v1/surveys/{id}/responses.csv`: microdata, streamed; free text only for
//!   analysts and administrators.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use canvass_app::domain::Role;
use canvass_app::domain::analytics::request::ResultsRequest;
use canvass_app::domain::api_token::TokenAction;
use canvass_app::error::AppError;
use canvass_app::models::CurrentUser;
use canvass_app::services::api_tokens::{self, TokenGrant};
use canvass_app::services::results::export::{csv as results_csv, microdata, open_data};
use canvass_app::services::results::{self, dashboard, public as public_results};
use canvass_app::state::AppState;
use canvass_app::web::bearer_token;
use canvass_app::web::session as staff_session;
use futures_util::StreamExt;
use tower_sessions::Session;

use canvass_app::error::ErrorBody;
use canvass_app::services::results::{PublishedResults, SurveyResults, WaveResults};

use super::files::{CSV, attachment};
use super::openapi::{MapParameters, PublishedParameters, ResultsParameters, SurveyNumber};

/// The query's `(name, value)` pairs. Read from the raw query, which never fails: a parameter
/// the analysis cannot use is refused by name, in the API's one error shape.
pub struct Pairs(Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Pairs {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        Ok(Pairs(form_urlencoded::parse(query.as_bytes()).into_owned().collect()))
    }
}

/// What each endpoint sends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Json,
    Csv,
}

type Reply = Result<Response, AppError>;

/// `GET /api/v1/surveys/{id}/results`.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results",
    tag = "results",
    params(SurveyNumber, ResultsParameters),
    responses(
        (status = 200, description = "The full analysis.", content_type = "application/json", body = SurveyResults),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn staff_json(State(state): State<AppState>, Path(id): Path<String>, pairs: Pairs, reader: Reader) -> Reply {
    answer(&state, &id, pairs, &reader, false, Shape::Json).await
}

/// `GET /api/v1/surveys/{id}/results.csv`.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results.csv",
    tag = "results",
    params(SurveyNumber, ResultsParameters),
    responses(
        (status = 200, description = "The full analysis as a table, a row per figure.", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn staff_csv(State(state): State<AppState>, Path(id): Path<String>, pairs: Pairs, reader: Reader) -> Reply {
    answer(&state, &id, pairs, &reader, false, Shape::Csv).await
}

/// `GET /api/v1/surveys/{id}/results/public`.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results/public",
    tag = "published",
    params(SurveyNumber, PublishedParameters),
    responses(
        (status = 200, description = "The latest publication, narrowed to the questions asked for.", content_type = "application/json", body = PublishedResults),
        (status = 400, description = "A parameter a publication cannot take (`filter_not_public`, `parameter_invalid`).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
        (status = 409, description = "Nothing published yet (`not_published`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn public_json(State(state): State<AppState>, Path(id): Path<String>, pairs: Pairs, reader: Reader) -> Reply {
    answer(&state, &id, pairs, &reader, true, Shape::Json).await
}

/// `GET /api/v1/surveys/{id}/results/public.csv`.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results/public.csv",
    tag = "published",
    params(SurveyNumber, PublishedParameters),
    responses(
        (status = 200, description = "The latest publication as a table.", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter a publication cannot take (`filter_not_public`, `parameter_invalid`).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
        (status = 409, description = "Nothing published yet (`not_published`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn public_csv(State(state): State<AppState>, Path(id): Path<String>, pairs: Pairs, reader: Reader) -> Reply {
    answer(&state, &id, pairs, &reader, true, Shape::Csv).await
}

/// `GET /api/v1/surveys/{id}/results.geojson`: the areas with every result as a property.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results.geojson",
    tag = "results",
    params(SurveyNumber, ResultsParameters),
    responses(
        (status = 200, description = "The areas with every result as a property (GeoJSON; 404 when the survey has no area set).", content_type = "application/geo+json", body = Object),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn staff_geojson(
    State(state): State<AppState>,
    Path(id): Path<String>,
    pairs: Pairs,
    reader: Reader,
) -> Reply {
    geojson(&state, &id, pairs, &reader, false).await
}

/// `GET /api/v1/surveys/{id}/results/public.geojson`: the same with small counts withheld.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results/public.geojson",
    tag = "published",
    params(SurveyNumber, PublishedParameters),
    responses(
        (status = 200, description = "The areas with the published results as properties.", content_type = "application/geo+json", body = Object),
        (status = 400, description = "A parameter a publication cannot take (`filter_not_public`, `parameter_invalid`).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
        (status = 409, description = "Nothing published yet (`not_published`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn public_geojson(
    State(state): State<AppState>,
    Path(id): Path<String>,
    pairs: Pairs,
    reader: Reader,
) -> Reply {
    geojson(&state, &id, pairs, &reader, true).await
}

async fn geojson(state: &AppState, id: &str, pairs: Pairs, reader: &Reader, published: bool) -> Reply {
    let (id, request) = prepare(id, &pairs, reader)?;
    let bytes = open_data::geojson(&state.db, id, request, published).await?;
    let name = format!("survey-{id}-areas{}.geojson", if published { "-public" } else { "" });
    Ok(attachment("application/geo+json", &name, bytes))
}

/// `GET /api/v1/surveys/{id}/results/dictionary.csv`: what every column and code means.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results/dictionary.csv",
    tag = "results",
    params(SurveyNumber, ResultsParameters),
    responses(
        (status = 200, description = "What every column and code of the files means.", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn dictionary_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    pairs: Pairs,
    reader: Reader,
) -> Reply {
    let (id, _) = prepare(&id, &pairs, &reader)?;
    let bytes = open_data::dictionary(&state.db, id).await?;
    Ok(attachment(CSV, &format!("survey-{id}-data-dictionary.csv"), bytes))
}

/// `GET /api/v1/surveys/{id}/results/waves`: each question against the survey's earlier waves.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results/waves",
    tag = "results",
    params(SurveyNumber, ResultsParameters),
    responses(
        (status = 200, description = "Each question against the earlier waves.", content_type = "application/json", body = WaveResults),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn waves_json(State(state): State<AppState>, Path(id): Path<String>, pairs: Pairs, reader: Reader) -> Reply {
    let (id, request) = prepare(&id, &pairs, &reader)?;
    Ok(Json(results::wave_results(&state.db, id, request).await?).into_response())
}

async fn answer(state: &AppState, id: &str, pairs: Pairs, reader: &Reader, published: bool, shape: Shape) -> Reply {
    let (id, request) = prepare(id, &pairs, reader)?;
    if published {
        let published = results::publication::latest_for_staff(&state.db, id, &request).await?;
        return Ok(match shape {
            Shape::Json => Json(published).into_response(),
            Shape::Csv => {
                attachment(CSV, &format!("survey-{id}-results-public.csv"), results_csv::public_csv(&published.report))
            }
        });
    }
    let results = results::survey_results(&state.db, id, request).await?;
    Ok(match shape {
        Shape::Json => Json(results).into_response(),
        Shape::Csv => attachment(CSV, &format!("survey-{id}-results.csv"), results_csv::report_csv(&results.report)),
    })
}

/// `GET /api/v1/surveys/{id}/responses.csv`, streamed a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/responses.csv",
    tag = "results",
    params(SurveyNumber, ResultsParameters),
    responses(
        (status = 200, description = "Every completed response, a row each (free text only for analysts and administrators), streamed.", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn responses_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    pairs: Pairs,
    reader: Reader,
) -> Reply {
    let (id, request) = prepare(&id, &pairs, &reader)?;
    // Free text can hold names and telephone numbers: analysts and administrators only, never
    // a token.
    let include_text = matches!(&reader, Reader::Staff(user) if user.role.grants(Role::Analyst));
    let export = microdata::start(&state.db, id, &request, include_text).await?;
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
    Ok(attachment(CSV, &name, Body::from_stream(stream)))
}

/// Which survey, and what is asked for, once the reader may read it. Every staff role reads
/// results, and a read-results token its own survey's; residents and strangers do not.
fn prepare(id: &str, pairs: &Pairs, reader: &Reader) -> Result<(i64, ResultsRequest), AppError> {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    reader.may_read(id)?;
    let request = ResultsRequest::parse(pairs.0.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|p| AppError::bad_parameter(&p.parameter, "parameter_invalid", &p.message))?;
    Ok((id, request))
}

/// Who reads results: a signed-in staff member, or a machine with a read-results token
/// (`Authorization: Bearer`).
pub enum Reader {
    Staff(CurrentUser),
    Token(TokenGrant),
}

impl Reader {
    /// 403 for a token of another survey or action.
    fn may_read(&self, survey_id: i64) -> Result<(), AppError> {
        match self {
            Reader::Staff(_) => Ok(()),
            Reader::Token(grant) => grant.allows(survey_id, |action| action == TokenAction::ReadResults).map(|_| ()),
        }
    }
}

impl axum::extract::FromRequestParts<AppState> for Reader {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(secret) = bearer_token(&parts.headers) {
            return Ok(Reader::Token(api_tokens::authenticate(&state.db, secret).await?));
        }
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, message)| {
            tracing::error!(message, "session layer missing");
            AppError::Internal
        })?;
        let user = staff_session::current_user(&state.db, &session).await?.ok_or(AppError::NotSignedIn)?;
        Ok(Reader::Staff(user))
    }
}

/// `GET /api/v1/surveys/{id}/results/map.svg`: the dashboard's map, for the dashboard's own
/// parameters (`question`, `map`, `weight`, `channel`, `from`, `to`, `group`).
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/results/map.svg",
    tag = "results",
    params(SurveyNumber, MapParameters),
    responses(
        (status = 200, description = "The dashboard's choropleth map (404 when the survey has no area set).", content_type = "image/svg+xml", body = String),
        (status = 400, description = "A parameter the analysis cannot use (`parameter_invalid`, `field` names it).", body = ErrorBody),
        (status = 401, description = "Not signed in (`not_signed_in`), or a malformed, unknown or revoked token (`token_invalid`).", body = ErrorBody),
        (status = 403, description = "A token for another survey or action (`forbidden`).", body = ErrorBody),
        (status = 404, description = "No such survey (`not_found`).", body = ErrorBody),
    ),
    security(("api_token" = []), ("staff_session" = [])),
)]
pub async fn staff_map(State(state): State<AppState>, Path(id): Path<String>, pairs: Pairs, reader: Reader) -> Reply {
    let id = id.parse::<i64>().map_err(|_| AppError::NotFound)?;
    reader.may_read(id)?;
    Ok(map_svg(dashboard::map_file(&state.db, id, &pairs.0).await?, "private, max-age=60"))
}

/// `GET /s/{public_key}/results/map.svg`: the public results page's map (published figures;
/// 404 while the page is switched off).
pub async fn public_map(State(state): State<AppState>, Path(public_key): Path<String>, pairs: Pairs) -> Reply {
    let svg = public_results::map_file(&state.db, &public_key, &pairs.0).await?;
    Ok(map_svg(svg, "public, max-age=60"))
}

/// `GET /s/{public_key}/results/data.json`, `data.csv` and `areas.geojson`: the survey's latest
/// publication as files anyone may download (404 while the public page is off). They take no
/// parameters: a publication is one snapshot.
pub async fn public_file(
    State(state): State<AppState>,
    Path((public_key, file)): Path<(String, String)>,
    pairs: Pairs,
) -> Reply {
    if let Some((name, _)) = pairs.0.first() {
        return Err(AppError::bad_parameter(name, "filter_not_public", "published files take no parameters."));
    }
    let published = public_results::published_file(&state.db, &public_key).await?;
    let stem = format!("{public_key}-results");
    Ok(match file.as_str() {
        "data.json" => ([(header::CACHE_CONTROL, "public, max-age=60")], Json(published)).into_response(),
        "data.csv" => attachment(CSV, &format!("{stem}.csv"), results_csv::public_csv(&published.report)),
        "areas.geojson" => {
            let bytes = open_data::published_geojson(&state.db, &published).await?;
            attachment("application/geo+json", &format!("{stem}.geojson"), bytes)
        }
        _ => return Err(AppError::NotFound),
    })
}

fn map_svg(svg: String, cache: &str) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml".to_owned()), (header::CACHE_CONTROL, cache.to_owned())], svg)
        .into_response()
}

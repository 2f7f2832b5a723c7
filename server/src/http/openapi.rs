//! The JSON API's contract. Every `/api/v1` route is registered here from its OpenAPI
//! description (`utoipa`), so the routes and `GET /api/v1/openapi.json` cannot disagree; a test
//! (`server/tests/integration/openapi.rs`) refuses an `/api/v1` route added anywhere else.
//! docs/API.md describes the API for people, docs/TESTING.md how schemathesis checks it.

use std::sync::OnceLock;

use axum::Json;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use canvass_app::state::AppState;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{API_RESPONSE_LIMIT, api, results};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Canvass API",
        description = "Store whole responses (kiosks, paper-form entry) and read a survey's results, \
                       published figures and open-data files. Every error has one JSON shape, \
                       `ErrorBody`. The guide is docs/API.md.",
        license(name = "MIT", identifier = "MIT"),
    ),
    modifiers(&Credentials),
    tags(
        (name = "responses", description = "Storing a resident's whole response."),
        (name = "results", description = "A survey's analysis, for staff and API tokens."),
        (name = "published", description = "A survey's latest publication: small counts withheld, audited."),
        (name = "contract", description = "This description."),
    ),
)]
struct ApiDoc;

/// The two ways a caller is recognised: an API token, or a staff member's signed-in browser.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token an administrator created (`canvass token create`): `cvt_` and 31 symbols.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "staff_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "canvass_session",
                "A staff member's session, after signing in at /login.",
            ))),
        );
    }
}

/// The `/api/v1` routes with their description.
fn described() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (schemas, paths, submit) = routes!(api::submit_response);
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes((schemas, paths, submit.layer(DefaultBodyLimit::max(API_RESPONSE_LIMIT))))
        .routes(routes!(results::staff_json))
        .routes(routes!(results::staff_csv))
        .routes(routes!(results::responses_csv))
        .routes(routes!(results::waves_json))
        .routes(routes!(results::staff_geojson))
        .routes(routes!(results::dictionary_csv))
        .routes(routes!(results::staff_map))
        .routes(routes!(results::public_json))
        .routes(routes!(results::public_csv))
        .routes(routes!(results::public_geojson))
        .routes(routes!(openapi_json))
        .split_for_parts()
}

/// The `/api/v1` routes, for the application's router.
pub fn api_routes() -> Router<AppState> {
    described().0
}

/// The API's OpenAPI 3.1 description, as served.
pub fn description() -> &'static utoipa::openapi::OpenApi {
    static DESCRIPTION: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DESCRIPTION.get_or_init(|| described().1)
}

/// `GET /api/v1/openapi.json`: this API's OpenAPI 3.1 description.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "contract",
    responses((status = 200, description = "The OpenAPI 3.1 description of `/api/v1`.", content_type = "application/json", body = Object)),
)]
pub async fn openapi_json() -> impl IntoResponse {
    Json(description())
}

/// The parameters of a results request (docs/ANALYTICS.md). All are optional; a parameter the
/// analysis cannot use is refused by name (400 `parameter_invalid`).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query; the handlers read it as pairs (`results::Pairs`).
pub struct ResultsParameters {
    /// Only these questions, by key, separated by commas.
    #[param(example = "place_to_live")]
    question: Option<String>,
    /// Weight to these margins, separated by commas: `area`, `age`, `race_ethnicity`, `tenure`
    /// (`none` or empty: unweighted).
    #[param(pattern = "^(|none|((area|age|race_ethnicity|tenure)(,(area|age|race_ethnicity|tenure))*))$")]
    weight: Option<String>,
    /// The largest weight, in times the mean weight (at least 1), or `none`.
    #[param(pattern = "^(none|[1-9][0-9]{0,5}(\\.[0-9]{1,6})?)$", example = "5")]
    cap: Option<String>,
    /// Only these channels, separated by commas: `invited`, `open`, `paper`, `kiosk` (empty: all).
    #[param(pattern = "^(|(invited|open|paper|kiosk)(,(invited|open|paper|kiosk))*)$")]
    channel: Option<String>,
    /// Responses submitted on or after this day (UTC).
    #[param(format = Date)]
    from: Option<String>,
    /// Responses submitted on or before this day (UTC).
    #[param(format = Date)]
    to: Option<String>,
    /// Only respondents who gave this answer: `question:option`.
    #[param(example = "demographics.housing_tenure:rent")]
    group: Option<String>,
    /// Break answers down by this question part instead of by area.
    by: Option<String>,
    /// The representation ratio below which an area is under-heard (between 0 and 1; 0.8 when left out).
    #[param(minimum = 0.0, maximum = 1.0, exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    under: Option<f64>,
}

/// The one parameter of a publication's files: a publication is one snapshot, and filters are
/// refused (400 `filter_not_public`): a filtered copy compared with the whole could reveal the
/// few respondents it leaves out.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query; the handlers read it as pairs (`results::Pairs`).
pub struct PublishedParameters {
    /// Only these questions, by key, separated by commas.
    #[param(example = "place_to_live")]
    question: Option<String>,
}

/// The parameters of the dashboard's map: those of the results, and what the map shows.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Describes the query; the handler reads it as pairs (`results::Pairs`).
pub struct MapParameters {
    /// One question, by key.
    question: Option<String>,
    /// `per_thousand` (default), `representation`, `answer`, or `option:KEY` for one option's share.
    #[param(pattern = "^(|per_thousand|representation|answer|option:[a-z0-9_]{1,64})$")]
    map: Option<String>,
    /// As for results.
    #[param(pattern = "^(|none|((area|age|race_ethnicity|tenure)(,(area|age|race_ethnicity|tenure))*))$")]
    weight: Option<String>,
    /// As for results.
    #[param(pattern = "^(|(invited|open|paper|kiosk)(,(invited|open|paper|kiosk))*)$")]
    channel: Option<String>,
    /// As for results (empty: no limit).
    #[param(pattern = "^(|[0-9]{4}-[0-9]{2}-[0-9]{2})$")]
    from: Option<String>,
    /// As for results (empty: no limit).
    #[param(pattern = "^(|[0-9]{4}-[0-9]{2}-[0-9]{2})$")]
    to: Option<String>,
    /// As for results.
    group: Option<String>,
    /// The order of the areas in the dashboard's table (`value`, `lowest`, `answers`, `name`);
    /// the map itself does not change.
    #[param(pattern = "^(|value|lowest|answers|name)$")]
    sort: Option<String>,
}

/// A survey's number, as `canvass survey list` and the designer's address (`/surveys/{id}`) show it.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // Describes the path; the handlers read it as text and answer 404 to anything else.
pub struct SurveyNumber {
    /// The survey's number (the demo's open community survey is 2).
    #[param(minimum = 1, example = 2)]
    id: i64,
}

//! Area sets: list and inspect them (staff), import boundaries and population (administrators),
//! and, for residents, the map to pick an area from and "use my location".

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

use crate::domain::geography::{AreaMap, MapArea, ZipArea};
use crate::error::AppError;
use crate::models::{AreaSetDetail, AreaSetSummary};
#[cfg(feature = "ssr")]
use crate::{domain::Role, server_fns::context, services};

/// What the last import posted from the areas page did, shown once on the page it leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub succeeded: bool,
    pub headline: String,
    /// Problems (when refused) or warnings (when imported).
    pub details: Vec<String>,
}

#[cfg(feature = "ssr")]
const OUTCOME: &str = "areas_import_outcome";

/// Largest file accepted from the import forms.
#[cfg(feature = "ssr")]
const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// Every area set with its counts (any signed-in staff member).
#[server(endpoint = "areas/list")]
pub async fn list_area_sets() -> Result<Vec<AreaSetSummary>, AppError> {
    let result = async {
        let staff = context::signed_in_staff().await?;
        services::areas::list_sets(&staff.db).await
    }
    .await;
    context::reply(result, "/areas", &[])
}

/// One area set with its map and population (any staff member).
#[server(endpoint = "areas/detail")]
pub async fn load_area_set(key: String) -> Result<AreaSetDetail, AppError> {
    let result = async {
        let staff = context::signed_in_staff().await?;
        services::areas::set_detail(&staff.db, &key, "en").await
    }
    .await;
    context::reply(result, "/areas", &[])
}

/// The outcome of the last import posted by this person, if any (read, not taken: a page may
/// load its data twice while rendering; the next import replaces it).
#[server(endpoint = "areas/outcome")]
pub async fn area_import_outcome() -> Result<Option<ImportOutcome>, AppError> {
    let session = context::session().await?;
    Ok(session.get::<ImportOutcome>(OUTCOME).await.ok().flatten())
}

/// Imports an area set from an uploaded GeoJSON file (administrators). A plain form post: the
/// outcome waits in the session for the page the browser is sent to.
#[server(endpoint = "areas/import", input = MultipartFormData)]
pub async fn import_areas(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::geography::import_form::BoundaryImport;
    // Outside the block: the outcome is kept in the session whether the import worked or not.
    let session = context::session().await?;
    let result = async {
        // Who is asking comes first: a visitor's upload is not even read.
        let staff = context::staff(Role::Admin).await?;
        let BoundaryImport { set, options, file } = BoundaryImport::from_form(form_fields(data).await?)?;
        let boundaries = services::areas::read_boundary_file(file, options).await?;
        services::areas::import_boundaries(&staff.db, Some(&staff.user), set, boundaries).await
    }
    .await;
    let outcome = match &result {
        Ok(imported) => ImportOutcome {
            succeeded: true,
            headline: format!(
                "Imported {} into {}.",
                crate::domain::dashboard::words::how_many(imported.summary.areas, "area", "areas"),
                imported.summary.name
            ),
            details: imported.warnings.clone(),
        },
        Err(error) => refusal(error),
    };
    crate::web::session::keep_for_next_page(&session, OUTCOME, &outcome).await;
    match result {
        Ok(imported) => {
            context::go_to(&format!("/areas/{}", imported.summary.key));
            Ok(())
        }
        Err(error) => context::reply(Err(error), "/areas", &[]),
    }
}

/// Imports population figures from an uploaded CSV file (administrators).
#[server(endpoint = "areas/population", input = MultipartFormData)]
pub async fn import_population(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::geography::import_form::PopulationImport;
    let session = context::session().await?;
    let result = async {
        let staff = context::staff(Role::Admin).await?;
        let PopulationImport { set_key, file, text, source } = PopulationImport::from_form(form_fields(data).await?)?;
        services::areas::import_population(&staff.db, Some(&staff.user), &set_key, file, &text, &source).await
    }
    .await;
    let set_key = result.as_ref().map(|imported| imported.summary.key.clone()).unwrap_or_default();
    let outcome = result.as_ref().map(|imported| ImportOutcome {
        succeeded: true,
        headline: format!("Imported {} population figures ({}).", imported.figures, imported.groups.join(", ")),
        details: (imported.summary.areas_without_population > 0)
            .then(|| {
                format!(
                    "No total population for {}: shown as unknown, not zero.",
                    crate::domain::dashboard::words::how_many(
                        imported.summary.areas_without_population,
                        "area",
                        "areas"
                    )
                )
            })
            .into_iter()
            .collect(),
    });
    finish_population_change(&session, outcome, &set_key).await
}

/// Gives a set's areas the other names residents know them by, from an uploaded CSV file
/// (administrators).
#[server(endpoint = "areas/names", input = MultipartFormData)]
pub async fn import_area_names(data: MultipartData) -> Result<(), AppError> {
    let session = context::session().await?;
    let mut fields = form_fields(data).await;
    let set_key = fields.as_ref().ok().and_then(|f| f.get("set")).map(|s| s.trim().to_owned()).unwrap_or_default();
    let result = async {
        let staff = context::staff(Role::Admin).await?;
        let text = fields.as_mut().map_err(|e| e.clone())?.remove("file").unwrap_or_default();
        if text.trim().is_empty() {
            return Err(AppError::invalid("file", "file_missing", "Choose a CSV file of area names to import."));
        }
        services::areas::import_names(&staff.db, Some(&staff.user), &set_key, &text).await
    }
    .await;
    let outcome = result.as_ref().map(|&named| ImportOutcome {
        succeeded: true,
        headline: format!(
            "{} now {} other names residents can search by.",
            crate::domain::dashboard::words::how_many(named, "area", "areas"),
            if named == 1 { "has" } else { "have" }
        ),
        details: Vec::new(),
    });
    finish_population_change(&session, outcome, &set_key).await
}

/// Makes a grouping (roll-up) of a set's areas from an uploaded lookup table (administrators):
/// which area is in which council district or town.
#[server(endpoint = "areas/grouping", input = MultipartFormData)]
pub async fn import_area_grouping(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::dashboard::words::how_many;
    use crate::domain::geography::import_form::GroupingImport;
    let session = context::session().await?;
    let mut fields = form_fields(data).await;
    let of = fields.as_ref().ok().and_then(|f| f.get("of")).map(|s| s.trim().to_owned()).unwrap_or_default();
    let result = async {
        let staff = context::staff(Role::Admin).await?;
        let GroupingImport { of, set, on_picker, text } =
            GroupingImport::from_form(std::mem::take(fields.as_mut().map_err(|e| e.clone())?))?;
        services::areas::import_grouping(&staff.db, Some(&staff.user), &of, set, &text, on_picker).await
    }
    .await;
    let outcome = result.as_ref().map(|imported| ImportOutcome {
        succeeded: true,
        headline: format!(
            "{} now groups the areas of this set into {}.",
            imported.summary.name,
            how_many(imported.summary.areas, "area", "areas")
        ),
        details: [
            (!imported.ungrouped.is_empty()).then(|| {
                format!(
                    "In no group (left out of its figures): {}.",
                    how_many(imported.ungrouped.len(), "area", "areas")
                )
            }),
            (!imported.in_several.is_empty()).then(|| {
                format!(
                    "In two groups or more (counted whole in each): {}: {}.",
                    how_many(imported.in_several.len(), "area", "areas"),
                    imported.in_several.join(", ")
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect(),
    });
    finish_population_change(&session, outcome, &of).await
}

/// Makes a grouping the one outlined on its set's area picker (administrators).
#[server(endpoint = "areas/on-picker")]
pub async fn draw_grouping_on_picker(key: String, of: String) -> Result<(), AppError> {
    let session = context::session().await?;
    let result = async {
        let staff = context::staff(Role::Admin).await?;
        services::areas::draw_on_picker(&staff.db, Some(&staff.user), &key).await
    }
    .await;
    let outcome = result.as_ref().map(|()| ImportOutcome {
        succeeded: true,
        headline: "Residents' area picker now outlines this grouping.".to_owned(),
        details: Vec::new(),
    });
    finish_population_change(&session, outcome, &of).await
}

/// Keeps what a population change did for the next page, then sends the browser to the area
/// set on success, or back to the areas page with the error's key.
#[cfg(feature = "ssr")]
async fn finish_population_change(
    session: &tower_sessions::Session,
    outcome: Result<ImportOutcome, &AppError>,
    set_key: &str,
) -> Result<(), AppError> {
    let result = match outcome {
        Ok(outcome) => {
            crate::web::session::keep_for_next_page(session, OUTCOME, &outcome).await;
            context::go_to(&format!("/areas/{set_key}"));
            Ok(())
        }
        Err(error) => {
            crate::web::session::keep_for_next_page(session, OUTCOME, &refusal(error)).await;
            Err(error.clone())
        }
    };
    context::reply(result, "/areas", &[])
}

/// Estimates one set's population from another's by land share (administrators).
#[server(endpoint = "areas/apportion")]
pub async fn apportion_population(from: String, to: String) -> Result<(), AppError> {
    let session = context::session().await?;
    let result = async {
        let staff = context::staff(Role::Admin).await?;
        services::areas::apportion(&staff.db, Some(&staff.user), &from, &to).await
    }
    .await;
    let outcome = result.as_ref().map(|done| ImportOutcome {
        succeeded: true,
        headline: format!("Apportioned {} population groups from {from} to {to} by land share.", done.groups),
        details: (!done.areas_without.is_empty())
            .then(|| format!("No population could be estimated for: {}.", done.areas_without.join(", ")))
            .into_iter()
            .collect(),
    });
    finish_population_change(&session, outcome, &to).await
}

/// Makes an area set the default for area questions that name none (administrators).
#[server(endpoint = "areas/default")]
pub async fn make_default_area_set(key: String) -> Result<(), AppError> {
    let result = async {
        let staff = context::staff(Role::Admin).await?;
        services::areas::make_default(&staff.db, Some(&staff.user), &key).await
    }
    .await;
    context::reply(result, &format!("/areas/{key}"), &[])
}

/// An area set drawn for residents to pick from (the default set without `set`). Public.
#[server(endpoint = "areas/map")]
pub async fn picker_map(set: Option<String>, language: String) -> Result<AreaMap, AppError> {
    let db = context::db()?;
    let result = services::areas::area_map(&db, set.as_deref(), &language).await;
    context::reply(result, "/", &[])
}

/// "Use my location": the area holding a point, or `None` outside every area. Public; the
/// point is neither stored nor logged.
#[server(endpoint = "areas/locate")]
pub async fn locate_area(set: Option<String>, longitude: f64, latitude: f64) -> Result<Option<MapArea>, AppError> {
    let db = context::db()?;
    let result = services::areas::locate(&db, set.as_deref(), longitude, latitude).await;
    context::reply(result, "/", &[])
}

/// The street addresses that start as the resident typed, with their areas (anyone: residents
/// use it in surveys). The address typed is neither stored nor logged.
#[server(endpoint = "areas/address")]
pub async fn areas_for_address(
    set: Option<String>,
    address: String,
    language: String,
) -> Result<Vec<crate::domain::geography::AddressArea>, AppError> {
    let db = context::db()?;
    let result = services::areas::addresses_matching(&db, set.as_deref(), &address, &language).await;
    context::reply(result, "/", &[])
}

/// "Find by ZIP code": the areas a ZIP code overlaps, largest share first. Public.
#[server(endpoint = "areas/zip")]
pub async fn areas_for_zip(set: Option<String>, zip: String, language: String) -> Result<Vec<ZipArea>, AppError> {
    let db = context::db()?;
    let result = services::areas::areas_for_zip(&db, set.as_deref(), &zip, &language).await;
    context::reply(result, "/", &[])
}

#[cfg(feature = "ssr")]
fn refusal(error: &AppError) -> ImportOutcome {
    ImportOutcome {
        succeeded: false,
        headline: error.to_string(),
        details: match error {
            AppError::FileRefused { problems } => problems.iter().take(50).cloned().collect(),
            _ => Vec::new(),
        },
    }
}

/// The text fields and files of a multipart form, each at most [`MAX_UPLOAD_BYTES`].
#[cfg(feature = "ssr")]
async fn form_fields(data: MultipartData) -> Result<crate::domain::geography::import_form::FormFields, AppError> {
    let unreadable =
        || AppError::FileRefused { problems: vec!["The upload could not be read; please try again.".into()] };
    let mut multipart = data.into_inner().ok_or_else(unreadable)?;
    let mut fields = std::collections::BTreeMap::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_UPLOAD_BYTES {
                return Err(AppError::FileRefused { problems: vec!["The file is larger than 50 MB.".into()] });
            }
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| AppError::FileRefused { problems: vec![format!("The {name} field is not UTF-8 text.")] })?;
        fields.insert(name, text);
    }
    Ok(fields)
}

/// The maps for a survey's area questions, for the designer's preview.
#[server(endpoint = "areas/for_survey")]
pub async fn survey_area_maps(
    survey_id: i64,
    language: String,
) -> Result<crate::domain::geography::SurveyAreaMaps, AppError> {
    let result = async {
        let staff = context::staff(Role::Designer).await?;
        let (_, definition) = services::surveys::for_editing(&staff.db, survey_id).await?;
        services::areas::maps_for_survey(&staff.db, &definition, &language).await
    }
    .await;
    context::reply(result, "/surveys", &[])
}

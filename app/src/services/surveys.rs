//! Surveys for designers: create (blank, from a template, from an imported file), list, export,
//! open and close, duplicate for the next wave. Every change is recorded in the audit log.

use sea_orm::{DatabaseConnection, SqlErr};
use serde_json::json;

use crate::db::{audit, surveys};
use crate::domain::dates::parse_utc_minute;
use crate::domain::survey::SurveyDefinition;
use crate::domain::survey::check::check;
use crate::domain::survey::edit::Edit;
use crate::domain::survey::lifecycle::{Action, Status, meaning_changes};
use crate::domain::survey::templates::Template;
use crate::error::AppError;
use crate::models::{CurrentUser, SurveySummary};
use crate::services::codes;

/// Length of the code in a public survey link: 31^8 ≈ 8.5 × 10^11 possible links.
const PUBLIC_KEY_LEN: usize = 8;

/// Every survey, most recently changed first.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<SurveySummary>, AppError> {
    surveys::list(db).await?.iter().map(surveys::to_summary).collect()
}

/// Creates a draft from a definition, after checking it; every problem is reported.
pub async fn create(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    definition: SurveyDefinition,
) -> Result<SurveySummary, AppError> {
    let problems = check(&definition);
    if !problems.is_empty() {
        return Err(AppError::SurveyInvalid { problems });
    }
    let actor_id = actor.map(|a| a.id);
    // A fresh random key practically never collides; if it does, draw again.
    for _ in 0..5 {
        let public_key = codes::random_code(codes::LINK_SAFE_LOWER, PUBLIC_KEY_LEN);
        match surveys::insert(db, &definition, &public_key, actor_id).await {
            Ok(row) => {
                audit::record(
                    db,
                    actor_id,
                    "survey.created",
                    &format!("survey:{}", row.id),
                    json!({"title": row.title}),
                )
                .await?;
                tracing::info!(survey.id = row.id, "survey created");
                return surveys::to_summary(&row);
            }
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => continue,
            Err(e) => return Err(AppError::from(e)),
        }
    }
    tracing::error!("could not find a free public survey key in 5 draws");
    Err(AppError::Internal)
}

/// Creates a draft from a definition file's text.
pub async fn import(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    json: &str,
) -> Result<SurveySummary, AppError> {
    let definition =
        SurveyDefinition::from_json(json).map_err(|problem| AppError::SurveyInvalid { problems: vec![problem] })?;
    create(db, actor, definition).await
}

/// Creates a draft from a ready-made template.
pub async fn create_from_template(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    template_key: &str,
) -> Result<SurveySummary, AppError> {
    let template = Template::find(template_key)
        .ok_or_else(|| AppError::invalid("template", "template_unknown", "Choose one of the templates."))?;
    let definition = template.definition().map_err(|e| {
        tracing::error!(template = template_key, error = %e, "a built-in template does not parse");
        AppError::Internal
    })?;
    create(db, actor, definition).await
}

/// The survey's definition file (pretty JSON), for export.
pub async fn export(db: &DatabaseConnection, id: i64) -> Result<String, AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    Ok(surveys::definition_of(&row)?.to_json())
}

/// Publishes, closes or archives a survey.
pub async fn change_status(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    id: i64,
    action: Action,
) -> Result<SurveySummary, AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    let current = surveys::effective_status(&row)?;
    let next = current.after(action).map_err(|message| AppError::conflict("status_change_refused", &message))?;
    let row = surveys::set_status(db, row, next).await?;
    audit::record(
        db,
        actor.map(|a| a.id),
        "survey.status_changed",
        &format!("survey:{id}"),
        json!({"from": current.as_str(), "to": next.as_str()}),
    )
    .await?;
    surveys::to_summary(&row)
}

/// The survey and its definition, for the designer.
pub async fn for_editing(db: &DatabaseConnection, id: i64) -> Result<(SurveySummary, SurveyDefinition), AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    Ok((surveys::to_summary(&row)?, surveys::definition_of(&row)?))
}

/// Applies one designer edit and saves the result as a new version.
pub async fn edit(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    edit: &Edit,
) -> Result<SurveySummary, AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    let before = surveys::definition_of(&row)?;
    let after = crate::domain::survey::edit::apply(&before, edit)
        .map_err(|message| AppError::conflict("edit_refused", &message))?;
    let name = serde_json::to_value(edit).ok().and_then(|v| v["edit"].as_str().map(str::to_owned)).unwrap_or_default();
    save(db, actor, row, &before, after, &name).await
}

/// Replaces the whole definition (the designer's "edit as JSON", or a re-import).
pub async fn replace(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    json: &str,
) -> Result<SurveySummary, AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    let before = surveys::definition_of(&row)?;
    let after =
        SurveyDefinition::from_json(json).map_err(|problem| AppError::SurveyInvalid { problems: vec![problem] })?;
    save(db, actor, row, &before, after, "replace").await
}

/// Checks and saves an edited definition. Once a survey has been opened, residents may have
/// answered it, so edits that would change the meaning of answers are refused (as LimeSurvey
/// locks an active survey's structure); wording fixes and new optional questions still go in.
async fn save(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    row: surveys::SurveyRow,
    before: &SurveyDefinition,
    after: SurveyDefinition,
    edit_name: &str,
) -> Result<SurveySummary, AppError> {
    let status = surveys::effective_status(&row)?;
    if status == Status::Archived {
        return Err(AppError::conflict(
            "survey_archived",
            "An archived survey cannot be changed; duplicate it for a new wave.",
        ));
    }
    let mut problems = check(&after);
    if status != Status::Draft {
        problems.extend(meaning_changes(before, &after));
    }
    if !problems.is_empty() {
        return Err(AppError::SurveyInvalid { problems });
    }
    let id = row.id;
    let row = surveys::save_definition(db, row, &after, Some(actor.id)).await?;
    audit::record(
        db,
        Some(actor.id),
        "survey.edited",
        &format!("survey:{id}"),
        json!({"edit": edit_name, "version": row.version}),
    )
    .await?;
    surveys::to_summary(&row)
}

/// Schedules opening and closing (times in UTC, as `datetime-local` fields send them; blank
/// clears). Closing must come after opening.
pub async fn schedule(
    db: &DatabaseConnection,
    actor: &CurrentUser,
    id: i64,
    opens_at: &str,
    closes_at: &str,
) -> Result<SurveySummary, AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    let opens = parse_utc_minute(opens_at).map_err(|m| AppError::invalid("opens_at", "time_invalid", &m))?;
    let closes = parse_utc_minute(closes_at).map_err(|m| AppError::invalid("closes_at", "time_invalid", &m))?;
    if let (Some(o), Some(c)) = (opens, closes)
        && c <= o
    {
        return Err(AppError::invalid("closes_at", "closes_before_opening", "Closing must come after opening."));
    }
    if surveys::effective_status(&row)? == Status::Archived {
        return Err(AppError::conflict(
            "survey_archived",
            "An archived survey cannot be changed; duplicate it for a new wave.",
        ));
    }
    let row = surveys::set_schedule(db, row, opens, closes).await?;
    audit::record(
        db,
        Some(actor.id),
        "survey.scheduled",
        &format!("survey:{id}"),
        json!({"opens_at": opens_at, "closes_at": closes_at}),
    )
    .await?;
    surveys::to_summary(&row)
}

/// A new draft with the same definition (and so the same keys): the next wave of a survey.
pub async fn duplicate(
    db: &DatabaseConnection,
    actor: Option<&CurrentUser>,
    id: i64,
) -> Result<SurveySummary, AppError> {
    let row = surveys::find(db, id).await?.ok_or(AppError::NotFound)?;
    let definition = surveys::definition_of(&row)?;
    let copy = create(db, actor, definition).await?;
    surveys::set_previous_wave(db, copy.id, id).await?;
    audit::record(db, actor.map(|a| a.id), "survey.duplicated", &format!("survey:{}", copy.id), json!({"from": id}))
        .await?;
    Ok(copy)
}

//! Taking a counted response out of the results: spam found later, or a resident who asks for
//! their response to be erased. The response is marked excluded (every result, export and
//! publication reads complete responses only), its tally is subtracted in the same transaction,
//! and the action is audited with its reason (`db::responses::exclude`). Its answers are erased
//! on request.

use sea_orm::DatabaseConnection;

use crate::db::responses::{self, Exclusion};
use crate::db::surveys;
use crate::domain::access::{display_code, parse_code};
use crate::domain::analytics::tally::{ResponseTally, Tally};
use crate::domain::survey::answers::Answers;
use crate::error::AppError;

/// What was excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub response_id: i64,
    /// As residents read it (`K7QX-M3PR`).
    pub receipt: String,
    pub erased: bool,
}

/// Excludes the complete response of `survey_id` with this receipt, for `reason`; with `erase`,
/// its answers are deleted too. `actor` is the staff member (`None`: the command line).
pub async fn exclude(
    db: &DatabaseConnection,
    actor: Option<i64>,
    survey_id: i64,
    receipt: &str,
    reason: &str,
    erase: bool,
) -> Result<Excluded, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "reason_missing",
            "Say why this response is excluded: the reason is kept in the audit log.",
        ));
    }
    // A resident's receipt as they may type it; other stored receipts (synthetic responses')
    // exactly as written.
    let code = parse_code(receipt).unwrap_or_else(|| receipt.trim().to_owned());
    if code.is_empty() {
        return Err(AppError::invalid(
            "receipt",
            "receipt_missing",
            "Give the receipt of the response, like K7QX-M3PR.",
        ));
    }
    let survey = surveys::find(db, survey_id).await?.ok_or(AppError::NotFound)?;
    let definition = surveys::definition_of(&survey)?;
    let shown = display_code(&code);
    let tally_of = |row: &responses::ResponseRow| {
        let answers: Answers = serde_json::from_str(&row.answers).ok()?;
        let mut tally = Tally::default();
        tally.add(ResponseTally::of(&definition, row.area_key.as_deref(), &row.channel, &answers));
        Some(tally)
    };
    let audit = serde_json::json!({ "receipt": shown, "reason": reason, "erased": erase });
    match responses::exclude(db, survey_id, &code, erase, tally_of, (actor, audit)).await? {
        Exclusion::Done(response_id) => Ok(Excluded { response_id, receipt: shown, erased: erase }),
        Exclusion::Unknown => {
            Err(AppError::invalid("receipt", "receipt_unknown", "No response of this survey has this receipt."))
        }
        Exclusion::AlreadyExcluded => {
            Err(AppError::conflict("response_excluded", "This response is already excluded from the results."))
        }
    }
}

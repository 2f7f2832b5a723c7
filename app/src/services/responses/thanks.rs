//! The thank-you page: the receipt, and a quick poll's results with small counts withheld.

use super::*;
use crate::domain::survey::model::PollResults;
use crate::services::results::publication::PollSettings;

/// The thank-you page: the receipt (checked against the survey) and, for quick polls that
/// share them, the results so far with small counts withheld.
pub async fn thanks(
    db: &DatabaseConnection,
    public_key: &str,
    receipt: &str,
    visitor: &Visitor,
    embed: bool,
    poll: PollSettings,
) -> Result<ResidentThanks, AppError> {
    let survey = find_survey(db, public_key).await?;
    let receipt = parse_code(receipt).ok_or(AppError::NotFound)?;
    if !stored::has_receipt(db, survey.row.id, &receipt).await? {
        return Err(AppError::NotFound);
    }
    let language = visitor.language(&survey.definition);
    let default = survey.definition.default_language().to_owned();
    let when = survey.definition.poll_results();
    let results = match when {
        PollResults::AfterVoting => poll_results(db, &survey, &language, poll).await?,
        PollResults::Hidden | PollResults::AfterClose => None,
    };
    Ok(ResidentThanks {
        public_key: survey.row.public_key.clone(),
        title: localized(&survey.definition.title, &language, &default).to_owned(),
        receipt: display_code(&receipt),
        language,
        results,
        results_later: when == PollResults::AfterClose,
        embed,
    })
}

/// A quick poll's results: its one question's options from the poll's latest publication
/// (refreshed at most every `poll.every`), in whole percents with small counts withheld.
pub(super) async fn poll_results(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    language: &str,
    PollSettings { threshold, every }: PollSettings,
) -> Result<Option<(String, PublishedTable)>, AppError> {
    let default = survey.definition.default_language();
    let Some((_, question)) = survey.definition.questions().next() else { return Ok(None) };
    let Some(options) = question.kind.options() else { return Ok(None) };
    let published = crate::services::results::publication::poll_results(db, survey.row.id, threshold, every).await?;
    let Some(part) = published.report.questions.iter().find(|p| p.question == question.key) else { return Ok(None) };
    let table = match part.citywide.answered {
        None => PublishedTable::TooFew { threshold },
        Some(total) => PublishedTable::Shown {
            total,
            rows: options
                .iter()
                .map(|o| {
                    let shown = part.citywide.options.iter().find(|p| p.key == o.key);
                    let count = shown.and_then(|p| p.count);
                    PublishedCount {
                        key: o.key.clone(),
                        label: localized(&o.label, language, default).to_owned(),
                        count,
                        percent: count.filter(|_| total > 0).map(|c| (c as f64 * 100.0 / total as f64).round() as u32),
                    }
                })
                .collect(),
        },
    };
    Ok(Some((localized(&question.text, language, default).to_owned(), table)))
}

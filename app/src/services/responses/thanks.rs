//! The thank-you page: the receipt, and a quick poll's results with small counts withheld.

use super::*;

/// The thank-you page: the receipt (checked against the survey) and, for quick polls that
/// share them, the results so far with small counts withheld.
pub async fn thanks(
    db: &DatabaseConnection,
    public_key: &str,
    receipt: &str,
    visitor: &Visitor,
    embed: bool,
) -> Result<ResidentThanks, AppError> {
    let survey = find_survey(db, public_key).await?;
    let receipt = parse_code(receipt).ok_or(AppError::NotFound)?;
    let responses = stored::complete_responses_with_receipt(db, survey.row.id, &receipt).await.map_err(internal)?;
    if !responses {
        return Err(AppError::NotFound);
    }
    let language = visitor.language(&survey.definition);
    let default = survey.definition.default_language().to_owned();
    let results = if survey.definition.show_results { poll_results(db, &survey, &language).await? } else { None };
    Ok(ResidentThanks {
        public_key: survey.row.public_key.clone(),
        title: localized(&survey.definition.title, &language, &default).to_owned(),
        receipt: display_code(&receipt),
        language,
        results,
        embed,
    })
}

/// A quick poll's results: counts of each option of its one question.
async fn poll_results(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    language: &str,
) -> Result<Option<(String, PublishedTable)>, AppError> {
    let default = survey.definition.default_language();
    let Some((_, question)) = survey.definition.questions().next() else { return Ok(None) };
    let Some(options) = question.kind.options() else { return Ok(None) };
    let rows = stored::complete_responses(db, survey.row.id).await.map_err(internal)?;
    let mut counts = vec![0u64; options.len()];
    for row in rows {
        let Ok(answers) = serde_json::from_str::<Answers>(&row.answers) else { continue };
        let chosen: Vec<&str> = match answers.get(&question.key) {
            Some(Answer::Choice { option, .. }) => vec![option.as_str()],
            Some(Answer::Choices { options, .. }) => options.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        for (i, option) in options.iter().enumerate() {
            if chosen.contains(&option.key.as_str()) {
                counts[i] += 1;
            }
        }
    }
    let table = options
        .iter()
        .zip(counts)
        .map(|(o, n)| (o.key.clone(), localized(&o.label, language, default).to_owned(), n))
        .collect();
    Ok(Some((localized(&question.text, language, default).to_owned(), publish(table, DEFAULT_THRESHOLD))))
}

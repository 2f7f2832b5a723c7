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
    threshold: u64,
) -> Result<ResidentThanks, AppError> {
    let survey = find_survey(db, public_key).await?;
    let receipt = parse_code(receipt).ok_or(AppError::NotFound)?;
    if !stored::has_receipt(db, survey.row.id, &receipt).await? {
        return Err(AppError::NotFound);
    }
    let language = visitor.language(&survey.definition);
    let default = survey.definition.default_language().to_owned();
    let results =
        if survey.definition.show_results { poll_results(db, &survey, &language, threshold).await? } else { None };
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
    threshold: u64,
) -> Result<Option<(String, PublishedTable)>, AppError> {
    let default = survey.definition.default_language();
    let Some((_, question)) = survey.definition.questions().next() else { return Ok(None) };
    let Some(options) = question.kind.options() else { return Ok(None) };
    let cache_key = format!("{}|{}|{}", crate::db::survey_cache::database_of(db), survey.row.id, survey.row.version);
    let counts = match cached_counts(&cache_key) {
        Some(counts) => counts,
        None => {
            let counts = count_choices(db, survey, question, options).await?;
            remember_counts(cache_key, counts.clone());
            counts
        }
    };
    let table = options
        .iter()
        .zip(counts)
        .map(|(o, n)| (o.key.clone(), localized(&o.label, language, default).to_owned(), n))
        .collect();
    Ok(Some((localized(&question.text, language, default).to_owned(), publish(table, threshold))))
}

/// How long counted results are reused: a viral poll's thank-you pages must not each read every
/// response (one count per five seconds per server instead).
const COUNTS_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(5);

type CountCache = std::collections::HashMap<String, (std::time::Instant, Vec<u64>)>;

static COUNTS: std::sync::LazyLock<std::sync::Mutex<CountCache>> = std::sync::LazyLock::new(Default::default);

fn cached_counts(key: &str) -> Option<Vec<u64>> {
    let cache = COUNTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.get(key).filter(|(at, _)| at.elapsed() < COUNTS_FRESH_FOR).map(|(_, counts)| counts.clone())
}

fn remember_counts(key: String, counts: Vec<u64>) {
    let mut cache = COUNTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    cache.retain(|_, (at, _)| at.elapsed() < COUNTS_FRESH_FOR);
    cache.insert(key, (std::time::Instant::now(), counts));
}

/// Counts the complete responses choosing each option of the poll's question, from the
/// survey's tallies (as many rows as areas × options, however many have voted).
async fn count_choices(
    db: &DatabaseConnection,
    survey: &ResidentSurvey,
    question: &crate::domain::survey::Question,
    options: &[crate::domain::survey::Choice],
) -> Result<Vec<u64>, AppError> {
    let only = [question.key.clone()];
    let rows = crate::db::tallies::Rows::Questions(&only);
    let tally = crate::db::tallies::by_area(db, survey.row.id, None, rows).await?;
    let mut counts = vec![0u64; options.len()];
    for cell in tally.cells.values() {
        for (i, option) in options.iter().enumerate() {
            if let Some(sums) = cell.answers.get(&(question.key.clone(), option.key.clone())) {
                counts[i] += sums.count.round() as u64;
            }
        }
    }
    Ok(counts)
}

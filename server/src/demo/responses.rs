//! Synthetic responses for the demo and the results benchmark: seeded, and skewed the way real
//! city surveys are. Some neighborhoods answer far more readily than others (0.25× to 4× their
//! population share), older residents and homeowners answer more than young renters, and
//! answers differ by area and tenure, so weighting visibly moves the estimates.
//!
//! They are never mixed with real responses: the demo seeds only its own demo survey.

use std::collections::BTreeMap;

use canvass_app::db::entities::response;
use canvass_app::db::responses::COMPLETE;
use canvass_app::db::tallies;
use canvass_app::domain::analytics::participation::AreaPopulation;
use canvass_app::domain::analytics::tally::{ResponseTally, Tally};
use canvass_app::domain::survey::SurveyDefinition;
use canvass_app::domain::survey::answers::{Answer, Answers};
use canvass_app::domain::survey::demographics::{DemographicItem, PREFER_NOT_TO_SAY};
use canvass_app::domain::survey::model::QuestionKind;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseConnection, EntityTrait, Set, TransactionTrait};
use time::{Duration, OffsetDateTime};

/// One generated response: its area, channel and answers.
pub struct Generated {
    pub area: String,
    pub channel: &'static str,
    pub answers: Answers,
}

/// Draws responses for one survey and one area set.
pub struct Generator {
    rng: StdRng,
    questions: Vec<(String, QuestionKind)>,
    areas: Vec<DrawnArea>,
    total: f64,
    /// Responses drawn so far (their submission ids and receipts are numbered by it).
    pub issued: u64,
}

/// An area to draw from: (key, cumulative draw weight, skew, race shares by survey option).
type DrawnArea = (String, f64, f64, Vec<(&'static str, f64)>);

/// Population race groups and the survey option each stands for.
const RACES: [(&str, &str); 5] = [
    ("white_nh", "white"),
    ("black_nh", "black"),
    ("asian_nh", "asian"),
    ("hispanic", "hispanic_latino"),
    ("other_nh", "another"),
];

impl Generator {
    /// A generator seeded with `seed`, for `survey` over `areas` (with their population).
    pub fn new(survey: &SurveyDefinition, areas: &[(String, AreaPopulation)], seed: u64) -> Self {
        let mut cumulative = 0.0;
        let areas = areas
            .iter()
            .enumerate()
            .filter(|(_, (_, a))| a.total.is_some_and(|t| t > 0.0))
            .map(|(i, (key, a))| {
                // Fixed per area, between 0.25 and 4.
                let skew = 0.25 * 16f64.powf(((i * 37) % 100) as f64 / 99.0);
                cumulative += a.total.unwrap_or(0.0) * skew;
                let races = RACES
                    .iter()
                    .map(|(group, option)| {
                        (
                            *option,
                            a.groups.get(&("race_ethnicity".to_owned(), (*group).to_owned())).copied().unwrap_or(1.0),
                        )
                    })
                    .collect();
                (key.clone(), cumulative, skew, races)
            })
            .collect();
        Generator {
            rng: StdRng::seed_from_u64(seed),
            questions: survey.questions().map(|(_, q)| (q.key.clone(), q.kind.clone())).collect(),
            areas,
            total: cumulative,
            issued: 0,
        }
    }

    /// The next response.
    pub fn response(&mut self) -> Generated {
        self.issued += 1;
        let (area, skew, races) = if self.areas.is_empty() {
            (String::new(), 1.0, Vec::new())
        } else {
            let draw = self.rng.random_range(0.0..self.total.max(f64::MIN_POSITIVE));
            let i = self.areas.partition_point(|a| a.1 < draw).min(self.areas.len() - 1);
            let (key, _, skew, races) = &self.areas[i];
            (key.clone(), *skew, races.clone())
        };
        let channel = if self.rng.random_bool(0.3) { "invited" } else { "open" };
        let owner = self.rng.random_bool(0.65);
        // Readier areas and homeowners rate a little higher.
        let lean = (skew.ln() / 16f64.ln()).clamp(-0.5, 0.5) + if owner { 0.1 } else { -0.1 };
        let mut answers = Answers::new();
        for (key, kind) in self.questions.clone() {
            let required_like = matches!(kind, QuestionKind::Area { .. } | QuestionKind::Demographics { .. });
            if !required_like && !self.rng.random_bool(0.92) {
                continue;
            }
            let answer = match &kind {
                QuestionKind::Rating { min, max, dont_know, .. } => {
                    if dont_know.is_some() && self.rng.random_bool(0.05) {
                        Answer::DontKnow
                    } else {
                        Answer::Scale(min + self.successes((max - min) as u32, 0.55 + lean * 0.4))
                    }
                }
                QuestionKind::Nps { .. } => Answer::Scale(self.successes(10, 0.6 + lean * 0.3)),
                QuestionKind::Grid { statements, scale, .. } => Answer::Grid(
                    statements
                        .iter()
                        .map(|s| {
                            let point = self.successes(scale.len().saturating_sub(1) as u32, 0.55 + lean * 0.3);
                            (s.key.clone(), scale[point as usize].key.clone())
                        })
                        .collect(),
                ),
                QuestionKind::MultipleChoice { options, max_selected, .. } => {
                    let most = max_selected.unwrap_or(3) as usize;
                    let mut chosen: Vec<String> = options
                        .iter()
                        .filter(|_| self.rng.random_bool(0.25))
                        .map(|o| o.key.clone())
                        .take(most)
                        .collect();
                    if chosen.is_empty() {
                        chosen.push(options[self.rng.random_range(0..options.len())].key.clone());
                    }
                    Answer::Choices { options: chosen, other_text: None }
                }
                QuestionKind::SingleChoice { options, .. } => Answer::Choice {
                    option: options[self.rng.random_range(0..options.len())].key.clone(),
                    other_text: None,
                },
                QuestionKind::Number { min, max, .. } => {
                    let (low, high) = (min.unwrap_or(0.0).max(0.0), max.unwrap_or(60.0).min(60.0));
                    Answer::Number(self.rng.random_range(low..=high.max(low)).round())
                }
                QuestionKind::Area { .. } if !area.is_empty() => Answer::Area(area.clone()),
                QuestionKind::Demographics { items } => Answer::Demographics(self.demographics(items, owner, &races)),
                _ => continue,
            };
            answers.insert(key, answer);
        }
        Generated { area, channel, answers }
    }

    /// Successes in `n` tries with probability `p`: a binomial point on a scale.
    fn successes(&mut self, n: u32, p: f64) -> i32 {
        let p = p.clamp(0.05, 0.95);
        (0..n).filter(|_| self.rng.random_bool(p)).count() as i32
    }

    fn demographics(
        &mut self,
        items: &[DemographicItem],
        owner: bool,
        races: &[(&'static str, f64)],
    ) -> BTreeMap<String, Vec<String>> {
        let mut chosen = BTreeMap::new();
        for item in items {
            let pick = match item {
                // Older residents answer surveys more readily.
                DemographicItem::AgeBand => self.weighted(&[
                    ("18_24", 0.5),
                    ("25_34", 0.8),
                    ("35_44", 1.0),
                    ("45_54", 1.2),
                    ("55_64", 1.5),
                    ("65_74", 1.8),
                    ("75_plus", 1.1),
                    (PREFER_NOT_TO_SAY, 0.3),
                ]),
                DemographicItem::HousingTenure => {
                    if self.rng.random_bool(0.04) {
                        PREFER_NOT_TO_SAY
                    } else if owner {
                        "own"
                    } else {
                        "rent"
                    }
                }
                DemographicItem::RaceEthnicity if !races.is_empty() => {
                    if self.rng.random_bool(0.06) {
                        PREFER_NOT_TO_SAY
                    } else {
                        self.weighted(races)
                    }
                }
                // Consistent with the race answer, asked just before.
                DemographicItem::HispanicOrigin => {
                    match chosen.get("race_ethnicity").and_then(|r: &Vec<String>| r.first()).map(String::as_str) {
                        Some("hispanic_latino") => "yes",
                        Some(PREFER_NOT_TO_SAY) => PREFER_NOT_TO_SAY,
                        _ => "no",
                    }
                }
                _ => {
                    let options = item.options();
                    options[self.rng.random_range(0..options.len())].0
                }
            };
            chosen.insert(item.key().to_owned(), vec![pick.to_owned()]);
        }
        chosen
    }

    fn weighted(&mut self, choices: &[(&'static str, f64)]) -> &'static str {
        let total: f64 = choices.iter().map(|c| c.1).sum();
        let mut draw = self.rng.random_range(0.0..total.max(f64::MIN_POSITIVE));
        for (option, weight) in choices {
            if draw < *weight {
                return option;
            }
            draw -= weight;
        }
        choices.last().map_or(PREFER_NOT_TO_SAY, |c| c.0)
    }
}

/// Stores `count` generated complete responses for a survey, with their tallies, in
/// transactions of 512 (as the response writer does), spread over the last `days` days.
pub async fn seed(
    db: &DatabaseConnection,
    survey_id: i64,
    definition: &SurveyDefinition,
    generator: &mut Generator,
    count: u64,
    days: i64,
) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    // Numbered after the survey's responses so far, so filling a survey again (or one that
    // already has responses) never repeats a receipt or a submission id.
    let offset = canvass_app::db::responses::count_all(db, survey_id).await?;
    let mut done = 0;
    while done < count {
        let group = (count - done).min(512);
        let txn = db.begin().await?;
        let mut tally = Tally::default();
        let mut rows = Vec::with_capacity(group as usize);
        for _ in 0..group {
            let r = generator.response();
            let n = generator.issued + offset;
            let at = now - Duration::minutes(((n * 7919) % (days.max(1) as u64 * 1440)) as i64);
            tally.add(ResponseTally::of(
                definition,
                Some(r.area.as_str()).filter(|a| !a.is_empty()),
                r.channel,
                &r.answers,
            ));
            rows.push(response::ActiveModel {
                survey_id: Set(survey_id),
                survey_version: Set(1),
                status: Set(COMPLETE.to_owned()),
                channel: Set(r.channel.to_owned()),
                language: Set(definition.default_language().to_owned()),
                answers: Set(serde_json::to_string(&r.answers)?),
                current_page: Set(0),
                area_key: Set(Some(r.area).filter(|a| !a.is_empty())),
                submission_id: Set(Some(format!("synthetic-{survey_id}-{n}"))),
                receipt: Set(Some(format!("SYN{n:09}"))),
                started_at: Set(at),
                updated_at: Set(at),
                submitted_at: Set(Some(at)),
                ..Default::default()
            });
        }
        response::Entity::insert_many(rows).exec(&txn).await?;
        tallies::add(&txn, survey_id, &tally).await?;
        txn.commit().await?;
        done += group;
    }
    Ok(())
}

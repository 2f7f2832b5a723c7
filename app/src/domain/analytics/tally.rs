//! Tallies: what each complete response adds to the running counts that results are read
//! from. Results then cost O(areas × options), not O(responses).
//!
//! A response adds 1 to its *cell* — its area, channel and weighting profile — and, for every
//! question it answered, 1 (and the value, and its square) to that question's answer keys:
//!
//! | question | answer keys |
//! |---|---|
//! | single choice | the option (`other` included) |
//! | multiple choice | each chosen option |
//! | rating | the scale point (`"4"`; value 4), or `dont_know` |
//! | NPS | the point, `"0"`–`"10"` |
//! | grid | per statement (question key `grid.statement`): the scale point's key, or `dont_know` |
//! | number | [`ANSWERED`] only, with the value |
//! | ranking | each option, with its rank (1 = first) as the value |
//! | demographics | per item (question key `demographics.age_band`): each chosen option |
//!
//! Every tallied question also adds 1 to [`ANSWERED`]: the respondents who answered it, the
//! base of multiple-choice percentages. Free text, dates and the area question are not tallied.

use std::collections::BTreeMap;

use super::super::survey::answers::{Answer, Answers, DONT_KNOW, NUMBER_HARD_LIMIT};
use super::super::survey::demographics::{DemographicItem, PREFER_NOT_TO_SAY};
use super::super::survey::model::{QuestionKind, SurveyDefinition};

/// The answer key counting respondents who answered a question.
pub const ANSWERED: &str = "*";

/// Question keys starting with this hold a weighting profile's groups (`@age` → `65_plus`, or
/// `""` when unknown), so that respondents vs residents can be read from the tallies by area.
pub const PROFILE_PREFIX: &str = "@";

/// Separates a grid's or demographics block's key from its statement's or item's key (keys
/// themselves never contain a dot).
pub const PART_SEPARATOR: char = '.';

/// Running sums for one answer key.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums {
    pub count: f64,
    pub sum: f64,
    pub sum_squares: f64,
}

impl Sums {
    fn one(value: f64) -> Self {
        Self { count: 1.0, sum: value, sum_squares: value * value }
    }

    pub fn add(&mut self, other: Sums) {
        self.count += other.count;
        self.sum += other.sum;
        self.sum_squares += other.sum_squares;
    }
}

/// The weighting dimensions Canvass knows, as named in population tables, in profile order.
pub const WEIGHTING_DIMENSIONS: [&str; 3] = ["age", "race_ethnicity", "tenure"];

/// A weighting dimension (or `area`) as a leader reads it.
pub fn dimension_label(dimension: &str) -> &str {
    match dimension {
        "race_ethnicity" => "race/ethnicity",
        other => other,
    }
}

/// The weightings a leader picks from on the dashboard: `(weight parameter, label)`, none first,
/// then the respondents' profile, then the profile and the area.
pub fn weighting_choices() -> [(String, String); 3] {
    let profile = WEIGHTING_DIMENSIONS.join(",");
    let named: Vec<&str> = WEIGHTING_DIMENSIONS.iter().map(|d| dimension_label(d)).collect();
    [
        (String::new(), "Unweighted: each response counts once".to_owned()),
        (profile.clone(), format!("Weighted to residents: {}", named.join(", "))),
        (format!("area,{profile}"), "Weighted to residents: area too".to_owned()),
    ]
}

/// The groups a respondent can fall in on each weighting dimension (population tables may have
/// more, such as `under_18`, which a survey of adults never reaches).
pub fn weighting_groups(dimension: usize) -> &'static [&'static str] {
    match dimension {
        0 => &["18_to_64", "65_plus"],
        1 => &["white_nh", "black_nh", "asian_nh", "hispanic", "other_nh"],
        2 => &["owner", "renter"],
        _ => &[],
    }
}

/// A respondent's group on each weighting dimension, in population-table keys (`18_to_64`,
/// `black_nh`, `renter`); empty when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Profile(pub [String; 3]);

impl Profile {
    /// The group on dimension `d` (an index into [`WEIGHTING_DIMENSIONS`]), if known.
    pub fn group(&self, d: usize) -> Option<&str> {
        self.0.get(d).map(String::as_str).filter(|g| !g.is_empty())
    }
}

/// Where a response counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    /// The area key, empty when the response has none.
    pub area: String,
    pub channel: String,
    pub profile: Profile,
    /// For cross-tabs: the respondent's option on the question results are broken down by
    /// (never stored; empty otherwise).
    pub by: String,
}

/// Question key and answer key.
pub type AnswerKey = (String, String);

/// The counts of one cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellTally {
    pub respondents: f64,
    pub answers: BTreeMap<AnswerKey, Sums>,
}

/// Cells and their counts: the input of every result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub cells: BTreeMap<CellKey, CellTally>,
}

impl Tally {
    /// Adds what one response adds.
    pub fn add(&mut self, response: ResponseTally) {
        let entry = self.cells.entry(response.cell).or_default();
        entry.respondents += 1.0;
        for (key, sums) in response.answers {
            entry.answers.entry(key).or_default().add(sums);
        }
    }

    /// Adds stored counts for one cell.
    pub fn add_counts(&mut self, cell: CellKey, key: Option<AnswerKey>, sums: Sums) {
        let entry = self.cells.entry(cell).or_default();
        match key {
            None => entry.respondents += sums.count,
            Some(key) => entry.answers.entry(key).or_default().add(sums),
        }
    }

    /// The same counts with the weighting profile dropped (what by-area results need).
    pub fn by_area_and_channel(&self) -> Tally {
        let mut out = Tally::default();
        for (cell, counts) in &self.cells {
            let key = CellKey { area: cell.area.clone(), channel: cell.channel.clone(), ..CellKey::default() };
            let entry = out.cells.entry(key).or_default();
            entry.respondents += counts.respondents;
            for (k, s) in &counts.answers {
                entry.answers.entry(k.clone()).or_default().add(*s);
            }
        }
        out
    }

    /// All respondents.
    pub fn respondents(&self) -> f64 {
        self.cells.values().map(|c| c.respondents).sum()
    }

    /// Every count and sum with its sign changed: added to the stored tallies, it takes these
    /// responses out.
    pub fn negated(&self) -> Tally {
        let negate = |s: &Sums| Sums { count: -s.count, sum: -s.sum, sum_squares: -s.sum_squares };
        let cells = self
            .cells
            .iter()
            .map(|(key, c)| {
                let answers = c.answers.iter().map(|(k, s)| (k.clone(), negate(s))).collect();
                (key.clone(), CellTally { respondents: -c.respondents, answers })
            })
            .collect();
        Tally { cells }
    }
}

/// Where stored tallies disagree with the tallies counted from the responses, in words, one
/// line per cell and answer (an empty list: they agree). A row missing on one side counts as
/// zero; sums are compared to a millionth of their size.
pub fn disagreements(counted: &Tally, stored: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    let none = CellTally::default();
    let keys: std::collections::BTreeSet<&CellKey> = counted.cells.keys().chain(stored.cells.keys()).collect();
    let differ = |a: f64, b: f64| (a - b).abs() > 1e-6 * a.abs().max(b.abs()).max(1.0);
    for key in keys {
        let (c, s) = (counted.cells.get(key).unwrap_or(&none), stored.cells.get(key).unwrap_or(&none));
        let place = format!(
            "area \"{}\", channel \"{}\"{}",
            key.area,
            key.channel,
            if key.profile.0.iter().all(String::is_empty) {
                String::new()
            } else {
                format!(", profile {:?}", key.profile.0)
            }
        );
        if differ(c.respondents, s.respondents) {
            out.push(format!("{place}: {} responses counted, {} in the tallies", c.respondents, s.respondents));
        }
        let answers: std::collections::BTreeSet<&AnswerKey> = c.answers.keys().chain(s.answers.keys()).collect();
        for answer in answers {
            let (a, b) = (
                c.answers.get(answer).copied().unwrap_or_default(),
                s.answers.get(answer).copied().unwrap_or_default(),
            );
            if differ(a.count, b.count) || differ(a.sum, b.sum) || differ(a.sum_squares, b.sum_squares) {
                out.push(format!(
                    "{place}, {} = {}: {} counted, {} in the tallies",
                    answer.0, answer.1, a.count, b.count
                ));
            }
        }
    }
    out
}

/// What one complete response adds to the tallies: computed where the response is checked, and
/// added by the writer in the transaction that stores it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseTally {
    pub cell: CellKey,
    pub answers: Vec<(AnswerKey, Sums)>,
}

impl ResponseTally {
    /// The tally of a response with these answers, area and channel.
    pub fn of(survey: &SurveyDefinition, area: Option<&str>, channel: &str, answers: &Answers) -> Self {
        let profile = profile_of(survey, answers);
        let mut sums = answer_sums(survey, answers);
        for (d, dimension) in WEIGHTING_DIMENSIONS.iter().enumerate() {
            let group = profile.group(d).unwrap_or_default().to_owned();
            sums.push(((format!("{PROFILE_PREFIX}{dimension}"), group), Sums::one(0.0)));
        }
        let cell = CellKey {
            area: area.unwrap_or_default().to_owned(),
            channel: channel.to_owned(),
            profile,
            by: String::new(),
        };
        ResponseTally { cell, answers: sums }
    }
}

/// What a response adds to each answer key.
pub fn answer_sums(survey: &SurveyDefinition, answers: &Answers) -> Vec<(AnswerKey, Sums)> {
    let mut out = Vec::new();
    let mut push = |question: String, answer: &str, sums: Sums| out.push(((question, answer.to_owned()), sums));
    for (_, question) in survey.questions() {
        let Some(answer) = answers.get(&question.key) else { continue };
        let key = &question.key;
        match (&question.kind, answer) {
            (QuestionKind::SingleChoice { .. }, Answer::Choice { option, .. }) => {
                push(key.clone(), option, Sums::one(0.0));
                push(key.clone(), ANSWERED, Sums::one(0.0));
            }
            (QuestionKind::MultipleChoice { .. }, Answer::Choices { options, .. }) => {
                for option in options {
                    push(key.clone(), option, Sums::one(0.0));
                }
                push(key.clone(), ANSWERED, Sums::one(0.0));
            }
            (QuestionKind::Rating { .. } | QuestionKind::Nps { .. }, Answer::Scale(point)) => {
                let value = f64::from(*point);
                push(key.clone(), &point.to_string(), Sums::one(value));
                push(key.clone(), ANSWERED, Sums::one(value));
            }
            (QuestionKind::Rating { .. }, Answer::DontKnow) => {
                push(key.clone(), DONT_KNOW, Sums::one(0.0));
                push(key.clone(), ANSWERED, Sums::one(0.0));
            }
            (QuestionKind::Grid { .. }, Answer::Grid(cells)) => {
                for (statement, point) in cells {
                    let part = format!("{key}{PART_SEPARATOR}{statement}");
                    push(part.clone(), point, Sums::one(0.0));
                    push(part, ANSWERED, Sums::one(0.0));
                }
            }
            // Bounded, so the running sums of squares stay finite for any number of answers
            // (10³⁰ each); a value beyond the bound can only come from before answers were
            // bounded, and is left out rather than made infinite (docs/SURVEY_FORMAT.md).
            (QuestionKind::Number { .. }, Answer::Number(value)) if value.abs() <= NUMBER_HARD_LIMIT => {
                push(key.clone(), ANSWERED, Sums::one(*value));
            }
            (QuestionKind::Ranking { .. }, Answer::Ranking(order)) => {
                for (rank, option) in order.iter().enumerate() {
                    push(key.clone(), option, Sums::one((rank + 1) as f64));
                }
                push(key.clone(), ANSWERED, Sums::one(0.0));
            }
            (QuestionKind::Demographics { .. }, Answer::Demographics(items)) => {
                for (item, chosen) in items.iter().filter(|(_, chosen)| !chosen.is_empty()) {
                    let part = format!("{key}{PART_SEPARATOR}{item}");
                    for option in chosen {
                        push(part.clone(), option, Sums::one(0.0));
                    }
                    push(part, ANSWERED, Sums::one(0.0));
                }
            }
            _ => {}
        }
    }
    out
}

/// The respondent's weighting profile from their demographic answers, mapped to the groups of
/// population tables (see `docs/ANALYTICS.md`):
/// - age: 18–64 → `18_to_64`, 65 and over → `65_plus`;
/// - race/ethnicity: Hispanic or Latino (in the race question, or `yes` to Hispanic origin) →
///   `hispanic`; otherwise exactly one of White, Black, Asian → `white_nh`, `black_nh`,
///   `asian_nh`; any other answer or more than one race → `other_nh`;
/// - tenure: own → `owner`, rent → `renter`.
///
/// "Prefer not to say", no answer and "other arrangement" are unknown.
pub fn profile_of(survey: &SurveyDefinition, answers: &Answers) -> Profile {
    let mut profile = Profile::default();
    for (_, question) in survey.questions() {
        let (QuestionKind::Demographics { .. }, Some(Answer::Demographics(items))) =
            (&question.kind, answers.get(&question.key))
        else {
            continue;
        };
        let chosen = |item: DemographicItem| -> Vec<&str> {
            items
                .get(item.key())
                .map(|c| c.iter().map(String::as_str).filter(|o| *o != PREFER_NOT_TO_SAY).collect())
                .unwrap_or_default()
        };
        if let [band] = chosen(DemographicItem::AgeBand)[..] {
            profile.0[0] = match band {
                "65_74" | "75_plus" => "65_plus",
                _ => "18_to_64",
            }
            .to_owned();
        }
        let races = chosen(DemographicItem::RaceEthnicity);
        let hispanic = races.contains(&"hispanic_latino") || chosen(DemographicItem::HispanicOrigin) == ["yes"];
        profile.0[1] = match races[..] {
            _ if hispanic => "hispanic",
            [] => "",
            ["white"] => "white_nh",
            ["black"] => "black_nh",
            ["asian"] => "asian_nh",
            _ => "other_nh",
        }
        .to_owned();
        profile.0[2] = match chosen(DemographicItem::HousingTenure)[..] {
            ["own"] => "owner",
            ["rent"] => "renter",
            _ => "",
        }
        .to_owned();
    }
    profile
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::templates;

    fn community() -> SurveyDefinition {
        templates::Template::find("community_survey")
            .and_then(|t| t.definition().ok())
            .expect("the community survey template")
    }

    fn answers(json: &str) -> Answers {
        serde_json::from_str(json).expect("answers")
    }

    #[test]
    fn a_stored_number_beyond_the_hard_limit_is_left_out_so_no_sum_becomes_infinite() {
        let survey = community();
        let sums = |value: f64| {
            let a: Answers = [("years_in_city".to_owned(), Answer::Number(value))].into();
            answer_sums(&survey, &a)
        };
        assert_eq!(sums(-1e9), [(("years_in_city".to_owned(), ANSWERED.to_owned()), Sums::one(-1e9))]);
        // An answer stored before numbers were bounded (an old database): never tallied.
        assert!(sums(1e200).is_empty());
        assert!(sums(f64::INFINITY).is_empty());
        let mut tally = Tally::default();
        for _ in 0..1000 {
            tally.add(ResponseTally::of(
                &survey,
                None,
                "open",
                &[("years_in_city".into(), Answer::Number(1e15))].into(),
            ));
        }
        let total = tally.cells.values().flat_map(|c| c.answers.values()).map(|s| s.sum_squares).sum::<f64>();
        assert!(total.is_finite(), "a thousand answers at the limit still sum to a finite number");
    }

    #[test]
    fn a_response_adds_one_to_each_answer_and_to_answered() {
        let survey = community();
        let a = answers(
            r#"{"place_to_live":{"type":"scale","value":4},"place_to_work":{"type":"dont_know"},
                "top_issues":{"type":"choices","value":{"options":["flooding","transit"],"other_text":null}},
                "service_satisfaction":{"type":"grid","value":{"police":"satisfied","parks":"dont_know"}},
                "years_in_city":{"type":"number","value":12.5},
                "comments":{"type":"text","value":"call me at 555-0100"}}"#,
        );
        let sums: BTreeMap<AnswerKey, Sums> = answer_sums(&survey, &a).into_iter().collect();
        let get = |q: &str, a: &str| sums.get(&(q.to_owned(), a.to_owned())).copied();
        assert_eq!(get("place_to_live", "4"), Some(Sums { count: 1.0, sum: 4.0, sum_squares: 16.0 }));
        assert_eq!(get("place_to_work", DONT_KNOW).map(|s| s.count), Some(1.0));
        assert_eq!(get("top_issues", "flooding").map(|s| s.count), Some(1.0));
        assert_eq!(get("top_issues", ANSWERED).map(|s| s.count), Some(1.0), "one respondent, two options");
        assert_eq!(get("service_satisfaction.police", "satisfied").map(|s| s.count), Some(1.0));
        assert_eq!(get("service_satisfaction.parks", DONT_KNOW).map(|s| s.count), Some(1.0));
        assert_eq!(get("years_in_city", ANSWERED), Some(Sums { count: 1.0, sum: 12.5, sum_squares: 156.25 }));
        assert!(sums.keys().all(|(q, _)| q != "comments"), "free text is never tallied");
    }

    #[test]
    fn demographic_answers_map_to_population_groups() {
        let survey = community();
        let profile = |json: &str| profile_of(&survey, &answers(json));
        let block = |items: &str| format!(r#"{{"demographics":{{"type":"demographics","value":{{{items}}}}}}}"#);
        assert_eq!(
            profile(&block(r#""age_band":["65_74"],"race_ethnicity":["black"],"housing_tenure":["rent"]"#)).0,
            ["65_plus", "black_nh", "renter"]
        );
        assert_eq!(
            profile(&block(
                r#""age_band":["25_34"],"race_ethnicity":["white","hispanic_latino"],"housing_tenure":["own"]"#
            ))
            .0,
            ["18_to_64", "hispanic", "owner"]
        );
        assert_eq!(profile(&block(r#""race_ethnicity":["white","asian"]"#)).0, ["", "other_nh", ""], "two races");
        assert_eq!(profile(&block(r#""race_ethnicity":["white"],"hispanic_origin":["yes"]"#)).0[1], "hispanic");
        assert_eq!(
            profile(&block(
                r#""age_band":["prefer_not_to_say"],"race_ethnicity":["prefer_not_to_say"],"housing_tenure":["other"]"#
            )),
            Profile::default(),
            "prefer not to say and other arrangements are unknown"
        );
        assert_eq!(profile("{}"), Profile::default());
    }

    #[test]
    fn dropping_the_profile_keeps_every_count() {
        let survey = community();
        let mut tally = Tally::default();
        for (area, age) in [("1", "25_34"), ("1", "65_74"), ("2", "25_34")] {
            let a = answers(&format!(
                r#"{{"place_to_live":{{"type":"scale","value":5}},
                   "demographics":{{"type":"demographics","value":{{"age_band":["{age}"]}}}}}}"#
            ));
            tally.add(ResponseTally::of(&survey, Some(area), "open", &a));
        }
        assert_eq!(tally.cells.len(), 3);
        let by_area = tally.by_area_and_channel();
        assert_eq!(by_area.cells.len(), 2);
        assert_eq!(by_area.respondents(), 3.0);
        let area_one = by_area.cells.values().next().expect("area 1");
        assert_eq!(area_one.answers[&("place_to_live".to_owned(), "5".to_owned())].count, 2.0);
        assert_eq!(area_one.answers[&("@age".to_owned(), "65_plus".to_owned())].count, 1.0, "profiles kept as counts");
    }

    #[test]
    fn a_negated_tally_takes_its_responses_out_and_disagreements_are_named() {
        let survey = community();
        let answers = |point: i32| Answers::from([("place_to_live".to_owned(), Answer::Scale(point))]);
        let mut counted = Tally::default();
        counted.add(ResponseTally::of(&survey, Some("a"), "open", &answers(4)));
        counted.add(ResponseTally::of(&survey, Some("a"), "open", &answers(2)));
        let mut stored = counted.clone();
        assert!(disagreements(&counted, &stored).is_empty());
        // Take the 2 out of the stored tallies: zero rows stay, and the rest agrees.
        let mut one = Tally::default();
        one.add(ResponseTally::of(&survey, Some("a"), "open", &answers(2)));
        for (key, cell) in one.negated().cells {
            let entry = stored.cells.entry(key).or_default();
            entry.respondents += cell.respondents;
            for (k, s) in cell.answers {
                entry.answers.entry(k).or_default().add(s);
            }
        }
        let mut expected = Tally::default();
        expected.add(ResponseTally::of(&survey, Some("a"), "open", &answers(4)));
        assert!(disagreements(&expected, &stored).is_empty(), "{:?}", disagreements(&expected, &stored));
        let found = disagreements(&counted, &stored);
        assert!(found.iter().any(|d| d.contains("2 responses counted, 1 in the tallies")), "{found:?}");
        assert!(found.iter().any(|d| d.contains("place_to_live = 2: 1 counted, 0 in the tallies")), "{found:?}");
    }
}

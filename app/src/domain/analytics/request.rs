//! What a results request asks for, parsed once from its query string
//! (`?question=safe_day&weight=area,age&cap=5&channel=invited&from=2026-03-01&to=2026-03-31&group=demographics.housing_tenure:rent&by=demographics.age_band&under=0.8`).
//! Every parameter is documented in `docs/ANALYTICS.md`; an unknown one is refused by name, so a
//! misspelt filter never silently shows unfiltered results.

use serde::{Deserialize, Serialize};
use time::Date;

use super::raking::RakingOptions;
use super::report::{AREA_MARGIN, WeightingRequest};
use super::tally::WEIGHTING_DIMENSIONS;
use crate::domain::access::Channel;

/// The default threshold below which an area's representation ratio is "under".
pub const DEFAULT_UNDER_THRESHOLD: f64 = 0.8;

/// A parsed results request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResultsRequest {
    pub weighting: Option<WeightingRequest>,
    /// Only these channels (`None`: all).
    pub channels: Option<Vec<String>>,
    /// Responses submitted on or after this day (UTC).
    pub from: Option<Date>,
    /// Responses submitted on or before this day (UTC).
    pub to: Option<Date>,
    /// Only respondents who gave this answer: (question part, option).
    pub group: Option<(String, String)>,
    /// Cross-tab: break answers down by this question part instead of by area.
    pub by: Option<String>,
    /// Only these questions' results (by question key); participation is always there.
    pub questions: Option<Vec<String>>,
    pub under_threshold: f64,
}

/// A parameter that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestProblem {
    pub parameter: String,
    pub message: String,
}

impl ResultsRequest {
    /// Everything, unweighted, with the default threshold: what no parameters ask for.
    pub fn everything() -> Self {
        ResultsRequest { under_threshold: DEFAULT_UNDER_THRESHOLD, ..Self::default() }
    }

    /// Whether the answers must be read from the responses rather than the tallies (date
    /// ranges, groups and cross-tabs are not kept in the tallies).
    pub fn reads_responses(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.group.is_some() || self.by.is_some()
    }

    /// Refuses what a published (public) output may not be asked for: filters and weighting.
    /// Two public files that differ by a date, a channel, a group or a cross-tab differ by the
    /// few respondents the filter leaves out, so public outputs take none; a publication is one
    /// unweighted snapshot, so weights are not asked for either. Choosing questions is fine.
    pub fn check_public(&self) -> Result<(), RequestProblem> {
        let filter = [
            ("from", self.from.is_some()),
            ("to", self.to.is_some()),
            ("channel", self.channels.is_some()),
            ("group", self.group.is_some()),
            ("by", self.by.is_some()),
            ("weight", self.weighting.is_some()),
            ("under", self.under_threshold != DEFAULT_UNDER_THRESHOLD),
        ]
        .into_iter()
        .find(|(_, given)| *given);
        match filter {
            Some((parameter, _)) => Err(RequestProblem {
                parameter: parameter.to_owned(),
                message: format!(
                    "`{parameter}`: published results take no filters (a filtered copy could be compared \
                     with the whole to reveal the few respondents it leaves out)."
                ),
            }),
            None => Ok(()),
        }
    }

    /// Parses `(name, value)` pairs from a query string.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, RequestProblem> {
        let mut request = Self::everything();
        let mut cap = RakingOptions::default().cap;
        for (name, value) in pairs {
            let problem = |message: String| RequestProblem { parameter: name.to_owned(), message };
            let value = value.trim();
            match name {
                "weight" => {
                    let margins: Vec<String> = value
                        .split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty() && *m != "none")
                        .map(str::to_owned)
                        .collect();
                    if let Some(unknown) =
                        margins.iter().find(|m| *m != AREA_MARGIN && !WEIGHTING_DIMENSIONS.contains(&m.as_str()))
                    {
                        return Err(problem(format!(
                            "`{unknown}` is not a weighting margin; use area, age, race_ethnicity or tenure, separated by commas."
                        )));
                    }
                    request.weighting =
                        (!margins.is_empty()).then(|| WeightingRequest { margins, options: RakingOptions::default() });
                }
                "cap" => {
                    cap = match value {
                        "none" => None,
                        _ => Some(value.parse::<f64>().ok().filter(|c| c.is_finite() && *c >= 1.0).ok_or_else(|| {
                            problem(format!("`{value}` is not a weight cap; use a number of at least 1 (times the mean weight) or none."))
                        })?),
                    };
                }
                "channel" => {
                    let mut channels = Vec::new();
                    for c in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                        let channel = Channel::parse(c).ok_or_else(|| {
                            problem(format!("`{c}` is not a channel; use invited, open, paper or kiosk."))
                        })?;
                        channels.push(channel.as_str().to_owned());
                    }
                    request.channels = (!channels.is_empty()).then_some(channels);
                }
                "from" | "to" => {
                    let format = time::macros::format_description!("[year]-[month]-[day]");
                    let day = Date::parse(value, format)
                        .map_err(|_| problem(format!("`{value}` is not a date; use YYYY-MM-DD.")))?;
                    if name == "from" {
                        request.from = Some(day);
                    } else {
                        request.to = Some(day);
                    }
                }
                "group" => {
                    let (part, option) =
                        value.split_once(':').filter(|(p, o)| !p.is_empty() && !o.is_empty()).ok_or_else(|| {
                            problem("use question:option, such as demographics.housing_tenure:rent.".into())
                        })?;
                    request.group = Some((part.to_owned(), option.to_owned()));
                }
                "by" => request.by = (!value.is_empty()).then(|| value.to_owned()),
                "question" => {
                    let keys: Vec<String> =
                        value.split(',').map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned).collect();
                    request.questions = (!keys.is_empty()).then_some(keys);
                }
                "under" => {
                    request.under_threshold =
                        value.parse::<f64>().ok().filter(|u| *u > 0.0 && *u < 1.0).ok_or_else(|| {
                            problem(format!("`{value}` is not a threshold; use a ratio between 0 and 1, such as 0.8."))
                        })?;
                }
                _ => {
                    return Err(problem(
                        "unknown parameter; use question, weight, cap, channel, from, to, group, by or under."
                            .to_owned(),
                    ));
                }
            }
        }
        if let (Some(from), Some(to)) = (request.from, request.to)
            && from > to
        {
            return Err(RequestProblem { parameter: "from".into(), message: "`from` is after `to`.".into() });
        }
        if let Some(weighting) = request.weighting.as_mut() {
            weighting.options.cap = cap;
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_results_refuse_every_filter_by_name_and_allow_questions() {
        for (query, parameter) in [
            ("from=2026-03-01", "from"),
            ("to=2026-03-31", "to"),
            ("channel=invited", "channel"),
            ("group=demographics.housing_tenure:rent", "group"),
            ("by=demographics.age_band", "by"),
            ("weight=area", "weight"),
            ("under=0.5", "under"),
        ] {
            let request = ResultsRequest::parse([query.split_once('=').expect("pair")]).expect("parses");
            assert_eq!(request.check_public().map_err(|p| p.parameter), Err(parameter.to_owned()), "{query}");
        }
        let questions = ResultsRequest::parse([("question", "safe_day")]).expect("parses");
        assert_eq!(questions.check_public(), Ok(()));
    }

    fn parse(query: &str) -> Result<ResultsRequest, RequestProblem> {
        ResultsRequest::parse(query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, ""))))
    }

    #[test]
    fn every_parameter_is_read() {
        let r = parse("question=safe_day,recommend&weight=area,age&cap=4&channel=invited,open&from=2026-03-01&to=2026-03-31&group=demographics.housing_tenure:rent&by=demographics.age_band&under=0.75")
            .expect("valid");
        let weighting = r.weighting.as_ref().expect("weighting");
        assert_eq!(weighting.margins, ["area", "age"]);
        assert_eq!(weighting.options.cap, Some(4.0));
        assert_eq!(r.channels.as_deref(), Some(&["invited".to_owned(), "open".to_owned()][..]));
        assert_eq!(r.group, Some(("demographics.housing_tenure".into(), "rent".into())));
        assert_eq!(r.by.as_deref(), Some("demographics.age_band"));
        assert_eq!(r.questions, Some(vec!["safe_day".to_owned(), "recommend".to_owned()]));
        assert!((r.under_threshold - 0.75).abs() < 1e-12);
        assert!(r.reads_responses());
        let plain = parse("").expect("nothing asked");
        assert_eq!(plain.weighting, None);
        assert!(!plain.reads_responses());
        assert_eq!(parse("weight=none").expect("none").weighting, None);
        assert_eq!(parse("weight=tenure&cap=none").expect("valid").weighting.map(|w| w.options.cap), Some(None));
    }

    #[test]
    fn each_bad_parameter_is_named() {
        for (query, parameter) in [
            ("weight=area,income", "weight"),
            ("cap=0.5", "cap"),
            ("cap=lots", "cap"),
            ("channel=email", "channel"),
            ("from=2026-02-30", "from"),
            ("to=yesterday", "to"),
            ("from=2026-03-02&to=2026-03-01", "from"),
            ("group=rent", "group"),
            ("under=1.5", "under"),
            ("wieght=area", "wieght"),
        ] {
            let problem = parse(query).expect_err(query);
            assert_eq!(problem.parameter, parameter, "{query}: {}", problem.message);
        }
    }
}

//! The figure each area gets for the metric a leader picks, from the staff report or from the
//! published one (where small counts are withheld).

use serde::{Deserialize, Serialize};

use crate::domain::analytics::intervals::Estimate;
use crate::domain::analytics::participation::{AreaParticipation, Representation};
use crate::domain::analytics::public::{PublicGroup, PublicParticipation};
use crate::domain::analytics::results::{GroupResult, Headline};
use crate::domain::geography::natural_order;

/// What the map and the bars by area show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapMetric {
    /// Responses per 1,000 residents.
    PerThousand,
    /// Response share ÷ population share.
    Representation,
    /// The question's headline figure (top-2-box, mean, NPS, or the most chosen option's share).
    Headline,
    /// The share choosing one option of the question.
    Option(String),
}

impl MapMetric {
    /// Reads `?map=`: `per_thousand` (the default), `representation`, `answer`, or `option:KEY`.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "" | "per_thousand" => Some(Self::PerThousand),
            "representation" => Some(Self::Representation),
            "answer" => Some(Self::Headline),
            other => other.strip_prefix("option:").filter(|k| !k.is_empty()).map(|k| Self::Option(k.to_owned())),
        }
    }

    /// The value of `?map=` that asks for this metric.
    pub fn as_param(&self) -> String {
        match self {
            Self::PerThousand => "per_thousand".to_owned(),
            Self::Representation => "representation".to_owned(),
            Self::Headline => "answer".to_owned(),
            Self::Option(key) => format!("option:{key}"),
        }
    }

    /// Whether this metric reads a question's answers (rather than participation).
    pub fn reads_answers(&self) -> bool {
        matches!(self, Self::Headline | Self::Option(_))
    }
}

/// How a figure is read: it decides the number format and the map's colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scale {
    /// A share from 0 to 1, shown as a percentage.
    Share,
    /// Responses per 1,000 residents.
    PerThousand,
    /// A ratio around 1 (representation).
    Ratio,
    /// A mean on the question's own scale.
    Mean,
    /// A net promoter score, −100 to 100.
    Score,
}

impl Scale {
    /// The scale of a question's headline figure.
    pub fn of_headline(headline: Headline) -> Self {
        match headline {
            Headline::Mean => Self::Mean,
            Headline::NetPromoterScore => Self::Score,
            Headline::TopOption | Headline::TopTwoBox | Headline::None => Self::Share,
        }
    }
}

/// One area's figure: its value with an interval where there is one, how many answers it rests
/// on, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaFigure {
    pub area: String,
    pub name: String,
    pub value: Option<Estimate>,
    /// The answers (or responses) behind the value; `None` when withheld.
    pub base: Option<u64>,
    /// Hidden to protect respondents (published results only).
    pub withheld: bool,
    /// For participation: whether the area is under- or over-represented.
    pub representation: Option<Representation>,
}

/// The widest 95% interval a map colours, on each scale: an area whose interval is wider has
/// too few responses to tell, and is dotted and counted apart instead of taking a colour class
/// (shares ±15 points, means ±0.5, scores ±30; ratios by their own flag).
fn useful_width(scale: Scale) -> f64 {
    match scale {
        Scale::Share => 0.30,
        Scale::Mean => 1.0,
        Scale::Score => 60.0,
        Scale::Ratio | Scale::PerThousand => f64::INFINITY,
    }
}

/// Whether an area's figure is too uncertain to colour: a representation ratio whose interval
/// straddles a threshold, or an answer figure whose interval is wider than [`useful_width`].
/// Rates per 1,000 residents are counts, always coloured; withheld figures are hatched instead.
pub fn too_few_to_tell(figure: &AreaFigure, scale: Scale) -> bool {
    if figure.withheld {
        return false;
    }
    match scale {
        Scale::Ratio => figure.representation == Some(Representation::TooFewToTell),
        _ => figure.value.is_some_and(|v| v.high - v.low > useful_width(scale)),
    }
}

/// Each area's participation figure, from the staff report.
pub fn participation_figures(rows: &[AreaParticipation], metric: &MapMetric) -> Vec<AreaFigure> {
    rows.iter()
        .map(|row| AreaFigure {
            area: row.area.clone(),
            name: row.name.clone(),
            value: match metric {
                MapMetric::Representation => row.representation_ratio,
                _ => row.per_thousand_residents.map(point),
            },
            base: Some(row.responses),
            withheld: false,
            representation: Some(row.representation),
        })
        .collect()
}

/// Each area's participation figure, from the published report: a withheld count hides the
/// area's rate and ratio too.
pub fn published_participation_figures(rows: &[PublicParticipation], metric: &MapMetric) -> Vec<AreaFigure> {
    rows.iter()
        .map(|row| {
            let withheld = row.responses.is_none();
            AreaFigure {
                area: row.area.clone(),
                name: row.name.clone(),
                value: if withheld {
                    None
                } else {
                    match metric {
                        MapMetric::Representation => row.representation_ratio,
                        _ => row.per_thousand_residents.map(point),
                    }
                },
                base: row.responses,
                withheld,
                representation: row.representation,
            }
        })
        .collect()
}

/// Each area's answer figure for one question, from the staff report (groups by area).
pub fn answer_figures(groups: &[GroupResult], metric: &MapMetric) -> Vec<AreaFigure> {
    groups
        .iter()
        .filter_map(|g| {
            let area = g.group.clone()?;
            let value = match metric {
                MapMetric::Option(key) => g.options.iter().find(|o| &o.key == key).and_then(|o| o.share),
                _ => g.headline,
            };
            Some(AreaFigure {
                area,
                name: g.label.clone(),
                value,
                base: Some(g.base),
                withheld: false,
                representation: None,
            })
        })
        .collect()
}

/// The same from the published report: a withheld figure is marked, never guessed.
pub fn published_answer_figures(groups: &[PublicGroup], metric: &MapMetric) -> Vec<AreaFigure> {
    groups
        .iter()
        .filter_map(|g| {
            let area = g.group.clone()?;
            let value = match metric {
                MapMetric::Option(key) => g.options.iter().find(|o| &o.key == key).and_then(|o| o.share),
                _ => g.headline,
            };
            let withheld = g.answered.is_none() || value.is_none() && g.answered.is_some_and(|n| n > 0);
            Some(AreaFigure {
                area,
                name: g.label.clone(),
                value: if withheld { None } else { value },
                base: g.answered,
                withheld,
                representation: None,
            })
        })
        .collect()
}

/// How to order the bars by area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    /// Highest figure first; areas without one last.
    Value,
    /// Lowest figure first, for finding the areas that need attention.
    ValueAscending,
    /// Most answers first.
    Base,
    /// By name, as people read numbers ("NPA 9" before "NPA 10").
    Name,
}

impl SortOrder {
    /// Reads `?sort=`: `value` (default), `lowest`, `answers` or `name`.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "" | "value" => Some(Self::Value),
            "lowest" => Some(Self::ValueAscending),
            "answers" => Some(Self::Base),
            "name" => Some(Self::Name),
            _ => None,
        }
    }

    /// The value of `?sort=` for this order.
    pub fn as_param(self) -> &'static str {
        match self {
            Self::Value => "value",
            Self::ValueAscending => "lowest",
            Self::Base => "answers",
            Self::Name => "name",
        }
    }
}

/// Sorts figures in place; ties and missing values fall back to the name.
pub fn sort_figures(figures: &mut [AreaFigure], order: SortOrder) {
    let value = |f: &AreaFigure| f.value.map(|e| e.value);
    figures.sort_by(|a, b| {
        let by_name = natural_order(&a.name, &b.name);
        let primary = match order {
            SortOrder::Value => missing_last(value(a), value(b), true),
            SortOrder::ValueAscending => missing_last(value(a), value(b), false),
            SortOrder::Base => b.base.unwrap_or(0).cmp(&a.base.unwrap_or(0)),
            SortOrder::Name => std::cmp::Ordering::Equal,
        };
        primary.then(by_name)
    });
}

/// Orders two figures, highest first when `descending`; a missing figure always goes last.
fn missing_last(a: Option<f64>, b: Option<f64>, descending: bool) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) if descending => b.total_cmp(&a),
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// A figure without an interval (rates from counts of everyone, not a sample).
fn point(value: f64) -> Estimate {
    Estimate { value, low: value, high: value }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(name: &str, value: Option<f64>, base: u64) -> AreaFigure {
        AreaFigure {
            area: name.to_lowercase(),
            name: name.to_owned(),
            value: value.map(point),
            base: Some(base),
            withheld: false,
            representation: None,
        }
    }

    #[test]
    fn map_metrics_read_back_what_they_write() {
        for metric in
            [MapMetric::PerThousand, MapMetric::Representation, MapMetric::Headline, MapMetric::Option("yes".into())]
        {
            assert_eq!(MapMetric::parse(&metric.as_param()), Some(metric));
        }
        assert_eq!(MapMetric::parse(""), Some(MapMetric::PerThousand));
        assert_eq!(MapMetric::parse("option:"), None);
        assert_eq!(MapMetric::parse("turnout"), None);
    }

    #[test]
    fn sort_orders_read_back_what_they_write() {
        for order in [SortOrder::Value, SortOrder::ValueAscending, SortOrder::Base, SortOrder::Name] {
            assert_eq!(SortOrder::parse(order.as_param()), Some(order));
        }
        assert_eq!(SortOrder::parse("random"), None);
    }

    #[test]
    fn areas_without_a_figure_go_last_in_either_direction() {
        let mut figures =
            vec![figure("NPA 10", None, 0), figure("NPA 9", Some(0.2), 5), figure("NPA 2", Some(0.7), 12)];
        sort_figures(&mut figures, SortOrder::Value);
        assert_eq!(figures.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["NPA 2", "NPA 9", "NPA 10"]);
        sort_figures(&mut figures, SortOrder::ValueAscending);
        assert_eq!(figures.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["NPA 9", "NPA 2", "NPA 10"]);
        sort_figures(&mut figures, SortOrder::Name);
        assert_eq!(figures.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["NPA 2", "NPA 9", "NPA 10"]);
        sort_figures(&mut figures, SortOrder::Base);
        assert_eq!(figures.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["NPA 2", "NPA 9", "NPA 10"]);
    }

    #[test]
    fn figures_too_uncertain_to_colour_are_told_apart() {
        let figure = |low: f64, high: f64, representation: Option<Representation>| AreaFigure {
            area: "a".into(),
            name: "A".into(),
            value: Some(Estimate { value: (low + high) / 2.0, low, high }),
            base: Some(3),
            withheld: false,
            representation,
        };
        assert!(too_few_to_tell(&figure(0.2, 0.9, None), Scale::Share), "±35 points");
        assert!(!too_few_to_tell(&figure(0.4, 0.6, None), Scale::Share), "±10 points");
        assert!(too_few_to_tell(&figure(2.0, 4.5, None), Scale::Mean));
        assert!(!too_few_to_tell(&figure(0.0, 90.0, None), Scale::PerThousand));
        assert!(too_few_to_tell(&figure(0.3, 1.9, Some(Representation::TooFewToTell)), Scale::Ratio));
        assert!(!too_few_to_tell(&figure(0.1, 0.5, Some(Representation::Under)), Scale::Ratio));
        assert!(!too_few_to_tell(&AreaFigure { withheld: true, ..figure(0.2, 0.9, None) }, Scale::Share));
    }
}

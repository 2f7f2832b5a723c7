//! The map's colour classes. Rates and answers use five quantile classes of one hue (light = low),
//! so each colour holds about as many areas and a skewed rate still shows its spread; the
//! representation ratio uses fixed classes that diverge from "in proportion" (1×), orange below
//! and purple above, with the under-representation threshold as the first break. Both palettes
//! are ColorBrewer's (Blues 5, PuOr 5), chosen to stay distinct for colour-blind readers and in
//! greyscale print. Areas without a figure are grey; withheld areas are hatched.

use serde::{Deserialize, Serialize};

use super::figures::Scale;
use super::words::figure;

/// ColorBrewer Blues, five classes (light to dark).
const SEQUENTIAL: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
/// ColorBrewer PuOr, five classes (orange = under, purple = over).
const DIVERGING: [&str; 5] = ["#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"];
/// An area with no figure (no residents counted, or no answers).
pub const NO_DATA: &str = "#d9d9d9";

/// One colour class: figures from `low` up to (not including) `high`; the last class includes
/// its upper bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegendClass {
    pub low: f64,
    pub high: f64,
    pub color: String,
    pub label: String,
    /// How many areas fall in the class.
    pub areas: usize,
}

/// The legend of a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Legend {
    pub scale: Scale,
    pub classes: Vec<LegendClass>,
}

impl Legend {
    /// Cuts the classes for these figures (`None`: no figure).
    pub fn for_values(scale: Scale, values: &[Option<f64>], under_threshold: f64) -> Self {
        let mut known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
        known.sort_by(f64::total_cmp);
        let bounds = match scale {
            Scale::Ratio => ratio_bounds(under_threshold, &known),
            _ => quantile_bounds(&known),
        };
        let palette: Vec<&str> = match scale {
            Scale::Ratio => DIVERGING.to_vec(),
            // Fewer classes take the darker end's spread evenly: 2 → light and dark.
            _ => spread(&SEQUENTIAL, bounds.len().saturating_sub(1)),
        };
        let classes = bounds
            .windows(2)
            .zip(palette)
            .map(|(pair, color)| LegendClass {
                low: pair[0],
                high: pair[1],
                color: color.to_owned(),
                label: format!("{} to {}", figure(scale, pair[0]), figure(scale, pair[1])),
                areas: 0,
            })
            .collect();
        let mut legend = Legend { scale, classes };
        for value in values.iter().flatten() {
            if let Some(i) = legend.class_of(*value) {
                legend.classes[i].areas += 1;
            }
        }
        legend
    }

    /// The index of the class holding `value`.
    pub fn class_of(&self, value: f64) -> Option<usize> {
        if !value.is_finite() {
            return None;
        }
        let last = self.classes.len().checked_sub(1)?;
        self.classes.iter().position(|c| value >= c.low && value < c.high).or_else(|| {
            // The top class includes its upper bound; values beyond the ends join the end classes.
            if value >= self.classes[last].low {
                Some(last)
            } else if value < self.classes[0].low {
                Some(0)
            } else {
                None
            }
        })
    }

    /// The fill colour of a figure.
    pub fn color_of(&self, value: Option<f64>) -> &str {
        value.and_then(|v| self.class_of(v)).map_or(NO_DATA, |i| self.classes[i].color.as_str())
    }
}

/// Up to five classes with about as many areas each; repeated values merge classes.
fn quantile_bounds(sorted: &[f64]) -> Vec<f64> {
    let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else { return Vec::new() };
    if first == last {
        return vec![first, last];
    }
    let mut bounds = vec![first];
    for i in 1..5 {
        // The value below which i/5 of the areas fall (nearest rank).
        let rank = (i * sorted.len()).div_ceil(5);
        let cut = sorted[rank.min(sorted.len() - 1)];
        if cut > *bounds.last().unwrap_or(&first) && cut < last {
            bounds.push(cut);
        }
    }
    bounds.push(last);
    bounds
}

/// Fixed classes around 1×: far under (below half the threshold's distance), under, in
/// proportion, over, far over. The outer bounds stretch to the figures seen.
fn ratio_bounds(under_threshold: f64, sorted: &[f64]) -> Vec<f64> {
    let under = under_threshold.clamp(0.05, 0.99);
    let far_under = under / 2.0;
    let (over, far_over) = (1.0 / under, 2.0 / under);
    let low = sorted.first().copied().unwrap_or(0.0).min(0.0);
    let high = sorted.last().copied().unwrap_or(far_over).max(far_over * 1.5);
    vec![low, far_under, under, over, far_over, high]
}

/// `n` colours spread evenly over the palette, ends included.
fn spread<'a>(palette: &[&'a str], n: usize) -> Vec<&'a str> {
    match n {
        0 => Vec::new(),
        1 => vec![palette[palette.len() / 2]],
        n => (0..n).map(|i| palette[i * (palette.len() - 1) / (n - 1)]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_quantile_classes_hold_about_as_many_areas_each() {
        let values: Vec<Option<f64>> = (1..=100).map(|v| Some(f64::from(v))).collect();
        let legend = Legend::for_values(Scale::PerThousand, &values, 0.8);
        assert_eq!(legend.classes.len(), 5);
        assert!(legend.classes.iter().all(|c| (19..=21).contains(&c.areas)), "{legend:?}");
        assert_eq!(legend.classes.iter().map(|c| c.areas).sum::<usize>(), 100);
        assert_eq!(legend.color_of(Some(1.0)), SEQUENTIAL[0]);
        assert_eq!(legend.color_of(Some(100.0)), SEQUENTIAL[4]);
        assert_eq!(legend.color_of(None), NO_DATA);
    }

    #[test]
    fn a_skewed_rate_still_spreads_over_the_colours() {
        // Most areas near 1 per 1,000, a few far above: equal intervals would paint almost
        // everything the lightest colour.
        let mut values: Vec<Option<f64>> = (0..90).map(|i| Some(1.0 + f64::from(i) / 100.0)).collect();
        values.extend((0..10).map(|i| Some(20.0 + f64::from(i))));
        let legend = Legend::for_values(Scale::PerThousand, &values, 0.8);
        let colors: std::collections::BTreeSet<&str> = values.iter().map(|v| legend.color_of(*v)).collect();
        assert_eq!(colors.len(), 5);
    }

    #[test]
    fn repeated_values_merge_classes_and_one_value_gets_one_class() {
        let same = vec![Some(0.5); 10];
        let legend = Legend::for_values(Scale::Share, &same, 0.8);
        assert_eq!(legend.classes.len(), 1);
        assert_eq!(legend.classes[0].areas, 10);
        let two = vec![Some(0.0), Some(0.0), Some(0.0), Some(1.0)];
        let legend = Legend::for_values(Scale::Share, &two, 0.8);
        assert_eq!(legend.classes.len(), 1, "{legend:?}");
        assert_eq!(legend.classes.iter().map(|c| c.areas).sum::<usize>(), 4);
        assert!(Legend::for_values(Scale::Share, &[None, None], 0.8).classes.is_empty());
    }

    #[test]
    fn representation_diverges_from_in_proportion_at_the_threshold() {
        let values = [Some(0.1), Some(0.5), Some(0.79), Some(0.8), Some(1.0), Some(1.3), Some(3.0), Some(9.0)];
        let legend = Legend::for_values(Scale::Ratio, &values, 0.8);
        let class = |v: f64| legend.class_of(v).expect("a class");
        assert_eq!(class(0.1), 0, "far under: below 0.4");
        assert_eq!(class(0.5), 1);
        assert_eq!(class(0.79), 1, "just under the threshold is under");
        assert_eq!(class(0.8), 2, "the threshold itself is in proportion");
        assert_eq!(class(1.0), 2);
        assert_eq!(class(1.3), 3, "1.25 = 1 / 0.8 starts over");
        assert_eq!(class(9.0), 4);
        assert_eq!(legend.classes[2].color, "#f7f7f7");
    }

    #[test]
    fn a_value_outside_the_classes_joins_the_end_class() {
        let values: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).collect();
        let legend = Legend::for_values(Scale::Mean, &values, 0.8);
        assert_eq!(legend.class_of(0.0), Some(0));
        assert_eq!(legend.class_of(11.0), Some(legend.classes.len() - 1));
        assert_eq!(legend.class_of(f64::NAN), None);
    }
}

//! Numbers and findings in words a council memo can quote: "59.2% (55.0% to 63.4%)", "answers
//! differ between neighborhoods more than chance would explain (p = 0.003)".

use super::figures::Scale;
use crate::domain::analytics::chi_square::ChiSquare;
use crate::domain::analytics::intervals::Estimate;
use crate::domain::analytics::participation::ComparedWith;
use crate::domain::analytics::results::Gap;

/// The significance level the words use: "more than chance would explain" means p < 0.05.
pub const SIGNIFICANCE: f64 = 0.05;

/// 1115476 → "1,115,476".
pub fn count(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun in the right number: (1, "area", "areas") → "1 area", 2 → "2 areas",
/// 1234 → "1,234 areas".
pub fn how_many(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n as f64), if n == 1 { one } else { many })
}

/// One figure on its scale: "59.2%", "3.4 per 1,000", "0.72×", "3.41", "+12".
pub fn figure(scale: Scale, value: f64) -> String {
    match scale {
        Scale::Share => format!("{:.1}%", value * 100.0),
        Scale::PerThousand => format!("{value:.1} per 1,000"),
        Scale::Ratio => format!("{value:.2}×"),
        Scale::Mean => format!("{value:.2}"),
        Scale::Score => format!("{value:+.0}"),
    }
}

/// A figure with its 95% interval: "59.2% (55.0% to 63.4%)". Point figures (no interval) are
/// shown alone.
pub fn estimate(scale: Scale, e: Estimate) -> String {
    if e.low == e.high {
        return figure(scale, e.value);
    }
    format!("{} ({} to {})", figure(scale, e.value), figure(scale, e.low), figure(scale, e.high))
}

/// What the rate per 1,000 counts responses against.
pub fn per_thousand_title(compared_with: ComparedWith) -> String {
    match compared_with {
        ComparedWith::Adults => "Responses per 1,000 adult residents".to_owned(),
        ComparedWith::AllResidents => "Responses per 1,000 residents".to_owned(),
    }
}

/// "p = 0.003", or "p < 0.001".
pub fn p_value(p: f64) -> String {
    if p < 0.001 { "p < 0.001".to_owned() } else { format!("p = {p:.3}") }
}

/// What the chi-square test says, in one sentence. `between` names what is compared
/// ("neighborhoods", "age groups").
pub fn differences(test: &ChiSquare, between: &str) -> String {
    let finding = if test.p_value < SIGNIFICANCE {
        format!("Answers differ between {between} more than chance would explain ({}).", p_value(test.p_value))
    } else {
        format!(
            "The differences between {between} are no larger than chance alone often produces ({}).",
            p_value(test.p_value)
        )
    };
    if test.small_expected_warning {
        format!(
            "{finding} Many {between} have few answers, so this is a rough guide: {:.0}% of the expected counts are under 5.",
            test.small_expected_share * 100.0
        )
    } else {
        finding
    }
}

/// The largest gap between two groups, with how sure we are of it. Its interval allows for
/// every pair of groups compared (the largest of many gaps is large partly by chance), and the
/// sentence says so; whether groups differ at all is the chi-square's sentence ([`differences`]).
pub fn gap(gap: &Gap, scale: Scale) -> String {
    let d = gap.difference;
    let size = |v: f64| match scale {
        Scale::Share => format!("{:.1} points", v * 100.0),
        _ => figure(scale, v).trim_start_matches('+').to_owned(),
    };
    let interval = if gap.pairs > 1 {
        format!("{} to {}, allowing for all {} pairs compared", size(d.low), size(d.high), gap.pairs)
    } else {
        format!("95% interval {} to {}", size(d.low), size(d.high))
    };
    let sure = if gap.is_clear() {
        "larger than chance would explain"
    } else {
        "it could be chance: the interval includes zero"
    };
    format!("The largest gap: {} is {} above {} ({interval}), {sure}.", gap.highest, size(d.value), gap.lowest)
}

/// The margin of error of a share near 50% with this effective sample size: "±4.0 points".
pub fn margin_of_error(effective_n: f64) -> Option<String> {
    (effective_n >= 1.0).then(|| format!("±{:.1} points", 100.0 * 1.959_964 * (0.25 / effective_n).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_takes_its_noun_in_the_right_number() {
        assert_eq!(how_many(0, "area", "areas"), "0 areas");
        assert_eq!(how_many(1, "area", "areas"), "1 area");
        assert_eq!(how_many(2, "area", "areas"), "2 areas");
        assert_eq!(how_many(1234, "address", "addresses"), "1,234 addresses");
    }

    fn test(p: f64, warning: bool) -> ChiSquare {
        ChiSquare {
            statistic: 10.0,
            degrees_of_freedom: 4,
            p_value: p,
            small_expected_share: 0.4,
            small_expected_warning: warning,
            design_effect: 1.0,
        }
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(1_115_476.0), "1,115,476");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(0.4), "0");
        assert_eq!(count(-3.0), "0");
    }

    #[test]
    fn figures_read_on_their_scale() {
        assert_eq!(figure(Scale::Share, 0.5924), "59.2%");
        assert_eq!(figure(Scale::PerThousand, 3.44), "3.4 per 1,000");
        assert_eq!(figure(Scale::Ratio, 0.7249), "0.72×");
        assert_eq!(figure(Scale::Score, 12.2), "+12");
        assert_eq!(figure(Scale::Score, -3.0), "-3");
        let e = Estimate { value: 0.592, low: 0.55, high: 0.634 };
        assert_eq!(estimate(Scale::Share, e), "59.2% (55.0% to 63.4%)");
        assert_eq!(estimate(Scale::Mean, Estimate { value: 2.0, low: 2.0, high: 2.0 }), "2.00");
    }

    #[test]
    fn the_test_is_worded_by_its_p_value_and_its_warning() {
        assert_eq!(
            differences(&test(0.003, false), "neighborhoods"),
            "Answers differ between neighborhoods more than chance would explain (p = 0.003)."
        );
        assert_eq!(
            differences(&test(0.41, false), "age groups"),
            "The differences between age groups are no larger than chance alone often produces (p = 0.410)."
        );
        assert!(
            differences(&test(0.0001, true), "neighborhoods")
                .contains("(p < 0.001). Many neighborhoods have few answers")
        );
    }

    #[test]
    fn a_gap_says_whether_its_interval_includes_zero() {
        let clear = Gap {
            highest: "NPA 2".into(),
            lowest: "NPA 9".into(),
            difference: Estimate { value: 0.21, low: 0.05, high: 0.35 },
            pairs: 1,
        };
        assert_eq!(
            gap(&clear, Scale::Share),
            "The largest gap: NPA 2 is 21.0 points above NPA 9 (95% interval 5.0 points to 35.0 points), larger than chance would explain."
        );
        let unclear = Gap { difference: Estimate { value: 0.5, low: -0.1, high: 1.1 }, pairs: 21, ..clear };
        assert!(
            gap(&unclear, Scale::Mean)
                .ends_with("allowing for all 21 pairs compared), it could be chance: the interval includes zero."),
            "{}",
            gap(&unclear, Scale::Mean)
        );
    }

    #[test]
    fn the_margin_of_error_is_that_of_a_share_near_half() {
        // 1.96 × √(0.25 / 600) = 0.04001
        assert_eq!(margin_of_error(600.0).as_deref(), Some("±4.0 points"));
        assert_eq!(margin_of_error(0.0), None);
    }
}

//! Display rules: when a page or question is shown, as a condition on earlier answers.
//!
//! In JSON a condition is one of
//! `{"question": "q1", "op": "equals", "value": "yes"}` (a test; `"statement"` names the row of a
//! grid question), `{"all": [ … ]}` (every condition holds) or `{"any": [ … ]}` (at least one does).
//!
//! A test on a question that was not answered (or was hidden) is false, except `not_equals`,
//! `none_of` and `not_answered`, which are true: "show the follow-up unless they said no".

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::answers::{Answer, Answers};

/// A display rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Condition {
    /// Every condition holds (true when empty).
    All { all: Vec<Condition> },
    /// At least one condition holds (false when empty).
    Any { any: Vec<Condition> },
    /// A test on one earlier answer.
    Test(Test),
}

/// A test on the answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Test {
    pub question: String,
    /// For a grid question: the statement (row) tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    pub op: Op,
    /// What to compare with: an option key, a number, a date, or a list for `any_of`/`none_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equals,
    NotEquals,
    AnyOf,
    NoneOf,
    GreaterThan,
    LessThan,
    Answered,
    NotAnswered,
}

impl Op {
    /// Every operator, in the order the designer offers them.
    pub const ALL: [Op; 8] = [
        Op::Equals,
        Op::NotEquals,
        Op::AnyOf,
        Op::NoneOf,
        Op::GreaterThan,
        Op::LessThan,
        Op::Answered,
        Op::NotAnswered,
    ];

    /// Whether the operator compares with a value.
    pub fn takes_value(self) -> bool {
        !matches!(self, Op::Answered | Op::NotAnswered)
    }

    /// Whether the operator orders values (numbers and dates only).
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::GreaterThan | Op::LessThan)
    }
}

impl Condition {
    /// Whether the condition holds for these answers.
    pub fn holds(&self, answers: &Answers) -> bool {
        match self {
            Condition::All { all } => all.iter().all(|c| c.holds(answers)),
            Condition::Any { any } => any.iter().any(|c| c.holds(answers)),
            Condition::Test(test) => test.holds(answers),
        }
    }

    /// Every test in the condition, depth first.
    pub fn tests(&self) -> Vec<&Test> {
        match self {
            Condition::All { all: list } | Condition::Any { any: list } => {
                list.iter().flat_map(Condition::tests).collect()
            }
            Condition::Test(test) => vec![test],
        }
    }
}

impl Test {
    fn holds(&self, answers: &Answers) -> bool {
        let answer = answers.get(&self.question).and_then(|a| match (&self.statement, a) {
            (Some(statement), Answer::Grid(cells)) => {
                cells.get(statement).map(|cell| Answer::Choice { option: cell.clone(), other_text: None })
            }
            (Some(_), _) => None,
            (None, answer) => Some(answer.clone()),
        });
        let Some(answer) = answer else {
            return matches!(self.op, Op::NotEquals | Op::NoneOf | Op::NotAnswered);
        };
        let value = self.value.as_ref();
        match self.op {
            Op::Answered => true,
            Op::NotAnswered => false,
            Op::Equals => value.is_some_and(|v| matches_value(&answer, v)),
            Op::NotEquals => !value.is_some_and(|v| matches_value(&answer, v)),
            Op::AnyOf => list(value).iter().any(|v| matches_value(&answer, v)),
            Op::NoneOf => !list(value).iter().any(|v| matches_value(&answer, v)),
            Op::GreaterThan => compare(&answer, value).is_some_and(|o| o == std::cmp::Ordering::Greater),
            Op::LessThan => compare(&answer, value).is_some_and(|o| o == std::cmp::Ordering::Less),
        }
    }
}

fn list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

/// Whether an answer "is" a value: the chosen option (or one of them), the number, the text.
fn matches_value(answer: &Answer, value: &Value) -> bool {
    match (answer, value) {
        (Answer::Choice { option, .. }, Value::String(v)) => option == v,
        (Answer::Choices { options, .. }, Value::String(v)) => options.contains(v),
        (Answer::Scale(n), Value::Number(v)) => v.as_f64() == Some(f64::from(*n)),
        (Answer::DontKnow, Value::String(v)) => v == super::answers::DONT_KNOW,
        (Answer::Number(n), Value::Number(v)) => v.as_f64() == Some(*n),
        (Answer::Date(d), Value::String(v))
        | (Answer::Text(d), Value::String(v))
        | (Answer::Area(d), Value::String(v)) => d == v,
        _ => false,
    }
}

/// Orders an answer against a value: numbers with numbers, ISO dates with ISO dates.
fn compare(answer: &Answer, value: Option<&Value>) -> Option<std::cmp::Ordering> {
    match (answer, value?) {
        (Answer::Scale(n), Value::Number(v)) => f64::from(*n).partial_cmp(&v.as_f64()?),
        (Answer::Number(n), Value::Number(v)) => n.partial_cmp(&v.as_f64()?),
        (Answer::Date(d), Value::String(v)) => Some(d.as_str().cmp(v.as_str())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn test(question: &str, op: Op, value: Option<Value>) -> Condition {
        Condition::Test(Test { question: question.into(), statement: None, op, value })
    }

    fn answers() -> Answers {
        let mut a = Answers::new();
        a.insert("transport".into(), Answer::Choice { option: "bus".into(), other_text: None });
        a.insert("issues".into(), Answer::Choices { options: vec!["roads".into(), "parks".into()], other_text: None });
        a.insert("safety".into(), Answer::Scale(2));
        a.insert("age".into(), Answer::Number(34.0));
        a.insert("moved_in".into(), Answer::Date("2019-05-01".into()));
        a.insert("services".into(), Answer::Grid(BTreeMap::from([("police".into(), "satisfied".into())])));
        a
    }

    #[test]
    fn equals_compares_the_chosen_option_number_or_date() {
        let a = answers();
        assert!(test("transport", Op::Equals, Some(json!("bus"))).holds(&a));
        assert!(!test("transport", Op::Equals, Some(json!("car"))).holds(&a));
        assert!(
            test("issues", Op::Equals, Some(json!("parks"))).holds(&a),
            "a multiple choice equals any chosen option"
        );
        assert!(test("safety", Op::Equals, Some(json!(2))).holds(&a));
        assert!(test("moved_in", Op::Equals, Some(json!("2019-05-01"))).holds(&a));
    }

    #[test]
    fn ordering_works_on_numbers_and_dates_only() {
        let a = answers();
        assert!(test("safety", Op::LessThan, Some(json!(3))).holds(&a));
        assert!(test("age", Op::GreaterThan, Some(json!(18))).holds(&a));
        assert!(test("moved_in", Op::GreaterThan, Some(json!("2018-12-31"))).holds(&a));
        assert!(!test("transport", Op::GreaterThan, Some(json!(1))).holds(&a));
    }

    #[test]
    fn a_grid_statement_can_be_tested() {
        let a = answers();
        let c = Condition::Test(Test {
            question: "services".into(),
            statement: Some("police".into()),
            op: Op::Equals,
            value: Some(json!("satisfied")),
        });
        assert!(c.holds(&a));
    }

    #[test]
    fn an_unanswered_question_fails_every_test_but_the_negative_ones() {
        let a = answers();
        for op in Op::ALL {
            let expected = matches!(op, Op::NotEquals | Op::NoneOf | Op::NotAnswered);
            assert_eq!(test("missing", op, Some(json!("x"))).holds(&a), expected, "{op:?}");
        }
    }

    #[test]
    fn all_and_any_combine_tests() {
        let a = answers();
        let yes = test("transport", Op::Answered, None);
        let no = test("missing", Op::Answered, None);
        assert!(Condition::All { all: vec![yes.clone(), yes.clone()] }.holds(&a));
        assert!(!Condition::All { all: vec![yes.clone(), no.clone()] }.holds(&a));
        assert!(Condition::Any { any: vec![no.clone(), yes] }.holds(&a));
        assert!(!Condition::Any { any: vec![no] }.holds(&a));
        assert!(Condition::All { all: vec![] }.holds(&a));
        assert!(!Condition::Any { any: vec![] }.holds(&a));
    }

    #[test]
    fn conditions_read_from_json() {
        let c: Condition = serde_json::from_value(json!({
            "any": [
                {"question": "transport", "op": "any_of", "value": ["bus", "train"]},
                {"all": [{"question": "age", "op": "less_than", "value": 18}]}
            ]
        }))
        .expect("valid condition");
        assert!(c.holds(&answers()));
    }
}

//! The survey model: what a survey is (`model`), the rules a definition must follow (`check`),
//! when a page or question is shown (`logic`), and what a valid answer is (`answers`).
//!
//! All pure: the same code validates on the server and runs in the browser.

pub mod answers;
pub mod check;
pub mod demographics;
pub mod edit;
pub mod edit_form;
pub mod example;
pub mod flow;
pub mod form_fields;
pub mod lifecycle;
pub mod logic;
pub mod model;
pub mod new_question;
pub mod page_script;
#[cfg(test)]
mod properties;
pub mod question_form;
pub mod templates;
pub mod texts;

pub use model::{Choice, Page, Question, QuestionKind, SurveyDefinition, SurveyKind, Text};

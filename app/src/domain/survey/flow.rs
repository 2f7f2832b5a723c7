//! A resident's way through a survey, one page per screen: which pages and questions are shown
//! (display rules, each seeing only the valid answers before it), what is wrong on a page, where
//! Next and Back go, and how far along the resident is.
//!
//! [`walk`] is the one evaluation of a response against a survey: `answers::check_response`,
//! the live display rules in the browser and the resident's pages all go through it, so what a
//! resident is shown and what the server accepts never disagree.

use std::collections::BTreeMap;

use serde_json::Value;

use super::answers::{AnswerProblem, Answers, check_answer, problem};
use super::form_fields::raw_answers;
use super::model::SurveyDefinition;

/// The fields a resident has typed so far, as `(name, value)` pairs in the form's naming.
pub type Fields = Vec<(String, String)>;

/// The state of one question in a walk.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionState {
    pub key: String,
    /// Whether its display rule (and its page's) holds.
    pub shown: bool,
    /// What is wrong with the answer given, if the question is shown.
    pub problem: Option<AnswerProblem>,
}

/// The state of one page in a walk.
#[derive(Debug, Clone, PartialEq)]
pub struct PageState {
    pub shown: bool,
    pub questions: Vec<QuestionState>,
}

impl PageState {
    /// The problems on this page's shown questions.
    pub fn problems(&self) -> impl Iterator<Item = &AnswerProblem> {
        self.questions.iter().filter_map(|q| q.problem.as_ref())
    }
}

/// A whole response checked against a survey.
#[derive(Debug, Clone, PartialEq)]
pub struct Walk {
    pub pages: Vec<PageState>,
    /// The valid answers to shown questions; answers to hidden questions are dropped.
    pub answers: Answers,
}

/// Checks raw answers (by question key) page by page, in order.
pub fn walk(survey: &SurveyDefinition, raw: &BTreeMap<String, Value>) -> Walk {
    let mut answers = Answers::new();
    let mut pages = Vec::with_capacity(survey.pages.len());
    for page in &survey.pages {
        let page_shown = page.show_if.as_ref().is_none_or(|c| c.holds(&answers));
        let mut questions = Vec::with_capacity(page.questions.len());
        for question in &page.questions {
            let shown = page_shown && question.show_if.as_ref().is_none_or(|c| c.holds(&answers));
            let mut state = QuestionState { key: question.key.clone(), shown, problem: None };
            if shown {
                match raw.get(&question.key).map(|value| check_answer(question, value)).unwrap_or(Ok(None)) {
                    Ok(Some(answer)) => {
                        answers.insert(question.key.clone(), answer);
                    }
                    Ok(None) if question.required => {
                        state.problem = Some(problem(question, "answer_required", "Please answer this question."));
                    }
                    Ok(None) => {}
                    Err(p) => state.problem = Some(p),
                }
            }
            questions.push(state);
        }
        pages.push(PageState { shown: page_shown, questions });
    }
    Walk { pages, answers }
}

impl Walk {
    /// Every problem on shown questions, in order.
    pub fn problems(&self) -> Vec<AnswerProblem> {
        self.pages.iter().flat_map(PageState::problems).cloned().collect()
    }

    /// The first shown page (a survey always has one page; if every page is hidden, the first).
    pub fn first_page(&self) -> usize {
        self.pages.iter().position(|p| p.shown).unwrap_or(0)
    }

    /// The next shown page after `page`, or `None` when `page` is the last.
    pub fn next_page(&self, page: usize) -> Option<usize> {
        (page + 1..self.pages.len()).find(|&i| self.pages[i].shown)
    }

    /// The shown page before `page`, or `None` on the first.
    pub fn previous_page(&self, page: usize) -> Option<usize> {
        (0..page.min(self.pages.len())).rev().find(|&i| self.pages[i].shown)
    }

    /// The first shown page with a problem, if any.
    pub fn first_page_with_problems(&self) -> Option<usize> {
        self.pages.iter().position(|p| p.shown && p.problems().next().is_some())
    }

    /// `(position, of)`: the page's place among the pages shown, counting from 1.
    pub fn progress(&self, page: usize) -> (usize, usize) {
        let shown: Vec<usize> = (0..self.pages.len()).filter(|&i| self.pages[i].shown).collect();
        let position = shown.iter().position(|&i| i == page).map_or(1, |p| p + 1);
        (position, shown.len().max(1))
    }

    /// A page that exists and is shown, else the first shown page.
    pub fn valid_page(&self, page: usize) -> usize {
        if self.pages.get(page).is_some_and(|p| p.shown) { page } else { self.first_page() }
    }
}

/// What the resident did on a posted page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAction {
    /// Next (or Submit on the last page): check the page and go on.
    Next,
    /// Back: save without checking.
    Back,
    /// A language button: save without checking and stay on the page.
    SwitchLanguage,
    /// "Show the map" without JavaScript, or "Continue later": save without checking and stay on
    /// the page, now with an area question's map (so that nothing typed is lost when a tap on the
    /// map reloads it) or with the link to continue.
    ShowMap,
}

/// Where a posted page leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStop {
    /// Show this page; `check`: with its problems.
    Page { page: usize, check: bool },
    /// Nothing is wrong anywhere and this was the last page: submit the response.
    Submit,
}

impl Walk {
    /// Where the resident goes after `action` on `page` (a shown page, see [`Walk::valid_page`]):
    /// a page with problems is shown again with them; Next on the last page submits, unless an
    /// earlier page still has a problem (answers changed by a display rule), which is shown.
    pub fn next_stop(&self, page: usize, action: PageAction) -> NextStop {
        let stay = |check| NextStop::Page { page, check };
        match action {
            PageAction::SwitchLanguage | PageAction::ShowMap => stay(false),
            PageAction::Back => NextStop::Page { page: self.previous_page(page).unwrap_or(page), check: false },
            PageAction::Next if self.pages.get(page).is_some_and(|p| p.problems().next().is_some()) => stay(true),
            PageAction::Next => match self.next_page(page) {
                Some(next) => NextStop::Page { page: next, check: false },
                None => self
                    .first_page_with_problems()
                    .map_or(NextStop::Submit, |p| NextStop::Page { page: p, check: true }),
            },
        }
    }
}

/// Checks a whole response sent in one piece (the JSON API) and, unlike the resident's form,
/// also refuses answers to unknown questions and to questions the display rules hide: a
/// machine that sends them has misunderstood the survey, and silently dropping them would
/// hide its mistake.
pub fn check_whole_response(
    survey: &SurveyDefinition,
    raw: &BTreeMap<String, Value>,
) -> Result<Answers, Vec<AnswerProblem>> {
    let walk = walk(survey, raw);
    let mut problems = walk.problems();
    let shown = |key: &str| walk.pages.iter().flat_map(|p| &p.questions).any(|q| q.key == key && q.shown);
    for (key, value) in raw {
        let unexpected = |problem_key: &str, message: &str| AnswerProblem {
            question: key.clone(),
            key: problem_key.to_owned(),
            message: message.to_owned(),
        };
        if survey.question(key).is_none() {
            problems.push(unexpected("question_unknown", "The survey has no question with this key."));
        } else if !shown(key) && !value.is_null() {
            problems.push(unexpected(
                "question_hidden",
                "This question is hidden by its display rule for the answers given, so it takes no answer.",
            ));
        }
    }
    if problems.is_empty() { Ok(walk.answers) } else { Err(problems) }
}

/// The question key a field name belongs to (`q`, `q.other`, `q.statement`…).
pub fn question_of_field(name: &str) -> &str {
    name.split_once('.').map_or(name, |(question, _)| question)
}

/// Replaces the saved fields of one page's questions by what was just posted for that page.
/// Posted fields that belong to no question on the page (a tampered form, the honeypot, the
/// navigation buttons) are ignored, so a page can never overwrite another page's answers; of
/// the rest, only what the question's form can send is kept (`form_fields::kept_fields`).
pub fn merge_page(survey: &SurveyDefinition, page: usize, saved: &mut Fields, posted: &[(String, String)]) {
    let Some(page) = survey.pages.get(page) else { return };
    let on_page = |name: &str| page.questions.iter().any(|q| q.key == question_of_field(name));
    saved.retain(|(name, _)| !on_page(name));
    for question in &page.questions {
        saved.extend(super::form_fields::kept_fields(question, posted));
    }
}

/// Walks saved form fields.
pub fn walk_fields(survey: &SurveyDefinition, fields: &[(String, String)]) -> Walk {
    walk(survey, &raw_answers(survey, fields))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::templates::TEMPLATES;

    fn pairs(items: &[(&str, &str)]) -> Fields {
        items.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    fn two_pages_with_a_rule() -> SurveyDefinition {
        SurveyDefinition::from_json(
            &serde_json::json!({"format": 1, "kind": "survey", "languages": ["en"], "title": {"en": "T"},
                "pages": [
                    {"key": "p1", "questions": [{"key": "bus", "type": "single_choice", "required": true, "text": {"en": "Bus?"},
                        "options": [{"key": "yes", "label": {"en": "Yes"}}, {"key": "no", "label": {"en": "No"}}]}]},
                    {"key": "p2", "show_if": {"question": "bus", "op": "equals", "value": "yes"},
                        "questions": [{"key": "rating", "type": "rating", "min": 1, "max": 5, "required": true, "text": {"en": "Rate it"}}]},
                    {"key": "p3", "questions": [{"key": "note", "type": "long_text", "max_length": 10, "text": {"en": "Anything else?"}}]}
                ]})
            .to_string(),
        )
        .expect("parses")
    }

    #[test]
    fn next_goes_on_past_pages_a_rule_hides_and_submits_after_the_last() {
        let survey = two_pages_with_a_rule();
        let walk = walk_fields(&survey, &pairs(&[("bus", "no")]));
        assert_eq!(walk.next_stop(0, PageAction::Next), NextStop::Page { page: 2, check: false });
        assert_eq!(walk.next_stop(2, PageAction::Next), NextStop::Submit);
    }

    #[test]
    fn a_page_with_a_problem_is_shown_again_with_it() {
        let survey = two_pages_with_a_rule();
        let unanswered = walk_fields(&survey, &pairs(&[]));
        assert_eq!(unanswered.next_stop(0, PageAction::Next), NextStop::Page { page: 0, check: true });
        let long = walk_fields(&survey, &pairs(&[("bus", "no"), ("note", "far too long a note")]));
        assert_eq!(long.next_stop(2, PageAction::Next), NextStop::Page { page: 2, check: true });
    }

    #[test]
    fn the_last_page_does_not_submit_while_an_earlier_page_has_a_problem() {
        let survey = two_pages_with_a_rule();
        // "yes" shows page 2, whose required rating was never given.
        let walk = walk_fields(&survey, &pairs(&[("bus", "yes")]));
        assert_eq!(walk.next_stop(2, PageAction::Next), NextStop::Page { page: 1, check: true });
    }

    #[test]
    fn back_and_a_language_switch_save_without_checking() {
        let survey = two_pages_with_a_rule();
        let walk = walk_fields(&survey, &pairs(&[("bus", "no"), ("note", "far too long a note")]));
        assert_eq!(walk.next_stop(2, PageAction::Back), NextStop::Page { page: 0, check: false });
        assert_eq!(walk.next_stop(0, PageAction::Back), NextStop::Page { page: 0, check: false });
        assert_eq!(walk.next_stop(2, PageAction::SwitchLanguage), NextStop::Page { page: 2, check: false });
        assert_eq!(walk.next_stop(2, PageAction::ShowMap), NextStop::Page { page: 2, check: false });
    }

    #[test]
    fn a_page_whose_rule_fails_is_skipped_both_ways() {
        let survey = two_pages_with_a_rule();
        let walk = walk_fields(&survey, &pairs(&[("bus", "no")]));
        assert_eq!(walk.next_page(0), Some(2));
        assert_eq!(walk.previous_page(2), Some(0));
        assert_eq!(walk.progress(2), (2, 2));
        let rider = walk_fields(&survey, &pairs(&[("bus", "yes")]));
        assert_eq!(rider.next_page(0), Some(1));
        assert_eq!(rider.progress(2), (3, 3));
        assert_eq!(rider.next_page(2), None);
    }

    #[test]
    fn problems_belong_to_their_page_and_hidden_pages_have_none() {
        let survey = two_pages_with_a_rule();
        let walk = walk_fields(&survey, &pairs(&[("bus", "no"), ("note", "far too long a note")]));
        assert_eq!(walk.pages[0].problems().count(), 0);
        assert_eq!(walk.pages[1].problems().count(), 0, "the rating page is hidden");
        assert_eq!(walk.pages[2].problems().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["text_too_long"]);
        assert_eq!(walk.first_page_with_problems(), Some(2));
        let empty = walk_fields(&survey, &[]);
        assert_eq!(empty.first_page_with_problems(), Some(0), "the required first question");
    }

    #[test]
    fn answers_to_a_hidden_page_are_dropped() {
        let survey = two_pages_with_a_rule();
        let walk = walk_fields(&survey, &pairs(&[("bus", "no"), ("rating", "4")]));
        assert!(!walk.answers.contains_key("rating"));
        assert!(walk.problems().is_empty());
    }

    #[test]
    fn merging_a_page_replaces_only_that_page_and_ignores_strangers() {
        let survey = two_pages_with_a_rule();
        let mut saved = pairs(&[("bus", "yes"), ("note", "hi")]);
        merge_page(&survey, 0, &mut saved, &pairs(&[("bus", "no"), ("note", "overwritten?"), ("website", "spam")]));
        assert_eq!(saved, pairs(&[("note", "hi"), ("bus", "no")]));
        merge_page(&survey, 9, &mut saved, &pairs(&[("bus", "yes")]));
        assert_eq!(saved, pairs(&[("note", "hi"), ("bus", "no")]), "no such page: nothing changes");
    }

    #[test]
    fn a_whole_response_may_not_answer_hidden_or_unknown_questions() {
        let survey = two_pages_with_a_rule();
        let raw = |v: serde_json::Value| serde_json::from_value::<BTreeMap<String, Value>>(v).expect("map");
        let problems =
            check_whole_response(&survey, &raw(serde_json::json!({"bus": "no", "rating": 4, "colour": "red"})))
                .expect_err("refused");
        let keys: Vec<(&str, &str)> = problems.iter().map(|p| (p.question.as_str(), p.key.as_str())).collect();
        assert_eq!(keys, [("colour", "question_unknown"), ("rating", "question_hidden")]);
        assert!(check_whole_response(&survey, &raw(serde_json::json!({"bus": "yes", "rating": 4}))).is_ok());
    }

    #[test]
    fn an_unknown_page_number_falls_back_to_the_first_shown_page() {
        let survey = two_pages_with_a_rule();
        let walk = walk_fields(&survey, &pairs(&[("bus", "no")]));
        assert_eq!(walk.valid_page(1), 0, "hidden");
        assert_eq!(walk.valid_page(99), 0);
        assert_eq!(walk.valid_page(2), 2);
    }

    #[test]
    fn the_community_template_walks_to_its_end() {
        let survey = TEMPLATES[0].definition().expect("template");
        let walk = walk_fields(&survey, &[]);
        let mut page = walk.first_page();
        let mut seen = 1;
        while let Some(next) = walk.next_page(page) {
            page = next;
            seen += 1;
        }
        assert_eq!(seen, walk.progress(page).1);
    }
}

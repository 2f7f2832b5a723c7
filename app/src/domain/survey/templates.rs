//! Ready-made surveys a designer starts from, in English and Spanish (`app/templates/`).

use super::model::SurveyDefinition;

/// A template: its stable key, its name in the designer, and its definition file.
pub struct Template {
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    json: &'static str,
}

/// Every template, in the order the designer lists them.
pub const TEMPLATES: [Template; 3] = [
    Template {
        key: "community_survey",
        name: "Community survey",
        description: "Quality of life, a satisfaction grid over city services, safety, neighborhood and demographics.",
        json: include_str!("../../../templates/community_survey.json"),
    },
    Template {
        key: "quick_poll",
        name: "Quick poll",
        description: "One question residents answer in seconds; results shown after voting.",
        json: include_str!("../../../templates/quick_poll.json"),
    },
    Template {
        key: "blank",
        name: "Blank survey",
        description: "One page with one question to rename; build the rest yourself.",
        json: include_str!("../../../templates/blank.json"),
    },
];

impl Template {
    /// The template's survey definition.
    pub fn definition(&self) -> Result<SurveyDefinition, super::check::Problem> {
        SurveyDefinition::from_json(self.json)
    }

    /// The template with this key.
    pub fn find(key: &str) -> Option<&'static Template> {
        TEMPLATES.iter().find(|t| t.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::check::{check, missing_translations};

    #[test]
    fn every_template_is_valid_and_fully_translated() {
        for template in &TEMPLATES {
            let survey = template.definition().unwrap_or_else(|e| panic!("{}: {e}", template.key));
            assert_eq!(check(&survey), vec![], "{}", template.key);
            assert_eq!(missing_translations(&survey), vec![], "{}", template.key);
            assert_eq!(survey.languages, vec!["en", "es"], "{}", template.key);
        }
    }

    #[test]
    fn the_community_survey_can_be_answered_in_about_three_minutes() {
        let survey = TEMPLATES[0].definition().expect("valid");
        let questions = survey.questions().count();
        assert!((10..=18).contains(&questions), "{questions} questions");
    }
}

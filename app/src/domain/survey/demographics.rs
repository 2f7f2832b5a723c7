//! The standard demographic questions, with fixed option keys so that answers can be compared
//! with population tables and across surveys. Every item offers "prefer not to say".
//!
//! Categories follow common US city-survey practice and the 2024 OMB race and ethnicity standard
//! (which asks race and Hispanic or Latino origin together, multiple answers allowed); cities
//! that need the older two-question form can use `hispanic_origin` separately.

use serde::{Deserialize, Serialize};

/// One standard demographic question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemographicItem {
    AgeBand,
    Gender,
    RaceEthnicity,
    HispanicOrigin,
    HousingTenure,
    HouseholdIncome,
    HomeLanguage,
}

/// The key of the "prefer not to say" option, offered by every item.
pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

/// An option of a demographic item: key, English label, Spanish label.
pub type DemographicOption = (&'static str, &'static str, &'static str);

impl DemographicItem {
    /// Every item, in the order they are usually asked.
    pub const ALL: [DemographicItem; 7] = [
        DemographicItem::AgeBand,
        DemographicItem::Gender,
        DemographicItem::RaceEthnicity,
        DemographicItem::HispanicOrigin,
        DemographicItem::HousingTenure,
        DemographicItem::HouseholdIncome,
        DemographicItem::HomeLanguage,
    ];

    /// The stable key, used as the answer's key inside the block.
    pub fn key(self) -> &'static str {
        match self {
            DemographicItem::AgeBand => "age_band",
            DemographicItem::Gender => "gender",
            DemographicItem::RaceEthnicity => "race_ethnicity",
            DemographicItem::HispanicOrigin => "hispanic_origin",
            DemographicItem::HousingTenure => "housing_tenure",
            DemographicItem::HouseholdIncome => "household_income",
            DemographicItem::HomeLanguage => "home_language",
        }
    }

    /// The question, in English and Spanish.
    pub fn question(self) -> (&'static str, &'static str) {
        match self {
            DemographicItem::AgeBand => ("What is your age?", "¿Cuál es su edad?"),
            DemographicItem::Gender => ("What is your gender?", "¿Cuál es su género?"),
            DemographicItem::RaceEthnicity => (
                "Which of these describe you? Choose all that apply.",
                "¿Cuáles de estas opciones le describen? Elija todas las que correspondan.",
            ),
            DemographicItem::HispanicOrigin => {
                ("Are you of Hispanic, Latino or Spanish origin?", "¿Es usted de origen hispano, latino o español?")
            }
            DemographicItem::HousingTenure => {
                ("Do you own or rent your home?", "¿Es dueño(a) de su vivienda o la alquila?")
            }
            DemographicItem::HouseholdIncome => (
                "What was your household's total income last year?",
                "¿Cuál fue el ingreso total de su hogar el año pasado?",
            ),
            DemographicItem::HomeLanguage => {
                ("What language is mostly spoken in your home?", "¿Qué idioma se habla principalmente en su hogar?")
            }
        }
    }

    /// Whether several options may be chosen.
    pub fn multiple(self) -> bool {
        matches!(self, DemographicItem::RaceEthnicity)
    }

    /// The options, ending with "prefer not to say".
    pub fn options(self) -> &'static [DemographicOption] {
        match self {
            DemographicItem::AgeBand => &[
                ("18_24", "18–24", "18–24"),
                ("25_34", "25–34", "25–34"),
                ("35_44", "35–44", "35–44"),
                ("45_54", "45–54", "45–54"),
                ("55_64", "55–64", "55–64"),
                ("65_74", "65–74", "65–74"),
                ("75_plus", "75 or older", "75 o más"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
            DemographicItem::Gender => &[
                ("woman", "Woman", "Mujer"),
                ("man", "Man", "Hombre"),
                ("nonbinary", "Non-binary", "No binario"),
                ("self_described", "I describe myself another way", "Me describo de otra manera"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
            DemographicItem::RaceEthnicity => &[
                (
                    "american_indian_alaska_native",
                    "American Indian or Alaska Native",
                    "Indígena americano o nativo de Alaska",
                ),
                ("asian", "Asian", "Asiático"),
                ("black", "Black or African American", "Negro o afroamericano"),
                ("hispanic_latino", "Hispanic or Latino", "Hispano o latino"),
                (
                    "middle_eastern_north_african",
                    "Middle Eastern or North African",
                    "De Medio Oriente o del Norte de África",
                ),
                (
                    "pacific_islander",
                    "Native Hawaiian or Pacific Islander",
                    "Nativo de Hawái o de otras islas del Pacífico",
                ),
                ("white", "White", "Blanco"),
                ("another", "Another race or ethnicity", "Otra raza u origen étnico"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
            DemographicItem::HispanicOrigin => &[
                ("yes", "Yes", "Sí"),
                ("no", "No", "No"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
            DemographicItem::HousingTenure => &[
                ("own", "Own", "Soy dueño(a)"),
                ("rent", "Rent", "Alquilo"),
                ("other", "Other arrangement", "Otra situación"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
            DemographicItem::HouseholdIncome => &[
                ("under_25k", "Less than $25,000", "Menos de $25,000"),
                ("25k_50k", "$25,000 to $49,999", "De $25,000 a $49,999"),
                ("50k_75k", "$50,000 to $74,999", "De $50,000 a $74,999"),
                ("75k_100k", "$75,000 to $99,999", "De $75,000 a $99,999"),
                ("100k_150k", "$100,000 to $149,999", "De $100,000 a $149,999"),
                ("150k_plus", "$150,000 or more", "$150,000 o más"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
            DemographicItem::HomeLanguage => &[
                ("english", "English", "Inglés"),
                ("spanish", "Spanish", "Español"),
                ("chinese", "Chinese", "Chino"),
                ("vietnamese", "Vietnamese", "Vietnamita"),
                ("arabic", "Arabic", "Árabe"),
                ("other", "Another language", "Otro idioma"),
                (PREFER_NOT_TO_SAY, "Prefer not to say", "Prefiero no decirlo"),
            ],
        }
    }

    /// Whether `key` is one of this item's options.
    pub fn has_option(self, key: &str) -> bool {
        self.options().iter().any(|(k, _, _)| *k == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_offers_prefer_not_to_say_last() {
        for item in DemographicItem::ALL {
            assert_eq!(item.options().last().map(|o| o.0), Some(PREFER_NOT_TO_SAY), "{item:?}");
        }
    }

    #[test]
    fn option_keys_are_unique_within_an_item() {
        for item in DemographicItem::ALL {
            let mut keys: Vec<_> = item.options().iter().map(|o| o.0).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), item.options().len(), "{item:?}");
        }
    }
}

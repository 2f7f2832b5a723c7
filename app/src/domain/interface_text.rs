//! The interface's own words on residents' pages (not the survey's texts, which are translated
//! by the designer), in English and Spanish. English is the fallback for any other language.

/// A piece of interface text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    Required,
    PleaseSpecify,
    ChooseYourArea,
    AreaListNote,
    RankingHint,
}

/// The phrase in `language` (a tag such as `es` or `es-MX`), or English.
pub fn phrase(phrase: Phrase, language: &str) -> &'static str {
    let spanish = language == "es" || language.starts_with("es-");
    match (phrase, spanish) {
        (Phrase::Required, false) => " (required)",
        (Phrase::Required, true) => " (obligatoria)",
        (Phrase::PleaseSpecify, false) => "Please specify",
        (Phrase::PleaseSpecify, true) => "Especifique, por favor",
        (Phrase::ChooseYourArea, false) => "Choose your neighborhood",
        (Phrase::ChooseYourArea, true) => "Elija su vecindario",
        (Phrase::AreaListNote, false) => "The list of neighborhoods comes from the city's imported area sets.",
        (Phrase::AreaListNote, true) => "La lista de vecindarios proviene de las zonas que importó la ciudad.",
        (Phrase::RankingHint, false) => "Number them from 1 (first choice) to",
        (Phrase::RankingHint, true) => "Numérelas del 1 (primera opción) al",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_readers_get_spanish_and_everyone_else_english() {
        assert_eq!(phrase(Phrase::Required, "es-MX"), " (obligatoria)");
        assert_eq!(phrase(Phrase::Required, "vi"), " (required)");
    }
}

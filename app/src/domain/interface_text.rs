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
    NoAreasYet,
    MapOfAreas,
    UseMyLocation,
    FindingYourLocation,
    OutsideTheCity,
    LocationUnavailable,
    YourArea,
    SearchAreas,
    NoAreaMatches,
    ZipCode,
    FindByZip,
    ZipUnknown,
    ZipSeveral,
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
        (Phrase::AreaListNote, false) => "Choose from the list, tap the map, or use your location.",
        (Phrase::AreaListNote, true) => "Elija de la lista, toque el mapa o use su ubicación.",
        (Phrase::NoAreasYet, false) => "The city has not set up its neighborhoods yet.",
        (Phrase::NoAreasYet, true) => "La ciudad todavía no ha configurado sus vecindarios.",
        (Phrase::MapOfAreas, false) => "Map: tap your neighborhood",
        (Phrase::MapOfAreas, true) => "Mapa: toque su vecindario",
        (Phrase::UseMyLocation, false) => "Use my location",
        (Phrase::UseMyLocation, true) => "Usar mi ubicación",
        (Phrase::FindingYourLocation, false) => "Finding your location…",
        (Phrase::FindingYourLocation, true) => "Buscando su ubicación…",
        (Phrase::OutsideTheCity, false) => {
            "That location is outside the city. You can still choose a neighborhood from the list."
        }
        (Phrase::OutsideTheCity, true) => {
            "Esa ubicación está fuera de la ciudad. Aún puede elegir un vecindario de la lista."
        }
        (Phrase::LocationUnavailable, false) => {
            "Your location is not available. Please choose from the list or the map."
        }
        (Phrase::LocationUnavailable, true) => "Su ubicación no está disponible. Elija de la lista o del mapa.",
        (Phrase::YourArea, false) => "Your neighborhood:",
        (Phrase::YourArea, true) => "Su vecindario:",
        (Phrase::SearchAreas, false) => "Search by name",
        (Phrase::SearchAreas, true) => "Buscar por nombre",
        (Phrase::NoAreaMatches, false) => "No neighborhood has that name.",
        (Phrase::NoAreaMatches, true) => "Ningún vecindario tiene ese nombre.",
        (Phrase::ZipCode, false) => "Or your ZIP code",
        (Phrase::ZipCode, true) => "O su código postal",
        (Phrase::FindByZip, false) => "Find",
        (Phrase::FindByZip, true) => "Buscar",
        (Phrase::ZipUnknown, false) => "That ZIP code is not in the city. You can still choose from the list.",
        (Phrase::ZipUnknown, true) => "Ese código postal no está en la ciudad. Aún puede elegir de la lista.",
        (Phrase::ZipSeveral, false) => "Your ZIP code covers more than one neighborhood. Which one is yours?",
        (Phrase::ZipSeveral, true) => "Su código postal abarca más de un vecindario. ¿Cuál es el suyo?",
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

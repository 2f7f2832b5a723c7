//! Which language a resident reads a survey in: their explicit choice (remembered in a cookie),
//! else the first of their browser's `Accept-Language` preferences the survey offers, else the
//! survey's default language.

/// Picks a language among `offered` (the survey's languages, default first).
pub fn choose_language(offered: &[String], chosen: Option<&str>, accept_language: Option<&str>) -> String {
    let default = offered.first().cloned().unwrap_or_else(|| "en".to_owned());
    if let Some(chosen) = chosen.and_then(|c| best_match(offered, c)) {
        return chosen;
    }
    let Some(header) = accept_language else { return default };
    let mut preferences: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let quality =
                pieces.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && tag != "*" && quality > 0.0).then_some((quality, tag))
        })
        .collect();
    // Stable: equal qualities keep the browser's order.
    preferences.sort_by(|a, b| b.0.total_cmp(&a.0));
    preferences.into_iter().find_map(|(_, tag)| best_match(offered, tag)).unwrap_or(default)
}

/// `tag` if offered, else an offered language with the same primary subtag (`es-MX` → `es`).
fn best_match(offered: &[String], tag: &str) -> Option<String> {
    let tag = tag.trim().to_ascii_lowercase();
    let primary = tag.split('-').next().unwrap_or_default();
    offered
        .iter()
        .find(|o| o.to_ascii_lowercase() == tag)
        .or_else(|| offered.iter().find(|o| o.to_ascii_lowercase().split('-').next() == Some(primary)))
        .cloned()
}

/// A language's name in itself, for the language switcher.
pub fn native_name(tag: &str) -> &str {
    match tag.split('-').next().unwrap_or(tag) {
        "en" => "English",
        "es" => "Español",
        "vi" => "Tiếng Việt",
        "zh" => "中文",
        "fr" => "Français",
        "ar" => "العربية",
        "ko" => "한국어",
        "tl" => "Tagalog",
        "ru" => "Русский",
        "pt" => "Português",
        _ => tag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Vec<String> {
        vec!["en".into(), "es".into()]
    }

    #[test]
    fn the_browser_preference_decides_when_the_resident_has_not_chosen() {
        assert_eq!(choose_language(&offered(), None, Some("es-MX,es;q=0.9,en;q=0.8")), "es");
        assert_eq!(choose_language(&offered(), None, Some("fr-FR, en;q=0.5")), "en");
        assert_eq!(choose_language(&offered(), None, Some("en;q=0.2, es;q=0.8")), "es");
        assert_eq!(choose_language(&offered(), None, Some("vi")), "en", "default when nothing matches");
        assert_eq!(choose_language(&offered(), None, None), "en");
    }

    #[test]
    fn an_explicit_choice_wins_unless_the_survey_does_not_offer_it() {
        assert_eq!(choose_language(&offered(), Some("es"), Some("en")), "es");
        assert_eq!(choose_language(&offered(), Some("vi"), Some("es")), "es");
    }

    #[test]
    fn garbage_headers_fall_back_to_the_default() {
        for header in ["", ",,,", ";q=x", "es;q=abc", "*", "es;q=0"] {
            assert_eq!(choose_language(&offered(), None, Some(header)), "en", "{header}");
        }
    }
}

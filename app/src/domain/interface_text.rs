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
    StreetAddress,
    AddressUnknown,
    AddressSeveral,
    Next,
    Back,
    Submit,
    PageOf,
    Of,
    Language,
    CheckAnswers,
    ContinueLater,
    ContinueLaterHint,
    LeaveEmpty,
    ThankYou,
    Stored,
    YourReceipt,
    ReceiptHint,
    ResultsSoFar,
    ResultsTooFew,
    ResultsAfterClose,
    FinalResults,
    Withheld,
    Votes,
    NotYetOpen,
    OpensAt,
    Closed,
    ClosedHint,
    InviteNeeded,
    InviteCode,
    InviteStart,
    InviteUnknown,
    InviteUsed,
    AlreadyAnswered,
    TooMany,
    LooksAutomated,
    NotAccepted,
    InvitedNote,
    ShowMap,
    LoadingMap,
    MapViewNote,
    BackToQuestions,
    WholeMap,
    ZoomHint,
    TooManyCodeTries,
    ResumeQuestion,
    ResumeExplain,
    ResumeContinue,
    ResumeStartNew,
    ResumeLinkClosed,
    ResumeLinkClosedTitle,
    SubmissionReused,
    SavedOnDevice,
    ContinueLaterLink,
    CopyLink,
    LinkCopied,
    ContinuedElsewhereTitle,
    ContinuedElsewhere,
    StartNewHere,
}

/// What a resident is told about a refused response.
pub fn refusal_phrase(refusal: crate::domain::submission::Refusal) -> Phrase {
    use crate::domain::submission::Refusal;
    match refusal {
        Refusal::LooksAutomated => Phrase::LooksAutomated,
        Refusal::TooMany => Phrase::TooMany,
        Refusal::AlreadyAnswered => Phrase::AlreadyAnswered,
        Refusal::Closed => Phrase::Closed,
        Refusal::InviteNeeded => Phrase::InviteNeeded,
        Refusal::InviteUsed => Phrase::InviteUsed,
        Refusal::TooManyCodeTries => Phrase::TooManyCodeTries,
        Refusal::SubmissionReused => Phrase::SubmissionReused,
    }
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
        (Phrase::StreetAddress, false) => "Or your street address",
        (Phrase::StreetAddress, true) => "O su dirección",
        (Phrase::AddressUnknown, false) => {
            "No address in the city starts like that. Check the spelling, or choose from the list."
        }
        (Phrase::AddressUnknown, true) => {
            "Ninguna dirección de la ciudad empieza así. Revise cómo la escribió o elija de la lista."
        }
        (Phrase::AddressSeveral, false) => "Choose your address:",
        (Phrase::AddressSeveral, true) => "Elija su dirección:",
        (Phrase::FindByZip, false) => "Find",
        (Phrase::FindByZip, true) => "Buscar",
        (Phrase::ZipUnknown, false) => "That ZIP code is not in the city. You can still choose from the list.",
        (Phrase::ZipUnknown, true) => "Ese código postal no está en la ciudad. Aún puede elegir de la lista.",
        (Phrase::ZipSeveral, false) => "Your ZIP code covers more than one neighborhood. Which one is yours?",
        (Phrase::ZipSeveral, true) => "Su código postal abarca más de un vecindario. ¿Cuál es el suyo?",
        (Phrase::RankingHint, false) => "Number them from 1 (first choice) to",
        (Phrase::RankingHint, true) => "Numérelas del 1 (primera opción) al",
        (Phrase::Next, false) => "Next",
        (Phrase::Next, true) => "Siguiente",
        (Phrase::Back, false) => "Back",
        (Phrase::Back, true) => "Atrás",
        (Phrase::Submit, false) => "Submit my answers",
        (Phrase::Submit, true) => "Enviar mis respuestas",
        (Phrase::PageOf, false) => "Page",
        (Phrase::PageOf, true) => "Página",
        (Phrase::Of, false) => "of",
        (Phrase::Of, true) => "de",
        (Phrase::Language, false) => "Language",
        (Phrase::Language, true) => "Idioma",
        (Phrase::CheckAnswers, false) => "Please check the answers marked below.",
        (Phrase::CheckAnswers, true) => "Revise las respuestas marcadas abajo, por favor.",
        (Phrase::ContinueLater, false) => "Continue later",
        (Phrase::ContinueLater, true) => "Continuar más tarde",
        (Phrase::ContinueLaterHint, false) => {
            "Your answers so far are saved. Keep this link to continue where you stopped, on this or another device; anyone with it can see your answers until you submit."
        }
        (Phrase::ContinueLaterHint, true) => {
            "Sus respuestas hasta ahora están guardadas. Guarde este enlace para continuar donde se quedó, en este u otro dispositivo; quien lo tenga puede ver sus respuestas hasta que las envíe."
        }
        (Phrase::ContinueLaterLink, false) => "Your link to continue",
        (Phrase::ContinueLaterLink, true) => "Su enlace para continuar",
        (Phrase::CopyLink, false) => "Copy the link",
        (Phrase::CopyLink, true) => "Copiar el enlace",
        (Phrase::LinkCopied, false) => "Link copied.",
        (Phrase::LinkCopied, true) => "Enlace copiado.",
        (Phrase::ContinuedElsewhereTitle, false) => "You continued on another device",
        (Phrase::ContinuedElsewhereTitle, true) => "Continuó en otro dispositivo",
        (Phrase::ContinuedElsewhere, false) => {
            "The answers you started here were opened with your “continue later” link on another device, and moved there. Finish on that device, or start a new response here."
        }
        (Phrase::ContinuedElsewhere, true) => {
            "Las respuestas que empezó aquí se abrieron con su enlace para continuar más tarde en otro dispositivo y pasaron a él. Termine en ese dispositivo o empiece una respuesta nueva aquí."
        }
        (Phrase::StartNewHere, false) => "Start a new response here",
        (Phrase::StartNewHere, true) => "Empezar una respuesta nueva aquí",
        (Phrase::ResumeQuestion, false) => "Continue the response you started?",
        (Phrase::ResumeQuestion, true) => "¿Continuar la respuesta que empezó?",
        (Phrase::ResumeExplain, false) => {
            "This link opens answers saved on another device. Continue only if you started them yourself. Once you continue here, the link stops working and the answers can be continued only in this browser."
        }
        (Phrase::ResumeExplain, true) => {
            "Este enlace abre respuestas guardadas en otro dispositivo. Continúe solo si usted las empezó. Cuando continúe aquí, el enlace dejará de funcionar y las respuestas solo se podrán continuar en este navegador."
        }
        (Phrase::ResumeContinue, false) => "Continue my response",
        (Phrase::ResumeContinue, true) => "Continuar mi respuesta",
        (Phrase::ResumeStartNew, false) => "Start a new response instead",
        (Phrase::ResumeStartNew, true) => "Empezar una respuesta nueva",
        (Phrase::ResumeLinkClosed, false) => {
            "This link no longer opens a response: it was continued on another device, the response was submitted, or it expired."
        }
        (Phrase::ResumeLinkClosed, true) => {
            "Este enlace ya no abre una respuesta: se continuó en otro dispositivo, la respuesta se envió o venció."
        }
        (Phrase::ResumeLinkClosedTitle, false) => "This link no longer works",
        (Phrase::ResumeLinkClosedTitle, true) => "Este enlace ya no funciona",
        (Phrase::SubmissionReused, false) => {
            "This form was already sent with other answers. Please go back to the survey's first page and send it again."
        }
        (Phrase::SubmissionReused, true) => {
            "Este formulario ya se envió con otras respuestas. Vuelva a la primera página de la encuesta y envíelo de nuevo."
        }
        (Phrase::SavedOnDevice, false) => {
            "No connection. Your answers are saved on this phone and will be sent as soon as it is back online."
        }
        (Phrase::SavedOnDevice, true) => {
            "Sin conexión. Sus respuestas están guardadas en este teléfono y se enviarán en cuanto vuelva a tener conexión."
        }
        (Phrase::LeaveEmpty, false) => "Leave this field empty",
        (Phrase::LeaveEmpty, true) => "Deje este campo vacío",
        (Phrase::ThankYou, false) => "Thank you!",
        (Phrase::ThankYou, true) => "¡Gracias!",
        (Phrase::Stored, false) => "Your answers have been received and saved.",
        (Phrase::Stored, true) => "Sus respuestas se recibieron y se guardaron.",
        (Phrase::YourReceipt, false) => "Your receipt code:",
        (Phrase::YourReceipt, true) => "Su código de recibo:",
        (Phrase::ReceiptHint, false) => {
            "Keep it if you want to ask the city about your response. It does not show who you are."
        }
        (Phrase::ReceiptHint, true) => {
            "Guárdelo si quiere preguntar a la ciudad sobre su respuesta. No muestra quién es usted."
        }
        (Phrase::ResultsSoFar, false) => "Results so far",
        (Phrase::ResultsSoFar, true) => "Resultados hasta ahora",
        (Phrase::ResultsAfterClose, false) => "The results will be shown here when the poll closes.",
        (Phrase::ResultsAfterClose, true) => "Los resultados se mostrarán aquí cuando cierre la encuesta.",
        (Phrase::FinalResults, false) => "Results",
        (Phrase::FinalResults, true) => "Resultados",
        (Phrase::ResultsTooFew, false) => "Results appear once a few more people have answered.",
        (Phrase::ResultsTooFew, true) => "Los resultados aparecerán cuando respondan algunas personas más.",
        (Phrase::Withheld, false) => "too few to show",
        (Phrase::Withheld, true) => "muy pocas para mostrar",
        (Phrase::Votes, false) => "answers",
        (Phrase::Votes, true) => "respuestas",
        (Phrase::NotYetOpen, false) => "This survey is not open yet.",
        (Phrase::NotYetOpen, true) => "Esta encuesta todavía no está abierta.",
        (Phrase::OpensAt, false) => "It opens on",
        (Phrase::OpensAt, true) => "Se abre el",
        (Phrase::Closed, false) => "This survey has closed.",
        (Phrase::Closed, true) => "Esta encuesta ya cerró.",
        (Phrase::ClosedHint, false) => "Thank you for your interest. It is no longer taking answers.",
        (Phrase::ClosedHint, true) => "Gracias por su interés. Ya no recibe respuestas.",
        (Phrase::InviteNeeded, false) => {
            "This survey is for the households that received a letter. Enter the code printed on your letter."
        }
        (Phrase::InviteNeeded, true) => {
            "Esta encuesta es para los hogares que recibieron una carta. Escriba el código impreso en su carta."
        }
        (Phrase::InviteCode, false) => "Invite code",
        (Phrase::InviteCode, true) => "Código de invitación",
        (Phrase::InviteStart, false) => "Start the survey",
        (Phrase::InviteStart, true) => "Comenzar la encuesta",
        (Phrase::InviteUnknown, false) => {
            "That code is not right. Check it against your letter (for example K7QX-M3PR)."
        }
        (Phrase::InviteUnknown, true) => "Ese código no es correcto. Compárelo con su carta (por ejemplo K7QX-M3PR).",
        (Phrase::InviteUsed, false) => "This code has already been used to answer the survey.",
        (Phrase::InviteUsed, true) => "Este código ya se usó para responder la encuesta.",
        (Phrase::AlreadyAnswered, false) => "You have already answered this survey on this device. Thank you!",
        (Phrase::AlreadyAnswered, true) => "Ya respondió esta encuesta en este dispositivo. ¡Gracias!",
        (Phrase::TooMany, false) => {
            "Many answers have come from your network in the last hour. Please try again later, or ask the city for a paper form."
        }
        (Phrase::TooMany, true) => {
            "Llegaron muchas respuestas desde su red en la última hora. Intente más tarde o pida a la ciudad un formulario en papel."
        }
        (Phrase::LooksAutomated, false) => {
            "We could not accept this response because a hidden field was filled in, which usually means a program sent it. If you are a person, please go back and submit again."
        }
        (Phrase::LooksAutomated, true) => {
            "No pudimos aceptar esta respuesta porque se llenó un campo oculto, lo que suele indicar que la envió un programa. Si usted es una persona, regrese y envíela de nuevo."
        }
        (Phrase::NotAccepted, false) => "Your response was not accepted",
        (Phrase::NotAccepted, true) => "Su respuesta no fue aceptada",
        (Phrase::InvitedNote, false) => "You are answering with your invite code.",
        (Phrase::InvitedNote, true) => "Está respondiendo con su código de invitación.",
        (Phrase::ShowMap, false) => "Show the map to tap your neighborhood",
        (Phrase::ShowMap, true) => "Mostrar el mapa para tocar su vecindario",
        (Phrase::LoadingMap, false) => "Loading the map…",
        (Phrase::LoadingMap, true) => "Cargando el mapa…",
        (Phrase::MapViewNote, false) => {
            "Tap your neighborhood on the map, or choose it from the list. Your other answers on this page are kept."
        }
        (Phrase::MapViewNote, true) => {
            "Toque su vecindario en el mapa o elíjalo de la lista. Sus otras respuestas en esta página se conservan."
        }
        (Phrase::WholeMap, false) => "Show the whole map",
        (Phrase::WholeMap, true) => "Mostrar todo el mapa",
        (Phrase::ZoomHint, false) => "Tap a district or town to zoom in, then tap your neighborhood.",
        (Phrase::ZoomHint, true) => "Toque un distrito o municipio para acercarlo y luego toque su vecindario.",
        (Phrase::BackToQuestions, false) => "Back to all the questions on this page",
        (Phrase::BackToQuestions, true) => "Volver a todas las preguntas de esta página",
        (Phrase::TooManyCodeTries, false) => {
            "Too many invite codes were tried from your network in the last hour. Please check the code on your letter and try again later."
        }
        (Phrase::TooManyCodeTries, true) => {
            "Se probaron demasiados códigos de invitación desde su red en la última hora. Revise el código de su carta e intente más tarde."
        }
    }
}

/// A problem with an answer, in the resident's language. The English message is the checker's
/// own; Spanish is written here, by the problem's key, with the numbers the message names.
pub fn answer_problem(problem: &crate::domain::survey::answers::AnswerProblem, language: &str) -> String {
    let spanish = language == "es" || language.starts_with("es-");
    if !spanish {
        return problem.message.clone();
    }
    let numbers: Vec<&str> = problem
        .message
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .map(|n| n.trim_end_matches('.'))
        .filter(|n| n.parse::<f64>().is_ok())
        .collect();
    let n = |i: usize| numbers.get(i).copied().unwrap_or("");
    match problem.key.as_str() {
        "answer_required" => "Responda esta pregunta, por favor.".to_owned(),
        "too_few_selected" => format!("Elija al menos {}.", n(0)),
        "too_many_selected" => format!("Elija como máximo {}.", n(0)),
        "text_too_long" => format!("Use menos de {} caracteres.", n(0)),
        "grid_incomplete" => "Responda cada afirmación.".to_owned(),
        "other_text_missing" => "Diga qué es «otro», por favor.".to_owned(),
        "whole_number_expected" => "Escriba un número entero.".to_owned(),
        "number_out_of_range" if numbers.len() == 2 => format!("Escriba un número del {} al {}.", n(0), n(1)),
        "number_out_of_range" => "Escriba un número dentro del rango permitido.".to_owned(),
        "date_invalid" => "Escriba una fecha como AAAA-MM-DD.".to_owned(),
        "date_out_of_range" => "Escriba una fecha dentro del rango permitido.".to_owned(),
        "area_unknown" => "Elija su vecindario de la lista.".to_owned(),
        _ => "Elija o escriba una respuesta válida.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_problems_read_in_spanish_keep_their_numbers() {
        use crate::domain::survey::answers::AnswerProblem;
        let problem =
            |key: &str, message: &str| AnswerProblem { question: "q".into(), key: key.into(), message: message.into() };
        assert_eq!(answer_problem(&problem("too_many_selected", "Choose at most 3."), "es"), "Elija como máximo 3.");
        assert_eq!(
            answer_problem(&problem("number_out_of_range", "Enter a number from 0 to 120."), "es"),
            "Escriba un número del 0 al 120."
        );
        assert_eq!(
            answer_problem(&problem("text_too_long", "Keep it under 200 characters."), "en"),
            "Keep it under 200 characters."
        );
    }

    #[test]
    fn spanish_readers_get_spanish_and_everyone_else_english() {
        assert_eq!(phrase(Phrase::Required, "es-MX"), " (obligatoria)");
        assert_eq!(phrase(Phrase::Required, "vi"), " (required)");
    }
}

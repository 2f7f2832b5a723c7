//! Who may answer a survey and how a response arrived: a survey's access (open link, invite
//! codes or both), the response's channel, invite codes as residents type them from a letter, and
//! the receipt a resident is given.

use serde::{Deserialize, Serialize};

/// The symbols of invite codes and receipts: Crockford's base 32 (no I, L, O or U to misread).
pub const CODE_SYMBOLS: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols in an invite code or a receipt (40 bits; shown as two groups of four).
pub const CODE_LENGTH: usize = 8;

/// The name of the form field people never see (hidden from sight and from screen readers) and
/// only robots fill in.
pub const HONEYPOT_FIELD: &str = "website";

/// Whether text could be a survey's public key, the `{key}` of `/s/{key}`: 4 to 32 lower-case
/// letters and digits (Canvass makes keys of 8). Anything else in that place of an address is
/// answered 404 before the survey is looked up or a cookie is set.
pub fn is_public_key(text: &str) -> bool {
    (4..=32).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Who may answer a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone with the link.
    #[default]
    Open,
    /// Only households with an invite code (a mailed random sample).
    InviteOnly,
    /// Both: invited households and anyone with the link, told apart by channel.
    Both,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Open => "open",
            Access::InviteOnly => "invite_only",
            Access::Both => "both",
        }
    }

    /// Reads a stored or posted name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "open" => Some(Access::Open),
            "invite_only" => Some(Access::InviteOnly),
            "both" => Some(Access::Both),
            _ => None,
        }
    }

    /// Whether the public link admits residents without a code.
    pub fn admits_open_link(self) -> bool {
        self != Access::InviteOnly
    }

    /// Whether invite codes are accepted.
    pub fn admits_invite_codes(self) -> bool {
        self != Access::Open
    }
}

/// How a response arrived. The analysis treats the invited sample and open-link responses
/// differently (only the sample is a probability sample).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// With an invite code from a mailed sample.
    Invited,
    /// Through the public link.
    Open,
    /// Typed in by staff from a paper form.
    Paper,
    /// At a staffed kiosk (library, event).
    Kiosk,
}

impl Channel {
    /// Every channel, in the order staff see them.
    pub const ALL: [Channel; 4] = [Channel::Invited, Channel::Open, Channel::Paper, Channel::Kiosk];

    /// What staff call the channel (the results filter, the fieldwork view).
    pub fn label(self) -> &'static str {
        match self {
            Channel::Invited => "Invited sample",
            Channel::Open => "Open link",
            Channel::Paper => "Paper forms",
            Channel::Kiosk => "Kiosks",
        }
    }

    /// The channel as a published methods note describes it.
    pub fn described(self) -> &'static str {
        match self {
            Channel::Invited => "invited sample (invite codes)",
            Channel::Open => "open link",
            Channel::Paper => "paper forms",
            Channel::Kiosk => "staffed kiosks",
        }
    }

    /// The stable name, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Invited => "invited",
            Channel::Open => "open",
            Channel::Paper => "paper",
            Channel::Kiosk => "kiosk",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "invited" => Some(Channel::Invited),
            "open" => Some(Channel::Open),
            "paper" => Some(Channel::Paper),
            "kiosk" => Some(Channel::Kiosk),
            _ => None,
        }
    }
}

/// An invite code or receipt as typed by a person: case, spaces and dashes do not matter, and
/// the letters Crockford's alphabet leaves out are read as the digits they look like (O → 0,
/// I and L → 1). `None` when it cannot be a code.
pub fn parse_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_SYMBOLS.contains(&b))).then_some(code)
}

/// A stored code as people read it: `K7QX-M3PR`.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LENGTH && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_lower_case_letters_and_digits_can_be_a_public_key() {
        assert!(is_public_key("k3m9x2pq"));
        for bad in ["", "abc", "K3M9X2PQ", "abc;Domain=evil.example", "abc/def", "a b c d", &"a".repeat(33)] {
            assert!(!is_public_key(bad), "{bad:?}");
        }
    }

    use super::*;

    #[test]
    fn codes_typed_from_paper_are_forgiving_about_case_dashes_and_lookalikes() {
        assert_eq!(parse_code("k7qx-m3pr").as_deref(), Some("K7QXM3PR"));
        assert_eq!(parse_code(" K7QX M3PR ").as_deref(), Some("K7QXM3PR"));
        assert_eq!(parse_code("O1IL-ABCD").as_deref(), Some("0111ABCD"));
        assert_eq!(display_code("K7QXM3PR"), "K7QX-M3PR");
    }

    #[test]
    fn what_cannot_be_a_code_is_refused() {
        for bad in ["", "K7QX", "K7QXM3PRX", "K7QX-M3P!", "UUUUUUUU", "ñññññññ", "K7QX—M3PR"] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_channel_has_its_own_name_and_label() {
        let names: std::collections::HashSet<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
        let labels: std::collections::HashSet<&str> = Channel::ALL.iter().map(|c| c.label()).collect();
        assert_eq!((names.len(), labels.len()), (4, 4));
        assert!(Channel::ALL.iter().all(|c| Channel::parse(c.as_str()) == Some(*c)));
    }

    #[test]
    fn access_and_channel_names_round_trip() {
        for access in [Access::Open, Access::InviteOnly, Access::Both] {
            assert_eq!(Access::parse(access.as_str()), Some(access));
        }
        for channel in [Channel::Invited, Channel::Open, Channel::Paper, Channel::Kiosk] {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
        assert!(!Access::InviteOnly.admits_open_link());
        assert!(Access::Both.admits_open_link() && Access::Both.admits_invite_codes());
        assert_eq!(Access::parse("everyone"), None);
    }
}

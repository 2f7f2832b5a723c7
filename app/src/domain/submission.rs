//! What can happen to a complete response a resident (or a kiosk, or staff typing in a paper
//! form) submits: stored now, stored before (a retry or a double tap gets the first receipt), or
//! refused for a reason the resident is told in their language.

use serde::{Deserialize, Serialize};

/// Why a response was not accepted; each has a page in the resident's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The honeypot was filled in.
    LooksAutomated,
    /// Too many responses from this network address this hour.
    TooMany,
    /// This device already answered through the open link.
    AlreadyAnswered,
    /// The survey closed (or was never open).
    Closed,
    /// An invite-only survey, reached without a code.
    InviteNeeded,
    /// The invite code has been used.
    InviteUsed,
    /// Too many invite codes tried from this network address this hour.
    TooManyCodeTries,
}

impl Refusal {
    const ALL: [Refusal; 7] = [
        Refusal::LooksAutomated,
        Refusal::TooMany,
        Refusal::AlreadyAnswered,
        Refusal::Closed,
        Refusal::InviteNeeded,
        Refusal::InviteUsed,
        Refusal::TooManyCodeTries,
    ];

    /// The stable key, for the API and the refusal page's address.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::LooksAutomated => "looks_automated",
            Refusal::TooMany => "too_many_responses",
            Refusal::AlreadyAnswered => "already_answered",
            Refusal::Closed => "survey_closed",
            Refusal::InviteNeeded => "invite_code_needed",
            Refusal::InviteUsed => "invite_code_used",
            Refusal::TooManyCodeTries => "too_many_code_tries",
        }
    }

    /// The refusal with this key (from the refusal page's address).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The HTTP status of the refusal.
    pub fn status(self) -> u16 {
        match self {
            Refusal::LooksAutomated => 422,
            Refusal::TooMany | Refusal::TooManyCodeTries => 429,
            Refusal::AlreadyAnswered | Refusal::InviteUsed => 409,
            Refusal::Closed => 410,
            Refusal::InviteNeeded => 403,
        }
    }

    /// What an API client is told (residents see a page in their language instead).
    pub fn message(self) -> &'static str {
        match self {
            Refusal::LooksAutomated => "The response looks automated.",
            Refusal::TooMany => "Too many responses from this network address in the last hour.",
            Refusal::AlreadyAnswered => "This device has already answered the survey.",
            Refusal::Closed => "The survey is not open.",
            Refusal::InviteNeeded => "This survey takes responses with an invite code only.",
            Refusal::InviteUsed => "This invite code has already been used.",
            Refusal::TooManyCodeTries => "Too many invite codes tried from this network address in the last hour.",
        }
    }
}

/// What happened to a submitted response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Stored now; the new receipt.
    New { receipt: String },
    /// The same submission was stored before; its receipt.
    Already { receipt: String },
    /// Not stored, and why.
    Refused(Refusal),
}

impl Stored {
    /// The receipt the resident is shown, unless the response was refused.
    pub fn receipt(&self) -> Option<&str> {
        match self {
            Stored::New { receipt } | Stored::Already { receipt } => Some(receipt),
            Stored::Refused(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_found_again_by_its_key_and_strangers_are_not() {
        for refusal in Refusal::ALL {
            assert_eq!(Refusal::from_key(refusal.key()), Some(refusal));
            assert!((400..500).contains(&refusal.status()), "{refusal:?}");
        }
        assert_eq!(Refusal::from_key("<script>"), None);
    }

    #[test]
    fn a_refused_response_has_no_receipt() {
        assert_eq!(Stored::Refused(Refusal::InviteUsed).receipt(), None);
        assert_eq!(Stored::Already { receipt: "R".into() }.receipt(), Some("R"));
    }
}

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
    /// The submission id was used before for different answers (a retry sends the same ones).
    SubmissionReused,
}

impl Refusal {
    const ALL: [Refusal; 8] = [
        Refusal::LooksAutomated,
        Refusal::TooMany,
        Refusal::AlreadyAnswered,
        Refusal::Closed,
        Refusal::InviteNeeded,
        Refusal::InviteUsed,
        Refusal::TooManyCodeTries,
        Refusal::SubmissionReused,
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
            Refusal::SubmissionReused => "submission_id_reused",
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
            Refusal::AlreadyAnswered | Refusal::InviteUsed | Refusal::SubmissionReused => 409,
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
            Refusal::SubmissionReused => {
                "This submission id was used before for different answers; give each response its own id."
            }
        }
    }
}

/// Who submits a response, which scopes the submission id it chose: ids only match within one
/// submitter, so an anonymous caller cannot claim an id a clerk will type later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitter {
    /// A resident's browser, through the survey's pages.
    ResidentForm,
    /// Anyone through the JSON API without signing in.
    Anonymous,
    /// A signed-in staff member (paper forms, kiosks), by account id.
    Staff(i64),
    /// A machine with an API token, by token id.
    ApiToken(i64),
}

impl Submitter {
    /// The submission id as stored: the submitter's scope, then the id it chose.
    pub fn scoped(self, submission_id: &str) -> String {
        match self {
            Submitter::ResidentForm => format!("form:{submission_id}"),
            Submitter::Anonymous => format!("api:{submission_id}"),
            Submitter::Staff(id) => format!("staff-{id}:{submission_id}"),
            Submitter::ApiToken(id) => format!("token-{id}:{submission_id}"),
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
    fn the_same_id_from_different_submitters_is_not_the_same_submission() {
        let ids: Vec<String> = [
            Submitter::ResidentForm,
            Submitter::Anonymous,
            Submitter::Staff(3),
            Submitter::Staff(4),
            Submitter::ApiToken(3),
        ]
        .map(|s| s.scoped("paper-0002"))
        .into();
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), ids.len(), "{ids:?}");
        assert!(ids.iter().all(|id| id.len() <= 160 - 64), "a 64-character id still fits the column");
    }

    #[test]
    fn a_refused_response_has_no_receipt() {
        assert_eq!(Stored::Refused(Refusal::InviteUsed).receipt(), None);
        assert_eq!(Stored::Already { receipt: "R".into() }.receipt(), Some("R"));
    }
}

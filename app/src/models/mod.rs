//! Types that cross between server and browser. Database rows stay on the server (`db`); these
//! carry only what a page needs to show, and never a password hash or an invite code's hash.

use serde::{Deserialize, Serialize};

use crate::domain::Role;

/// The staff member who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub role: Role,
}

/// Whether a staff account can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Created by an administrator; the person has not chosen a password yet.
    Invited,
    /// Can sign in.
    Active,
    /// Can no longer sign in; kept so that what the person did stays attributed.
    Deactivated,
}

impl AccountStatus {
    /// The stable name used in the database and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Invited => "invited",
            AccountStatus::Active => "active",
            AccountStatus::Deactivated => "deactivated",
        }
    }

    /// Reads a stored name (`db::staff::status_of` makes an unknown one an error).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "invited" => Some(AccountStatus::Invited),
            "active" => Some(AccountStatus::Active),
            "deactivated" => Some(AccountStatus::Deactivated),
            _ => None,
        }
    }

    /// The word shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Invited => "Invited",
            AccountStatus::Active => "Active",
            AccountStatus::Deactivated => "Deactivated",
        }
    }
}

/// One row of the staff list on the user administration page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub status: AccountStatus,
    /// When the person last signed in (`2026-11-22 14:05 UTC`), if ever.
    pub last_login_at: Option<String>,
}

/// One line of the audit log, as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    /// The staff member's e-mail, or "command line".
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// A survey in a list: what staff need to recognise it and see where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub id: i64,
    /// The code in the public link `/s/{public_key}`.
    pub public_key: String,
    pub kind: crate::domain::survey::SurveyKind,
    pub status: crate::domain::survey::lifecycle::Status,
    pub title: String,
    pub version: i32,
    pub updated_at: String,
    /// Scheduled opening and closing, as `datetime-local` values in UTC (`2026-03-01T08:00`).
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
}

/// What an administrator gets back after inviting someone: the one-time link to pass on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub role: Role,
    /// The path of the invite page, e.g. `/invite/3F9K...`; shown once, stored only as a hash.
    pub invite_path: String,
    /// The full address to send, when the server knows its public address; else the path.
    pub invite_url: String,
    /// When the link stops working (`2026-11-29 14:05 UTC`).
    pub expires_at: String,
}

/// An area set as staff see it in lists and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaSetSummary {
    pub key: String,
    pub name: String,
    /// Where the boundaries came from (attribution).
    pub source: String,
    pub is_default: bool,
    pub areas: usize,
    /// The sum of the areas' total population, when any area has one.
    pub total_population: Option<f64>,
    /// Areas with no total population figure: unknown, not zero.
    pub areas_without_population: usize,
    /// Population groups with figures, e.g. `race_ethnicity:hispanic`.
    pub groups: Vec<String>,
    /// How apportioned figures were made, when any were (shown wherever they are).
    pub apportioned_from: Option<String>,
    /// A grouping (roll-up): the key of the set whose areas its areas are made of.
    #[serde(default)]
    pub grouping_of: Option<String>,
    /// A grouping drawn as outlines on that set's area picker.
    #[serde(default)]
    pub on_picker: bool,
}

/// One area's population, for the area set page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaPopulation {
    pub key: String,
    pub name: String,
    pub total: Option<f64>,
    pub margin: Option<f64>,
    /// How many population groups have a figure for this area.
    pub groups: usize,
    pub apportioned: bool,
    pub land_square_metres: f64,
    /// Other names residents know the area by.
    pub aliases: Vec<String>,
}

/// An area set with its map and every area's population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaSetDetail {
    pub summary: AreaSetSummary,
    pub map: crate::domain::geography::AreaMap,
    pub areas: Vec<AreaPopulation>,
    /// Where the population figures came from.
    pub population_sources: Vec<String>,
    /// The groupings made of this set's areas (council districts, towns).
    #[serde(default)]
    pub groupings: Vec<AreaSetSummary>,
}

/// What a resident's survey address shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ResidentView {
    /// A page of questions.
    Page(Box<ResidentPage>),
    /// An invite-only survey: the code from the letter is needed. `problem` is an error key.
    InviteNeeded { title: String, language: String, problem: Option<String> },
    /// Scheduled to open later; `opens` is readable UTC time.
    NotYetOpen { title: String, language: String, opens: String },
    Closed {
        title: String,
        language: String,
        /// A quick poll that shows its results: the question and the published table.
        results: Option<(String, crate::domain::suppression::PublishedTable)>,
    },
    /// This device has already sent a response through the open link.
    AlreadyAnswered { title: String, language: String },
    /// The response this device started moved to another device (its "continue later" link was
    /// opened and continued there).
    ContinuedElsewhere { title: String, language: String },
}

/// What the address of a resident's page asks for:
/// `/s/:key?page=2&check=1&lang=es&embed=1&map=1&later=1&new=1`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageAddress {
    /// The page, as the last post redirected to (else where the resident stopped).
    pub page: Option<usize>,
    /// Show the page's problems.
    pub check: bool,
    /// The language picked in the switcher.
    pub lang: Option<String>,
    /// Inside a city website's frame.
    pub embed: bool,
    /// Draw the map of area questions.
    pub map: bool,
    /// "Continue later" was used: show the link.
    pub later: bool,
    /// Start a new response though this device's last one moved to another device.
    pub new: bool,
}

/// One page of a survey as a resident sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentPage {
    pub public_key: String,
    pub definition: crate::domain::survey::SurveyDefinition,
    pub language: String,
    /// `(tag, name in that language)` of every language the survey offers.
    pub languages: Vec<(String, String)>,
    /// The page shown (index into the definition's pages).
    pub page: usize,
    /// This page's place among the pages shown, and how many there are.
    pub position: usize,
    pub of: usize,
    pub is_last: bool,
    pub has_previous: bool,
    /// What the resident typed so far, as form fields.
    pub values: Vec<(String, String)>,
    /// `(question key, message in the resident's language)` for problems to show.
    pub problems: Vec<(String, String)>,
    pub submission_id: String,
    /// The whole "continue later" link (from the public URL), shown when the resident asked for
    /// it ("Continue later" saves the page first).
    pub resume_link: Option<String>,
    /// Whether the response came with an invite code.
    pub invited: bool,
    /// The maps this page's area questions need.
    pub areas: crate::domain::geography::SurveyAreaMaps,
    /// Shown inside a city website's frame (quick polls).
    pub embed: bool,
    /// The map asked for without JavaScript (`?map=1`): only the page's area questions are
    /// shown, with their maps; the page's other answers travel as hidden fields, so that nothing
    /// typed can be lost when a tap on the map reloads the page.
    pub map_view: bool,
}

/// The page a "continue later" link opens (`/s/:key/resume/:token`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResumeOffer {
    pub title: String,
    pub language: String,
    /// The link still opens a response in progress (else the page says it no longer does).
    pub open: bool,
}

/// The thank-you page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentThanks {
    pub public_key: String,
    pub title: String,
    pub language: String,
    /// As people read it (`K7QX-M3PR`).
    pub receipt: String,
    /// For quick polls that show results: the question and the published table.
    pub results: Option<(String, crate::domain::suppression::PublishedTable)>,
    /// The poll shows its results only once it closes.
    pub results_later: bool,
    pub embed: bool,
}

/// A survey's invite codes and who may answer, for the designer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteOverview {
    pub survey_id: i64,
    pub title: String,
    pub access: crate::domain::access::Access,
    pub batches: Vec<InviteBatch>,
    /// Complete responses by channel: `(channel, count)`.
    pub responses: Vec<(String, u64)>,
    /// `(key, name)` of the default area set's areas, for codes of a sample drawn by area.
    pub areas: Vec<(String, String)>,
}

/// Codes generated together for one mailing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteBatch {
    pub batch: i32,
    pub codes: u64,
    pub used: u64,
    /// The area names the batch's codes are for (empty: not by area).
    pub areas: Vec<String>,
    pub created_at: String,
}

pub mod results;

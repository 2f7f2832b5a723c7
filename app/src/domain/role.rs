//! Staff roles and what each may do.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The role of a staff account. Residents never have accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Administrators: everything, including managing staff accounts.
    Admin,
    /// Engagement staff who build and run surveys.
    Designer,
    /// Leaders and analysts who read results.
    Analyst,
}

impl Role {
    /// Every role, most powerful first (the order of the role picker).
    pub const ALL: [Role; 3] = [Role::Admin, Role::Designer, Role::Analyst];

    /// The stable name used in the database, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Designer => "designer",
            Role::Analyst => "analyst",
        }
    }

    /// The name shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Designer => "Designer",
            Role::Analyst => "Analyst",
        }
    }

    /// Parses a role name as typed in a form or on the command line.
    pub fn parse(input: &str) -> Result<Self, AppError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "designer" => Ok(Role::Designer),
            "analyst" => Ok(Role::Analyst),
            _ => Err(AppError::invalid("role", "role_unknown", "Choose a role: admin, designer or analyst.")),
        }
    }

    /// Whether someone with this role may do what `required` allows.
    ///
    /// Roles are not a strict ladder in spirit (an analyst is not a lesser designer), but every
    /// capability so far is held by the required role and by administrators, so that is the rule.
    pub fn grants(self, required: Role) -> bool {
        self == Role::Admin || self == required
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).expect("known"), role);
        }
        assert_eq!(Role::parse(" Designer ").expect("case-insensitive"), Role::Designer);
    }

    #[test]
    fn an_unknown_role_is_refused() {
        assert_eq!(Role::parse("owner").expect_err("unknown").key(), "role_unknown");
    }

    #[test]
    fn admins_may_do_everything_and_others_only_their_own_work() {
        assert!(Role::Admin.grants(Role::Designer));
        assert!(Role::Admin.grants(Role::Analyst));
        assert!(Role::Designer.grants(Role::Designer));
        assert!(!Role::Designer.grants(Role::Admin));
        assert!(!Role::Analyst.grants(Role::Designer));
        assert!(!Role::Analyst.grants(Role::Admin));
    }
}

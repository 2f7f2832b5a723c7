//! Administrators only: staff accounts, API tokens and the audit log.

pub mod audit_log;
pub mod staff;
pub mod tokens;

//! Administrators only: staff accounts and the audit log.

pub mod audit_log;
pub mod staff;

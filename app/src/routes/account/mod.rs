//! A staff member's own account: signing in, accepting an invite, changing the password.

pub mod accept_invite;
pub mod login;
pub mod password;

//! Signing in and out, accepting an invite, and who is signed in.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::CurrentUser;
#[cfg(feature = "ssr")]
use crate::{domain::navigation::return_path, server_fns::context, services};

/// The signed-in staff member, or `None` for a visitor.
#[server(endpoint = "auth/me")]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    context::reply(crate::web::session::current_user(&db, &session).await, "/", &[])
}

/// Signs a staff member in and sends them on to `next` (or home).
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let client_ip = context::client_ip();
    let result = async {
        let user = services::auth::check_credentials(&db, &email, password, &client_ip).await?;
        crate::web::session::start(&session, &user).await
    }
    .await;
    let next = return_path(next.as_deref());
    let keep: [(&str, &str); 2] = [("email", email.trim()), ("next", &next)];
    context::reply(result, "/login", &keep)?;
    context::go_to(&next);
    Ok(())
}

/// Signs out.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let session = context::session().await?;
    context::reply(crate::web::session::end(&session).await, "/", &[])?;
    context::go_to("/login?signed_out=1");
    Ok(())
}

/// The e-mail address an invite link is for (so the page can greet the person).
#[server(endpoint = "auth/invite")]
pub async fn invite_details(code: String) -> Result<String, AppError> {
    let db = context::db()?;
    let result = services::accounts::invited_email(&db, &code).await;
    context::reply(result, "/", &[])
}

/// Chooses a password for an invited account and signs the person in.
#[server(endpoint = "auth/accept-invite")]
pub async fn accept_invite(code: String, password: String, password_confirmation: String) -> Result<(), AppError> {
    let db = context::db()?;
    let session = context::session().await?;
    let result = async {
        let user = services::accounts::accept_invite(&db, &code, &password, &password_confirmation).await?;
        crate::web::session::start(&session, &user).await
    }
    .await;
    let form_path = format!("/invite/{}", code.trim());
    context::reply(result, &form_path, &[])?;
    context::go_to("/?welcome=1");
    Ok(())
}

/// A signed-in staff member changes their own password.
#[server(endpoint = "auth/password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_confirmation: String,
) -> Result<(), AppError> {
    let client_ip = context::client_ip();
    let result = async {
        let staff = context::signed_in_staff().await?;
        let (db, user) = (&staff.db, &staff.user);
        let this_session = crate::web::session::id_of(&staff.session);
        services::accounts::change_password(
            db,
            user,
            &client_ip,
            this_session.as_deref(),
            current_password,
            &password,
            &password_confirmation,
        )
        .await
    }
    .await;
    context::reply(result, "/account", &[])?;
    context::go_to("/account?changed=1");
    Ok(())
}

//! Queries on staff accounts.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, SqlErr,
};
use time::OffsetDateTime;

use super::entities::staff_user::{ActiveModel, Column, Entity, Model};

/// A staff account row.
pub type StaffRow = Model;
use crate::domain::{Role, StaffEmail};
use crate::error::AppError;
use crate::models::{AccountStatus, StaffMember};

/// The account with this e-mail address, in any status.
pub async fn find_by_email(db: &DatabaseConnection, email: &StaffEmail) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::Email.eq(email.as_str())).one(db).await
}

/// The account with this id, in any status.
pub async fn find_by_id(db: &DatabaseConnection, id: i64) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// The account whose pending invite code hashes to `code_hash`.
pub async fn find_by_invite(db: &DatabaseConnection, code_hash: &str) -> Result<Option<Model>, DbErr> {
    Entity::find().filter(Column::InviteCodeHash.eq(code_hash)).one(db).await
}

/// Every account, by e-mail address.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Model>, DbErr> {
    Entity::find().order_by_asc(Column::Email).all(db).await
}

/// How many active administrators there are.
pub async fn count_active_admins(db: &DatabaseConnection) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Column::Role.eq(Role::Admin.as_str()))
        .filter(Column::Status.eq(AccountStatus::Active.as_str()))
        .count(db)
        .await
}

/// What a new account starts as.
pub enum NewAccount {
    /// Can sign in at once (created from the command line with a password).
    Active { password_hash: String },
    /// Must first choose a password through a one-time invite link.
    Invited { code_hash: String, expires_at: OffsetDateTime },
}

/// Creates an account; an e-mail address already in use is an input error, not a crash.
pub async fn insert(
    db: &DatabaseConnection,
    email: &StaffEmail,
    role: Role,
    start: NewAccount,
) -> Result<Model, AppError> {
    let now = OffsetDateTime::now_utc();
    let (status, password_hash, invite_code_hash, invite_expires_at) = match start {
        NewAccount::Active { password_hash } => (AccountStatus::Active, Some(password_hash), None, None),
        NewAccount::Invited { code_hash, expires_at } => {
            (AccountStatus::Invited, None, Some(code_hash), Some(expires_at))
        }
    };
    let row = ActiveModel {
        email: Set(email.as_str().to_owned()),
        role: Set(role.as_str().to_owned()),
        status: Set(status.as_str().to_owned()),
        password_hash: Set(password_hash),
        invite_code_hash: Set(invite_code_hash),
        invite_expires_at: Set(invite_expires_at),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    row.insert(db).await.map_err(|e| match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::invalid("email", "email_taken", "There is already an account with that e-mail address.")
        }
        _ => AppError::from(e),
    })
}

/// Sets the password of an invited account, makes it active and burns the invite code, in one
/// conditional update: only while the account is still invited with the same code. `None` when
/// another request accepted it first (or it changed meanwhile).
pub async fn accept_invite(db: &DatabaseConnection, row: Model, password_hash: String) -> Result<Option<Model>, DbErr> {
    let Some(code_hash) = row.invite_code_hash.clone() else { return Ok(None) };
    let updated = Entity::update_many()
        .col_expr(Column::PasswordHash, Expr::value(Some(password_hash)))
        .col_expr(Column::Status, Expr::value(AccountStatus::Active.as_str()))
        .col_expr(Column::InviteCodeHash, Expr::value(Option::<String>::None))
        .col_expr(Column::InviteExpiresAt, Expr::value(Option::<OffsetDateTime>::None))
        .col_expr(Column::UpdatedAt, Expr::value(OffsetDateTime::now_utc()))
        .filter(Column::Id.eq(row.id))
        .filter(Column::Status.eq(AccountStatus::Invited.as_str()))
        .filter(Column::InviteCodeHash.eq(code_hash))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Ok(None);
    }
    find_by_id(db, row.id).await
}

/// Replaces an account's password hash.
pub async fn set_password(db: &DatabaseConnection, row: Model, password_hash: String) -> Result<Model, DbErr> {
    let mut row: ActiveModel = row.into();
    row.password_hash = Set(Some(password_hash));
    row.updated_at = Set(OffsetDateTime::now_utc());
    row.update(db).await
}

/// Changes an account's role.
pub async fn set_role(db: &DatabaseConnection, row: Model, role: Role) -> Result<Model, DbErr> {
    let mut row: ActiveModel = row.into();
    row.role = Set(role.as_str().to_owned());
    row.updated_at = Set(OffsetDateTime::now_utc());
    row.update(db).await
}

/// Changes an account's status.
pub async fn set_status(db: &DatabaseConnection, row: Model, status: AccountStatus) -> Result<Model, DbErr> {
    let mut row: ActiveModel = row.into();
    row.status = Set(status.as_str().to_owned());
    row.updated_at = Set(OffsetDateTime::now_utc());
    row.update(db).await
}

/// Records a successful sign-in.
pub async fn touch_last_login(db: &DatabaseConnection, row: Model) -> Result<Model, DbErr> {
    let mut row: ActiveModel = row.into();
    row.last_login_at = Set(Some(OffsetDateTime::now_utc()));
    row.update(db).await
}

/// The role stored on a row; an unknown value (a newer or damaged database) fails closed.
pub fn role_of(row: &Model) -> Result<Role, AppError> {
    Role::parse(&row.role).map_err(|_| {
        tracing::error!(staff_user.id = row.id, "staff account has an unknown role");
        AppError::Internal
    })
}

/// The list entry shown to administrators.
pub fn to_staff_member(row: &Model) -> Result<StaffMember, AppError> {
    Ok(StaffMember {
        id: row.id,
        email: row.email.clone(),
        role: role_of(row)?,
        status: status_of(row)?,
        last_login_at: row.last_login_at.map(crate::domain::dates::readable_time),
    })
}

/// An account's status, as stored.
pub fn status_of(row: &Model) -> Result<AccountStatus, AppError> {
    super::stored(AccountStatus::parse(&row.status), "staff_user.status", row.id, &row.status)
}

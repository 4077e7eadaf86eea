//! The `users` table.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::org::User;
use tourdesk_core::{AppError, AppResult, ErrorCode, Role, TenantId, UserId};

use crate::row;
use crate::{db_err, is_unique_violation, to_ms};

/// A user with the password hash, for sign-in.
#[derive(Debug, Clone)]
pub struct UserAuth {
    /// The organisation.
    pub tenant_id: TenantId,
    /// The user.
    pub user: User,
    /// Argon2 PHC string.
    pub password_hash: String,
}

const COLS: &str = "id, name, email, role, active";

fn map_user(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row::parsed(r, "id", UserId::parse)?,
        name: r.get("name")?,
        email: r.get("email")?,
        role: row::parsed(r, "role", Role::from_code)?,
        active: r.get("active")?,
    })
}

/// Inserts a user; a taken e-mail in the organisation is `duplicate_email`.
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    user: &User,
    password_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO users (id, tenant_id, name, email, password_hash, role, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            user.id.to_string(),
            tenant.to_string(),
            user.name,
            user.email,
            password_hash,
            user.role.code(),
            user.active,
            to_ms(now)
        ],
    )
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field(ErrorCode::DuplicateEmail, "email", "a user with this e-mail already exists")
        } else {
            crate::db_err("insert user")(e)
        }
    })?;
    Ok(())
}

/// Reads one user of the organisation.
pub fn get(conn: &Connection, tenant: TenantId, id: UserId) -> AppResult<User> {
    conn.query_row(
        &format!("SELECT {COLS} FROM users WHERE tenant_id = ?1 AND id = ?2"),
        params![tenant.to_string(), id.to_string()],
        map_user,
    )
    .optional()
    .map_err(db_err("read user"))?
    .ok_or_else(|| AppError::not_found("user"))
}

/// Every user of the organisation, admins first then by name.
pub fn list(conn: &Connection, tenant: TenantId) -> AppResult<Vec<User>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM users WHERE tenant_id = ?1 ORDER BY active DESC, role, name"
        ))
        .map_err(db_err("list users"))?;
    let rows = stmt
        .query_map([tenant.to_string()], map_user)
        .map_err(db_err("list users"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list users"))?;
    Ok(rows)
}

/// Users in any organisation with this e-mail (sign-in looks at each).
pub fn find_by_email(conn: &Connection, email: &str) -> AppResult<Vec<UserAuth>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLS}, tenant_id, password_hash FROM users WHERE email = ?1"
        ))
        .map_err(db_err("find user"))?;
    let rows = stmt
        .query_map([email], |r| {
            Ok(UserAuth {
                user: map_user(r)?,
                tenant_id: row::parsed(r, "tenant_id", TenantId::parse)?,
                password_hash: r.get("password_hash")?,
            })
        })
        .map_err(db_err("find user"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("find user"))?;
    Ok(rows)
}

/// Changes role and active flag.
pub fn update_role_active(
    conn: &Connection,
    tenant: TenantId,
    id: UserId,
    role: Role,
    active: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE users SET role = ?3, active = ?4, updated_at = ?5 WHERE tenant_id = ?1 AND id = ?2",
            params![tenant.to_string(), id.to_string(), role.code(), active, to_ms(now)],
        )
        .map_err(db_err("update user"))?;
    if n == 0 {
        return Err(AppError::not_found("user"));
    }
    Ok(())
}

/// Sets a new password hash.
pub fn set_password(
    conn: &Connection,
    tenant: TenantId,
    id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE users SET password_hash = ?3, updated_at = ?4 WHERE tenant_id = ?1 AND id = ?2",
            params![tenant.to_string(), id.to_string(), hash, to_ms(now)],
        )
        .map_err(db_err("update password"))?;
    if n == 0 {
        return Err(AppError::not_found("user"));
    }
    Ok(())
}

/// How many active admins the organisation has.
pub fn active_admins(conn: &Connection, tenant: TenantId) -> AppResult<u32> {
    conn.query_row(
        "SELECT count(*) AS n FROM users WHERE tenant_id = ?1 AND role = 'admin' AND active = 1",
        [tenant.to_string()],
        |r| r.get("n"),
    )
    .map_err(db_err("count admins"))
}

/// The user's UI language ("ru" or "en").
pub fn ui_language(conn: &Connection, tenant: TenantId, id: UserId) -> AppResult<String> {
    conn.query_row(
        "SELECT ui_language FROM users WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id.to_string()],
        |r| r.get("ui_language"),
    )
    .optional()
    .map_err(db_err("read UI language"))?
    .ok_or_else(|| AppError::not_found("user"))
}

/// Saves the user's UI language.
pub fn set_ui_language(
    conn: &Connection,
    tenant: TenantId,
    id: UserId,
    lang: &str,
) -> AppResult<()> {
    conn.execute(
        "UPDATE users SET ui_language = ?3 WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id.to_string(), lang],
    )
    .map_err(db_err("save UI language"))?;
    Ok(())
}

/// The user's own language for translations; `None` means "the UI language".
pub fn manager_language(
    conn: &Connection,
    tenant: TenantId,
    id: UserId,
) -> AppResult<Option<String>> {
    conn.query_row(
        "SELECT manager_language FROM users WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id.to_string()],
        |r| r.get("manager_language"),
    )
    .optional()
    .map_err(db_err("read manager language"))?
    .ok_or_else(|| AppError::not_found("user"))
}

/// Saves the user's own language for translations (`None` follows the UI language).
pub fn set_manager_language(
    conn: &Connection,
    tenant: TenantId,
    id: UserId,
    lang: Option<&str>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE users SET manager_language = ?3 WHERE tenant_id = ?1 AND id = ?2",
            params![tenant.to_string(), id.to_string(), lang],
        )
        .map_err(db_err("save manager language"))?;
    if n == 0 {
        return Err(AppError::not_found("user"));
    }
    Ok(())
}

/// The distinct languages the organisation's active users read translations in (each user's
/// own choice, else their UI language).
pub fn manager_languages(conn: &Connection, tenant: TenantId) -> AppResult<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT DISTINCT coalesce(manager_language, ui_language) AS language FROM users
             WHERE tenant_id = ?1 AND active = 1 ORDER BY 1",
        )
        .map_err(db_err("read manager languages"))?;
    let rows = stmt
        .query_map([tenant.to_string()], |r| r.get("language"))
        .map_err(db_err("read manager languages"))?
        .collect::<Result<Vec<String>, _>>()
        .map_err(db_err("read manager languages"))?;
    Ok(rows)
}

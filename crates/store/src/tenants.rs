//! The `tenants` table: organisations and their settings.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use tourdesk_core::org::OrgSettings;
use tourdesk_core::{AppError, AppResult, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// A stored organisation.
#[derive(Debug, Clone)]
pub struct TenantRow {
    /// Id.
    pub id: TenantId,
    /// Name.
    pub name: String,
    /// Argon2 hash of the admin recovery code.
    pub recovery_hash: String,
    /// Settings.
    pub settings: OrgSettings,
}

/// Inserts an organisation.
pub fn insert(
    conn: &Connection,
    id: TenantId,
    name: &str,
    recovery_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO tenants (id, name, recovery_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id.to_string(), name, recovery_hash, to_ms(now)],
    )
    .map_err(db_err("insert organisation"))?;
    Ok(())
}

/// How many organisations exist in this database.
pub fn count(conn: &Connection) -> AppResult<u32> {
    conn.query_row("SELECT count(*) AS n FROM tenants", [], |r| r.get("n"))
        .map_err(db_err("count organisations"))
}

/// Reads one organisation.
pub fn get(conn: &Connection, tenant: TenantId) -> AppResult<TenantRow> {
    conn.query_row(
        "SELECT name, recovery_hash, default_region, backups_keep FROM tenants WHERE id = ?1",
        [tenant.to_string()],
        |r| {
            Ok(TenantRow {
                id: tenant,
                name: r.get("name")?,
                recovery_hash: r.get("recovery_hash")?,
                settings: OrgSettings {
                    default_region: r.get("default_region")?,
                    backups_keep: r.get("backups_keep")?,
                },
            })
        },
    )
    .optional()
    .map_err(db_err("read organisation"))?
    .ok_or_else(|| AppError::not_found("organisation"))
}

/// Saves the settings of one organisation.
pub fn update_settings(conn: &Connection, tenant: TenantId, s: &OrgSettings) -> AppResult<()> {
    conn.execute(
        "UPDATE tenants SET default_region = ?2, backups_keep = ?3 WHERE id = ?1",
        params![tenant.to_string(), s.default_region, s.backups_keep],
    )
    .map_err(db_err("update settings"))?;
    Ok(())
}

/// Replaces the recovery code hash.
pub fn set_recovery_hash(conn: &Connection, tenant: TenantId, hash: &str) -> AppResult<()> {
    conn.execute(
        "UPDATE tenants SET recovery_hash = ?2 WHERE id = ?1",
        params![tenant.to_string(), hash],
    )
    .map_err(db_err("update recovery code"))?;
    Ok(())
}

/// The largest number of backups any organisation wants kept (backups cover the whole file).
pub fn max_backups_keep(conn: &Connection) -> AppResult<u32> {
    conn.query_row(
        "SELECT coalesce(max(backups_keep), 7) AS keep FROM tenants",
        [],
        |r| r.get("keep"),
    )
    .map_err(db_err("read backup setting"))
}

/// Every organisation in this data folder, oldest first (a desktop holds one).
pub fn all(conn: &Connection) -> AppResult<Vec<TenantId>> {
    let mut stmt = conn
        .prepare("SELECT id FROM tenants ORDER BY created_at, id")
        .map_err(db_err("list organisations"))?;
    let rows = stmt
        .query_map([], |r| row::parsed(r, "id", TenantId::parse))
        .map_err(db_err("list organisations"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list organisations"))?;
    Ok(rows)
}

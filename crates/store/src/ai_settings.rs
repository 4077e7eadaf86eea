//! The `ai_settings` table: one AI provider configuration per organisation (never the key).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use tourdesk_core::ai::{AiPreset, AiSettings};
use tourdesk_core::{AppResult, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// The organisation's AI settings, or `None` when they were never saved.
pub fn get(conn: &Connection, tenant: TenantId) -> AppResult<Option<AiSettings>> {
    conn.query_row(
        "SELECT preset, base_url, model FROM ai_settings WHERE tenant_id = ?1",
        [tenant.to_string()],
        |r| {
            Ok(AiSettings {
                preset: row::parsed(r, "preset", AiPreset::from_code)?,
                base_url: r.get("base_url")?,
                model: r.get("model")?,
            })
        },
    )
    .optional()
    .map_err(db_err("read AI settings"))
}

/// Creates or replaces the organisation's AI settings.
pub fn upsert(
    conn: &Connection,
    tenant: TenantId,
    settings: &AiSettings,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO ai_settings (tenant_id, preset, base_url, model, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tenant_id) DO UPDATE SET
             preset = excluded.preset, base_url = excluded.base_url,
             model = excluded.model, updated_at = excluded.updated_at",
        params![
            tenant.to_string(),
            settings.preset.code(),
            settings.base_url,
            settings.model,
            to_ms(now)
        ],
    )
    .map_err(db_err("save AI settings"))?;
    Ok(())
}

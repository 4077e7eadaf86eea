//! The `wa_settings` table: the organisation's WhatsApp settings (defaults when no row).

use rusqlite::{params, Connection, OptionalExtension};
use tourdesk_core::whatsapp::WaSettings;
use tourdesk_core::{AppResult, TenantId};

use crate::db_err;

/// The settings, or the defaults.
pub fn get(conn: &Connection, tenant: TenantId) -> AppResult<WaSettings> {
    let row = conn
        .query_row(
            "SELECT sends_per_minute, send_read_receipts FROM wa_settings WHERE tenant_id = ?1",
            params![tenant.to_string()],
            |r| {
                Ok(WaSettings {
                    sends_per_minute: r.get("sends_per_minute")?,
                    send_read_receipts: r.get("send_read_receipts")?,
                })
            },
        )
        .optional()
        .map_err(db_err("read WhatsApp settings"))?;
    Ok(row.unwrap_or_default())
}

/// Saves the settings (validated by the caller).
pub fn put(conn: &Connection, tenant: TenantId, s: &WaSettings) -> AppResult<()> {
    conn.execute(
        "INSERT INTO wa_settings (tenant_id, sends_per_minute, send_read_receipts)
         VALUES (?1, ?2, ?3)
         ON CONFLICT (tenant_id) DO UPDATE SET sends_per_minute = ?2, send_read_receipts = ?3",
        params![
            tenant.to_string(),
            s.sends_per_minute,
            i64::from(s.send_read_receipts)
        ],
    )
    .map_err(db_err("save WhatsApp settings"))?;
    Ok(())
}

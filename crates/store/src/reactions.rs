//! The `reactions` table: one emoji per person per message (an empty emoji removes it).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use tourdesk_core::{AppResult, TenantId};

use crate::{db_err, to_ms};

/// Sets (or with an empty `emoji`, removes) `sender`'s reaction to a message.
pub fn set(
    conn: &Connection,
    tenant: TenantId,
    wa_message_id: &str,
    sender: &str,
    emoji: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if emoji.is_empty() {
        conn.execute(
            "DELETE FROM reactions WHERE tenant_id = ?1 AND wa_message_id = ?2 AND sender = ?3",
            params![tenant.to_string(), wa_message_id, sender],
        )
        .map_err(db_err("remove reaction"))?;
    } else {
        conn.execute(
            "INSERT INTO reactions (tenant_id, wa_message_id, sender, emoji, at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (tenant_id, wa_message_id, sender) DO UPDATE SET emoji = ?4, at = ?5",
            params![tenant.to_string(), wa_message_id, sender, emoji, to_ms(at)],
        )
        .map_err(db_err("store reaction"))?;
    }
    Ok(())
}

//! The history import tables: `import_batches`, `import_items`, `import_messages` (staging),
//! `import_settings`, and the batch-stamped writes and removals of commit and undo.

mod batches;
mod crm;
mod items;
mod staged;

pub use batches::*;
pub use crm::*;
pub use items::*;
pub use staged::*;

use rusqlite::{params, Connection, OptionalExtension};
use tourdesk_core::import::ImportSettings;
use tourdesk_core::{AppResult, TenantId};

use crate::db_err;
use crate::row;

/// A value as stored JSON text (the lists and reports these tables keep).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("import lists and reports serialise to JSON")
}

/// The organisation's import settings (defaults when never saved).
pub fn settings_get(conn: &Connection, tenant: TenantId) -> AppResult<ImportSettings> {
    let row = conn
        .query_row(
            "SELECT own_names, time_zone FROM import_settings WHERE tenant_id = ?1",
            params![tenant.to_string()],
            |r| {
                Ok(ImportSettings {
                    own_names: row::json_opt(r, "own_names")?.unwrap_or_default(),
                    time_zone: r.get("time_zone")?,
                })
            },
        )
        .optional()
        .map_err(db_err("read import settings"))?;
    Ok(row.unwrap_or_default())
}

/// Saves the import settings (validated by the caller).
pub fn settings_put(conn: &Connection, tenant: TenantId, s: &ImportSettings) -> AppResult<()> {
    conn.execute(
        "INSERT INTO import_settings (tenant_id, own_names, time_zone) VALUES (?1, ?2, ?3)
         ON CONFLICT (tenant_id) DO UPDATE SET own_names = ?2, time_zone = ?3",
        params![tenant.to_string(), json(&s.own_names), s.time_zone],
    )
    .map_err(db_err("save import settings"))?;
    Ok(())
}

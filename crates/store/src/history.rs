//! The `status_history` table: one row per funnel status change.

use rusqlite::{params, Connection};
use tourdesk_core::client::StatusChange;
use tourdesk_core::{Actor, AppResult, ClientId, FunnelStatus, HistoryId, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// Appends a history row.
pub fn insert(conn: &Connection, tenant: TenantId, h: &StatusChange) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO status_history (id, tenant_id, client_id, from_status, to_status, at,
            actor_kind, actor_ref, reason, evidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .and_then(|mut s| {
        s.execute(params![
            h.id.to_string(),
            tenant.to_string(),
            h.client_id.to_string(),
            h.from.map(|f| f.code()),
            h.to.code(),
            to_ms(h.at),
            h.actor.kind(),
            h.actor.reference(),
            h.reason,
            h.evidence,
        ])
    })
    .map_err(db_err("insert status history"))?;
    Ok(())
}

/// A client's history, oldest first, with user names resolved.
pub fn for_client(
    conn: &Connection,
    tenant: TenantId,
    client: ClientId,
) -> AppResult<Vec<StatusChange>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT h.id, h.from_status, h.to_status, h.at, h.actor_kind, h.actor_ref, h.reason,
                    h.evidence, u.name AS user_name
             FROM status_history h
             LEFT JOIN users u ON h.actor_kind = 'user' AND u.tenant_id = h.tenant_id AND u.id = h.actor_ref
             WHERE h.tenant_id = ?1 AND h.client_id = ?2 ORDER BY h.seq",
        )
        .map_err(db_err("read status history"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), client.to_string()], |r| {
            let reference: Option<String> = r.get("actor_ref")?;
            let actor = row::parsed(r, "actor_kind", |k| {
                Actor::from_parts(k, reference.as_deref())
            })?;
            let user_name: Option<String> = r.get("user_name")?;
            let actor_name = match &actor {
                Actor::User(_) => user_name,
                Actor::Agent(name) => Some(name.clone()),
                Actor::Import | Actor::WhatsApp => None,
            };
            Ok(StatusChange {
                id: row::parsed(r, "id", HistoryId::parse)?,
                client_id: client,
                from: row::parsed_opt(r, "from_status", FunnelStatus::from_code)?,
                to: row::parsed(r, "to_status", FunnelStatus::from_code)?,
                at: row::time(r, "at")?,
                actor,
                actor_name,
                reason: r.get("reason")?,
                evidence: r.get("evidence")?,
            })
        })
        .map_err(db_err("read status history"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read status history"))?;
    Ok(rows)
}

/// Moves every history row of `from` to `into` (used when merging clients).
pub fn move_rows(
    conn: &Connection,
    tenant: TenantId,
    from: ClientId,
    into: ClientId,
) -> AppResult<usize> {
    conn.execute(
        "UPDATE status_history SET client_id = ?3 WHERE tenant_id = ?1 AND client_id = ?2",
        params![tenant.to_string(), from.to_string(), into.to_string()],
    )
    .map_err(db_err("move status history"))
}

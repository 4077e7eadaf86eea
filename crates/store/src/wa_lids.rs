//! The `wa_lids` table: the person behind a WhatsApp `@lid` id, kept when WhatsApp tells it
//! (a message's sender phone, the chat a send landed in, our own echo found through its outbox
//! row), so one person has one chat whichever id WhatsApp uses.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use tourdesk_core::{AppResult, ChatId, TenantId};

use crate::{chats, db_err, to_ms};

/// Remembers that `lid` (`…@lid`) is the person with `phone` (E.164, `+…`); a later pair for
/// the same lid replaces the phone.
pub fn remember(
    conn: &Connection,
    tenant: TenantId,
    lid: &str,
    phone: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO wa_lids (tenant_id, lid, phone, seen_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant_id, lid) DO UPDATE SET phone = excluded.phone, seen_at = excluded.seen_at",
    )
    .and_then(|mut s| s.execute(params![tenant.to_string(), lid, phone, to_ms(now)]))
    .map_err(db_err("remember a lid"))?;
    Ok(())
}

/// The phone of a `@lid` id, when known.
pub fn phone_of(conn: &Connection, tenant: TenantId, lid: &str) -> AppResult<Option<String>> {
    conn.prepare_cached("SELECT phone FROM wa_lids WHERE tenant_id = ?1 AND lid = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.to_string(), lid], |r| r.get("phone"))
                .optional()
        })
        .map_err(db_err("read a lid"))
}

/// The `@lid` ids known for a phone, newest first.
pub fn lids_of(conn: &Connection, tenant: TenantId, phone: &str) -> AppResult<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT lid FROM wa_lids WHERE tenant_id = ?1 AND phone = ?2 ORDER BY seen_at DESC",
        )
        .map_err(db_err("read lids"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), phone], |r| r.get("lid"))
        .map_err(db_err("read lids"))?
        .collect::<Result<Vec<String>, _>>()
        .map_err(db_err("read lids"))?;
    Ok(rows)
}

/// The phone in a one-to-one phone chat id (`79161234567@c.us` → `+79161234567`).
fn phone_of_chat_id(wa_chat_id: &str) -> Option<String> {
    let digits = wa_chat_id.strip_suffix("@c.us")?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| format!("+{digits}"))
}

/// The stored chat of the person a WhatsApp chat id stands for: the chat with that id, else
/// for an `@lid` id the chat of its phone, else for a phone chat id a chat of one of its lids.
pub fn chat_of_person(
    conn: &Connection,
    tenant: TenantId,
    wa_chat_id: &str,
) -> AppResult<Option<ChatId>> {
    if let Some(chat) = chats::find_by_wa_id(conn, tenant, wa_chat_id)? {
        return Ok(Some(chat));
    }
    if wa_chat_id.ends_with("@lid") {
        return match phone_of(conn, tenant, wa_chat_id)? {
            Some(phone) => {
                let digits = phone.trim_start_matches('+');
                chats::find_by_wa_id(conn, tenant, &format!("{digits}@c.us"))
            }
            None => Ok(None),
        };
    }
    if let Some(phone) = phone_of_chat_id(wa_chat_id) {
        for lid in lids_of(conn, tenant, &phone)? {
            if let Some(chat) = chats::find_by_wa_id(conn, tenant, &lid)? {
                return Ok(Some(chat));
            }
        }
    }
    Ok(None)
}

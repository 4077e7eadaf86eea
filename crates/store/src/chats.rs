//! The `chats` table: one row per WhatsApp chat, with the latest message and the unread count.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use tourdesk_core::message::{ChatFilter, ChatKind, ChatRow, Direction, MessageKind};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{
    AppError, AppResult, ChatId, ClientId, FunnelStatus, Language, PartnerId, TenantId,
};

use crate::row;
use crate::{db_err, to_ms};

/// The chat with this WhatsApp chat id, if stored.
pub fn find_by_wa_id(
    conn: &Connection,
    tenant: TenantId,
    wa_chat_id: &str,
) -> AppResult<Option<ChatId>> {
    conn.prepare_cached("SELECT id FROM chats WHERE tenant_id = ?1 AND wa_chat_id = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.to_string(), wa_chat_id], |r| {
                row::parsed(r, "id", ChatId::parse)
            })
            .optional()
        })
        .map_err(db_err("find chat"))
}

/// Inserts a chat with no messages yet.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    id: ChatId,
    wa_chat_id: &str,
    kind: ChatKind,
    title: &str,
    client_id: Option<ClientId>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO chats (id, tenant_id, wa_chat_id, kind, client_id, title, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id.to_string(),
            tenant.to_string(),
            wa_chat_id,
            kind.code(),
            client_id.map(|c| c.to_string()),
            title,
            to_ms(now),
        ])
    })
    .map_err(db_err("insert chat"))?;
    Ok(())
}

/// Records a newly arrived message as the chat's latest; an inbound one also counts as unread.
pub fn note_arrival(
    conn: &Connection,
    tenant: TenantId,
    id: ChatId,
    seq: i64,
    sent_at: DateTime<Utc>,
    direction: Direction,
) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE chats SET last_message_seq = ?3, last_message_at = ?4, unread = unread + ?5
         WHERE tenant_id = ?1 AND id = ?2",
    )
    .and_then(|mut s| {
        s.execute(params![
            tenant.to_string(),
            id.to_string(),
            seq,
            to_ms(sent_at),
            i64::from(direction == Direction::In),
        ])
    })
    .map_err(db_err("update chat"))?;
    Ok(())
}

/// Recomputes every chat's latest message and unread count (counting inbound messages after
/// the last outbound one) from the messages table; bulk loads call it once at the end.
pub fn refresh_all(conn: &Connection, tenant: TenantId) -> AppResult<()> {
    conn.execute(
        "UPDATE chats SET
            last_message_seq = (SELECT max(seq) FROM messages m
                                WHERE m.tenant_id = chats.tenant_id AND m.chat_id = chats.id),
            last_message_at = (SELECT m.sent_at FROM messages m
                               WHERE m.tenant_id = chats.tenant_id AND m.chat_id = chats.id
                               ORDER BY m.seq DESC LIMIT 1),
            unread = (SELECT count(*) FROM messages m
                      WHERE m.tenant_id = chats.tenant_id AND m.chat_id = chats.id
                        AND m.direction = 'in'
                        AND m.seq > coalesce((SELECT max(o.seq) FROM messages o
                                              WHERE o.tenant_id = chats.tenant_id
                                                AND o.chat_id = chats.id
                                                AND o.direction = 'out'), 0))
         WHERE tenant_id = ?1",
        params![tenant.to_string()],
    )
    .map_err(db_err("refresh chats"))?;
    Ok(())
}

/// Sets the unread count to zero; a chat of another organisation is "not found".
pub fn mark_read(conn: &Connection, tenant: TenantId, id: ChatId) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE chats SET unread = 0 WHERE tenant_id = ?1 AND id = ?2",
            params![tenant.to_string(), id.to_string()],
        )
        .map_err(db_err("mark chat read"))?;
    if n == 0 {
        return Err(AppError::not_found("chat"));
    }
    Ok(())
}

/// Whether the chat exists in this organisation.
pub fn exists(conn: &Connection, tenant: TenantId, id: ChatId) -> AppResult<bool> {
    conn.prepare_cached("SELECT 1 FROM chats WHERE tenant_id = ?1 AND id = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.to_string(), id.to_string()], |_| Ok(()))
                .optional()
        })
        .map(|o| o.is_some())
        .map_err(db_err("find chat"))
}

/// Links a chat to a client (or unlinks it with `None`).
pub fn set_client(
    conn: &Connection,
    tenant: TenantId,
    id: ChatId,
    client: Option<ClientId>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE chats SET client_id = ?3 WHERE tenant_id = ?1 AND id = ?2",
            params![
                tenant.to_string(),
                id.to_string(),
                client.map(|c| c.to_string())
            ],
        )
        .map_err(db_err("link chat"))?;
    if n == 0 {
        return Err(AppError::not_found("chat"));
    }
    Ok(())
}

/// One page of the chat list, newest first (by the latest message's arrival), with the unread
/// count and the start of the latest message. Chats without messages come last.
pub fn list(conn: &Connection, tenant: TenantId, f: &ChatFilter) -> AppResult<Vec<ChatRow>> {
    let mut wh: Vec<String> = vec!["ch.tenant_id = ?".into()];
    let mut args: Vec<Value> = vec![Value::Text(tenant.to_string())];
    if f.unread_only {
        // Spelled exactly like the partial index `chats_unread`.
        wh.push("ch.unread > 0".into());
    }
    if let Some(before) = f.before_seq {
        wh.push("ch.last_message_seq < ?".into());
        args.push(Value::Integer(before));
    }
    if let Some(status) = f.status {
        wh.push("c.status = ?".into());
        args.push(Value::Text(status.code().into()));
    }
    if let Some(lang) = f.language {
        wh.push("c.language = ?".into());
        args.push(Value::Text(lang.code().into()));
    }
    let text = f.search.trim();
    if !text.is_empty() {
        let lower = text.to_lowercase();
        let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
        let phone_like = digits.len() >= 3
            && lower
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let needle = if phone_like { digits } else { lower };
        // clients.search is stored lower-cased; titles are matched as typed and ASCII-folded.
        wh.push(
            "(instr(c.search, ?) > 0 OR instr(lower(ch.title), ?) > 0 OR instr(ch.title, ?) > 0
              OR instr(ch.wa_chat_id, ?) > 0)"
                .into(),
        );
        args.push(Value::Text(needle.clone()));
        args.push(Value::Text(needle.clone()));
        args.push(Value::Text(text.to_string()));
        args.push(Value::Text(needle));
    }
    args.push(Value::Integer(i64::from(f.effective_limit())));
    let sql = format!(
        "{ROW_SELECT} WHERE {} ORDER BY ch.last_message_seq DESC LIMIT ?",
        wh.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(db_err("list chats"))?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), map_row)
        .map_err(db_err("list chats"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list chats"))?;
    Ok(rows)
}

/// The chat list's columns (one row per chat, with its latest message, client and partner).
const ROW_SELECT: &str = "SELECT ch.id, ch.wa_chat_id, ch.kind, ch.client_id,
        c.name AS client_name, ch.title, ch.last_message_seq, ch.last_message_at,
        m.direction AS last_direction, m.kind AS last_kind, substr(m.body, 1, 120) AS preview,
        ch.unread, c.status AS client_status, c.language AS client_language,
        c.phone AS client_phone, m.status AS last_status, ch.partner_id, p.name AS partner_name
     FROM chats ch
     LEFT JOIN messages m ON m.seq = ch.last_message_seq AND m.tenant_id = ch.tenant_id
     LEFT JOIN clients c ON c.tenant_id = ch.tenant_id AND c.id = ch.client_id
     LEFT JOIN partners p ON p.tenant_id = ch.tenant_id AND p.id = ch.partner_id";

fn map_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChatRow> {
    Ok(ChatRow {
        id: row::parsed(r, "id", ChatId::parse)?,
        wa_chat_id: r.get("wa_chat_id")?,
        kind: row::parsed(r, "kind", ChatKind::from_code)?,
        client_id: row::parsed_opt(r, "client_id", ClientId::parse)?,
        client_name: r.get("client_name")?,
        title: r.get("title")?,
        last_message_seq: r.get("last_message_seq")?,
        last_message_at: row::time_opt(r, "last_message_at")?,
        last_direction: row::parsed_opt(r, "last_direction", Direction::from_code)?,
        last_kind: r
            .get::<_, Option<String>>("last_kind")?
            .as_deref()
            .map(MessageKind::from_code),
        // No latest message (a chat made before its first message) has no preview.
        preview: r.get::<_, Option<String>>("preview")?.unwrap_or_default(),
        unread: r.get("unread")?,
        client_status: row::parsed_opt(r, "client_status", FunnelStatus::from_code)?,
        client_language: row::parsed_opt(r, "client_language", Language::from_code)?,
        client_phone: r
            .get::<_, Option<String>>("client_phone")?
            .filter(|p| !p.is_empty()),
        last_status: row::parsed_opt(r, "last_status", SendStatus::from_code)?,
        partner_id: row::parsed_opt(r, "partner_id", PartnerId::parse)?,
        partner_name: r.get("partner_name")?,
    })
}

/// One chat as the list shows it; a chat of another organisation is "not found".
pub fn row(conn: &Connection, tenant: TenantId, id: ChatId) -> AppResult<ChatRow> {
    conn.query_row(
        &format!("{ROW_SELECT} WHERE ch.tenant_id = ?1 AND ch.id = ?2"),
        params![tenant.to_string(), id.to_string()],
        map_row,
    )
    .optional()
    .map_err(db_err("read chat"))?
    .ok_or_else(|| AppError::not_found("chat"))
}

/// Unread inbound messages over all chats (the inbox badge).
pub fn unread_total(conn: &Connection, tenant: TenantId) -> AppResult<u32> {
    conn.query_row(
        "SELECT coalesce(sum(unread), 0) AS n FROM chats WHERE tenant_id = ?1 AND unread > 0",
        params![tenant.to_string()],
        |r| r.get("n"),
    )
    .map_err(db_err("count unread"))
}

/// Moves every chat of client `from` to client `into` (merging clients); returns how many.
pub fn move_client(
    conn: &Connection,
    tenant: TenantId,
    from: ClientId,
    into: ClientId,
) -> AppResult<usize> {
    conn.execute(
        "UPDATE chats SET client_id = ?3 WHERE tenant_id = ?1 AND client_id = ?2",
        params![tenant.to_string(), from.to_string(), into.to_string()],
    )
    .map_err(db_err("move chats to the kept client"))
}

/// Links a chat to a partner (a partner's number writes to us).
pub fn set_partner(
    conn: &Connection,
    tenant: TenantId,
    id: ChatId,
    partner: Option<PartnerId>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE chats SET partner_id = ?3 WHERE tenant_id = ?1 AND id = ?2",
        params![
            tenant.to_string(),
            id.to_string(),
            partner.map(|p| p.to_string())
        ],
    )
    .map_err(db_err("link chat to partner"))?;
    Ok(())
}

/// The chat's WhatsApp id; a chat of another organisation is "not found".
pub fn wa_id(conn: &Connection, tenant: TenantId, id: ChatId) -> AppResult<String> {
    conn.query_row(
        "SELECT wa_chat_id FROM chats WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id.to_string()],
        |r| r.get("wa_chat_id"),
    )
    .optional()
    .map_err(db_err("find chat"))?
    .ok_or_else(|| AppError::not_found("chat"))
}

/// Every chat's WhatsApp id with the time of its newest stored message, newest chats first
/// (where a backfill after reconnecting starts).
pub fn backfill_marks(
    conn: &Connection,
    tenant: TenantId,
) -> AppResult<Vec<(String, Option<DateTime<Utc>>)>> {
    let mut stmt = conn
        .prepare(
            "SELECT ch.wa_chat_id, (SELECT max(m.sent_at) FROM messages m
                 WHERE m.tenant_id = ch.tenant_id AND m.chat_id = ch.id
                   AND m.wa_message_id IS NOT NULL) AS newest
             FROM chats ch WHERE ch.tenant_id = ?1
             ORDER BY ch.last_message_seq DESC",
        )
        .map_err(db_err("read chats"))?;
    let rows = stmt
        .query_map(params![tenant.to_string()], |r| {
            Ok((
                r.get::<_, String>("wa_chat_id")?,
                row::time_opt(r, "newest")?,
            ))
        })
        .map_err(db_err("read chats"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read chats"))?;
    Ok(rows)
}

/// The client a chat is linked to (`None` for groups, partners and unlinked chats); a chat of
/// another organisation is "not found".
pub fn client_of(conn: &Connection, tenant: TenantId, id: ChatId) -> AppResult<Option<ClientId>> {
    conn.prepare_cached("SELECT client_id FROM chats WHERE tenant_id = ?1 AND id = ?2")
        .and_then(|mut s| {
            s.query_row(params![tenant.to_string(), id.to_string()], |r| {
                row::parsed_opt(r, "client_id", ClientId::parse)
            })
            .optional()
        })
        .map_err(db_err("find chat"))?
        .ok_or_else(|| AppError::not_found("chat"))
}

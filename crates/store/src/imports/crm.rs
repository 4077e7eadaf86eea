//! Commit and undo on the CRM's tables: batch-stamped messages, chats and clients.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use tourdesk_core::message::{Direction, MessageKind, NewMessage};
use tourdesk_core::{AppError, AppResult, ChatId, ClientId, ImportBatchId, MessageId, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// A stored message as the duplicate check sees it.
#[derive(Debug, Clone)]
pub struct StoredKey {
    /// Arrival number.
    pub seq: i64,
    /// In or out.
    pub direction: Direction,
    /// Kind.
    pub kind: MessageKind,
    /// Text.
    pub body: String,
    /// When sent.
    pub sent_at: DateTime<Utc>,
    /// Deleted for everyone.
    pub deleted: bool,
    /// WhatsApp's id.
    pub wa_message_id: Option<String>,
}

/// A chat's messages sent in `[from, to]`, in arrival order.
pub fn chat_messages_between(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<StoredKey>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT seq, direction, kind, body, sent_at, deleted_at IS NOT NULL AS deleted,
                wa_message_id
             FROM messages WHERE tenant_id = ?1 AND chat_id = ?2 AND sent_at BETWEEN ?3 AND ?4
             ORDER BY seq",
        )
        .map_err(db_err("read chat messages"))?;
    let rows = stmt
        .query_map(
            params![tenant.to_string(), chat.to_string(), to_ms(from), to_ms(to)],
            |r| {
                Ok(StoredKey {
                    seq: r.get("seq")?,
                    direction: row::parsed(r, "direction", Direction::from_code)?,
                    kind: MessageKind::from_code(&r.get::<_, String>("kind")?),
                    body: r.get("body")?,
                    sent_at: row::time(r, "sent_at")?,
                    deleted: r.get("deleted")?,
                    wa_message_id: r.get("wa_message_id")?,
                })
            },
        )
        .map_err(db_err("read chat messages"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read chat messages"))?;
    Ok(rows)
}

/// Inserts an imported message stamped with its batch; returns its `seq`. The chat's latest
/// message is set by [`refresh_chat`] once the item is done.
pub fn insert_message(
    conn: &Connection,
    tenant: TenantId,
    id: MessageId,
    chat: ChatId,
    batch: ImportBatchId,
    m: &NewMessage,
) -> AppResult<i64> {
    crate::messages::insert_stamped(conn, tenant, id, chat, m, Some(batch))
}

/// Gives a stored message without a WhatsApp id the id an imported copy of it carries (so
/// later acks, edits and backfills find it).
pub fn adopt_wa_id(
    conn: &Connection,
    tenant: TenantId,
    seq: i64,
    wa_message_id: &str,
) -> AppResult<()> {
    conn.execute(
        "UPDATE messages SET wa_message_id = ?3
         WHERE tenant_id = ?1 AND seq = ?2 AND wa_message_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.tenant_id = ?1 AND o.wa_message_id = ?3)",
        params![tenant.to_string(), seq, wa_message_id],
    )
    .map_err(db_err("record message id"))?;
    Ok(())
}

/// Stamps a chat created by a batch.
pub fn mark_chat(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    batch: ImportBatchId,
) -> AppResult<()> {
    conn.execute(
        "UPDATE chats SET import_batch_id = ?3 WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), chat.to_string(), batch.to_string()],
    )
    .map_err(db_err("stamp chat"))?;
    Ok(())
}

/// Stamps a client created by a batch and returns its version.
pub fn mark_client(
    conn: &Connection,
    tenant: TenantId,
    client: ClientId,
    batch: ImportBatchId,
) -> AppResult<i64> {
    conn.execute(
        "UPDATE clients SET import_batch_id = ?3 WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), client.to_string(), batch.to_string()],
    )
    .map_err(db_err("stamp client"))?;
    client_version(conn, tenant, client)?.ok_or_else(|| AppError::not_found("client"))
}

/// A client's `version` (bumped by every change) if it exists, live or in the bin.
pub fn client_version(
    conn: &Connection,
    tenant: TenantId,
    client: ClientId,
) -> AppResult<Option<i64>> {
    conn.query_row(
        "SELECT version FROM clients WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), client.to_string()],
        |r| r.get("version"),
    )
    .optional()
    .map_err(db_err("read client version"))
}

/// Sets a chat's latest message to the one sent last (by time, then arrival): imported history
/// is older than what arrives live, so the latest arrival is not necessarily the latest message.
/// Imported messages never count as unread.
pub fn refresh_chat(conn: &Connection, tenant: TenantId, chat: ChatId) -> AppResult<()> {
    conn.execute(
        "UPDATE chats SET
            last_message_seq = (SELECT m.seq FROM messages m WHERE m.tenant_id = chats.tenant_id
                                AND m.chat_id = chats.id ORDER BY m.sent_at DESC, m.seq DESC LIMIT 1),
            last_message_at = (SELECT m.sent_at FROM messages m WHERE m.tenant_id = chats.tenant_id
                               AND m.chat_id = chats.id ORDER BY m.sent_at DESC, m.seq DESC LIMIT 1)
         WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), chat.to_string()],
    )
    .map_err(db_err("refresh chat"))?;
    Ok(())
}

/// A batch's messages in one chat, as undo sees them.
#[derive(Debug, Clone, Default)]
pub struct BatchMessages {
    /// Nobody touched them since (no edit, revoke, reaction or outbox row): `(seq, media path)`.
    pub untouched: Vec<(i64, Option<String>)>,
    /// How many were touched.
    pub touched: u32,
}

/// The batch's messages in a chat, split into untouched and touched ones.
pub fn batch_messages_in_chat(
    conn: &Connection,
    tenant: TenantId,
    batch: ImportBatchId,
    chat: ChatId,
) -> AppResult<BatchMessages> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT m.seq, m.media_path, (m.edited_at IS NOT NULL OR m.deleted_at IS NOT NULL
                   OR EXISTS (SELECT 1 FROM reactions r WHERE r.tenant_id = m.tenant_id
                              AND r.wa_message_id = m.wa_message_id)
                   OR EXISTS (SELECT 1 FROM outbox o WHERE o.tenant_id = m.tenant_id
                              AND o.message_id = m.id)) AS touched
             FROM messages m
             WHERE m.tenant_id = ?1 AND m.import_batch_id = ?2 AND m.chat_id = ?3",
        )
        .map_err(db_err("read imported messages"))?;
    let rows = stmt
        .query_map(
            params![tenant.to_string(), batch.to_string(), chat.to_string()],
            |r| {
                Ok((
                    r.get::<_, i64>("seq")?,
                    r.get::<_, Option<String>>("media_path")?,
                    r.get::<_, bool>("touched")?,
                ))
            },
        )
        .map_err(db_err("read imported messages"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read imported messages"))?;
    let touched = rows.iter().filter(|(_, _, t)| *t).count() as u32;
    Ok(BatchMessages {
        untouched: rows
            .into_iter()
            .filter(|(_, _, t)| !*t)
            .map(|(s, p, _)| (s, p))
            .collect(),
        touched,
    })
}

/// Messages in a chat that did not come from `batch` (live ones, or another import's).
pub fn other_messages_in_chat(
    conn: &Connection,
    tenant: TenantId,
    batch: ImportBatchId,
    chat: ChatId,
) -> AppResult<u32> {
    conn.query_row(
        "SELECT count(*) AS n FROM messages WHERE tenant_id = ?1 AND chat_id = ?3
           AND (import_batch_id IS NULL OR import_batch_id <> ?2)",
        params![tenant.to_string(), batch.to_string(), chat.to_string()],
        |r| r.get("n"),
    )
    .map_err(db_err("count chat messages"))
}

/// Deletes messages by arrival number (their translations go with them).
pub fn delete_messages(conn: &Connection, tenant: TenantId, seqs: &[i64]) -> AppResult<u32> {
    let mut stmt = conn
        .prepare_cached("DELETE FROM messages WHERE tenant_id = ?1 AND seq = ?2")
        .map_err(db_err("remove message"))?;
    let mut n = 0;
    for seq in seqs {
        n += stmt
            .execute(params![tenant.to_string(), seq])
            .map_err(db_err("remove message"))? as u32;
    }
    Ok(n)
}

/// Deletes a chat that has no messages left; false when it still has some.
pub fn delete_empty_chat(conn: &Connection, tenant: TenantId, chat: ChatId) -> AppResult<bool> {
    let n = conn
        .execute(
            "DELETE FROM chats WHERE tenant_id = ?1 AND id = ?2 AND NOT EXISTS
                (SELECT 1 FROM messages m WHERE m.tenant_id = ?1 AND m.chat_id = ?2)",
            params![tenant.to_string(), chat.to_string()],
        )
        .map_err(db_err("remove chat"))?;
    Ok(n > 0)
}

/// Chats linked to a client other than `except`.
pub fn other_chats_of_client(
    conn: &Connection,
    tenant: TenantId,
    client: ClientId,
    except: Option<ChatId>,
) -> AppResult<u32> {
    conn.query_row(
        "SELECT count(*) AS n FROM chats WHERE tenant_id = ?1 AND client_id = ?2
           AND id <> coalesce(?3, '')",
        params![
            tenant.to_string(),
            client.to_string(),
            except.map(|c| c.to_string())
        ],
        |r| r.get("n"),
    )
    .map_err(db_err("count client chats"))
}

/// Clients that were merged into `client` (they point at it).
pub fn merged_into_client(conn: &Connection, tenant: TenantId, client: ClientId) -> AppResult<u32> {
    conn.query_row(
        "SELECT count(*) AS n FROM clients WHERE tenant_id = ?1 AND merged_into = ?2",
        params![tenant.to_string(), client.to_string()],
        |r| r.get("n"),
    )
    .map_err(db_err("count merged clients"))
}

/// Deletes a client created by an import with its history and tour links.
pub fn delete_client(conn: &Connection, tenant: TenantId, client: ClientId) -> AppResult<()> {
    for sql in [
        "DELETE FROM status_history WHERE tenant_id = ?1 AND client_id = ?2",
        "DELETE FROM client_tours WHERE tenant_id = ?1 AND client_id = ?2",
        "UPDATE chats SET client_id = NULL WHERE tenant_id = ?1 AND client_id = ?2",
        "DELETE FROM clients WHERE tenant_id = ?1 AND id = ?2",
    ] {
        conn.execute(sql, params![tenant.to_string(), client.to_string()])
            .map_err(db_err("remove imported client"))?;
    }
    Ok(())
}

/// The only live client with exactly this name (`None` when none or several).
pub fn only_client_named(
    conn: &Connection,
    tenant: TenantId,
    name: &str,
) -> AppResult<Option<ClientId>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id FROM clients WHERE tenant_id = ?1 AND deleted_at IS NULL AND name = ?2
             LIMIT 2",
        )
        .map_err(db_err("find client by name"))?;
    let ids = stmt
        .query_map(params![tenant.to_string(), name], |r| {
            row::parsed(r, "id", ClientId::parse)
        })
        .map_err(db_err("find client by name"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("find client by name"))?;
    Ok(match ids.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// The client's one-to-one chat with the latest message, if any.
pub fn latest_one_to_one_chat(
    conn: &Connection,
    tenant: TenantId,
    client: ClientId,
) -> AppResult<Option<ChatId>> {
    conn.query_row(
        "SELECT id FROM chats WHERE tenant_id = ?1 AND client_id = ?2 AND kind = 'one_to_one'
         ORDER BY coalesce(last_message_seq, 0) DESC LIMIT 1",
        params![tenant.to_string(), client.to_string()],
        |r| row::parsed(r, "id", ChatId::parse),
    )
    .optional()
    .map_err(db_err("find client chat"))
}

//! The `messages` table and its FTS5 index `messages_fts`: upsert by the stable WhatsApp id,
//! edits and revokes, a chat's latest messages with keyset paging, and text search.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::message::{
    fts_query, Direction, Message, MessageHit, MessageKind, MessagePage, MessageWindow, NewMessage,
    Stored, SNIPPET_END, SNIPPET_START,
};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{
    AppError, AppResult, ChatId, ClientId, ImportBatchId, Language, MessageId, TenantId,
};

use crate::row;
use crate::{chats, db_err, to_ms, wa_lids};

/// How many hits one search returns (newest first).
pub const SEARCH_LIMIT: u32 = 50;

/// How many of the newest matching messages the clients list looks at when it also searches
/// message text (a bound, so a common word cannot make the list slow).
pub const CLIENT_SEARCH_MESSAGES: u32 = 2_000;

const COLUMNS: &str = "m.seq, m.id, m.chat_id, m.wa_message_id, m.direction, m.sent_at, m.author,
    m.kind, m.body, m.media_path, m.media_mime, m.quoted_wa_message_id, m.edited_at, m.deleted_at,
    m.status, m.status_reason,
    (SELECT group_concat(r.emoji, char(31)) FROM reactions r
     WHERE r.tenant_id = m.tenant_id AND r.wa_message_id = m.wa_message_id) AS reactions,
    m.language, m.original_body, m.back_translation, m.stuck_at IS NOT NULL AS stuck";

fn map_message(r: &Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        seq: r.get("seq")?,
        id: row::parsed(r, "id", MessageId::parse)?,
        chat_id: row::parsed(r, "chat_id", ChatId::parse)?,
        wa_message_id: r.get("wa_message_id")?,
        direction: row::parsed(r, "direction", Direction::from_code)?,
        sent_at: row::time(r, "sent_at")?,
        author: r.get("author")?,
        kind: MessageKind::from_code(&r.get::<_, String>("kind")?),
        body: r.get("body")?,
        media_path: r.get("media_path")?,
        media_mime: r.get("media_mime")?,
        quoted_wa_message_id: r.get("quoted_wa_message_id")?,
        edited_at: row::time_opt(r, "edited_at")?,
        deleted_at: row::time_opt(r, "deleted_at")?,
        status: row::parsed_opt(r, "status", SendStatus::from_code)?,
        status_reason: r.get("status_reason")?,
        // No reaction rows is no reactions.
        reactions: r
            .get::<_, Option<String>>("reactions")?
            .map(|s| s.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
        language: row::parsed_opt(r, "language", Language::from_code)?,
        original_body: r.get("original_body")?,
        back_translation: r.get("back_translation")?,
        stuck: r.get("stuck")?,
        translation: None,
    })
}

/// The stored message with this stable WhatsApp id: `(seq, sync id, chat)`.
pub fn find_by_wa_id(
    conn: &Connection,
    tenant: TenantId,
    wa_message_id: &str,
) -> AppResult<Option<(i64, MessageId, ChatId)>> {
    conn.prepare_cached(
        "SELECT seq, id, chat_id FROM messages WHERE tenant_id = ?1 AND wa_message_id = ?2",
    )
    .and_then(|mut s| {
        s.query_row(params![tenant.to_string(), wa_message_id], |r| {
            Ok((
                r.get("seq")?,
                row::parsed(r, "id", MessageId::parse)?,
                row::parsed(r, "chat_id", ChatId::parse)?,
            ))
        })
        .optional()
    })
    .map_err(db_err("find message"))
}

/// Inserts a message into an existing chat without any duplicate check or chat update (bulk
/// loads; everything else goes through [`upsert`]). Returns its `seq`.
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    id: MessageId,
    chat: ChatId,
    m: &NewMessage,
) -> AppResult<i64> {
    insert_stamped(conn, tenant, id, chat, m, None)
}

/// [`insert`], with the import batch that brought the message (`None`: not imported).
pub(crate) fn insert_stamped(
    conn: &Connection,
    tenant: TenantId,
    id: MessageId,
    chat: ChatId,
    m: &NewMessage,
    batch: Option<ImportBatchId>,
) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO messages (id, tenant_id, chat_id, wa_message_id, direction, sent_at, author,
            kind, body, media_path, media_mime, quoted_wa_message_id, status, import_batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )
    .and_then(|mut s| {
        s.execute(params![
            id.to_string(),
            tenant.to_string(),
            chat.to_string(),
            m.wa_message_id,
            m.direction.code(),
            to_ms(m.sent_at),
            m.author,
            m.kind.code(),
            m.body,
            m.media_path,
            m.media_mime,
            m.quoted_wa_message_id,
            m.status.map(SendStatus::code),
            batch.map(|b| b.to_string()),
        ])
    })
    .map_err(db_err("insert message"))?;
    Ok(conn.last_insert_rowid())
}

/// Stores an inbound or outbound message once: a message whose stable id is already stored
/// (repeated delivery, backfill, import, the echo of our own send — even under a chat id that
/// switched between `@c.us` and `@lid`) is not duplicated, only missing media is filled in.
/// A new message creates its chat when needed (with `new_chat` as its id), becomes the chat's
/// latest, and an inbound one raises the unread count. Run it inside a write transaction.
pub fn upsert(
    conn: &Connection,
    tenant: TenantId,
    new_id: MessageId,
    new_chat: ChatId,
    m: &NewMessage,
    now: DateTime<Utc>,
) -> AppResult<Stored> {
    if let Some(wa) = m.wa_message_id.as_deref() {
        if let Some((seq, id, chat_id)) = find_by_wa_id(conn, tenant, wa)? {
            conn.prepare_cached(
                "UPDATE messages SET media_path = coalesce(media_path, ?3),
                    media_mime = coalesce(media_mime, ?4)
                 WHERE tenant_id = ?1 AND seq = ?2 AND (media_path IS NULL OR media_mime IS NULL)",
            )
            .and_then(|mut s| {
                s.execute(params![tenant.to_string(), seq, m.media_path, m.media_mime])
            })
            .map_err(db_err("update message media"))?;
            return Ok(Stored {
                seq,
                id,
                chat_id,
                new: false,
            });
        }
    }
    // The person's chat, whichever id (phone or `@lid`) this message came under.
    let chat_id = match wa_lids::chat_of_person(conn, tenant, &m.wa_chat_id)? {
        Some(c) => c,
        None => {
            chats::insert(
                conn,
                tenant,
                new_chat,
                &m.wa_chat_id,
                m.chat_kind,
                &m.chat_title,
                m.client_id,
                now,
            )?;
            new_chat
        }
    };
    let seq = insert(conn, tenant, new_id, chat_id, m)?;
    chats::note_arrival(conn, tenant, chat_id, seq, m.sent_at, m.direction)?;
    Ok(Stored {
        seq,
        id: new_id,
        chat_id,
        new: true,
    })
}

/// Replaces the text of an edited message; false when no message has this stable id.
pub fn edit(
    conn: &Connection,
    tenant: TenantId,
    wa_message_id: &str,
    body: &str,
    at: DateTime<Utc>,
) -> AppResult<bool> {
    // The text changed: its detected language and cached translations no longer hold.
    conn.execute(
        "DELETE FROM translations WHERE tenant_id = ?1 AND message_id =
             (SELECT id FROM messages WHERE tenant_id = ?1 AND wa_message_id = ?2)",
        params![tenant.to_string(), wa_message_id],
    )
    .map_err(db_err("edit message"))?;
    let n = conn
        .execute(
            "UPDATE messages SET body = ?3, edited_at = ?4, language = NULL
             WHERE tenant_id = ?1 AND wa_message_id = ?2",
            params![tenant.to_string(), wa_message_id, body, to_ms(at)],
        )
        .map_err(db_err("edit message"))?;
    Ok(n > 0)
}

/// Records the detected language of a message's text (`None`: not known).
pub fn set_language(
    conn: &Connection,
    tenant: TenantId,
    id: MessageId,
    language: Option<Language>,
) -> AppResult<()> {
    conn.prepare_cached("UPDATE messages SET language = ?3 WHERE tenant_id = ?1 AND id = ?2")
        .and_then(|mut s| {
            s.execute(params![
                tenant.to_string(),
                id.to_string(),
                language.map(Language::code)
            ])
        })
        .map_err(db_err("store message language"))?;
    Ok(())
}

/// Keeps, beside an outgoing message's body (the translation that goes to WhatsApp), the
/// manager's own text and the back-translation they checked.
pub fn set_translator_texts(
    conn: &Connection,
    tenant: TenantId,
    id: MessageId,
    original_body: Option<&str>,
    back_translation: Option<&str>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE messages SET original_body = ?3, back_translation = ?4
             WHERE tenant_id = ?1 AND id = ?2",
            params![
                tenant.to_string(),
                id.to_string(),
                original_body,
                back_translation
            ],
        )
        .map_err(db_err("store translator texts"))?;
    if n == 0 {
        return Err(AppError::not_found("message"));
    }
    Ok(())
}

/// Marks a message deleted (the row and its text are kept, search skips it); false when no
/// message has this stable id.
pub fn revoke(
    conn: &Connection,
    tenant: TenantId,
    wa_message_id: &str,
    at: DateTime<Utc>,
) -> AppResult<bool> {
    let n = conn
        .execute(
            "UPDATE messages SET deleted_at = coalesce(deleted_at, ?3)
             WHERE tenant_id = ?1 AND wa_message_id = ?2",
            params![tenant.to_string(), wa_message_id, to_ms(at)],
        )
        .map_err(db_err("revoke message"))?;
    Ok(n > 0)
}

/// The latest `limit` messages of a chat, newest first; with `before_seq`, those that arrived
/// before it (the next page up). A chat of another organisation is "not found".
pub fn for_chat(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    before_seq: Option<i64>,
    limit: u32,
) -> AppResult<Vec<Message>> {
    if !chats::exists(conn, tenant, chat)? {
        return Err(AppError::not_found("chat"));
    }
    older_than(conn, tenant, chat, before_seq.unwrap_or(i64::MAX), limit)
}

/// One window of a chat (see [`MessageWindow`]), newest first, at most `limit` messages, and
/// whether older or newer ones exist beyond it. Reads go through the `messages_chat` index
/// (tenant, chat, seq), so a window far back costs the same as the newest one. A chat of
/// another organisation, or a message that is not in this chat, is "not found".
pub fn window(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    window: MessageWindow,
    limit: u32,
) -> AppResult<MessagePage> {
    if !chats::exists(conn, tenant, chat)? {
        return Err(AppError::not_found("chat"));
    }
    let limit = limit.max(1);
    let messages = match window {
        MessageWindow::Latest => older_than(conn, tenant, chat, i64::MAX, limit)?,
        MessageWindow::Before { seq } => older_than(conn, tenant, chat, seq, limit)?,
        MessageWindow::After { seq } => newer_than(conn, tenant, chat, seq, limit)?,
        MessageWindow::Around { id } => {
            // Half a page each side; near either end the other side fills the page.
            let seq = seq_in_chat(conn, tenant, chat, id)?;
            let mut newer = newer_than(conn, tenant, chat, seq, limit - 1)?;
            let mut older = older_than(conn, tenant, chat, seq + 1, limit)?;
            let half = (limit / 2) as usize;
            let want_new = half
                .max((limit as usize).saturating_sub(older.len()))
                .min(newer.len());
            older.truncate(limit as usize - want_new);
            let mut page = newer.split_off(newer.len() - want_new);
            page.extend(older);
            page
        }
    };
    // An empty window still says what lies on its far side.
    let (oldest, newest) = match (messages.last(), messages.first(), window) {
        (Some(o), Some(n), _) => (o.seq, n.seq),
        (_, _, MessageWindow::Before { seq }) => (seq, seq - 1),
        (_, _, MessageWindow::After { seq }) => (seq + 1, seq),
        _ => (i64::MAX, i64::MIN),
    };
    Ok(MessagePage {
        older: any_beyond(conn, tenant, chat, oldest, "<")?,
        newer: any_beyond(conn, tenant, chat, newest, ">")?,
        messages,
    })
}

/// Up to `limit` messages with `seq` below `before`, newest first.
fn older_than(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    before: i64,
    limit: u32,
) -> AppResult<Vec<Message>> {
    read_page(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM messages m
             WHERE m.tenant_id = ?1 AND m.chat_id = ?2 AND m.seq < ?3
             ORDER BY m.seq DESC LIMIT ?4"
        ),
        tenant,
        chat,
        before,
        limit,
    )
}

/// Up to `limit` messages with `seq` above `after` (the nearest ones), newest first.
fn newer_than(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    after: i64,
    limit: u32,
) -> AppResult<Vec<Message>> {
    let mut rows = read_page(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM messages m
             WHERE m.tenant_id = ?1 AND m.chat_id = ?2 AND m.seq > ?3
             ORDER BY m.seq ASC LIMIT ?4"
        ),
        tenant,
        chat,
        after,
        limit,
    )?;
    rows.reverse();
    Ok(rows)
}

fn read_page(
    conn: &Connection,
    sql: &str,
    tenant: TenantId,
    chat: ChatId,
    seq: i64,
    limit: u32,
) -> AppResult<Vec<Message>> {
    let mut stmt = conn.prepare_cached(sql).map_err(db_err("read chat"))?;
    let rows = stmt
        .query_map(
            params![tenant.to_string(), chat.to_string(), seq, limit],
            map_message,
        )
        .map_err(db_err("read chat"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read chat"))?;
    Ok(rows)
}

/// The `seq` of message `id` in `chat`; "not found" when it is not there.
fn seq_in_chat(conn: &Connection, tenant: TenantId, chat: ChatId, id: MessageId) -> AppResult<i64> {
    conn.prepare_cached(
        "SELECT seq FROM messages WHERE tenant_id = ?1 AND chat_id = ?2 AND id = ?3",
    )
    .and_then(|mut s| {
        s.query_row(
            params![tenant.to_string(), chat.to_string(), id.to_string()],
            |r| r.get("seq"),
        )
        .optional()
    })
    .map_err(db_err("find message"))?
    .ok_or_else(|| AppError::not_found("message"))
}

/// Whether the chat has a message with `seq` below (`op` "<") or above (">") `seq`.
fn any_beyond(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    seq: i64,
    op: &'static str,
) -> AppResult<bool> {
    conn.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM messages
         WHERE tenant_id = ?1 AND chat_id = ?2 AND seq {op} ?3) AS found"
    ))
    .and_then(|mut s| {
        s.query_row(params![tenant.to_string(), chat.to_string(), seq], |r| {
            r.get("found")
        })
    })
    .map_err(db_err("read chat"))
}

/// Messages whose text matches `text` (every word; the last also as a prefix), newest first,
/// at most [`SEARCH_LIMIT`], with the chat and a snippet. Deleted messages are skipped.
pub fn search(conn: &Connection, tenant: TenantId, text: &str) -> AppResult<Vec<MessageHit>> {
    let Some(q) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {COLUMNS}, ch.title AS chat_title, ch.client_id AS chat_client_id,
                snippet(messages_fts, 0, '{SNIPPET_START}', '{SNIPPET_END}', '…', 12) AS snippet
         FROM messages_fts
         JOIN messages m ON m.seq = messages_fts.rowid
         JOIN chats ch ON ch.tenant_id = m.tenant_id AND ch.id = m.chat_id
         WHERE messages_fts MATCH ?1 AND m.tenant_id = ?2 AND m.deleted_at IS NULL
         ORDER BY messages_fts.rowid DESC LIMIT {SEARCH_LIMIT}"
    );
    let mut stmt = conn
        .prepare_cached(&sql)
        .map_err(db_err("search messages"))?;
    let rows = stmt
        .query_map(params![q, tenant.to_string()], |r| {
            let message = map_message(r)?;
            Ok(MessageHit {
                chat_id: message.chat_id,
                chat_title: r.get("chat_title")?,
                client_id: row::parsed_opt(r, "chat_client_id", ClientId::parse)?,
                message,
                snippet: r.get("snippet")?,
            })
        })
        .map_err(db_err("search messages"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("search messages"))?;
    Ok(rows)
}

/// One message by its sync id.
pub fn get(conn: &Connection, tenant: TenantId, id: MessageId) -> AppResult<Message> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM messages m WHERE m.tenant_id = ?1 AND m.id = ?2"),
        params![tenant.to_string(), id.to_string()],
        map_message,
    )
    .optional()
    .map_err(db_err("read message"))?
    .ok_or_else(|| AppError::not_found("message"))
}

/// The text and stored language of a chat's latest `limit` inbound messages with text, newest
/// first (the evidence for the conversation's language).
pub fn recent_inbound_texts(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    limit: u32,
) -> AppResult<Vec<(String, Option<Language>)>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT body, language FROM messages
             WHERE tenant_id = ?1 AND chat_id = ?2 AND direction = 'in' AND body <> ''
               AND deleted_at IS NULL
             ORDER BY seq DESC LIMIT ?3",
        )
        .map_err(db_err("read recent messages"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), chat.to_string(), limit], |r| {
            Ok((
                r.get::<_, String>("body")?,
                row::parsed_opt(r, "language", Language::from_code)?,
            ))
        })
        .map_err(db_err("read recent messages"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read recent messages"))?;
    Ok(rows)
}

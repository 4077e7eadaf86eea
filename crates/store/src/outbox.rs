//! The `outbox` table: the durable send queue. Each row belongs to one outgoing `messages` row;
//! both carry the delivery status (the outbox row the worker's view, the message the manager's).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{AppError, AppResult, ChatId, ErrorCode, MessageId, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// A queued or past send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// The row id (also the idempotency key's stem).
    pub id: String,
    /// The message it sends.
    pub message_id: MessageId,
    /// Its chat.
    pub chat_id: ChatId,
    /// WhatsApp's chat id to send to.
    pub wa_chat_id: String,
    /// Text or caption.
    pub body: String,
    /// A file to attach.
    pub media_path: Option<String>,
    /// Its MIME type.
    pub media_mime: Option<String>,
    /// Its file name as the client sees it.
    pub media_name: Option<String>,
    /// `queued`, `sending`, `sent`, `failed` or `unconfirmed`.
    pub status: SendStatus,
    /// Hand-overs so far.
    pub attempts: u32,
    /// Not before this time.
    pub next_attempt_at: DateTime<Utc>,
    /// When it was last handed to WhatsApp.
    pub sent_at: Option<DateTime<Utc>>,
    /// WhatsApp's stable id once known.
    pub wa_message_id: Option<String>,
    /// The last error code.
    pub last_error: Option<String>,
}

impl OutboxRow {
    /// The key the sidecar de-duplicates a hand-over by: one per attempt, so a deliberate
    /// "send again" is a new send while a repeated request of the same attempt is not.
    pub fn idempotency_key(&self) -> String {
        format!("{}#{}", self.id, self.attempts)
    }
}

/// A new row to queue.
#[derive(Debug, Clone)]
pub struct NewOutbox<'a> {
    /// Row id.
    pub id: &'a str,
    /// The outgoing message row (already inserted, status `queued`).
    pub message_id: MessageId,
    /// Its chat.
    pub chat_id: ChatId,
    /// WhatsApp chat id.
    pub wa_chat_id: &'a str,
    /// Text or caption.
    pub body: &'a str,
    /// Attachment path.
    pub media_path: Option<&'a str>,
    /// Attachment MIME type.
    pub media_mime: Option<&'a str>,
    /// Attachment file name.
    pub media_name: Option<&'a str>,
    /// The user who sent it.
    pub created_by: Option<String>,
}

const COLUMNS: &str = "id, message_id, chat_id, wa_chat_id, body, media_path, media_mime,
    media_name, status, attempts, next_attempt_at, sent_at, wa_message_id, last_error";

fn map_row(r: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get("id")?,
        message_id: row::parsed(r, "message_id", MessageId::parse)?,
        chat_id: row::parsed(r, "chat_id", ChatId::parse)?,
        wa_chat_id: r.get("wa_chat_id")?,
        body: r.get("body")?,
        media_path: r.get("media_path")?,
        media_mime: r.get("media_mime")?,
        media_name: r.get("media_name")?,
        status: row::parsed(r, "status", SendStatus::from_code)?,
        attempts: r.get("attempts")?,
        next_attempt_at: row::time(r, "next_attempt_at")?,
        sent_at: row::time_opt(r, "sent_at")?,
        wa_message_id: r.get("wa_message_id")?,
        last_error: r.get("last_error")?,
    })
}

/// Queues a send (the message row must exist).
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    row: &NewOutbox<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO outbox (id, tenant_id, message_id, chat_id, wa_chat_id, body, media_path,
            media_mime, media_name, status, next_attempt_at, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'queued', ?10, ?11, ?10)",
        params![
            row.id,
            tenant.to_string(),
            row.message_id.to_string(),
            row.chat_id.to_string(),
            row.wa_chat_id,
            row.body,
            row.media_path,
            row.media_mime,
            row.media_name,
            to_ms(now),
            row.created_by,
        ],
    )
    .map_err(db_err("queue message"))?;
    Ok(())
}

/// One row by id, if there is one.
pub fn find(conn: &Connection, tenant: TenantId, id: &str) -> AppResult<Option<OutboxRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM outbox WHERE tenant_id = ?1 AND id = ?2"),
        params![tenant.to_string(), id],
        map_row,
    )
    .optional()
    .map_err(db_err("read outbox"))
}

/// One row by id.
pub fn get(conn: &Connection, tenant: TenantId, id: &str) -> AppResult<OutboxRow> {
    find(conn, tenant, id)?.ok_or_else(|| AppError::not_found("message"))
}

/// The row sending this message.
pub fn for_message(
    conn: &Connection,
    tenant: TenantId,
    message: MessageId,
) -> AppResult<OutboxRow> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM outbox WHERE tenant_id = ?1 AND message_id = ?2"),
        params![tenant.to_string(), message.to_string()],
        map_row,
    )
    .optional()
    .map_err(db_err("read outbox"))?
    .ok_or_else(|| AppError::not_found("message"))
}

/// The oldest queued row that is due at `now`.
pub fn next_due(
    conn: &Connection,
    tenant: TenantId,
    now: DateTime<Utc>,
) -> AppResult<Option<OutboxRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM outbox
             WHERE tenant_id = ?1 AND status = 'queued' AND next_attempt_at <= ?2
             ORDER BY created_at, rowid LIMIT 1"
        ),
        params![tenant.to_string(), to_ms(now)],
        map_row,
    )
    .optional()
    .map_err(db_err("read outbox"))
}

/// When the next queued row becomes due, if any is queued.
pub fn next_due_at(conn: &Connection, tenant: TenantId) -> AppResult<Option<DateTime<Utc>>> {
    conn.query_row(
        "SELECT min(next_attempt_at) AS due FROM outbox WHERE tenant_id = ?1 AND status = 'queued'",
        params![tenant.to_string()],
        |r| row::time_opt(r, "due"),
    )
    .map_err(db_err("read outbox"))
}

/// Hand-over times (newest last) at or after `since`: the send-rate window.
pub fn sent_since(
    conn: &Connection,
    tenant: TenantId,
    since: DateTime<Utc>,
) -> AppResult<Vec<DateTime<Utc>>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT sent_at FROM outbox WHERE tenant_id = ?1 AND sent_at >= ?2 ORDER BY sent_at",
        )
        .map_err(db_err("read send times"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), to_ms(since)], |r| {
            row::time(r, "sent_at")
        })
        .map_err(db_err("read send times"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read send times"))?;
    Ok(rows)
}

/// Rows left in `sending` (the host stopped during a hand-over).
pub fn in_sending(conn: &Connection, tenant: TenantId) -> AppResult<Vec<OutboxRow>> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE tenant_id = ?1 AND status = 'sending'
             ORDER BY created_at, rowid"
        ))
        .map_err(db_err("read outbox"))?;
    let rows = stmt
        .query_map(params![tenant.to_string()], map_row)
        .map_err(db_err("read outbox"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read outbox"))?;
    Ok(rows)
}

/// How many sends are in each state the manager is told about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Queued or being handed over.
    pub queued: u32,
    /// Their fate after a crash is unknown.
    pub unconfirmed: u32,
    /// Failed.
    pub failed: u32,
    /// Held by WhatsApp at ack 0 for too long while connected (flagged by [`flag_stuck`]).
    pub stuck: u32,
}

/// How many rows are queued (or sending), unconfirmed and failed, and how many messages are stuck.
pub fn counts(conn: &Connection, tenant: TenantId) -> AppResult<OutboxCounts> {
    conn.query_row(
        "SELECT coalesce(sum(status IN ('queued', 'sending')), 0) AS queued,
                coalesce(sum(status = 'unconfirmed'), 0) AS unconfirmed,
                coalesce(sum(status = 'failed'), 0) AS failed,
                (SELECT count(*) FROM messages WHERE tenant_id = ?1 AND stuck_at IS NOT NULL)
                    AS stuck
         FROM outbox WHERE tenant_id = ?1",
        params![tenant.to_string()],
        |r| {
            Ok(OutboxCounts {
                queued: r.get("queued")?,
                unconfirmed: r.get("unconfirmed")?,
                failed: r.get("failed")?,
                stuck: r.get("stuck")?,
            })
        },
    )
    .map_err(db_err("count outbox"))
}

/// Flags the messages handed over at or before `cutoff` that WhatsApp still holds at ack 0
/// (`waiting`); returns how many were newly flagged. The caller picks `cutoff` so the wait
/// counted is time connected.
pub fn flag_stuck(
    conn: &Connection,
    tenant: TenantId,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<u32> {
    let n = conn
        .execute(
            "UPDATE messages SET stuck_at = ?3
             WHERE tenant_id = ?1 AND status = 'waiting' AND stuck_at IS NULL
               AND id IN (SELECT message_id FROM outbox
                          WHERE tenant_id = ?1 AND status = 'sent' AND sent_at <= ?2)",
            params![tenant.to_string(), to_ms(cutoff), to_ms(now)],
        )
        .map_err(db_err("flag stuck messages"))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

fn set_message_status(
    conn: &Connection,
    tenant: TenantId,
    message: MessageId,
    status: SendStatus,
    reason: Option<&str>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE messages SET status = ?3, status_reason = ?4, stuck_at = NULL
         WHERE tenant_id = ?1 AND id = ?2",
        params![
            tenant.to_string(),
            message.to_string(),
            status.code(),
            reason
        ],
    )
    .map_err(db_err("update message status"))?;
    Ok(())
}

fn set_status(
    conn: &Connection,
    tenant: TenantId,
    row: &OutboxRow,
    status: SendStatus,
    reason: Option<&str>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE outbox SET status = ?3, last_error = ?4 WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), row.id, status.code(), reason],
    )
    .map_err(db_err("update outbox"))?;
    set_message_status(conn, tenant, row.message_id, status, reason)
}

/// Claims a row for a hand-over: `sending`, one more attempt, and the hand-over time that the
/// send-rate window counts. Returns the row as claimed.
pub fn mark_sending(
    conn: &Connection,
    tenant: TenantId,
    id: &str,
    now: DateTime<Utc>,
) -> AppResult<OutboxRow> {
    let n = conn
        .execute(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ?3,
                sent_at = ?3, last_error = NULL
             WHERE tenant_id = ?1 AND id = ?2 AND status = 'queued'",
            params![tenant.to_string(), id, to_ms(now)],
        )
        .map_err(db_err("claim outbox row"))?;
    if n == 0 {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "the message is no longer queued",
        ));
    }
    let row = get(conn, tenant, id)?;
    set_message_status(conn, tenant, row.message_id, SendStatus::Sending, None)?;
    Ok(row)
}

/// Records WhatsApp's id and marks the row handed over (`sent`, the worker's view) and its
/// message `delivery` (`waiting` while WhatsApp holds it at ack 0, `sent` once its server has
/// it), in one transaction. When the sidecar's echo of this send was stored first (as its own
/// row), that copy is folded into ours so the conversation shows the message once.
pub fn mark_sent(
    conn: &Connection,
    tenant: TenantId,
    id: &str,
    wa_message_id: &str,
    at: DateTime<Utc>,
    delivery: SendStatus,
) -> AppResult<()> {
    let row = get(conn, tenant, id)?;
    let t = tenant.to_string();
    // The echo may already have advanced (delivered/read acks) — keep the furthest status.
    let echo: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT seq, status FROM messages WHERE tenant_id = ?1 AND wa_message_id = ?2
               AND id <> ?3",
            params![t, wa_message_id, row.message_id.to_string()],
            |r| Ok((r.get("seq")?, r.get("status")?)),
        )
        .optional()
        .map_err(db_err("find echo"))?;
    let mut status = delivery;
    if let Some((seq, echo_status)) = echo {
        if let Some(s) = echo_status.as_deref().and_then(SendStatus::from_code) {
            status = status.moved_by(s).unwrap_or(status);
        }
        conn.execute(
            "DELETE FROM messages WHERE tenant_id = ?1 AND seq = ?2",
            params![t, seq],
        )
        .map_err(db_err("fold echo"))?;
        // The chat's latest may have pointed at the echo.
        conn.execute(
            "UPDATE chats SET last_message_seq = (SELECT max(seq) FROM messages m
                 WHERE m.tenant_id = chats.tenant_id AND m.chat_id = chats.id)
             WHERE tenant_id = ?1 AND last_message_seq = ?2",
            params![t, seq],
        )
        .map_err(db_err("fold echo"))?;
    }
    conn.execute(
        "UPDATE outbox SET status = 'sent', wa_message_id = ?3, last_error = NULL
         WHERE tenant_id = ?1 AND id = ?2",
        params![t, id, wa_message_id],
    )
    .map_err(db_err("mark sent"))?;
    conn.execute(
        "UPDATE messages SET wa_message_id = ?3, status = ?4, status_reason = NULL,
            sent_at = ?5, stuck_at = NULL
         WHERE tenant_id = ?1 AND id = ?2",
        params![
            t,
            row.message_id.to_string(),
            wa_message_id,
            status.code(),
            to_ms(at)
        ],
    )
    .map_err(db_err("mark sent"))?;
    Ok(())
}

/// Moves a row's hand-over time forward to `at`, when WhatsApp confirmed it. The rate window
/// counts `sent_at`; WhatsApp received the message somewhere between the claim and the
/// confirmation, so counting the later time keeps the limit on WhatsApp's side too.
pub fn confirm_handover(
    conn: &Connection,
    tenant: TenantId,
    id: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE outbox SET sent_at = max(coalesce(sent_at, 0), ?3) WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id, to_ms(at)],
    )
    .map_err(db_err("record hand-over time"))?;
    Ok(())
}

/// Puts a row back in the queue after a transient failure that certainly did not send. The
/// attempt leaves the send-rate window (`sent_at` cleared): only hand-overs that may have
/// reached WhatsApp count, each message once.
pub fn reschedule(
    conn: &Connection,
    tenant: TenantId,
    id: &str,
    next: DateTime<Utc>,
    reason: &str,
) -> AppResult<()> {
    let row = get(conn, tenant, id)?;
    conn.execute(
        "UPDATE outbox SET status = 'queued', next_attempt_at = ?3, last_error = ?4,
            sent_at = NULL
         WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id, to_ms(next), reason],
    )
    .map_err(db_err("reschedule"))?;
    set_message_status(
        conn,
        tenant,
        row.message_id,
        SendStatus::Queued,
        Some(reason),
    )
}

/// Fails a row for good (a permanent error), visibly.
pub fn mark_failed(conn: &Connection, tenant: TenantId, id: &str, reason: &str) -> AppResult<()> {
    let row = get(conn, tenant, id)?;
    set_status(conn, tenant, &row, SendStatus::Failed, Some(reason))
}

/// Marks a row whose hand-over cannot be proven either way; only the manager decides.
pub fn mark_unconfirmed(
    conn: &Connection,
    tenant: TenantId,
    id: &str,
    reason: &str,
) -> AppResult<()> {
    let row = get(conn, tenant, id)?;
    set_status(conn, tenant, &row, SendStatus::Unconfirmed, Some(reason))
}

/// The manager's "send again" on a failed or unconfirmed row: queued now, as a new hand-over.
pub fn requeue(conn: &Connection, tenant: TenantId, id: &str, now: DateTime<Utc>) -> AppResult<()> {
    let row = get(conn, tenant, id)?;
    if !matches!(row.status, SendStatus::Failed | SendStatus::Unconfirmed) {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "only a failed or unconfirmed message can be sent again",
        ));
    }
    conn.execute(
        "UPDATE outbox SET status = 'queued', next_attempt_at = ?3, last_error = NULL
         WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id, to_ms(now)],
    )
    .map_err(db_err("requeue"))?;
    set_message_status(conn, tenant, row.message_id, SendStatus::Queued, None)
}

/// The manager's "mark as sent" on an unconfirmed row (they saw it on the phone).
pub fn confirm_sent(conn: &Connection, tenant: TenantId, id: &str) -> AppResult<()> {
    let row = get(conn, tenant, id)?;
    if row.status != SendStatus::Unconfirmed {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "only an unconfirmed message can be marked as sent",
        ));
    }
    set_status(conn, tenant, &row, SendStatus::Sent, None)
}

/// The reason stored with a message WhatsApp reported an error for (ack -1).
pub const ACK_ERROR: &str = "ack_error";

/// Moves an outgoing message's delivery status on an ack (see [`SendStatus::moved_by`]: forward
/// only; an error fails a message the server never confirmed, and its outbox row too, so the
/// manager can send it again); false when no message has this id.
pub fn apply_ack(
    conn: &Connection,
    tenant: TenantId,
    wa_message_id: &str,
    ack: SendStatus,
) -> AppResult<bool> {
    let current: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT id, status FROM messages WHERE tenant_id = ?1 AND wa_message_id = ?2",
            params![tenant.to_string(), wa_message_id],
            |r| Ok((r.get("id")?, r.get("status")?)),
        )
        .optional()
        .map_err(db_err("read message status"))?;
    let Some((message, current)) = current else {
        return Ok(false);
    };
    let cur = match current.as_deref() {
        None => SendStatus::Queued,
        Some(code) => SendStatus::from_code(code).ok_or_else(|| {
            AppError::storage(format!("message {message} has an unknown status {code:?}"))
        })?,
    };
    let Some(next) = cur.moved_by(ack) else {
        return Ok(true);
    };
    let reason = (next == SendStatus::Failed).then_some(ACK_ERROR);
    conn.execute(
        "UPDATE messages SET status = ?3, status_reason = ?4, stuck_at = NULL
         WHERE tenant_id = ?1 AND wa_message_id = ?2",
        params![tenant.to_string(), wa_message_id, next.code(), reason],
    )
    .map_err(db_err("update message status"))?;
    if next == SendStatus::Failed {
        conn.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?3
             WHERE tenant_id = ?1 AND message_id = ?2",
            params![tenant.to_string(), message, ACK_ERROR],
        )
        .map_err(db_err("fail outbox row"))?;
    }
    Ok(true)
}

/// Whether another outbox row already recorded this WhatsApp id.
pub fn wa_id_taken(
    conn: &Connection,
    tenant: TenantId,
    wa_message_id: &str,
    except: &str,
) -> AppResult<bool> {
    conn.query_row(
        "SELECT 1 FROM outbox WHERE tenant_id = ?1 AND wa_message_id = ?2 AND id <> ?3",
        params![tenant.to_string(), wa_message_id, except],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
    .map_err(db_err("read outbox"))
}

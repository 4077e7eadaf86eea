//! `import_messages`: the staged messages of a conversation until commit.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use tourdesk_core::message::{Direction, MessageKind};
use tourdesk_core::{AppResult, ImportItemId, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// A staged message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StagedMessage {
    /// Order in the conversation.
    pub ord: u32,
    /// Known for WhatsApp Web; `None` for exports (decided from `author` at commit).
    pub direction: Option<Direction>,
    /// Exports: the local date-time as written (`2019-01-30T20:49:00`).
    pub local_time: Option<String>,
    /// WhatsApp Web: the UTC time.
    pub sent_at: Option<DateTime<Utc>>,
    /// The author as written (exports) or the group sender (WhatsApp Web).
    pub author: Option<String>,
    /// What it carries.
    pub kind: MessageKind,
    /// Text or caption.
    pub body: String,
    /// A media file copied under the media folder.
    pub media_path: Option<String>,
    /// Its MIME type.
    pub media_mime: Option<String>,
    /// WhatsApp's stable id (WhatsApp Web only).
    pub wa_message_id: Option<String>,
    /// The stable id of the message replied to.
    pub quoted_wa_message_id: Option<String>,
}

/// Stages one message of an item.
pub fn insert_staged(
    conn: &Connection,
    tenant: TenantId,
    item: ImportItemId,
    m: &StagedMessage,
) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO import_messages (tenant_id, item_id, ord, direction, local_time, sent_at,
            author, kind, body, media_path, media_mime, wa_message_id, quoted_wa_message_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )
    .and_then(|mut s| {
        s.execute(params![
            tenant.to_string(),
            item.to_string(),
            m.ord,
            m.direction.map(Direction::code),
            m.local_time,
            m.sent_at.map(to_ms),
            m.author,
            m.kind.code(),
            m.body,
            m.media_path,
            m.media_mime,
            m.wa_message_id,
            m.quoted_wa_message_id,
        ])
    })
    .map_err(db_err("stage message"))?;
    Ok(())
}

/// The staged messages of an item, in order.
pub fn staged_of(
    conn: &Connection,
    tenant: TenantId,
    item: ImportItemId,
) -> AppResult<Vec<StagedMessage>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT ord, direction, local_time, sent_at, author, kind, body, media_path,
                media_mime, wa_message_id, quoted_wa_message_id
             FROM import_messages WHERE tenant_id = ?1 AND item_id = ?2 ORDER BY ord",
        )
        .map_err(db_err("read staged messages"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), item.to_string()], |r| {
            Ok(StagedMessage {
                ord: r.get("ord")?,
                direction: row::parsed_opt(r, "direction", Direction::from_code)?,
                local_time: r.get("local_time")?,
                sent_at: row::time_opt(r, "sent_at")?,
                author: r.get("author")?,
                kind: MessageKind::from_code(&r.get::<_, String>("kind")?),
                body: r.get("body")?,
                media_path: r.get("media_path")?,
                media_mime: r.get("media_mime")?,
                wa_message_id: r.get("wa_message_id")?,
                quoted_wa_message_id: r.get("quoted_wa_message_id")?,
            })
        })
        .map_err(db_err("read staged messages"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read staged messages"))?;
    Ok(rows)
}

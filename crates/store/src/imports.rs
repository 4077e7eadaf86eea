//! The history import tables: `import_batches`, `import_items`, `import_messages` (staging),
//! `import_settings`, and the batch-stamped writes and removals of commit and undo.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::import::{
    ImportAction, ImportBatch, ImportBatchStatus, ImportFileError, ImportItem, ImportSettings,
    ImportSource, ImportSummary, UndoReport,
};
use tourdesk_core::message::{Direction, MessageKind, NewMessage};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{
    AppError, AppResult, ChatId, ClientId, FunnelStatus, ImportBatchId, ImportItemId, Language,
    MessageId, TenantId, UserId,
};

use crate::{db_err, from_ms, to_ms};

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

fn unjson<T: serde::de::DeserializeOwned + Default>(s: Option<String>) -> T {
    s.and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

// ---- settings ----

/// The organisation's import settings (defaults when never saved).
pub fn settings_get(conn: &Connection, tenant: TenantId) -> AppResult<ImportSettings> {
    let row = conn
        .query_row(
            "SELECT own_names, time_zone FROM import_settings WHERE tenant_id = ?1",
            params![tenant.to_string()],
            |r| {
                Ok(ImportSettings {
                    own_names: unjson(r.get(0)?),
                    time_zone: r.get(1)?,
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

// ---- batches ----

/// A batch as stored (without its items).
#[derive(Debug, Clone)]
pub struct BatchRow {
    /// The batch, `items` empty.
    pub batch: ImportBatch,
    /// Who staged it.
    pub created_by: Option<UserId>,
}

/// Inserts a staged batch.
pub fn insert_batch(
    conn: &Connection,
    tenant: TenantId,
    id: ImportBatchId,
    source: ImportSource,
    created_by: UserId,
    now: DateTime<Utc>,
    errors: &[ImportFileError],
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO import_batches (id, tenant_id, source, status, created_by, created_at, errors)
         VALUES (?1, ?2, ?3, 'staged', ?4, ?5, ?6)",
        params![
            id.to_string(),
            tenant.to_string(),
            source.code(),
            created_by.to_string(),
            to_ms(now),
            json(&errors),
        ],
    )
    .map_err(db_err("insert import batch"))?;
    Ok(())
}

const BATCH_SELECT: &str = "SELECT b.id, b.source, b.status, b.created_at, b.committed_at,
    b.undone_at, b.errors, b.summary, b.undo_report, b.created_by,
    (SELECT count(*) FROM import_items i WHERE i.tenant_id = b.tenant_id AND i.batch_id = b.id)
    FROM import_batches b";

fn map_batch(r: &Row<'_>) -> rusqlite::Result<BatchRow> {
    let id: String = r.get(0)?;
    let source: String = r.get(1)?;
    let status: String = r.get(2)?;
    let summary: Option<String> = r.get(7)?;
    let undo: Option<String> = r.get(8)?;
    let created_by: String = r.get(9)?;
    Ok(BatchRow {
        batch: ImportBatch {
            id: ImportBatchId::parse(&id).unwrap_or(ImportBatchId(uuid::Uuid::nil())),
            source: ImportSource::from_code(&source).unwrap_or(ImportSource::Files),
            status: ImportBatchStatus::from_code(&status).unwrap_or(ImportBatchStatus::Staged),
            created_at: from_ms(r.get(3)?),
            committed_at: r.get::<_, Option<i64>>(4)?.map(from_ms),
            undone_at: r.get::<_, Option<i64>>(5)?.map(from_ms),
            item_count: r.get(10)?,
            items: Vec::new(),
            errors: unjson(r.get(6)?),
            summary: summary.and_then(|s| serde_json::from_str::<ImportSummary>(&s).ok()),
            undo: undo.and_then(|s| serde_json::from_str::<UndoReport>(&s).ok()),
        },
        created_by: UserId::parse(&created_by),
    })
}

/// One batch of the organisation (another organisation's is "not found").
pub fn get_batch(conn: &Connection, tenant: TenantId, id: ImportBatchId) -> AppResult<BatchRow> {
    conn.query_row(
        &format!("{BATCH_SELECT} WHERE b.tenant_id = ?1 AND b.id = ?2"),
        params![tenant.to_string(), id.to_string()],
        map_batch,
    )
    .optional()
    .map_err(db_err("read import batch"))?
    .ok_or_else(|| AppError::not_found("import batch"))
}

/// The organisation's batches, newest first (without items).
pub fn list_batches(conn: &Connection, tenant: TenantId) -> AppResult<Vec<ImportBatch>> {
    let mut stmt = conn
        .prepare(&format!(
            "{BATCH_SELECT} WHERE b.tenant_id = ?1 ORDER BY b.created_at DESC, b.id DESC LIMIT 200"
        ))
        .map_err(db_err("list import batches"))?;
    let rows = stmt
        .query_map(params![tenant.to_string()], map_batch)
        .map_err(db_err("list import batches"))?
        .map(|r| r.map(|b| b.batch))
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list import batches"))?;
    Ok(rows)
}

/// Marks a staged batch committed with its summary and drops its staged messages. Fails with
/// `conflict` when the batch is not staged (committing twice).
pub fn set_committed(
    conn: &Connection,
    tenant: TenantId,
    id: ImportBatchId,
    now: DateTime<Utc>,
    summary: &ImportSummary,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE import_batches SET status = 'committed', committed_at = ?3, summary = ?4
             WHERE tenant_id = ?1 AND id = ?2 AND status = 'staged'",
            params![
                tenant.to_string(),
                id.to_string(),
                to_ms(now),
                json(summary)
            ],
        )
        .map_err(db_err("commit import batch"))?;
    if n == 0 {
        return Err(AppError::new(
            tourdesk_core::ErrorCode::Conflict,
            "the import batch is not staged any more",
        ));
    }
    conn.execute(
        "DELETE FROM import_messages WHERE tenant_id = ?1 AND item_id IN
            (SELECT id FROM import_items WHERE tenant_id = ?1 AND batch_id = ?2)",
        params![tenant.to_string(), id.to_string()],
    )
    .map_err(db_err("drop staged messages"))?;
    Ok(())
}

/// Marks a committed batch undone with its report; `conflict` unless it is committed.
pub fn set_undone(
    conn: &Connection,
    tenant: TenantId,
    id: ImportBatchId,
    now: DateTime<Utc>,
    report: &UndoReport,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE import_batches SET status = 'undone', undone_at = ?3, undo_report = ?4
             WHERE tenant_id = ?1 AND id = ?2 AND status = 'committed'",
            params![tenant.to_string(), id.to_string(), to_ms(now), json(report)],
        )
        .map_err(db_err("undo import batch"))?;
    if n == 0 {
        return Err(AppError::new(
            tourdesk_core::ErrorCode::Conflict,
            "only a committed import batch can be undone",
        ));
    }
    Ok(())
}

/// Deletes a staged batch with its items and staged messages; `conflict` unless staged.
pub fn delete_staged(conn: &Connection, tenant: TenantId, id: ImportBatchId) -> AppResult<()> {
    let n = conn
        .execute(
            "DELETE FROM import_batches WHERE tenant_id = ?1 AND id = ?2 AND status = 'staged'",
            params![tenant.to_string(), id.to_string()],
        )
        .map_err(db_err("discard import batch"))?;
    if n == 0 {
        return Err(AppError::new(
            tourdesk_core::ErrorCode::Conflict,
            "only a staged import batch can be discarded",
        ));
    }
    Ok(())
}

// ---- items ----

/// An item as stored: what the review shows plus what commit and undo need.
#[derive(Debug, Clone)]
pub struct ItemRow {
    /// The review's view.
    pub item: ImportItem,
    /// Its batch.
    pub batch_id: ImportBatchId,
    /// Order in the batch.
    pub ord: u32,
    /// A stable synthetic WhatsApp chat id for conversations without a phone (`import:…`).
    pub chat_key: Option<String>,
    /// The participant who is the client.
    pub client_author: Option<String>,
    /// Our own names (their messages are outgoing).
    pub own_names: Vec<String>,
    /// After commit: the chat written to.
    pub chat_id: Option<ChatId>,
    /// After commit: the chat was created by this item.
    pub chat_created: bool,
    /// After commit: the client this item created.
    pub created_client_id: Option<ClientId>,
    /// After commit: that client's `version` right after the commit.
    pub client_version: Option<i64>,
}

/// Inserts a staged item.
pub fn insert_item(conn: &Connection, tenant: TenantId, row: &ItemRow) -> AppResult<()> {
    let i = &row.item;
    conn.prepare_cached(
        "INSERT INTO import_items (id, tenant_id, batch_id, ord, file_name, chat_title, wa_chat_id,
            chat_key, participants, client_author, own_names, name, phone, language,
            language_confidence, suggested_status, status_reason, status_evidence, message_count,
            first_at, last_at, is_group, needs_client_choice, history_truncated, action,
            merge_into, proposed_merge, time_zone, warnings, status_signal, status_signal_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
    )
    .and_then(|mut s| {
        s.execute(params![
            i.id.to_string(),
            tenant.to_string(),
            row.batch_id.to_string(),
            row.ord,
            i.file_name,
            i.chat_title,
            i.wa_chat_id,
            row.chat_key,
            json(&i.participants),
            row.client_author,
            json(&row.own_names),
            i.name,
            i.phone,
            i.language.code(),
            f64::from(i.language_confidence),
            i.suggested_status.code(),
            i.status_reason,
            i.status_evidence,
            i.messages,
            i.first,
            i.last,
            i.is_group,
            i.needs_client_choice,
            i.history_truncated,
            i.action.code(),
            i.merge_into.map(|c| c.to_string()),
            i.proposed_merge.map(|c| c.to_string()),
            i.time_zone,
            json(&i.warnings),
            i.status_signal,
            i.status_signal_value,
        ])
    })
    .map_err(db_err("insert import item"))?;
    Ok(())
}

const ITEM_SELECT: &str = "SELECT i.id, i.batch_id, i.ord, i.file_name, i.chat_title, i.wa_chat_id,
    i.chat_key, i.participants, i.client_author, i.own_names, i.name, i.phone, i.language,
    i.language_confidence, i.suggested_status, i.status_reason, i.status_evidence,
    i.message_count, i.first_at, i.last_at, i.is_group, i.needs_client_choice,
    i.history_truncated, i.action, i.merge_into, i.proposed_merge, i.time_zone, i.warnings,
    i.chat_id, i.chat_created, i.created_client_id, i.client_id, i.client_version,
    i.messages_added, i.duplicates_skipped, mc.name, pc.name, i.status_signal,
    i.status_signal_value
    FROM import_items i
    LEFT JOIN clients mc ON mc.tenant_id = i.tenant_id AND mc.id = i.merge_into
    LEFT JOIN clients pc ON pc.tenant_id = i.tenant_id AND pc.id = i.proposed_merge";

fn client_id(s: Option<String>) -> Option<ClientId> {
    s.as_deref().and_then(ClientId::parse)
}

fn map_item(r: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let id: String = r.get(0)?;
    let batch: String = r.get(1)?;
    let language: String = r.get(12)?;
    let status: String = r.get(14)?;
    let action: String = r.get(23)?;
    let chat: Option<String> = r.get(28)?;
    Ok(ItemRow {
        item: ImportItem {
            id: ImportItemId::parse(&id).unwrap_or(ImportItemId(uuid::Uuid::nil())),
            file_name: r.get(3)?,
            chat_title: r.get(4)?,
            wa_chat_id: r.get(5)?,
            participants: unjson(r.get(7)?),
            name: r.get(10)?,
            phone: r.get(11)?,
            language: Language::from_code(&language).unwrap_or_default(),
            language_confidence: r.get::<_, f64>(13)? as f32,
            suggested_status: FunnelStatus::from_code(&status).unwrap_or(FunnelStatus::NewLead),
            status_reason: r.get(15)?,
            status_signal: r.get(37)?,
            status_signal_value: r.get(38)?,
            status_evidence: r.get(16)?,
            messages: r.get(17)?,
            first: r.get(18)?,
            last: r.get(19)?,
            is_group: r.get(20)?,
            needs_client_choice: r.get(21)?,
            history_truncated: r.get(22)?,
            action: ImportAction::from_code(&action).unwrap_or(ImportAction::Skip),
            merge_into: client_id(r.get(24)?),
            merge_name: r.get(35)?,
            proposed_merge: client_id(r.get(25)?),
            proposed_merge_name: r.get(36)?,
            time_zone: r.get(26)?,
            warnings: unjson(r.get(27)?),
            client_id: client_id(r.get(31)?),
            messages_added: r.get(33)?,
            duplicates_skipped: r.get(34)?,
        },
        batch_id: ImportBatchId::parse(&batch).unwrap_or(ImportBatchId(uuid::Uuid::nil())),
        ord: r.get(2)?,
        chat_key: r.get(6)?,
        client_author: r.get(8)?,
        own_names: unjson(r.get(9)?),
        chat_id: chat.as_deref().and_then(ChatId::parse),
        chat_created: r.get(29)?,
        created_client_id: client_id(r.get(30)?),
        client_version: r.get(32)?,
    })
}

/// The items of a batch in staging order.
pub fn items_of(
    conn: &Connection,
    tenant: TenantId,
    batch: ImportBatchId,
) -> AppResult<Vec<ItemRow>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "{ITEM_SELECT} WHERE i.tenant_id = ?1 AND i.batch_id = ?2 ORDER BY i.ord"
        ))
        .map_err(db_err("read import items"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), batch.to_string()], map_item)
        .map_err(db_err("read import items"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read import items"))?;
    Ok(rows)
}

/// One item of the organisation (another organisation's is "not found").
pub fn get_item(conn: &Connection, tenant: TenantId, id: ImportItemId) -> AppResult<ItemRow> {
    conn.query_row(
        &format!("{ITEM_SELECT} WHERE i.tenant_id = ?1 AND i.id = ?2"),
        params![tenant.to_string(), id.to_string()],
        map_item,
    )
    .optional()
    .map_err(db_err("read import item"))?
    .ok_or_else(|| AppError::not_found("import item"))
}

/// Saves the review's edits of an item (validated by the caller).
pub fn update_review(conn: &Connection, tenant: TenantId, row: &ItemRow) -> AppResult<()> {
    let i = &row.item;
    conn.execute(
        "UPDATE import_items SET name = ?3, phone = ?4, language = ?5, suggested_status = ?6,
            action = ?7, merge_into = ?8, time_zone = ?9, client_author = ?10,
            needs_client_choice = ?11
         WHERE tenant_id = ?1 AND id = ?2",
        params![
            tenant.to_string(),
            i.id.to_string(),
            i.name,
            i.phone,
            i.language.code(),
            i.suggested_status.code(),
            i.action.code(),
            i.merge_into.map(|c| c.to_string()),
            i.time_zone,
            row.client_author,
            i.needs_client_choice,
        ],
    )
    .map_err(db_err("update import item"))?;
    Ok(())
}

/// What commit did with one item.
#[derive(Debug, Clone, Default)]
pub struct ItemResult {
    /// The chat written to.
    pub chat_id: Option<ChatId>,
    /// Whether commit created that chat.
    pub chat_created: bool,
    /// The client commit created.
    pub created_client_id: Option<ClientId>,
    /// The client created or merged into.
    pub client_id: Option<ClientId>,
    /// The created client's version right after commit.
    pub client_version: Option<i64>,
    /// Messages added.
    pub messages_added: u32,
    /// Messages already stored.
    pub duplicates_skipped: u32,
}

/// Records what commit did with an item.
pub fn set_item_result(
    conn: &Connection,
    tenant: TenantId,
    id: ImportItemId,
    r: &ItemResult,
) -> AppResult<()> {
    conn.execute(
        "UPDATE import_items SET chat_id = ?3, chat_created = ?4, created_client_id = ?5,
            client_id = ?6, client_version = ?7, messages_added = ?8, duplicates_skipped = ?9
         WHERE tenant_id = ?1 AND id = ?2",
        params![
            tenant.to_string(),
            id.to_string(),
            r.chat_id.map(|c| c.to_string()),
            r.chat_created,
            r.created_client_id.map(|c| c.to_string()),
            r.client_id.map(|c| c.to_string()),
            r.client_version,
            r.messages_added,
            r.duplicates_skipped,
        ],
    )
    .map_err(db_err("record import result"))?;
    Ok(())
}

// ---- staged messages ----

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
            let dir: Option<String> = r.get(1)?;
            let kind: String = r.get(5)?;
            Ok(StagedMessage {
                ord: r.get(0)?,
                direction: dir.as_deref().and_then(Direction::from_code),
                local_time: r.get(2)?,
                sent_at: r.get::<_, Option<i64>>(3)?.map(from_ms),
                author: r.get(4)?,
                kind: MessageKind::from_code(&kind),
                body: r.get(6)?,
                media_path: r.get(7)?,
                media_mime: r.get(8)?,
                wa_message_id: r.get(9)?,
                quoted_wa_message_id: r.get(10)?,
            })
        })
        .map_err(db_err("read staged messages"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read staged messages"))?;
    Ok(rows)
}

// ---- commit and undo on the CRM's tables ----

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
            "SELECT seq, direction, kind, body, sent_at, deleted_at IS NOT NULL, wa_message_id
             FROM messages WHERE tenant_id = ?1 AND chat_id = ?2 AND sent_at BETWEEN ?3 AND ?4
             ORDER BY seq",
        )
        .map_err(db_err("read chat messages"))?;
    let rows = stmt
        .query_map(
            params![tenant.to_string(), chat.to_string(), to_ms(from), to_ms(to)],
            |r| {
                let dir: String = r.get(1)?;
                let kind: String = r.get(2)?;
                Ok(StoredKey {
                    seq: r.get(0)?,
                    direction: Direction::from_code(&dir).unwrap_or_default(),
                    kind: MessageKind::from_code(&kind),
                    body: r.get(3)?,
                    sent_at: from_ms(r.get(4)?),
                    deleted: r.get(5)?,
                    wa_message_id: r.get(6)?,
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
            batch.to_string(),
        ])
    })
    .map_err(db_err("insert imported message"))?;
    Ok(conn.last_insert_rowid())
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
        |r| r.get(0),
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
                              AND o.message_id = m.id))
             FROM messages m
             WHERE m.tenant_id = ?1 AND m.import_batch_id = ?2 AND m.chat_id = ?3",
        )
        .map_err(db_err("read imported messages"))?;
    let rows = stmt
        .query_map(
            params![tenant.to_string(), batch.to_string(), chat.to_string()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, bool>(2)?,
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
        "SELECT count(*) FROM messages WHERE tenant_id = ?1 AND chat_id = ?3
           AND (import_batch_id IS NULL OR import_batch_id <> ?2)",
        params![tenant.to_string(), batch.to_string(), chat.to_string()],
        |r| r.get(0),
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
        "SELECT count(*) FROM chats WHERE tenant_id = ?1 AND client_id = ?2
           AND id <> coalesce(?3, '')",
        params![
            tenant.to_string(),
            client.to_string(),
            except.map(|c| c.to_string())
        ],
        |r| r.get(0),
    )
    .map_err(db_err("count client chats"))
}

/// Clients that were merged into `client` (they point at it).
pub fn merged_into_client(conn: &Connection, tenant: TenantId, client: ClientId) -> AppResult<u32> {
    conn.query_row(
        "SELECT count(*) FROM clients WHERE tenant_id = ?1 AND merged_into = ?2",
        params![tenant.to_string(), client.to_string()],
        |r| r.get(0),
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
        .query_map(params![tenant.to_string(), name], |r| r.get::<_, String>(0))
        .map_err(db_err("find client by name"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("find client by name"))?;
    Ok(match ids.as_slice() {
        [one] => ClientId::parse(one),
        _ => None,
    })
}

/// The client's one-to-one chat with the latest message, if any.
pub fn latest_one_to_one_chat(
    conn: &Connection,
    tenant: TenantId,
    client: ClientId,
) -> AppResult<Option<ChatId>> {
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM chats WHERE tenant_id = ?1 AND client_id = ?2 AND kind = 'one_to_one'
             ORDER BY coalesce(last_message_seq, 0) DESC LIMIT 1",
            params![tenant.to_string(), client.to_string()],
            |r| r.get(0),
        )
        .optional()
        .map_err(db_err("find client chat"))?;
    Ok(id.as_deref().and_then(ChatId::parse))
}

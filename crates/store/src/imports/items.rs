//! `import_items`: one conversation of a batch, its review and what commit did with it.

use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::import::{ImportAction, ImportItem};
use tourdesk_core::{
    AppError, AppResult, ChatId, ClientId, FunnelStatus, ImportBatchId, ImportItemId, Language,
    TenantId,
};

use super::json;
use crate::db_err;
use crate::row;

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
    i.messages_added, i.duplicates_skipped, mc.name AS merge_name, pc.name AS proposed_merge_name,
    i.status_signal, i.status_signal_value
    FROM import_items i
    LEFT JOIN clients mc ON mc.tenant_id = i.tenant_id AND mc.id = i.merge_into
    LEFT JOIN clients pc ON pc.tenant_id = i.tenant_id AND pc.id = i.proposed_merge";

fn client_id(r: &Row<'_>, column: &str) -> rusqlite::Result<Option<ClientId>> {
    row::parsed_opt(r, column, ClientId::parse)
}

fn map_item(r: &Row<'_>) -> rusqlite::Result<ItemRow> {
    Ok(ItemRow {
        item: ImportItem {
            id: row::parsed(r, "id", ImportItemId::parse)?,
            file_name: r.get("file_name")?,
            chat_title: r.get("chat_title")?,
            wa_chat_id: r.get("wa_chat_id")?,
            participants: row::json(r, "participants")?,
            name: r.get("name")?,
            phone: r.get("phone")?,
            language: row::parsed(r, "language", Language::from_code)?,
            language_confidence: r.get::<_, f64>("language_confidence")? as f32,
            suggested_status: row::parsed(r, "suggested_status", FunnelStatus::from_code)?,
            status_reason: r.get("status_reason")?,
            status_signal: r.get("status_signal")?,
            status_signal_value: r.get("status_signal_value")?,
            status_evidence: r.get("status_evidence")?,
            messages: r.get("message_count")?,
            first: r.get("first_at")?,
            last: r.get("last_at")?,
            is_group: r.get("is_group")?,
            needs_client_choice: r.get("needs_client_choice")?,
            history_truncated: r.get("history_truncated")?,
            action: row::parsed(r, "action", ImportAction::from_code)?,
            merge_into: client_id(r, "merge_into")?,
            merge_name: r.get("merge_name")?,
            proposed_merge: client_id(r, "proposed_merge")?,
            proposed_merge_name: r.get("proposed_merge_name")?,
            time_zone: r.get("time_zone")?,
            warnings: row::json(r, "warnings")?,
            client_id: client_id(r, "client_id")?,
            messages_added: r.get("messages_added")?,
            duplicates_skipped: r.get("duplicates_skipped")?,
        },
        batch_id: row::parsed(r, "batch_id", ImportBatchId::parse)?,
        ord: r.get("ord")?,
        chat_key: r.get("chat_key")?,
        client_author: r.get("client_author")?,
        own_names: row::json(r, "own_names")?,
        chat_id: row::parsed_opt(r, "chat_id", ChatId::parse)?,
        chat_created: r.get("chat_created")?,
        created_client_id: client_id(r, "created_client_id")?,
        client_version: r.get("client_version")?,
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

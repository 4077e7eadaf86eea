//! The `translations` table: a message's translation per target language (the cache the
//! translator reads before any model call), and failed attempts with their error code.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::ai::AiFailure;
use tourdesk_core::translation::{MessageTranslation, TranslationFlag, TranslationStatus};
use tourdesk_core::{AppError, AppResult, ChatId, Language, MessageId, TenantId};

use crate::row;
use crate::{db_err, to_ms};

const COLS: &str = "t.message_id, t.language, t.text, t.source_language, t.status, t.error_code,
    t.flags";

fn map_translation(r: &Row<'_>) -> rusqlite::Result<MessageTranslation> {
    Ok(MessageTranslation {
        message_id: row::parsed(r, "message_id", MessageId::parse)?,
        language: row::parsed(r, "language", Language::from_code)?,
        source_language: row::parsed_opt(r, "source_language", Language::from_code)?,
        text: r.get("text")?,
        status: row::parsed(r, "status", TranslationStatus::from_code)?,
        error: row::parsed_opt(r, "error_code", AiFailure::from_code)?,
        flags: row::json::<Vec<TranslationFlag>>(r, "flags")?,
    })
}

/// The cached translation of a message into `language`, if any.
pub fn get(
    conn: &Connection,
    tenant: TenantId,
    message: MessageId,
    language: Language,
) -> AppResult<Option<MessageTranslation>> {
    conn.prepare_cached(&format!(
        "SELECT {COLS} FROM translations t
         WHERE t.tenant_id = ?1 AND t.message_id = ?2 AND t.language = ?3"
    ))
    .and_then(|mut s| {
        s.query_row(
            params![tenant.to_string(), message.to_string(), language.code()],
            map_translation,
        )
        .optional()
    })
    .map_err(db_err("read translation"))
}

/// Stores (or replaces) a translation or a failed attempt. Only `ok` and `failed` are kept:
/// "not configured" and "not needed" are answers of the moment, not results.
pub fn put(
    conn: &Connection,
    tenant: TenantId,
    t: &MessageTranslation,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if !matches!(t.status, TranslationStatus::Ok | TranslationStatus::Failed) {
        return Err(AppError::internal(format!(
            "a translation with status {} is not stored",
            t.status.code()
        )));
    }
    let flags = serde_json::to_string(&t.flags)
        .map_err(|e| AppError::internal(format!("encode translation flags: {e}")))?;
    conn.prepare_cached(
        "INSERT INTO translations (tenant_id, message_id, language, text, source_language,
             status, error_code, flags, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (tenant_id, message_id, language) DO UPDATE SET
             text = excluded.text, source_language = excluded.source_language,
             status = excluded.status, error_code = excluded.error_code,
             flags = excluded.flags, created_at = excluded.created_at",
    )
    .and_then(|mut s| {
        s.execute(params![
            tenant.to_string(),
            t.message_id.to_string(),
            t.language.code(),
            t.text,
            t.source_language.map(Language::code),
            t.status.code(),
            t.error.map(AiFailure::code),
            flags,
            to_ms(now),
        ])
    })
    .map_err(db_err("store translation"))?;
    Ok(())
}

/// The cached translations into `language` of a chat's messages with `seq` in
/// `first_seq..=last_seq` (one page of the conversation), by message.
pub fn for_page(
    conn: &Connection,
    tenant: TenantId,
    chat: ChatId,
    language: Language,
    first_seq: i64,
    last_seq: i64,
) -> AppResult<HashMap<MessageId, MessageTranslation>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM messages m
             JOIN translations t ON t.tenant_id = m.tenant_id AND t.message_id = m.id
                 AND t.language = ?3
             WHERE m.tenant_id = ?1 AND m.chat_id = ?2 AND m.seq BETWEEN ?4 AND ?5"
        ))
        .map_err(db_err("read translations"))?;
    let rows = stmt
        .query_map(
            params![
                tenant.to_string(),
                chat.to_string(),
                language.code(),
                first_seq,
                last_seq
            ],
            map_translation,
        )
        .map_err(db_err("read translations"))?
        .map(|r| r.map(|t| (t.message_id, t)))
        .collect::<Result<HashMap<_, _>, _>>()
        .map_err(db_err("read translations"))?;
    Ok(rows)
}

/// Forgets every translation of a message (its text changed).
pub fn clear(conn: &Connection, tenant: TenantId, message: MessageId) -> AppResult<()> {
    conn.prepare_cached("DELETE FROM translations WHERE tenant_id = ?1 AND message_id = ?2")
        .and_then(|mut s| s.execute(params![tenant.to_string(), message.to_string()]))
        .map_err(db_err("clear translations"))?;
    Ok(())
}

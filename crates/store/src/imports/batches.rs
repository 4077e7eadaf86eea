//! `import_batches`: a staged, committed or undone batch.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::import::{
    ImportBatch, ImportBatchStatus, ImportFileError, ImportSource, ImportSummary, UndoReport,
};
use tourdesk_core::{AppError, AppResult, ImportBatchId, TenantId, UserId};

use super::json;
use crate::row;
use crate::{db_err, to_ms};

/// A batch as stored (without its items).
#[derive(Debug, Clone)]
pub struct BatchRow {
    /// The batch, `items` empty.
    pub batch: ImportBatch,
    /// Who staged it.
    pub created_by: UserId,
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
        AS item_count
    FROM import_batches b";

fn map_batch(r: &Row<'_>) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        batch: ImportBatch {
            id: row::parsed(r, "id", ImportBatchId::parse)?,
            source: row::parsed(r, "source", ImportSource::from_code)?,
            status: row::parsed(r, "status", ImportBatchStatus::from_code)?,
            created_at: row::time(r, "created_at")?,
            committed_at: row::time_opt(r, "committed_at")?,
            undone_at: row::time_opt(r, "undone_at")?,
            item_count: r.get("item_count")?,
            items: Vec::new(),
            errors: row::json(r, "errors")?,
            summary: row::json_opt::<ImportSummary>(r, "summary")?,
            undo: row::json_opt::<UndoReport>(r, "undo_report")?,
        },
        created_by: row::parsed(r, "created_by", UserId::parse)?,
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

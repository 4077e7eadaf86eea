//! The `llm_usage` table: one row per model call (purpose, model, latency, tokens, outcome),
//! never the key or the prompt.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use tourdesk_core::ai::AiUsageDay;
use tourdesk_core::{AppResult, TenantId};

use crate::row;
use crate::{db_err, to_ms};

/// One model call as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    /// When the call finished.
    pub at: DateTime<Utc>,
    /// What it was for, e.g. `settings.test_connection`.
    pub purpose: String,
    /// The model asked.
    pub model: String,
    /// Wall time in milliseconds.
    pub latency_ms: u64,
    /// Prompt tokens.
    pub tokens_in: u64,
    /// Completion tokens.
    pub tokens_out: u64,
    /// `ok` or an LLM error code.
    pub outcome: String,
    /// HTTP attempts made.
    pub attempts: u32,
}

/// Clamps an unsigned count into SQLite's signed integer.
fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Appends one call.
pub fn insert(conn: &Connection, tenant: TenantId, row: &UsageRow) -> AppResult<()> {
    conn.execute(
        "INSERT INTO llm_usage (tenant_id, at, purpose, model, latency_ms, tokens_in, tokens_out, outcome, attempts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            tenant.to_string(),
            to_ms(row.at),
            row.purpose,
            row.model,
            int(row.latency_ms),
            int(row.tokens_in),
            int(row.tokens_out),
            row.outcome,
            row.attempts
        ],
    )
    .map_err(db_err("record model call"))?;
    Ok(())
}

/// Calls at or after `since`, summed per UTC day, newest day first.
pub fn per_day(
    conn: &Connection,
    tenant: TenantId,
    since: DateTime<Utc>,
) -> AppResult<Vec<AiUsageDay>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day,
                    count(*) AS calls, sum(outcome <> 'ok') AS failures,
                    sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out
             FROM llm_usage WHERE tenant_id = ?1 AND at >= ?2
             GROUP BY day ORDER BY day DESC",
        )
        .map_err(db_err("read model usage"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), to_ms(since)], |r| {
            Ok(AiUsageDay {
                day: r.get("day")?,
                calls: row::count(r, "calls")?,
                failures: row::count(r, "failures")?,
                tokens_in: row::count(r, "tokens_in")?,
                tokens_out: row::count(r, "tokens_out")?,
            })
        })
        .map_err(db_err("read model usage"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read model usage"))?;
    Ok(rows)
}

//! The `partners` table.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::partner::{Partner, PartnerInput, PartnerKind};
use tourdesk_core::{AppError, AppResult, Language, PartnerId, TenantId};

use crate::row;
use crate::{db_err, to_ms};

fn kind_code(k: PartnerKind) -> &'static str {
    match k {
        PartnerKind::Guide => "guide",
        PartnerKind::Driver => "driver",
        PartnerKind::Hotel => "hotel",
        PartnerKind::Other => "other",
    }
}

fn kind_parse(s: &str) -> Option<PartnerKind> {
    match s {
        "guide" => Some(PartnerKind::Guide),
        "driver" => Some(PartnerKind::Driver),
        "hotel" => Some(PartnerKind::Hotel),
        "other" => Some(PartnerKind::Other),
        _ => None,
    }
}

/// A JSON list of language codes, every one a client language.
fn languages_parse(text: &str) -> Option<Vec<Language>> {
    let codes: Vec<String> = serde_json::from_str(text).ok()?;
    codes.iter().map(|c| Language::from_code(c)).collect()
}

fn languages_json(l: &[Language]) -> String {
    serde_json::to_string(&l.iter().map(|x| x.code()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

/// Inserts a partner.
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    id: PartnerId,
    p: &PartnerInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO partners (id, tenant_id, name, kind, phone, telegram_chat, languages, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            id.to_string(),
            tenant.to_string(),
            p.name,
            kind_code(p.kind),
            p.phone,
            p.telegram_chat,
            languages_json(&p.languages),
            p.notes,
            to_ms(now)
        ],
    )
    .map_err(db_err("insert partner"))?;
    Ok(())
}

/// Replaces a live partner's fields.
pub fn update(
    conn: &Connection,
    tenant: TenantId,
    id: PartnerId,
    p: &PartnerInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE partners SET name = ?3, kind = ?4, phone = ?5, telegram_chat = ?6, languages = ?7,
                notes = ?8, updated_at = ?9
             WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
            params![
                tenant.to_string(),
                id.to_string(),
                p.name,
                kind_code(p.kind),
                p.phone,
                p.telegram_chat,
                languages_json(&p.languages),
                p.notes,
                to_ms(now)
            ],
        )
        .map_err(db_err("update partner"))?;
    if n == 0 {
        return Err(AppError::not_found("partner"));
    }
    Ok(())
}

const COLS: &str = "id, name, kind, phone, telegram_chat, languages, notes, created_at, updated_at";

fn map_partner(r: &Row<'_>) -> rusqlite::Result<Partner> {
    Ok(Partner {
        id: row::parsed(r, "id", PartnerId::parse)?,
        fields: PartnerInput {
            name: r.get("name")?,
            kind: row::parsed(r, "kind", kind_parse)?,
            phone: r.get("phone")?,
            telegram_chat: r.get("telegram_chat")?,
            languages: row::parsed(r, "languages", languages_parse)?,
            notes: r.get("notes")?,
        },
        created_at: row::time(r, "created_at")?,
        updated_at: row::time(r, "updated_at")?,
    })
}

/// Reads a live partner.
pub fn get(conn: &Connection, tenant: TenantId, id: PartnerId) -> AppResult<Partner> {
    conn.query_row(
        &format!(
            "SELECT {COLS} FROM partners WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL"
        ),
        params![tenant.to_string(), id.to_string()],
        map_partner,
    )
    .optional()
    .map_err(db_err("read partner"))?
    .ok_or_else(|| AppError::not_found("partner"))
}

/// Every live partner, by name.
pub fn list(conn: &Connection, tenant: TenantId) -> AppResult<Vec<Partner>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM partners WHERE tenant_id = ?1 AND deleted_at IS NULL ORDER BY name COLLATE NOCASE"
        ))
        .map_err(db_err("list partners"))?;
    let rows = stmt
        .query_map([tenant.to_string()], map_partner)
        .map_err(db_err("list partners"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list partners"))?;
    Ok(rows)
}

/// Soft-deletes a partner and unassigns it from clients.
pub fn delete(
    conn: &Connection,
    tenant: TenantId,
    id: PartnerId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE partners SET deleted_at = ?3, updated_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
            params![tenant.to_string(), id.to_string(), to_ms(now)],
        )
        .map_err(db_err("delete partner"))?;
    if n == 0 {
        return Err(AppError::not_found("partner"));
    }
    conn.execute(
        "UPDATE clients SET partner_id = NULL, updated_at = ?3 WHERE tenant_id = ?1 AND partner_id = ?2",
        params![tenant.to_string(), id.to_string(), to_ms(now)],
    )
    .map_err(db_err("unassign partner"))?;
    Ok(())
}

/// The live partner with this E.164 phone, if any (a partner's number writing to us).
pub fn find_by_phone(
    conn: &Connection,
    tenant: TenantId,
    phone: &str,
) -> AppResult<Option<PartnerId>> {
    conn.query_row(
        "SELECT id FROM partners WHERE tenant_id = ?1 AND phone = ?2 AND deleted_at IS NULL
         LIMIT 1",
        params![tenant.to_string(), phone],
        |r| row::parsed(r, "id", PartnerId::parse),
    )
    .optional()
    .map_err(db_err("find partner by phone"))
}

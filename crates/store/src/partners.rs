//! The `partners` table.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::partner::{Partner, PartnerInput, PartnerKind};
use tourdesk_core::{AppError, AppResult, Language, PartnerId, TenantId};

use crate::{db_err, from_ms, to_ms};

fn kind_code(k: PartnerKind) -> &'static str {
    match k {
        PartnerKind::Guide => "guide",
        PartnerKind::Driver => "driver",
        PartnerKind::Hotel => "hotel",
        PartnerKind::Other => "other",
    }
}

fn kind_parse(s: &str) -> PartnerKind {
    match s {
        "driver" => PartnerKind::Driver,
        "hotel" => PartnerKind::Hotel,
        "other" => PartnerKind::Other,
        _ => PartnerKind::Guide,
    }
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
    let id: String = r.get(0)?;
    let kind: String = r.get(2)?;
    let langs: String = r.get(5)?;
    let codes: Vec<String> = serde_json::from_str(&langs).unwrap_or_default();
    Ok(Partner {
        id: PartnerId::parse(&id).unwrap_or(PartnerId(uuid::Uuid::nil())),
        fields: PartnerInput {
            name: r.get(1)?,
            kind: kind_parse(&kind),
            phone: r.get(3)?,
            telegram_chat: r.get(4)?,
            languages: codes
                .iter()
                .filter_map(|c| Language::from_code(c))
                .collect(),
            notes: r.get(6)?,
        },
        created_at: from_ms(r.get(7)?),
        updated_at: from_ms(r.get(8)?),
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
    let id: Option<String> = conn
        .query_row(
            "SELECT id FROM partners WHERE tenant_id = ?1 AND phone = ?2 AND deleted_at IS NULL
             LIMIT 1",
            params![tenant.to_string(), phone],
            |r| r.get(0),
        )
        .optional()
        .map_err(db_err("find partner by phone"))?;
    Ok(id.and_then(|s| PartnerId::parse(&s)))
}

//! The `clients` and `client_tours` tables: records, the list query and the board.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use tourdesk_core::client::{
    AddressForm, BoardCard, BoardColumn, Client, ClientInput, ClientPage, ClientQuery, ClientRow,
    ClientSort, CulturalContext, Diet,
};
use tourdesk_core::{
    AppError, AppResult, ClientId, ErrorCode, FunnelStatus, Language, PartnerId, TenantId, TourId,
    UserId,
};

use tourdesk_core::message::fts_query;

use crate::messages::CLIENT_SEARCH_MESSAGES;
use crate::row;
use crate::{db_err, is_unique_violation, to_ms};

fn enum_code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn enum_parse<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

/// The lower-cased text the list search looks in: name, phone (also digits only), e-mail.
pub fn search_text(f: &ClientInput) -> String {
    let phone = f.phone.as_deref().unwrap_or("");
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!(
        "{} {} {} {}",
        f.name,
        phone,
        digits,
        f.email.as_deref().unwrap_or("")
    )
    .to_lowercase()
}

fn duplicate_phone(conn: &Connection, tenant: TenantId, phone: Option<&str>) -> AppError {
    let existing = phone.and_then(|p| find_by_phone(conn, tenant, p).ok().flatten());
    AppError {
        code: ErrorCode::DuplicatePhone,
        message: "another client already has this phone number".into(),
        field: Some("phone".into()),
        existing_id: existing.map(|id| id.to_string()),
    }
}

/// Inserts a client in `status` with its tour links.
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    f: &ClientInput,
    status: FunnelStatus,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let r = conn.execute(
        "INSERT INTO clients (id, tenant_id, name, phone, email, status, language, diet,
            address_form, time_zone, culture_notes, notes, manager_id, partner_id, search,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
        params![
            id.to_string(),
            tenant.to_string(),
            f.name,
            f.phone,
            f.email,
            status.code(),
            f.language.code(),
            enum_code(&f.culture.diet),
            enum_code(&f.culture.address),
            f.culture.time_zone,
            f.culture.notes,
            f.notes,
            f.manager_id.map(|x| x.to_string()),
            f.partner_id.map(|x| x.to_string()),
            search_text(f),
            to_ms(now),
        ],
    );
    match r {
        Ok(_) => set_tours(conn, tenant, id, &f.tour_ids),
        Err(e) if is_unique_violation(&e) => Err(duplicate_phone(conn, tenant, f.phone.as_deref())),
        Err(e) => Err(crate::db_err("insert client")(e)),
    }
}

/// Replaces the editable fields of a live client.
pub fn update(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    f: &ClientInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let r = conn.execute(
        "UPDATE clients SET name = ?3, phone = ?4, email = ?5, language = ?6, diet = ?7,
            address_form = ?8, time_zone = ?9, culture_notes = ?10, notes = ?11, manager_id = ?12,
            partner_id = ?13, search = ?14, updated_at = ?15, version = version + 1
         WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
        params![
            tenant.to_string(),
            id.to_string(),
            f.name,
            f.phone,
            f.email,
            f.language.code(),
            enum_code(&f.culture.diet),
            enum_code(&f.culture.address),
            f.culture.time_zone,
            f.culture.notes,
            f.notes,
            f.manager_id.map(|x| x.to_string()),
            f.partner_id.map(|x| x.to_string()),
            search_text(f),
            to_ms(now),
        ],
    );
    match r {
        Ok(0) => Err(AppError::not_found("client")),
        Ok(_) => set_tours(conn, tenant, id, &f.tour_ids),
        Err(e) if is_unique_violation(&e) => Err(duplicate_phone(conn, tenant, f.phone.as_deref())),
        Err(e) => Err(crate::db_err("update client")(e)),
    }
}

/// Replaces the client's tour links.
pub fn set_tours(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    tours: &[TourId],
) -> AppResult<()> {
    conn.execute(
        "DELETE FROM client_tours WHERE tenant_id = ?1 AND client_id = ?2",
        params![tenant.to_string(), id.to_string()],
    )
    .map_err(db_err("unlink tours"))?;
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO client_tours (tenant_id, client_id, tour_id) VALUES (?1, ?2, ?3)",
        )
        .map_err(db_err("link tours"))?;
    for t in tours {
        stmt.execute(params![tenant.to_string(), id.to_string(), t.to_string()])
            .map_err(db_err("link tour"))?;
    }
    Ok(())
}

const SELECT: &str = "SELECT c.id, c.name, c.phone, c.email, c.status, c.language, c.diet,
    c.address_form, c.time_zone, c.culture_notes, c.notes, c.manager_id, c.partner_id,
    c.created_at, c.updated_at, c.deleted_at, c.merged_into, u.name AS manager_name,
    p.name AS partner_name
    FROM clients c
    LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.manager_id
    LEFT JOIN partners p ON p.tenant_id = c.tenant_id AND p.id = c.partner_id";

fn map_client(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: row::parsed(r, "id", ClientId::parse)?,
        status: row::parsed(r, "status", FunnelStatus::from_code)?,
        fields: ClientInput {
            name: r.get("name")?,
            phone: r.get("phone")?,
            email: r.get("email")?,
            language: row::parsed(r, "language", Language::from_code)?,
            culture: CulturalContext {
                diet: row::parsed(r, "diet", enum_parse::<Diet>)?,
                address: row::parsed(r, "address_form", enum_parse::<AddressForm>)?,
                time_zone: r.get("time_zone")?,
                notes: r.get("culture_notes")?,
            },
            notes: r.get("notes")?,
            manager_id: row::parsed_opt(r, "manager_id", UserId::parse)?,
            partner_id: row::parsed_opt(r, "partner_id", PartnerId::parse)?,
            tour_ids: Vec::new(),
        },
        created_at: row::time(r, "created_at")?,
        updated_at: row::time(r, "updated_at")?,
        deleted_at: row::time_opt(r, "deleted_at")?,
        merged_into: row::parsed_opt(r, "merged_into", ClientId::parse)?,
        manager_name: r.get("manager_name")?,
        partner_name: r.get("partner_name")?,
    })
}

/// Reads one client (live or in the bin) with its tour links.
pub fn get(conn: &Connection, tenant: TenantId, id: ClientId) -> AppResult<Client> {
    let mut client = conn
        .prepare_cached(&format!("{SELECT} WHERE c.tenant_id = ?1 AND c.id = ?2"))
        .and_then(|mut s| {
            s.query_row(params![tenant.to_string(), id.to_string()], map_client)
                .optional()
        })
        .map_err(db_err("read client"))?
        .ok_or_else(|| AppError::not_found("client"))?;
    client.fields.tour_ids = tour_ids(conn, tenant, id)?;
    Ok(client)
}

fn tour_ids(conn: &Connection, tenant: TenantId, id: ClientId) -> AppResult<Vec<TourId>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT ct.tour_id FROM client_tours ct JOIN tours t
               ON t.tenant_id = ct.tenant_id AND t.id = ct.tour_id AND t.deleted_at IS NULL
             WHERE ct.tenant_id = ?1 AND ct.client_id = ?2 ORDER BY t.title",
        )
        .map_err(db_err("read client tours"))?;
    let rows = stmt
        .query_map(params![tenant.to_string(), id.to_string()], |r| {
            row::parsed(r, "tour_id", TourId::parse)
        })
        .map_err(db_err("read client tours"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("read client tours"))?;
    Ok(rows)
}

/// The live client with this E.164 phone, if any.
pub fn find_by_phone(
    conn: &Connection,
    tenant: TenantId,
    phone: &str,
) -> AppResult<Option<ClientId>> {
    conn.query_row(
        "SELECT id FROM clients WHERE tenant_id = ?1 AND phone = ?2 AND deleted_at IS NULL",
        params![tenant.to_string(), phone],
        |r| row::parsed(r, "id", ClientId::parse),
    )
    .optional()
    .map_err(db_err("find client by phone"))
}

/// One page of the clients table for a query, with the total count.
pub fn list(conn: &Connection, tenant: TenantId, q: &ClientQuery) -> AppResult<ClientPage> {
    let mut wh = vec!["c.tenant_id = ?".to_string()];
    let mut args: Vec<Value> = vec![Value::Text(tenant.to_string())];
    wh.push(
        if q.deleted {
            "c.deleted_at IS NOT NULL AND c.merged_into IS NULL"
        } else {
            "c.deleted_at IS NULL"
        }
        .into(),
    );
    if let Some(text) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let lower = text.to_lowercase();
        let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
        let phone_like = !digits.is_empty()
            && lower
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let needle = if phone_like { digits } else { lower };
        // `search` is stored lower-cased, so a plain substring test is exact and faster than LIKE.
        match fts_query(text).filter(|_| !phone_like) {
            Some(fts) => {
                // Or the client has a chat among whose newest matching messages one matches.
                wh.push(format!(
                    "(instr(c.search, ?) > 0 OR c.id IN (
                        SELECT ch.client_id FROM chats ch
                        WHERE ch.tenant_id = ? AND ch.client_id IS NOT NULL AND ch.id IN (
                            SELECT m.chat_id FROM messages_fts
                            JOIN messages m ON m.seq = messages_fts.rowid
                            WHERE messages_fts MATCH ? AND m.tenant_id = ? AND m.deleted_at IS NULL
                            ORDER BY messages_fts.rowid DESC LIMIT {CLIENT_SEARCH_MESSAGES})))"
                ));
                args.push(Value::Text(needle));
                args.push(Value::Text(tenant.to_string()));
                args.push(Value::Text(fts));
                args.push(Value::Text(tenant.to_string()));
            }
            None => {
                wh.push("instr(c.search, ?) > 0".into());
                args.push(Value::Text(needle));
            }
        }
    }
    if let Some(s) = q.status {
        wh.push("c.status = ?".into());
        args.push(Value::Text(s.code().into()));
    }
    if let Some(l) = q.language {
        wh.push("c.language = ?".into());
        args.push(Value::Text(l.code().into()));
    }
    if let Some(m) = q.manager_id {
        wh.push("c.manager_id = ?".into());
        args.push(Value::Text(m.to_string()));
    }
    let where_sql = wh.join(" AND ");
    let total: u32 = conn
        .prepare_cached(&format!(
            "SELECT count(*) AS n FROM clients c WHERE {where_sql}"
        ))
        .and_then(|mut s| s.query_row(params_from_iter(args.iter()), |r| r.get("n")))
        .map_err(db_err("count clients"))?;
    let dir = if q.desc { "DESC" } else { "ASC" };
    let order = match q.sort {
        ClientSort::Updated => format!("c.updated_at {dir}, c.id {dir}"),
        ClientSort::Created => format!("c.created_at {dir}, c.id {dir}"),
        ClientSort::Name => format!("c.name COLLATE NOCASE {dir}, c.id {dir}"),
        ClientSort::Status => format!(
            "CASE c.status WHEN 'new_lead' THEN 0 WHEN 'qualified' THEN 1 WHEN 'warmed' THEN 2
             WHEN 'proposal_sent' THEN 3 WHEN 'negotiation' THEN 4 WHEN 'sold' THEN 5 ELSE 6 END {dir},
             c.updated_at DESC"
        ),
    };
    let size = q.effective_page_size();
    args.push(Value::Integer(i64::from(size)));
    args.push(Value::Integer(i64::from(q.page) * i64::from(size)));
    let sql = format!(
        "SELECT c.id, c.name, c.phone, c.email, c.status, c.language, c.manager_id,
            u.name AS manager_name, c.updated_at
         FROM clients c LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.manager_id
         WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(db_err("list clients"))?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            Ok(ClientRow {
                id: row::parsed(r, "id", ClientId::parse)?,
                name: r.get("name")?,
                phone: r.get("phone")?,
                email: r.get("email")?,
                status: row::parsed(r, "status", FunnelStatus::from_code)?,
                language: row::parsed(r, "language", Language::from_code)?,
                manager_id: row::parsed_opt(r, "manager_id", UserId::parse)?,
                manager_name: r.get("manager_name")?,
                updated_at: row::time(r, "updated_at")?,
            })
        })
        .map_err(db_err("list clients"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list clients"))?;
    Ok(ClientPage { rows, total })
}

/// Sets the status column (callers write the history row in the same transaction).
pub fn set_status(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    status: FunnelStatus,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE clients SET status = ?3, updated_at = ?4, version = version + 1
             WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
            params![
                tenant.to_string(),
                id.to_string(),
                status.code(),
                to_ms(now)
            ],
        )
        .map_err(db_err("update status"))?;
    if n == 0 {
        return Err(AppError::not_found("client"));
    }
    Ok(())
}

/// Moves a client to the bin (or marks it merged into another).
pub fn soft_delete(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    merged_into: Option<ClientId>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE clients SET deleted_at = ?3, merged_into = ?4, updated_at = ?3, version = version + 1
             WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
            params![tenant.to_string(), id.to_string(), to_ms(now), merged_into.map(|m| m.to_string())],
        )
        .map_err(db_err("delete client"))?;
    if n == 0 {
        return Err(AppError::not_found("client"));
    }
    Ok(())
}

/// Brings a client back from the bin; its phone must still be free.
pub fn restore(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let r = conn.execute(
        "UPDATE clients SET deleted_at = NULL, updated_at = ?3, version = version + 1
         WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NOT NULL AND merged_into IS NULL",
        params![tenant.to_string(), id.to_string(), to_ms(now)],
    );
    match r {
        Ok(0) => Err(AppError::not_found("client")),
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => {
            let phone: Option<String> = conn
                .query_row(
                    "SELECT phone FROM clients WHERE tenant_id = ?1 AND id = ?2",
                    params![tenant.to_string(), id.to_string()],
                    |r| r.get("phone"),
                )
                .optional()
                .map_err(db_err("read client"))?
                .flatten();
            Err(duplicate_phone(conn, tenant, phone.as_deref()))
        }
        Err(e) => Err(crate::db_err("restore client")(e)),
    }
}

/// Moves the tour links of `from` to `into` (keeping one of each).
pub fn move_tours(
    conn: &Connection,
    tenant: TenantId,
    from: ClientId,
    into: ClientId,
) -> AppResult<()> {
    conn.execute(
        "INSERT OR IGNORE INTO client_tours (tenant_id, client_id, tour_id)
         SELECT tenant_id, ?3, tour_id FROM client_tours WHERE tenant_id = ?1 AND client_id = ?2",
        params![tenant.to_string(), from.to_string(), into.to_string()],
    )
    .map_err(db_err("move tour links"))?;
    conn.execute(
        "DELETE FROM client_tours WHERE tenant_id = ?1 AND client_id = ?2",
        params![tenant.to_string(), from.to_string()],
    )
    .map_err(db_err("move tour links"))?;
    Ok(())
}

/// Clears the phone of a client (so a merged duplicate frees its number).
pub fn clear_phone(conn: &Connection, tenant: TenantId, id: ClientId) -> AppResult<()> {
    conn.execute(
        "UPDATE clients SET phone = NULL WHERE tenant_id = ?1 AND id = ?2",
        params![tenant.to_string(), id.to_string()],
    )
    .map_err(db_err("clear phone"))?;
    Ok(())
}

/// The board: per status the count and the most recently changed cards (at most `per_column`).
pub fn board(conn: &Connection, tenant: TenantId, per_column: u32) -> AppResult<Vec<BoardColumn>> {
    let mut out = Vec::new();
    let mut count = conn
        .prepare_cached(
            "SELECT count(*) AS n FROM clients
             WHERE tenant_id = ?1 AND status = ?2 AND deleted_at IS NULL",
        )
        .map_err(db_err("board"))?;
    let mut cards = conn
        .prepare_cached(
            "SELECT id, name, language, updated_at FROM clients
             WHERE tenant_id = ?1 AND status = ?2 AND deleted_at IS NULL
             ORDER BY updated_at DESC LIMIT ?3",
        )
        .map_err(db_err("board"))?;
    for status in FunnelStatus::ALL {
        let total: u32 = count
            .query_row(params![tenant.to_string(), status.code()], |r| r.get("n"))
            .map_err(db_err("board"))?;
        let rows = cards
            .query_map(
                params![tenant.to_string(), status.code(), per_column],
                |r| {
                    Ok(BoardCard {
                        id: row::parsed(r, "id", ClientId::parse)?,
                        name: r.get("name")?,
                        language: row::parsed(r, "language", Language::from_code)?,
                        status,
                        updated_at: row::time(r, "updated_at")?,
                    })
                },
            )
            .map_err(db_err("board"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db_err("board"))?;
        out.push(BoardColumn {
            status,
            total,
            cards: rows,
        });
    }
    Ok(out)
}

/// Whether a row with this id exists in the organisation's table `table` (live rows only).
pub fn exists_live(
    conn: &Connection,
    table: Linkable,
    tenant: TenantId,
    id: &str,
) -> AppResult<bool> {
    let sql = match table {
        Linkable::User => "SELECT 1 FROM users WHERE tenant_id = ?1 AND id = ?2 AND active = 1",
        Linkable::Partner => {
            "SELECT 1 FROM partners WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL"
        }
        Linkable::Tour => {
            "SELECT 1 FROM tours WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL"
        }
        Linkable::Client => {
            "SELECT 1 FROM clients WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL"
        }
    };
    conn.query_row(sql, params![tenant.to_string(), id], |_| Ok(()))
        .optional()
        .map(|o| o.is_some())
        .map_err(db_err("check link"))
}

/// Tables a client can link to.
#[derive(Debug, Clone, Copy)]
pub enum Linkable {
    /// An active user (assigned manager).
    User,
    /// A live partner.
    Partner,
    /// A live tour.
    Tour,
    /// A live client.
    Client,
}

/// Sets the language of a live client whose language is still `unknown` (learned from their
/// messages); a language someone chose is left alone. Returns whether it changed.
pub fn set_language_if_unknown(
    conn: &Connection,
    tenant: TenantId,
    id: ClientId,
    language: tourdesk_core::Language,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let n = conn
        .execute(
            "UPDATE clients SET language = ?3, updated_at = ?4, version = version + 1
             WHERE tenant_id = ?1 AND id = ?2 AND language = 'unknown' AND deleted_at IS NULL",
            params![
                tenant.to_string(),
                id.to_string(),
                language.code(),
                to_ms(now)
            ],
        )
        .map_err(db_err("set client language"))?;
    Ok(n > 0)
}

//! The `tours` table.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::tour::{Difficulty, Tour, TourInput};
use tourdesk_core::{AppError, AppResult, TenantId, TourId};

use crate::{db_err, from_ms, to_ms};

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn difficulty_code(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Easy => "easy",
        Difficulty::Moderate => "moderate",
        Difficulty::Hard => "hard",
        Difficulty::Expert => "expert",
    }
}

fn difficulty_parse(s: &str) -> Difficulty {
    match s {
        "moderate" => Difficulty::Moderate,
        "hard" => Difficulty::Hard,
        "expert" => Difficulty::Expert,
        _ => Difficulty::Easy,
    }
}

/// Inserts a tour.
pub fn insert(
    conn: &Connection,
    tenant: TenantId,
    id: TourId,
    t: &TourInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO tours (id, tenant_id, title, description, price_minor, currency, duration_days,
            season_months, departures, difficulty, group_min, group_max, tags, active, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        params![
            id.to_string(),
            tenant.to_string(),
            t.title,
            t.description,
            t.price_minor,
            t.currency,
            t.duration_days,
            json(&t.season_months),
            json(&t.departures),
            difficulty_code(t.difficulty),
            t.group_min,
            t.group_max,
            json(&t.tags),
            t.active,
            to_ms(now)
        ],
    )
    .map_err(db_err("insert tour"))?;
    Ok(())
}

/// Replaces a live tour's fields.
pub fn update(
    conn: &Connection,
    tenant: TenantId,
    id: TourId,
    t: &TourInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE tours SET title = ?3, description = ?4, price_minor = ?5, currency = ?6,
                duration_days = ?7, season_months = ?8, departures = ?9, difficulty = ?10,
                group_min = ?11, group_max = ?12, tags = ?13, active = ?14, updated_at = ?15
             WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
            params![
                tenant.to_string(),
                id.to_string(),
                t.title,
                t.description,
                t.price_minor,
                t.currency,
                t.duration_days,
                json(&t.season_months),
                json(&t.departures),
                difficulty_code(t.difficulty),
                t.group_min,
                t.group_max,
                json(&t.tags),
                t.active,
                to_ms(now)
            ],
        )
        .map_err(db_err("update tour"))?;
    if n == 0 {
        return Err(AppError::not_found("tour"));
    }
    Ok(())
}

const COLS: &str = "id, title, description, price_minor, currency, duration_days, season_months,
    departures, difficulty, group_min, group_max, tags, active, created_at, updated_at";

fn map_tour(r: &Row<'_>) -> rusqlite::Result<Tour> {
    let id: String = r.get(0)?;
    let months: String = r.get(6)?;
    let departures: String = r.get(7)?;
    let difficulty: String = r.get(8)?;
    let tags: String = r.get(11)?;
    Ok(Tour {
        id: TourId::parse(&id).unwrap_or(TourId(uuid::Uuid::nil())),
        fields: TourInput {
            title: r.get(1)?,
            description: r.get(2)?,
            price_minor: r.get(3)?,
            currency: r.get(4)?,
            duration_days: r.get(5)?,
            season_months: serde_json::from_str(&months).unwrap_or_default(),
            departures: serde_json::from_str::<Vec<NaiveDate>>(&departures).unwrap_or_default(),
            difficulty: difficulty_parse(&difficulty),
            group_min: r.get(9)?,
            group_max: r.get(10)?,
            tags: serde_json::from_str(&tags).unwrap_or_default(),
            active: r.get(12)?,
        },
        created_at: from_ms(r.get(13)?),
        updated_at: from_ms(r.get(14)?),
    })
}

/// Reads a live tour.
pub fn get(conn: &Connection, tenant: TenantId, id: TourId) -> AppResult<Tour> {
    conn.query_row(
        &format!(
            "SELECT {COLS} FROM tours WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL"
        ),
        params![tenant.to_string(), id.to_string()],
        map_tour,
    )
    .optional()
    .map_err(db_err("read tour"))?
    .ok_or_else(|| AppError::not_found("tour"))
}

/// Every live tour, by title.
pub fn list(conn: &Connection, tenant: TenantId) -> AppResult<Vec<Tour>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM tours WHERE tenant_id = ?1 AND deleted_at IS NULL ORDER BY active DESC, title COLLATE NOCASE"
        ))
        .map_err(db_err("list tours"))?;
    let rows = stmt
        .query_map([tenant.to_string()], map_tour)
        .map_err(db_err("list tours"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err("list tours"))?;
    Ok(rows)
}

/// Soft-deletes a tour (client links to it stop showing).
pub fn delete(
    conn: &Connection,
    tenant: TenantId,
    id: TourId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let n = conn
        .execute(
            "UPDATE tours SET deleted_at = ?3, updated_at = ?3 WHERE tenant_id = ?1 AND id = ?2 AND deleted_at IS NULL",
            params![tenant.to_string(), id.to_string(), to_ms(now)],
        )
        .map_err(db_err("delete tour"))?;
    if n == 0 {
        return Err(AppError::not_found("tour"));
    }
    Ok(())
}

/// The titles of every live tour (protected verbatim in translations).
pub fn titles(conn: &Connection, tenant: TenantId) -> AppResult<Vec<String>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT title FROM tours WHERE tenant_id = ?1 AND deleted_at IS NULL ORDER BY title",
        )
        .map_err(db_err("list tour titles"))?;
    let rows = stmt
        .query_map([tenant.to_string()], |r| r.get(0))
        .map_err(db_err("list tour titles"))?
        .collect::<Result<Vec<String>, _>>()
        .map_err(db_err("list tour titles"))?;
    Ok(rows)
}

//! The `tours` table.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use tourdesk_core::tour::{Difficulty, Tour, TourInput};
use tourdesk_core::{AppError, AppResult, TenantId, TourId};

use crate::row;
use crate::{db_err, to_ms};

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

fn difficulty_parse(s: &str) -> Option<Difficulty> {
    match s {
        "easy" => Some(Difficulty::Easy),
        "moderate" => Some(Difficulty::Moderate),
        "hard" => Some(Difficulty::Hard),
        "expert" => Some(Difficulty::Expert),
        _ => None,
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
    Ok(Tour {
        id: row::parsed(r, "id", TourId::parse)?,
        fields: TourInput {
            title: r.get("title")?,
            description: r.get("description")?,
            price_minor: r.get("price_minor")?,
            currency: r.get("currency")?,
            duration_days: r.get("duration_days")?,
            season_months: row::json(r, "season_months")?,
            departures: row::json::<Vec<NaiveDate>>(r, "departures")?,
            difficulty: row::parsed(r, "difficulty", difficulty_parse)?,
            group_min: r.get("group_min")?,
            group_max: r.get("group_max")?,
            tags: row::json(r, "tags")?,
            active: r.get("active")?,
        },
        created_at: row::time(r, "created_at")?,
        updated_at: row::time(r, "updated_at")?,
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
        .query_map([tenant.to_string()], |r| r.get("title"))
        .map_err(db_err("list tour titles"))?
        .collect::<Result<Vec<String>, _>>()
        .map_err(db_err("list tour titles"))?;
    Ok(rows)
}

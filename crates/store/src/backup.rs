//! Online backups with SQLite's backup API: copy the live database to a file, and back.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
pub use rusqlite::Connection;
use rusqlite::MAIN_DB;
use tourdesk_core::{AppError, AppResult};

/// Copies the live database into `dest` (a new file) while the app keeps running; a failed copy
/// leaves no file.
pub fn backup_to(conn: &Connection, dest: &Path) -> AppResult<()> {
    let tmp = dest.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    let copied = (|| {
        let mut target = Connection::open(&tmp).map_err(crate::db_err("open backup file"))?;
        let backup = Backup::new(conn, &mut target).map_err(crate::db_err("start backup"))?;
        backup
            .run_to_completion(256, Duration::from_millis(5), None)
            .map_err(crate::db_err("copy backup"))
    })()
    .and_then(|()| std::fs::rename(&tmp, dest).map_err(crate::fault::io_err("finish backup")));
    if copied.is_err() {
        // Nothing half-written stays behind.
        let _ = std::fs::remove_file(&tmp);
    }
    copied
}

/// Replaces the live database's content with the backup at `src`.
pub fn restore_from(conn: &mut Connection, src: &Path) -> AppResult<()> {
    let source = Connection::open_with_flags(src, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(crate::db_err("open backup"))?;
    crate::db::quick_check(&source)
        .map_err(|e| AppError::new(e.code, format!("backup: {}", e.message)))?;
    conn.restore(MAIN_DB, src, None::<fn(rusqlite::backup::Progress)>)
        .map_err(crate::db_err("restore backup"))
}

/// What a backup file holds, for the recovery screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contents {
    /// Its schema (migration) version.
    pub schema: i32,
    /// Clients not deleted, over all organisations.
    pub clients: u64,
    /// Messages (0 for a schema from before messages existed).
    pub messages: u64,
}

fn count(conn: &Connection, sql: &str) -> AppResult<u64> {
    conn.query_row(sql, [], |r| r.get::<_, i64>("n"))
        .map(|n| n.max(0) as u64)
        .map_err(crate::db_err("count backup rows"))
}

fn has_table(conn: &Connection, name: &str) -> AppResult<bool> {
    conn.query_row(
        "SELECT count(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get("present"),
    )
    .map_err(crate::db_err("read backup schema"))
}

/// Opens the backup at `src` read-only, checks it (`store_damaged` when it fails) and counts
/// what it holds.
pub fn contents(src: &Path) -> AppResult<Contents> {
    let conn = Connection::open_with_flags(src, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(crate::db_err("open backup"))?;
    crate::db::quick_check(&conn)?;
    let schema = if has_table(&conn, "refinery_schema_history")? {
        conn.query_row(
            "SELECT coalesce(max(version), 0) AS v FROM refinery_schema_history",
            [],
            |r| r.get("v"),
        )
        .map_err(crate::db_err("read backup schema"))?
    } else {
        0
    };
    let clients = count(
        &conn,
        "SELECT count(*) AS n FROM clients WHERE deleted_at IS NULL",
    )?;
    let messages = if has_table(&conn, "messages")? {
        count(&conn, "SELECT count(*) AS n FROM messages")?
    } else {
        0
    };
    Ok(Contents {
        schema,
        clients,
        messages,
    })
}

/// Opens the database file at `path` read-only and runs `PRAGMA quick_check` on it.
pub fn check_file(path: &Path) -> AppResult<()> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(crate::db_err("open data file"))?;
    crate::db::quick_check(&conn)
}

/// Writes a checked copy of the backup `src` as a new database file at `dest` (which must not
/// be open): the copy goes to a side file first and is renamed into place.
pub fn restore_into_new_file(src: &Path, dest: &Path) -> AppResult<()> {
    let source = Connection::open_with_flags(src, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(crate::db_err("open backup"))?;
    crate::db::quick_check(&source)?;
    backup_to(&source, dest)
}

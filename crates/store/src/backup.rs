//! Online backups with SQLite's backup API: copy the live database to a file, and back.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
pub use rusqlite::Connection;
use rusqlite::MAIN_DB;
use tourdesk_core::{AppError, AppResult};

/// Copies the live database into `dest` (a new file) while the app keeps running.
pub fn backup_to(conn: &Connection, dest: &Path) -> AppResult<()> {
    let tmp = dest.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    {
        let mut target = Connection::open(&tmp).map_err(crate::db_err("open backup file"))?;
        let backup = Backup::new(conn, &mut target).map_err(crate::db_err("start backup"))?;
        backup
            .run_to_completion(256, Duration::from_millis(5), None)
            .map_err(crate::db_err("copy backup"))?;
    }
    std::fs::rename(&tmp, dest)
        .map_err(|e| AppError::storage(format!("finish backup {}: {e}", dest.display())))
}

/// Replaces the live database's content with the backup at `src`.
pub fn restore_from(conn: &mut Connection, src: &Path) -> AppResult<()> {
    let source = Connection::open_with_flags(src, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(crate::db_err("open backup"))?;
    let check: String = source
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(crate::db_err("check backup"))?;
    if check != "ok" {
        return Err(AppError::storage(format!("the backup is damaged: {check}")));
    }
    conn.restore(MAIN_DB, src, None::<fn(rusqlite::backup::Progress)>)
        .map_err(crate::db_err("restore backup"))
}

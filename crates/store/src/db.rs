//! Opening the database: pragmas, migrations (with a backup first when any are pending), and
//! the writer/reader connections.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction};
use tourdesk_core::{AppError, AppResult};

mod embedded {
    refinery::embed_migrations!("../../migrations/app");
}

/// The newest migration version this build knows.
pub const MIGRATION_VERSION: i32 = 9;

const READERS: usize = 3;

/// The open store: one writer connection and a few readers (WAL lets them run side by side).
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

fn configure(conn: &Connection) -> AppResult<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA temp_store = MEMORY;",
    )
    .map_err(crate::db_err("configure connection"))
}

fn lock<'a>(m: &'a Mutex<Connection>) -> MutexGuard<'a, Connection> {
    // A panic while holding the lock leaves a usable connection; carry on.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it. When migrations are
    /// pending on an existing database, `before_migrate` is called first (to take a backup).
    pub fn open(
        path: &Path,
        before_migrate: impl FnOnce(&Connection) -> AppResult<()>,
    ) -> AppResult<Store> {
        Self::open_at_version(path, MIGRATION_VERSION, before_migrate)
    }

    /// Like [`Store::open`] but migrates only up to `version` (tests of upgrades use it).
    pub fn open_at_version(
        path: &Path,
        version: i32,
        before_migrate: impl FnOnce(&Connection) -> AppResult<()>,
    ) -> AppResult<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| AppError::storage(format!("create {}: {e}", dir.display())))?;
        }
        let mut writer = Connection::open(path).map_err(crate::db_err("open database"))?;
        configure(&writer)?;
        let runner = embedded::migrations::runner().set_target(refinery::Target::Version(version));
        let has_history: bool = writer
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history'",
                [],
                |r| r.get(0),
            )
            .map_err(crate::db_err("read migration state"))?;
        let applied = if has_history {
            runner
                .get_last_applied_migration(&mut writer)
                .map_err(|e| AppError::storage(format!("read migration state: {e}")))?
        } else {
            None
        };
        let current = applied.as_ref().map(|m| m.version()).unwrap_or(0);
        if current > MIGRATION_VERSION {
            return Err(AppError::storage(format!(
                "the data file was written by a newer Tourdesk (schema {current}); update the app"
            )));
        }
        if applied.is_some() && current < version {
            before_migrate(&writer)?;
        }
        runner
            .run(&mut writer)
            .map_err(|e| AppError::storage(format!("migrate database: {e}")))?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let r = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(crate::db_err("open reader"))?;
            configure(&r)?;
            readers.push(Mutex::new(r));
        }
        Ok(Store {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction; commits on `Ok`, rolls back on `Err`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> AppResult<T>) -> AppResult<T> {
        let mut conn = lock(&self.writer);
        let tx = conn
            .transaction()
            .map_err(crate::db_err("begin transaction"))?;
        let out = f(&tx)?;
        tx.commit().map_err(crate::db_err("commit"))?;
        Ok(out)
    }

    /// Runs `f` on a reader connection (a consistent snapshot inside one statement).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> AppResult<T>) -> AppResult<T> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Ok(conn) = self.readers[(start + i) % self.readers.len()].try_lock() {
                return f(&conn);
            }
        }
        let conn = lock(&self.readers[start % self.readers.len()]);
        f(&conn)
    }

    /// Runs `f` with the writer connection outside a transaction (backup and restore).
    pub fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> AppResult<T>) -> AppResult<T> {
        let mut conn = lock(&self.writer);
        f(&mut conn)
    }

    /// Re-runs migrations (after restoring an older backup).
    pub fn migrate(&self) -> AppResult<()> {
        let mut conn = lock(&self.writer);
        embedded::migrations::runner()
            .run(&mut *conn)
            .map_err(|e| AppError::storage(format!("migrate database: {e}")))?;
        Ok(())
    }
}

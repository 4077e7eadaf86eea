//! Opening the database: pragmas, migrations (with a backup first when any are pending), and
//! the writer/reader connections.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction};
use tourdesk_core::{AppError, AppResult, ErrorCode};

mod embedded {
    refinery::embed_migrations!("../../migrations/app");
}

/// The newest migration version this build knows.
pub const MIGRATION_VERSION: i32 = 10;

const READERS: usize = 3;

/// The open store: one writer connection and a few readers (WAL lets them run side by side).
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// See [`Store::write_trouble`].
    write_trouble: Mutex<Option<ErrorCode>>,
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

/// How [`Store::open_with`] opens the file.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// Migrate up to this version.
    pub version: i32,
    /// Run `PRAGMA quick_check` before trusting the file (after an unclean shutdown).
    pub integrity_check: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            version: MIGRATION_VERSION,
            integrity_check: false,
        }
    }
}

/// `PRAGMA quick_check` and `PRAGMA foreign_key_check` on `conn`: `store_damaged` with the first
/// complaint unless both are clean. The second catches pages from another database (a foreign
/// WAL) that are well-formed but point at rows this file does not have.
pub fn quick_check(conn: &Connection) -> AppResult<()> {
    let damaged = |what: String| {
        AppError::new(
            ErrorCode::StoreDamaged,
            format!("the data file is damaged: {what}"),
        )
    };
    let first: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(crate::db_err("check the data file"))?;
    if first != "ok" {
        return Err(damaged(first));
    }
    let mut stmt = conn
        .prepare("PRAGMA foreign_key_check")
        .map_err(crate::db_err("check the data file's links"))?;
    let orphan: Option<String> = stmt
        .query_map([], |r| r.get::<_, String>("table"))
        .map_err(crate::db_err("check the data file's links"))?
        .next()
        .transpose()
        .map_err(crate::db_err("check the data file's links"))?;
    match orphan {
        Some(table) => Err(damaged(format!(
            "rows of {table} point at rows that are not there"
        ))),
        None => Ok(()),
    }
}

fn migration_err(context: &str) -> impl FnOnce(refinery::Error) -> AppError + '_ {
    move |e| AppError::new(crate::fault::code_in_chain(&e), format!("{context}: {e}"))
}

/// The highest migration applied to the file (0 for a new file), read with plain SQL so a
/// damaged file reports a SQLite code.
fn applied_version(conn: &Connection) -> AppResult<i32> {
    let has_history: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'refinery_schema_history'",
            [],
            |r| r.get(0),
        )
        .map_err(crate::db_err("read migration state"))?;
    if !has_history {
        return Ok(0);
    }
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )
    .map_err(crate::db_err("read migration state"))
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it. When migrations are
    /// pending on an existing database, `before_migrate` is called first (to take a backup).
    pub fn open(
        path: &Path,
        before_migrate: impl FnOnce(&Connection) -> AppResult<()>,
    ) -> AppResult<Store> {
        Self::open_with(path, OpenOptions::default(), before_migrate)
    }

    /// Like [`Store::open`] but migrates only up to `version` (tests of upgrades use it).
    pub fn open_at_version(
        path: &Path,
        version: i32,
        before_migrate: impl FnOnce(&Connection) -> AppResult<()>,
    ) -> AppResult<Store> {
        let opts = OpenOptions {
            version,
            ..OpenOptions::default()
        };
        Self::open_with(path, opts, before_migrate)
    }

    /// Opens the database as `opts` say. Errors carry what went wrong for the user:
    /// `store_damaged`, `store_too_new`, `store_locked`, `disk_full`, `read_only_storage`, ….
    pub fn open_with(
        path: &Path,
        opts: OpenOptions,
        before_migrate: impl FnOnce(&Connection) -> AppResult<()>,
    ) -> AppResult<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(crate::fault::io_err(&format!("create {}", dir.display())))?;
        }
        let mut writer = Connection::open(path).map_err(crate::db_err("open database"))?;
        configure(&writer)?;
        if opts.integrity_check {
            quick_check(&writer)?;
        }
        let current = applied_version(&writer)?;
        if current > MIGRATION_VERSION {
            return Err(AppError::new(
                ErrorCode::StoreTooNew,
                format!("the data file was written by a newer Tourdesk (schema {current}, this one knows {MIGRATION_VERSION}); update the app"),
            ));
        }
        if current > 0 && current < opts.version {
            before_migrate(&writer)?;
        }
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(opts.version))
            .run(&mut writer)
            .map_err(migration_err("migrate database"))?;
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
            write_trouble: Mutex::new(None),
        })
    }

    /// The disk trouble the last write met (`disk_full`, `disk_error`, …), cleared by the next
    /// write that succeeds; `None` while writes work.
    pub fn write_trouble(&self) -> Option<ErrorCode> {
        *self.write_trouble.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn note_write(&self, result: Option<ErrorCode>) {
        let mut t = self.write_trouble.lock().unwrap_or_else(|p| p.into_inner());
        if *t != result {
            match result {
                Some(code) => tracing::error!(code = code.as_str(), "writes to the data file fail"),
                None => tracing::info!("writes to the data file work again"),
            }
            *t = result;
        }
    }

    /// Records the outcome of a write for [`Store::write_trouble`].
    fn track<T>(&self, out: AppResult<T>) -> AppResult<T> {
        match &out {
            Ok(_) => self.note_write(None),
            Err(e) if crate::fault::is_write_trouble(e.code) => self.note_write(Some(e.code)),
            Err(_) => {}
        }
        out
    }

    /// Writes the WAL back into the file and empties it (a clean close: the next open finds no
    /// WAL content and skips the integrity check).
    pub fn checkpoint(&self) -> AppResult<()> {
        lock(&self.writer)
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(crate::db_err("checkpoint"))
    }

    /// `PRAGMA quick_check` on a reader (the background check once the window shows).
    pub fn integrity_check(&self) -> AppResult<()> {
        let out = self.read(quick_check);
        if let Err(e) = &out {
            if e.code == ErrorCode::StoreDamaged {
                self.note_write(Some(ErrorCode::StoreDamaged));
            }
        }
        out
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction; commits on `Ok`, rolls back on `Err`.
    /// A failed disk write is recorded for [`Store::write_trouble`]; the transaction is rolled
    /// back (rusqlite rolls back a transaction that was not committed).
    pub fn write<T>(&self, f: impl FnOnce(&Transaction) -> AppResult<T>) -> AppResult<T> {
        let mut conn = lock(&self.writer);
        let out = (|| {
            let tx = conn
                .transaction()
                .map_err(crate::db_err("begin transaction"))?;
            let out = f(&tx)?;
            tx.commit().map_err(crate::db_err("commit"))?;
            Ok(out)
        })();
        drop(conn);
        self.track(out)
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
            .map_err(migration_err("migrate database"))?;
        Ok(())
    }
}

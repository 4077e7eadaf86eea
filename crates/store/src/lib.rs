//! The Tourdesk SQLite store: one file, WAL, refinery migrations, one writer and a small read
//! pool, and one module per table. Every function on tenant data takes a [`TenantId`].

pub mod ai_settings;
pub mod backup;
pub mod chats;
pub mod clients;
mod db;
pub mod fault;
pub mod history;
pub mod imports;
pub mod llm_usage;
pub mod messages;
pub mod outbox;
pub mod partners;
pub mod reactions;
mod row;
pub mod tenants;
mod time;
pub mod tours;
pub mod translations;
pub mod users;
pub mod wa_lids;
pub mod wa_settings;

pub use db::{quick_check, OpenOptions, Store, MIGRATION_VERSION};
pub use rusqlite::Connection;
pub use time::{from_ms, to_ms};

use tourdesk_core::AppError;

/// Maps a SQLite error to a storage error with context.
pub(crate) fn db_err(context: &str) -> impl FnOnce(rusqlite::Error) -> AppError + '_ {
    move |e| AppError::new(fault::sqlite_code(&e), format!("{context}: {e}"))
}

/// True when the error is a UNIQUE constraint violation.
pub fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

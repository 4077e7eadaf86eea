//! Backups of the whole data file: daily and before every migration automatically, by hand on
//! request; the newest N are kept; an admin restores one by name.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use tourdesk_core::{AppError, AppResult, ErrorCode};
use tourdesk_store::backup::{self, Connection};
use tourdesk_store::tenants;
use ts_rs::TS;

use crate::access::Action;
use crate::{App, Session};

/// The backups folder inside the data folder.
pub const DIR: &str = "backups";
const PREFIX: &str = "tourdesk-";
const SUFFIX: &str = ".sqlite3";
const STAMP: &str = "%Y%m%dT%H%M%S%.3fZ";

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The daily automatic backup.
    Daily,
    /// Taken before the database schema was upgraded.
    PreMigration,
    /// Taken by an admin.
    Manual,
    /// Taken just before restoring another backup.
    PreRestore,
}

impl Reason {
    fn code(self) -> &'static str {
        match self {
            Reason::Daily => "daily",
            Reason::PreMigration => "pre-migration",
            Reason::Manual => "manual",
            Reason::PreRestore => "pre-restore",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        [
            Reason::Daily,
            Reason::PreMigration,
            Reason::Manual,
            Reason::PreRestore,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
}

/// One backup file, as settings lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupInfo {
    /// File name (the handle used to restore it).
    pub name: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Why.
    pub reason: Reason,
    /// Size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Writes a backup of `conn`'s database into `dir`.
pub(crate) fn write_backup(
    conn: &Connection,
    dir: &Path,
    now: DateTime<Utc>,
    reason: Reason,
) -> AppResult<PathBuf> {
    std::fs::create_dir_all(dir).map_err(tourdesk_store::fault::io_err("create backups folder"))?;
    let name = format!("{PREFIX}{}-{}{SUFFIX}", now.format(STAMP), reason.code());
    let path = dir.join(name);
    backup::backup_to(conn, &path)?;
    tracing::info!(file = %path.display(), "backup written");
    Ok(path)
}

fn parse_name(name: &str) -> Option<(DateTime<Utc>, Reason)> {
    let core = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, reason) = core.split_once('-')?;
    let t = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    Some((t, Reason::parse(reason)?))
}

/// Every backup in `dir`, newest first.
pub(crate) fn list_dir(dir: &Path) -> AppResult<Vec<BackupInfo>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if let Some((taken_at, reason)) = parse_name(&name) {
            let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(BackupInfo {
                name,
                taken_at,
                reason,
                bytes,
            });
        }
    }
    out.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    Ok(out)
}

impl App {
    fn backups_dir(&self) -> PathBuf {
        self.data_dir.join(DIR)
    }

    fn take_backup(&self, reason: Reason) -> AppResult<BackupInfo> {
        let now = self.now();
        let dir = self.backups_dir();
        let path = self
            .store
            .with_writer(|c| write_backup(c, &dir, now, reason))?;
        self.prune_backups()?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        list_dir(&dir)?
            .into_iter()
            .find(|b| b.name == name)
            .ok_or_else(|| AppError::storage("the backup vanished right after it was written"))
    }

    fn prune_backups(&self) -> AppResult<()> {
        let keep = self.store.read(tenants::max_backups_keep)? as usize;
        for old in list_dir(&self.backups_dir())?.into_iter().skip(keep.max(1)) {
            let _ = std::fs::remove_file(self.backups_dir().join(&old.name));
        }
        Ok(())
    }

    /// Takes the daily backup when the newest backup is a day old or there is none, and copies
    /// it to the second backup folder when one is chosen. The shell calls this at start-up and
    /// every hour.
    pub fn backup_if_due(&self) -> AppResult<Option<BackupInfo>> {
        if self.store.read(tenants::count)? == 0 {
            return Ok(None);
        }
        let newest = list_dir(&self.backups_dir())?.into_iter().next();
        let due = newest.is_none_or(|b| self.now() - b.taken_at >= chrono::Duration::hours(24));
        if due {
            let b = self.take_backup(Reason::Daily)?;
            let keep = self.store.read(tenants::max_backups_keep)? as usize;
            self.copy_daily_backup(&b, keep);
            return Ok(Some(b));
        }
        Ok(None)
    }

    /// Lists backups, newest first (admins only).
    pub fn backup_list(&self, s: &Session) -> AppResult<Vec<BackupInfo>> {
        self.actor_for(s, Action::ManageBackups)?;
        list_dir(&self.backups_dir())
    }

    /// Takes a backup now (admins only).
    pub fn backup_create(&self, s: &Session) -> AppResult<BackupInfo> {
        let _span = tracing::info_span!("backup_create").entered();
        self.actor_for(s, Action::ManageBackups)?;
        self.take_backup(Reason::Manual)
    }

    /// Restores the backup with this name (admins only). The current data is backed up first.
    pub fn backup_restore(&self, s: &Session, name: &str) -> AppResult<()> {
        let _span = tracing::info_span!("backup_restore").entered();
        self.actor_for(s, Action::ManageBackups)?;
        let known = list_dir(&self.backups_dir())?
            .into_iter()
            .any(|b| b.name == name);
        if !known || name.contains('/') || name.contains('\\') {
            return Err(AppError::new(ErrorCode::NotFound, "backup not found"));
        }
        let src = self.backups_dir().join(name);
        self.take_backup(Reason::PreRestore)?;
        self.store.with_writer(|c| backup::restore_from(c, &src))?;
        self.store.migrate()?;
        tracing::info!(backup = name, "backup restored");
        Ok(())
    }
}

//! Start-up that never fails silently: what stopped the data folder from opening, the backups
//! that could replace it, and the restore that sets the unusable file aside (never deleting it).
//! The integrity check runs only after an unclean shutdown (the running marker was left behind)
//! or an open error.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tourdesk_core::{AppError, AppResult, ErrorCode};
use tourdesk_store::backup;
use tourdesk_store::fault::io_err;
use ts_rs::TS;

use crate::backups::{self, Reason};
use crate::{App, Clock, DB_FILE};

/// Present while an app has the data folder open; left behind by a crash or power cut.
pub const RUNNING_MARKER: &str = "tourdesk.running";
/// Where unusable data files are moved, one folder per time stamp.
pub const SET_ASIDE_DIR: &str = "set-aside";

/// What the recovery screen may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryAction {
    /// Replace the data file with one of the listed backups.
    Restore,
    /// Open the same folder again (after freeing space, closing the other app, …).
    Retry,
    /// Open another data folder.
    OtherFolder,
    /// Show the data folder in the file manager.
    ShowFolder,
    /// Quit Tourdesk.
    Quit,
}

/// One backup as the recovery screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    /// File name (the handle to restore it).
    pub name: String,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
    /// Why it was taken.
    pub reason: Reason,
    /// Size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Clients in it (none when it cannot be read).
    #[ts(type = "number | null")]
    pub clients: Option<u64>,
    /// Messages in it (none when it cannot be read).
    #[ts(type = "number | null")]
    pub messages: Option<u64>,
    /// Whether this app can restore it (readable, not from a newer version).
    pub usable: bool,
}

/// Why the data folder did not open and what can be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecoveryState {
    /// What went wrong (`store_damaged`, `store_locked`, `store_too_new`, `disk_full`, …).
    pub code: ErrorCode,
    /// English detail for the log and the "details" line.
    pub detail: String,
    /// The data folder.
    pub data_dir: String,
    /// Backups in the folder, newest first.
    pub backups: Vec<BackupSummary>,
    /// The choices that fit this case.
    pub actions: Vec<RecoveryAction>,
}

/// Refuses a data folder whose parent is missing too (an unmounted disk), instead of quietly
/// creating an empty one elsewhere.
pub(crate) fn check_folder(data_dir: &Path) -> AppResult<()> {
    if data_dir.is_dir() {
        return Ok(());
    }
    let parent_there = data_dir
        .parent()
        .is_none_or(|p| p.as_os_str().is_empty() || p.is_dir());
    if !parent_there {
        return Err(AppError::new(
            ErrorCode::FolderMissing,
            format!("the data folder {} is not there", data_dir.display()),
        ));
    }
    std::fs::create_dir_all(data_dir).map_err(io_err("create data folder"))
}

/// True when the last app to open the folder did not close it: the marker is still there, or
/// the WAL holds pages a clean close would have written back (or a WAL that is not ours).
pub(crate) fn unclean_shutdown(data_dir: &Path) -> bool {
    let wal = data_dir.join(format!("{DB_FILE}-wal"));
    data_dir.join(RUNNING_MARKER).exists() || wal.metadata().is_ok_and(|m| m.len() > 0)
}

/// Leaves the running marker (also proves the folder can be written).
pub(crate) fn mark_running(data_dir: &Path) -> AppResult<()> {
    std::fs::write(
        data_dir.join(RUNNING_MARKER),
        std::process::id().to_string(),
    )
    .map_err(io_err("write to the data folder"))
}

/// After an open error that says only "storage": is the file damaged?
pub(crate) fn diagnose(db: &Path, e: AppError) -> AppError {
    if e.code != ErrorCode::Storage && e.code != ErrorCode::DiskError {
        return e;
    }
    match backup::check_file(db) {
        Err(check) if check.code == ErrorCode::StoreDamaged => {
            AppError::new(ErrorCode::StoreDamaged, e.message)
        }
        _ => e,
    }
}

fn summarize(dir: &Path, b: backups::BackupInfo) -> BackupSummary {
    let contents = backup::contents(&dir.join(&b.name));
    if let Err(e) = &contents {
        tracing::warn!(backup = %b.name, code = e.code.as_str(), "backup unreadable");
    }
    let contents = contents.ok();
    BackupSummary {
        usable: contents.is_some_and(|c| c.schema <= tourdesk_store::MIGRATION_VERSION),
        clients: contents.map(|c| c.clients),
        messages: contents.map(|c| c.messages),
        name: b.name,
        taken_at: b.taken_at,
        reason: b.reason,
        bytes: b.bytes,
    }
}

/// A data folder that did not open, and what can be done about it.
pub struct Recovery {
    data_dir: PathBuf,
    error: AppError,
}

impl Recovery {
    /// The folder `data_dir` failed to open with `error`.
    pub fn new(data_dir: &Path, error: AppError) -> Recovery {
        tracing::error!(code = error.code.as_str(), detail = %error.message, dir = %data_dir.display(), "the data folder did not open");
        Recovery {
            data_dir: data_dir.to_path_buf(),
            error,
        }
    }

    /// The error that stopped the open.
    pub fn error(&self) -> &AppError {
        &self.error
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn restorable(&self) -> bool {
        matches!(
            self.error.code,
            ErrorCode::StoreDamaged
                | ErrorCode::StoreTooNew
                | ErrorCode::DiskError
                | ErrorCode::Storage
        )
    }

    /// What the recovery screen shows: the problem, the backups and the choices that fit.
    pub fn state(&self) -> RecoveryState {
        let _span = tracing::info_span!("recovery_state").entered();
        let dir = self.data_dir.join(backups::DIR);
        let list: Vec<BackupSummary> = if self.restorable() {
            backups::list_dir(&dir)
                .unwrap_or_default()
                .into_iter()
                .map(|b| summarize(&dir, b))
                .collect()
        } else {
            Vec::new()
        };
        let mut actions = Vec::new();
        if list.iter().any(|b| b.usable) {
            actions.push(RecoveryAction::Restore);
        }
        if !matches!(self.error.code, ErrorCode::StoreDamaged) {
            actions.push(RecoveryAction::Retry);
        }
        actions.push(RecoveryAction::OtherFolder);
        if self.data_dir.is_dir() {
            actions.push(RecoveryAction::ShowFolder);
        }
        actions.push(RecoveryAction::Quit);
        RecoveryState {
            code: self.error.code,
            detail: self.error.message.clone(),
            data_dir: self.data_dir.display().to_string(),
            backups: list,
            actions,
        }
    }

    /// Replaces the data file with the backup `name`: the current file (with its journal) is
    /// moved to `set-aside/<time>-<code>/`, a checked copy of the backup takes its place, and the
    /// folder opens as usual (migrating an older backup).
    pub fn restore(&self, name: &str, clock: Box<dyn Clock>) -> AppResult<App> {
        let _span = tracing::info_span!("recovery_restore", backup = name).entered();
        let state = self.state();
        let chosen = state
            .backups
            .iter()
            .find(|b| b.name == name && b.usable)
            .filter(|_| state.actions.contains(&RecoveryAction::Restore))
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "backup not found"))?;
        let aside = self.set_aside(clock.now())?;
        let db = self.data_dir.join(DB_FILE);
        backup::restore_into_new_file(&self.data_dir.join(backups::DIR).join(&chosen.name), &db)?;
        std::fs::remove_file(self.data_dir.join(RUNNING_MARKER))
            .or_else(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Ok(()),
                _ => Err(e),
            })
            .map_err(io_err("clear the running marker"))?;
        tracing::info!(set_aside = %aside.display(), "backup restored into the data folder");
        App::open(&self.data_dir, clock)
    }

    /// Moves the data file and its WAL/SHM files into a new set-aside folder; returns it.
    fn set_aside(&self, now: DateTime<Utc>) -> AppResult<PathBuf> {
        let dest = self.data_dir.join(SET_ASIDE_DIR).join(format!(
            "{}-{}",
            now.format("%Y%m%dT%H%M%S%.3fZ"),
            self.error.code.as_str()
        ));
        std::fs::create_dir_all(&dest).map_err(io_err("create the set-aside folder"))?;
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{DB_FILE}{suffix}");
            let from = self.data_dir.join(&file);
            if from.exists() {
                std::fs::rename(&from, dest.join(&file))
                    .map_err(io_err("set the data file aside"))?;
            }
        }
        Ok(dest)
    }
}

//! A second backup folder (another disk): an admin chooses it, and every daily backup is copied
//! there too, with the same number kept. The choice lives in `<data>/backup-copy.json`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tourdesk_core::{AppError, AppResult, ErrorCode};
use tourdesk_store::fault::io_err;
use ts_rs::TS;

use crate::access::Action;
use crate::backups::{self, BackupInfo};
use crate::{files, App, Session};

/// The file holding the choice, in the data folder.
pub const BACKUP_COPY_FILE: &str = "backup-copy.json";

/// The second backup folder as settings shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupCopy {
    /// The folder daily backups are copied to; none when not chosen.
    pub folder: Option<String>,
    /// Why the last copy failed (none when it worked or none was tried).
    pub last_error: Option<AppError>,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    folder: PathBuf,
}

/// The last copy's failure, kept for the settings page.
#[derive(Default)]
pub(crate) struct CopyStatus(std::sync::Mutex<Option<AppError>>);

impl CopyStatus {
    fn set(&self, e: Option<AppError>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = e;
    }
    fn get(&self) -> Option<AppError> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl App {
    fn copy_file(&self) -> PathBuf {
        self.data_dir.join(BACKUP_COPY_FILE)
    }

    /// The chosen folder; an unreadable choice is an error, never silently "none".
    fn copy_folder(&self) -> AppResult<Option<PathBuf>> {
        let text = match std::fs::read_to_string(self.copy_file()) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err("read the second backup folder setting")(e)),
        };
        let saved: Saved = serde_json::from_str(&text)
            .map_err(|e| AppError::storage(format!("{BACKUP_COPY_FILE} is unreadable: {e}")))?;
        Ok(Some(saved.folder))
    }

    fn copy_view(&self) -> AppResult<BackupCopy> {
        Ok(BackupCopy {
            folder: self.copy_folder()?.map(|p| p.display().to_string()),
            last_error: self.backup_copy_status.get(),
        })
    }

    /// The second backup folder (admins only).
    pub fn backup_copy_get(&self, s: &Session) -> AppResult<BackupCopy> {
        self.actor_for(s, Action::ManageBackups)?;
        self.copy_view()
    }

    /// Chooses (or with `None` forgets) the second backup folder (admins only). It must be an
    /// existing, writable folder outside the data folder; a probe file is written and removed.
    pub fn backup_copy_set(&self, s: &Session, folder: Option<&str>) -> AppResult<BackupCopy> {
        let _span = tracing::info_span!("backup_copy_set").entered();
        self.actor_for(s, Action::ManageBackups)?;
        let Some(folder) = folder.map(str::trim).filter(|f| !f.is_empty()) else {
            match std::fs::remove_file(self.copy_file()) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io_err("forget the second backup folder")(e))
                }
                _ => {}
            }
            return self.copy_view();
        };
        let dir = self.check_copy_folder(Path::new(folder))?;
        let text = serde_json::to_vec(&Saved { folder: dir })
            .map_err(|e| AppError::internal(format!("encode setting: {e}")))?;
        files::write_whole(&*self.files, &self.copy_file(), &text)?;
        self.backup_copy_status.set(None);
        self.copy_view()
    }

    fn check_copy_folder(&self, dir: &Path) -> AppResult<PathBuf> {
        let bad = |msg: &str| AppError::field(ErrorCode::InvalidChoice, "backup_copy", msg);
        if !dir.is_absolute() {
            return Err(bad("give the full path of the folder"));
        }
        if !dir.is_dir() {
            return Err(AppError::field(
                ErrorCode::FolderMissing,
                "backup_copy",
                "the folder is not there",
            ));
        }
        let dir = dir.canonicalize().map_err(io_err("open the folder"))?;
        let data = self
            .data_dir
            .canonicalize()
            .map_err(io_err("open the data folder"))?;
        if dir.starts_with(&data) {
            return Err(bad("choose a folder outside the data folder"));
        }
        let probe = dir.join(".tourdesk-probe");
        files::write_whole(&*self.files, &probe, b"probe")?;
        std::fs::remove_file(&probe).map_err(io_err("remove the probe file"))?;
        Ok(dir)
    }

    /// Copies a fresh daily backup into the second folder and prunes it there. A failure is
    /// logged and shown in settings; the backup in the data folder stands.
    pub(crate) fn copy_daily_backup(&self, b: &BackupInfo, keep: usize) {
        let result = self.copy_folder().and_then(|dest| {
            let Some(dest) = dest else { return Ok(()) };
            files::copy_whole(
                &*self.files,
                &self.data_dir.join(backups::DIR).join(&b.name),
                &dest.join(&b.name),
            )?;
            for old in backups::list_dir(&dest)?.into_iter().skip(keep.max(1)) {
                let _ = std::fs::remove_file(dest.join(&old.name));
            }
            Ok(())
        });
        if let Err(e) = &result {
            tracing::error!(code = e.code.as_str(), error = %e.message, "copying the backup to the second folder failed");
        }
        self.backup_copy_status.set(result.err());
    }
}

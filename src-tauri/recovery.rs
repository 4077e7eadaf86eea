//! Opening the data folder, and the recovery screen when it does not open: the window always
//! shows, and the page offers what fits (restore a backup, try again, another folder, show the
//! folder, quit). The organisation's commands exist only once a folder is open ([`Desk`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Manager, State};
use tourdesk_app::core::{AppError, ErrorCode};
use tourdesk_app::secrets::KeychainStore;
use tourdesk_app::{App, Recovery, RecoveryState, SystemClock};

use crate::commands::R;
use crate::Desk;

/// The folder that did not open, while the recovery screen shows.
#[derive(Default)]
pub struct Boot {
    failed: Mutex<Option<Recovery>>,
}

/// How long after start the background integrity check runs.
const BACKGROUND_CHECK_AFTER: std::time::Duration = std::time::Duration::from_secs(30);

/// Takes the folder's lock and opens it; on failure the recovery screen will explain.
pub fn start(h: &AppHandle, dir: &Path) {
    let result = open_folder(h, dir);
    if let Err(e) = result {
        set_failed(h, Some(Recovery::new(dir, e)));
    }
}

fn set_failed(h: &AppHandle, r: Option<Recovery>) {
    if let Ok(mut slot) = h.state::<Boot>().failed.lock() {
        *slot = r;
    }
}

/// Locks and opens `dir`, then starts what needs an open folder (WhatsApp, daily backups).
fn open_folder(h: &AppHandle, dir: &Path) -> R<()> {
    let lock = crate::instance::lock_data_dir(dir)
        .map_err(|e| AppError::new(ErrorCode::StoreLocked, e))?;
    let app = App::open(dir, Box::new(SystemClock))?;
    serve(h, lock, app);
    Ok(())
}

/// Makes `app` the open folder: the commands, WhatsApp, the hourly backup and the one
/// background integrity check.
fn serve(h: &AppHandle, lock: crate::instance::DataLock, app: App) {
    // Secrets (the LLM key) live in the OS keychain; where none is usable the settings page
    // says so and no key is kept anywhere else.
    let app = Arc::new(app.with_secrets(Box::new(KeychainStore::new())));
    h.manage(lock);
    h.manage(Desk {
        app: app.clone(),
        session: Mutex::new(None),
        wa: crate::whatsapp::Wa::default(),
    });
    h.manage(crate::import::Jobs::default());
    crate::whatsapp::start_if_linked(h);
    std::thread::spawn(move || {
        std::thread::sleep(BACKGROUND_CHECK_AFTER);
        if let Err(e) = app.integrity_check() {
            tracing::error!(error = %e, "the background integrity check failed");
        }
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
            if let Err(e) = app.backup_if_due() {
                tracing::error!(error = %e, "daily backup failed");
            }
        }
    });
}

/// Runs `f` on the failed folder; `conflict` when the folder is open after all.
fn with_failed<T>(b: &Boot, f: impl FnOnce(&Recovery) -> R<T>) -> R<T> {
    let slot = b
        .failed
        .lock()
        .map_err(|_| AppError::internal("recovery lock poisoned"))?;
    let r = slot
        .as_ref()
        .ok_or_else(|| AppError::new(ErrorCode::Conflict, "the data folder is open"))?;
    f(r)
}

fn state_of(b: &Boot) -> Option<RecoveryState> {
    with_failed(b, |r| Ok(r.state())).ok()
}

/// Opens `dir` instead (another folder, or the same one again); the new state on failure.
fn reopen(h: &AppHandle, dir: PathBuf) -> R<Option<RecoveryState>> {
    with_failed(&h.state::<Boot>(), |_| Ok(()))?;
    match open_folder(h, &dir) {
        Ok(()) => set_failed(h, None),
        Err(e) => set_failed(h, Some(Recovery::new(&dir, e))),
    }
    Ok(state_of(&h.state::<Boot>()))
}

/// Restores the backup `name` into the failed folder and opens it.
fn restore(h: &AppHandle, name: &str) -> R<()> {
    let b = h.state::<Boot>();
    let dir = with_failed(&b, |r| Ok(r.data_dir().to_path_buf()))?;
    let lock = crate::instance::lock_data_dir(&dir)
        .map_err(|e| AppError::new(ErrorCode::StoreLocked, e))?;
    let app = with_failed(&b, |r| r.restore(name, Box::new(SystemClock)))?;
    serve(h, lock, app);
    set_failed(h, None);
    Ok(())
}

/// Shows the failed folder in the file manager.
fn show_folder(b: &Boot) -> R<()> {
    let dir = with_failed(b, |r| Ok(r.data_dir().to_path_buf()))?;
    std::process::Command::new("xdg-open")
        .arg(&dir)
        .spawn()
        .map(|_| ())
        .map_err(|e| AppError::internal(format!("open the file manager: {e}")))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_state(b: State<'_, Boot>) -> R<Option<RecoveryState>> {
    Ok(state_of(&b))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_restore(h: AppHandle, name: String) -> R<()> {
    tauri::async_runtime::spawn_blocking(move || restore(&h, &name))
        .await
        .map_err(|e| AppError::internal(format!("restore task failed: {e}")))?
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_retry(h: AppHandle) -> R<Option<RecoveryState>> {
    let dir = with_failed(&h.state::<Boot>(), |r| Ok(r.data_dir().to_path_buf()))?;
    tauri::async_runtime::spawn_blocking(move || reopen(&h, dir))
        .await
        .map_err(|e| AppError::internal(format!("open task failed: {e}")))?
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_open_folder(h: AppHandle, path: String) -> R<Option<RecoveryState>> {
    let dir = PathBuf::from(path.trim());
    tauri::async_runtime::spawn_blocking(move || reopen(&h, dir))
        .await
        .map_err(|e| AppError::internal(format!("open task failed: {e}")))?
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_show_folder(b: State<'_, Boot>) -> R<()> {
    show_folder(&b)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn recovery_quit(h: AppHandle) -> R<()> {
    h.exit(0);
    Ok(())
}

/// The disk trouble the last write met, `None` while writes work (the page's banner).
#[tauri::command(rename_all = "snake_case")]
pub async fn app_write_trouble(h: AppHandle) -> R<Option<ErrorCode>> {
    Ok(h.try_state::<Desk>().and_then(|d| d.app.write_trouble()))
}

/// At exit: closes the folder cleanly, so the next start skips the integrity check.
pub fn shutdown(h: &AppHandle) {
    if let Some(d) = h.try_state::<Desk>() {
        crate::whatsapp::stop(h);
        d.app.shutdown();
    }
}

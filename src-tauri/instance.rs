//! One app per data folder and the main window's life: a second launch focuses the first
//! (`tauri-plugin-single-instance`), an exclusive lock on `<data>/tourdesk.lock` guarantees the
//! database is never opened by two processes even where that plugin cannot see the other one,
//! and closing the window keeps the app (and WhatsApp) running in the tray when the preference
//! says so — explained to the user on the first close.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};
use tourdesk_app::core::desktop::DesktopSettings;

use crate::prefs::Prefs;

/// Lock file name inside the data folder.
pub const LOCK_FILE: &str = "tourdesk.lock";
/// The event asking the page to explain the tray on the first close.
pub const CLOSE_EXPLAIN_EVENT: &str = "desktop:close_requested";
/// How long a starting app waits for the lock (a restart after an update overlaps the old one).
const LOCK_WAIT: Duration = Duration::from_secs(8);

/// The held lock; released when the process ends.
pub struct DataLock {
    _file: File,
}

/// Takes the data folder's lock, waiting a little for a previous process that is exiting. The
/// error names the process that holds it.
pub fn lock_data_dir(dir: &Path) -> Result<DataLock, String> {
    lock_data_dir_within(dir, LOCK_WAIT)
}

/// [`lock_data_dir`] waiting at most `wait`.
pub fn lock_data_dir_within(dir: &Path, wait: Duration) -> Result<DataLock, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let until = Instant::now() + wait;
    loop {
        if try_lock(&file) {
            break;
        }
        if Instant::now() >= until {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            return Err(format!(
                "Tourdesk is already running with the data folder {} (process {}); close it first",
                dir.display(),
                holder.trim()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    Ok(DataLock { _file: file })
}

#[cfg(unix)]
fn try_lock(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this function borrows; no memory is shared.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> bool {
    true
}

/// The app's identifier (tauri.conf.json; a test keeps them equal).
pub const IDENTIFIER: &str = "app.tourdesk.desk";

/// The D-Bus name stem of the single instance: one per data folder, so a second launch on the
/// same folder finds the first while another folder (`--data-dir`) runs on its own.
pub fn instance_id(data_dir: Option<&Path>) -> String {
    use std::hash::{Hash, Hasher};
    let Some(dir) = data_dir else {
        return IDENTIFIER.to_string();
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut h);
    format!("{IDENTIFIER}.d{:016x}", h.finish())
}

/// The single-instance plugin: a second launch shows and focuses this one's window, then exits.
pub fn single_instance<R: Runtime>(data_dir: Option<&Path>) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .callback(|app, _argv, _cwd| {
            tracing::info!("a second launch: showing this window instead");
            show_main(app);
        })
        .dbus_id(instance_id(data_dir))
        .build()
}

/// Shows, unminimises and focuses the main window.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// What closing the main window does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAction {
    /// Hide the window; the app and WhatsApp keep running in the tray.
    HideToTray,
    /// Keep the window and ask the page to explain the tray (the first close).
    Explain,
    /// Let the window close and the app exit.
    Exit,
}

/// The close action the preferences call for.
pub fn close_action(p: &DesktopSettings) -> CloseAction {
    match (p.close_to_tray, p.close_to_tray_explained) {
        (false, _) => CloseAction::Exit,
        (true, false) => CloseAction::Explain,
        (true, true) => CloseAction::HideToTray,
    }
}

/// The main window's close request, per [`close_action`].
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if window.label() != "main" {
        return;
    }
    let prefs = window
        .try_state::<Prefs>()
        .map(|p| p.current())
        .unwrap_or_default();
    match close_action(&prefs) {
        CloseAction::Exit => {}
        CloseAction::HideToTray => {
            api.prevent_close();
            let _ = window.hide();
        }
        CloseAction::Explain => {
            api.prevent_close();
            let _ = window.emit(CLOSE_EXPLAIN_EVENT, ());
        }
    }
}

/// The user's answer to the first-close explanation: remember it, then hide or quit.
pub fn close_choice<R: Runtime>(
    app: &AppHandle<R>,
    keep_in_tray: bool,
) -> Result<(), tourdesk_app::core::AppError> {
    let prefs = app.state::<Prefs>();
    let mut p = prefs.current();
    p.close_to_tray = keep_in_tray;
    p.close_to_tray_explained = true;
    prefs.set(p)?;
    if keep_in_tray {
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.hide();
        }
    } else {
        app.exit(0);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_close_explains_then_hides_and_the_setting_off_quits() {
        let mut p = DesktopSettings::default();
        assert_eq!(close_action(&p), CloseAction::Explain);
        p.close_to_tray_explained = true;
        assert_eq!(close_action(&p), CloseAction::HideToTray);
        p.close_to_tray = false;
        assert_eq!(close_action(&p), CloseAction::Exit);
    }

    #[test]
    fn one_instance_per_data_folder_under_the_app_identifier() {
        let conf: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], IDENTIFIER);
        assert_eq!(instance_id(None), IDENTIFIER);
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_eq!(instance_id(Some(a.path())), instance_id(Some(a.path())));
        assert_ne!(instance_id(Some(a.path())), instance_id(Some(b.path())));
        let id = instance_id(Some(a.path()));
        assert!(id.starts_with("app.tourdesk.desk.d") && id.len() == IDENTIFIER.len() + 18);
    }

    #[test]
    fn a_second_process_cannot_take_the_data_folder_and_is_told_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_data_dir(dir.path()).unwrap();
        let text = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(text, std::process::id().to_string());
        // flock locks belong to the open file description: a second open in this process
        // conflicts exactly as another process's would.
        let wait = Duration::from_millis(400);
        let started = Instant::now();
        let err = lock_data_dir_within(dir.path(), wait)
            .err()
            .expect("the second lock must fail");
        assert!(
            started.elapsed() >= wait,
            "it waited for an exiting holder first"
        );
        assert!(err.contains("already running"), "{err}");
        assert!(err.contains(&std::process::id().to_string()), "{err}");
        drop(held);
        assert!(
            lock_data_dir(dir.path()).is_ok(),
            "free again once released"
        );
    }
}

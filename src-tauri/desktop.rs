//! Commands of the desktop app itself: its preferences (update channel, close to tray, start at
//! login), the first-close answer, the tray's view, and the updater. None of them touches the
//! organisation's data, so none needs a signed-in session.

use tauri::{AppHandle, Manager, State};
use tauri_plugin_autostart::ManagerExt;
use tourdesk_app::core::desktop::{DesktopSettings, TrayView, UpdateState};
use tourdesk_app::core::{AppError, ErrorCode};

use crate::commands::R;
use crate::prefs::Prefs;

/// Turns start-at-login on or off to match `want` (a `.desktop` file in ~/.config/autostart).
fn apply_autostart(h: &AppHandle, want: bool) -> R<()> {
    let launcher = h.autolaunch();
    let result = if want {
        launcher.enable()
    } else {
        launcher.disable()
    };
    result.map_err(|e| AppError::new(ErrorCode::Storage, format!("start at login: {e}")))
}

/// The preferences, with start-at-login as the system has it now.
fn settings_now(h: &AppHandle, p: &Prefs) -> R<DesktopSettings> {
    let mut s = p.get()?;
    if let Ok(on) = h.autolaunch().is_enabled() {
        s.start_at_login = on;
    }
    Ok(s)
}

/// Saves the preferences after applying start-at-login.
fn save_settings(h: &AppHandle, p: &Prefs, new: DesktopSettings) -> R<DesktopSettings> {
    apply_autostart(h, new.start_at_login)?;
    p.set(new)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desktop_settings_get(h: AppHandle, p: State<'_, Prefs>) -> R<DesktopSettings> {
    settings_now(&h, &p)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desktop_settings_update(
    h: AppHandle,
    p: State<'_, Prefs>,
    settings: DesktopSettings,
) -> R<DesktopSettings> {
    save_settings(&h, &p, settings)
}

/// The answer to the first-close explanation (keep running in the tray, or quit).
#[tauri::command(rename_all = "snake_case")]
pub async fn desktop_close_choice(h: AppHandle, keep_in_tray: bool) -> R<()> {
    crate::instance::close_choice(&h, keep_in_tray)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn desktop_tray_update(h: AppHandle, view: TrayView) -> R<()> {
    crate::tray::update(&h, &view).map_err(|e| AppError::internal(format!("tray: {e}")))
}

/// When the process started (set first thing in `run`), for the start-up figure.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The page shows its first interactive screen: logs (and prints, for the start-up bench) the
/// time since the process started. Only the first call counts.
#[tauri::command(rename_all = "snake_case")]
pub async fn app_first_screen() -> R<()> {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(first_screen_shown);
    Ok(())
}

fn first_screen_shown() {
    let ms = STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
    tracing::info!(since_start_ms = ms as u64, "first interactive screen");
    println!("tourdesk-first-screen {ms}");
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_version(h: AppHandle) -> R<String> {
    Ok(h.package_info().version.to_string())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_state(h: AppHandle) -> R<UpdateState> {
    Ok(crate::updater::current(&h))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_check(h: AppHandle) -> R<UpdateState> {
    Ok(crate::updater::check(&h).await)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn update_install(h: AppHandle) -> R<UpdateState> {
    Ok(crate::updater::install(&h).await)
}

/// Starts the desktop parts that need the data folder: preferences, updater, tray.
pub fn init(app: &tauri::App, dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    app.manage(Prefs::load(dir));
    crate::updater::init(app.handle(), dir)?;
    if let Err(e) = crate::tray::init(app.handle()) {
        tracing::warn!(error = %e, "no tray icon on this desktop");
    }
    Ok(())
}

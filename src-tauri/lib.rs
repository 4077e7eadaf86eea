//! The Tauri shell: opens the data folder, holds the signed-in session, and exposes each
//! `crates/app` use case as a thin command. No business rules live here.

mod commands;
mod desktop;
mod import;
mod instance;
mod logging;
mod prefs;
mod recovery;
mod tray;
mod update_failure;
mod updater;
mod whatsapp;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tauri::Manager;
use tourdesk_app::{App, Session};

/// What the commands share: the app and the signed-in session (never sent by the UI).
pub struct Desk {
    app: Arc<App>,
    session: Mutex<Option<Session>>,
    wa: whatsapp::Wa,
}

/// The data folder: `--data-dir D`, else `TOURDESK_DATA_DIR`, else the OS convention.
fn data_dir_override() -> Option<PathBuf> {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(v));
        }
    }
    std::env::var_os("TOURDESK_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Starts the desktop app.
pub fn run() {
    let _ = desktop::STARTED.set(std::time::Instant::now());
    let result = tauri::Builder::default()
        // First: a second launch hands over to the running app before anything else starts.
        .plugin(instance::single_instance(data_dir_override().as_deref()))
        // Size and position come back; visibility does not (a window left in the tray opens).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(
                    tauri_plugin_window_state::StateFlags::all()
                        - tauri_plugin_window_state::StateFlags::VISIBLE,
                )
                .build(),
        )
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let dir = match data_dir_override() {
                Some(d) => d,
                // The usual place is created on a first start, even its parents; a folder
                // given by the user is not (its disk may be unplugged: the recovery screen says so).
                None => {
                    let d = app.path().app_data_dir()?;
                    if let Err(e) = std::fs::create_dir_all(&d) {
                        eprintln!("cannot create the data folder {}: {e}", d.display());
                    }
                    d
                }
            };
            // A missing folder on a missing disk must not be created by the log folder.
            let folder_there = dir.is_dir() || dir.parent().is_none_or(|p| p.is_dir());
            logging::init(folder_there.then(|| dir.join("logs")).as_deref());
            tracing::info!(data_dir = %dir.display(), version = env!("CARGO_PKG_VERSION"), "Tourdesk starting");
            app.manage(recovery::Boot::default());
            desktop::init(app, &dir)?;
            recovery::start(app.handle(), &dir);
            Ok(())
        })
        .on_window_event(instance::on_window_event)
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                recovery::shutdown(handle);
            }
        }),
        Err(e) => {
            eprintln!("Tourdesk could not start: {e}");
            std::process::exit(1);
        }
    }
}

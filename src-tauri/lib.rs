//! The Tauri shell: opens the data folder, holds the signed-in session, and exposes each
//! `crates/app` use case as a thin command. No business rules live here.

mod commands;
mod import;
mod logging;
mod whatsapp;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tauri::Manager;
use tourdesk_app::secrets::KeychainStore;
use tourdesk_app::{App, Session, SystemClock};

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

/// True when the updater has both an endpoint and a public key (it panics at start-up without).
fn updater_configured(config: &tauri::Config) -> bool {
    let Some(updater) = config.plugins.0.get("updater") else {
        return false;
    };
    let has_key = updater
        .get("pubkey")
        .and_then(|v| v.as_str())
        .is_some_and(|k| !k.trim().is_empty());
    let has_endpoint = updater
        .get("endpoints")
        .and_then(|v| v.as_array())
        .is_some_and(|a| !a.is_empty());
    has_key && has_endpoint
}

/// Starts the desktop app.
pub fn run() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let dir = match data_dir_override() {
                Some(d) => d,
                None => app.path().app_data_dir()?,
            };
            logging::init(&dir.join("logs"));
            tracing::info!(data_dir = %dir.display(), version = env!("CARGO_PKG_VERSION"), "Tourdesk starting");
            if updater_configured(app.config()) {
                app.handle().plugin(tauri_plugin_updater::Builder::new().build())?;
            } else {
                tracing::info!("no update channel configured; updater not registered");
            }
            // Secrets (the LLM key) live in the OS keychain; where none is usable the settings
            // page says so and no key is kept anywhere else.
            let desk = App::open(&dir, Box::new(SystemClock))
                .map_err(|e| {
                    tracing::error!(error = %e, "cannot open the data folder");
                    e
                })?
                .with_secrets(Box::new(KeychainStore::new()));
            app.manage(Desk {
                app: Arc::new(desk),
                session: Mutex::new(None),
                wa: whatsapp::Wa::default(),
            });
            app.manage(import::Jobs::default());
            whatsapp::start_if_linked(app.handle());
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
                if let Err(e) = handle.state::<Desk>().app.backup_if_due() {
                    tracing::error!(error = %e, "daily backup failed");
                }
            });
            Ok(())
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                whatsapp::stop(handle);
            }
        }),
        Err(e) => {
            eprintln!("Tourdesk could not start: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::updater_configured;

    fn config(plugins: serde_json::Value) -> tauri::Config {
        serde_json::from_value(
            serde_json::json!({ "identifier": "app.tourdesk.test", "plugins": plugins }),
        )
        .expect("valid config")
    }

    #[test]
    fn the_updater_is_registered_only_with_an_endpoint_and_a_public_key() {
        assert!(!updater_configured(&config(serde_json::json!({}))));
        assert!(!updater_configured(&config(
            serde_json::json!({ "updater": { "pubkey": "", "endpoints": ["https://u.example/latest.json"] } })
        )));
        assert!(!updater_configured(&config(
            serde_json::json!({ "updater": { "pubkey": "KEY", "endpoints": [] } })
        )));
        assert!(updater_configured(&config(
            serde_json::json!({ "updater": { "pubkey": "KEY", "endpoints": ["https://u.example/latest.json"] } })
        )));
    }

    #[test]
    fn the_shipped_configuration_has_no_update_channel_yet() {
        let text = include_str!("../tauri.conf.json");
        let value: serde_json::Value = serde_json::from_str(text).expect("tauri.conf.json is JSON");
        let cfg: tauri::Config =
            serde_json::from_value(value).expect("tauri.conf.json is a Tauri config");
        assert!(
            !updater_configured(&cfg),
            "packaging and signing come in a later issue"
        );
    }
}

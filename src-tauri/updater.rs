//! Signed auto-updates: registers `tauri-plugin-updater` when the build has an update channel
//! and a public key, checks at start and every few hours on the channel the preferences name,
//! and on the user's word downloads the package (progress as `update:state` events), verifies
//! its signature, keeps it in `<data>/updates/`, installs it with the system's package tools
//! and restarts. Every failure leaves the installed version running and says why.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::utils::config::BundleType;
use tauri::Url;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use tourdesk_app::core::desktop::{UpdateChannel, UpdateFailure, UpdateState};
use tracing::Instrument;

use crate::prefs::Prefs;
use crate::update_failure::{failed, is_disk_full, Step};

/// The event that carries every [`UpdateState`] change.
pub const EVENT: &str = "update:state";
/// The placeholder in endpoint URLs replaced by the channel's name.
pub const CHANNEL_VAR: &str = "{{channel}}";
/// Time between background checks.
const EVERY: Duration = Duration::from_secs(4 * 3600);
/// Wait after start before the first check (the window and WhatsApp come first).
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(5);
/// Time-out of one request to the update server.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The updater's shell state.
pub struct Updates {
    state: Mutex<UpdateState>,
    pending: Mutex<Option<Update>>,
    busy: AtomicBool,
    dir: PathBuf,
}

/// True when the configuration has both an endpoint and a public key (the plugin panics at
/// start-up without them).
pub fn configured(config: &tauri::Config) -> bool {
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

/// The configured endpoints with `{{channel}}` replaced by `channel`.
pub fn channel_endpoints(config: &tauri::Config, channel: UpdateChannel) -> Vec<Url> {
    let list = config
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("endpoints"))
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
    list.iter()
        .filter_map(|v| v.as_str())
        .filter_map(|s| Url::parse(&s.replace(CHANNEL_VAR, channel.as_str())).ok())
        .collect()
}

/// Registers the plugin and the state, and starts the background checks (when configured).
pub fn init<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) -> tauri::Result<()> {
    app.manage(Updates {
        state: Mutex::new(UpdateState::Idle),
        pending: Mutex::new(None),
        busy: AtomicBool::new(false),
        dir: data_dir.join("updates"),
    });
    if !configured(app.config()) {
        tracing::info!("no update channel configured; updater not registered");
        return Ok(());
    }
    app.plugin(tauri_plugin_updater::Builder::new().build())?;
    let h = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK_AFTER).await;
        loop {
            check(&h).await;
            tokio::time::sleep(EVERY).await;
        }
    });
    Ok(())
}

fn set<R: Runtime>(app: &AppHandle<R>, s: UpdateState) -> UpdateState {
    if let Some(u) = app.try_state::<Updates>() {
        if let Ok(mut cur) = u.state.lock() {
            *cur = s.clone();
        }
    }
    if let Err(e) = app.emit(EVENT, &s) {
        tracing::debug!(error = %e, "cannot emit {EVENT}");
    }
    s
}

/// Where the updater stands now.
pub fn current<R: Runtime>(app: &AppHandle<R>) -> UpdateState {
    app.try_state::<Updates>()
        .and_then(|u| u.state.lock().ok().map(|s| s.clone()))
        .unwrap_or(UpdateState::Idle)
}

fn not_configured() -> UpdateState {
    UpdateState::Failed {
        failure: UpdateFailure::NotConfigured,
        detail: "this build has no update channel".into(),
        command: None,
    }
}

/// Asks the channel's server for a newer version; `Available` remembers it for [`install`].
pub async fn check<R: Runtime>(app: &AppHandle<R>) -> UpdateState {
    check_channel(app)
        .instrument(tracing::info_span!("update_check"))
        .await
}

async fn check_channel<R: Runtime>(app: &AppHandle<R>) -> UpdateState {
    let Some(u) = app.try_state::<Updates>() else {
        return not_configured();
    };
    if u.busy.load(Ordering::SeqCst) {
        return current(app);
    }
    if !configured(app.config()) {
        return set(app, not_configured());
    }
    set(app, UpdateState::Checking);
    let channel = app
        .try_state::<Prefs>()
        .map(|p| p.current().update_channel)
        .unwrap_or_default();
    let result = match app
        .updater_builder()
        .endpoints(channel_endpoints(app.config(), channel))
        .and_then(|b| b.timeout(REQUEST_TIMEOUT).build())
    {
        Ok(updater) => updater.check().await,
        Err(e) => Err(e),
    };
    let state = match result {
        Ok(Some(update)) => {
            tracing::info!(version = %update.version, channel = channel.as_str(), "update available");
            let s = UpdateState::Available {
                current: update.current_version.clone(),
                version: update.version.clone(),
                notes: update.body.clone().filter(|n| !n.trim().is_empty()),
            };
            if let Ok(mut p) = u.pending.lock() {
                *p = Some(update);
            }
            s
        }
        Ok(None) => {
            tracing::info!(channel = channel.as_str(), "no update");
            UpdateState::UpToDate {
                current: app.package_info().version.to_string(),
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, channel = channel.as_str(), "update check failed");
            failed(Step::Check, &e, None)
        }
    };
    set(app, state)
}

/// Clears `busy` when the install attempt ends, however it ends.
struct BusyGuard<'a>(&'a AtomicBool);

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// Downloads, verifies, saves and installs the update found by the last [`check`], then
/// restarts into it.
pub async fn install<R: Runtime>(app: &AppHandle<R>) -> UpdateState {
    download_and_install(app)
        .instrument(tracing::info_span!("update_install"))
        .await
}

async fn download_and_install<R: Runtime>(app: &AppHandle<R>) -> UpdateState {
    let Some(u) = app.try_state::<Updates>() else {
        return not_configured();
    };
    if u.busy.swap(true, Ordering::SeqCst) {
        return failure(UpdateFailure::Busy, "an update is already in progress");
    }
    let _busy = BusyGuard(&u.busy);
    let Some(update) = u.pending.lock().ok().and_then(|p| p.clone()) else {
        return set(
            app,
            failure(UpdateFailure::NothingToInstall, "no update was found"),
        );
    };
    if tauri::utils::platform::bundle_type() != Some(BundleType::Deb) {
        return set(
            app,
            failure(
                UpdateFailure::NotPackaged,
                "this copy was not installed from the .deb package",
            ),
        );
    }
    let bytes = match download(app, &update).await {
        Ok(b) => b,
        Err(s) => return set(app, s),
    };
    set(
        app,
        UpdateState::Installing {
            version: update.version.clone(),
        },
    );
    let package = match save_package(&u.dir, &update.version, &bytes) {
        Ok(p) => p,
        Err(e) => return set(app, saving_failed(&e)),
    };
    let to_install = update.clone();
    let outcome = tauri::async_runtime::spawn_blocking(move || to_install.install(bytes)).await;
    match outcome {
        Ok(Ok(())) => {
            tracing::info!(version = %update.version, "update installed; restarting");
            set(
                app,
                UpdateState::Installed {
                    version: update.version.clone(),
                },
            );
            let _ = std::fs::remove_file(&package);
            tokio::time::sleep(Duration::from_millis(1500)).await;
            app.restart()
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, package = %package.display(), "the system refused the update");
            set(app, failed(Step::Install, &e, Some(&package)))
        }
        Err(e) => set(
            app,
            failure(
                UpdateFailure::Internal,
                &format!("install task failed: {e}"),
            ),
        ),
    }
}

fn failure(failure: UpdateFailure, detail: &str) -> UpdateState {
    UpdateState::Failed {
        failure,
        detail: detail.to_string(),
        command: None,
    }
}

/// Downloads with progress events (at most ten a second); the plugin verifies the signature
/// against the configured public key before returning the bytes.
async fn download<R: Runtime>(app: &AppHandle<R>, update: &Update) -> Result<Vec<u8>, UpdateState> {
    let version = update.version.clone();
    let mut received: u64 = 0;
    let mut last: Option<Instant> = None;
    set(
        app,
        UpdateState::Downloading {
            version: version.clone(),
            received: 0,
            total: None,
        },
    );
    let result = update
        .download(
            |chunk, total| {
                received += chunk as u64;
                let due = last.is_none_or(|l| l.elapsed() >= Duration::from_millis(100));
                if due || Some(received) == total {
                    last = Some(Instant::now());
                    set(
                        app,
                        UpdateState::Downloading {
                            version: version.clone(),
                            received,
                            total,
                        },
                    );
                }
            },
            || {},
        )
        .await;
    result.map_err(|e| {
        tracing::warn!(error = %e, "update download refused");
        failed(Step::Download, &e, None)
    })
}

/// Keeps the verified package in `dir` (so a refused install can be done by hand), replacing
/// older ones.
pub fn save_package(dir: &Path, version: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for old in std::fs::read_dir(dir)?.flatten() {
        if old.path().extension().is_some_and(|x| x == "deb") {
            let _ = std::fs::remove_file(old.path());
        }
    }
    let path = dir.join(format!("Tourdesk_{version}_amd64.deb"));
    let tmp = path.with_extension("deb.part");
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

fn saving_failed(e: &std::io::Error) -> UpdateState {
    let kind = if is_disk_full(e) {
        UpdateFailure::DiskFull
    } else {
        UpdateFailure::Internal
    };
    failure(kind, &format!("cannot save the package: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(plugins: serde_json::Value) -> tauri::Config {
        serde_json::from_value(
            serde_json::json!({ "identifier": "app.tourdesk.test", "plugins": plugins }),
        )
        .expect("valid config")
    }

    fn shipped() -> tauri::Config {
        let text = include_str!("../tauri.conf.json");
        serde_json::from_str(text).expect("tauri.conf.json is a Tauri config")
    }

    #[test]
    fn the_updater_is_registered_only_with_an_endpoint_and_a_public_key() {
        assert!(!configured(&config(serde_json::json!({}))));
        assert!(!configured(&config(
            serde_json::json!({ "updater": { "pubkey": "", "endpoints": ["https://u.example/latest.json"] } })
        )));
        assert!(!configured(&config(
            serde_json::json!({ "updater": { "pubkey": "KEY", "endpoints": [] } })
        )));
        assert!(configured(&config(
            serde_json::json!({ "updater": { "pubkey": "KEY", "endpoints": ["https://u.example/latest.json"] } })
        )));
    }

    #[test]
    fn the_shipped_configuration_updates_over_https_only_with_a_key_and_signed_versions() {
        let cfg = shipped();
        assert!(configured(&cfg), "the shipped build has an update channel");
        let updater = &cfg.plugins.0["updater"];
        assert_ne!(updater["dangerousInsecureTransportProtocol"], true);
        assert_ne!(updater["dangerousAcceptInvalidCerts"], true);
        assert_eq!(updater["requireSignedVersion"], true);
        for channel in [UpdateChannel::Stable, UpdateChannel::Beta] {
            let urls = channel_endpoints(&cfg, channel);
            assert!(!urls.is_empty());
            for u in urls {
                assert_eq!(u.scheme(), "https", "{u}");
                assert!(u.path().contains(channel.as_str()), "{u}");
            }
        }
        let bundle = serde_json::to_value(&cfg.bundle).expect("bundle");
        assert_eq!(bundle["createUpdaterArtifacts"], true);
        let depends = bundle["linux"]["deb"]["depends"].to_string();
        assert!(
            !depends.contains("nodejs"),
            "the package carries its own Node.js: {depends}"
        );
    }

    #[test]
    fn the_channel_names_the_manifest_folder() {
        let cfg = config(
            serde_json::json!({ "updater": { "pubkey": "K", "endpoints": [
            "http://127.0.0.1:18917/{{channel}}/latest.json?v={{current_version}}"
        ] } }),
        );
        let beta = channel_endpoints(&cfg, UpdateChannel::Beta);
        assert_eq!(beta[0].path(), "/beta/latest.json");
        assert_eq!(beta[0].query(), Some("v={{current_version}}"));
        assert_eq!(
            channel_endpoints(&cfg, UpdateChannel::Stable)[0].path(),
            "/stable/latest.json"
        );
    }

    #[test]
    fn a_package_that_does_not_fit_on_the_disk_is_a_disk_full_failure_and_leaves_no_part_file() {
        let dir = tempfile::tempdir().unwrap();
        let saved = save_package(dir.path(), "0.2.0", b"!<arch>\n").unwrap();
        assert!(saved.ends_with("Tourdesk_0.2.0_amd64.deb"));
        let again = save_package(dir.path(), "0.3.0", b"!<arch>\n").unwrap();
        assert!(!saved.exists(), "older packages are replaced");
        assert!(again.exists());
        // /dev/full answers every write with ENOSPC, as a full disk does.
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
        if let Ok(mut f) = full {
            use std::io::Write;
            let e = f.write_all(b"x").and_then(|_| f.flush()).unwrap_err();
            match saving_failed(&e) {
                UpdateState::Failed { failure, .. } => assert_eq!(failure, UpdateFailure::DiskFull),
                other => panic!("{other:?}"),
            }
        } else {
            panic!("/dev/full is missing: the disk-full check cannot run here");
        }
    }
}

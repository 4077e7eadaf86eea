//! This computer's app preferences ([`DesktopSettings`]): kept in `<data>/desktop.json`, beside
//! the database but not in it, because they belong to the machine (update channel, tray, start
//! at login), not to the organisation.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tourdesk_app::core::desktop::DesktopSettings;
use tourdesk_app::core::{AppError, ErrorCode};

/// File name of the preferences inside the data folder.
pub const FILE: &str = "desktop.json";

/// The preferences in force, and why the file could not be read if it could not.
pub struct Prefs {
    path: PathBuf,
    value: Mutex<DesktopSettings>,
    unreadable: Mutex<Option<String>>,
}

impl Prefs {
    /// Reads `<dir>/desktop.json`; a missing file means the defaults, an unreadable one is
    /// remembered (the defaults apply until the user saves) and reported by [`Prefs::get`].
    pub fn load(dir: &Path) -> Prefs {
        let path = dir.join(FILE);
        let (value, unreadable) = match read(&path) {
            Ok(v) => (v, None),
            Err(e) => {
                tracing::error!(file = %path.display(), error = %e, "desktop preferences unreadable; defaults apply until saved");
                (DesktopSettings::default(), Some(e))
            }
        };
        Prefs {
            path,
            value: Mutex::new(value),
            unreadable: Mutex::new(unreadable),
        }
    }

    /// The preferences in force (even when the file was unreadable).
    pub fn current(&self) -> DesktopSettings {
        self.value.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// The preferences for the settings page; an unreadable file is an error there.
    pub fn get(&self) -> Result<DesktopSettings, AppError> {
        if let Some(e) = self.unreadable.lock().ok().and_then(|u| u.clone()) {
            return Err(AppError::new(
                ErrorCode::Storage,
                format!("{} cannot be read: {e}", self.path.display()),
            ));
        }
        Ok(self.current())
    }

    /// Saves new preferences (atomically: a temporary file renamed over the old one).
    pub fn set(&self, new: DesktopSettings) -> Result<DesktopSettings, AppError> {
        write(&self.path, &new)
            .map_err(|e| AppError::new(ErrorCode::Storage, format!("cannot save {FILE}: {e}")))?;
        if let Ok(mut v) = self.value.lock() {
            *v = new.clone();
        }
        if let Ok(mut u) = self.unreadable.lock() {
            *u = None;
        }
        Ok(new)
    }
}

fn read(path: &Path) -> Result<DesktopSettings, String> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| e.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(DesktopSettings::default()),
        Err(e) => Err(e.to_string()),
    }
}

fn write(path: &Path, value: &DesktopSettings) -> std::io::Result<()> {
    let text = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tourdesk_app::core::desktop::UpdateChannel;

    #[test]
    fn defaults_without_a_file_then_saved_values_survive_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let prefs = Prefs::load(dir.path());
        let d = prefs.get().unwrap();
        assert_eq!(d.update_channel, UpdateChannel::Stable);
        assert!(d.close_to_tray, "close to tray is on by default");
        assert!(!d.start_at_login && !d.close_to_tray_explained);
        let mut beta = d.clone();
        beta.update_channel = UpdateChannel::Beta;
        prefs.set(beta.clone()).unwrap();
        assert_eq!(Prefs::load(dir.path()).get().unwrap(), beta);
    }

    #[test]
    fn an_unreadable_file_is_an_error_on_the_page_and_defaults_in_force_until_saved() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{ not json").unwrap();
        let prefs = Prefs::load(dir.path());
        let err = prefs.get().unwrap_err();
        assert_eq!(err.code, ErrorCode::Storage);
        assert!(err.message.contains(FILE), "{}", err.message);
        assert_eq!(prefs.current(), DesktopSettings::default());
        prefs.set(DesktopSettings::default()).unwrap();
        assert!(prefs.get().is_ok(), "saving replaces the unreadable file");
    }
}

//! Secret-store and leak-check helpers shared by the AI tests: a log capture of every tracing
//! event of the test binary, an in-memory keychain, a keychain that is never there, and a grep
//! over every byte of a data folder.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use tourdesk_app::secrets::{SecretError, SecretStore, SecretValue};

/// Every byte the test binary logged.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs (once per test binary) a TRACE-level subscriber writing into the capture.
pub fn logs() -> &'static LogBuffer {
    static LOGS: OnceLock<LogBuffer> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = LogBuffer::default();
        let writer = buffer.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init()
            .expect("install the log capture");
        buffer
    })
}

/// Everything logged so far, as text.
pub fn log_text() -> String {
    String::from_utf8_lossy(&logs().0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

/// Keeps secrets in memory, for tests only (the product has no in-memory store); the map is
/// shared so a test can look inside.
#[derive(Default)]
pub struct MemoryKeychain(pub Arc<Mutex<HashMap<(String, String), String>>>);

impl SecretStore for MemoryKeychain {
    fn get(&self, service: &str, name: &str) -> Result<Option<SecretValue>, SecretError> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        Ok(map
            .get(&(service.to_owned(), name.to_owned()))
            .map(|v| SecretValue::new(v.clone())))
    }
    fn set(&self, service: &str, name: &str, value: &SecretValue) -> Result<(), SecretError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(
            (service.to_owned(), name.to_owned()),
            value.expose().to_owned(),
        );
        Ok(())
    }
    fn delete(&self, service: &str, name: &str) -> Result<(), SecretError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&(service.to_owned(), name.to_owned()));
        Ok(())
    }
    fn backend_name(&self) -> &'static str {
        "test-memory"
    }
}

/// A keychain that is never there, like a desktop without a Secret Service.
pub struct NoKeychain;

fn no_dbus() -> SecretError {
    SecretError::KeychainUnavailable {
        reason: "no D-Bus session bus".into(),
    }
}

impl SecretStore for NoKeychain {
    fn get(&self, _: &str, _: &str) -> Result<Option<SecretValue>, SecretError> {
        Err(no_dbus())
    }
    fn set(&self, _: &str, _: &str, _: &SecretValue) -> Result<(), SecretError> {
        Err(no_dbus())
    }
    fn delete(&self, _: &str, _: &str) -> Result<(), SecretError> {
        Err(no_dbus())
    }
    fn backend_name(&self) -> &'static str {
        "secret-service"
    }
}

/// Every byte of every file under `dir` (database, WAL, backups, anything else).
pub fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut visited = 0;
    while let Some(d) = stack.pop() {
        visited += 1;
        assert!(visited < 10_000, "too many folders");
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.extend_from_slice(&bytes);
            }
        }
    }
    out
}

/// Whether `needle` occurs in `haystack` byte for byte.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

//! The opt-in encrypted key file where no OS keychain works: offered, never used silently,
//! turned on only with the admin's own sign-in password, unlocked by that password after a
//! restart, re-sealed on a password change, removed on request — and neither the key nor the
//! password ever reaching the data folder in clear or the logs.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use common::*;
use tourdesk_app::core::ai::AiFallbackState;
use tourdesk_app::core::org::{NewUser, Session};
use tourdesk_app::core::{ErrorCode, Role};
use tourdesk_app::secrets::{EncryptedFileStore, SecretError, SecretStore, SecretValue};
use tourdesk_app::{App, SECRET_FILE, SECRET_SERVICE};

/// The key used by these tests; it must never appear in clear outside the secret store.
const KEY: &str = "sk-tourdesk-FALLBACK-5e4d3c2b1a0f9e8d";
/// A manager's sign-in password (not the admin's).
const MANAGER_PASSWORD: &str = "manager's own secret 42";
/// The admin's password after changing it.
const NEW_PASSWORD: &str = "a brand new passphrase 7";

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

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

fn logs() -> &'static LogBuffer {
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

fn log_text() -> String {
    String::from_utf8_lossy(&logs().0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

/// A keychain that is never there, like a desktop without a Secret Service.
struct NoKeychain;

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

/// A working keychain, in memory (tests only).
#[derive(Default)]
struct WorkingKeychain(Mutex<HashMap<String, String>>);

impl SecretStore for WorkingKeychain {
    fn get(&self, service: &str, name: &str) -> Result<Option<SecretValue>, SecretError> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        Ok(map.get(&format!("{service}/{name}")).map(SecretValue::new))
    }
    fn set(&self, service: &str, name: &str, value: &SecretValue) -> Result<(), SecretError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(format!("{service}/{name}"), value.expose().to_owned());
        Ok(())
    }
    fn delete(&self, service: &str, name: &str) -> Result<(), SecretError> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("{service}/{name}"));
        Ok(())
    }
    fn backend_name(&self) -> &'static str {
        "test-memory"
    }
}

/// Every byte of every file under `dir` (database, WAL, backups, the encrypted file).
fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
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

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn code<T>(r: Result<T, tourdesk_app::core::AppError>) -> Result<T, ErrorCode> {
    r.map_err(|e| e.code)
}

fn fallback(app: &App, s: &Session) -> AiFallbackState {
    app.ai_status(s).expect("status").fallback
}

fn add_manager_with_own_password(app: &App, admin: &Session) -> Session {
    app.user_add(
        admin,
        &NewUser {
            name: "Бакыт".into(),
            email: "bakyt@soul.kg".into(),
            password: MANAGER_PASSWORD.into(),
            role: Role::Manager,
        },
    )
    .expect("add manager");
    app.sign_in("bakyt@soul.kg", MANAGER_PASSWORD)
        .expect("manager signs in")
}

/// The key as stored in the file, read with `password` outside the app.
fn key_in_file(dir: &Path, admin: &Session, password: &str) -> Result<Option<String>, SecretError> {
    let file = EncryptedFileStore::open(dir.join(SECRET_FILE), &SecretValue::new(password))?;
    Ok(file
        .get(SECRET_SERVICE, &format!("llm-api-key.{}", admin.tenant_id))?
        .map(|v| v.expose().to_owned()))
}

#[test]
fn without_a_keychain_the_encrypted_file_is_an_explicit_opt_in_keyed_by_the_sign_in_password() {
    let _ = logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(SECRET_FILE);
    let clock = start_clock();
    let app = open(dir.path(), &clock).with_secrets(Box::new(NoKeychain));
    let (admin, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    let manager = add_manager_with_own_password(&app, &admin);

    // Offered, but nothing is stored until the admin asks for it.
    let status = app.ai_status(&admin).expect("status");
    assert!(!status.keychain.available);
    assert_eq!(status.fallback, AiFallbackState::Offered);
    assert_eq!(
        code(app.ai_key_set(&admin, KEY)),
        Err(ErrorCode::KeychainUnavailable)
    );
    assert!(!file.exists(), "never a file without the opt-in");

    // Admins only, and only with their own sign-in password.
    assert_eq!(
        code(app.ai_fallback_enable(&manager, MANAGER_PASSWORD)),
        Err(ErrorCode::Forbidden)
    );
    assert_eq!(
        code(app.ai_fallback_enable(&admin, "not the password")),
        Err(ErrorCode::InvalidCredentials)
    );
    assert!(!file.exists());

    let status = app.ai_fallback_enable(&admin, PASSWORD).expect("enable");
    assert_eq!(status.fallback, AiFallbackState::EnabledUnlocked);
    assert!(!status.keychain.available, "the keychain is still reported");
    assert!(file.exists());
    app.ai_key_set(&admin, KEY)
        .expect("the key goes to the file");
    assert!(app.ai_status(&admin).expect("status").key_present);
    assert!(app.ai_status(&manager).expect("status").key_present);
    assert_eq!(
        key_in_file(dir.path(), &admin, PASSWORD).expect("open"),
        Some(KEY.to_owned())
    );

    // Another user's sign-in cannot open it: locked, and the key cannot be changed meanwhile.
    assert_eq!(
        code(app.ai_fallback_unlock(&manager, MANAGER_PASSWORD)),
        Err(ErrorCode::InvalidCredentials)
    );
    assert_eq!(fallback(&app, &admin), AiFallbackState::EnabledLocked);
    assert!(!app.ai_status(&admin).expect("status").key_present);
    assert_eq!(
        code(app.ai_key_set(&admin, "sk-other")),
        Err(ErrorCode::KeychainUnavailable)
    );
    app.ai_fallback_unlock(&admin, PASSWORD).expect("unlock");
    assert_eq!(fallback(&app, &admin), AiFallbackState::EnabledUnlocked);

    // After a restart the file is locked until the creator signs in again.
    drop(app);
    let app = open(dir.path(), &clock).with_secrets(Box::new(NoKeychain));
    let admin = app.sign_in("admin@soul.kg", PASSWORD).expect("sign in");
    let status = app.ai_status(&admin).expect("status");
    assert_eq!(status.fallback, AiFallbackState::EnabledLocked);
    assert!(!status.key_present);
    assert_eq!(
        code(app.ai_key_set(&admin, "sk-other")),
        Err(ErrorCode::KeychainUnavailable)
    );
    let status = app.ai_fallback_unlock(&admin, PASSWORD).expect("unlock");
    assert_eq!(status.fallback, AiFallbackState::EnabledUnlocked);
    assert!(status.key_present, "the key survived the restart");

    // A password change re-seals the file with the new password.
    app.change_password(&admin, PASSWORD, NEW_PASSWORD)
        .expect("change password");
    assert!(matches!(
        key_in_file(dir.path(), &admin, PASSWORD),
        Err(SecretError::WrongPassword { .. })
    ));
    assert_eq!(
        key_in_file(dir.path(), &admin, NEW_PASSWORD).expect("open"),
        Some(KEY.to_owned())
    );
    assert!(app.ai_status(&admin).expect("status").key_present);
    app.ai_key_set(&admin, KEY).expect("still writable");

    // Neither the key nor any password is in the data folder in clear, nor in the logs.
    let bytes = all_bytes(dir.path());
    let logs = log_text();
    for secret in [KEY, PASSWORD, NEW_PASSWORD, MANAGER_PASSWORD] {
        assert!(!contains(&bytes, secret), "{secret} is in the data folder");
        assert!(!logs.contains(secret), "{secret} is in the logs");
    }
    assert!(
        logs.contains("ai_fallback_enable"),
        "the logs were captured"
    );

    // Turning it off removes the file and the key in it; it is offered again.
    let manager = app
        .sign_in("bakyt@soul.kg", MANAGER_PASSWORD)
        .expect("manager");
    assert_eq!(
        code(app.ai_fallback_disable(&manager)),
        Err(ErrorCode::Forbidden)
    );
    assert!(file.exists());
    let status = app.ai_fallback_disable(&admin).expect("disable");
    assert_eq!(status.fallback, AiFallbackState::Offered);
    assert!(!status.key_present);
    assert!(!file.exists());
    assert_eq!(
        code(app.ai_key_set(&admin, KEY)),
        Err(ErrorCode::KeychainUnavailable)
    );
}

#[test]
fn with_a_working_keychain_the_file_is_neither_offered_nor_used() {
    let _ = logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = start_clock();
    let app = open(dir.path(), &clock).with_secrets(Box::new(WorkingKeychain::default()));
    let (admin, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    assert_eq!(fallback(&app, &admin), AiFallbackState::NotOffered);
    assert_eq!(
        code(app.ai_fallback_enable(&admin, PASSWORD)),
        Err(ErrorCode::Conflict)
    );
    assert!(!dir.path().join(SECRET_FILE).exists());
    // Unlocking at sign-in with no file is a no-op.
    let status = app.ai_fallback_unlock(&admin, PASSWORD).expect("no file");
    assert_eq!(status.fallback, AiFallbackState::NotOffered);
    app.ai_key_set(&admin, KEY).expect("keychain");
    assert!(!dir.path().join(SECRET_FILE).exists());
}

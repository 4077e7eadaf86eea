//! The opt-in encrypted key file where no OS keychain works: offered, never used silently,
//! turned on only with the admin's own sign-in password, unlocked by that password after a
//! restart, re-sealed on a password change, removed on request — and neither the key nor the
//! password ever reaching the data folder in clear or the logs.

mod common;

use std::path::Path;

use common::secrets::*;
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
    let app = open(dir.path(), &clock).with_secrets(Box::new(MemoryKeychain::default()));
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

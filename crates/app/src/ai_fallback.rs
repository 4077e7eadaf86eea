//! The explicit, opt-in fallback for the AI key where no OS keychain is usable: a file in the
//! data folder ([`SECRET_FILE`]) sealed with a key derived from the sign-in password of the
//! admin who turned it on (see `tourdesk_secrets::EncryptedFileStore`).
//!
//! Rules: the keychain always wins while it works; the file is never created without an admin
//! asking for it with their password; it is unlocked in memory only by that password (at sign-in,
//! or when it is turned on) and locked again at sign-out or when another user's sign-in cannot
//! open it. Because it is sealed with ONE user's password, other users of the installation see
//! it as locked — fine for a one-person desk, a known limit otherwise. Neither the password nor
//! the key is ever logged, stored in SQLite or put into an error.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tourdesk_core::ai::{AiFallbackState, AiStatus};
use tourdesk_core::{AppError, AppResult, ErrorCode};
use tourdesk_secrets::{EncryptedFileStore, KdfParams, SecretError, SecretStore, SecretValue};

use crate::access::Action;
use crate::{App, Session};

/// The encrypted key file's name inside the data folder.
pub const SECRET_FILE: &str = "secrets.enc";

/// The unlocked encrypted file, when there is one.
#[derive(Default)]
pub(crate) struct UnlockedFile(Mutex<Option<Arc<EncryptedFileStore>>>);

impl UnlockedFile {
    fn get(&self) -> Option<Arc<EncryptedFileStore>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set(&self, file: Option<EncryptedFileStore>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = file.map(Arc::new);
    }
}

/// The store the AI key goes to: the keychain, and only when it fails, the unlocked file.
pub(crate) struct KeyStore {
    keychain: Option<Arc<dyn SecretStore>>,
    file: Option<Arc<EncryptedFileStore>>,
    file_exists: bool,
}

/// Whether a keychain error means "no usable keychain" (as opposed to a bad name).
pub(crate) fn keychain_failed(e: &SecretError) -> bool {
    matches!(
        e,
        SecretError::KeychainUnavailable { .. } | SecretError::Keychain { .. }
    )
}

impl KeyStore {
    fn route<T>(
        &self,
        op: impl Fn(&dyn SecretStore) -> Result<T, SecretError>,
    ) -> Result<T, SecretError> {
        let keychain_error = match &self.keychain {
            Some(keychain) => match op(keychain.as_ref()) {
                Err(e) if keychain_failed(&e) => e,
                other => return other,
            },
            None => SecretError::KeychainUnavailable {
                reason: "no secret store is set up in this installation".to_owned(),
            },
        };
        match &self.file {
            Some(file) => op(file.as_ref()),
            None if self.file_exists => Err(SecretError::KeychainUnavailable {
                reason: "the encrypted key file is locked: sign in as the user who created it"
                    .to_owned(),
            }),
            None => Err(keychain_error),
        }
    }
}

impl SecretStore for KeyStore {
    fn get(&self, service: &str, name: &str) -> Result<Option<SecretValue>, SecretError> {
        self.route(|st| st.get(service, name))
    }
    fn set(&self, service: &str, name: &str, value: &SecretValue) -> Result<(), SecretError> {
        self.route(|st| st.set(service, name, value))
    }
    fn delete(&self, service: &str, name: &str) -> Result<(), SecretError> {
        self.route(|st| st.delete(service, name))
    }
    fn backend_name(&self) -> &'static str {
        self.keychain.as_ref().map_or("none", |k| k.backend_name())
    }
}

/// The app error of an encrypted-file failure (its messages hold a path, never a secret).
fn file_error(e: SecretError) -> AppError {
    match e {
        SecretError::WrongPassword { .. } => AppError::new(
            ErrorCode::InvalidCredentials,
            "the password does not unlock the encrypted key file",
        ),
        other => AppError::new(ErrorCode::KeychainUnavailable, other.to_string()),
    }
}

impl App {
    /// Where the encrypted key file lives.
    pub(crate) fn secret_file_path(&self) -> PathBuf {
        self.data_dir.join(SECRET_FILE)
    }

    /// The store for the AI key: the keychain first, the unlocked file when the keychain fails.
    pub(crate) fn key_store(&self) -> Arc<dyn SecretStore> {
        Arc::new(KeyStore {
            keychain: self.secrets.clone(),
            file: self.secret_file.get(),
            file_exists: self.secret_file_path().exists(),
        })
    }

    /// The fallback's state when the keychain is not usable, with the file (when unlocked).
    pub(crate) fn fallback_without_keychain(
        &self,
    ) -> (AiFallbackState, Option<Arc<EncryptedFileStore>>) {
        match self.secret_file.get() {
            Some(file) => (AiFallbackState::EnabledUnlocked, Some(file)),
            None if self.secret_file_path().exists() => (AiFallbackState::EnabledLocked, None),
            None => (AiFallbackState::Offered, None),
        }
    }

    /// Turns on the encrypted key file (admins only, only while the keychain is unusable):
    /// `password` must be the signed-in admin's sign-in password; the file is created and
    /// unlocked with it.
    pub fn ai_fallback_enable(&self, s: &Session, password: &str) -> AppResult<AiStatus> {
        let _span = tracing::info_span!("ai_fallback_enable").entered();
        self.actor_for(s, Action::ManageAi)?;
        self.verify_own_password(s, password)?;
        if self.ai_status(s)?.fallback == AiFallbackState::NotOffered {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the system keychain works; the key is kept there",
            ));
        }
        let path = self.secret_file_path();
        let secret = SecretValue::new(password);
        let file = if path.exists() {
            // Already on (e.g. turned on again after a lock): it must open with this password.
            EncryptedFileStore::open(&path, &secret).map_err(|e| match e {
                SecretError::WrongPassword { .. } => AppError::new(
                    ErrorCode::Conflict,
                    "an encrypted key file sealed with another user's password exists; \
                     stop using it first",
                ),
                other => file_error(other),
            })?
        } else {
            EncryptedFileStore::create(&path, &secret, KdfParams::default()).map_err(file_error)?
        };
        self.secret_file.set(Some(file));
        tracing::info!("the encrypted key file is turned on and unlocked");
        self.ai_status(s)
    }

    /// Unlocks the encrypted key file with the sign-in password just typed (the shell calls it
    /// right after a sign-in). No file: nothing to do. A password that does not open it leaves
    /// it locked (`invalid_credentials`).
    pub fn ai_fallback_unlock(&self, s: &Session, password: &str) -> AppResult<AiStatus> {
        let _span = tracing::info_span!("ai_fallback_unlock").entered();
        self.actor(s)?;
        let path = self.secret_file_path();
        if !path.exists() {
            self.secret_file.set(None);
            return self.ai_status(s);
        }
        match EncryptedFileStore::open(&path, &SecretValue::new(password)) {
            Ok(file) => {
                self.secret_file.set(Some(file));
                tracing::info!("the encrypted key file is unlocked");
                self.ai_status(s)
            }
            Err(e) => {
                self.secret_file.set(None);
                let e = file_error(e);
                tracing::info!(
                    code = e.code.as_str(),
                    "the encrypted key file stays locked"
                );
                Err(e)
            }
        }
    }

    /// Locks the encrypted key file (the shell calls it at sign-out).
    pub fn ai_fallback_lock(&self) {
        self.secret_file.set(None);
    }

    /// Stops using the encrypted key file (admins only): the file, and the key in it, are
    /// removed. The key must be entered again where it can be kept.
    pub fn ai_fallback_disable(&self, s: &Session) -> AppResult<AiStatus> {
        let _span = tracing::info_span!("ai_fallback_disable").entered();
        self.actor_for(s, Action::ManageAi)?;
        self.secret_file.set(None);
        let path = self.secret_file_path();
        for p in [path.clone(), path.with_extension("enc.tmp")] {
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(AppError::storage(format!(
                        "cannot remove {}: {e}",
                        p.display()
                    )))
                }
            }
        }
        tracing::info!("the encrypted key file was removed");
        self.ai_status(s)
    }

    /// Re-seals the encrypted key file with a user's new sign-in password after they changed it
    /// (best effort: a file sealed with someone else's password is left alone).
    pub(crate) fn ai_fallback_rekey(&self, old: &str, new: &str) {
        let path = self.secret_file_path();
        if !path.exists() {
            return;
        }
        let rekeyed = EncryptedFileStore::open(&path, &SecretValue::new(old)).and_then(|mut f| {
            f.change_password(&SecretValue::new(new), KdfParams::default())
                .map(|()| f)
        });
        match rekeyed {
            Ok(file) => {
                self.secret_file.set(Some(file));
                tracing::info!("the encrypted key file follows the new password");
            }
            Err(SecretError::WrongPassword { .. }) => {
                tracing::info!("the encrypted key file belongs to another user; left as it is");
            }
            Err(e) => tracing::warn!(error = %e, "cannot re-seal the encrypted key file"),
        }
    }
}

//! The explicit opt-in fallback: secrets in a file sealed with a key derived (argon2id) from the
//! user's sign-in password, encrypted with XChaCha20-Poly1305 and a fresh random nonce per write.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::file_format::{Header, NONCE_LEN, SALT_LEN, VERIFIER_LEN};
use crate::store::validate_names;
use crate::{SecretError, SecretStore, SecretValue};

/// Argon2id cost parameters stored in the file header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Number of passes.
    pub iterations: u32,
    /// Degree of parallelism (lanes).
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane: about a quarter of a second on a laptop, once per unlock.
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

impl KdfParams {
    /// Checks the parameters are within sane bounds (a tampered header must not exhaust memory).
    pub(crate) fn check(&self) -> Result<(), String> {
        if !(8..=1024 * 1024).contains(&self.memory_kib) {
            return Err(format!(
                "memory {} KiB is outside 8 KiB..1 GiB",
                self.memory_kib
            ));
        }
        if !(1..=16).contains(&self.iterations) {
            return Err(format!("{} passes is outside 1..16", self.iterations));
        }
        if !(1..=16).contains(&self.parallelism) {
            return Err(format!("{} lanes is outside 1..16", self.parallelism));
        }
        if self.memory_kib < 8 * self.parallelism {
            return Err("memory must be at least 8 KiB per lane".to_owned());
        }
        Ok(())
    }
}

/// One stored secret inside the encrypted payload.
#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct StoredEntry {
    service: String,
    name: String,
    value: String,
}

/// The whole decrypted payload; wiped from memory when dropped.
#[derive(Serialize, Deserialize, Default, Zeroize, ZeroizeOnDrop)]
struct Entries {
    entries: Vec<StoredEntry>,
}

/// Secrets in a password-encrypted file; only for users who explicitly chose it because no
/// OS keychain is usable. The password-derived key is held in memory (wiped on drop).
pub struct EncryptedFileStore {
    path: PathBuf,
    key: Zeroizing<[u8; 32]>,
    header: Header,
    write_lock: Mutex<()>,
}

impl std::fmt::Debug for EncryptedFileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncryptedFileStore")
            .field("path", &self.path)
            .field("key", &"[redacted]")
            .finish()
    }
}

impl EncryptedFileStore {
    /// Creates a new, empty encrypted file at `path` (it must not exist yet).
    pub fn create(
        path: impl Into<PathBuf>,
        password: &SecretValue,
        kdf: KdfParams,
    ) -> Result<Self, SecretError> {
        let path = path.into();
        kdf.check()
            .map_err(|reason| SecretError::Crypto { reason })?;
        if path.exists() {
            return Err(SecretError::Io {
                operation: "create",
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the file already exists",
                ),
            });
        }
        let mut salt = [0u8; SALT_LEN];
        OsRng
            .try_fill_bytes(&mut salt)
            .map_err(|e| SecretError::Crypto {
                reason: format!("no OS randomness for the salt: {e}"),
            })?;
        let (key, verifier) = derive(password, &salt, kdf)?;
        let store = Self {
            path,
            key,
            header: Header {
                kdf,
                salt,
                verifier,
                nonce: [0; NONCE_LEN],
            },
            write_lock: Mutex::new(()),
        };
        store.write(&Entries::default())?;
        Ok(store)
    }

    /// Opens an existing file; a wrong password gives [`SecretError::WrongPassword`].
    pub fn open(path: impl Into<PathBuf>, password: &SecretValue) -> Result<Self, SecretError> {
        let path = path.into();
        let bytes = read_file(&path)?;
        let (header, _) = Header::decode(&bytes).map_err(|reason| SecretError::Corrupted {
            path: path.clone(),
            reason,
        })?;
        let (key, verifier) = derive(password, &header.salt, header.kdf)?;
        if !constant_time_eq(&verifier, &header.verifier) {
            return Err(SecretError::WrongPassword { path });
        }
        let store = Self {
            path,
            key,
            header,
            write_lock: Mutex::new(()),
        };
        // Authenticate the payload now so damage is reported at unlock time, not later.
        store.read()?;
        Ok(store)
    }

    /// Opens the file at `path`, or creates it when it does not exist.
    pub fn open_or_create(
        path: impl Into<PathBuf>,
        password: &SecretValue,
        kdf: KdfParams,
    ) -> Result<Self, SecretError> {
        let path = path.into();
        if path.exists() {
            Self::open(path, password)
        } else {
            Self::create(path, password, kdf)
        }
    }

    /// Re-encrypts every secret under a new password (after the user changed their sign-in
    /// password), with a new salt and the given key-derivation costs.
    pub fn change_password(
        &mut self,
        new_password: &SecretValue,
        kdf: KdfParams,
    ) -> Result<(), SecretError> {
        kdf.check()
            .map_err(|reason| SecretError::Crypto { reason })?;
        let _guard = self
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let entries = self.read()?;
        let mut salt = [0u8; SALT_LEN];
        OsRng
            .try_fill_bytes(&mut salt)
            .map_err(|e| SecretError::Crypto {
                reason: format!("no OS randomness for the salt: {e}"),
            })?;
        let (key, verifier) = derive(new_password, &salt, kdf)?;
        let previous = (std::mem::replace(&mut self.key, key), self.header.clone());
        self.header = Header {
            kdf,
            salt,
            verifier,
            nonce: [0; NONCE_LEN],
        };
        if let Err(error) = self.write(&entries) {
            // The file still holds the old encryption: keep the old key so the store stays usable.
            (self.key, self.header) = previous;
            return Err(error);
        }
        Ok(())
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Decrypts and authenticates the whole file.
    fn read(&self) -> Result<Entries, SecretError> {
        let bytes = read_file(&self.path)?;
        let corrupted = |reason: String| SecretError::Corrupted {
            path: self.path.clone(),
            reason,
        };
        let (header, ciphertext) = Header::decode(&bytes).map_err(corrupted)?;
        if header.salt != self.header.salt
            || header.kdf != self.header.kdf
            || header.verifier != self.header.verifier
        {
            return Err(corrupted(
                "the header no longer matches the unlocked file".to_owned(),
            ));
        }
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let aad = header.encode();
        let plaintext = cipher
            .decrypt(
                XNonce::from_slice(&header.nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| corrupted("authentication of the encrypted payload failed".to_owned()))?;
        serde_json::from_slice(&plaintext).map_err(|e| {
            corrupted(format!(
                "the decrypted payload is not valid: {}",
                json_error_kind(&e)
            ))
        })
    }

    /// Encrypts `entries` with a fresh nonce and atomically replaces the file.
    fn write(&self, entries: &Entries) -> Result<(), SecretError> {
        let mut header = self.header.clone();
        OsRng
            .try_fill_bytes(&mut header.nonce)
            .map_err(|e| SecretError::Crypto {
                reason: format!("no OS randomness for the nonce: {e}"),
            })?;
        let plaintext =
            Zeroizing::new(
                serde_json::to_vec(entries).map_err(|e| SecretError::Crypto {
                    reason: format!("cannot serialise the secrets: {}", json_error_kind(&e)),
                })?,
            );
        let aad = header.encode();
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&header.nonce),
                Payload {
                    msg: &plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| SecretError::Crypto {
                reason: "encryption failed".to_owned(),
            })?;
        let mut bytes = aad;
        bytes.extend_from_slice(&ciphertext);
        write_atomically(&self.path, &bytes)
    }

    /// Runs a read-modify-write under the store's lock.
    fn update(&self, change: impl FnOnce(&mut Entries)) -> Result<(), SecretError> {
        let _guard = self
            .write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut entries = self.read()?;
        change(&mut entries);
        self.write(&entries)
    }
}

impl SecretStore for EncryptedFileStore {
    fn get(&self, service: &str, name: &str) -> Result<Option<SecretValue>, SecretError> {
        validate_names(service, name)?;
        let entries = self.read()?;
        Ok(entries
            .entries
            .iter()
            .find(|e| e.service == service && e.name == name)
            .map(|e| SecretValue::new(e.value.clone())))
    }

    fn set(&self, service: &str, name: &str, value: &SecretValue) -> Result<(), SecretError> {
        validate_names(service, name)?;
        self.update(|entries| {
            entries
                .entries
                .retain(|e| !(e.service == service && e.name == name));
            entries.entries.push(StoredEntry {
                service: service.to_owned(),
                name: name.to_owned(),
                value: value.expose().to_owned(),
            });
        })
    }

    fn delete(&self, service: &str, name: &str) -> Result<(), SecretError> {
        validate_names(service, name)?;
        self.update(|entries| {
            entries
                .entries
                .retain(|e| !(e.service == service && e.name == name))
        })
    }

    fn backend_name(&self) -> &'static str {
        "encrypted-file"
    }
}

/// Derives the 32-byte encryption key and the 32-byte password verifier with argon2id.
fn derive(
    password: &SecretValue,
    salt: &[u8; SALT_LEN],
    kdf: KdfParams,
) -> Result<(Zeroizing<[u8; 32]>, [u8; VERIFIER_LEN]), SecretError> {
    let params =
        Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(64)).map_err(|e| {
            SecretError::Crypto {
                reason: format!("invalid argon2id parameters: {e}"),
            }
        })?;
    let mut output = Zeroizing::new([0u8; 64]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.expose().as_bytes(), salt, output.as_mut())
        .map_err(|e| SecretError::Crypto {
            reason: format!("argon2id key derivation failed: {e}"),
        })?;
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(&output[..32]);
    let mut verifier = [0u8; VERIFIER_LEN];
    verifier.copy_from_slice(&output[32..]);
    Ok((key, verifier))
}

/// Compares two byte arrays without an early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads the whole file.
fn read_file(path: &Path) -> Result<Vec<u8>, SecretError> {
    std::fs::read(path).map_err(|source| SecretError::Io {
        operation: "read",
        path: path.to_owned(),
        source,
    })
}

/// Writes to a sibling temporary file (owner-only on Unix) and renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SecretError> {
    let io = |operation: &'static str, source: std::io::Error| SecretError::Io {
        operation,
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io("create the folder of", e))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    write_private(&temporary, bytes).map_err(|e| io("write", e))?;
    std::fs::rename(&temporary, path).map_err(|e| io("replace", e))
}

/// Creates or truncates a file readable only by its owner (on Unix) and writes `bytes` to it.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Describes a JSON error by category and position only: serde_json's own message may quote
/// the secret text it choked on.
fn json_error_kind(error: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        error.classify(),
        error.line(),
        error.column()
    )
}

//! The OS keychain store (Secret Service, macOS Keychain, Windows Credential Manager).

use std::sync::mpsc;
use std::time::Duration;

use keyring::Entry;

use crate::platform;
use crate::store::validate_names;
use crate::{SecretError, SecretStore, SecretValue};

/// Name of the throw-away secret written and removed by the availability probe.
const PROBE_NAME: &str = "tourdesk-keychain-probe";

/// Whether the OS keychain can be used right now, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// A probe secret was written, read back and removed.
    Available {
        /// The backend that answered, e.g. "secret-service".
        backend: &'static str,
    },
    /// The keychain cannot be used; `reason` is fit to show on the settings page.
    Unavailable {
        /// What went wrong, e.g. "no D-Bus session bus".
        reason: String,
    },
}

impl Availability {
    /// True when the keychain answered the probe.
    pub fn is_available(&self) -> bool {
        matches!(self, Availability::Available { .. })
    }
}

/// Secrets in the OS keychain. Calls block on the platform (D-Bus on Linux): run them off the
/// async runtime (e.g. `tokio::task::spawn_blocking`).
#[derive(Debug, Clone, Default)]
pub struct KeychainStore {
    _private: (),
}

impl KeychainStore {
    /// Creates the store; nothing is contacted until the first call.
    pub fn new() -> Self {
        Self { _private: () }
    }

    /// Probes the keychain by writing, reading back and deleting a throw-away secret under
    /// `service`, giving up after `timeout` (a locked keyring may wait for an unlock prompt).
    pub fn availability(&self, service: &str, timeout: Duration) -> Availability {
        if let Err(error) = validate_names(service, PROBE_NAME) {
            return Availability::Unavailable {
                reason: error.to_string(),
            };
        }
        let (sender, receiver) = mpsc::channel();
        let probe_service = service.to_owned();
        let spawned = std::thread::Builder::new()
            .name("keychain-probe".into())
            .spawn(move || {
                // The receiver may be gone after a time-out; nothing is left to tell then.
                let _ = sender.send(probe(&probe_service));
            });
        if let Err(error) = spawned {
            return Availability::Unavailable {
                reason: format!("cannot start the keychain probe thread: {error}"),
            };
        }
        match receiver.recv_timeout(timeout) {
            Ok(Ok(())) => Availability::Available {
                backend: platform::BACKEND_NAME,
            },
            Ok(Err(reason)) => Availability::Unavailable {
                reason: with_hint(reason),
            },
            Err(_) => Availability::Unavailable {
                reason: with_hint(format!(
                    "the keychain did not answer within {} ms (is it locked and waiting for an unlock prompt?)",
                    timeout.as_millis()
                )),
            },
        }
    }
}

/// Writes, reads back and deletes the probe secret; returns the first failure's reason.
fn probe(service: &str) -> Result<(), String> {
    let entry = entry(service, PROBE_NAME).map_err(|e| describe(&e))?;
    let marker = "probe";
    entry
        .set_password(marker)
        .map_err(|e| format!("cannot store: {}", describe(&e)))?;
    let read = entry
        .get_password()
        .map_err(|e| format!("cannot read back: {}", describe(&e)))?;
    if read != marker {
        return Err("the keychain returned a different value than was stored".to_owned());
    }
    entry
        .delete_credential()
        .map_err(|e| format!("cannot delete: {}", describe(&e)))?;
    Ok(())
}

/// Adds the OS-specific hint (e.g. no D-Bus session) to a reason, when it applies.
fn with_hint(reason: String) -> String {
    match platform::environment_hint() {
        Some(hint) => format!("{hint}; {reason}"),
        None => reason,
    }
}

/// Builds a keyring entry on the real platform credential.
fn entry(service: &str, name: &str) -> keyring::Result<Entry> {
    Ok(Entry::new_with_credential(platform::credential(
        service, name,
    )?))
}

/// Renders a keyring error without any secret: BadEncoding's bytes and Ambiguous's items are
/// left out on purpose.
fn describe(error: &keyring::Error) -> String {
    match error {
        keyring::Error::PlatformFailure(inner) => format!("platform failure: {inner}"),
        keyring::Error::NoStorageAccess(inner) => {
            format!("the keyring is locked or has no default collection: {inner}")
        }
        keyring::Error::NoEntry => "no such entry".to_owned(),
        keyring::Error::BadEncoding(_) => "the stored value is not UTF-8 text".to_owned(),
        keyring::Error::TooLong(attribute, limit) => {
            format!("attribute '{attribute}' is longer than the platform limit of {limit}")
        }
        keyring::Error::Invalid(attribute, reason) => {
            format!("attribute '{attribute}' is invalid: {reason}")
        }
        keyring::Error::Ambiguous(items) => {
            format!("{} keychain entries match this secret", items.len())
        }
        _ => "unrecognised keychain error".to_owned(),
    }
}

/// Maps a keyring error of one operation to a typed error.
fn map_error(
    operation: &'static str,
    service: &str,
    name: &str,
    error: &keyring::Error,
) -> SecretError {
    match error {
        keyring::Error::NoStorageAccess(_) => SecretError::KeychainUnavailable {
            reason: with_hint(describe(error)),
        },
        _ => SecretError::Keychain {
            operation,
            service: service.to_owned(),
            name: name.to_owned(),
            reason: describe(error),
        },
    }
}

impl SecretStore for KeychainStore {
    fn get(&self, service: &str, name: &str) -> Result<Option<SecretValue>, SecretError> {
        validate_names(service, name)?;
        let entry = entry(service, name).map_err(|e| map_error("read", service, name, &e))?;
        match entry.get_password() {
            Ok(value) => Ok(Some(SecretValue::from(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(map_error("read", service, name, &error)),
        }
    }

    fn set(&self, service: &str, name: &str, value: &SecretValue) -> Result<(), SecretError> {
        validate_names(service, name)?;
        let entry = entry(service, name).map_err(|e| map_error("store", service, name, &e))?;
        entry
            .set_password(value.expose())
            .map_err(|e| map_error("store", service, name, &e))
    }

    fn delete(&self, service: &str, name: &str) -> Result<(), SecretError> {
        validate_names(service, name)?;
        let entry = entry(service, name).map_err(|e| map_error("delete", service, name, &e))?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(map_error("delete", service, name, &error)),
        }
    }

    fn backend_name(&self) -> &'static str {
        platform::BACKEND_NAME
    }
}

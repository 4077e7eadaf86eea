//! Typed errors of the secret stores; none of them ever carries a secret value.

use std::path::PathBuf;

/// Why a secret operation failed. Messages name the service, secret name or file, never the value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// No usable OS keychain (no D-Bus session, no Secret Service, locked or refused keyring).
    #[error("the OS keychain is not available: {reason}")]
    KeychainUnavailable {
        /// Human-readable cause, e.g. "no D-Bus session bus".
        reason: String,
    },
    /// The keychain answered with an error for one operation.
    #[error(
        "the OS keychain failed to {operation} secret '{name}' of service '{service}': {reason}"
    )]
    Keychain {
        /// The operation: "read", "store" or "delete".
        operation: &'static str,
        /// The service the secret belongs to.
        service: String,
        /// The secret's name.
        name: String,
        /// The platform's reason, with no secret in it.
        reason: String,
    },
    /// A service or secret name is not acceptable.
    #[error("the secret {field} {reason}")]
    InvalidName {
        /// "service" or "name".
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The password does not open the encrypted secrets file.
    #[error("the password does not unlock the encrypted secrets file {}", path.display())]
    WrongPassword {
        /// The file that was opened.
        path: PathBuf,
    },
    /// The encrypted secrets file was modified or damaged.
    #[error("the encrypted secrets file {} is damaged or was tampered with: {reason}", path.display())]
    Corrupted {
        /// The damaged file.
        path: PathBuf,
        /// What check failed.
        reason: String,
    },
    /// Reading or writing the encrypted secrets file failed.
    #[error("cannot {operation} the encrypted secrets file {}: {source}", path.display())]
    Io {
        /// "read", "write", "create the folder of" or "replace".
        operation: &'static str,
        /// The file involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Key derivation or encryption failed (bad parameters, no OS randomness).
    #[error("cryptographic failure in the encrypted secrets file: {reason}")]
    Crypto {
        /// What failed.
        reason: String,
    },
}

//! Secret storage for Tourdesk.
//!
//! Secrets (the LLM key, the Telegram token, server credentials) live behind [`SecretStore`].
//! The shipped store is the OS keychain ([`KeychainStore`]); where none is usable,
//! [`KeychainStore::availability`] says why, and the user may opt in to [`EncryptedFileStore`],
//! a file sealed with a key derived from their sign-in password. There is no plain-file or
//! in-memory store in this crate, on purpose.

#![warn(missing_docs)]

mod encrypted_file;
mod error;
mod file_format;
mod keychain;
mod platform;
mod store;
mod value;

pub use encrypted_file::{EncryptedFileStore, KdfParams};
pub use error::SecretError;
pub use keychain::{Availability, KeychainStore};
pub use store::SecretStore;
pub use value::SecretValue;

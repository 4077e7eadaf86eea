//! The `SecretStore` trait every secret backend implements.

use crate::{SecretError, SecretValue};

/// Stores named secrets per service (e.g. service `tourdesk`, name `llm-api-key`).
///
/// Implementations never put a secret value into an error, a log line or a `Debug` output.
pub trait SecretStore: Send + Sync {
    /// Reads a secret; `Ok(None)` when it was never set or has been deleted.
    fn get(&self, service: &str, name: &str) -> Result<Option<SecretValue>, SecretError>;

    /// Creates or replaces a secret.
    fn set(&self, service: &str, name: &str, value: &SecretValue) -> Result<(), SecretError>;

    /// Removes a secret; removing one that does not exist succeeds.
    fn delete(&self, service: &str, name: &str) -> Result<(), SecretError>;

    /// A short, stable name of the backend for the settings page and logs.
    fn backend_name(&self) -> &'static str;
}

/// Longest service or secret name accepted by every backend.
pub(crate) const MAX_NAME_LEN: usize = 128;

/// Rejects empty, overlong or control-character names before any backend sees them.
pub(crate) fn validate_names(service: &str, name: &str) -> Result<(), SecretError> {
    for (field, value) in [("service", service), ("name", name)] {
        let reason = if value.is_empty() {
            Some("is empty")
        } else if value.len() > MAX_NAME_LEN {
            Some("is longer than 128 bytes")
        } else if value.chars().any(char::is_control) {
            Some("contains control characters")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(SecretError::InvalidName {
                field,
                reason: reason.to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate_names;

    #[test]
    fn names_must_be_non_empty_and_printable() {
        assert!(validate_names("tourdesk", "llm-api-key").is_ok());
        assert!(validate_names("", "llm-api-key").is_err());
        assert!(validate_names("tourdesk", "a\nb").is_err());
        assert!(validate_names("tourdesk", &"x".repeat(129)).is_err());
    }
}

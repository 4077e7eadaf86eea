//! A secret value that redacts itself in `Debug` and wipes its memory on drop.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret string; `Debug` never shows it and its bytes are zeroed when dropped.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretValue(String);

impl SecretValue {
    /// Wraps a secret string.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the secret itself; call only where it must leave this type (e.g. an HTTP header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretValue {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretValue {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::SecretValue;

    #[test]
    fn debug_output_never_shows_the_secret() {
        let value = SecretValue::new("sk-very-secret");
        let shown = format!("{value:?}");
        assert!(!shown.contains("sk-very-secret"), "{shown}");
        assert_eq!(value.expose(), "sk-very-secret");
    }
}

//! AI provider settings, status, connection test results and usage as the UI sees them.
//! The API key is never part of any of these types.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which kind of OpenAI-compatible provider the organisation uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum AiPreset {
    /// api.openai.com.
    #[default]
    Openai,
    /// openrouter.ai.
    Openrouter,
    /// A local Ollama (no key).
    Ollama,
    /// Any other OpenAI-compatible endpoint.
    Custom,
}

impl AiPreset {
    /// Every preset, in the order the settings page lists them.
    pub const ALL: [AiPreset; 4] = [
        AiPreset::Openai,
        AiPreset::Openrouter,
        AiPreset::Ollama,
        AiPreset::Custom,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AiPreset::Openai => "openai",
            AiPreset::Openrouter => "openrouter",
            AiPreset::Ollama => "ollama",
            AiPreset::Custom => "custom",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The preset's default base URL (empty for a custom endpoint).
    pub fn default_base_url(self) -> &'static str {
        match self {
            AiPreset::Openai => "https://api.openai.com/v1",
            AiPreset::Openrouter => "https://openrouter.ai/api/v1",
            AiPreset::Ollama => "http://127.0.0.1:11434/v1",
            AiPreset::Custom => "",
        }
    }

    /// Whether the provider needs an API key (a local Ollama does not; a custom endpoint may
    /// work either way, so a key is used when one is stored).
    pub fn needs_key(self) -> bool {
        matches!(self, AiPreset::Openai | AiPreset::Openrouter)
    }
}

/// The organisation's AI provider settings (the key lives in the OS keychain, not here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct AiSettings {
    /// Provider kind.
    pub preset: AiPreset,
    /// API root up to and including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    /// Model name as the provider knows it.
    pub model: String,
}

/// Whether the place secrets are kept can be used now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeychainState {
    /// True when the secret store answered.
    pub available: bool,
    /// The backend's short name, e.g. `secret-service`.
    pub backend: String,
    /// Why it cannot be used (English detail), when it cannot.
    #[ts(optional = nullable)]
    pub reason: Option<String>,
}

/// What the settings page shows about AI: configured or not, key present or not, keychain state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AiStatus {
    /// True when a base URL and a model are set (and a key, when the preset needs one).
    pub configured: bool,
    /// True when the preset needs an API key.
    pub key_required: bool,
    /// True when a key is stored; the key itself never leaves the secret store this way.
    pub key_present: bool,
    /// The secret store's state.
    pub keychain: KeychainState,
    /// The opt-in encrypted-file fallback for installations without a usable keychain.
    pub fallback: AiFallbackState,
}

/// The opt-in fallback for the API key: a file in the data folder sealed with a key derived from
/// the sign-in password of the admin who turned it on. Never used while the keychain works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AiFallbackState {
    /// The keychain works; the file is neither needed nor offered.
    NotOffered,
    /// No keychain and no file: the settings page offers the file, and no key is stored.
    Offered,
    /// The file exists but this session has not unlocked it (another user signed in, or the
    /// password did not open it).
    EnabledLocked,
    /// The file exists and is unlocked: the key is read from and written to it.
    EnabledUnlocked,
}

/// Why a model call failed, mirroring the AI crate's closed set of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AiFailure {
    /// No base URL or model (or key) is set.
    NotConfigured,
    /// The provider cannot be reached.
    Unreachable,
    /// The provider refused the key.
    Unauthorized,
    /// The provider keeps answering 429.
    RateLimited,
    /// The provider failed (5xx) or rejected the request (4xx).
    ServerError,
    /// No answer in time.
    Timeout,
    /// The reply was not what was asked for.
    MalformedOutput,
    /// The reply was empty.
    EmptyOutput,
    /// Structured output did not match its schema.
    SchemaMismatch,
}

impl AiFailure {
    /// Every failure, for translation tables and tests.
    pub const ALL: [AiFailure; 9] = [
        AiFailure::NotConfigured,
        AiFailure::Unreachable,
        AiFailure::Unauthorized,
        AiFailure::RateLimited,
        AiFailure::ServerError,
        AiFailure::Timeout,
        AiFailure::MalformedOutput,
        AiFailure::EmptyOutput,
        AiFailure::SchemaMismatch,
    ];

    /// The stable snake_case code (the same text serde writes).
    pub fn code(self) -> &'static str {
        match self {
            AiFailure::NotConfigured => "not_configured",
            AiFailure::Unreachable => "unreachable",
            AiFailure::Unauthorized => "unauthorized",
            AiFailure::RateLimited => "rate_limited",
            AiFailure::ServerError => "server_error",
            AiFailure::Timeout => "timeout",
            AiFailure::MalformedOutput => "malformed_output",
            AiFailure::EmptyOutput => "empty_output",
            AiFailure::SchemaMismatch => "schema_mismatch",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The result of "test connection": the model answered, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AiTestResult {
    /// True when the model answered.
    pub ok: bool,
    /// The model that was asked.
    pub model: String,
    /// Wall time of the call in milliseconds.
    #[ts(type = "number")]
    pub latency_ms: u64,
    /// Why it failed, when it did.
    #[ts(optional = nullable)]
    pub failure: Option<AiFailure>,
    /// English detail of the failure (never the key).
    #[ts(optional = nullable)]
    pub detail: Option<String>,
}

/// Model calls of one UTC day, for the usage table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AiUsageDay {
    /// The UTC day, `YYYY-MM-DD`.
    pub day: String,
    /// Calls made.
    #[ts(type = "number")]
    pub calls: u64,
    /// Calls that failed.
    #[ts(type = "number")]
    pub failures: u64,
    /// Prompt tokens.
    #[ts(type = "number")]
    pub tokens_in: u64,
    /// Completion tokens.
    #[ts(type = "number")]
    pub tokens_out: u64,
}

/// The signed-in user's language for translations; `None` follows the UI language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ManagerLanguage {
    /// The chosen language code, or `None` for "the UI language".
    #[ts(optional = nullable)]
    pub chosen: Option<String>,
    /// The language actually used: the chosen one or the UI language.
    pub effective: String,
}

#[cfg(test)]
mod tests {
    use super::{AiFailure, AiPreset};

    #[test]
    fn preset_and_failure_codes_round_trip() {
        for p in AiPreset::ALL {
            assert_eq!(AiPreset::from_code(p.code()), Some(p));
        }
        for f in AiFailure::ALL {
            assert_eq!(AiFailure::from_code(f.code()), Some(f));
            assert_eq!(
                serde_json::to_string(&f).ok(),
                Some(format!("\"{}\"", f.code()))
            );
        }
    }
}

//! The typed error of every provider call, with a closed set of stable codes for the UI.

use std::time::Duration;

/// Why a model call failed. Messages never contain the API key, the prompt or the reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// No provider is set up (missing base URL or model), or the endpoint/model does not exist.
    #[error("the AI provider is not configured: {reason}")]
    NotConfigured {
        /// What is missing or wrong, e.g. "no model is set".
        reason: String,
    },
    /// The provider could not be reached (DNS, refused connection, TLS, reset).
    #[error(
        "the AI provider at {endpoint} cannot be reached after {attempts} attempt(s): {detail}"
    )]
    Unreachable {
        /// Scheme, host and port only; never credentials or the path's query.
        endpoint: String,
        /// The transport's reason.
        detail: String,
        /// HTTP attempts made.
        attempts: u32,
    },
    /// The provider refused the API key (HTTP 401 or 403).
    #[error("the AI provider refused the API key (HTTP {status})")]
    Unauthorized {
        /// 401 or 403.
        status: u16,
    },
    /// The provider kept answering HTTP 429.
    #[error("the AI provider is rate limiting requests (gave up after {attempts} attempt(s))")]
    RateLimited {
        /// The last Retry-After the provider asked for, if any.
        retry_after: Option<Duration>,
        /// HTTP attempts made.
        attempts: u32,
    },
    /// The provider failed (HTTP 5xx) or rejected the request (other HTTP 4xx).
    #[error("the AI provider failed with HTTP {status} after {attempts} attempt(s)")]
    ServerError {
        /// The last HTTP status.
        status: u16,
        /// HTTP attempts made.
        attempts: u32,
    },
    /// No complete answer arrived within the configured time.
    #[error("the AI provider did not answer within {} ms", after.as_millis())]
    Timeout {
        /// The per-attempt time-out that elapsed.
        after: Duration,
    },
    /// The reply was not the JSON that was asked for (HTTP body or structured content).
    #[error("the AI provider's reply is malformed: {detail}")]
    MalformedOutput {
        /// Where parsing failed (position, not content).
        detail: String,
    },
    /// The reply had no content.
    #[error("the AI provider returned an empty reply")]
    EmptyOutput,
    /// The structured reply did not match the schema, even after one repair attempt.
    #[error("the AI provider's reply does not match the expected format: {}", errors.join("; "))]
    SchemaMismatch {
        /// Validation errors as JSON pointers and rules, never values.
        errors: Vec<String>,
    },
}

impl LlmError {
    /// A stable snake_case code for the UI to translate.
    pub fn code(&self) -> &'static str {
        match self {
            LlmError::NotConfigured { .. } => "not_configured",
            LlmError::Unreachable { .. } => "unreachable",
            LlmError::Unauthorized { .. } => "unauthorized",
            LlmError::RateLimited { .. } => "rate_limited",
            LlmError::ServerError { .. } => "server_error",
            LlmError::Timeout { .. } => "timeout",
            LlmError::MalformedOutput { .. } => "malformed_output",
            LlmError::EmptyOutput => "empty_output",
            LlmError::SchemaMismatch { .. } => "schema_mismatch",
        }
    }

    /// Every code this enum can produce, for UI translation tables and tests.
    pub const CODES: [&'static str; 9] = [
        "not_configured",
        "unreachable",
        "unauthorized",
        "rate_limited",
        "server_error",
        "timeout",
        "malformed_output",
        "empty_output",
        "schema_mismatch",
    ];
}

#[cfg(test)]
mod tests {
    use super::LlmError;
    use std::time::Duration;

    #[test]
    fn every_variant_has_a_distinct_listed_code() {
        let all = [
            LlmError::NotConfigured {
                reason: String::new(),
            },
            LlmError::Unreachable {
                endpoint: String::new(),
                detail: String::new(),
                attempts: 1,
            },
            LlmError::Unauthorized { status: 401 },
            LlmError::RateLimited {
                retry_after: None,
                attempts: 1,
            },
            LlmError::ServerError {
                status: 500,
                attempts: 1,
            },
            LlmError::Timeout {
                after: Duration::from_secs(1),
            },
            LlmError::MalformedOutput {
                detail: String::new(),
            },
            LlmError::EmptyOutput,
            LlmError::SchemaMismatch { errors: vec![] },
        ];
        let codes: Vec<&str> = all.iter().map(LlmError::code).collect();
        assert_eq!(codes, LlmError::CODES.to_vec());
    }
}

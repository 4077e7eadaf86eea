//! Provider settings: endpoint, model, key, time-outs, retry policy and logging switch.

use std::time::Duration;

/// An API key; `Debug` shows only whether one is set, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key read from the secret store.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

/// How structured (JSON) output is requested from the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StructuredMode {
    /// `response_format: json_schema`; on HTTP 400 fall back once to `JsonObject`.
    #[default]
    Auto,
    /// Always `response_format: json_schema` (OpenAI, OpenRouter, recent Ollama).
    JsonSchema,
    /// `response_format: json_object` with the schema spelled out in a system message.
    JsonObject,
}

/// When and how long to wait before retrying a failed attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Total HTTP attempts per exchange, first included (at least 1).
    pub max_attempts: u32,
    /// Delay before the second attempt; doubles each time.
    pub base_delay: Duration,
    /// Upper bound of the exponential delay.
    pub max_delay: Duration,
    /// A Retry-After longer than this ends the call as rate limited instead of waiting.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, 500 ms doubling up to 8 s, Retry-After honoured up to 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `next_attempt` (2, 3, …): exponential with "equal jitter"
    /// (`jitter` in 0..=1 picks within the upper half), and never less than `retry_after`.
    pub fn delay(&self, next_attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let exponent = next_attempt.saturating_sub(2).min(20);
        let exponential = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let half = exponential / 2;
        let jittered = half + half.mul_f64(jitter.clamp(0.0, 1.0));
        match retry_after {
            Some(wait) => wait.max(jittered),
            None => jittered,
        }
    }
}

/// Settings of an OpenAI-compatible provider.
#[derive(Clone)]
pub struct ProviderConfig {
    /// API root up to and including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    /// Model name as the provider knows it, e.g. `gpt-4o-mini` or `llama3.1:8b`.
    pub model: String,
    /// Bearer key; `None` for providers without one (a local Ollama).
    pub api_key: Option<ApiKey>,
    /// Time allowed to open the TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Time allowed for one whole attempt (connect, send, full reply).
    pub request_timeout: Duration,
    /// Retry policy for 429, 5xx and connection failures.
    pub retry: RetryPolicy,
    /// How structured output is requested.
    pub structured_mode: StructuredMode,
    /// Log prompts and replies at debug level (never the key). Off by default.
    pub debug_logging: bool,
}

impl ProviderConfig {
    /// A configuration with default time-outs (connect 5 s, attempt 60 s) and retries.
    pub fn new(
        base_url: impl Into<String>,
        model: impl Into<String>,
        api_key: Option<ApiKey>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            structured_mode: StructuredMode::Auto,
            debug_logging: false,
        }
    }

    /// Preset for OpenAI.
    pub fn openai(model: impl Into<String>, api_key: ApiKey) -> Self {
        Self::new("https://api.openai.com/v1", model, Some(api_key))
    }

    /// Preset for OpenRouter.
    pub fn openrouter(model: impl Into<String>, api_key: ApiKey) -> Self {
        Self::new("https://openrouter.ai/api/v1", model, Some(api_key))
    }

    /// Preset for a local Ollama (no key).
    pub fn ollama(model: impl Into<String>) -> Self {
        Self::new("http://127.0.0.1:11434/v1", model, None)
    }
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("structured_mode", &self.structured_mode)
            .field("debug_logging", &self.debug_logging)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiKey, ProviderConfig, RetryPolicy};
    use std::time::Duration;

    #[test]
    fn config_debug_output_redacts_the_key() {
        let config = ProviderConfig::openai("gpt-4o-mini", ApiKey::new("sk-live-abcdef123456"));
        let shown = format!("{config:?} {:?}", config.api_key);
        assert!(!shown.contains("sk-live-abcdef123456"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn backoff_doubles_per_attempt_and_stays_under_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(30),
        };
        assert_eq!(policy.delay(2, None, 1.0), Duration::from_millis(100));
        assert_eq!(policy.delay(3, None, 1.0), Duration::from_millis(200));
        assert_eq!(policy.delay(4, None, 0.0), Duration::from_millis(200));
        assert_eq!(policy.delay(9, None, 1.0), Duration::from_millis(1000));
        assert_eq!(policy.delay(60, None, 1.0), Duration::from_millis(1000));
    }

    #[test]
    fn retry_after_sets_the_minimum_wait() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(7)), 0.5),
            Duration::from_secs(7)
        );
    }
}

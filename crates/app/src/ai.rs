//! AI provider settings, the API key in the secret store, "test connection" and model usage.
//!
//! The key is written to and read from the [`SecretStore`] given to [`App::with_secrets`] and is
//! never stored in SQLite, logged, returned, or put into an error. `crates/ai` is async while
//! the app is sync: a model call runs on a small current-thread Tokio runtime inside a scoped
//! thread of its own, so it works the same from the CLI, tests and a Tauri worker (which
//! already runs a runtime) and blocks only its caller.

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DurationRound, TimeDelta};
use tourdesk_ai::{
    ApiKey, ChatMessage, ChatRequest, LlmError, LlmProvider, OpenAiCompatProvider, ProviderConfig,
    RetryPolicy, UsageRecord, UsageSink,
};
use tourdesk_core::ai::{
    AiFailure, AiFallbackState, AiPreset, AiSettings, AiStatus, AiTestResult, AiUsageDay,
    KeychainState, ManagerLanguage,
};
use tourdesk_core::validate::{self, MAX_NAME, MAX_SHORT};
use tourdesk_core::{AppError, AppResult, ErrorCode, Language, TenantId};
use tourdesk_secrets::{SecretError, SecretStore, SecretValue};
use tourdesk_store::{ai_settings, llm_usage, users, Store};

use crate::access::Action;
use crate::{App, Clock, Session};

/// The keychain service every Tourdesk secret is filed under.
pub const SECRET_SERVICE: &str = "tourdesk";

/// How long a secret store may take to answer before it counts as unavailable.
const SECRET_TIMEOUT: Duration = Duration::from_secs(10);

/// How many days the usage table covers, today included.
pub const USAGE_DAYS: i64 = 30;

/// Longest API key accepted.
const MAX_KEY: usize = 4096;

/// The purpose recorded for "test connection" calls.
pub const TEST_PURPOSE: &str = "settings.test_connection";

/// The secret name of an organisation's LLM key.
fn key_name(tenant: TenantId) -> String {
    format!("llm-api-key.{tenant}")
}

/// Records every provider call in `llm_usage`, stamped with the app's clock.
pub struct StoreUsageSink {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    tenant: TenantId,
}

impl StoreUsageSink {
    /// A sink for one organisation's calls.
    pub(crate) fn new(store: Arc<Store>, clock: Arc<dyn Clock>, tenant: TenantId) -> Self {
        Self {
            store,
            clock,
            tenant,
        }
    }
}

impl UsageSink for StoreUsageSink {
    fn record(&self, record: UsageRecord) {
        let row = llm_usage::UsageRow {
            at: self.clock.now(),
            purpose: record.purpose,
            model: record.model,
            latency_ms: record.latency_ms,
            tokens_in: record.tokens_in,
            tokens_out: record.tokens_out,
            outcome: record.outcome.to_owned(),
            attempts: record.attempts,
        };
        if let Err(e) = self
            .store
            .write(|tx| llm_usage::insert(tx, self.tenant, &row))
        {
            tracing::warn!(error = %e, "cannot record a model call");
        }
    }
}

/// A secret-store error as an app error (the store's messages never hold the secret).
fn secret_error(e: SecretError) -> AppError {
    match e {
        SecretError::InvalidName { .. } => AppError::internal(e.to_string()),
        other => AppError::new(ErrorCode::KeychainUnavailable, other.to_string()),
    }
}

/// Runs one secret-store call on its own thread and gives up after [`SECRET_TIMEOUT`] (a locked
/// keyring may wait for an unlock prompt that never comes).
fn secret_call<T: Send + 'static>(
    store: &Arc<dyn SecretStore>,
    f: impl FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
) -> AppResult<T> {
    let store = Arc::clone(store);
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("secret-store".into())
        .spawn(move || {
            // The receiver is gone after a time-out; there is nobody left to tell.
            let _ = tx.send(f(store.as_ref()));
        })
        .map_err(|e| AppError::internal(format!("cannot start the secret-store thread: {e}")))?;
    match rx.recv_timeout(SECRET_TIMEOUT) {
        Ok(result) => result.map_err(secret_error),
        Err(_) => Err(AppError::new(
            ErrorCode::KeychainUnavailable,
            format!(
                "the keychain did not answer within {} s (is it locked?)",
                SECRET_TIMEOUT.as_secs()
            ),
        )),
    }
}

/// Checks a base URL: http(s), a host, no spaces, and no credentials or query (keys belong in
/// the key field, never in SQLite).
fn base_url(value: &str) -> AppResult<String> {
    let v = validate::required_text(value, "base_url", MAX_SHORT)?;
    let bad = |why: &str| AppError::field(ErrorCode::InvalidText, "base_url", why.to_owned());
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or_else(|| bad("the base URL must start with http:// or https://"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() || v.chars().any(char::is_whitespace) {
        return Err(bad("the base URL needs a host and no spaces"));
    }
    if authority.contains('@') || v.contains('?') || v.contains('#') {
        return Err(bad(
            "the base URL must not carry credentials or a query; put the key in the key field",
        ));
    }
    Ok(v.trim_end_matches('/').to_owned())
}

/// The typed failure of an LLM error.
pub(crate) fn failure(e: &LlmError) -> AiFailure {
    AiFailure::from_code(e.code()).unwrap_or(AiFailure::ServerError)
}

/// Runs a future to completion on a fresh current-thread runtime in a scoped thread, carrying
/// the caller's tracing span.
pub(crate) fn block_on<T: Send>(fut: impl std::future::Future<Output = T> + Send) -> AppResult<T> {
    let span = tracing::Span::current();
    std::thread::scope(|scope| {
        let handle = scope.spawn(move || {
            let _entered = span.enter();
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(fut))
        });
        match handle.join() {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(e)) => Err(AppError::internal(format!(
                "cannot start the AI runtime: {e}"
            ))),
            Err(_) => Err(AppError::internal("the AI call panicked")),
        }
    })
}

impl App {
    /// The organisation's AI settings (defaults when never saved).
    pub fn ai_settings_get(&self, s: &Session) -> AppResult<AiSettings> {
        let _span = tracing::info_span!("ai_settings_get").entered();
        let a = self.actor(s)?;
        Ok(self
            .store
            .read(|c| ai_settings::get(c, a.tenant))?
            .unwrap_or_else(|| AiSettings {
                preset: AiPreset::Openai,
                base_url: AiPreset::Openai.default_base_url().to_owned(),
                model: String::new(),
            }))
    }

    /// Saves the AI provider settings (admins only).
    pub fn ai_settings_update(&self, s: &Session, input: &AiSettings) -> AppResult<AiSettings> {
        let _span = tracing::info_span!("ai_settings_update").entered();
        let a = self.actor_for(s, Action::ManageAi)?;
        let settings = AiSettings {
            preset: input.preset,
            base_url: base_url(&input.base_url)?,
            model: validate::required_text(&input.model, "model", MAX_NAME)?,
        };
        let now = self.now();
        self.store
            .write(|tx| ai_settings::upsert(tx, a.tenant, &settings, now))?;
        tracing::info!(preset = settings.preset.code(), model = %settings.model, "AI settings saved");
        Ok(settings)
    }

    /// Stores the organisation's API key in the secret store (admins only). The key is never
    /// written to SQLite, logged or returned.
    pub fn ai_key_set(&self, s: &Session, key: &str) -> AppResult<()> {
        let _span = tracing::info_span!("ai_key_set").entered();
        let a = self.actor_for(s, Action::ManageAi)?;
        let key = key.trim();
        if key.is_empty() {
            return Err(AppError::field(
                ErrorCode::Required,
                "api_key",
                "the key is empty",
            ));
        }
        if key.len() > MAX_KEY || key.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(AppError::field(
                ErrorCode::InvalidText,
                "api_key",
                "the key must be one line without spaces, at most 4096 bytes",
            ));
        }
        let value = SecretValue::new(key);
        let name = key_name(a.tenant);
        secret_call(&self.key_store(), move |st| {
            st.set(SECRET_SERVICE, &name, &value)
        })?;
        tracing::info!("AI key stored in the secret store");
        Ok(())
    }

    /// Removes the organisation's API key from the secret store (admins only).
    pub fn ai_key_clear(&self, s: &Session) -> AppResult<()> {
        let _span = tracing::info_span!("ai_key_clear").entered();
        let a = self.actor_for(s, Action::ManageAi)?;
        let name = key_name(a.tenant);
        secret_call(&self.key_store(), move |st| {
            st.delete(SECRET_SERVICE, &name)
        })?;
        tracing::info!("AI key removed from the secret store");
        Ok(())
    }

    /// Reads the organisation's key (`Ok(None)` when none is stored).
    fn ai_key(&self, tenant: TenantId) -> AppResult<Option<SecretValue>> {
        let name = key_name(tenant);
        secret_call(&self.key_store(), move |st| st.get(SECRET_SERVICE, &name))
    }

    /// The organisation's provider with these time-outs and retries, recording every call in
    /// usage; `None` when none is set up (no settings or model, or no key where one is needed
    /// or the keychain cannot give it).
    pub(crate) fn llm_provider(
        &self,
        tenant: TenantId,
        limits: &crate::TranslatorLimits,
    ) -> AppResult<Option<Arc<dyn LlmProvider>>> {
        let Some(settings) = self.store.read(|c| ai_settings::get(c, tenant))? else {
            return Ok(None);
        };
        if settings.base_url.trim().is_empty() || settings.model.trim().is_empty() {
            return Ok(None);
        }
        let key = match self.ai_key(tenant) {
            Ok(key) => key,
            Err(e) => {
                tracing::warn!(error = %e, "the AI key cannot be read");
                None
            }
        };
        if key.is_none() && settings.preset.needs_key() {
            return Ok(None);
        }
        let mut config = ProviderConfig::new(
            settings.base_url,
            settings.model,
            key.map(|k| ApiKey::new(k.expose())),
        );
        config.connect_timeout = limits.connect_timeout;
        config.request_timeout = limits.request_timeout;
        config.retry = RetryPolicy {
            max_attempts: limits.max_attempts.max(1),
            base_delay: limits.retry_base_delay,
            ..RetryPolicy::default()
        };
        let sink = Arc::new(StoreUsageSink::new(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            tenant,
        ));
        match OpenAiCompatProvider::new(config, sink) {
            Ok(provider) => Ok(Some(Arc::new(provider))),
            Err(e) => {
                tracing::warn!(code = e.code(), "cannot set up the AI provider");
                Ok(None)
            }
        }
    }

    /// Whether AI is configured, whether a key is stored (never the key), and whether the
    /// secret store can be used, with the reason when it cannot.
    pub fn ai_status(&self, s: &Session) -> AppResult<AiStatus> {
        let _span = tracing::info_span!("ai_status").entered();
        let a = self.actor(s)?;
        let settings = self.store.read(|c| ai_settings::get(c, a.tenant))?;
        // The keychain alone first: it always wins when it works.
        let name = key_name(a.tenant);
        let (probe, backend) = match &self.secrets {
            None => (
                Err(AppError::new(
                    ErrorCode::KeychainUnavailable,
                    "no secret store is set up in this installation",
                )),
                "none".to_owned(),
            ),
            Some(store) => {
                let name = name.clone();
                (
                    secret_call(store, move |st| st.get(SECRET_SERVICE, &name)),
                    store.backend_name().to_owned(),
                )
            }
        };
        let (keychain, key_present, fallback) = match probe {
            Ok(key) => (
                KeychainState {
                    available: true,
                    backend,
                    reason: None,
                },
                key.is_some(),
                AiFallbackState::NotOffered,
            ),
            Err(e) => {
                let keychain = KeychainState {
                    available: false,
                    backend,
                    reason: Some(e.message),
                };
                let (fallback, file) = self.fallback_without_keychain();
                let key_present = match file {
                    None => false,
                    Some(file) => {
                        let file: Arc<dyn SecretStore> = file;
                        match secret_call(&file, move |st| st.get(SECRET_SERVICE, &name)) {
                            Ok(key) => key.is_some(),
                            Err(e) => {
                                tracing::warn!(error = %e, "the encrypted key file cannot be read");
                                false
                            }
                        }
                    }
                };
                (keychain, key_present, fallback)
            }
        };
        // Until settings are saved the form shows OpenAI, which needs a key.
        let key_required = settings.as_ref().is_none_or(|s| s.preset.needs_key());
        let configured = settings.as_ref().is_some_and(|s| {
            !s.base_url.is_empty() && !s.model.is_empty() && (!key_required || key_present)
        });
        Ok(AiStatus {
            configured,
            key_required,
            key_present,
            keychain,
            fallback,
        })
    }

    /// Sends a tiny request to the configured provider (admins only) and says whether the
    /// model answered, how fast, or why not. The call is recorded in usage.
    pub fn ai_test_connection(&self, s: &Session) -> AppResult<AiTestResult> {
        let span = tracing::info_span!("ai_test_connection");
        let _entered = span.enter();
        let a = self.actor_for(s, Action::ManageAi)?;
        let Some(settings) = self.store.read(|c| ai_settings::get(c, a.tenant))? else {
            return Ok(AiTestResult {
                ok: false,
                model: String::new(),
                latency_ms: 0,
                failure: Some(AiFailure::NotConfigured),
                detail: Some("no AI provider is set up yet".to_owned()),
            });
        };
        let key = match self.ai_key(a.tenant) {
            Ok(key) => key,
            // Ollama and custom endpoints may work without a key; the others need the store.
            Err(e) if settings.preset.needs_key() => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "no secret store; testing without a key");
                None
            }
        };
        if key.is_none() && settings.preset.needs_key() {
            return Ok(AiTestResult {
                ok: false,
                model: settings.model,
                latency_ms: 0,
                failure: Some(AiFailure::NotConfigured),
                detail: Some("no API key is stored".to_owned()),
            });
        }
        let mut config = ProviderConfig::new(
            settings.base_url.clone(),
            settings.model.clone(),
            key.map(|k| ApiKey::new(k.expose())),
        );
        config.connect_timeout = Duration::from_secs(5);
        config.request_timeout = Duration::from_secs(20);
        // One attempt: the admin wants a quick, honest answer, not a retried one.
        config.retry = RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        };
        let sink = Arc::new(StoreUsageSink::new(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            a.tenant,
        ));
        let provider = OpenAiCompatProvider::new(config, sink);
        let started = Instant::now();
        let result = match provider {
            Err(e) => Err(e),
            Ok(provider) => block_on(async move {
                let request = ChatRequest::new(
                    TEST_PURPOSE,
                    vec![
                        ChatMessage::system("This is a connection test. Reply with: ok"),
                        ChatMessage::user("ping"),
                    ],
                );
                provider.complete(request).await
            })?,
        };
        let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(match result {
            Ok(reply) => {
                tracing::info!(latency_ms = elapsed, "AI connection test passed");
                AiTestResult {
                    ok: true,
                    model: settings.model,
                    latency_ms: u64::try_from(reply.latency.as_millis()).unwrap_or(elapsed),
                    failure: None,
                    detail: None,
                }
            }
            Err(e) => {
                tracing::warn!(code = e.code(), "AI connection test failed");
                AiTestResult {
                    ok: false,
                    model: settings.model,
                    latency_ms: elapsed,
                    failure: Some(failure(&e)),
                    detail: Some(e.to_string()),
                }
            }
        })
    }

    /// Model calls per UTC day over the last [`USAGE_DAYS`] days, newest first.
    pub fn ai_usage(&self, s: &Session) -> AppResult<Vec<AiUsageDay>> {
        let _span = tracing::info_span!("ai_usage").entered();
        let a = self.actor(s)?;
        let today = self
            .now()
            .duration_trunc(TimeDelta::days(1))
            .map_err(|e| AppError::internal(format!("start of day: {e}")))?;
        let since = today - TimeDelta::days(USAGE_DAYS - 1);
        self.store.read(|c| llm_usage::per_day(c, a.tenant, since))
    }

    /// The signed-in user's language for translations, and the one in effect.
    pub fn ai_language_get(&self, s: &Session) -> AppResult<ManagerLanguage> {
        let _span = tracing::info_span!("ai_language_get").entered();
        let a = self.actor(s)?;
        let chosen = self
            .store
            .read(|c| users::manager_language(c, a.tenant, a.user))?;
        let effective = match &chosen {
            Some(lang) => lang.clone(),
            None => self
                .store
                .read(|c| users::ui_language(c, a.tenant, a.user))?,
        };
        Ok(ManagerLanguage { chosen, effective })
    }

    /// Sets the signed-in user's language for translations; `None` follows the UI language.
    pub fn ai_language_set(&self, s: &Session, lang: Option<&str>) -> AppResult<ManagerLanguage> {
        let _span = tracing::info_span!("ai_language_set").entered();
        let a = self.actor(s)?;
        if let Some(code) = lang {
            if Language::from_code(code).is_none_or(|l| l == Language::Unknown) {
                return Err(AppError::field(
                    ErrorCode::InvalidChoice,
                    "manager_language",
                    "not one of the supported languages",
                ));
            }
        }
        self.store
            .write(|tx| users::set_manager_language(tx, a.tenant, a.user, lang))?;
        self.ai_language_get(s)
    }
}

#[cfg(test)]
mod tests {
    use super::{base_url, failure};
    use tourdesk_ai::LlmError;
    use tourdesk_core::ai::AiFailure;

    #[test]
    fn every_llm_error_code_has_its_own_typed_failure() {
        for code in LlmError::CODES {
            assert_eq!(AiFailure::from_code(code).map(AiFailure::code), Some(code));
        }
        assert_eq!(
            failure(&LlmError::Unauthorized { status: 401 }),
            AiFailure::Unauthorized
        );
    }

    #[test]
    fn a_base_url_must_be_http_with_a_host_and_no_credentials() {
        assert_eq!(
            base_url(" https://api.openai.com/v1/ ").ok().as_deref(),
            Some("https://api.openai.com/v1")
        );
        assert!(base_url("http://127.0.0.1:11434/v1").is_ok());
        for bad in [
            "",
            "ftp://x/v1",
            "https:///v1",
            "https://user:pw@host/v1",
            "https://host/v1?key=abc",
            "https://ho st/v1",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
    }
}

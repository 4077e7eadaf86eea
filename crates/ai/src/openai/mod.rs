//! The shipped provider: the OpenAI-compatible chat-completions API over reqwest (rustls).

mod structured;
mod transport;
mod wire;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use async_trait::async_trait;
use tracing::Instrument;

use self::structured::{
    parse_and_validate, repair_messages, response_format, schema_instruction, JsonRequest,
};
use self::transport::{ExchangeError, Tally};
use self::wire::{WireMessage, WireRequest};
use crate::{
    ChatMessage, ChatRequest, ChatResponse, LlmError, LlmProvider, OutputSchema, ProviderConfig,
    Role, StructuredMode, UsageRecord, UsageSink,
};

/// Talks to OpenAI, OpenRouter, Ollama or any OpenAI-compatible endpoint.
pub struct OpenAiCompatProvider {
    config: ProviderConfig,
    client: reqwest::Client,
    endpoint: String,
    endpoint_label: String,
    config_problem: Option<String>,
    sink: Arc<dyn UsageSink>,
}

impl std::fmt::Debug for OpenAiCompatProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiCompatProvider")
            .field("config", &self.config)
            .field("endpoint", &self.endpoint_label)
            .finish()
    }
}

/// A successful structured or plain result before it becomes a [`ChatResponse`].
struct Outcome {
    content: String,
    json: Option<serde_json::Value>,
    repaired: bool,
}

impl OpenAiCompatProvider {
    /// Builds the provider; an incomplete configuration is accepted and every call then
    /// fails with `not_configured`, so the app works before the user sets a provider up.
    pub fn new(config: ProviderConfig, sink: Arc<dyn UsageSink>) -> Result<Self, LlmError> {
        let client = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| LlmError::NotConfigured {
                reason: format!("cannot initialise the HTTP client: {e}"),
            })?;
        let base = config.base_url.trim().trim_end_matches('/');
        let endpoint = format!("{base}/chat/completions");
        let parsed = reqwest::Url::parse(&endpoint);
        let endpoint_label = match &parsed {
            Ok(url) => match (url.host_str(), url.port_or_known_default()) {
                (Some(host), Some(port)) => format!("{}://{host}:{port}", url.scheme()),
                _ => url.scheme().to_owned(),
            },
            Err(_) => "(invalid base URL)".to_owned(),
        };
        let config_problem = if base.is_empty() {
            Some("no base URL is set".to_owned())
        } else if !matches!(parsed.as_ref().map(|u| u.scheme()), Ok("http" | "https")) {
            Some("the base URL is not a valid http(s) URL".to_owned())
        } else if config.model.trim().is_empty() {
            Some("no model is set".to_owned())
        } else {
            None
        };
        Ok(Self {
            config,
            client,
            endpoint,
            endpoint_label,
            config_problem,
            sink,
        })
    }

    /// The provider's settings.
    pub fn config(&self) -> &ProviderConfig {
        &self.config
    }

    /// Builds the wire body for the current messages.
    fn body<'a>(
        &'a self,
        request: &ChatRequest,
        messages: &'a [ChatMessage],
        format: Option<serde_json::Value>,
    ) -> WireRequest<'a> {
        WireRequest {
            model: &self.config.model,
            messages: messages.iter().map(WireMessage::from).collect(),
            temperature: request.temperature,
            max_tokens: request.max_tokens,
            response_format: format,
            stream: false,
        }
    }

    /// Sends the messages once (with retries) in the given JSON mode.
    async fn send(
        &self,
        request: &ChatRequest,
        messages: &[ChatMessage],
        json: Option<(&OutputSchema, JsonRequest)>,
        tally: &mut Tally,
    ) -> Result<String, ExchangeError> {
        if self.config.debug_logging {
            let prompt: Vec<(&str, &str)> = messages
                .iter()
                .map(|m| (m.role.as_str(), m.content.as_str()))
                .collect();
            tracing::debug!(?prompt, "llm request (debug logging is on)");
        }
        let format = json.map(|(schema, how)| response_format(schema, how));
        let content = self
            .exchange(&self.body(request, messages, format), tally)
            .await?;
        if self.config.debug_logging {
            tracing::debug!(reply = %content, "llm reply (debug logging is on)");
        }
        Ok(content)
    }

    /// The whole call: configuration check, JSON-mode fallback, validation and one repair.
    async fn run(&self, request: &ChatRequest, tally: &mut Tally) -> Result<Outcome, LlmError> {
        if let Some(reason) = &self.config_problem {
            return Err(LlmError::NotConfigured {
                reason: reason.clone(),
            });
        }
        let mut messages = request.messages.clone();
        let Some(schema) = request.output_schema.as_ref() else {
            let content = self
                .send(request, &messages, None, tally)
                .await
                .map_err(|e| final_error(e, tally))?;
            return Ok(Outcome {
                content,
                json: None,
                repaired: false,
            });
        };
        let mut how = match self.config.structured_mode {
            StructuredMode::Auto | StructuredMode::JsonSchema => JsonRequest::Schema,
            StructuredMode::JsonObject => {
                insert_after_system(&mut messages, schema_instruction(schema));
                JsonRequest::Object
            }
        };
        let content = match self
            .send(request, &messages, Some((schema, how)), tally)
            .await
        {
            Ok(content) => content,
            Err(ExchangeError::BadRequest)
                if how == JsonRequest::Schema
                    && self.config.structured_mode == StructuredMode::Auto =>
            {
                tracing::info!("provider rejected json_schema; falling back to json_object");
                how = JsonRequest::Object;
                insert_after_system(&mut messages, schema_instruction(schema));
                self.send(request, &messages, Some((schema, how)), tally)
                    .await
                    .map_err(|e| final_error(e, tally))?
            }
            Err(error) => return Err(final_error(error, tally)),
        };
        let problem = match parse_and_validate(&content, schema) {
            Ok(json) => {
                return Ok(Outcome {
                    content,
                    json: Some(json),
                    repaired: false,
                })
            }
            Err(problem) => problem,
        };
        tracing::warn!(
            problem = problem.kind(),
            "structured reply invalid; asking for one repair"
        );
        messages.extend(repair_messages(&content, &problem, schema));
        let repaired = self
            .send(request, &messages, Some((schema, how)), tally)
            .await
            .map_err(|e| final_error(e, tally))?;
        match parse_and_validate(&repaired, schema) {
            Ok(json) => Ok(Outcome {
                content: repaired,
                json: Some(json),
                repaired: true,
            }),
            Err(problem) => Err(problem.into_error()),
        }
    }
}

/// Turns an exchange failure into the call's typed error.
fn final_error(error: ExchangeError, tally: &Tally) -> LlmError {
    match error {
        ExchangeError::BadRequest => LlmError::ServerError {
            status: 400,
            attempts: tally.attempts,
        },
        ExchangeError::Final(error) => error,
    }
}

/// Inserts a system message after the leading system messages.
fn insert_after_system(messages: &mut Vec<ChatMessage>, message: ChatMessage) {
    let index = messages
        .iter()
        .take_while(|m| m.role == Role::System)
        .count();
    messages.insert(index, message);
}

#[async_trait]
impl LlmProvider for OpenAiCompatProvider {
    async fn complete(&self, request: ChatRequest) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let span =
            tracing::info_span!("llm_call", purpose = %request.purpose, model = %self.config.model);
        let mut tally = Tally::default();
        let result = self
            .run(&request, &mut tally)
            .instrument(span.clone())
            .await;
        let latency = started.elapsed();
        let outcome = match &result {
            Ok(_) => "ok",
            Err(error) => error.code(),
        };
        span.in_scope(|| {
            tracing::info!(
                latency_ms = latency.as_millis() as u64,
                tokens_in = tally.usage.input,
                tokens_out = tally.usage.output,
                attempts = tally.attempts,
                outcome,
                "llm call finished"
            );
        });
        self.sink.record(UsageRecord {
            purpose: request.purpose.clone(),
            model: self.config.model.clone(),
            finished_at: SystemTime::now(),
            latency_ms: latency.as_millis().try_into().unwrap_or(u64::MAX),
            tokens_in: tally.usage.input,
            tokens_out: tally.usage.output,
            outcome,
            attempts: tally.attempts,
        });
        let outcome = result?;
        Ok(ChatResponse {
            content: outcome.content,
            json: outcome.json,
            usage: tally.usage,
            model: self.config.model.clone(),
            attempts: tally.attempts,
            latency,
            repaired: outcome.repaired,
        })
    }

    fn model(&self) -> &str {
        &self.config.model
    }
}

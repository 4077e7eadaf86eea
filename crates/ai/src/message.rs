//! Requests to and replies from a chat model.

use std::time::Duration;

use crate::OutputSchema;

/// Who speaks a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Instructions.
    System,
    /// The input.
    User,
    /// The model's earlier output (used by the repair turn).
    Assistant,
}

impl Role {
    /// The role's name on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    /// Who speaks.
    pub role: Role,
    /// What is said.
    pub content: String,
}

impl ChatMessage {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// A chat-completion request.
#[derive(Debug, Clone)]
pub struct ChatRequest {
    /// What the call is for, recorded in usage (e.g. `translate.inbound`).
    pub purpose: String,
    /// The conversation sent to the model.
    pub messages: Vec<ChatMessage>,
    /// Sampling temperature, provider default when `None`.
    pub temperature: Option<f32>,
    /// Cap on generated tokens, provider default when `None`.
    pub max_tokens: Option<u32>,
    /// When set, the reply must be JSON matching this schema.
    pub output_schema: Option<OutputSchema>,
}

impl ChatRequest {
    /// A plain-text request.
    pub fn new(purpose: impl Into<String>, messages: Vec<ChatMessage>) -> Self {
        Self {
            purpose: purpose.into(),
            messages,
            temperature: None,
            max_tokens: None,
            output_schema: None,
        }
    }

    /// The same request asking for JSON output that matches `schema`.
    pub fn with_schema(mut self, schema: OutputSchema) -> Self {
        self.output_schema = Some(schema);
        self
    }

    /// The same request with a sampling temperature.
    pub fn with_temperature(mut self, temperature: f32) -> Self {
        self.temperature = Some(temperature);
        self
    }
}

/// Tokens counted by the provider's `usage` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TokenUsage {
    /// Prompt tokens.
    pub input: u64,
    /// Completion tokens.
    pub output: u64,
}

impl TokenUsage {
    /// Adds another exchange's tokens.
    pub fn add(&mut self, other: TokenUsage) {
        self.input += other.input;
        self.output += other.output;
    }
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatResponse {
    /// The text content of the (last) reply.
    pub content: String,
    /// The validated JSON when a schema was requested.
    pub json: Option<serde_json::Value>,
    /// Tokens of all exchanges of this call (the repair turn included).
    pub usage: TokenUsage,
    /// The model named in the configuration.
    pub model: String,
    /// HTTP attempts made (retries and repair included).
    pub attempts: u32,
    /// Wall time of the whole call.
    pub latency: Duration,
    /// True when the first structured reply was invalid and the repair turn fixed it.
    pub repaired: bool,
}

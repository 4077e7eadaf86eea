//! Serde types of the OpenAI-compatible chat-completions wire format.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{ChatMessage, TokenUsage};

/// The request body.
#[derive(Debug, Serialize)]
pub(crate) struct WireRequest<'a> {
    pub(crate) model: &'a str,
    pub(crate) messages: Vec<WireMessage<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) response_format: Option<Value>,
    pub(crate) stream: bool,
}

/// One message on the wire.
#[derive(Debug, Serialize)]
pub(crate) struct WireMessage<'a> {
    pub(crate) role: &'static str,
    pub(crate) content: &'a str,
}

impl<'a> From<&'a ChatMessage> for WireMessage<'a> {
    fn from(message: &'a ChatMessage) -> Self {
        Self {
            role: message.role.as_str(),
            content: &message.content,
        }
    }
}

/// The reply body (only the fields Tourdesk reads).
#[derive(Debug, Deserialize)]
pub(crate) struct WireResponse {
    #[serde(default)]
    pub(crate) choices: Vec<WireChoice>,
    #[serde(default)]
    pub(crate) usage: Option<WireUsage>,
}

/// One choice of the reply.
#[derive(Debug, Deserialize)]
pub(crate) struct WireChoice {
    #[serde(default)]
    pub(crate) message: Option<WireReplyMessage>,
}

/// The assistant message of a choice.
#[derive(Debug, Deserialize)]
pub(crate) struct WireReplyMessage {
    #[serde(default)]
    pub(crate) content: Option<String>,
}

/// Token counts.
#[derive(Debug, Deserialize)]
pub(crate) struct WireUsage {
    #[serde(default)]
    pub(crate) prompt_tokens: Option<u64>,
    #[serde(default)]
    pub(crate) completion_tokens: Option<u64>,
}

impl WireResponse {
    /// The first choice's text, trimmed; `None` when absent or blank.
    pub(crate) fn content(&self) -> Option<&str> {
        self.choices
            .first()
            .and_then(|c| c.message.as_ref())
            .and_then(|m| m.content.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty())
    }

    /// The token counts, zero when the provider sent none.
    pub(crate) fn token_usage(&self) -> TokenUsage {
        self.usage
            .as_ref()
            .map(|u| TokenUsage {
                input: u.prompt_tokens.unwrap_or(0),
                output: u.completion_tokens.unwrap_or(0),
            })
            .unwrap_or_default()
    }
}

//! The provider trait every model backend implements.

use async_trait::async_trait;

use crate::{ChatRequest, ChatResponse, LlmError};

/// A chat-completion model. Implementations retry transient faults, validate structured
/// output, and hand one usage record per call to their sink.
#[async_trait]
pub trait LlmProvider: Send + Sync {
    /// Runs one chat completion (with structured output when the request has a schema).
    async fn complete(&self, request: ChatRequest) -> Result<ChatResponse, LlmError>;

    /// The configured model name.
    fn model(&self) -> &str;
}

//! Tourdesk AI core: one [`LlmProvider`] trait, the shipped OpenAI-compatible provider
//! ([`OpenAiCompatProvider`], works with OpenAI, OpenRouter and Ollama), schema-validated
//! structured output with one repair attempt, usage records for every call, and the chat
//! [`translate`] module with token protection and a number/date checker.

#![warn(missing_docs)]

mod config;
mod error;
mod message;
mod openai;
mod provider;
mod schema;
pub mod translate;
mod usage;

pub use config::{ApiKey, ProviderConfig, RetryPolicy, StructuredMode};
pub use error::LlmError;
pub use message::{ChatMessage, ChatRequest, ChatResponse, Role, TokenUsage};
pub use openai::OpenAiCompatProvider;
pub use provider::LlmProvider;
pub use schema::{InvalidSchema, OutputSchema};
pub use usage::{MemoryUsageSink, UsageRecord, UsageSink};

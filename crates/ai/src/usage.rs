//! Usage records of every model call and the sink the app stores them through.

use std::sync::Mutex;
use std::time::SystemTime;

/// One model call as the usage page shows it; it never holds the key or the prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRecord {
    /// What the call was for (e.g. `translate.outbound`).
    pub purpose: String,
    /// The configured model.
    pub model: String,
    /// When the call finished.
    pub finished_at: SystemTime,
    /// Wall time of the whole call in milliseconds.
    pub latency_ms: u64,
    /// Prompt tokens (from the provider's `usage` field; 0 when it sent none).
    pub tokens_in: u64,
    /// Completion tokens.
    pub tokens_out: u64,
    /// `ok`, or the error code of [`crate::LlmError::code`].
    pub outcome: &'static str,
    /// HTTP attempts made (retries and the repair turn included).
    pub attempts: u32,
}

impl UsageRecord {
    /// True when the call succeeded.
    pub fn is_ok(&self) -> bool {
        self.outcome == "ok"
    }
}

/// Receives one record per provider call; the app implements it over its store.
pub trait UsageSink: Send + Sync {
    /// Stores or forwards a record; must not block for long.
    fn record(&self, record: UsageRecord);
}

/// Keeps records in memory (tests, or a sink that is drained elsewhere).
#[derive(Debug, Default)]
pub struct MemoryUsageSink {
    records: Mutex<Vec<UsageRecord>>,
}

impl MemoryUsageSink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything recorded so far.
    pub fn records(&self) -> Vec<UsageRecord> {
        self.records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl UsageSink for MemoryUsageSink {
    fn record(&self, record: UsageRecord) {
        self.records
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(record);
    }
}

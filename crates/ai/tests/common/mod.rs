//! A loopback mock of the OpenAI-compatible chat-completions API with scripted replies,
//! latencies and faults, recording every request it receives.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use tourdesk_ai::{ApiKey, ProviderConfig, RetryPolicy};

/// The key used by tests; it must never show up in errors, Debug output or logs.
pub const TEST_KEY: &str = "sk-test-KEY-7f3a9c0d1e2b4455";

/// One scripted reply.
#[derive(Debug, Clone)]
pub struct Scripted {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    pub headers: Vec<(&'static str, String)>,
}

impl Scripted {
    /// A 200 chat completion with `content` and a usage field of 11 prompt / 7 completion tokens.
    pub fn content(content: &str) -> Self {
        Self::body(
            200,
            json!({
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
            })
            .to_string(),
        )
    }

    /// A 200 chat completion whose content is the given JSON value.
    pub fn json(value: Value) -> Self {
        Self::content(&value.to_string())
    }

    /// A reply with any status and raw body.
    pub fn body(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            body: body.into(),
            delay: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    /// An error status with an OpenAI-style error body.
    pub fn status(status: u16) -> Self {
        Self::body(
            status,
            json!({"error": {"message": "scripted failure", "code": status}}).to_string(),
        )
    }

    /// Delays the reply.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Adds a response header.
    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// A request the mock received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub authorization: Option<String>,
    pub body: Value,
}

impl Recorded {
    /// All message contents of the request, joined.
    pub fn all_text(&self) -> String {
        self.body["messages"]
            .as_array()
            .map(|m| {
                m.iter()
                    .filter_map(|m| m["content"].as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// The content of the message with `role` at position `index` among those of that role.
    pub fn message(&self, role: &str, index: usize) -> String {
        self.body["messages"]
            .as_array()
            .and_then(|m| m.iter().filter(|m| m["role"] == role).nth(index))
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
            .to_owned()
    }
}

#[derive(Default)]
struct MockState {
    script: Mutex<VecDeque<Scripted>>,
    requests: Mutex<Vec<Recorded>>,
}

/// The running mock server.
pub struct MockLlm {
    addr: SocketAddr,
    state: Arc<MockState>,
}

impl MockLlm {
    /// Starts on 127.0.0.1 with an ephemeral port; replies follow `script`, then 500s.
    pub async fn start(script: Vec<Scripted>) -> Self {
        let state = Arc::new(MockState {
            script: Mutex::new(script.into()),
            requests: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(handle))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, state }
    }

    /// The base URL to configure the provider with.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().expect("lock").clone()
    }
}

async fn handle(State(state): State<Arc<MockState>>, headers: HeaderMap, body: Bytes) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.requests.lock().expect("lock").push(Recorded {
        authorization,
        body,
    });
    let next = state.script.lock().expect("lock").pop_front();
    let scripted = next.unwrap_or_else(|| Scripted::body(500, "script exhausted"));
    if !scripted.delay.is_zero() {
        tokio::time::sleep(scripted.delay).await;
    }
    let status = StatusCode::from_u16(scripted.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (
        status,
        [("content-type", "application/json")],
        scripted.body,
    )
        .into_response();
    for (name, value) in scripted.headers {
        if let Ok(value) = value.parse() {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// A configuration for `base_url` with fast retries and short time-outs.
pub fn fast_config(base_url: &str) -> ProviderConfig {
    let mut config = ProviderConfig::new(base_url, "test-model", Some(ApiKey::new(TEST_KEY)));
    config.connect_timeout = Duration::from_millis(500);
    config.request_timeout = Duration::from_secs(3);
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        max_retry_after: Duration::from_secs(5),
    };
    config
}

/// A loopback address on which nothing listens (bound, then released).
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}/v1")
}

/// A `tracing` writer that appends to a shared buffer.
#[derive(Clone, Default)]
pub struct LogCapture(pub Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

impl std::io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs a TRACE-level subscriber writing into the returned capture for this thread.
pub fn capture_logs() -> (LogCapture, tracing::subscriber::DefaultGuard) {
    let capture = LogCapture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (capture, guard)
}

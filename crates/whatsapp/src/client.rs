//! The protocol client of one sidecar process: writes requests, matches replies by id, hands
//! events to a sink.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::RequestError;
use crate::lines::{read_line_bounded, LineRead};
use crate::protocol::{decode_line, Incoming, Reply, Request, SidecarEvent};

/// Longest stdout line accepted (a message event with a long text and metadata fits easily).
const MAX_STDOUT_LINE: usize = 16 * 1024 * 1024;
/// Longest stderr line kept for the log.
const MAX_STDERR_LINE: usize = 64 * 1024;

type Writer = Box<dyn AsyncWrite + Send + Unpin>;
type Waiters = HashMap<u64, oneshot::Sender<Reply>>;

/// Receives the events of one sidecar process, in order.
pub type EventSink = Box<dyn Fn(SidecarEvent) + Send + Sync>;

/// Request/reply over one sidecar's stdin/stdout.
pub struct ProtocolClient {
    label: String,
    writer: tokio::sync::Mutex<Option<Writer>>,
    waiters: Mutex<Waiters>,
    next_id: AtomicU64,
    closed: AtomicBool,
}

impl std::fmt::Debug for ProtocolClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProtocolClient")
            .field("label", &self.label)
            .field("closed", &self.closed.load(Ordering::SeqCst))
            .finish()
    }
}

impl ProtocolClient {
    /// Starts the reader task on `stdout`; events go to `sink`. The task ends at end of stdout.
    pub fn start(
        label: impl Into<String>,
        stdin: Writer,
        stdout: Box<dyn AsyncRead + Send + Unpin>,
        sink: EventSink,
    ) -> (Arc<Self>, JoinHandle<()>) {
        let client = Arc::new(ProtocolClient {
            label: label.into(),
            writer: tokio::sync::Mutex::new(Some(stdin)),
            waiters: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            closed: AtomicBool::new(false),
        });
        let reader = tokio::spawn(Arc::clone(&client).read_loop(stdout, sink));
        (client, reader)
    }

    async fn read_loop(
        self: Arc<Self>,
        stdout: Box<dyn AsyncRead + Send + Unpin>,
        sink: EventSink,
    ) {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            match read_line_bounded(&mut reader, &mut buf, MAX_STDOUT_LINE).await {
                Ok(LineRead::Line) => self.on_line(&buf, &sink),
                Ok(LineRead::TooLong) => {
                    tracing::warn!(account = %self.label, "skipped a sidecar line over {MAX_STDOUT_LINE} bytes")
                }
                Ok(LineRead::Eof) => {
                    if !buf.is_empty() {
                        self.on_line(&buf, &sink);
                    }
                    break;
                }
                Err(e) => {
                    tracing::warn!(account = %self.label, "reading the sidecar's stdout failed: {e}");
                    break;
                }
            }
        }
        self.closed.store(true, Ordering::SeqCst);
        // Dropping the senders wakes every waiter with "disconnected".
        self.lock_waiters().clear();
        tracing::debug!(account = %self.label, "sidecar stdout closed");
    }

    fn on_line(&self, bytes: &[u8], sink: &EventSink) {
        let line = String::from_utf8_lossy(bytes);
        if line.trim().is_empty() {
            return;
        }
        match decode_line(&line) {
            Incoming::Reply(reply) => {
                let waiter = reply
                    .id
                    .as_u64()
                    .and_then(|id| self.lock_waiters().remove(&id));
                match waiter {
                    Some(tx) => {
                        let _ = tx.send(reply);
                    }
                    None => {
                        tracing::debug!(account = %self.label, id = %reply.id, "reply nobody waits for (late or unknown id)")
                    }
                }
            }
            Incoming::Event(ev) => sink(ev),
            Incoming::Skip(why) => {
                let head: String = line.chars().take(200).collect();
                tracing::warn!(account = %self.label, "skipped sidecar line: {why}: {head}");
            }
        }
    }

    fn lock_waiters(&self) -> std::sync::MutexGuard<'_, Waiters> {
        // A panic while holding this lock cannot leave the map inconsistent: use it anyway.
        self.waiters.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// True once the sidecar's stdout has closed.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Sends `req` and waits up to `timeout` for its reply; returns the `result` value.
    pub async fn call(&self, req: &Request, timeout: Duration) -> Result<Value, RequestError> {
        let kind = req.kind().to_owned();
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = oneshot::channel();
        self.lock_waiters().insert(id, tx);
        if self.is_closed() {
            self.lock_waiters().remove(&id);
            return Err(RequestError::Disconnected { request: kind });
        }
        let line = req.to_line(id);
        let outcome = tokio::time::timeout(timeout, async {
            self.write_line(&line).await?;
            rx.await.map_err(|_| RequestError::Disconnected {
                request: kind.clone(),
            })
        })
        .await;
        let reply = match outcome {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) => {
                self.lock_waiters().remove(&id);
                return Err(e);
            }
            Err(_) => {
                self.lock_waiters().remove(&id);
                return Err(RequestError::Timeout {
                    request: kind,
                    after: timeout,
                });
            }
        };
        if reply.ok {
            return Ok(reply.result.unwrap_or(Value::Null));
        }
        match reply.error {
            Some(error) => Err(RequestError::Refused {
                request: kind,
                error,
            }),
            None => Err(RequestError::Protocol {
                request: kind,
                detail: "a failed reply without an error".into(),
            }),
        }
    }

    async fn write_line(&self, line: &str) -> Result<(), RequestError> {
        let mut guard = self.writer.lock().await;
        let Some(w) = guard.as_mut() else {
            return Err(RequestError::Write("stdin is closed".into()));
        };
        w.write_all(line.as_bytes())
            .await
            .map_err(|e| RequestError::Write(e.to_string()))?;
        w.flush()
            .await
            .map_err(|e| RequestError::Write(e.to_string()))
    }

    /// Closes the sidecar's stdin (the sidecar exits when it sees the end).
    pub async fn close_stdin(&self) {
        let taken = self.writer.lock().await.take();
        if let Some(mut w) = taken {
            let _ = w.shutdown().await;
        }
    }
}

/// Copies the sidecar's stderr into `tracing`, line by line, at the level the line names.
pub fn spawn_stderr_logger(
    label: String,
    stderr: Box<dyn AsyncRead + Send + Unpin>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut reader = BufReader::new(stderr);
        let mut buf = Vec::new();
        // Bounded: ends at end of stderr, which closes when the process exits.
        loop {
            match read_line_bounded(&mut reader, &mut buf, MAX_STDERR_LINE).await {
                Ok(LineRead::Line) => {
                    if !buf.is_empty() {
                        log_stderr_line(&label, &String::from_utf8_lossy(&buf));
                    }
                }
                Ok(LineRead::TooLong) => {
                    tracing::warn!(account = %label, "sidecar stderr line over {MAX_STDERR_LINE} bytes skipped")
                }
                Ok(LineRead::Eof) => {
                    if !buf.is_empty() {
                        log_stderr_line(&label, &String::from_utf8_lossy(&buf));
                    }
                    break;
                }
                Err(_) => break,
            }
        }
    })
}

fn log_stderr_line(label: &str, line: &str) {
    const TARGET: &str = "tourdesk_whatsapp::sidecar";
    if line.contains(" ERROR ") {
        tracing::error!(target: TARGET, account = %label, "{line}");
    } else if line.contains(" WARN ") {
        tracing::warn!(target: TARGET, account = %label, "{line}");
    } else if line.contains(" DEBUG ") {
        tracing::debug!(target: TARGET, account = %label, "{line}");
    } else {
        tracing::info!(target: TARGET, account = %label, "{line}");
    }
}

//! The public handle of one WhatsApp account's sidecar: connect, requests, subscriptions, shutdown.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::config::{ConnectParams, SupervisorConfig};
use crate::error::{RequestError, SendError};
use crate::process::{sweep_orphans, ProcessLauncher, TokioLauncher};
use crate::protocol::{
    Chat, FetchedMessages, FoundSent, HelloResult, OutgoingMedia, PingResult, Recipient, Request,
    SentMessage,
};
use crate::run_loop::{run, Command, Inner};
use crate::state::{ConnectionState, SupervisorEvent};

/// A message to send.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMessage {
    /// Chat id or phone number.
    pub to: Recipient,
    /// Text, or the caption with media.
    pub text: String,
    /// Optional attachment.
    pub media: Option<OutgoingMedia>,
    /// The outbox row's key; a repeat within one sidecar process is not sent twice.
    pub idempotency_key: String,
}

/// Data dirs served by a supervisor in this process: two sidecars must never share one (each
/// launch sweeps processes left on its data dir, so two supervisors would kill each other's).
static DATA_DIRS_IN_USE: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn data_dirs() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    DATA_DIRS_IN_USE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Supervises the sidecar of one WhatsApp account. Dropping it kills the sidecar at once.
pub struct WhatsAppSupervisor {
    inner: Arc<Inner>,
    task: Mutex<Option<(mpsc::UnboundedSender<Command>, JoinHandle<()>)>>,
    /// The data dir this supervisor holds in [`DATA_DIRS_IN_USE`].
    claimed: Mutex<Option<PathBuf>>,
}

impl std::fmt::Debug for WhatsAppSupervisor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhatsAppSupervisor")
            .field("account", &self.inner.config.account)
            .field("state", &self.state().name())
            .finish()
    }
}

fn decode<T: DeserializeOwned>(request: &str, v: Value) -> Result<T, RequestError> {
    serde_json::from_value(v).map_err(|e| RequestError::Protocol {
        request: request.into(),
        detail: e.to_string(),
    })
}

impl WhatsAppSupervisor {
    /// A supervisor that starts processes with this OS's launcher; nothing runs until `connect`.
    pub fn new(config: SupervisorConfig) -> Self {
        Self::with_launcher(config, Arc::new(TokioLauncher))
    }

    /// A supervisor with a custom process launcher (another platform, or tests).
    pub fn with_launcher(config: SupervisorConfig, launcher: Arc<dyn ProcessLauncher>) -> Self {
        WhatsAppSupervisor {
            inner: Arc::new(Inner::new(config, launcher)),
            task: Mutex::new(None),
            claimed: Mutex::new(None),
        }
    }

    /// The current connection state.
    pub fn state(&self) -> ConnectionState {
        self.inner.state_tx.borrow().clone()
    }

    /// A receiver that always holds the latest state.
    pub fn watch_state(&self) -> watch::Receiver<ConnectionState> {
        self.inner.state_tx.subscribe()
    }

    /// State changes, inbound WhatsApp events and process starts/exits, in order.
    pub fn subscribe(&self) -> broadcast::Receiver<SupervisorEvent> {
        self.inner.events_tx.subscribe()
    }

    /// Pid of the running sidecar, if one runs.
    pub fn sidecar_pid(&self) -> Option<u32> {
        self.inner.live().and_then(|l| l.control.pid())
    }

    fn lock_task(
        &self,
    ) -> std::sync::MutexGuard<'_, Option<(mpsc::UnboundedSender<Command>, JoinHandle<()>)>> {
        self.task.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts (or restarts) the sidecar with these params and waits for its `hello` reply.
    /// Progress (qr, ready, …) follows as state changes; params are reused on every restart.
    pub async fn connect(&self, params: ConnectParams) -> Result<HelloResult, RequestError> {
        if !params.data_dir.is_absolute()
            || params.media_dir.as_ref().is_some_and(|m| !m.is_absolute())
        {
            return Err(RequestError::InvalidState(
                "data_dir and media_dir must be absolute paths".into(),
            ));
        }
        self.claim(&params.data_dir)?;
        self.inner.set_params(params);
        self.launch_or_restart().await
    }

    /// Reserves `dir` for this supervisor (releasing a previous one); fails if another holds it.
    fn claim(&self, dir: &std::path::Path) -> Result<(), RequestError> {
        let mut claimed = self.claimed.lock().unwrap_or_else(|p| p.into_inner());
        if claimed.as_deref() == Some(dir) {
            return Ok(());
        }
        let mut in_use = data_dirs();
        if in_use.contains(dir) {
            return Err(RequestError::InvalidState(format!(
                "another WhatsApp supervisor in this app already serves {}",
                dir.display()
            )));
        }
        if let Some(old) = claimed.take() {
            in_use.remove(&old);
        }
        in_use.insert(dir.to_path_buf());
        *claimed = Some(dir.to_path_buf());
        Ok(())
    }

    fn release(&self) {
        let taken = self
            .claimed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(dir) = taken {
            data_dirs().remove(&dir);
        }
    }

    /// Launches again after `failed` (or at any time), forgetting past crashes.
    pub async fn restart(&self) -> Result<HelloResult, RequestError> {
        let Some(params) = self.inner.params() else {
            return Err(RequestError::InvalidState(
                "connect first: no connection parameters yet".into(),
            ));
        };
        self.claim(&params.data_dir)?;
        self.launch_or_restart().await
    }

    async fn launch_or_restart(&self) -> Result<HelloResult, RequestError> {
        let (tx, rx) = oneshot::channel();
        {
            let mut task = self.lock_task();
            let running = task
                .as_ref()
                .is_some_and(|(cmd, handle)| !handle.is_finished() && !cmd.is_closed());
            if running {
                if let Some((cmd, _)) = task.as_ref() {
                    if cmd.send(Command::Restart(Some(tx))).is_err() {
                        return Err(RequestError::NotRunning);
                    }
                }
            } else {
                let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
                let handle = tokio::spawn(run(Arc::clone(&self.inner), cmd_rx, Some(tx)));
                *task = Some((cmd_tx, handle));
            }
        }
        let h = &self.inner.config.health;
        // A restart first stops the old process (grace), then launches and says hello.
        let limit = h.shutdown_grace + h.hello_timeout + Duration::from_secs(10);
        match tokio::time::timeout(limit, rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err(RequestError::Disconnected {
                request: "hello".into(),
            }),
            Err(_) => Err(RequestError::Timeout {
                request: "hello".into(),
                after: limit,
            }),
        }
    }

    /// Sends `req` to the running sidecar with a time-out; a time-out triggers a health ping.
    async fn call(&self, req: Request, timeout: Duration) -> Result<Value, RequestError> {
        let live = self.inner.live().ok_or(RequestError::NotRunning)?;
        let r = live.client.call(&req, timeout).await;
        if matches!(r, Err(RequestError::Timeout { .. })) {
            self.inner.health_nudge.notify_one();
        }
        r
    }

    /// Asks the sidecar for its health (the supervisor also does this on its own).
    pub async fn ping(&self) -> Result<PingResult, RequestError> {
        let t = self.inner.config.health.ping_timeout;
        decode("ping", self.call(Request::Ping, t).await?)
    }

    /// Requests a pairing code for linking by phone number (state must be `qr` or `pairing_code`).
    pub async fn request_pairing_code(&self, phone: &str) -> Result<String, RequestError> {
        #[derive(serde::Deserialize)]
        struct Code {
            code: String,
        }
        let req = Request::RequestPairingCode {
            phone: phone.to_owned(),
        };
        let t = self.inner.config.health.request_timeout;
        let c: Code = decode("request_pairing_code", self.call(req, t).await?)?;
        Ok(c.code)
    }

    /// Sends a message; the error says whether it is permanent and whether it may have gone out.
    pub async fn send_message(&self, msg: OutgoingMessage) -> Result<SentMessage, SendError> {
        let host_timeout = self.inner.config.health.send_timeout;
        let sidecar_ms = u64::try_from((host_timeout * 2 / 3).as_millis()).unwrap_or(u64::MAX);
        let req = Request::SendMessage {
            to: msg.to,
            text: msg.text,
            media: msg.media,
            idempotency_key: Some(msg.idempotency_key),
            timeout_ms: Some(sidecar_ms.max(1000)),
        };
        let v = self.call(req, host_timeout).await?;
        Ok(decode("send_message", v)?)
    }

    /// Lists chats (needs `ready`).
    pub async fn get_chats(&self) -> Result<Vec<Chat>, RequestError> {
        #[derive(serde::Deserialize)]
        struct Chats {
            chats: Vec<Chat>,
        }
        let t = self.inner.config.health.history_timeout;
        let c: Chats = decode("get_chats", self.call(Request::GetChats, t).await?)?;
        Ok(c.chats)
    }

    /// The newest `limit` (1..=1000) messages of a chat at or after `since` (unix s), oldest first.
    pub async fn fetch_messages(
        &self,
        chat_id: &str,
        since: u64,
        limit: u32,
        with_media: bool,
    ) -> Result<FetchedMessages, RequestError> {
        let req = Request::FetchMessages {
            chat_id: chat_id.to_owned(),
            since,
            limit,
            media: with_media,
        };
        let t = self.inner.config.health.history_timeout;
        decode("fetch_messages", self.call(req, t).await?)
    }

    /// Looks for our own message with this text sent around `around` (unix s), ± `window_s`.
    pub async fn find_sent_message(
        &self,
        to: Recipient,
        text: &str,
        around: u64,
        window_s: Option<u64>,
    ) -> Result<FoundSent, RequestError> {
        let req = Request::FindSentMessage {
            to,
            text: text.to_owned(),
            around,
            window_s,
        };
        let t = self.inner.config.health.history_timeout;
        decode("find_sent_message", self.call(req, t).await?)
    }

    /// Sends read receipts for a chat.
    pub async fn mark_read(&self, chat_id: &str) -> Result<(), RequestError> {
        let req = Request::MarkRead {
            chat_id: chat_id.to_owned(),
        };
        self.call(req, self.inner.config.health.request_timeout)
            .await
            .map(|_| ())
    }

    /// Logs out: the saved session is deleted and the state becomes `logged_out`.
    pub async fn logout(&self) -> Result<(), RequestError> {
        let t = self.inner.config.health.request_timeout;
        self.call(Request::Logout, t).await.map(|_| ())
    }

    /// Asks the running sidecar to drop its WhatsApp connection and connect anew (e.g. to show a new QR).
    pub async fn reconnect(&self) -> Result<(), RequestError> {
        let t = self.inner.config.health.request_timeout;
        self.call(Request::Reconnect, t).await.map(|_| ())
    }

    /// "Use here" (state `conflict`): takes the WhatsApp Web session back from the other window.
    pub async fn use_here(&self) -> Result<(), RequestError> {
        let t = self.inner.config.health.request_timeout;
        self.call(Request::UseHere, t).await.map(|_| ())
    }

    /// Passes a `fake_*` request (fake adapter only) and returns its result.
    pub async fn fake(
        &self,
        kind: &str,
        params: Map<String, Value>,
    ) -> Result<Value, RequestError> {
        if !kind.starts_with("fake_") {
            return Err(RequestError::InvalidState(format!(
                "{kind:?} is not a fake_* request"
            )));
        }
        let req = Request::Fake {
            kind: kind.to_owned(),
            params,
        };
        self.call(req, self.inner.config.health.request_timeout)
            .await
    }

    /// Stops cleanly: `shutdown`, close stdin, wait the grace time, then kill; state `stopped`.
    pub async fn shutdown(&self) -> Result<(), RequestError> {
        let taken = self.lock_task().take();
        let Some((cmd, handle)) = taken else {
            self.inner.set_state(ConnectionState::Stopped);
            self.release();
            return Ok(());
        };
        let (done_tx, done_rx) = oneshot::channel();
        let h = &self.inner.config.health;
        let limit = h.shutdown_grace + Duration::from_secs(10);
        let mut clean = false;
        if cmd.send(Command::Shutdown(done_tx)).is_ok() {
            clean = tokio::time::timeout(limit, done_rx).await.is_ok();
        }
        if !clean {
            tracing::warn!(account = %self.inner.config.account, "the supervisor task did not stop in time; killing the sidecar");
            if let Some(live) = self.inner.live() {
                live.control.kill_tree();
            }
            handle.abort();
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), handle).await;
        self.inner.set_state(ConnectionState::Stopped);
        if let Some(p) = self.inner.params() {
            sweep_orphans(&p.data_dir);
        }
        self.release();
        if clean {
            Ok(())
        } else {
            Err(RequestError::Timeout {
                request: "shutdown".into(),
                after: limit,
            })
        }
    }
}

impl Drop for WhatsAppSupervisor {
    fn drop(&mut self) {
        // No waiting here: kill the process group now, then anything left for this data dir.
        if let Some(live) = self.inner.live() {
            live.control.kill_tree();
        }
        if let Some((_, handle)) = self.lock_task().take() {
            handle.abort();
        }
        if let Some(p) = self.inner.params() {
            sweep_orphans(&p.data_dir);
        }
        self.release();
    }
}

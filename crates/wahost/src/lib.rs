//! Runs one organisation's WhatsApp account inside a host process (the desktop app or the
//! headless `tourdesk-cli wa-host`): the sidecar under its supervisor, every arriving message
//! stored at once, a backfill of every chat after each `ready` (its own task), the settling of sends left
//! uncertain by a crash, and the outbox worker with its database-counted send-rate window.
//!
//! Data decisions are [`tourdesk_app::App`] methods; this crate only sequences them against the
//! sidecar.

mod backfill;
mod history;
mod map;
mod stuck;
mod worker;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tourdesk_app::core::whatsapp::{InboxChange, SyncProgress, WaState, WaStatus};
use tourdesk_app::core::{AppError, AppResult, ErrorCode, TenantId};
use tourdesk_app::{App, OutboxCounts};
use tourdesk_whatsapp::{
    AdapterKind, ConnectParams, ConnectionState, SupervisorConfig, WhatsAppSupervisor,
};

pub use backfill::{DEEPEST_PAGE, FIRST_PAGE};
pub use history::{FetchedChat, MAX_PER_CHAT};
pub use map::{inbound, wa_state, wa_time};

/// File in the account folder that says "this account was linked; connect at start-up".
/// Only a log-out removes it (with the saved session).
pub const LINKED_MARKER: &str = "linked";

/// How long a pairing-code request waits for a starting sidecar to offer linking (the real
/// adapter loads WhatsApp Web first; its own start watchdog is 60 s).
const PAIRING_START_WAIT: Duration = Duration::from_secs(60);

/// How the host runs its account.
#[derive(Debug, Clone)]
pub struct HostConfig {
    /// Node.js.
    pub node: PathBuf,
    /// The bundled sidecar script (`sidecar.cjs`).
    pub script: PathBuf,
    /// The account folder (session, browser profile, caches).
    pub wa_dir: PathBuf,
    /// Where received media is saved (must be under the app's media folder).
    pub media_dir: PathBuf,
    /// Real WhatsApp or the scripted fake.
    pub adapter: AdapterKind,
    /// Options for the adapter's `hello`.
    pub adapter_options: Map<String, Value>,
    /// The send-rate window (60 s; tests scale it down).
    pub rate_window: Duration,
    /// Random gap between two sends, in ms (inclusive range).
    pub gap_ms: (u64, u64),
    /// First back-off after a transient send failure; doubles per attempt up to 5 minutes.
    pub retry_base: Duration,
    /// How far around a send's start a post-crash lookup searches, in seconds.
    pub lookup_window_s: u64,
    /// A message WhatsApp holds at ack 0 this long while connected is flagged `stuck` (5 min;
    /// tests scale it down).
    pub stuck_after: Duration,
}

impl HostConfig {
    /// Production settings for an account folder.
    pub fn new(node: PathBuf, script: PathBuf, wa_dir: PathBuf, media_dir: PathBuf) -> Self {
        HostConfig {
            node,
            script,
            wa_dir,
            media_dir,
            adapter: AdapterKind::Real,
            adapter_options: Map::new(),
            rate_window: Duration::from_secs(60),
            gap_ms: (1_500, 4_000),
            retry_base: Duration::from_secs(5),
            lookup_window_s: 300,
            stuck_after: Duration::from_secs(300),
        }
    }
}

/// Where the host reports what the UI should show.
pub trait HostListener: Send + Sync {
    /// The connection state or the queue counts changed.
    fn status_changed(&self, status: &WaStatus);
    /// Something in the inbox changed.
    fn inbox_changed(&self, change: &InboxChange);
}

/// A listener that ignores everything.
pub struct NoListener;

impl HostListener for NoListener {
    fn status_changed(&self, _: &WaStatus) {}
    fn inbox_changed(&self, _: &InboxChange) {}
}

pub(crate) struct Inner {
    pub app: Arc<App>,
    pub tenant: TenantId,
    pub config: HostConfig,
    pub sup: WhatsAppSupervisor,
    pub listener: Arc<dyn HostListener>,
    /// Wakes the outbox worker (a new row, a state change).
    pub nudge: Notify,
    /// True once the sends left uncertain by the last stop are settled in this `ready`; the
    /// worker sends only then.
    pub settled: watch::Sender<bool>,
    pub stopping: watch::Sender<bool>,
    /// Wakes the backfill task (a `ready`, dropped events); requests made during a run are
    /// merged into one more run.
    pub backfill_wanted: Notify,
    /// How far the running backfill has got; `None` when none runs.
    pub sync: Mutex<Option<SyncProgress>>,
    /// When the current connection became ready (`None` while not ready).
    pub ready_since: Mutex<Option<chrono::DateTime<chrono::Utc>>>,
}

impl Inner {
    /// When the current connection became ready, if it is ready.
    pub(crate) fn ready_since(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.ready_since.lock().map(|g| *g).unwrap_or(None)
    }

    /// Records whether the connection is ready now (keeps the first time of a ready spell).
    pub(crate) fn note_ready(&self, ready: bool) {
        if let Ok(mut g) = self.ready_since.lock() {
            *g = match (ready, *g) {
                (true, Some(t)) => Some(t),
                (true, None) => Some(chrono::Utc::now()),
                (false, _) => None,
            };
        }
    }
}

/// One organisation's running WhatsApp account. Dropping it stops the sidecar.
pub struct WaHost {
    inner: Arc<Inner>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl WaHost {
    /// Prepares the host and starts its event and outbox tasks on the current Tokio runtime;
    /// nothing connects until [`WaHost::connect`].
    pub fn new(
        app: Arc<App>,
        tenant: TenantId,
        config: HostConfig,
        listener: Arc<dyn HostListener>,
    ) -> WaHost {
        let sup_config = SupervisorConfig::new(
            tenant.to_string(),
            config.node.clone(),
            config.script.clone(),
        );
        let inner = Arc::new(Inner {
            app,
            tenant,
            sup: WhatsAppSupervisor::new(sup_config),
            config,
            listener,
            nudge: Notify::new(),
            settled: watch::channel(false).0,
            stopping: watch::channel(false).0,
            backfill_wanted: Notify::new(),
            sync: Mutex::new(None),
            ready_since: Mutex::new(None),
        });
        let tasks = vec![
            tokio::spawn(worker::events(inner.clone())),
            tokio::spawn(worker::outbox(inner.clone())),
            tokio::spawn(backfill::task(inner.clone())),
            tokio::spawn(stuck::watch(inner.clone())),
        ];
        WaHost {
            inner,
            tasks: Mutex::new(tasks),
        }
    }

    /// Whether this account was linked before (so the app connects at start-up and the
    /// session is restored without a scan).
    pub fn was_linked(&self) -> bool {
        self.inner.config.wa_dir.join(LINKED_MARKER).exists()
    }

    /// Starts the sidecar and connects (the state then moves through `starting`, `qr` or
    /// straight to `ready` with a saved session). A running sidecar is left as it is, except
    /// after a log-out, when it is asked to reconnect (a new QR).
    pub async fn connect(&self) -> AppResult<()> {
        // Logged out (from the phone or here): the sidecar still runs but waits for a
        // `reconnect` to offer a new QR.
        if matches!(self.inner.sup.state(), ConnectionState::LoggedOut { .. })
            && self.inner.sup.sidecar_pid().is_some()
        {
            return match self.inner.sup.reconnect().await {
                Ok(()) => Ok(()),
                Err(_) => self
                    .inner
                    .sup
                    .restart()
                    .await
                    .map(|_| ())
                    .map_err(|e| unavailable(&e.to_string())),
            };
        }
        if !matches!(
            self.inner.sup.state(),
            ConnectionState::Stopped | ConnectionState::Failed { .. }
        ) && self.inner.sup.sidecar_pid().is_some()
        {
            return Ok(());
        }
        std::fs::create_dir_all(&self.inner.config.wa_dir)
            .and_then(|_| std::fs::create_dir_all(&self.inner.config.media_dir))
            .map_err(|e| AppError::storage(format!("create the WhatsApp folder: {e}")))?;
        let mut params = ConnectParams::new(&self.inner.config.wa_dir, self.inner.config.adapter);
        params.media_dir = Some(self.inner.config.media_dir.clone());
        params.options = self.inner.config.adapter_options.clone();
        self.inner
            .sup
            .connect(params)
            .await
            .map(|_| ())
            .map_err(|e| unavailable(&e.to_string()))
    }

    /// Asks for a pairing code for `phone` (the "link with phone number" way).
    pub async fn pairing_code(&self, phone: &str) -> AppResult<String> {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if !(7..=15).contains(&digits.len()) {
            return Err(AppError::field(
                ErrorCode::InvalidPhone,
                "phone",
                "type the phone number with its country code",
            ));
        }
        if self.inner.sup.sidecar_pid().is_none() {
            self.connect().await?;
        }
        // A sidecar just started is still `starting`; WhatsApp gives a code only once it
        // offers linking (`qr`). Whatever the state then, the sidecar's answer decides.
        let mut states = self.inner.sup.watch_state();
        let _ = tokio::time::timeout(
            PAIRING_START_WAIT,
            states.wait_for(|s| !matches!(s, ConnectionState::Starting)),
        )
        .await;
        self.inner
            .sup
            .request_pairing_code(&digits)
            .await
            .map_err(|e| unavailable(&e.to_string()))
    }

    /// Logs the account out: the saved session is deleted; linking again needs a scan.
    pub async fn logout(&self) -> AppResult<()> {
        let _ = std::fs::remove_file(self.inner.config.wa_dir.join(LINKED_MARKER));
        self.inner
            .sup
            .logout()
            .await
            .map_err(|e| unavailable(&e.to_string()))
    }

    /// Drops the connection and connects anew; starts the sidecar when it is not running.
    pub async fn reconnect(&self) -> AppResult<()> {
        if self.inner.sup.sidecar_pid().is_none() {
            return self.connect().await;
        }
        match self.inner.sup.reconnect().await {
            Ok(()) => Ok(()),
            Err(_) => self
                .inner
                .sup
                .restart()
                .await
                .map(|_| ())
                .map_err(|e| unavailable(&e.to_string())),
        }
    }

    /// "Use here" after a conflict: WhatsApp Web moves back from the other browser to this one.
    #[tracing::instrument(name = "wa_use_here", skip_all)]
    pub async fn use_here(&self) -> AppResult<()> {
        self.inner
            .sup
            .use_here()
            .await
            .map_err(|e| unavailable(&e.to_string()))
    }

    /// Sends read receipts for a chat (best effort: a chat opened while offline is skipped).
    pub async fn mark_read(&self, wa_chat_id: &str) {
        if matches!(self.inner.sup.state(), ConnectionState::Ready { .. }) {
            if let Err(e) = self.inner.sup.mark_read(wa_chat_id).await {
                tracing::debug!(error = %e, "read receipt not sent");
            }
        }
    }

    /// A new outbox row was queued: wake the worker.
    pub fn nudge(&self) {
        self.inner.nudge.notify_one();
    }

    /// Tells the listener the current status (after the queue changed outside the host).
    pub fn status_changed_now(&self) {
        self.inner.listener.status_changed(&status_of(&self.inner));
    }

    /// The state and queue counts now.
    pub fn status(&self) -> WaStatus {
        status_of(&self.inner)
    }

    /// The supervisor (tests and the fake adapter's cues).
    pub fn supervisor(&self) -> &WhatsAppSupervisor {
        &self.inner.sup
    }

    /// Stops the tasks and the sidecar (and its browser).
    pub async fn shutdown(&self) {
        let _ = self.inner.stopping.send(true);
        self.inner.nudge.notify_one();
        if let Err(e) = self.inner.sup.shutdown().await {
            tracing::warn!(error = %e, "WhatsApp sidecar did not stop cleanly");
        }
        let tasks: Vec<_> = self
            .tasks
            .lock()
            .map(|mut t| t.drain(..).collect())
            .unwrap_or_default();
        for t in tasks {
            t.abort();
        }
    }
}

impl Drop for WaHost {
    fn drop(&mut self) {
        let _ = self.inner.stopping.send(true);
        if let Ok(mut t) = self.tasks.lock() {
            for t in t.drain(..) {
                t.abort();
            }
        }
    }
}

fn unavailable(detail: &str) -> AppError {
    AppError::new(ErrorCode::WhatsappUnavailable, detail)
}

pub(crate) fn status_of(inner: &Inner) -> WaStatus {
    let counts = match inner.app.outbox_counts(inner.tenant) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e.message, "cannot count the outbox");
            OutboxCounts::default()
        }
    };
    WaStatus {
        state: wa_state(&inner.sup.state()),
        available: true,
        problem: None,
        queued: counts.queued,
        unconfirmed: counts.unconfirmed,
        failed: counts.failed,
        stuck: counts.stuck,
        sync: inner.sync.lock().ok().and_then(|p| *p),
    }
}

/// The status to show when WhatsApp cannot run on this computer at all.
pub fn unavailable_status(problem: &str) -> WaStatus {
    WaStatus {
        state: WaState::NotConnected,
        available: false,
        problem: Some(problem.to_string()),
        queued: 0,
        unconfirmed: 0,
        failed: 0,
        sync: None,
        stuck: 0,
    }
}

/// Environment variable naming the sidecar script (overrides the search).
pub const SIDECAR_ENV: &str = "TOURDESK_SIDECAR";
/// The bundled script's path relative to the app's resource folder.
pub const SIDECAR_RESOURCE: &str = "whatsapp-sidecar/sidecar.cjs";

/// Finds the sidecar script: `TOURDESK_SIDECAR`, else the app's resource folder (an installed
/// app), else the source tree this binary was built from (development and tests). The error
/// says what is missing.
pub fn find_sidecar(resource_dir: Option<&std::path::Path>) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(SIDECAR_ENV).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "{SIDECAR_ENV} points at {}, which does not exist",
                p.display()
            ))
        };
    }
    let mut tried = Vec::new();
    if let Some(dir) = resource_dir {
        tried.push(dir.join(SIDECAR_RESOURCE));
    }
    let tree = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    tried.push(tree.join("sidecar/whatsapp/stage/sidecar.cjs"));
    tried.push(tree.join("sidecar/whatsapp/dist/sidecar.cjs"));
    // The unbundled sources (a development tree before `npm run build`).
    tried.push(tree.join("sidecar/whatsapp/src/main.js"));
    tried
        .iter()
        .find(|p| p.is_file())
        .map(|p| p.canonicalize().unwrap_or_else(|_| p.clone()))
        .ok_or_else(|| {
            format!(
                "the WhatsApp sidecar is not installed (looked at {}); reinstall Tourdesk or run `npm run build --workspace sidecar/whatsapp`",
                tried.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            )
        })
}

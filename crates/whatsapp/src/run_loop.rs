//! The supervision task of one account: launch, `hello`, health pings, restart with back-off,
//! crash-loop detection, clean stop.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rand::SeedableRng;
use tokio::sync::{broadcast, mpsc, oneshot, watch, Notify};

use crate::backoff::{restart_delay, CrashLoopDetector};
use crate::client::{spawn_stderr_logger, EventSink, ProtocolClient};
use crate::config::{ConnectParams, HealthPolicy, SupervisorConfig};
use crate::error::RequestError;
use crate::process::{
    sidecar_marker, sweep_orphans, ExitInfo, LaunchSpec, ProcessControl, ProcessLauncher,
};
use crate::protocol::{HelloResult, Request, SidecarEvent, PROTOCOL_VERSION};
use crate::state::{
    ConnectionState, SupervisorEvent, CODE_CRASH_LOOP, CODE_HELLO_REJECTED, CODE_SIDECAR_CRASHED,
    CODE_SIDECAR_START_FAILED, CODE_SIDECAR_UNRESPONSIVE,
};

/// Answer channel for the `hello` of the next launch.
pub(crate) type HelloTx = oneshot::Sender<Result<HelloResult, RequestError>>;

/// What the public handle asks of the task.
pub(crate) enum Command {
    /// Stop the current sidecar (if any), forget crash history, launch anew.
    Restart(Option<HelloTx>),
    /// Stop cleanly and end the task.
    Shutdown(oneshot::Sender<()>),
}

/// The sidecar process currently running.
#[derive(Clone)]
pub(crate) struct Live {
    pub(crate) client: Arc<ProtocolClient>,
    pub(crate) control: Arc<dyn ProcessControl>,
}

/// State shared by the handle, the task and the event sink.
pub(crate) struct Inner {
    pub(crate) config: SupervisorConfig,
    pub(crate) launcher: Arc<dyn ProcessLauncher>,
    pub(crate) state_tx: watch::Sender<ConnectionState>,
    pub(crate) events_tx: broadcast::Sender<SupervisorEvent>,
    pub(crate) live: Mutex<Option<Live>>,
    pub(crate) params: Mutex<Option<ConnectParams>>,
    /// Launch counter; events of older processes are dropped.
    generation: AtomicU64,
    /// Set by a `ready` event; a crash after it starts the back-off from the beginning.
    ready_seen: AtomicBool,
    /// Wakes the pinger at once (after a request time-out).
    pub(crate) health_nudge: Notify,
    /// `failed`/`internal` reported by the sidecar of this generation: restart it.
    internal_failure: Mutex<Option<(u64, String)>>,
    /// Wakes the task when `internal_failure` is set.
    internal_wake: Notify,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values stay consistent even if a holder panicked.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn unix_ms_in(d: Duration) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from((now + d).as_millis()).unwrap_or(u64::MAX)
}

enum Outcome {
    /// Shut down (with the caller to tell), or the handle is gone.
    Stop(Option<oneshot::Sender<()>>),
    /// Asked to restart.
    Restart(Option<HelloTx>),
    /// Cannot go on without the user.
    Fatal {
        code: &'static str,
        reason: String,
        advice: String,
    },
    /// The process died or hung; restart after back-off.
    Crashed { code: &'static str, reason: String },
}

impl Inner {
    pub(crate) fn new(config: SupervisorConfig, launcher: Arc<dyn ProcessLauncher>) -> Self {
        let (state_tx, _) = watch::channel(ConnectionState::Stopped);
        let (events_tx, _) = broadcast::channel(config.event_capacity.max(16));
        Inner {
            config,
            launcher,
            state_tx,
            events_tx,
            live: Mutex::new(None),
            params: Mutex::new(None),
            generation: AtomicU64::new(0),
            ready_seen: AtomicBool::new(false),
            health_nudge: Notify::new(),
            internal_failure: Mutex::new(None),
            internal_wake: Notify::new(),
        }
    }

    pub(crate) fn live(&self) -> Option<Live> {
        lock(&self.live).clone()
    }

    pub(crate) fn params(&self) -> Option<ConnectParams> {
        lock(&self.params).clone()
    }

    pub(crate) fn set_params(&self, p: ConnectParams) {
        *lock(&self.params) = Some(p);
    }

    /// Publishes a state (unless it equals the current one).
    pub(crate) fn set_state(&self, s: ConnectionState) {
        let changed = self.state_tx.send_if_modified(|cur| {
            if *cur == s {
                false
            } else {
                *cur = s.clone();
                true
            }
        });
        if changed {
            tracing::info!(account = %self.config.account, state = s.name(), "WhatsApp connection state");
            let _ = self.events_tx.send(SupervisorEvent::State(s));
        }
    }

    fn on_event(&self, generation: u64, ev: SidecarEvent) {
        if self.generation.load(Ordering::SeqCst) != generation {
            tracing::debug!(account = %self.config.account, "dropped an event of an old sidecar");
            return;
        }
        match ev {
            SidecarEvent::State(s) => match ConnectionState::from_event(&s) {
                Some(state) => {
                    if matches!(state, ConnectionState::Ready { .. }) {
                        self.ready_seen.store(true, Ordering::SeqCst);
                    }
                    if let ConnectionState::Failed { code, reason, .. } = &state {
                        if code == "internal" {
                            // A bug inside the sidecar: restart it (with back-off) rather than wait.
                            *lock(&self.internal_failure) = Some((generation, reason.clone()));
                            self.internal_wake.notify_one();
                        }
                    }
                    self.set_state(state);
                }
                None => {
                    tracing::warn!(account = %self.config.account, state = %s.state, "unknown sidecar state skipped")
                }
            },
            SidecarEvent::Error(e) => {
                tracing::warn!(account = %self.config.account, code = %e.code, "sidecar rejected a line: {}", e.message);
                let _ = self
                    .events_tx
                    .send(SupervisorEvent::Inbound(SidecarEvent::Error(e)));
            }
            other => {
                let _ = self.events_tx.send(SupervisorEvent::Inbound(other));
            }
        }
    }

    fn event_sink(self: &Arc<Self>, generation: u64) -> EventSink {
        let weak: Weak<Inner> = Arc::downgrade(self);
        Box::new(move |ev| {
            if let Some(inner) = weak.upgrade() {
                inner.on_event(generation, ev);
            }
        })
    }
}

/// The task body: one account's whole life, from the first launch to shutdown.
pub(crate) async fn run(
    inner: Arc<Inner>,
    mut cmds: mpsc::UnboundedReceiver<Command>,
    mut hello_tx: Option<HelloTx>,
) {
    let policy = inner.config.restart.clone();
    let mut crashes = CrashLoopDetector::new(policy.max_crashes, policy.crash_window);
    let mut attempt: u32 = 0;
    let mut rng = rand::rngs::StdRng::from_entropy();
    // Each pass launches at most one process. Passes end on shutdown or when the handle is gone;
    // after `failed` the task waits for a command instead of looping.
    loop {
        let Some(params) = inner.params() else {
            answer(
                &mut hello_tx,
                Err(RequestError::InvalidState("connect first".into())),
            );
            inner.set_state(ConnectionState::Stopped);
            return;
        };
        inner.set_state(ConnectionState::Starting);
        let (code, reason, advice, fatal) = match run_once(
            &inner,
            &params,
            &mut cmds,
            &mut hello_tx,
        )
        .await
        {
            Outcome::Stop(done) => {
                inner.set_state(ConnectionState::Stopped);
                if let Some(d) = done {
                    let _ = d.send(());
                }
                return;
            }
            Outcome::Restart(tx) => {
                crashes.reset();
                attempt = 0;
                hello_tx = tx;
                continue;
            }
            Outcome::Fatal {
                code,
                reason,
                advice,
            } => (code, reason, advice, true),
            Outcome::Crashed { code, reason } => {
                if inner.ready_seen.swap(false, Ordering::SeqCst) {
                    attempt = 0;
                }
                attempt = attempt.saturating_add(1);
                if crashes.record(Instant::now()) {
                    let reason = format!(
                        "the WhatsApp sidecar stopped {} times within {} s; last: {reason}",
                        crashes.recent(),
                        policy.crash_window.as_secs()
                    );
                    let advice = "The WhatsApp connection keeps crashing and is no longer restarted automatically. Press Reconnect to try again; if it happens again, send the log to support.".to_owned();
                    (CODE_CRASH_LOOP, reason, advice, true)
                } else {
                    (code, reason, String::new(), false)
                }
            }
        };
        answer(
            &mut hello_tx,
            Err(RequestError::InvalidState(format!("{code}: {reason}"))),
        );
        if fatal {
            tracing::error!(account = %inner.config.account, code, "WhatsApp sidecar failed: {reason}");
            inner.set_state(ConnectionState::Failed {
                code: code.into(),
                reason,
                advice,
            });
            match cmds.recv().await {
                Some(Command::Restart(tx)) => {
                    crashes.reset();
                    attempt = 0;
                    hello_tx = tx;
                    continue;
                }
                Some(Command::Shutdown(done)) => {
                    inner.set_state(ConnectionState::Stopped);
                    let _ = done.send(());
                    return;
                }
                None => return,
            }
        }
        let delay = restart_delay(&policy, attempt, &mut rng);
        tracing::warn!(account = %inner.config.account, code, attempt, ?delay, "WhatsApp sidecar will be restarted: {reason}");
        inner.set_state(ConnectionState::Degraded {
            code: code.into(),
            reason,
            advice: Some(
                "The WhatsApp connection stopped unexpectedly; Tourdesk restarts it automatically."
                    .into(),
            ),
            next_retry_at: Some(unix_ms_in(delay)),
        });
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            cmd = cmds.recv() => match cmd {
                Some(Command::Restart(tx)) => {
                    crashes.reset();
                    attempt = 0;
                    hello_tx = tx;
                }
                Some(Command::Shutdown(done)) => {
                    inner.set_state(ConnectionState::Stopped);
                    let _ = done.send(());
                    return;
                }
                None => return,
            },
        }
    }
}

fn answer(tx: &mut Option<HelloTx>, r: Result<HelloResult, RequestError>) {
    if let Some(tx) = tx.take() {
        let _ = tx.send(r);
    }
}

/// Waits until the process has exited, at most `limit`; true if it has.
async fn wait_exit(exited: &mut watch::Receiver<Option<ExitInfo>>, limit: Duration) -> bool {
    if exited.borrow().is_some() {
        return true;
    }
    matches!(
        tokio::time::timeout(limit, exited.wait_for(Option::is_some)).await,
        Ok(Ok(_))
    )
}

/// `shutdown`, close stdin, wait `grace`, then kill the tree.
async fn stop_gracefully(
    live: &Live,
    exited: &mut watch::Receiver<Option<ExitInfo>>,
    health: &HealthPolicy,
) {
    if exited.borrow().is_some() {
        return;
    }
    let ask = health.shutdown_grace.min(Duration::from_secs(3));
    if let Err(e) = live.client.call(&Request::Shutdown, ask).await {
        tracing::debug!("shutdown request: {e}");
    }
    // Bounded: a write blocked on a full pipe of a hung sidecar holds the writer.
    let _ = tokio::time::timeout(Duration::from_secs(1), live.client.close_stdin()).await;
    if !wait_exit(exited, health.shutdown_grace).await {
        tracing::warn!(
            "the sidecar did not exit within {:?}; killing it",
            health.shutdown_grace
        );
        live.control.kill_tree();
        wait_exit(exited, Duration::from_secs(3)).await;
    }
}

fn hello_request(params: &ConnectParams) -> Request {
    Request::Hello {
        data_dir: params.data_dir.display().to_string(),
        media_dir: params.media_dir.as_ref().map(|m| m.display().to_string()),
        adapter: params.adapter,
        options: params.options.clone(),
    }
}

fn check_hello(v: Result<serde_json::Value, RequestError>) -> Result<HelloResult, RequestError> {
    let h: HelloResult = serde_json::from_value(v?).map_err(|e| RequestError::Protocol {
        request: "hello".into(),
        detail: e.to_string(),
    })?;
    if h.protocol != PROTOCOL_VERSION {
        return Err(RequestError::Protocol {
            request: "hello".into(),
            detail: format!(
                "the sidecar speaks protocol {}, this app {PROTOCOL_VERSION}; reinstall Tourdesk",
                h.protocol
            ),
        });
    }
    Ok(h)
}

/// Pings until the process goes away; reports when `max_missed_pings` pings in a row time out.
async fn ping_loop(
    client: Arc<ProtocolClient>,
    health: HealthPolicy,
    inner: Weak<Inner>,
    failed: mpsc::Sender<String>,
) {
    let mut missed = 0u32;
    // Runs for the life of one process; ends when its stdout closes or after reporting.
    loop {
        let nudged = {
            let Some(inner) = inner.upgrade() else { return };
            tokio::select! {
                _ = tokio::time::sleep(health.ping_interval) => false,
                _ = inner.health_nudge.notified() => true,
            }
        };
        if client.is_closed() {
            return;
        }
        match client.call(&Request::Ping, health.ping_timeout).await {
            Ok(_) => missed = 0,
            Err(RequestError::Timeout { .. }) => {
                missed += 1;
                tracing::warn!(missed, nudged, "sidecar missed a ping");
                if missed >= health.max_missed_pings.max(1) {
                    let _ = failed
                        .send(format!(
                            "the sidecar did not answer {missed} ping(s) within {:?}",
                            health.ping_timeout
                        ))
                        .await;
                    return;
                }
            }
            Err(e) => {
                tracing::debug!("ping failed: {e}");
                if client.is_closed() {
                    return;
                }
            }
        }
    }
}

/// Launches one sidecar and supervises it until it ends or a command arrives.
async fn run_once(
    inner: &Arc<Inner>,
    params: &ConnectParams,
    cmds: &mut mpsc::UnboundedReceiver<Command>,
    hello_tx: &mut Option<HelloTx>,
) -> Outcome {
    let cfg = &inner.config;
    if !cfg.script.is_file() {
        return Outcome::Fatal {
            code: CODE_SIDECAR_START_FAILED,
            reason: format!(
                "the WhatsApp sidecar script {} does not exist",
                cfg.script.display()
            ),
            advice: "Reinstall Tourdesk.".into(),
        };
    }
    // Two sidecars must never share a data dir: clear what a killed one may have left.
    sweep_orphans(&params.data_dir);
    let spec = LaunchSpec {
        program: cfg.node.clone(),
        args: vec![
            cfg.script.clone().into_os_string(),
            sidecar_marker(&params.data_dir).into(),
        ],
        env: cfg.env.clone(),
    };
    let spawned = match inner.launcher.launch(&spec) {
        Ok(s) => s,
        Err(e) => {
            return Outcome::Fatal {
                code: CODE_SIDECAR_START_FAILED,
                reason: e.to_string(),
                advice: format!(
                "Check that Node.js 20 or newer is installed (or set {}), then press Reconnect.",
                crate::config::NODE_ENV_OVERRIDE
            ),
            }
        }
    };
    let generation = inner.generation.fetch_add(1, Ordering::SeqCst) + 1;
    inner.ready_seen.store(false, Ordering::SeqCst);
    let label = cfg.account.clone();
    let (client, reader) = ProtocolClient::start(
        label.clone(),
        spawned.stdin,
        spawned.stdout,
        inner.event_sink(generation),
    );
    let stderr_task = spawn_stderr_logger(label, spawned.stderr);
    let control = spawned.control;
    let mut exited = spawned.exited;
    let pid = control.pid();
    let live = Live {
        client: Arc::clone(&client),
        control: Arc::clone(&control),
    };
    *lock(&inner.live) = Some(live.clone());
    tracing::info!(account = %cfg.account, ?pid, "WhatsApp sidecar started");
    let _ = inner
        .events_tx
        .send(SupervisorEvent::SidecarStarted { pid });

    let health = cfg.health.clone();
    let (failed_tx, mut failed_rx) = mpsc::channel::<String>(1);
    let hello_client = Arc::clone(&client);
    let hello_req = hello_request(params);
    let hello_timeout = health.hello_timeout;
    let mut hello_fut =
        Box::pin(async move { check_hello(hello_client.call(&hello_req, hello_timeout).await) });
    let mut hello_done = false;
    let mut pinger = None;

    let outcome = loop {
        tokio::select! {
            res = &mut hello_fut, if !hello_done => {
                hello_done = true;
                match res {
                    Ok(h) => {
                        tracing::info!(account = %cfg.account, version = %h.sidecar_version, adapter = %h.adapter, "sidecar accepted hello");
                        answer(hello_tx, Ok(h));
                        pinger = Some(tokio::spawn(ping_loop(
                            Arc::clone(&client),
                            health.clone(),
                            Arc::downgrade(inner),
                            failed_tx.clone(),
                        )));
                    }
                    Err(e @ RequestError::Refused { .. }) if e.is_transient() => {
                        let reason = format!("hello failed: {e}");
                        answer(hello_tx, Err(e));
                        stop_gracefully(&live, &mut exited, &health).await;
                        break Outcome::Crashed { code: CODE_SIDECAR_CRASHED, reason };
                    }
                    Err(e @ (RequestError::Refused { .. } | RequestError::Protocol { .. })) => {
                        let reason = e.to_string();
                        answer(hello_tx, Err(e));
                        stop_gracefully(&live, &mut exited, &health).await;
                        break Outcome::Fatal {
                            code: CODE_HELLO_REJECTED,
                            reason,
                            advice: "The WhatsApp component does not match this app version; reinstall Tourdesk.".into(),
                        };
                    }
                    Err(e) => {
                        let reason = format!("hello failed: {e}");
                        answer(hello_tx, Err(e));
                        control.kill_tree();
                        wait_exit(&mut exited, Duration::from_secs(5)).await;
                        break Outcome::Crashed { code: CODE_SIDECAR_UNRESPONSIVE, reason };
                    }
                }
            }
            _ = exited.changed() => {
                let how = (*exited.borrow()).map(|e| e.to_string()).unwrap_or_else(|| "unknown".into());
                answer(hello_tx, Err(RequestError::Disconnected { request: "hello".into() }));
                break Outcome::Crashed {
                    code: CODE_SIDECAR_CRASHED,
                    reason: format!("the sidecar exited unexpectedly ({how})"),
                };
            }
            _ = inner.internal_wake.notified() => {
                let failure = lock(&inner.internal_failure).take();
                if let Some((g, reason)) = failure {
                    if g == generation {
                        stop_gracefully(&live, &mut exited, &health).await;
                        break Outcome::Crashed {
                            code: CODE_SIDECAR_CRASHED,
                            reason: format!("the sidecar failed internally: {reason}"),
                        };
                    }
                }
            }
            Some(reason) = failed_rx.recv() => {
                tracing::warn!(account = %cfg.account, "killing a hung sidecar: {reason}");
                control.kill_tree();
                wait_exit(&mut exited, Duration::from_secs(5)).await;
                break Outcome::Crashed { code: CODE_SIDECAR_UNRESPONSIVE, reason };
            }
            cmd = cmds.recv() => {
                stop_gracefully(&live, &mut exited, &health).await;
                break match cmd {
                    Some(Command::Shutdown(done)) => Outcome::Stop(Some(done)),
                    Some(Command::Restart(tx)) => {
                        answer(hello_tx, Err(RequestError::InvalidState("restarted".into())));
                        Outcome::Restart(tx)
                    }
                    None => Outcome::Stop(None),
                };
            }
        }
    };

    if let Some(p) = pinger {
        p.abort();
    }
    drop(hello_fut);
    *lock(&inner.live) = None;
    if !wait_exit(&mut exited, Duration::from_millis(10)).await {
        control.kill_tree();
        wait_exit(&mut exited, Duration::from_secs(5)).await;
    }
    let exit = (*exited.borrow()).unwrap_or(ExitInfo {
        code: None,
        signal: None,
    });
    let expected = matches!(outcome, Outcome::Stop(_) | Outcome::Restart(_));
    tracing::info!(account = %cfg.account, ?pid, %exit, expected, "WhatsApp sidecar ended");
    let _ = inner.events_tx.send(SupervisorEvent::SidecarExited {
        pid,
        exit,
        expected,
    });
    // Both pipes close with the process; bounded anyway.
    let _ = tokio::time::timeout(Duration::from_secs(2), reader).await;
    let _ = tokio::time::timeout(Duration::from_secs(2), stderr_task).await;
    sweep_orphans(&params.data_dir);
    outcome
}

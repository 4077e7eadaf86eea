//! Helpers for tests that run the real sidecar process with the fake adapter.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use tokio::sync::broadcast;
use tourdesk_whatsapp::{
    find_node, AdapterKind, ConnectParams, ConnectionState, HealthPolicy, RestartPolicy,
    SupervisorConfig, SupervisorEvent, WhatsAppSupervisor,
};

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
}

/// The sidecar entry under test: `TOURDESK_SIDECAR_ENTRY` (relative to the sidecar package or
/// absolute), else the unbundled sources `sidecar/whatsapp/src/main.js`.
pub fn sidecar_script() -> PathBuf {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sidecar/whatsapp");
    let entry = std::env::var("TOURDESK_SIDECAR_ENTRY").unwrap_or_else(|_| "src/main.js".into());
    let p = package.join(entry);
    assert!(p.is_file(), "sidecar entry {} is missing", p.display());
    p
}

/// Fast policies so restarts and crash loops take well under a second.
pub fn fast_config(account: &str) -> SupervisorConfig {
    let node = find_node().expect("node must be installed for these tests");
    let mut c = SupervisorConfig::new(account, node, sidecar_script());
    c.restart = RestartPolicy {
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
        jitter: 0.2,
        max_crashes: 3,
        crash_window: Duration::from_secs(30),
    };
    c.health = HealthPolicy {
        ping_interval: Duration::from_millis(500),
        ping_timeout: Duration::from_millis(1500),
        max_missed_pings: 1,
        request_timeout: Duration::from_secs(5),
        history_timeout: Duration::from_secs(10),
        send_timeout: Duration::from_secs(6),
        hello_timeout: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(3),
    };
    c
}

/// Fake-adapter params for a data dir (QR rotation off, so states are predictable).
pub fn fake_params(dir: &std::path::Path) -> ConnectParams {
    let mut p = ConnectParams::new(dir.join("account"), AdapterKind::Fake);
    p.options.insert("qr_rotate_ms".into(), Value::from(0));
    p
}

/// An empty JSON object.
pub fn no_params() -> Map<String, Value> {
    Map::new()
}

/// A JSON object from a `json!` value.
pub fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

/// Records the events of a subscription and waits for ones that match.
pub struct Recorder {
    rx: broadcast::Receiver<SupervisorEvent>,
    /// Every event received so far.
    pub seen: Vec<SupervisorEvent>,
}

impl Recorder {
    /// Subscribes to `sup`.
    pub fn new(sup: &WhatsAppSupervisor) -> Self {
        Recorder {
            rx: sup.subscribe(),
            seen: Vec::new(),
        }
    }

    /// Waits up to `limit` for an event matching `pred`; returns it and how long it took.
    pub async fn wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&SupervisorEvent) -> bool,
    ) -> (SupervisorEvent, Duration) {
        let start = Instant::now();
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Ok(ev)) => {
                    self.seen.push(ev.clone());
                    if pred(&ev) {
                        return (ev, start.elapsed());
                    }
                }
                Ok(Err(broadcast::error::RecvError::Lagged(n))) => panic!("lagged by {n}"),
                Ok(Err(broadcast::error::RecvError::Closed)) => panic!("channel closed"),
                Err(_) => panic!(
                    "{what}: not seen within {limit:?}; states so far: {:?}",
                    self.states()
                ),
            }
        }
    }

    /// Waits for a state with this wire name.
    pub async fn wait_state(&mut self, name: &str, limit: Duration) -> ConnectionState {
        let (ev, _) = self
            .wait_for(
                name,
                limit,
                |e| matches!(e, SupervisorEvent::State(s) if s.name() == name),
            )
            .await;
        match ev {
            SupervisorEvent::State(s) => s,
            _ => unreachable!(),
        }
    }

    /// Names of the states seen so far, in order.
    pub fn states(&self) -> Vec<&'static str> {
        self.seen
            .iter()
            .filter_map(|e| match e {
                SupervisorEvent::State(s) => Some(s.name()),
                _ => None,
            })
            .collect()
    }
}

/// Connects and pairs by QR; returns when ready.
pub async fn connect_ready(sup: &WhatsAppSupervisor, params: ConnectParams, rec: &mut Recorder) {
    sup.connect(params).await.expect("hello");
    let (first, _) = rec
        .wait_for("qr or ready", Duration::from_secs(10), |e| {
            matches!(
                e,
                SupervisorEvent::State(ConnectionState::Qr { .. } | ConnectionState::Ready { .. })
            )
        })
        .await;
    if matches!(first, SupervisorEvent::State(ConnectionState::Qr { .. })) {
        sup.fake("fake_scan", no_params()).await.expect("scan");
        rec.wait_state("ready", Duration::from_secs(10)).await;
    }
}

/// Pids of processes whose command line contains `needle`, by `pgrep -f` (independent of the crate).
pub fn pgrep(needle: &str) -> Vec<u32> {
    let out = std::process::Command::new("pgrep")
        .arg("-f")
        .arg("--")
        .arg(needle)
        .output()
        .expect("pgrep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .filter(|&p| p != std::process::id())
        .collect()
}

/// Polls until no process mentions `needle` (by pgrep), at most `limit`; returns what is left.
pub async fn wait_no_process(needle: &str, limit: Duration) -> Vec<u32> {
    let deadline = Instant::now() + limit;
    loop {
        let left = pgrep(needle);
        if left.is_empty() || Instant::now() >= deadline {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sends a signal with `kill(1)`.
pub fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .status()
        .expect("kill")
        .success();
    assert!(ok, "kill -{sig} {pid} failed");
}

/// The first Chromium/Chrome found; `None` (the test then skips loudly) when none is installed,
/// a failure instead when `TOURDESK_REQUIRE_BROWSER=1`.
pub fn browser_or_skip(test: &str) -> Option<&'static str> {
    let found = [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists());
    if found.is_none() {
        let required = std::env::var("TOURDESK_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{test}: no Chromium/Chrome installed and TOURDESK_REQUIRE_BROWSER=1"
        );
        eprintln!(
            "SKIPPED {test}: no Chromium installed (TOURDESK_REQUIRE_BROWSER=1 fails instead)"
        );
    }
    found
}

//! Host behaviour the real sidecar cannot show on cue, against a scripted stand-in process.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use tourdesk_whatsapp::{
    ConnectionState, SupervisorConfig, WhatsAppSupervisor, CODE_CRASH_LOOP, CODE_HELLO_REJECTED,
};

const WAIT: Duration = Duration::from_secs(10);

fn stand_in(mode: &str) -> SupervisorConfig {
    let mut c = fast_config(mode);
    c.script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stand_in_sidecar.cjs");
    c.env.push(("STAND_IN_MODE".into(), mode.into()));
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_events_and_garbage_lines_are_skipped_and_the_stream_goes_on() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(stand_in("noisy"));
    let mut rec = Recorder::new(&sup);
    sup.connect(fake_params(dir.path())).await.unwrap();
    rec.wait_state("ready", WAIT).await;
    assert_eq!(rec.states(), ["starting", "ready"]);
    assert!(sup.ping().await.unwrap().pong);
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sidecar_reporting_an_internal_failure_is_restarted_until_the_crash_loop_stops_it() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(stand_in("internal"));
    let mut rec = Recorder::new(&sup);
    sup.connect(fake_params(dir.path())).await.unwrap();
    let degraded = rec.wait_state("degraded", WAIT).await;
    assert!(
        matches!(degraded, ConnectionState::Degraded { ref reason, .. } if reason.contains("stand-in bug")),
        "{degraded:?}"
    );
    let failed = rec.wait_state("failed", WAIT).await;
    // The sidecar's own failed/internal states come first; the last word is the crash loop.
    let mut last = failed;
    while !matches!(last, ConnectionState::Failed { ref code, .. } if code == CODE_CRASH_LOOP) {
        last = rec.wait_state("failed", WAIT).await;
    }
    assert_eq!(sup.sidecar_pid(), None);
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sidecar_speaking_another_protocol_version_is_refused_and_not_restarted() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(stand_in("protocol2"));
    let mut rec = Recorder::new(&sup);
    let err = sup.connect(fake_params(dir.path())).await.unwrap_err();
    assert!(err.to_string().contains("protocol 2"), "{err}");
    let failed = rec.wait_state("failed", WAIT).await;
    assert!(
        matches!(failed, ConnectionState::Failed { ref code, .. } if code == CODE_HELLO_REJECTED)
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sup.sidecar_pid(), None);
    assert!(!rec.states().contains(&"degraded"));
    sup.shutdown().await.unwrap();
}

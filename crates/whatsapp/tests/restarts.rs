//! Crashes, kills, hangs and crash loops of the real sidecar process under the supervisor.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use tourdesk_whatsapp::{
    sidecar_marker, ConnectionState, RequestError, SupervisorEvent, WhatsAppSupervisor,
    CODE_CRASH_LOOP, CODE_SIDECAR_CRASHED, CODE_SIDECAR_UNRESPONSIVE,
};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sidecar_killed_with_sigkill_is_restarted_and_the_user_sees_degraded_then_ready() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("sigkill"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, fake_params(dir.path()), &mut rec).await;
    let old_pid = sup.sidecar_pid().unwrap();
    let killed_at = Instant::now();
    signal(old_pid, "KILL");
    let degraded = rec.wait_state("degraded", WAIT).await;
    match degraded {
        ConnectionState::Degraded {
            code,
            next_retry_at,
            ..
        } => {
            assert_eq!(code, CODE_SIDECAR_CRASHED);
            let at = next_retry_at.expect("a retry time");
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64;
            assert!(
                at >= now_ms.saturating_sub(1000) && at <= now_ms + 5000,
                "{at} vs {now_ms}"
            );
        }
        other => panic!("{other:?}"),
    }
    rec.wait_state("ready", WAIT).await;
    let took = killed_at.elapsed();
    eprintln!("SIGKILL -> ready again in {took:?}");
    let new_pid = sup.sidecar_pid().unwrap();
    assert_ne!(new_pid, old_pid);
    // Restored session: no QR on the way back.
    let after_kill: Vec<_> = rec
        .states()
        .into_iter()
        .skip_while(|s| *s != "degraded")
        .collect();
    assert!(!after_kill.contains(&"qr"), "{after_kill:?}");
    assert!(rec.seen.iter().any(|e| matches!(
        e,
        SupervisorEvent::SidecarExited {
            expected: false,
            ..
        }
    )));
    sup.get_chats().await.unwrap();
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_crashes_end_in_failed_with_crash_loop_and_restart_brings_it_back() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("loop"));
    let mut rec = Recorder::new(&sup);
    let params = fake_params(dir.path());
    let marker = sidecar_marker(&params.data_dir);
    connect_ready(&sup, params, &mut rec).await;
    let first_crash = Instant::now();
    for round in 0..3 {
        let err = sup
            .fake("fake_crash", obj(json!({"exit_code": 3})))
            .await
            .unwrap_err();
        assert!(matches!(err, RequestError::Disconnected { .. }), "{err:?}");
        if round < 2 {
            rec.wait_state("degraded", WAIT).await;
            rec.wait_state("ready", WAIT).await;
        }
    }
    let failed = rec.wait_state("failed", WAIT).await;
    eprintln!("3 crashes -> failed in {:?}", first_crash.elapsed());
    match failed {
        ConnectionState::Failed {
            code,
            reason,
            advice,
        } => {
            assert_eq!(code, CODE_CRASH_LOOP);
            assert!(reason.contains("3 times"), "{reason}");
            assert!(!advice.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // No more restarts: nothing runs and the state stays failed.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sup.state().name(), "failed");
    assert_eq!(sup.sidecar_pid(), None);
    assert!(pgrep(&marker).is_empty());
    assert!(matches!(
        sup.get_chats().await,
        Err(RequestError::NotRunning)
    ));
    // Asked by the user: it starts again, with the session.
    sup.restart().await.unwrap();
    rec.wait_state("ready", WAIT).await;
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_sidecar_that_misses_a_ping_is_killed_and_restarted() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("hung"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, fake_params(dir.path()), &mut rec).await;
    let old_pid = sup.sidecar_pid().unwrap();
    let stopped_at = Instant::now();
    signal(old_pid, "STOP");
    let degraded = rec.wait_state("degraded", WAIT).await;
    let detected = stopped_at.elapsed();
    assert!(
        matches!(degraded, ConnectionState::Degraded { ref code, .. } if code == CODE_SIDECAR_UNRESPONSIVE),
        "{degraded:?}"
    );
    rec.wait_state("ready", WAIT).await;
    eprintln!(
        "hang detected in {detected:?}, ready again in {:?}",
        stopped_at.elapsed()
    );
    assert_ne!(sup.sidecar_pid(), Some(old_pid));
    // The stopped process was killed, not left behind.
    assert!(
        !std::path::Path::new(&format!("/proc/{old_pid}")).exists() || {
            let stat = std::fs::read_to_string(format!("/proc/{old_pid}/stat")).unwrap_or_default();
            stat.contains(") Z ")
        }
    );
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutting_down_a_hung_sidecar_kills_it_within_the_grace_time() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = fast_config("hung-shutdown");
    config.health.ping_interval = Duration::from_secs(60); // only shutdown acts here
    config.health.shutdown_grace = Duration::from_secs(1);
    let sup = WhatsAppSupervisor::new(config);
    let mut rec = Recorder::new(&sup);
    let params = fake_params(dir.path());
    let marker = sidecar_marker(&params.data_dir);
    connect_ready(&sup, params, &mut rec).await;
    signal(sup.sidecar_pid().unwrap(), "STOP");
    let started = Instant::now();
    sup.shutdown().await.unwrap();
    let took = started.elapsed();
    eprintln!("shutdown of a hung sidecar took {took:?}");
    assert!(took < Duration::from_secs(6), "{took:?}");
    assert_eq!(
        wait_no_process(&marker, Duration::from_secs(2)).await,
        Vec::<u32>::new()
    );
    assert_eq!(sup.state(), ConnectionState::Stopped);
}

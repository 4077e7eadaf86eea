//! Nothing is left running after shutdown or drop: checked in the process table by data dir.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use tourdesk_whatsapp::{sidecar_marker, AdapterKind, ConnectParams, WhatsAppSupervisor};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_sidecar_with_the_data_dir_is_left_after_shutdown_nor_after_drop() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let params = fake_params(dir.path());
    let data_dir = params.data_dir.display().to_string();

    let sup = WhatsAppSupervisor::new(fast_config("tree-1"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, params.clone(), &mut rec).await;
    assert_eq!(
        pgrep(&data_dir).len(),
        1,
        "the sidecar carries its data dir marker"
    );
    let started = Instant::now();
    sup.shutdown().await.unwrap();
    eprintln!("clean shutdown took {:?}", started.elapsed());
    assert_eq!(pgrep(&data_dir), Vec::<u32>::new());

    let sup = WhatsAppSupervisor::new(fast_config("tree-2"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, params.clone(), &mut rec).await;
    let pid = sup.sidecar_pid().unwrap();
    drop(sup);
    let left = wait_no_process(&data_dir, Duration::from_secs(2)).await;
    assert_eq!(left, Vec::<u32>::new(), "pid {pid} survived the drop");
    assert!(pgrep(&sidecar_marker(&params.data_dir)).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sidecar_left_behind_by_a_killed_host_is_swept_before_a_new_one_starts() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let params = fake_params(dir.path());
    let marker = sidecar_marker(&params.data_dir);
    // A stray process that carries this data dir's marker, as a previous host would leave.
    let mut stray = std::process::Command::new(tourdesk_whatsapp::find_node().unwrap())
        .arg("-e")
        .arg("setTimeout(() => {}, 30000)")
        .arg("--")
        .arg(&marker)
        .spawn()
        .unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("tree-3"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, params.clone(), &mut rec).await;
    let status = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::task::spawn_blocking(move || stray.wait()),
    )
    .await
    .expect("the stray process was not killed")
    .unwrap()
    .unwrap();
    assert!(!status.success());
    assert_eq!(pgrep(&marker), vec![sup.sidecar_pid().unwrap()]);
    sup.shutdown().await.unwrap();
}

/// The real adapter with a real Chromium, kept off the internet by a dead loopback proxy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_adapters_chromium_is_gone_after_the_supervisor_is_dropped() {
    init_tracing();
    let Some(browser) = browser_or_skip("chromium_is_gone_after_drop") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut params = ConnectParams::new(dir.path().join("account"), AdapterKind::Real);
    params.options.insert("browser_path".into(), json!(browser));
    // A loopback "proxy" that accepts and never answers: the page load hangs, the browser stays.
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_addr = proxy.local_addr().unwrap();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = proxy.accept().await {
            held.push(sock);
        }
    });
    params
        .options
        .insert("proxy_server".into(), json!(proxy_addr.to_string()));
    params
        .options
        .insert("init_timeout_ms".into(), json!(20000));
    let data_dir = params.data_dir.display().to_string();
    let sup = WhatsAppSupervisor::new(fast_config("tree-chromium"));
    let mut rec = Recorder::new(&sup);
    sup.connect(params).await.unwrap();
    // Wait until a browser with this profile runs (the sidecar itself is the one other match).
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut browsers = Vec::new();
    while Instant::now() < deadline {
        browsers = pgrep(&format!("--user-data-dir={data_dir}"));
        if !browsers.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !browsers.is_empty(),
        "no Chromium started; states {:?}",
        rec.states()
    );
    let sidecar = sup.sidecar_pid().unwrap();
    // Kill the sidecar hard first, as a crash would: its Chromium must not survive either.
    signal(sidecar, "KILL");
    rec.wait_state("degraded", Duration::from_secs(10)).await;
    drop(sup);
    let left = wait_no_process(&data_dir, Duration::from_secs(3)).await;
    holder.abort();
    assert_eq!(
        left,
        Vec::<u32>::new(),
        "left behind (browsers were {browsers:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_supervisor_on_the_same_data_dir_is_refused_until_the_first_shuts_down() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let params = fake_params(dir.path());
    let first = WhatsAppSupervisor::new(fast_config("same-1"));
    let mut rec = Recorder::new(&first);
    connect_ready(&first, params.clone(), &mut rec).await;
    let pid = first.sidecar_pid();
    let second = WhatsAppSupervisor::new(fast_config("same-2"));
    let err = second.connect(params.clone()).await.unwrap_err();
    assert!(
        matches!(err, tourdesk_whatsapp::RequestError::InvalidState(_)),
        "{err:?}"
    );
    assert_eq!(
        first.sidecar_pid(),
        pid,
        "the first sidecar was not disturbed"
    );
    first.shutdown().await.unwrap();
    second.connect(params).await.unwrap();
    second.shutdown().await.unwrap();
}

/// Offline (a loopback proxy port nobody listens on): a visible `whatsapp_unreachable`, then a
/// clean shutdown that leaves no browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_adapter_offline_shows_whatsapp_unreachable_and_leaves_no_browser() {
    init_tracing();
    let Some(browser) = browser_or_skip("offline_shows_whatsapp_unreachable") else {
        return;
    };
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut params = ConnectParams::new(dir.path().join("account"), AdapterKind::Real);
    params.options.insert("browser_path".into(), json!(browser));
    params.options.insert(
        "proxy_server".into(),
        json!(format!("127.0.0.1:{closed_port}")),
    );
    let data_dir = params.data_dir.display().to_string();
    let sup = WhatsAppSupervisor::new(fast_config("offline"));
    let mut rec = Recorder::new(&sup);
    let started = Instant::now();
    sup.connect(params).await.unwrap();
    let degraded = rec.wait_state("degraded", Duration::from_secs(15)).await;
    eprintln!(
        "offline -> degraded in {:?}: {degraded:?}",
        started.elapsed()
    );
    match degraded {
        tourdesk_whatsapp::ConnectionState::Degraded {
            code,
            advice,
            next_retry_at,
            ..
        } => {
            assert_eq!(code, "whatsapp_unreachable");
            assert!(advice.unwrap_or_default().contains("cannot be reached"));
            assert!(next_retry_at.is_some());
        }
        other => panic!("{other:?}"),
    }
    // The app stays usable: the sidecar answers, and stops cleanly.
    assert!(sup.ping().await.unwrap().pong);
    sup.shutdown().await.unwrap();
    assert_eq!(
        wait_no_process(&data_dir, Duration::from_secs(2)).await,
        Vec::<u32>::new()
    );
    assert!(tourdesk_whatsapp::pids_mentioning(&data_dir).is_empty());
}

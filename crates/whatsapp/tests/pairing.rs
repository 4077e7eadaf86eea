//! Linking by QR and by pairing code, and session restore, against the real sidecar (fake adapter).

mod common;

use std::time::Duration;

use common::*;
use tourdesk_whatsapp::{ConnectionState, WhatsAppSupervisor};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanning_the_qr_code_brings_the_account_to_ready() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("qr"));
    let mut rec = Recorder::new(&sup);
    let hello = sup.connect(fake_params(dir.path())).await.unwrap();
    assert_eq!(hello.protocol, 1);
    assert_eq!(hello.adapter, "fake");
    let qr = rec.wait_state("qr", WAIT).await;
    assert!(matches!(qr, ConnectionState::Qr { ref qr } if !qr.is_empty()));
    sup.fake("fake_scan", no_params()).await.unwrap();
    let ready = rec.wait_state("ready", WAIT).await;
    assert!(matches!(ready, ConnectionState::Ready { account: Some(ref a) } if a == "10000000001"));
    assert_eq!(rec.states(), ["starting", "qr", "authenticated", "ready"]);
    assert!(sup.get_chats().await.unwrap().is_empty());
    sup.shutdown().await.unwrap();
    assert_eq!(sup.state(), ConnectionState::Stopped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pairing_code_is_shown_and_typing_it_on_the_phone_links_that_number() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("code"));
    let mut rec = Recorder::new(&sup);
    sup.connect(fake_params(dir.path())).await.unwrap();
    rec.wait_state("qr", WAIT).await;
    let code = sup.request_pairing_code("+44 7700 900123").await.unwrap();
    assert_eq!(code.len(), 8);
    let shown = rec.wait_state("pairing_code", WAIT).await;
    assert_eq!(
        shown,
        ConnectionState::PairingCode {
            code: code.clone(),
            phone: Some("447700900123".into())
        }
    );
    sup.fake("fake_pairing_complete", no_params())
        .await
        .unwrap();
    let ready = rec.wait_state("ready", WAIT).await;
    assert!(
        matches!(ready, ConnectionState::Ready { account: Some(ref a) } if a == "447700900123")
    );
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pairing_code_for_a_bad_number_is_refused_permanently() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("badcode"));
    let mut rec = Recorder::new(&sup);
    sup.connect(fake_params(dir.path())).await.unwrap();
    rec.wait_state("qr", WAIT).await;
    let err = sup.request_pairing_code("call me maybe").await.unwrap_err();
    assert_eq!(err.code(), Some("invalid_number"));
    assert!(!err.is_transient());
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_supervisor_on_a_saved_session_reaches_ready_without_a_qr_code() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    {
        let sup = WhatsAppSupervisor::new(fast_config("restore-1"));
        let mut rec = Recorder::new(&sup);
        connect_ready(&sup, fake_params(dir.path()), &mut rec).await;
        assert!(rec.states().contains(&"qr"));
        sup.shutdown().await.unwrap();
    }
    let sup = WhatsAppSupervisor::new(fast_config("restore-2"));
    let mut rec = Recorder::new(&sup);
    sup.connect(fake_params(dir.path())).await.unwrap();
    rec.wait_state("ready", WAIT).await;
    assert_eq!(rec.states(), ["starting", "authenticated", "ready"]);
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_out_shows_logged_out_and_the_next_start_asks_for_a_qr_again() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("logout"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, fake_params(dir.path()), &mut rec).await;
    sup.logout().await.unwrap();
    rec.wait_state("logged_out", WAIT).await;
    sup.reconnect().await.unwrap();
    rec.wait_state("qr", WAIT).await;
    sup.shutdown().await.unwrap();
}

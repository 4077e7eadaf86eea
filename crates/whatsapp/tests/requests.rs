//! Requests through the supervisor: sends, errors, time-outs and inbound events.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use tourdesk_whatsapp::{
    ConnectionState, OutgoingMessage, Recipient, RequestError, SendError, SidecarEvent,
    SupervisorConfig, SupervisorEvent, WhatsAppSupervisor, CODE_SIDECAR_START_FAILED,
};

const WAIT: Duration = Duration::from_secs(10);

fn text_to(phone: &str, text: &str, key: &str) -> OutgoingMessage {
    OutgoingMessage {
        to: Recipient::Phone(phone.into()),
        text: text.into(),
        media: None,
        idempotency_key: key.into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_message_returns_its_id_and_incoming_messages_and_acks_reach_subscribers() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("send"));
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, fake_params(dir.path()), &mut rec).await;

    let sent = sup
        .send_message(text_to("+7 916 123-45-67", "Price: 500 EUR", "outbox-1"))
        .await
        .unwrap();
    assert_eq!(sent.chat_id, "79161234567@c.us");
    assert!(sent.wa_id.stable.starts_with("10000000001:1:"));
    assert_eq!(sent.idempotency_key.as_deref(), Some("outbox-1"));
    let stable = sent.wa_id.stable.clone();
    rec.wait_for("own echo", WAIT, |e| matches!(e,
        SupervisorEvent::Inbound(SidecarEvent::Message { message }) if message.wa_id.stable == stable && message.via_sidecar)).await;
    rec.wait_for("ack", WAIT, |e| {
        matches!(e,
        SupervisorEvent::Inbound(SidecarEvent::Ack(a)) if a.wa_id.stable == stable && a.ack == 1)
    })
    .await;

    // The same key again in the same process is not sent twice.
    let again = sup
        .send_message(text_to("+7 916 123-45-67", "Price: 500 EUR", "outbox-1"))
        .await
        .unwrap();
    assert!(again.deduplicated);
    assert_eq!(again.wa_id.stable, stable);

    sup.fake(
        "fake_incoming",
        obj(json!({"from": "+44 7700 900123", "name": "Olga", "text": "Hello!"})),
    )
    .await
    .unwrap();
    let (ev, _) = rec
        .wait_for("incoming", WAIT, |e| {
            matches!(e,
        SupervisorEvent::Inbound(SidecarEvent::Message { message }) if !message.from_me)
        })
        .await;
    let SupervisorEvent::Inbound(SidecarEvent::Message { message }) = ev else {
        unreachable!()
    };
    assert_eq!(message.body, "Hello!");
    assert_eq!(message.notify_name.as_deref(), Some("Olga"));
    assert_eq!(message.sender_phone.as_deref(), Some("447700900123"));

    let found = sup
        .find_sent_message(
            Recipient::ChatId("79161234567@c.us".into()),
            "Price: 500 EUR",
            sent.timestamp,
            None,
        )
        .await
        .unwrap();
    assert!(found.found);
    assert_eq!(found.message.unwrap().stable, stable);
    let history = sup
        .fetch_messages("447700900123@c.us", 0, 10, true)
        .await
        .unwrap();
    assert_eq!(history.messages.len(), 1);
    sup.mark_read("447700900123@c.us").await.unwrap();
    let world = sup.fake("fake_state", no_params()).await.unwrap();
    assert_eq!(world["sent_count"], 1);
    assert_eq!(world["read_marks"]["447700900123@c.us"], 1);
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_without_whatsapp_is_a_permanent_send_error_and_a_network_error_is_transient() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let sup = WhatsAppSupervisor::new(fast_config("errors"));
    let mut rec = Recorder::new(&sup);
    let mut params = fake_params(dir.path());
    params
        .options
        .insert("not_on_whatsapp".into(), json!(["+1 555 000 1111"]));
    connect_ready(&sup, params, &mut rec).await;
    let e = sup
        .send_message(text_to("+1 555 000 1111", "hi", "k1"))
        .await
        .unwrap_err();
    assert!(e.is_permanent(), "{e:?}");
    assert!(matches!(e, SendError::Permanent { ref code, .. } if code == "not_on_whatsapp"));

    sup.fake(
        "fake_configure",
        obj(json!({"fail_next_sends": {"count": 1, "code": "network", "deliver": true}})),
    )
    .await
    .unwrap();
    let e = sup
        .send_message(text_to("+1 555 000 2222", "hi", "k2"))
        .await
        .unwrap_err();
    assert!(!e.is_permanent() && e.maybe_sent(), "{e:?}");
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_a_reply_in_time_fails_with_a_timeout_and_the_healthy_sidecar_is_kept() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = fast_config("timeout");
    config.health.send_timeout = Duration::from_millis(600);
    let sup = WhatsAppSupervisor::new(config);
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, fake_params(dir.path()), &mut rec).await;
    let pid = sup.sidecar_pid();
    sup.fake("fake_configure", obj(json!({"send_latency_ms": 3000})))
        .await
        .unwrap();
    let started = Instant::now();
    let e = sup
        .send_message(text_to("+7 916 123-45-67", "slow", "k-slow"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(e, SendError::Transient { ref code, maybe_sent: true, .. } if code == "timeout"),
        "{e:?}"
    );
    assert!(
        took >= Duration::from_millis(550) && took < Duration::from_millis(2500),
        "{took:?}"
    );
    // The time-out triggered a health ping, which the sidecar answers: no restart.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(sup.sidecar_pid(), pid);
    assert_eq!(sup.state().name(), "ready");
    assert!(sup.ping().await.unwrap().pong);
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_the_sidecar_itself_times_out_is_transient_and_may_have_been_sent() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let mut config = fast_config("sidecar-timeout");
    config.health.send_timeout = Duration::from_millis(3000); // the sidecar gets 2 s
    let sup = WhatsAppSupervisor::new(config);
    let mut rec = Recorder::new(&sup);
    connect_ready(&sup, fake_params(dir.path()), &mut rec).await;
    sup.fake("fake_configure", obj(json!({"send_latency_ms": 2600})))
        .await
        .unwrap();
    let e = sup
        .send_message(text_to("+7 916 123-45-67", "slow", "k-slow"))
        .await
        .unwrap_err();
    assert!(
        matches!(e, SendError::Transient { ref code, maybe_sent: true, .. } if code == "timeout"),
        "{e:?}"
    );
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_before_connect_fail_as_not_running_and_fake_requests_must_be_fake() {
    let sup = WhatsAppSupervisor::new(fast_config("idle"));
    assert!(matches!(
        sup.get_chats().await,
        Err(RequestError::NotRunning)
    ));
    assert!(matches!(
        sup.fake("logout", no_params()).await,
        Err(RequestError::InvalidState(_))
    ));
    assert!(matches!(
        sup.restart().await,
        Err(RequestError::InvalidState(_))
    ));
    assert_eq!(sup.state(), ConnectionState::Stopped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_node_executable_ends_in_failed_with_advice_instead_of_restarting() {
    init_tracing();
    let dir = tempfile::tempdir().unwrap();
    let config = SupervisorConfig::new("nonode", "/nonexistent/node".into(), sidecar_script());
    let sup = WhatsAppSupervisor::new(config);
    let mut rec = Recorder::new(&sup);
    assert!(sup.connect(fake_params(dir.path())).await.is_err());
    let failed = rec.wait_state("failed", WAIT).await;
    assert!(
        matches!(failed, ConnectionState::Failed { ref code, ref advice, .. }
        if code == CODE_SIDECAR_START_FAILED && advice.contains("Node.js")),
        "{failed:?}"
    );
    sup.shutdown().await.unwrap();
}

//! The library's connection states as the supervisor reports them, against the real sidecar
//! (fake adapter raising whatsapp-web.js's own `change_state` names): a network drop, a session
//! opened elsewhere with "use here", a ban, a hung page.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use tourdesk_whatsapp::{
    ConnectionState, OutgoingMessage, Recipient, SidecarEvent, SupervisorEvent, WhatsAppSupervisor,
};

const WAIT: Duration = Duration::from_secs(10);

async fn ready_sup(
    account: &str,
    dir: &std::path::Path,
    extra: Value,
) -> (WhatsAppSupervisor, Recorder) {
    init_tracing();
    let sup = WhatsAppSupervisor::new(fast_config(account));
    let mut rec = Recorder::new(&sup);
    let mut params = fake_params(dir);
    params.options.extend(obj(extra));
    connect_ready(&sup, params, &mut rec).await;
    (sup, rec)
}

fn text(to: &str, body: &str, key: &str) -> OutgoingMessage {
    OutgoingMessage {
        to: Recipient::Phone(to.into()),
        text: body.into(),
        media: None,
        idempotency_key: key.into(),
    }
}

fn degraded_code(s: &ConnectionState) -> Option<&str> {
    match s {
        ConnectionState::Degraded { code, .. } => Some(code),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_drop_degrades_as_timeout_and_the_return_of_the_network_makes_it_ready() {
    let dir = tempfile::tempdir().unwrap();
    let (sup, mut rec) = ready_sup("drop", dir.path(), json!({})).await;
    sup.fake("fake_drop", obj(json!({"notice_after_ms": 300})))
        .await
        .unwrap();
    // Not noticed yet: WhatsApp Web takes the message and holds it at ack 0.
    let sent = sup
        .send_message(text("+7 916 123-45-67", "в пути", "k-drop"))
        .await
        .unwrap();
    let degraded = rec.wait_state("degraded", WAIT).await;
    assert_eq!(degraded_code(&degraded), Some("network_timeout"));
    assert!(
        matches!(degraded, ConnectionState::Degraded { advice: Some(ref a), .. } if !a.is_empty())
    );
    sup.fake("fake_reconnect", no_params()).await.unwrap();
    rec.wait_state("ready", WAIT).await;
    let (ack, _) = rec
        .wait_for("the held ack", WAIT, |e| {
            matches!(e, SupervisorEvent::Inbound(SidecarEvent::Ack(a)) if a.wa_id == sent.wa_id)
        })
        .await;
    let acks: Vec<i64> = rec
        .seen
        .iter()
        .filter_map(|e| match e {
            SupervisorEvent::Inbound(SidecarEvent::Ack(a)) => Some(a.ack),
            _ => None,
        })
        .collect();
    assert_eq!(acks, [1], "one ack, after the network came back: {ack:?}");
    let world = sup.fake("fake_state", no_params()).await.unwrap();
    let names: Vec<&str> = world["library_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[0].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"disconnected"), "{names:?}");
    let tail: Vec<&str> = rec.states().into_iter().rev().take(4).collect();
    assert_eq!(tail, ["ready", "degraded", "degraded", "degraded"]);
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_opened_elsewhere_is_a_conflict_until_use_here() {
    let dir = tempfile::tempdir().unwrap();
    let (sup, mut rec) = ready_sup("conflict", dir.path(), json!({})).await;
    assert!(sup.use_here().await.is_err(), "use here without a conflict");
    sup.fake("fake_conflict", no_params()).await.unwrap();
    let conflict = rec.wait_state("conflict", WAIT).await;
    assert!(
        matches!(conflict, ConnectionState::Conflict { ref advice, .. } if advice.contains("Use here"))
    );
    let refused = sup
        .send_message(text("79161234567", "x", "k-conflict"))
        .await;
    assert!(refused.is_err(), "nothing is sent in a conflict");
    sup.use_here().await.unwrap();
    rec.wait_state("ready", WAIT).await;
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_is_its_own_state_and_survives_a_sidecar_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (sup, mut rec) = ready_sup("ban", dir.path(), json!({})).await;
    sup.fake("fake_ban", obj(json!({"state": "TOS_BLOCK"})))
        .await
        .unwrap();
    let banned = rec.wait_state("banned", WAIT).await;
    assert!(
        matches!(banned, ConnectionState::Banned { ref code, ref advice, .. } if code == "tos_block" && !advice.is_empty())
    );
    sup.restart().await.unwrap();
    let again = rec.wait_state("banned", WAIT).await;
    assert_eq!(again.name(), "banned");
    sup.fake("fake_unban", no_params()).await.unwrap();
    sup.reconnect().await.unwrap();
    rec.wait_state("ready", WAIT).await;
    sup.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_page_is_degraded_by_the_probe_then_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let probe = json!({"probe_interval_ms": 50, "probe_timeout_ms": 50, "probe_degrade_after_ms": 200, "probe_rebuild_after_ms": 700, "retry_ms": 100});
    let (sup, mut rec) = ready_sup("hung", dir.path(), probe).await;
    sup.fake("fake_freeze", no_params()).await.unwrap();
    let degraded = rec.wait_state("degraded", WAIT).await;
    assert_eq!(degraded_code(&degraded), Some("not_responding"));
    rec.wait_state("starting", WAIT).await;
    rec.wait_state("ready", WAIT).await;
    sup.shutdown().await.unwrap();
}

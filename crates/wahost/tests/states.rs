//! The outbox and the connection states: against the REAL Node sidecar with the FAKE adapter
//! (which raises whatsapp-web.js's own `change_state` names), under the real supervisor and
//! host, a message queued while the connection is down, in a conflict or banned waits in the
//! queue and goes out exactly once when the state is `ready` again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tourdesk_app::core::org::NewOrg;
use tourdesk_app::core::whatsapp::{SendInput, WaState};
use tourdesk_app::{App, Session, SystemClock};
use tourdesk_wahost::{find_sidecar, HostConfig, NoListener, WaHost};
use tourdesk_whatsapp::{find_node, AdapterKind};

const T: Duration = Duration::from_secs(15);
/// How long a held message is watched for not going out.
const HOLD: Duration = Duration::from_millis(800);

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

async fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn fake(host: &WaHost, kind: &str, params: Value) -> Value {
    host.supervisor()
        .fake(kind, obj(params))
        .await
        .unwrap_or_else(|e| panic!("{kind} refused: {e}"))
}

async fn delivered(host: &WaHost, body: &str) -> u64 {
    fake(host, "fake_state", json!({})).await["delivered_by_text"][body]
        .as_u64()
        .unwrap_or(0)
}

async fn wait_state(host: &WaHost, name: &str) -> WaState {
    assert!(
        wait_for(T, || host.status().state.name() == name).await,
        "state {name} not reached; the state is {:?}",
        host.status().state
    );
    host.status().state
}

/// Queues a message and checks that it stays in the queue (the state is not `ready`).
async fn queued_and_held(host: &WaHost, app: &App, admin: &Session, body: &str) {
    let input = SendInput {
        phone: Some("+79161234567".into()),
        body: body.into(),
        ..SendInput::default()
    };
    app.message_send(admin, &input).expect("queue a message");
    host.nudge();
    tokio::time::sleep(HOLD).await;
    assert_eq!(
        delivered(host, body).await,
        0,
        "{body}: handed over while not ready"
    );
    assert!(
        host.status().queued >= 1,
        "{body} is not waiting in the queue"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_waits_through_a_drop_a_conflict_and_a_ban_and_sends_each_message_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let app = Arc::new(App::open(&data, Box::new(SystemClock)).expect("open app"));
    let admin = app
        .org_create_unchecked(&NewOrg {
            org_name: "Soul KG".into(),
            admin_name: "Admin".into(),
            email: "admin@states.test".into(),
            password: "correct horse battery".into(),
        })
        .expect("organisation")
        .session;
    let mut config = HostConfig::new(
        find_node().expect("Node.js must be installed for these tests"),
        find_sidecar(None).expect("the sidecar script"),
        data.join("whatsapp").join(admin.tenant_id.to_string()),
        app.media_dir().join("in"),
    );
    config.adapter = AdapterKind::Fake;
    config.adapter_options = obj(json!({"qr_rotate_ms": 0}));
    config.gap_ms = (0, 10);
    config.retry_base = Duration::from_millis(100);
    let host = WaHost::new(app.clone(), admin.tenant_id, config, Arc::new(NoListener));
    host.connect().await.expect("connect");
    assert!(
        wait_for(T, || matches!(
            host.status().state,
            WaState::Qr { .. } | WaState::Ready { .. }
        ))
        .await
    );
    if matches!(host.status().state, WaState::Qr { .. }) {
        fake(&host, "fake_scan", json!({})).await;
    }
    wait_state(&host, "ready").await;

    // The network drops: WhatsApp Web reports TIMEOUT; the message waits; back → sent once.
    fake(&host, "fake_drop", json!({})).await;
    let down = wait_state(&host, "degraded").await;
    assert!(matches!(down, WaState::Degraded { ref code, .. } if code == "network_timeout"));
    queued_and_held(&host, &app, &admin, "пока нет сети").await;
    fake(&host, "fake_reconnect", json!({})).await;
    assert!(wait_for(T, || host.status().queued == 0).await);
    assert_eq!(delivered(&host, "пока нет сети").await, 1);

    // Opened in another browser: conflict; "use here" takes it back.
    fake(&host, "fake_conflict", json!({})).await;
    wait_state(&host, "conflict").await;
    queued_and_held(&host, &app, &admin, "во время конфликта").await;
    assert!(host.was_linked(), "a conflict keeps the link");
    host.use_here().await.expect("use here");
    wait_state(&host, "ready").await;
    assert!(wait_for(T, || host.status().queued == 0).await);
    assert_eq!(delivered(&host, "во время конфликта").await, 1);

    // Banned: paused, the session kept; lifted and reconnected → sent once.
    fake(&host, "fake_ban", json!({"state": "TOS_BLOCK"})).await;
    let banned = wait_state(&host, "banned").await;
    assert!(matches!(banned, WaState::Banned { ref code, .. } if code == "tos_block"));
    queued_and_held(&host, &app, &admin, "во время блокировки").await;
    assert!(host.was_linked(), "a ban keeps the link");
    fake(&host, "fake_unban", json!({})).await;
    host.reconnect().await.expect("reconnect");
    wait_state(&host, "ready").await;
    assert!(wait_for(T, || host.status().queued == 0).await);
    assert_eq!(delivered(&host, "во время блокировки").await, 1);
    host.shutdown().await;
}

//! History import through WhatsApp Web: `WaHost::fetch_history` against the REAL Node sidecar
//! with the FAKE adapter (messages put on the fake WhatsApp side with `offline: true` are only
//! history: never emitted as events), then staged and committed through the app.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tourdesk_app::core::import::ImportAction;
use tourdesk_app::core::message::{ChatFilter, Direction};
use tourdesk_app::core::org::NewOrg;
use tourdesk_app::core::whatsapp::WaState;
use tourdesk_app::core::ErrorCode;
use tourdesk_app::{App, SystemClock};
use tourdesk_wahost::{find_sidecar, HostConfig, NoListener, WaHost};
use tourdesk_whatsapp::{find_node, AdapterKind};

mod common;

use common::{fake, obj, wait_for, T};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetched_history_is_staged_per_chat_and_committed_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let app = Arc::new(App::open(&data, Box::new(SystemClock)).expect("open app"));
    let admin = app
        .org_create_unchecked(&NewOrg {
            org_name: "Soul KG".into(),
            admin_name: "Admin".into(),
            email: "admin@history.test".into(),
            password: "correct horse battery".into(),
        })
        .expect("organisation")
        .session;
    let tenant = admin.tenant_id;
    let mut config = HostConfig::new(
        find_node().expect("Node.js must be installed for these tests"),
        find_sidecar(None).expect("the sidecar script"),
        data.join("whatsapp").join(tenant.to_string()),
        app.media_dir().join("in"),
    );
    config.adapter = AdapterKind::Fake;
    config.adapter_options = obj(json!({"qr_rotate_ms": 0}));
    let host = WaHost::new(app.clone(), tenant, config, Arc::new(NoListener));

    // Not connected: nothing to fetch.
    let never = AtomicBool::new(false);
    let e = host
        .fetch_history(None, 100, |_, _, _| {}, &never)
        .await
        .expect_err("not connected");
    assert_eq!(e.code, ErrorCode::WhatsappUnavailable);

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
    assert!(wait_for(T, || matches!(host.status().state, WaState::Ready { .. })).await);

    // History on the phone: two contacts and a group.
    let day = 1_775_000_000u64; // 2026-03-31
    for (i, (from, name, text)) in [
        (
            "+79161234567",
            "Aigul",
            "Здравствуйте! Сколько стоит тур на Сон-Куль в июле?",
        ),
        ("+79161234567", "Aigul", "Нас будет 2 взрослых"),
        (
            "+4915123456789",
            "Anna",
            "Guten Tag, wie kann ich bezahlen?",
        ),
    ]
    .iter()
    .enumerate()
    {
        fake(
            &host,
            "fake_incoming",
            json!({"from": from, "name": name, "text": text, "timestamp": day + 60 * i as u64, "offline": true}),
        )
        .await;
    }
    fake(
        &host,
        "fake_incoming",
        json!({"from": "+79161234567", "chat": "120363000000000001@g.us", "name": "Aigul",
               "text": "group hello", "timestamp": day, "offline": true}),
    )
    .await;

    // Cancelled before the first chat: nothing fetched.
    let cancelled = AtomicBool::new(true);
    let none = host
        .fetch_history(None, 100, |_, _, _| {}, &cancelled)
        .await
        .expect("cancelled fetch");
    assert!(none.is_empty());

    let seen = Mutex::new(Vec::new());
    let chats = host
        .fetch_history(
            None,
            100,
            |done, total, title| seen.lock().unwrap().push((done, total, title.to_string())),
            &never,
        )
        .await
        .expect("fetch history");
    assert_eq!(
        chats.len(),
        2,
        "one-to-one chats only by default: {chats:?}"
    );
    let aigul = chats
        .iter()
        .find(|c| c.wa_chat_id == "79161234567@c.us")
        .expect("Aigul's chat");
    assert_eq!(aigul.messages.len(), 2);
    assert_eq!(aigul.phone.as_deref(), Some("+79161234567"));
    assert!(aigul.messages.iter().all(|m| m.wa_message_id.is_some()));
    assert!(aigul.messages.iter().all(|m| m.direction == Direction::In));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen.last().map(|s| (s.0, s.1)), Some((2, 2)));

    // Staged per chat with what was fetched, committed once; a second run adds nothing.
    let batch = app
        .import_stage_whatsapp(&admin, chats.clone())
        .expect("stage");
    assert_eq!(batch.items.len(), 2);
    let item = batch
        .items
        .iter()
        .find(|i| i.wa_chat_id.as_deref() == Some("79161234567@c.us"))
        .expect("item");
    assert_eq!(item.messages, 2);
    assert_eq!(item.first.as_deref(), Some("2026-03-31T23:33:20Z"));
    assert_eq!(item.action, ImportAction::Import);
    let summary = app.import_commit(&admin, batch.id).expect("commit");
    assert_eq!(summary.clients_created, 2);
    assert_eq!(summary.messages_added, 3);
    let again = app
        .import_stage_whatsapp(&admin, chats)
        .expect("stage again");
    assert!(again.items.iter().all(|i| i.action == ImportAction::Merge));
    let summary = app.import_commit(&admin, again.id).expect("commit again");
    assert_eq!(summary.messages_added, 0);
    assert_eq!(summary.duplicates_skipped, 3);
    let listed = app
        .chat_list(&admin, &ChatFilter::default())
        .expect("chats");
    assert_eq!(listed.len(), 2);

    // The group is fetched when asked for by id.
    let group = host
        .fetch_history(
            Some(vec!["120363000000000001@g.us".into()]),
            10,
            |_, _, _| {},
            &never,
        )
        .await
        .expect("group history");
    assert_eq!(group.len(), 1);
    assert!(group[0].is_group);
    assert_eq!(group[0].messages.len(), 1);
    host.shutdown().await;
}

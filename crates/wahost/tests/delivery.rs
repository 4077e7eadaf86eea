//! Honest delivery states through the REAL sidecar (fake adapter) and the real supervisor: a
//! message WhatsApp Web holds at ack 0 shows "waiting" (never a tick) and is flagged stuck
//! after the connected wait; an error ack fails it with a reason and Retry sends it again; the
//! outbox hands over only in `ready` and stops at once when the connection drops.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use tourdesk_app::core::whatsapp::{SendStatus, WaState};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_held_at_ack_0_waits_is_flagged_stuck_while_connected_and_ticks_on_ack_1() {
    let w = world();
    let mut config = w.config();
    config.adapter_options = obj(json!({"qr_rotate_ms": 0, "hold_acks": true}));
    config.stuck_after = Duration::from_millis(800);
    let (host, rec) = w.host(config);
    let chat = ready_with_aigul(&w, &host).await;
    let m = w.send(to_chat(chat.id, "Ждёт сети"));
    host.nudge();
    assert!(
        wait_for(T, || w.message(chat.id, m.id).is_some_and(|m| m.status
            == Some(SendStatus::Waiting)
            && m.wa_message_id.is_some()))
        .await,
        "not waiting: {:?}",
        w.message(chat.id, m.id)
    );
    assert_eq!(
        delivered(&host, "Ждёт сети").await,
        1,
        "WhatsApp Web has it"
    );
    assert!(
        wait_for(T, || w.message(chat.id, m.id).is_some_and(|m| m.stuck)).await,
        "never flagged stuck"
    );
    let held = w.message(chat.id, m.id).expect("message");
    assert_eq!(
        held.status,
        Some(SendStatus::Waiting),
        "stuck is never a tick"
    );
    assert_eq!(host.status().stuck, 1);
    assert!(
        wait_for(T, || rec
            .statuses
            .lock()
            .unwrap()
            .iter()
            .any(|s| s.stuck == 1))
        .await,
        "the badge was never told"
    );

    let wa = held.wa_message_id.expect("wa id");
    fake(&host, "fake_ack", json!({"message_id": wa, "ack": 1})).await;
    assert!(
        wait_for(T, || w
            .message(chat.id, m.id)
            .is_some_and(|m| m.status == Some(SendStatus::Sent) && !m.stuck))
        .await,
        "no tick after the server ack: {:?}",
        w.message(chat.id, m.id)
    );
    assert!(wait_for(T, || host.status().stuck == 0).await);
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_ack_fails_the_message_with_a_reason_and_retry_sends_it_again() {
    let w = world();
    let mut config = w.config();
    config.adapter_options = obj(json!({"qr_rotate_ms": 0, "hold_acks": true}));
    let (host, _rec) = w.host(config);
    let chat = ready_with_aigul(&w, &host).await;
    let body = "Не дойдёт";
    let m = w.send(to_chat(chat.id, body));
    host.nudge();
    assert!(
        wait_for(T, || w
            .message(chat.id, m.id)
            .is_some_and(|m| m.wa_message_id.is_some()))
        .await
    );
    let wa = w.message(chat.id, m.id).unwrap().wa_message_id.unwrap();
    fake(&host, "fake_ack", json!({"message_id": wa, "ack": -1})).await;
    assert!(
        wait_for(T, || w
            .message(chat.id, m.id)
            .is_some_and(|m| m.status == Some(SendStatus::Failed)))
        .await,
        "the error ack did not fail it: {:?}",
        w.message(chat.id, m.id)
    );
    let failed = w.message(chat.id, m.id).unwrap();
    assert_eq!(failed.status_reason.as_deref(), Some("ack_error"));
    assert_eq!(host.status().failed, 1);

    fake(&host, "fake_configure", json!({"hold_acks": false})).await;
    w.app.message_retry(&w.admin, m.id).expect("retry");
    host.nudge();
    assert!(
        wait_for(T, || w
            .message(chat.id, m.id)
            .is_some_and(|m| m.status == Some(SendStatus::Sent)))
        .await,
        "the retry was not sent: {:?}",
        w.message(chat.id, m.id)
    );
    assert_eq!(
        delivered(&host, body).await,
        2,
        "the manager's retry is a new send"
    );
    assert_eq!(host.status().failed, 0);
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_hands_over_only_in_ready_and_stops_at_once_on_a_drop() {
    let w = world();
    let mut config = w.config();
    // A slow worker: one send, then 300 ms before the next.
    config.gap_ms = (300, 300);
    let (host, _rec) = w.host(config);
    let chat = ready_with_aigul(&w, &host).await;
    let bodies: Vec<String> = (1..=5).map(|i| format!("Предложение {i}")).collect();
    for b in &bodies {
        w.send(to_chat(chat.id, b));
    }
    host.nudge();
    assert!(
        wait_for(T, || host.status().queued <= 4).await,
        "nothing was sent"
    );
    fake(&host, "fake_drop", json!({})).await;
    assert!(
        wait_for(T, || !matches!(state(&host), WaState::Ready { .. })).await,
        "the drop was not seen"
    );
    let at_drop = fake_state(&host).await["delivered_by_text"]
        .as_object()
        .map_or(0, |o| o.len());
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let later = fake_state(&host).await["delivered_by_text"]
        .as_object()
        .map_or(0, |o| o.len());
    assert_eq!(at_drop, later, "the outbox handed over while not ready");
    assert!(later < bodies.len(), "everything went before the drop");
    assert!(host.status().queued > 0);

    fake(&host, "fake_reconnect", json!({})).await;
    wait_state(&host, "ready").await;
    assert!(
        wait_for(T, || host.status().queued == 0).await,
        "the queue did not drain after the reconnect"
    );
    for b in &bodies {
        assert_eq!(delivered(&host, b).await, 1, "{b}");
    }
    host.shutdown().await;
}

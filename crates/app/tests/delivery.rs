//! Honest delivery states on a real temp SQLite: ack 0 is "waiting for network" (never a tick),
//! an error ack fails the message with a reason the manager can send again, a message held at
//! ack 0 for 5 minutes of connected time is flagged stuck, and the send-rate window counts each
//! message once.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use tourdesk_app::core::message::{ChatKind, Direction, Message, MessageKind, NewMessage};
use tourdesk_app::core::whatsapp::{SendInput, SendStatus, WaSettings};
use tourdesk_app::core::{ChatId, MessageId, TenantId};
use tourdesk_app::{App, Clock, Handover, Inbound, OutboxPlan, OutboxRow, STUCK_AFTER};

const CHAT: &str = "79161234567@c.us";

fn window() -> Duration {
    Duration::seconds(60)
}

/// Aigul wrote first; returns her chat.
fn aigul_chat(app: &App, tenant: TenantId, at: DateTime<Utc>) -> ChatId {
    let m = Inbound {
        message: NewMessage {
            wa_chat_id: CHAT.into(),
            chat_kind: ChatKind::OneToOne,
            wa_message_id: Some("996700000001:0:HELLO".into()),
            direction: Direction::In,
            sent_at: at,
            kind: MessageKind::Text,
            body: "Salam".into(),
            ..NewMessage::default()
        },
        contact_name: Some("Aigul".into()),
        phone: Some("+79161234567".into()),
        outbox_key: None,
    };
    app.wa_ingest(tenant, &m).expect("ingest").stored.chat_id
}

fn queue(f: &Fixture, chat: ChatId, body: &str) -> Message {
    f.app
        .message_send(
            &f.admin,
            &SendInput {
                chat_id: Some(chat),
                body: body.into(),
                ..SendInput::default()
            },
        )
        .expect("queue")
}

fn claim(app: &App, tenant: TenantId, now: DateTime<Utc>) -> OutboxRow {
    match app.outbox_next(tenant, now, window()).expect("next") {
        OutboxPlan::Send(row) => *row,
        other => panic!("expected a send, got {other:?}"),
    }
}

fn message(f: &Fixture, chat: ChatId, id: MessageId) -> Message {
    f.app
        .chat_messages(&f.admin, chat, None, 50)
        .expect("messages")
        .into_iter()
        .find(|m| m.id == id)
        .expect("the message")
}

/// Queues, claims and hands over one message whose ack is `ack` when WhatsApp takes it.
fn handed_over(f: &Fixture, chat: ChatId, wa: &str, ack: i64) -> Message {
    let m = queue(f, chat, &format!("text of {wa}"));
    let now = f.clock.now();
    let row = claim(&f.app, f.admin.tenant_id, now);
    let handover = Handover {
        wa_message_id: wa,
        chat_id: None,
        at: now,
        ack: Some(ack),
    };
    f.app
        .outbox_sent(f.admin.tenant_id, &row.id, &handover, now)
        .expect("handed over");
    message(f, chat, m.id)
}

#[test]
fn a_message_whatsapp_holds_at_ack_0_waits_for_the_network_and_gets_its_tick_on_ack_1() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t, f.clock.now());
    let m = handed_over(&f, chat, "996700000001:1:PENDING", 0);
    assert_eq!(m.status, Some(SendStatus::Waiting), "ack 0 is never a tick");
    assert!(!m.stuck);
    let listed = f.app.chat_get(&f.admin, chat).expect("chat");
    assert_eq!(listed.last_status, Some(SendStatus::Waiting));

    assert!(f.app.wa_ack(t, "996700000001:1:PENDING", 0).expect("ack"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Waiting));
    assert!(f.app.wa_ack(t, "996700000001:1:PENDING", 1).expect("ack"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Sent));
    assert!(!f
        .app
        .wa_ack(t, "996700000001:1:PENDING", 9)
        .expect("unknown level"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Sent));
}

#[test]
fn an_error_ack_fails_a_waiting_message_with_a_reason_and_send_again_hands_it_over_anew() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t, f.clock.now());
    let m = handed_over(&f, chat, "996700000001:1:BROKEN", 0);
    assert!(f.app.wa_ack(t, "996700000001:1:BROKEN", -1).expect("ack"));
    let failed = message(&f, chat, m.id);
    assert_eq!(failed.status, Some(SendStatus::Failed));
    assert_eq!(failed.status_reason.as_deref(), Some("ack_error"));
    assert_eq!(f.app.outbox_counts(t).expect("counts").failed, 1);

    f.app.message_retry(&f.admin, m.id).expect("send again");
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Queued));
    let again = claim(&f.app, t, f.clock.now());
    assert_eq!(again.message_id, m.id);
    assert_eq!(again.attempts, 2, "a new hand-over with a new key");

    // A message the server confirmed is never failed by a stray error ack.
    let sent = handed_over(&f, chat, "996700000001:1:FINE", 1);
    assert!(f.app.wa_ack(t, "996700000001:1:FINE", -1).expect("ack"));
    assert_eq!(message(&f, chat, sent.id).status, Some(SendStatus::Sent));
}

#[test]
fn a_message_held_at_ack_0_for_five_connected_minutes_is_flagged_stuck_until_its_tick() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t, f.clock.now());
    let handed_at = f.clock.now();
    let m = handed_over(&f, chat, "996700000001:1:HELD", 0);
    let flag = |ready_since: DateTime<Utc>, now: DateTime<Utc>| {
        f.app
            .outbox_flag_stuck(t, ready_since, now, STUCK_AFTER)
            .expect("flag")
    };
    assert_eq!(STUCK_AFTER, Duration::minutes(5));
    // Four minutes: not yet.
    assert_eq!(flag(handed_at, handed_at + Duration::minutes(4)), 0);
    // Five minutes since the hand-over, but connected only for the last three: not yet.
    assert_eq!(
        flag(
            handed_at + Duration::minutes(2),
            handed_at + Duration::minutes(5) + Duration::seconds(1)
        ),
        0
    );
    assert!(!message(&f, chat, m.id).stuck);
    // Five connected minutes: flagged, once.
    let five = Duration::minutes(5) + Duration::seconds(1);
    assert_eq!(flag(handed_at, handed_at + five), 1);
    assert_eq!(flag(handed_at, handed_at + Duration::minutes(6)), 0);
    let stuck = message(&f, chat, m.id);
    assert!(stuck.stuck);
    assert_eq!(stuck.status, Some(SendStatus::Waiting));
    assert_eq!(f.app.outbox_counts(t).expect("counts").stuck, 1);

    // Its server ack arrives: a tick, and the flag goes.
    assert!(f.app.wa_ack(t, "996700000001:1:HELD", 1).expect("ack"));
    let sent = message(&f, chat, m.id);
    assert_eq!(sent.status, Some(SendStatus::Sent));
    assert!(!sent.stuck);
    assert_eq!(f.app.outbox_counts(t).expect("counts").stuck, 0);
}

#[test]
fn the_rate_window_counts_each_message_once_and_not_an_attempt_that_never_left() {
    let f = fixture();
    let t = f.admin.tenant_id;
    f.app
        .wa_settings_update(
            &f.admin,
            &WaSettings {
                sends_per_minute: 1,
                ..WaSettings::default()
            },
        )
        .expect("one a minute");
    let chat = aigul_chat(&f.app, t, f.clock.now());
    let first = queue(&f, chat, "first");
    let second = queue(&f, chat, "second");
    let now = f.clock.now();
    let row = claim(&f.app, t, now);
    assert_eq!(row.message_id, first.id);
    // WhatsApp was unreachable: certainly not sent, back to the queue in 10 s.
    f.app
        .outbox_retry_later(t, &row.id, now + Duration::seconds(10), "network")
        .expect("retry later");
    // The attempt that never left does not fill the window: the second one may go at once.
    let next = claim(&f.app, t, now);
    assert_eq!(next.message_id, second.id);
    let handover = Handover {
        wa_message_id: "996700000001:1:SECOND",
        chat_id: None,
        at: now,
        ack: Some(1),
    };
    f.app
        .outbox_sent(t, &next.id, &handover, now)
        .expect("sent");
    // Now the window is full (one a minute): the first waits for it, then goes, once.
    let later = now + Duration::seconds(10);
    assert!(matches!(
        f.app.outbox_next(t, later, window()).expect("next"),
        OutboxPlan::WaitUntil(_)
    ));
    let free = now + window() + Duration::milliseconds(1);
    let again = claim(&f.app, t, free);
    assert_eq!(again.message_id, first.id);
    assert_eq!(again.attempts, 2);
    let handover = Handover {
        wa_message_id: "996700000001:1:FIRST",
        chat_id: None,
        at: free,
        ack: Some(1),
    };
    f.app
        .outbox_sent(t, &again.id, &handover, free)
        .expect("sent");
    let in_window: i64 = f
        .app
        .store()
        .read(|c| {
            c.query_row(
                "SELECT count(*) FROM outbox WHERE tenant_id = ?1 AND sent_at IS NOT NULL",
                [t.to_string()],
                |r| r.get(0),
            )
            .map_err(tourdesk_app::core::AppError::storage)
        })
        .expect("count");
    assert_eq!(in_window, 2, "two messages, two hand-overs in the window");
}

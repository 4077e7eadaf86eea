//! One person, one chat across WhatsApp's `@lid` ids, on a real temp SQLite: the lid ↔ phone
//! pair is kept when WhatsApp gives it, an `@lid` message joins the phone chat (and a phone
//! message the `@lid` chat), and our own echo finds its chat through its outbox row.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use tourdesk_app::core::message::{ChatKind, Direction, MessageKind, NewMessage};
use tourdesk_app::core::whatsapp::SendInput;
use tourdesk_app::core::{AppError, TenantId};
use tourdesk_app::{App, Clock, Inbound, OutboxPlan};

const PHONE: &str = "+79161234567";
const PHONE_CHAT: &str = "79161234567@c.us";
const LID: &str = "204815162342@lid";

fn message(chat: &str, id: &str, dir: Direction, at: DateTime<Utc>, body: &str) -> NewMessage {
    NewMessage {
        wa_chat_id: chat.into(),
        chat_kind: ChatKind::OneToOne,
        wa_message_id: Some(format!(
            "996700000001:{}:{id}",
            u8::from(dir == Direction::Out)
        )),
        direction: dir,
        sent_at: at,
        kind: MessageKind::Text,
        body: body.into(),
        ..NewMessage::default()
    }
}

fn from_her(chat: &str, id: &str, phone: Option<&str>, at: DateTime<Utc>) -> Inbound {
    Inbound {
        message: message(chat, id, Direction::In, at, "Salam"),
        contact_name: Some("Aigul".into()),
        phone: phone.map(String::from),
        outbox_key: None,
    }
}

fn count(app: &App, tenant: TenantId, table: &str) -> i64 {
    app.store()
        .read(|c| {
            c.query_row(
                &format!("SELECT count(*) FROM {table} WHERE tenant_id = ?1"),
                [tenant.to_string()],
                |r| r.get(0),
            )
            .map_err(AppError::storage)
        })
        .expect("count")
}

#[test]
fn an_lid_message_with_its_phone_joins_the_phone_chat_and_a_phone_message_the_lid_chat() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let now = f.clock.now();
    let first = f
        .app
        .wa_ingest(t, &from_her(PHONE_CHAT, "A1", Some(PHONE), now))
        .expect("ingest");
    assert!(first.new_client.is_some());
    // WhatsApp moved her to an `@lid` id and says which phone it is.
    let second = f
        .app
        .wa_ingest(t, &from_her(LID, "A2", Some(PHONE), now))
        .expect("ingest");
    assert_eq!(second.stored.chat_id, first.stored.chat_id);
    assert_eq!(second.new_client, None);
    // Our own message typed on the phone in the `@lid` chat (no phone on it).
    let typed = Inbound {
        message: message(LID, "B1", Direction::Out, now, "Программа вечером"),
        ..Inbound::default()
    };
    let typed = f.app.wa_ingest(t, &typed).expect("ingest");
    assert_eq!(typed.stored.chat_id, first.stored.chat_id);
    assert_eq!(count(&f.app, t, "chats"), 1);
    assert_eq!(count(&f.app, t, "clients"), 1);

    // The other way round: a person first seen under a lid, then under the phone.
    let lid_first = f
        .app
        .wa_ingest(
            t,
            &from_her("99887766@lid", "C1", Some("+996555000111"), now),
        )
        .expect("ingest");
    let by_phone = f
        .app
        .wa_ingest(
            t,
            &from_her("996555000111@c.us", "C2", Some("+996555000111"), now),
        )
        .expect("ingest");
    assert_eq!(by_phone.stored.chat_id, lid_first.stored.chat_id);
    assert_eq!(count(&f.app, t, "chats"), 2);
    assert_eq!(count(&f.app, t, "clients"), 2);
}

#[test]
fn an_lid_message_without_a_phone_is_its_own_chat_until_whatsapp_tells_the_pair() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let now = f.clock.now();
    f.app
        .wa_ingest(t, &from_her(PHONE_CHAT, "A1", Some(PHONE), now))
        .expect("ingest");
    let unknown = f
        .app
        .wa_ingest(t, &from_her(LID, "A2", None, now))
        .expect("ingest");
    assert!(
        unknown.new_client.is_some(),
        "with no phone, nothing says it is her"
    );
    assert_eq!(count(&f.app, t, "chats"), 2);
}

#[test]
fn our_echo_in_an_unknown_lid_chat_finds_its_chat_through_the_outbox_row() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let sent = f
        .app
        .message_send(
            &f.admin,
            &SendInput {
                phone: Some(PHONE.into()),
                body: "Тур на Иссык-Куль".into(),
                ..SendInput::default()
            },
        )
        .expect("queue");
    let row = match f
        .app
        .outbox_next(t, f.clock.now(), Duration::seconds(60))
        .expect("next")
    {
        OutboxPlan::Send(row) => *row,
        other => panic!("{other:?}"),
    };
    // WhatsApp reports the echo (in the `@lid` chat) before the send's reply is recorded.
    let echo = Inbound {
        message: message(
            LID,
            "E1",
            Direction::Out,
            f.clock.now(),
            "Тур на Иссык-Куль",
        ),
        outbox_key: Some(row.idempotency_key()),
        ..Inbound::default()
    };
    let stored = f.app.wa_ingest(t, &echo).expect("ingest");
    assert_eq!(stored.stored.chat_id, sent.chat_id);
    assert_eq!(
        stored.new_client, None,
        "no 'WhatsApp contact' lead for our own echo"
    );
    assert_eq!(count(&f.app, t, "chats"), 1);
    assert_eq!(count(&f.app, t, "clients"), 1);
    // And the lid is now known: her answer from it joins the chat too.
    let answer = f
        .app
        .wa_ingest(t, &from_her(LID, "A9", None, f.clock.now()))
        .expect("ingest");
    assert_eq!(answer.stored.chat_id, sent.chat_id);
    assert_eq!(count(&f.app, t, "wa_lids"), 1);
}

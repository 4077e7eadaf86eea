//! One person, one chat, one client across WhatsApp's `@lid` ids, through the REAL sidecar (fake
//! adapter, whose `fake_move_to_lid` cue moves a contact to an `@lid` id the way WhatsApp does)
//! and the real supervisor: a send to a phone answered from the `@lid` chat, a message typed on
//! the phone in the `@lid` chat, and a WhatsApp Web history import after both add no second
//! chat, lead or message.

mod common;

use std::sync::atomic::AtomicBool;

use common::*;
use serde_json::json;
use tourdesk_app::core::message::Direction;
use tourdesk_app::core::whatsapp::SendStatus;
use tourdesk_app::core::AppError;

/// Clients of the organisation, counted in the database.
fn clients(w: &World) -> i64 {
    w.app
        .store()
        .read(|c| {
            c.query_row(
                "SELECT count(*) FROM clients WHERE tenant_id = ?1",
                [w.tenant.to_string()],
                |r| r.get(0),
            )
            .map_err(AppError::storage)
        })
        .expect("count clients")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_to_a_phone_answered_from_an_lid_chat_stays_one_chat_and_one_lead_through_an_import()
{
    let w = world();
    let (host, _rec) = w.host(w.config());
    connect_ready(&host).await;
    // WhatsApp has moved Aigul to an `@lid` id: what we send her lands in that chat.
    let lid = fake(&host, "fake_move_to_lid", json!({"phone": AIGUL})).await["lid"]
        .as_str()
        .expect("the lid")
        .to_string();
    let offer = w.send(to_phone(AIGUL, "Здравствуйте! Тур на Сон-Куль в июле"));
    host.nudge();
    assert!(
        wait_for(T, || w
            .chat(AIGUL_CHAT)
            .and_then(|c| w.message(c.id, offer.id))
            .is_some_and(|m| m.status == Some(SendStatus::Sent)))
        .await,
        "the offer was not sent"
    );
    let chat = w.chat(AIGUL_CHAT).expect("the phone chat");
    assert_eq!(clients(&w), 1, "sending to a new number made one lead");

    // She answers from the `@lid` chat.
    incoming(
        &host,
        json!({"from": AIGUL, "name": "Aigul", "text": "Да, интересно! Сколько стоит?"}),
    )
    .await;
    assert!(
        wait_for(T, || w.messages(chat.id).len() == 2).await,
        "the answer is not in the phone chat: {:?}",
        w.chats()
    );
    assert!(w.chat(&lid).is_none(), "a second chat for the lid");
    assert_eq!(w.chats().len(), 1);
    assert_eq!(clients(&w), 1, "a second lead for the lid");

    // The manager types on the phone, in the `@lid` chat.
    incoming(
        &host,
        json!({"from": AIGUL, "chat": lid, "from_me": true, "text": "Отправлю программу вечером"}),
    )
    .await;
    assert!(
        wait_for(T, || w.messages(chat.id).len() == 3).await,
        "the phone-typed message is not in the chat: {:?}",
        w.chats()
    );
    let typed = &w.messages(chat.id)[0];
    assert_eq!(typed.direction, Direction::Out);
    assert_eq!(typed.body, "Отправлю программу вечером");
    assert_eq!(w.chats().len(), 1);
    assert_eq!(clients(&w), 1);

    // The history import through WhatsApp Web sees the `@lid` chat: nothing new.
    let never = AtomicBool::new(false);
    let fetched = host
        .fetch_history(None, 100, |_, _, _| {}, &never)
        .await
        .expect("fetch history");
    assert!(
        fetched.iter().any(|c| c.wa_chat_id == lid),
        "WhatsApp Web has the lid chat: {fetched:?}"
    );
    let batch = w
        .app
        .import_stage_whatsapp(&w.admin, fetched)
        .expect("stage");
    let summary = w.app.import_commit(&w.admin, batch.id).expect("commit");
    assert_eq!(summary.messages_added, 0, "{summary:?}");
    assert_eq!(summary.clients_created, 0, "{summary:?}");
    assert_eq!(w.count_rows(chat.id), 3);
    assert_eq!(w.chats().len(), 1);
    assert_eq!(clients(&w), 1);
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_moved_to_lid_after_the_first_messages_keeps_their_chat() {
    let w = world();
    let (host, _rec) = w.host(w.config());
    let chat = ready_with_aigul(&w, &host).await;
    fake(&host, "fake_move_to_lid", json!({"phone": AIGUL})).await;
    incoming(
        &host,
        json!({"from": AIGUL, "name": "Aigul", "text": "Пишу уже с нового id"}),
    )
    .await;
    assert!(
        wait_for(T, || w.messages(chat.id).len() == 2).await,
        "the lid message is not in her chat: {:?}",
        w.chats()
    );
    // Our reply to her chat lands in the `@lid` chat on WhatsApp; here it stays one chat.
    let reply = w.send(to_chat(chat.id, "Отлично, вот программа"));
    host.nudge();
    assert!(
        wait_for(T, || w
            .message(chat.id, reply.id)
            .is_some_and(|m| m.status == Some(SendStatus::Sent)))
        .await,
        "the reply was not sent"
    );
    assert_eq!(delivered(&host, "Отлично, вот программа").await, 1);
    assert_eq!(w.chats().len(), 1);
    assert_eq!(w.count_rows(chat.id), 3);
    assert_eq!(clients(&w), 1);
    host.shutdown().await;
}

//! WhatsApp through the app on a real temp SQLite: new leads from unknown senders, partner
//! links, the outbox (claim, sent, acks, the echo race, failures, crashes), the send-rate window
//! counted from the database, sending to a phone, attachments, tenant isolation, the chat list
//! filters, reactions and the backfill marks.

mod common;

use base64::Engine as _;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::*;
use tourdesk_app::core::client::StatusChangeInput;
use tourdesk_app::core::message::{
    ChatFilter, ChatKind, ChatRow, Direction, Message, MessageKind, NewMessage,
};
use tourdesk_app::core::whatsapp::{Attachment, SendInput, SendStatus, WaSettings};
use tourdesk_app::core::{
    Actor, AppError, ChatId, ErrorCode, FunnelStatus, Language, MessageId, TenantId,
};
use tourdesk_app::{
    phone_of_wa_id, rate_gate, wa_id_of_phone, App, Clock, Handover, Inbound, Ingested,
    OutboxCounts, OutboxPlan, OutboxRow,
};

const ACCOUNT: &str = "996700000001";
const AIGUL_CHAT: &str = "79161234567@c.us";
const AIGUL_PHONE: &str = "+79161234567";

fn window() -> Duration {
    Duration::seconds(60)
}

fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0)
        .single()
        .expect("valid date")
        + Duration::minutes(minute)
}

fn wa_id(dir: Direction, id: &str) -> String {
    format!("{ACCOUNT}:{}:{id}", u8::from(dir == Direction::Out))
}

fn inbound(
    wa_chat: &str,
    id: &str,
    phone: Option<&str>,
    name: Option<&str>,
    body: &str,
) -> Inbound {
    Inbound {
        message: NewMessage {
            wa_chat_id: wa_chat.into(),
            chat_kind: ChatKind::of_wa_chat_id(wa_chat),
            wa_message_id: Some(wa_id(Direction::In, id)),
            direction: Direction::In,
            sent_at: at(0),
            kind: MessageKind::Text,
            body: body.into(),
            ..NewMessage::default()
        },
        contact_name: name.map(String::from),
        phone: phone.map(String::from),
        outbox_key: None,
    }
}

fn ingest(app: &App, tenant: TenantId, m: &Inbound) -> Ingested {
    app.wa_ingest(tenant, m).expect("ingest")
}

/// Aigul writes first; returns her chat.
fn aigul_chat(app: &App, tenant: TenantId) -> ChatId {
    ingest(
        app,
        tenant,
        &inbound(
            AIGUL_CHAT,
            "HELLO",
            Some(AIGUL_PHONE),
            Some("Aigul"),
            "Salam",
        ),
    )
    .stored
    .chat_id
}

fn count(app: &App, sql: &str) -> i64 {
    app.store()
        .read(|c| {
            c.query_row(sql, [], |r| r.get(0))
                .map_err(|e| AppError::storage(e.to_string()))
        })
        .expect("count")
}

fn text_to(chat: ChatId, body: &str) -> SendInput {
    SendInput {
        chat_id: Some(chat),
        body: body.into(),
        ..SendInput::default()
    }
}

fn text_to_phone(phone: &str, body: &str) -> SendInput {
    SendInput {
        phone: Some(phone.into()),
        body: body.into(),
        ..SendInput::default()
    }
}

fn send(f: &Fixture, input: &SendInput) -> Message {
    f.app.message_send(&f.admin, input).expect("send")
}

fn message(f: &Fixture, chat: ChatId, id: MessageId) -> Message {
    f.app
        .chat_messages(&f.admin, chat, None, 200)
        .expect("messages")
        .into_iter()
        .find(|m| m.id == id)
        .expect("the message is in its chat")
}

fn chats(app: &App, s: &tourdesk_app::Session, filter: &ChatFilter) -> Vec<ChatRow> {
    app.chat_list(s, filter).expect("chat list")
}

fn chat_row(f: &Fixture, chat: ChatId) -> ChatRow {
    chats(&f.app, &f.admin, &ChatFilter::default())
        .into_iter()
        .find(|r| r.id == chat)
        .expect("the chat is listed")
}

fn claim(app: &App, tenant: TenantId, now: DateTime<Utc>) -> OutboxRow {
    match app.outbox_next(tenant, now, window()).expect("outbox next") {
        OutboxPlan::Send(row) => *row,
        other => panic!("expected a send, got {other:?}"),
    }
}

/// WhatsApp's answer to a hand-over its server confirmed at once (ack 1).
fn handed(wa_message_id: &str, at: DateTime<Utc>) -> Handover<'_> {
    Handover {
        wa_message_id,
        chat_id: None,
        at,
        ack: Some(1),
    }
}

/// The outbox counts with nothing stuck.
fn outbox(queued: u32, unconfirmed: u32, failed: u32) -> OutboxCounts {
    OutboxCounts {
        queued,
        unconfirmed,
        failed,
        stuck: 0,
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> (ErrorCode, Option<String>) {
    match r {
        Err(e) => (e.code, e.field),
        Ok(v) => panic!("expected an error, got {v:?}"),
    }
}

/// What is stored: messages, outbox rows, chats, clients.
fn counts(app: &App) -> [i64; 4] {
    [
        count(app, "SELECT count(*) FROM messages"),
        count(app, "SELECT count(*) FROM outbox"),
        count(app, "SELECT count(*) FROM chats"),
        count(app, "SELECT count(*) FROM clients"),
    ]
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

// ---- ingest: new leads, links ----

#[test]
fn an_unknown_sender_becomes_one_new_lead_created_by_whatsapp_and_owns_the_chat() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let first = ingest(
        &f.app,
        t,
        &inbound(AIGUL_CHAT, "A1", Some(AIGUL_PHONE), Some("Aigul"), "Salam"),
    );
    assert!(first.stored.new);
    let client = first.new_client.expect("a client is created");
    let detail = f.app.client_get(&f.admin, client).expect("client");
    assert_eq!(detail.client.status, FunnelStatus::NewLead);
    assert_eq!(detail.client.fields.name, "Aigul");
    assert_eq!(detail.client.fields.phone.as_deref(), Some(AIGUL_PHONE));
    let origin = detail.history.first().expect("a first history row");
    assert_eq!(origin.actor, Actor::WhatsApp);
    assert_eq!(origin.from, None);
    assert_eq!(origin.to, FunnelStatus::NewLead);

    let row = chat_row(&f, first.stored.chat_id);
    assert_eq!(row.client_id, Some(client));
    assert_eq!(row.client_name.as_deref(), Some("Aigul"));
    assert_eq!(row.kind, ChatKind::OneToOne);

    let second = ingest(
        &f.app,
        t,
        &inbound(
            AIGUL_CHAT,
            "A2",
            Some(AIGUL_PHONE),
            Some("Aigul"),
            "Is the lake tour on?",
        ),
    );
    assert!(second.stored.new);
    assert_eq!(second.new_client, None);
    assert_eq!(second.stored.chat_id, first.stored.chat_id);

    let again = ingest(
        &f.app,
        t,
        &inbound(
            AIGUL_CHAT,
            "A2",
            Some(AIGUL_PHONE),
            Some("Aigul"),
            "Is the lake tour on?",
        ),
    );
    assert!(!again.stored.new);
    assert_eq!(again.stored.seq, second.stored.seq);
    assert_eq!(again.new_client, None);

    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 1);
    assert_eq!(count(&f.app, "SELECT count(*) FROM messages"), 2);
    assert_eq!(count(&f.app, "SELECT count(*) FROM chats"), 1);
}

#[test]
fn the_first_delivery_of_a_new_chat_repeated_creates_no_second_client() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let m = inbound(AIGUL_CHAT, "A1", Some(AIGUL_PHONE), Some("Aigul"), "Salam");
    assert!(ingest(&f.app, t, &m).new_client.is_some());
    let again = ingest(&f.app, t, &m);
    assert!(!again.stored.new);
    assert_eq!(again.new_client, None);
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 1);
}

#[test]
fn a_lid_sender_without_a_phone_becomes_a_lead_with_no_phone_named_from_whatsapp() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let named = ingest(
        &f.app,
        t,
        &inbound("123456789012345@lid", "L1", None, Some("Guest"), "Hi"),
    );
    let detail = f
        .app
        .client_get(&f.admin, named.new_client.expect("a client"))
        .expect("client");
    assert_eq!(detail.client.fields.name, "Guest");
    assert_eq!(detail.client.fields.phone, None);
    assert_eq!(detail.history[0].actor, Actor::WhatsApp);

    let nameless = ingest(
        &f.app,
        t,
        &inbound("987654321098765@lid", "L2", None, None, "Hi"),
    );
    let detail = f
        .app
        .client_get(&f.admin, nameless.new_client.expect("a client"))
        .expect("client");
    assert_eq!(detail.client.fields.name, "WhatsApp contact");
    assert_eq!(detail.client.fields.phone, None);
    let row = chat_row(&f, nameless.stored.chat_id);
    assert_eq!(row.client_phone, None);
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 2);
}

#[test]
fn a_sender_with_a_blank_name_is_named_after_the_phone() {
    let f = fixture();
    let got = ingest(
        &f.app,
        f.admin.tenant_id,
        &inbound(AIGUL_CHAT, "A1", Some(AIGUL_PHONE), Some("   "), "Hi"),
    );
    let detail = f
        .app
        .client_get(&f.admin, got.new_client.expect("a client"))
        .expect("client");
    assert_eq!(detail.client.fields.name, AIGUL_PHONE);
}

#[test]
fn groups_and_broadcasts_create_no_client() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let mut group = inbound(
        "120363025246125486@g.us",
        "G1",
        Some(AIGUL_PHONE),
        Some("Aigul"),
        "Group hello",
    );
    group.message.chat_title = "Issyk-Kul July group".into();
    group.message.author = Some(AIGUL_CHAT.into());
    assert_eq!(group.message.chat_kind, ChatKind::Group);
    let g = ingest(&f.app, t, &group);
    assert!(g.stored.new);
    assert_eq!(g.new_client, None);

    let broadcast = inbound(
        "status@broadcast",
        "B1",
        Some(AIGUL_PHONE),
        Some("Aigul"),
        "My status",
    );
    assert_eq!(broadcast.message.chat_kind, ChatKind::Broadcast);
    let b = ingest(&f.app, t, &broadcast);
    assert!(b.stored.new);
    assert_eq!(b.new_client, None);

    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 0);
    let g_row = chat_row(&f, g.stored.chat_id);
    assert_eq!(g_row.kind, ChatKind::Group);
    assert_eq!(g_row.client_id, None);
    assert_eq!(g_row.title, "Issyk-Kul July group");
    let b_row = chat_row(&f, b.stored.chat_id);
    assert_eq!(b_row.kind, ChatKind::Broadcast);
    assert_eq!(b_row.client_id, None);
}

#[test]
fn a_sender_whose_phone_is_a_clients_is_linked_to_that_client() {
    let f = fixture();
    let existing = f
        .app
        .client_create(
            &f.admin,
            &client("Aigul Sadykova", Some("+7 916 123-45-67")),
        )
        .expect("client");
    let got = ingest(
        &f.app,
        f.admin.tenant_id,
        &inbound(AIGUL_CHAT, "A1", Some(AIGUL_PHONE), Some("Aigul"), "Salam"),
    );
    assert_eq!(got.new_client, None);
    let row = chat_row(&f, got.stored.chat_id);
    assert_eq!(row.client_id, Some(existing.id));
    assert_eq!(row.client_name.as_deref(), Some("Aigul Sadykova"));
    assert_eq!(row.partner_id, None);
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 1);
}

#[test]
fn a_sender_whose_phone_is_a_partners_is_linked_to_the_partner_and_creates_no_client() {
    let f = fixture();
    let mut input = partner("Bakyt the guide");
    input.phone = Some("+7 916 111 22 33".into());
    let guide = f.app.partner_create(&f.admin, &input).expect("partner");
    let got = ingest(
        &f.app,
        f.admin.tenant_id,
        &inbound(
            "79161112233@c.us",
            "P1",
            Some("+79161112233"),
            Some("Bakyt"),
            "The bus is ready",
        ),
    );
    assert!(got.stored.new);
    assert_eq!(got.new_client, None);
    let row = chat_row(&f, got.stored.chat_id);
    assert_eq!(row.partner_id, Some(guide.id));
    assert_eq!(row.partner_name.as_deref(), Some("Bakyt the guide"));
    assert_eq!(row.client_id, None);
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 0);
}

#[test]
fn writing_first_to_a_partners_number_links_the_partner_and_creates_no_client() {
    let f = fixture();
    let mut input = partner("Bakyt the guide");
    input.phone = Some("+7 916 111 22 33".into());
    let guide = f.app.partner_create(&f.admin, &input).expect("partner");
    let m = send(&f, &text_to_phone("+79161112233", "Bus at 7:00 tomorrow?"));
    let row = chat_row(&f, m.chat_id);
    assert_eq!(row.partner_id, Some(guide.id));
    assert_eq!(row.client_id, None);
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 0);
}

#[test]
fn a_deleted_partners_old_number_writing_in_becomes_a_lead() {
    let f = fixture();
    let mut input = partner("Former driver");
    input.phone = Some("+7 916 111 22 33".into());
    let gone = f.app.partner_create(&f.admin, &input).expect("partner");
    f.app.partner_delete(&f.admin, gone.id).expect("delete");
    let got = ingest(
        &f.app,
        f.admin.tenant_id,
        &inbound(
            "79161112233@c.us",
            "P1",
            Some("+79161112233"),
            Some("New person"),
            "Hello, tours?",
        ),
    );
    assert!(got.new_client.is_some(), "a removed partner keeps no chat");
    let row = chat_row(&f, got.stored.chat_id);
    assert_eq!(row.partner_id, None);
    assert_eq!(row.client_id, got.new_client);
}

#[test]
fn a_contact_name_with_control_characters_still_stores_the_message_and_the_lead() {
    let f = fixture();
    let got = f.app.wa_ingest(
        f.admin.tenant_id,
        &inbound(
            AIGUL_CHAT,
            "A1",
            Some(AIGUL_PHONE),
            Some("Aigul\n\u{7}🌸"),
            "Salam",
        ),
    );
    let got = got.expect("a strange push name must not lose the message");
    let detail = f
        .app
        .client_get(&f.admin, got.new_client.expect("a client"))
        .expect("client");
    assert!(!detail.client.fields.name.chars().any(char::is_control));
    assert!(detail.client.fields.name.starts_with("Aigul"));
    assert_eq!(count(&f.app, "SELECT count(*) FROM messages"), 1);
}

#[test]
fn a_message_typed_on_the_phone_arrives_as_sent() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let mut ours = inbound(AIGUL_CHAT, "X", None, None, "typed on the phone");
    ours.message.direction = Direction::Out;
    ours.message.wa_message_id = Some(wa_id(Direction::Out, "PHONE1"));
    let known = ingest(&f.app, t, &ours);
    assert_eq!(known.stored.chat_id, chat);
    assert_eq!(
        message(&f, chat, known.stored.id).status,
        Some(SendStatus::Sent)
    );

    // The first message of a chat may also be ours (written on the phone to a new number).
    let mut first = inbound(
        "79160000001@c.us",
        "X",
        Some("+79160000001"),
        Some("Timur"),
        "Hello Timur, it is Soul KG",
    );
    first.message.direction = Direction::Out;
    first.message.wa_message_id = Some(wa_id(Direction::Out, "PHONE2"));
    let new_chat = ingest(&f.app, t, &first);
    assert!(new_chat.stored.new);
    assert_eq!(
        message(&f, new_chat.stored.chat_id, new_chat.stored.id).status,
        Some(SendStatus::Sent)
    );
}

#[test]
fn wa_ids_and_phones_convert_both_ways() {
    assert_eq!(
        phone_of_wa_id("79161234567@c.us").as_deref(),
        Some("+79161234567")
    );
    assert_eq!(
        phone_of_wa_id("79161234567:12@s.whatsapp.net").as_deref(),
        Some("+79161234567")
    );
    assert_eq!(phone_of_wa_id("123456789012345@lid"), None);
    assert_eq!(phone_of_wa_id("120363025246125486@g.us"), None);
    assert_eq!(phone_of_wa_id("12ab567@c.us"), None);
    assert_eq!(wa_id_of_phone("+996555123456"), "996555123456@c.us");
}

// ---- the outbox ----

#[test]
fn a_sent_message_goes_queued_sending_sent_and_acks_only_move_it_forward() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let m = send(&f, &text_to(chat, "Hello Aigul"));
    assert_eq!(m.direction, Direction::Out);
    assert_eq!(m.status, Some(SendStatus::Queued));
    assert_eq!(m.chat_id, chat);
    assert_eq!(m.body, "Hello Aigul");
    assert_eq!(m.wa_message_id, None);
    assert_eq!(
        count(
            &f.app,
            &format!(
                "SELECT count(*) FROM outbox WHERE message_id = '{}' AND status = 'queued'",
                m.id
            )
        ),
        1
    );
    assert_eq!(f.app.outbox_counts(t).expect("counts"), outbox(1, 0, 0));

    let now = f.clock.now();
    let row = claim(&f.app, t, now);
    assert_eq!(row.status, SendStatus::Sending);
    assert_eq!(row.message_id, m.id);
    assert_eq!(row.chat_id, chat);
    assert_eq!(row.wa_chat_id, AIGUL_CHAT);
    assert_eq!(row.body, "Hello Aigul");
    assert_eq!(row.attempts, 1);
    assert_eq!(row.sent_at, Some(now));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Sending));
    assert_eq!(
        f.app.outbox_next(t, now, window()).expect("next"),
        OutboxPlan::Idle,
        "a claimed row is not handed out twice"
    );

    let wa = wa_id(Direction::Out, "3EB0SENT");
    f.app
        .outbox_sent(t, &row.id, &handed(&wa, now), now)
        .expect("sent");
    let sent = message(&f, chat, m.id);
    assert_eq!(sent.status, Some(SendStatus::Sent));
    assert_eq!(sent.wa_message_id.as_deref(), Some(wa.as_str()));
    assert_eq!(f.app.outbox_counts(t).expect("counts"), outbox(0, 0, 0));

    assert!(f.app.wa_ack(t, &wa, 2).expect("ack"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Delivered));
    assert!(f.app.wa_ack(t, &wa, 1).expect("ack"));
    assert_eq!(
        message(&f, chat, m.id).status,
        Some(SendStatus::Delivered),
        "a late server ack does not move it back"
    );
    assert!(f.app.wa_ack(t, &wa, 0).expect("pending ack"));
    assert!(f.app.wa_ack(t, &wa, -1).expect("error ack"));
    assert_eq!(
        message(&f, chat, m.id).status,
        Some(SendStatus::Delivered),
        "neither a pending nor an error ack moves a delivered message back"
    );
    assert!(f.app.wa_ack(t, &wa, 3).expect("ack"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Read));
    assert!(f.app.wa_ack(t, &wa, 2).expect("ack"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Read));
    assert!(!f.app.wa_ack(t, "nobody:1:NOPE", 3).expect("unknown ack"));
    assert_eq!(chat_row(&f, chat).last_status, Some(SendStatus::Read));
}

#[test]
fn the_echo_of_our_send_stored_before_sent_is_folded_into_one_message() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let m = send(&f, &text_to(chat, "Your guide is Bakyt"));
    let now = f.clock.now();
    let row = claim(&f.app, t, now);
    let wa = wa_id(Direction::Out, "3EB0ECHO");

    // The sidecar's own message event for this send arrives before the send call returns.
    let mut echo = inbound(AIGUL_CHAT, "X", None, None, "Your guide is Bakyt");
    echo.message.direction = Direction::Out;
    echo.message.wa_message_id = Some(wa.clone());
    echo.message.sent_at = now;
    let e = ingest(&f.app, t, &echo);
    assert_eq!(e.new_client, None);
    f.app
        .outbox_sent(t, &row.id, &handed(&wa, now), now)
        .expect("sent");

    let copies = count(
        &f.app,
        &format!("SELECT count(*) FROM messages WHERE chat_id = '{chat}' AND direction = 'out'"),
    );
    assert_eq!(copies, 1, "the conversation shows the message once");
    let kept = message(&f, chat, m.id);
    assert_eq!(kept.wa_message_id.as_deref(), Some(wa.as_str()));
    assert_eq!(kept.status, Some(SendStatus::Sent));
    let rows = f
        .app
        .chat_messages(&f.admin, chat, None, 50)
        .expect("messages");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].id, m.id);

    let listed = chat_row(&f, chat);
    assert_eq!(listed.last_message_seq, Some(kept.seq));
    assert_eq!(listed.preview, "Your guide is Bakyt");
    assert_eq!(listed.last_direction, Some(Direction::Out));
    assert_eq!(listed.last_status, Some(SendStatus::Sent));
    assert_eq!(
        f.app
            .message_search(&f.admin, "guide Bakyt")
            .expect("search")
            .len(),
        1
    );

    // Acks now find the one message; a repeated echo is not stored again.
    assert!(f.app.wa_ack(t, &wa, 2).expect("ack"));
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Delivered));
    assert!(!ingest(&f.app, t, &echo).stored.new);
    assert_eq!(
        count(
            &f.app,
            &format!("SELECT count(*) FROM messages WHERE chat_id = '{chat}'")
        ),
        2
    );
}

#[test]
fn an_echo_acked_before_sent_keeps_its_furthest_status() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let m = send(&f, &text_to(chat, "See you at 9"));
    let now = f.clock.now();
    let row = claim(&f.app, t, now);
    let wa = wa_id(Direction::Out, "3EB0FAST");
    let mut echo = inbound(AIGUL_CHAT, "X", None, None, "See you at 9");
    echo.message.direction = Direction::Out;
    echo.message.wa_message_id = Some(wa.clone());
    ingest(&f.app, t, &echo);
    assert!(f.app.wa_ack(t, &wa, 2).expect("ack on the echo"));
    f.app
        .outbox_sent(t, &row.id, &handed(&wa, now), now)
        .expect("sent");
    let kept = message(&f, chat, m.id);
    assert_eq!(kept.status, Some(SendStatus::Delivered));
    assert_eq!(
        count(
            &f.app,
            &format!("SELECT count(*) FROM messages WHERE chat_id = '{chat}'")
        ),
        2
    );
}

#[test]
fn the_send_rate_window_is_counted_from_the_database_and_survives_a_restart() {
    let Fixture {
        dir,
        clock,
        app,
        admin,
        ..
    } = fixture();
    let t = admin.tenant_id;
    assert_eq!(
        app.wa_settings_get(&admin)
            .expect("settings")
            .sends_per_minute,
        20
    );
    let chat = aigul_chat(&app, t);
    for i in 0..25 {
        app.message_send(&admin, &text_to(chat, &format!("m{i}")))
            .expect("send");
    }
    let now = clock.now();
    let mut bodies = Vec::new();
    let plan = loop {
        match app.outbox_next(t, now, window()).expect("next") {
            OutboxPlan::Send(row) => {
                bodies.push(row.body.clone());
                app.outbox_sent(
                    t,
                    &row.id,
                    &handed(&format!("wa-{}", bodies.len()), now),
                    now,
                )
                .expect("sent");
                assert!(bodies.len() <= 25, "the loop must stop");
            }
            other => break other,
        }
    };
    assert_eq!(bodies.len(), 20);
    assert_eq!(
        bodies,
        (0..20).map(|i| format!("m{i}")).collect::<Vec<_>>(),
        "oldest first"
    );
    let free_at = now + window() + Duration::milliseconds(1);
    assert_eq!(plan, OutboxPlan::WaitUntil(free_at));

    // A restart cannot reset the window.
    drop(app);
    let app = open(dir.path(), &clock);
    assert_eq!(
        app.outbox_next(t, now, window()).expect("next"),
        OutboxPlan::WaitUntil(free_at)
    );
    assert_eq!(
        app.outbox_next(t, now + window(), window()).expect("next"),
        OutboxPlan::WaitUntil(free_at),
        "still full at exactly 60 s"
    );
    assert_eq!(app.outbox_counts(t).expect("counts"), outbox(5, 0, 0));

    clock.advance(Duration::seconds(61));
    let later = clock.now();
    let mut more = 0;
    let plan = loop {
        match app.outbox_next(t, later, window()).expect("next") {
            OutboxPlan::Send(row) => {
                more += 1;
                app.outbox_sent(
                    t,
                    &row.id,
                    &handed(&format!("wa-late-{more}"), later),
                    later,
                )
                .expect("sent");
                assert!(more <= 5, "the loop must stop");
            }
            other => break other,
        }
    };
    assert_eq!(more, 5);
    assert_eq!(plan, OutboxPlan::Idle);
}

#[test]
fn a_confirmed_send_counts_in_the_window_from_its_confirmation_not_its_claim() {
    // WhatsApp receives a message somewhere between the claim and the confirmation, so the
    // window counts the later time, or a slow hand-over lets a burst through on its side.
    let f = fixture();
    let t = f.admin.tenant_id;
    let one = WaSettings {
        sends_per_minute: 1,
        send_read_receipts: true,
    };
    f.app.wa_settings_update(&f.admin, &one).expect("update");
    let chat = aigul_chat(&f.app, t);
    send(&f, &text_to(chat, "first"));
    send(&f, &text_to(chat, "second"));
    let claimed_at = f.clock.now();
    let row = claim(&f.app, t, claimed_at);
    let confirmed_at = claimed_at + Duration::seconds(5);
    f.app
        .outbox_sent(t, &row.id, &handed("wa-first", claimed_at), confirmed_at)
        .expect("sent");
    assert_eq!(
        f.app
            .outbox_next(t, claimed_at + window() + Duration::seconds(1), window())
            .expect("next"),
        OutboxPlan::WaitUntil(confirmed_at + window() + Duration::milliseconds(1)),
        "a minute after the claim but not after the confirmation: still waiting"
    );
    assert!(matches!(
        f.app
            .outbox_next(t, confirmed_at + window() + Duration::seconds(1), window())
            .expect("next"),
        OutboxPlan::Send(_)
    ));
}

#[test]
fn a_lower_send_rate_setting_lets_only_that_many_go() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let saved = f
        .app
        .wa_settings_update(
            &f.admin,
            &WaSettings {
                sends_per_minute: 5,
                send_read_receipts: false,
            },
        )
        .expect("update");
    assert_eq!(saved.sends_per_minute, 5);
    assert!(!saved.send_read_receipts);
    assert_eq!(f.app.wa_settings_of(t).expect("settings"), saved);
    let chat = aigul_chat(&f.app, t);
    for i in 0..8 {
        send(&f, &text_to(chat, &format!("m{i}")));
    }
    let now = f.clock.now();
    let mut sends = 0;
    let plan = loop {
        match f.app.outbox_next(t, now, window()).expect("next") {
            OutboxPlan::Send(row) => {
                sends += 1;
                f.app
                    .outbox_sent(t, &row.id, &handed(&format!("wa-{sends}"), now), now)
                    .expect("sent");
                assert!(sends <= 8, "the loop must stop");
            }
            other => break other,
        }
    };
    assert_eq!(sends, 5);
    assert_eq!(
        plan,
        OutboxPlan::WaitUntil(now + window() + Duration::milliseconds(1))
    );
}

#[test]
fn a_send_rate_outside_one_to_twenty_is_refused_and_changes_nothing() {
    let f = fixture();
    let before = f.app.wa_settings_get(&f.admin).expect("settings");
    for bad in [0, 21, 1000] {
        let r = f.app.wa_settings_update(
            &f.admin,
            &WaSettings {
                sends_per_minute: bad,
                send_read_receipts: !before.send_read_receipts,
            },
        );
        assert_eq!(
            code(r),
            (ErrorCode::OutOfRange, Some("sends_per_minute".into())),
            "{bad}"
        );
    }
    assert_eq!(f.app.wa_settings_get(&f.admin).expect("settings"), before);
    for good in [1, 20] {
        let s = f
            .app
            .wa_settings_update(
                &f.admin,
                &WaSettings {
                    sends_per_minute: good,
                    send_read_receipts: true,
                },
            )
            .expect("in range");
        assert_eq!(s.sends_per_minute, good);
    }
}

#[test]
fn the_rate_gate_frees_the_window_when_the_oldest_blocking_send_leaves_it() {
    let t0 = at(0);
    let w = window();
    let ms = Duration::milliseconds;
    // Fewer than the limit: go now.
    assert_eq!(rate_gate(&[], t0, 3, w), None);
    assert_eq!(rate_gate(&[t0, t0 + ms(10)], t0 + ms(20), 3, w), None);
    // Exactly the limit inside the window: wait until the oldest leaves, plus 1 ms.
    let sent = [t0, t0 + ms(10), t0 + ms(20)];
    assert_eq!(rate_gate(&sent, t0 + ms(30), 3, w), Some(t0 + w + ms(1)));
    // More than the limit: the oldest of the last `limit` blocks.
    let sent = [t0, t0 + ms(10), t0 + ms(20), t0 + ms(30)];
    assert_eq!(
        rate_gate(&sent, t0 + ms(40), 3, w),
        Some(t0 + ms(10) + w + ms(1))
    );
    // Sends older than the window do not count.
    let sent = [t0 - w - ms(5), t0 - w, t0 + ms(10), t0 + ms(20)];
    assert_eq!(rate_gate(&sent, t0 + ms(30), 3, w), None);
    // At the time the gate named, the window has room again.
    let sent = [t0, t0 + ms(10), t0 + ms(20)];
    let free = rate_gate(&sent, t0 + ms(30), 3, w).expect("full");
    assert_eq!(rate_gate(&sent, free, 3, w), None);
    assert!(rate_gate(&sent, free - ms(1), 3, w).is_some());
    // A limit of 0 is read as 1, never "never send".
    assert_eq!(rate_gate(&[t0], t0 + ms(1), 0, w), Some(t0 + w + ms(1)));
}

#[test]
fn a_failed_send_shows_why_and_send_again_is_a_new_hand_over() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let m = send(&f, &text_to(chat, "Hello"));
    let first = claim(&f.app, t, f.clock.now());
    f.app
        .outbox_failed(t, &first.id, "not_on_whatsapp")
        .expect("failed");
    let failed = message(&f, chat, m.id);
    assert_eq!(failed.status, Some(SendStatus::Failed));
    assert_eq!(failed.status_reason.as_deref(), Some("not_on_whatsapp"));
    assert_eq!(f.app.outbox_counts(t).expect("counts"), outbox(0, 0, 1));
    assert_eq!(chat_row(&f, chat).last_status, Some(SendStatus::Failed));
    assert_eq!(
        f.app.outbox_next(t, f.clock.now(), window()).expect("next"),
        OutboxPlan::Idle,
        "a failed row is never resent by itself"
    );

    f.app.message_retry(&f.admin, m.id).expect("retry");
    let queued = message(&f, chat, m.id);
    assert_eq!(queued.status, Some(SendStatus::Queued));
    assert_eq!(queued.status_reason, None);
    let second = claim(&f.app, t, f.clock.now());
    assert_eq!(second.id, first.id);
    assert_eq!(second.attempts, 2);
    assert_ne!(second.idempotency_key(), first.idempotency_key());
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Sending));
    f.app
        .outbox_sent(
            t,
            &second.id,
            &handed(&wa_id(Direction::Out, "RETRIED"), f.clock.now()),
            f.clock.now(),
        )
        .expect("sent");
    assert_eq!(message(&f, chat, m.id).status, Some(SendStatus::Sent));
    assert_eq!(
        code(f.app.message_retry(&f.admin, m.id)).0,
        ErrorCode::Conflict,
        "a sent message cannot be sent again"
    );
    assert_eq!(
        code(f.app.message_mark_sent(&f.admin, m.id)).0,
        ErrorCode::Conflict
    );
}

#[test]
fn an_unconfirmed_send_waits_for_the_manager_to_mark_it_sent() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let m = send(&f, &text_to(chat, "Hello"));
    // Neither action applies to a message still in the queue.
    assert_eq!(
        code(f.app.message_retry(&f.admin, m.id)).0,
        ErrorCode::Conflict
    );
    assert_eq!(
        code(f.app.message_mark_sent(&f.admin, m.id)).0,
        ErrorCode::Conflict
    );
    let row = claim(&f.app, t, f.clock.now());
    f.app
        .outbox_unconfirmed(t, &row.id, "stopped_while_sending")
        .expect("unconfirmed");
    let unconfirmed = message(&f, chat, m.id);
    assert_eq!(unconfirmed.status, Some(SendStatus::Unconfirmed));
    assert_eq!(
        unconfirmed.status_reason.as_deref(),
        Some("stopped_while_sending")
    );
    assert_eq!(f.app.outbox_counts(t).expect("counts"), outbox(0, 1, 0));
    assert_eq!(
        f.app.outbox_next(t, f.clock.now(), window()).expect("next"),
        OutboxPlan::Idle,
        "an unconfirmed row is never resent by itself"
    );
    f.app.message_mark_sent(&f.admin, m.id).expect("mark sent");
    let sent = message(&f, chat, m.id);
    assert_eq!(sent.status, Some(SendStatus::Sent));
    assert_eq!(sent.status_reason, None);
    assert_eq!(f.app.outbox_counts(t).expect("counts"), outbox(0, 0, 0));
    assert_eq!(
        code(f.app.message_retry(&f.admin, m.id)).0,
        ErrorCode::Conflict
    );
    assert_eq!(
        code(f.app.message_retry(&f.admin, MessageId(uuid_nil()))).0,
        ErrorCode::NotFound
    );
}

fn uuid_nil() -> uuid::Uuid {
    uuid::Uuid::nil()
}

#[test]
fn a_transient_failure_puts_the_row_back_until_its_next_attempt() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, t);
    let m = send(&f, &text_to(chat, "Hello"));
    let now = f.clock.now();
    let row = claim(&f.app, t, now);
    let next = now + Duration::seconds(30);
    f.app
        .outbox_retry_later(t, &row.id, next, "whatsapp_unreachable")
        .expect("retry later");
    let queued = message(&f, chat, m.id);
    assert_eq!(queued.status, Some(SendStatus::Queued));
    assert_eq!(
        queued.status_reason.as_deref(),
        Some("whatsapp_unreachable")
    );
    assert_eq!(
        f.app.outbox_next(t, now, window()).expect("next"),
        OutboxPlan::WaitUntil(next)
    );
    assert_eq!(
        f.app
            .outbox_next(t, next - Duration::milliseconds(1), window())
            .expect("next"),
        OutboxPlan::WaitUntil(next)
    );
    let again = claim(&f.app, t, next);
    assert_eq!(again.id, row.id);
    assert_eq!(again.attempts, 2);
    assert_ne!(again.idempotency_key(), row.idempotency_key());
}

#[test]
fn a_row_claimed_when_the_app_stopped_is_still_sending_after_a_restart() {
    let Fixture {
        dir,
        clock,
        app,
        admin,
        ..
    } = fixture();
    let t = admin.tenant_id;
    let chat = aigul_chat(&app, t);
    let m = app
        .message_send(&admin, &text_to(chat, "Hello"))
        .expect("send");
    let other = app
        .message_send(&admin, &text_to(chat, "Second"))
        .expect("send");
    assert!(app.outbox_in_sending(t).expect("in sending").is_empty());
    let row = claim(&app, t, clock.now());
    assert_eq!(row.message_id, m.id);
    drop(app); // the host stops mid hand-over

    let app = open(dir.path(), &clock);
    let left = app.outbox_in_sending(t).expect("in sending");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, row.id);
    assert_eq!(left[0].status, SendStatus::Sending);
    assert_eq!(left[0].message_id, m.id);
    let rows = app.chat_messages(&admin, chat, None, 50).expect("messages");
    let status_of = |id: MessageId| rows.iter().find(|r| r.id == id).and_then(|r| r.status);
    assert_eq!(status_of(m.id), Some(SendStatus::Sending));
    assert_eq!(status_of(other.id), Some(SendStatus::Queued));
    // The unfinished row is not handed out again by the queue.
    let next = claim(&app, t, clock.now());
    assert_eq!(next.message_id, other.id);
}

// ---- sending to a phone, bad input ----

#[test]
fn sending_to_a_new_number_starts_a_chat_with_a_new_lead_and_reuses_it() {
    let f = fixture();
    let m = send(
        &f,
        &text_to_phone("+996 555 123 456", "Salam! Soul KG here"),
    );
    assert_eq!(m.status, Some(SendStatus::Queued));
    let row = chat_row(&f, m.chat_id);
    assert_eq!(row.wa_chat_id, "996555123456@c.us");
    assert_eq!(row.kind, ChatKind::OneToOne);
    assert_eq!(row.client_phone.as_deref(), Some("+996555123456"));
    let client = row.client_id.expect("a client is created");
    let detail = f.app.client_get(&f.admin, client).expect("client");
    assert_eq!(detail.client.status, FunnelStatus::NewLead);
    assert_eq!(detail.client.fields.phone.as_deref(), Some("+996555123456"));
    assert_eq!(detail.history[0].actor, Actor::User(f.admin.user.id));

    // The same number in the organisation's region format reaches the same chat.
    let again = send(&f, &text_to_phone("0555 123 456", "Are you still there?"));
    assert_eq!(again.chat_id, m.chat_id);
    let third = send(&f, &text_to_phone("+996555123456", "Hello?"));
    assert_eq!(third.chat_id, m.chat_id);
    assert_eq!(count(&f.app, "SELECT count(*) FROM chats"), 1);
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 1);
    assert_eq!(count(&f.app, "SELECT count(*) FROM outbox"), 3);
    let row = claim(&f.app, f.admin.tenant_id, f.clock.now());
    assert_eq!(row.wa_chat_id, "996555123456@c.us");
}

#[test]
fn sending_to_a_clients_number_links_the_new_chat_to_that_client() {
    let f = fixture();
    let existing = f
        .app
        .client_create(&f.admin, &client("Daniyar", Some("+996 700 123 456")))
        .expect("client");
    let m = send(
        &f,
        &text_to_phone("0700 123 456", "Your tour starts tomorrow"),
    );
    let row = chat_row(&f, m.chat_id);
    assert_eq!(row.wa_chat_id, "996700123456@c.us");
    assert_eq!(row.client_id, Some(existing.id));
    assert_eq!(row.client_name.as_deref(), Some("Daniyar"));
    assert_eq!(count(&f.app, "SELECT count(*) FROM clients"), 1);
    // When the client writes back, the chat is already theirs.
    let back = ingest(
        &f.app,
        f.admin.tenant_id,
        &inbound(
            "996700123456@c.us",
            "D1",
            Some("+996700123456"),
            Some("Daniyar"),
            "Thanks!",
        ),
    );
    assert_eq!(back.stored.chat_id, m.chat_id);
    assert_eq!(back.new_client, None);
}

#[test]
fn bad_send_input_is_refused_and_stores_nothing() {
    let f = fixture();
    let chat = aigul_chat(&f.app, f.admin.tenant_id);
    let before = counts(&f.app);
    let refused = [
        (
            text_to_phone("12ab", "Hello"),
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (
            text_to_phone("+1 000", "Hello"),
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (
            text_to_phone("555", "Hello"),
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (
            SendInput {
                body: "Hello".into(),
                ..SendInput::default()
            },
            ErrorCode::Required,
            "phone",
        ),
        (text_to(chat, ""), ErrorCode::Required, "body"),
        (text_to(chat, "  \n\t "), ErrorCode::Required, "body"),
        (text_to(chat, &"я".repeat(4097)), ErrorCode::TooLong, "body"),
        (
            text_to_phone("+996 555 123 456", &"x".repeat(4097)),
            ErrorCode::TooLong,
            "body",
        ),
        (text_to(chat, "a\0b"), ErrorCode::InvalidText, "body"),
    ];
    for (input, want, field) in refused {
        assert_eq!(
            code(f.app.message_send(&f.admin, &input)),
            (want, Some(field.to_string())),
            "{:?}",
            input.phone
        );
    }
    assert_eq!(
        code(
            f.app
                .message_send(&f.admin, &text_to(ChatId(uuid_nil()), "Hi"))
        )
        .0,
        ErrorCode::NotFound
    );
    assert_eq!(counts(&f.app), before, "nothing is stored on an error");
    // The longest allowed text goes.
    let longest = send(&f, &text_to(chat, &"я".repeat(4096)));
    assert_eq!(longest.body.chars().count(), 4096);
}

#[test]
fn a_broadcast_cannot_be_sent_to() {
    let f = fixture();
    let b = ingest(
        &f.app,
        f.admin.tenant_id,
        &inbound("status@broadcast", "B1", None, None, "status"),
    );
    let before = counts(&f.app);
    assert_eq!(
        code(
            f.app
                .message_send(&f.admin, &text_to(b.stored.chat_id, "Hi"))
        )
        .0,
        ErrorCode::Conflict
    );
    assert_eq!(counts(&f.app), before);
}

// ---- attachments ----

#[test]
fn an_attached_pdf_is_saved_under_media_and_read_back_with_its_name() {
    let f = fixture();
    let chat = aigul_chat(&f.app, f.admin.tenant_id);
    let bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3 itinerary day 1: Bishkek".to_vec();
    let m = send(
        &f,
        &SendInput {
            chat_id: Some(chat),
            body: "Your itinerary".into(),
            attachment: Some(Attachment {
                file_name: "itinerary.pdf".into(),
                mime: String::new(),
                data_base64: b64(&bytes),
            }),
            ..SendInput::default()
        },
    );
    assert_eq!(m.kind, MessageKind::Document);
    assert_eq!(m.media_mime.as_deref(), Some("application/pdf"));
    assert_eq!(m.body, "Your itinerary");
    let path = std::path::PathBuf::from(m.media_path.clone().expect("a media path"));
    let out = f.dir.path().join("media").join("out");
    assert_eq!(path.parent(), Some(out.as_path()));
    assert_eq!(std::fs::read(&path).expect("saved file"), bytes);

    let media = f.app.message_media(&f.admin, m.id).expect("media");
    assert_eq!(media.file_name, "itinerary.pdf");
    assert_eq!(media.mime, "application/pdf");
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(&media.data_base64)
            .expect("base64"),
        bytes
    );

    let row = claim(&f.app, f.admin.tenant_id, f.clock.now());
    assert_eq!(row.media_name.as_deref(), Some("itinerary.pdf"));
    assert_eq!(row.media_mime.as_deref(), Some("application/pdf"));
    assert_eq!(row.media_path, m.media_path);
}

#[test]
fn an_image_attachment_is_an_image_and_needs_no_caption() {
    let f = fixture();
    let chat = aigul_chat(&f.app, f.admin.tenant_id);
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let m = send(
        &f,
        &SendInput {
            chat_id: Some(chat),
            body: String::new(),
            attachment: Some(Attachment {
                file_name: "lake.png".into(),
                mime: "image/png".into(),
                data_base64: b64(&png),
            }),
            ..SendInput::default()
        },
    );
    assert_eq!(m.kind, MessageKind::Image);
    assert_eq!(m.media_mime.as_deref(), Some("image/png"));
    assert_eq!(m.body, "");
    let media = f.app.message_media(&f.admin, m.id).expect("media");
    assert_eq!(media.file_name, "lake.png");
    assert_eq!(media.mime, "image/png");
}

#[test]
fn an_unreadable_or_empty_attachment_is_refused_and_stores_nothing() {
    let f = fixture();
    let chat = aigul_chat(&f.app, f.admin.tenant_id);
    let out = f.dir.path().join("media").join("out");
    let before = counts(&f.app);
    for data in ["not base64 at all!", "", "   "] {
        let r = f.app.message_send(
            &f.admin,
            &SendInput {
                chat_id: Some(chat),
                body: "caption".into(),
                attachment: Some(Attachment {
                    file_name: "itinerary.pdf".into(),
                    mime: String::new(),
                    data_base64: data.into(),
                }),
                ..SendInput::default()
            },
        );
        assert_eq!(
            code(r),
            (ErrorCode::InvalidAttachment, Some("attachment".into())),
            "{data:?}"
        );
    }
    assert_eq!(counts(&f.app), before);
    assert_eq!(files_in(&out), 0, "no file is left behind");
}

#[test]
fn a_file_name_with_folders_is_saved_inside_the_media_folder() {
    let f = fixture();
    let chat = aigul_chat(&f.app, f.admin.tenant_id);
    let out = f.dir.path().join("media").join("out");
    for (name, saved_as) in [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("..", "file"),
    ] {
        let m = send(
            &f,
            &SendInput {
                chat_id: Some(chat),
                body: "x".into(),
                attachment: Some(Attachment {
                    file_name: name.into(),
                    mime: String::new(),
                    data_base64: b64(b"root:x:0:0"),
                }),
                ..SendInput::default()
            },
        );
        let path = std::path::PathBuf::from(m.media_path.clone().expect("path"));
        assert_eq!(path.parent(), Some(out.as_path()), "{name}");
        assert!(
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(&format!("-{saved_as}"))),
            "{name} saved as {path:?}"
        );
        assert!(path
            .canonicalize()
            .expect("exists")
            .starts_with(out.canonicalize().expect("out")));
        assert_eq!(
            f.app
                .message_media(&f.admin, m.id)
                .expect("media")
                .file_name,
            saved_as
        );
    }
    assert_eq!(files_in(&out), 3);
    assert!(!f.dir.path().join("etc").exists());
}

#[test]
fn media_outside_the_media_folder_is_never_read() {
    let f = fixture();
    let chat = aigul_chat(&f.app, f.admin.tenant_id);
    // The media folder exists (a real attachment was saved).
    let real = send(
        &f,
        &SendInput {
            chat_id: Some(chat),
            body: String::new(),
            attachment: Some(Attachment {
                file_name: "a.txt".into(),
                mime: String::new(),
                data_base64: b64(b"ok"),
            }),
            ..SendInput::default()
        },
    );
    assert!(f.app.message_media(&f.admin, real.id).is_ok());
    let secret = f.dir.path().join("secret.txt");
    std::fs::write(&secret, b"do not read").expect("write");
    let sneaky = f
        .dir
        .path()
        .join("media")
        .join("out")
        .join("..")
        .join("..")
        .join("secret.txt");
    let db_file = f.dir.path().join(tourdesk_app::DB_FILE);
    for path in [&secret, &sneaky, &db_file] {
        let p = path.to_string_lossy().into_owned();
        let id = real.id.to_string();
        f.app
            .store()
            .write(|tx| {
                tx.execute(
                    "UPDATE messages SET media_path = ?1 WHERE id = ?2",
                    [p.as_str(), id.as_str()],
                )
                .map_err(|e| AppError::storage(e.to_string()))
            })
            .expect("point the row elsewhere");
        assert_eq!(
            code(f.app.message_media(&f.admin, real.id)).0,
            ErrorCode::NotFound,
            "{p}"
        );
    }
    // A text message has no media.
    let text = send(&f, &text_to(chat, "no file"));
    assert_eq!(
        code(f.app.message_media(&f.admin, text.id)).0,
        ErrorCode::NotFound
    );
}

// ---- tenant isolation ----

#[test]
fn another_organisation_cannot_send_retry_confirm_or_read_media_of_ours() {
    let f = fixture();
    let a = f.admin.tenant_id;
    let chat = aigul_chat(&f.app, a);
    let failed = send(&f, &text_to(chat, "will fail"));
    let unconfirmed = send(&f, &text_to(chat, "will be unconfirmed"));
    let with_file = send(
        &f,
        &SendInput {
            chat_id: Some(chat),
            body: String::new(),
            attachment: Some(Attachment {
                file_name: "itinerary.pdf".into(),
                mime: String::new(),
                data_base64: b64(b"%PDF"),
            }),
            ..SendInput::default()
        },
    );
    let row = claim(&f.app, a, f.clock.now());
    assert_eq!(row.message_id, failed.id);
    f.app.outbox_failed(a, &row.id, "x").expect("failed");
    let row = claim(&f.app, a, f.clock.now());
    assert_eq!(row.message_id, unconfirmed.id);
    f.app
        .outbox_unconfirmed(a, &row.id, "x")
        .expect("unconfirmed");

    let (b, _) = new_org(&f.app, "Other Tours", "admin@other.example");
    let bt = b.tenant_id;
    let before = counts(&f.app);
    assert_eq!(
        code(f.app.message_send(&b, &text_to(chat, "hijack"))).0,
        ErrorCode::NotFound
    );
    assert_eq!(
        code(f.app.message_retry(&b, failed.id)).0,
        ErrorCode::NotFound
    );
    assert_eq!(
        code(f.app.message_mark_sent(&b, unconfirmed.id)).0,
        ErrorCode::NotFound
    );
    assert_eq!(
        code(f.app.message_media(&b, with_file.id)).0,
        ErrorCode::NotFound
    );
    assert_eq!(
        code(f.app.chat_messages(&b, chat, None, 50)).0,
        ErrorCode::NotFound
    );
    assert!(chats(&f.app, &b, &ChatFilter::default()).is_empty());
    assert!(chats(
        &f.app,
        &b,
        &ChatFilter {
            search: "aigul".into(),
            ..ChatFilter::default()
        }
    )
    .is_empty());
    assert_eq!(
        f.app
            .outbox_next(bt, f.clock.now(), window())
            .expect("B next"),
        OutboxPlan::Idle
    );
    assert!(f.app.outbox_in_sending(bt).expect("B sending").is_empty());
    assert_eq!(f.app.outbox_counts(bt).expect("B counts"), outbox(0, 0, 0));
    assert_eq!(counts(&f.app), before);
    // A's rows are untouched and A's queue still hands out A's row.
    assert_eq!(
        message(&f, chat, failed.id).status,
        Some(SendStatus::Failed)
    );
    assert_eq!(
        message(&f, chat, unconfirmed.id).status,
        Some(SendStatus::Unconfirmed)
    );
    let row = claim(&f.app, a, f.clock.now());
    assert_eq!(row.message_id, with_file.id);
    let wa = wa_id(Direction::Out, "A-ONLY");
    f.app
        .outbox_sent(a, &row.id, &handed(&wa, f.clock.now()), f.clock.now())
        .expect("sent");
    // B's worker acking or reacting to A's message id touches nothing of A.
    assert!(!f.app.wa_ack(bt, &wa, 3).expect("B ack"));
    assert_eq!(
        message(&f, chat, with_file.id).status,
        Some(SendStatus::Sent)
    );
    f.app
        .wa_reaction(bt, &wa, "someone@c.us", "👍", at(1))
        .expect("B reaction");
    assert!(message(&f, chat, with_file.id).reactions.is_empty());
    // B's backfill never starts from A's chats.
    assert!(f.app.wa_backfill_marks(bt).expect("B marks").is_empty());
}

#[test]
fn each_organisations_send_rate_window_is_its_own() {
    let f = fixture();
    let a = f.admin.tenant_id;
    let (b, _) = new_org(&f.app, "Other Tours", "admin@other.example");
    let a_chat = aigul_chat(&f.app, a);
    let b_chat = aigul_chat(&f.app, b.tenant_id);
    assert_ne!(a_chat, b_chat);
    for i in 0..20 {
        send(&f, &text_to(a_chat, &format!("a{i}")));
    }
    f.app
        .message_send(&b, &text_to(b_chat, "b0"))
        .expect("B send");
    let now = f.clock.now();
    for _ in 0..20 {
        let row = claim(&f.app, a, now);
        assert!(row.body.starts_with('a'));
    }
    let row = claim(&f.app, b.tenant_id, now);
    assert_eq!(row.body, "b0");
    assert_eq!(row.chat_id, b_chat);
}

// ---- the chat list ----

#[test]
fn the_chat_list_filters_by_status_language_name_phone_and_unread() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let aigul = ingest(
        &f.app,
        t,
        &inbound(AIGUL_CHAT, "A1", Some(AIGUL_PHONE), Some("Айгуль"), "Салам"),
    );
    let aigul_client = aigul.new_client.expect("lead");
    let mut john_input = client("John Smith", Some("+44 7911 123456"));
    john_input.language = Language::En;
    let john_client = f.app.client_create(&f.admin, &john_input).expect("John");
    let john = ingest(
        &f.app,
        t,
        &inbound(
            "447911123456@c.us",
            "J1",
            Some("+447911123456"),
            Some("John"),
            "Hi there",
        ),
    );
    assert_eq!(john.new_client, None);
    f.app
        .client_change_status(
            &f.admin,
            &StatusChangeInput {
                client_id: john_client.id,
                to: FunnelStatus::Qualified,
                reason: "wants July".into(),
                evidence: None,
            },
        )
        .expect("status");
    let group = ingest(
        &f.app,
        t,
        &inbound("120363025246125486@g.us", "G1", None, None, "group"),
    );

    let ids = |filter: ChatFilter| -> Vec<ChatId> {
        let mut v: Vec<ChatId> = chats(&f.app, &f.admin, &filter)
            .into_iter()
            .map(|r| r.id)
            .collect();
        v.sort();
        v
    };
    let sorted = |mut v: Vec<ChatId>| {
        v.sort();
        v
    };
    let a = aigul.stored.chat_id;
    let j = john.stored.chat_id;
    let g = group.stored.chat_id;
    assert_eq!(ids(ChatFilter::default()), sorted(vec![a, j, g]));
    assert_eq!(
        ids(ChatFilter {
            status: Some(FunnelStatus::Qualified),
            ..ChatFilter::default()
        }),
        vec![j]
    );
    assert_eq!(
        ids(ChatFilter {
            status: Some(FunnelStatus::NewLead),
            ..ChatFilter::default()
        }),
        vec![a]
    );
    assert_eq!(
        ids(ChatFilter {
            language: Some(Language::En),
            ..ChatFilter::default()
        }),
        vec![j]
    );
    assert!(ids(ChatFilter {
        language: Some(Language::Ru),
        ..ChatFilter::default()
    })
    .is_empty());
    for search in [
        "айгуль",
        "АЙГУЛЬ",
        "Айгу",
        "916 123",
        "+7 916 123",
        "79161234567",
    ] {
        assert_eq!(
            ids(ChatFilter {
                search: search.into(),
                ..ChatFilter::default()
            }),
            vec![a],
            "{search}"
        );
    }
    for search in ["john", "SMITH", "7911 123", "447911"] {
        assert_eq!(
            ids(ChatFilter {
                search: search.into(),
                ..ChatFilter::default()
            }),
            vec![j],
            "{search}"
        );
    }
    assert!(ids(ChatFilter {
        search: "nobody".into(),
        ..ChatFilter::default()
    })
    .is_empty());
    // Filters combine.
    assert!(ids(ChatFilter {
        status: Some(FunnelStatus::Qualified),
        search: "айгуль".into(),
        ..ChatFilter::default()
    })
    .is_empty());

    f.app.chat_mark_read(&f.admin, j).expect("read");
    assert_eq!(
        ids(ChatFilter {
            unread_only: true,
            ..ChatFilter::default()
        }),
        sorted(vec![a, g])
    );

    // The row carries the client's status, language and phone, and our last message's status.
    send(&f, &text_to(a, "Здравствуйте!"));
    let row = chat_row(&f, a);
    assert_eq!(row.client_id, Some(aigul_client));
    assert_eq!(row.client_name.as_deref(), Some("Айгуль"));
    assert_eq!(row.client_status, Some(FunnelStatus::NewLead));
    assert_eq!(row.client_language, Some(Language::Unknown));
    assert_eq!(row.client_phone.as_deref(), Some(AIGUL_PHONE));
    assert_eq!(row.last_direction, Some(Direction::Out));
    assert_eq!(row.last_status, Some(SendStatus::Queued));
    assert_eq!(row.preview, "Здравствуйте!");
    let row = chat_row(&f, j);
    assert_eq!(row.client_status, Some(FunnelStatus::Qualified));
    assert_eq!(row.client_language, Some(Language::En));
    assert_eq!(row.client_phone.as_deref(), Some("+447911123456"));
    assert_eq!(row.last_direction, Some(Direction::In));
    assert_eq!(row.last_status, None);
    let row = chat_row(&f, g);
    assert_eq!(row.client_status, None);
    assert_eq!(row.client_phone, None);
    // The newest chat is listed first.
    assert_eq!(chats(&f.app, &f.admin, &ChatFilter::default())[0].id, a);
}

// ---- reactions and backfill ----

#[test]
fn a_reaction_is_one_emoji_per_sender_replaced_or_removed() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let got = ingest(
        &f.app,
        t,
        &inbound(AIGUL_CHAT, "R1", Some(AIGUL_PHONE), Some("Aigul"), "Photo"),
    );
    let chat = got.stored.chat_id;
    let wa = wa_id(Direction::In, "R1");
    let reactions = |f: &Fixture| {
        let mut r = message(f, chat, got.stored.id).reactions;
        r.sort();
        r
    };
    assert!(reactions(&f).is_empty());
    f.app
        .wa_reaction(t, &wa, AIGUL_CHAT, "👍", at(1))
        .expect("react");
    assert_eq!(reactions(&f), vec!["👍".to_string()]);
    f.app
        .wa_reaction(t, &wa, AIGUL_CHAT, "❤️", at(2))
        .expect("replace");
    assert_eq!(reactions(&f), vec!["❤️".to_string()]);
    f.app
        .wa_reaction(t, &wa, &format!("{ACCOUNT}@c.us"), "😂", at(3))
        .expect("our reaction");
    let mut both = vec!["❤️".to_string(), "😂".to_string()];
    both.sort();
    assert_eq!(reactions(&f), both);
    f.app
        .wa_reaction(t, &wa, AIGUL_CHAT, "", at(4))
        .expect("remove");
    assert_eq!(reactions(&f), vec!["😂".to_string()]);
    // Removing a reaction nobody made is harmless.
    f.app
        .wa_reaction(t, &wa, "nobody@c.us", "", at(5))
        .expect("remove nothing");
    assert_eq!(reactions(&f), vec!["😂".to_string()]);
}

#[test]
fn backfill_marks_give_each_chat_its_newest_message_with_a_wa_id() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let mut early = inbound(AIGUL_CHAT, "A1", Some(AIGUL_PHONE), Some("Aigul"), "one");
    early.message.sent_at = at(1);
    let mut late = inbound(AIGUL_CHAT, "A2", Some(AIGUL_PHONE), Some("Aigul"), "two");
    late.message.sent_at = at(5);
    // Stored out of order: the mark is the newest sent_at, not the latest arrival.
    let aigul = ingest(&f.app, t, &late).stored.chat_id;
    ingest(&f.app, t, &early);
    let mut other = inbound(
        "447911123456@c.us",
        "J1",
        Some("+447911123456"),
        Some("John"),
        "hi",
    );
    other.message.sent_at = at(3);
    ingest(&f.app, t, &other);
    // A queued message (no WhatsApp id yet) does not move Aigul's mark…
    send(&f, &text_to(aigul, "queued"));
    // …and a chat we started whose only message is still queued has no mark.
    send(&f, &text_to_phone("+996 555 123 456", "Hello"));

    let marks = |f: &Fixture| -> std::collections::HashMap<String, Option<DateTime<Utc>>> {
        f.app
            .wa_backfill_marks(t)
            .expect("marks")
            .into_iter()
            .collect()
    };
    let m = marks(&f);
    assert_eq!(m.len(), 3);
    assert_eq!(m[AIGUL_CHAT], Some(at(5)));
    assert_eq!(m["447911123456@c.us"], Some(at(3)));
    assert_eq!(m["996555123456@c.us"], None);

    // Aigul's queued message is handed over but not yet confirmed: still no mark from it.
    let aigul_row = claim(&f.app, t, f.clock.now());
    assert_eq!(aigul_row.chat_id, aigul);
    let row = claim(&f.app, t, f.clock.now());
    let handed_at = at(10);
    f.app
        .outbox_sent(
            t,
            &row.id,
            &handed(&wa_id(Direction::Out, "Q1"), handed_at),
            handed_at,
        )
        .expect("sent");
    let m = marks(&f);
    assert_eq!(m["996555123456@c.us"], Some(handed_at));
    assert_eq!(m[AIGUL_CHAT], Some(at(5)));
    // Newest chats first.
    let order: Vec<String> = f
        .app
        .wa_backfill_marks(t)
        .expect("marks")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(order[0], "996555123456@c.us");
}

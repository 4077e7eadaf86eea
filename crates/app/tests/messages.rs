//! The inbox store through the app on a real temp SQLite: upserts by the stable WhatsApp id,
//! edits and revokes, paging, the chat list, mark read, FTS in several scripts, tenant
//! isolation, and the clients list finding clients by their message text.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use tourdesk_app::core::client::ClientQuery;
use tourdesk_app::core::message::{
    ChatFilter, ChatKind, Direction, MessageKind, NewMessage, SNIPPET_END, SNIPPET_START,
};
use tourdesk_app::core::{ChatId, ClientId, ErrorCode, TenantId};
use tourdesk_app::App;

const ACCOUNT: &str = "447700900123";

fn at(minute: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 8, 0, 0)
        .single()
        .expect("valid date")
        + Duration::minutes(minute)
}

fn msg(wa_chat: &str, id: &str, dir: Direction, minute: i64, body: &str) -> NewMessage {
    NewMessage {
        wa_chat_id: wa_chat.into(),
        chat_kind: ChatKind::of_wa_chat_id(wa_chat),
        chat_title: format!("Chat {wa_chat}"),
        wa_message_id: Some(format!(
            "{ACCOUNT}:{}:{id}",
            u8::from(dir == Direction::Out)
        )),
        direction: dir,
        sent_at: at(minute),
        kind: MessageKind::Text,
        body: body.into(),
        ..NewMessage::default()
    }
}

fn store(app: &App, tenant: TenantId, m: &NewMessage) -> tourdesk_app::core::message::Stored {
    app.store_incoming(tenant, m).expect("store message")
}

fn count_messages(app: &App) -> i64 {
    app.store()
        .read(|c| {
            c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
                .map_err(|e| tourdesk_app::core::AppError::storage(e.to_string()))
        })
        .expect("count")
}

#[test]
fn the_same_message_delivered_twice_is_stored_once() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let m = msg(
        "79161234567@c.us",
        "3EB0A",
        Direction::In,
        0,
        "Hello, the lake tour?",
    );
    let first = store(&f.app, t, &m);
    let second = store(&f.app, t, &m);
    assert!(first.new);
    assert!(!second.new);
    assert_eq!(first.seq, second.seq);
    assert_eq!(first.id, second.id);
    assert_eq!(count_messages(&f.app), 1);
    let chats = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("list");
    assert_eq!(chats.len(), 1);
    assert_eq!(
        chats[0].unread, 1,
        "a repeated delivery is not a second unread"
    );
}

#[test]
fn a_message_reported_again_under_its_lid_chat_id_is_not_duplicated() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let live = msg("79161234567@c.us", "3EB0C767", Direction::In, 0, "Salam");
    let backfill = NewMessage {
        wa_chat_id: "123456789012345@lid".into(),
        ..live.clone()
    };
    let a = store(&f.app, t, &live);
    let b = store(&f.app, t, &backfill);
    assert!(!b.new);
    assert_eq!(a.chat_id, b.chat_id);
    assert_eq!(count_messages(&f.app), 1);
    assert_eq!(
        f.app
            .chat_list(&f.admin, &ChatFilter::default())
            .expect("list")
            .len(),
        1
    );
}

#[test]
fn a_repeated_delivery_fills_in_media_saved_later() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let mut m = msg("79161234567@c.us", "IMG1", Direction::In, 0, "photo");
    m.kind = MessageKind::Image;
    let s = store(&f.app, t, &m);
    m.media_path = Some("/data/media/IMG1.jpg".into());
    m.media_mime = Some("image/jpeg".into());
    store(&f.app, t, &m);
    let rows = f
        .app
        .chat_messages(&f.admin, s.chat_id, None, 10)
        .expect("messages");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].media_path.as_deref(), Some("/data/media/IMG1.jpg"));
    assert_eq!(rows[0].kind, MessageKind::Image);
}

#[test]
fn an_edit_replaces_the_text_and_a_revoke_keeps_the_row_but_hides_it_from_search() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let m = msg(
        "79161234567@c.us",
        "E1",
        Direction::In,
        0,
        "we arrive on monday",
    );
    let s = store(&f.app, t, &m);
    let wa = m.wa_message_id.clone().expect("id");
    assert!(f
        .app
        .store_edit(t, &wa, "we arrive on tuesday", at(5))
        .expect("edit"));
    assert!(!f
        .app
        .store_edit(t, "nope:0:X", "x", at(5))
        .expect("edit unknown"));
    let rows = f
        .app
        .chat_messages(&f.admin, s.chat_id, None, 10)
        .expect("messages");
    assert_eq!(rows[0].body, "we arrive on tuesday");
    assert_eq!(rows[0].edited_at, Some(at(5)));
    assert!(f
        .app
        .message_search(&f.admin, "monday")
        .expect("search")
        .is_empty());
    assert_eq!(
        f.app
            .message_search(&f.admin, "tuesday")
            .expect("search")
            .len(),
        1
    );

    assert!(f.app.store_revoke(t, &wa, at(6)).expect("revoke"));
    let rows = f
        .app
        .chat_messages(&f.admin, s.chat_id, None, 10)
        .expect("messages");
    assert_eq!(rows.len(), 1, "a deleted message keeps its row");
    assert_eq!(rows[0].deleted_at, Some(at(6)));
    assert!(f
        .app
        .message_search(&f.admin, "tuesday")
        .expect("search")
        .is_empty());
}

#[test]
fn a_chat_opens_on_its_last_fifty_messages_newest_first_and_pages_back() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let mut chat = None;
    for i in 0..120 {
        let dir = if i % 3 == 0 {
            Direction::Out
        } else {
            Direction::In
        };
        let s = store(
            &f.app,
            t,
            &msg(
                "79161234567@c.us",
                &format!("M{i}"),
                dir,
                i,
                &format!("message {i}"),
            ),
        );
        chat = Some(s.chat_id);
        // Another chat's traffic in between must not leak into this chat's pages.
        store(
            &f.app,
            t,
            &msg(
                "79990000000@c.us",
                &format!("O{i}"),
                Direction::In,
                i,
                "other",
            ),
        );
    }
    let chat = chat.expect("chat");
    let first = f
        .app
        .chat_messages(&f.admin, chat, None, 0)
        .expect("page 1");
    assert_eq!(first.len(), 50);
    assert_eq!(first[0].body, "message 119");
    assert_eq!(first[49].body, "message 70");
    assert!(first.windows(2).all(|w| w[0].seq > w[1].seq));
    let second = f
        .app
        .chat_messages(&f.admin, chat, Some(first[49].seq), 50)
        .expect("page 2");
    assert_eq!(second[0].body, "message 69");
    let third = f
        .app
        .chat_messages(&f.admin, chat, Some(second[49].seq), 50)
        .expect("page 3");
    assert_eq!(third.len(), 20);
    assert_eq!(third[19].body, "message 0");
    assert!(first
        .iter()
        .chain(&second)
        .chain(&third)
        .all(|m| m.chat_id == chat));
}

#[test]
fn the_chat_list_is_newest_first_with_unread_counts_and_a_preview() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let a = store(
        &f.app,
        t,
        &msg("111@c.us", "A1", Direction::In, 0, "first from A"),
    )
    .chat_id;
    let b = store(
        &f.app,
        t,
        &msg("222@c.us", "B1", Direction::In, 1, "from B"),
    )
    .chat_id;
    store(
        &f.app,
        t,
        &msg("111@c.us", "A2", Direction::In, 2, "second from A"),
    );
    let c = store(
        &f.app,
        t,
        &msg("333@c.us", "C1", Direction::Out, 3, "we wrote to C"),
    )
    .chat_id;
    let group = store(
        &f.app,
        t,
        &msg("120363@g.us", "G1", Direction::In, 4, "group hello"),
    );

    let list = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("list");
    let order: Vec<ChatId> = list.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![group.chat_id, c, a, b]);
    assert_eq!(list[0].kind, ChatKind::Group);
    assert_eq!(list[2].unread, 2);
    assert_eq!(list[2].preview, "second from A");
    assert_eq!(list[2].last_direction, Some(Direction::In));
    assert_eq!(list[1].unread, 0, "our own message is not unread");
    assert_eq!(list[1].last_direction, Some(Direction::Out));

    let unread = f
        .app
        .chat_list(
            &f.admin,
            &ChatFilter {
                unread_only: true,
                ..ChatFilter::default()
            },
        )
        .expect("unread");
    assert_eq!(
        unread.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![group.chat_id, a, b]
    );

    let page = f
        .app
        .chat_list(
            &f.admin,
            &ChatFilter {
                limit: 2,
                ..ChatFilter::default()
            },
        )
        .expect("page");
    assert_eq!(page.len(), 2);
    let next = f
        .app
        .chat_list(
            &f.admin,
            &ChatFilter {
                limit: 2,
                before_seq: page[1].last_message_seq,
                ..ChatFilter::default()
            },
        )
        .expect("next page");
    assert_eq!(next.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b]);
}

#[test]
fn marking_a_chat_read_clears_its_unread_count_only_in_that_chat() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let a = store(&f.app, t, &msg("111@c.us", "A1", Direction::In, 0, "one")).chat_id;
    store(&f.app, t, &msg("111@c.us", "A2", Direction::In, 1, "two"));
    store(&f.app, t, &msg("222@c.us", "B1", Direction::In, 2, "three"));
    f.app.chat_mark_read(&f.admin, a).expect("mark read");
    let list = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("list");
    let unread: Vec<(ChatId, u32)> = list.iter().map(|r| (r.id, r.unread)).collect();
    assert_eq!(unread[1], (a, 0));
    assert_eq!(unread[0].1, 1);
    store(&f.app, t, &msg("111@c.us", "A3", Direction::In, 3, "four"));
    let list = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("list");
    assert_eq!((list[0].id, list[0].unread), (a, 1));
    let missing = f.app.chat_mark_read(&f.admin, ChatId(uuid::Uuid::nil()));
    assert_eq!(missing.map_err(|e| e.code), Err(ErrorCode::NotFound));
}

#[test]
fn search_finds_russian_arabic_and_accented_french_text_newest_first() {
    let f = fixture();
    let t = f.admin.tenant_id;
    store(
        &f.app,
        t,
        &msg(
            "111@c.us",
            "R1",
            Direction::In,
            0,
            "Здравствуйте! Сколько стоит тур на Иссык-Куль?",
        ),
    );
    store(
        &f.app,
        t,
        &msg(
            "222@c.us",
            "A1",
            Direction::In,
            1,
            "مرحبا، كم سعر الرحلة إلى البحيرة؟",
        ),
    );
    store(
        &f.app,
        t,
        &msg(
            "333@c.us",
            "F1",
            Direction::In,
            2,
            "Bonjour, le séjour à l'hôtel est-il déjà réservé ?",
        ),
    );
    store(
        &f.app,
        t,
        &msg(
            "111@c.us",
            "R2",
            Direction::Out,
            3,
            "Тур стоит 540 долларов",
        ),
    );

    let ru = f.app.message_search(&f.admin, "тур").expect("ru");
    assert_eq!(ru.len(), 2);
    assert_eq!(ru[0].message.body, "Тур стоит 540 долларов", "newest first");
    assert!(ru[0]
        .snippet
        .contains(&format!("{SNIPPET_START}Тур{SNIPPET_END}")));
    assert_eq!(
        f.app.message_search(&f.admin, "ИССЫК").expect("case").len(),
        1
    );
    assert_eq!(
        f.app
            .message_search(&f.admin, "Здравств")
            .expect("prefix")
            .len(),
        1
    );

    let ar = f.app.message_search(&f.admin, "الرحلة").expect("ar");
    assert_eq!(ar.len(), 1);
    assert!(ar[0].chat_title.contains("222@c.us"));

    // Accents are ignored both ways.
    assert_eq!(
        f.app
            .message_search(&f.admin, "sejour hotel")
            .expect("fr")
            .len(),
        1
    );
    assert_eq!(f.app.message_search(&f.admin, "DÉJÀ").expect("fr").len(), 1);
    assert!(f
        .app
        .message_search(&f.admin, "séjour absent")
        .expect("and")
        .is_empty());
    assert!(f
        .app
        .message_search(&f.admin, "\"* OR ( -")
        .expect("syntax")
        .is_empty());
    let long = "x".repeat(201);
    assert_eq!(
        f.app
            .message_search(&f.admin, &long)
            .map_err(|e| e.code)
            .err(),
        Some(ErrorCode::TooLong)
    );
}

#[test]
fn another_organisation_never_sees_these_chats_or_messages() {
    let f = fixture();
    let (other, _) = new_org(&f.app, "Other Org", "admin@other.kg");
    let mine = store(
        &f.app,
        f.admin.tenant_id,
        &msg(
            "111@c.us",
            "S1",
            Direction::In,
            0,
            "secret itinerary Karakol",
        ),
    );
    // The same WhatsApp ids in the other organisation are separate rows.
    let theirs = store(
        &f.app,
        other.tenant_id,
        &msg("111@c.us", "S1", Direction::In, 1, "their Karakol trip"),
    );
    assert!(theirs.new);
    assert_ne!(mine.chat_id, theirs.chat_id);

    let hits = f.app.message_search(&other, "Karakol").expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].message.body, "their Karakol trip");
    assert!(f
        .app
        .message_search(&other, "secret")
        .expect("search")
        .is_empty());
    let list = f
        .app
        .chat_list(&other, &ChatFilter::default())
        .expect("list");
    assert_eq!(
        list.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![theirs.chat_id]
    );
    let read = f.app.chat_messages(&other, mine.chat_id, None, 50);
    assert_eq!(read.map_err(|e| e.code).err(), Some(ErrorCode::NotFound));
    let mark = f.app.chat_mark_read(&other, mine.chat_id);
    assert_eq!(mark.map_err(|e| e.code).err(), Some(ErrorCode::NotFound));
    let mine_list = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("list");
    assert_eq!(
        mine_list[0].unread, 1,
        "their mark-read attempt changed nothing here"
    );
}

#[test]
fn the_clients_list_search_also_matches_the_text_of_a_clients_messages() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let asel = f
        .app
        .client_create(&f.admin, &client("Asel Tokonova", Some("+996555111222")))
        .expect("client");
    let bob = f
        .app
        .client_create(&f.admin, &client("Bob Smith", Some("+996700333444")))
        .expect("client");
    let mut m = msg(
        "996555111222@c.us",
        "C1",
        Direction::In,
        0,
        "Can we ride horses near Song-Köl?",
    );
    m.client_id = Some(asel.id);
    store(&f.app, t, &m);
    // A chat without a client and a chat of another organisation match too, but add nobody.
    store(
        &f.app,
        t,
        &msg("100@c.us", "C2", Direction::In, 1, "horses please"),
    );
    let (other, _) = new_org(&f.app, "Other Org", "admin@other.kg");
    let theirs = f
        .app
        .client_create(&other, &client("Horse Lover", None))
        .expect("client");
    let mut m = msg("200@c.us", "C3", Direction::In, 2, "horses horses");
    m.client_id = Some(theirs.id);
    store(&f.app, other.tenant_id, &m);

    let search = |text: &str| -> Vec<ClientId> {
        let q = ClientQuery {
            search: Some(text.into()),
            ..ClientQuery::default()
        };
        let page = f.app.client_list(&f.admin, &q).expect("list");
        assert_eq!(page.total as usize, page.rows.len());
        page.rows.iter().map(|r| r.id).collect()
    };
    assert_eq!(search("horses"), vec![asel.id]);
    assert_eq!(search("song-kol"), vec![asel.id]);
    assert_eq!(search("smith"), vec![bob.id]);
    assert_eq!(search("555 111"), vec![asel.id]);
    assert!(search("itinerary").is_empty());
}

#[test]
fn merging_two_clients_moves_the_removed_clients_chats_to_the_kept_one() {
    let f = fixture();
    let t = f.admin.tenant_id;
    let keep = f
        .app
        .client_create(&f.admin, &client("Jonas Müller", None))
        .expect("keep");
    let gone = f
        .app
        .client_create(&f.admin, &client("Jonas M.", Some("+49 151 23456789")))
        .expect("remove");
    let mut m = msg(
        "4915123456789@c.us",
        "M1",
        Direction::In,
        0,
        "Lenin Peak in August?",
    );
    m.client_id = Some(gone.id);
    let stored = store(&f.app, t, &m);
    f.app
        .client_merge(&f.admin, keep.id, gone.id)
        .expect("merge");
    let chats = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("chats");
    let chat = chats
        .iter()
        .find(|c| c.id == stored.chat_id)
        .expect("the chat");
    assert_eq!(chat.client_id, Some(keep.id));
    let found = f
        .app
        .client_list(
            &f.admin,
            &ClientQuery {
                search: Some("lenin".into()),
                ..ClientQuery::default()
            },
        )
        .expect("search");
    assert_eq!(
        found.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![keep.id]
    );
}

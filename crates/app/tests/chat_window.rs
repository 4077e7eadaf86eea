//! Reading a long chat a window at a time (`App::chat_window`) on a real temp SQLite: a chat of
//! 20 000 messages beside another chat, read newest first, walked back and forth, opened far
//! back around a message, through the `(tenant_id, chat_id, seq)` index and fast wherever the
//! window is; a chat or message of another organisation is "not found".

mod common;

use std::time::{Duration, Instant};

use common::*;
use tourdesk_app::core::message::{
    ChatKind, Direction, Message, MessageKind, MessagePage, MessageWindow, NewMessage,
};
use tourdesk_app::core::{ChatId, ErrorCode, MessageId};
use tourdesk_app::{seed, Session};

const TOTAL: usize = 20_000;

struct Long {
    f: Fixture,
    chat: ChatId,
}

/// One chat of 20 000 messages (seeded in bulk), then a few messages of another chat.
fn long_chat() -> Long {
    let f = fixture();
    let chats = seed::seed_messages(&f.app, &f.admin, 1, TOTAL as u32, &[]).expect("seed");
    for i in 0..5 {
        let m = NewMessage {
            wa_chat_id: "79990000000@c.us".into(),
            chat_kind: ChatKind::OneToOne,
            wa_message_id: Some(format!("447700900123:0:OTHER{i}")),
            direction: Direction::In,
            sent_at: chrono::Utc::now(),
            kind: MessageKind::Text,
            body: format!("other chat {i}"),
            ..NewMessage::default()
        };
        f.app
            .store_incoming(f.admin.tenant_id, &m)
            .expect("other chat");
    }
    Long { chat: chats[0], f }
}

fn read(l: &Long, s: &Session, w: MessageWindow, limit: u32) -> MessagePage {
    l.f.app.chat_window(s, l.chat, w, limit).expect("window")
}

fn seqs(p: &MessagePage) -> Vec<i64> {
    p.messages.iter().map(|m| m.seq).collect()
}

/// Every message of the chat, oldest first, read with plain SQL (the reference).
fn all_seqs(l: &Long) -> Vec<i64> {
    l.f.app
        .store()
        .read(|c| {
            let mut st = c
                .prepare("SELECT seq FROM messages WHERE chat_id = ?1 ORDER BY seq")
                .map_err(|e| tourdesk_app::core::AppError::storage(e.to_string()))?;
            let rows = st
                .query_map([l.chat.to_string()], |r| r.get("seq"))
                .and_then(|r| r.collect::<Result<Vec<i64>, _>>())
                .map_err(|e| tourdesk_app::core::AppError::storage(e.to_string()));
            rows
        })
        .expect("all seqs")
}

fn newest_first(p: &MessagePage) -> bool {
    p.messages.windows(2).all(|w| w[0].seq > w[1].seq)
}

#[test]
fn a_long_chat_is_read_newest_first_and_walked_back_and_forth_without_gaps() {
    let l = long_chat();
    let s = &l.f.admin;
    let all = all_seqs(&l);
    assert_eq!(all.len(), TOTAL);

    let latest = read(&l, s, MessageWindow::Latest, 50);
    assert_eq!(latest.messages.len(), 50);
    assert!(newest_first(&latest));
    assert_eq!(latest.messages[0].seq, all[TOTAL - 1]);
    assert!(latest.older && !latest.newer);
    assert!(latest.messages.iter().all(|m| m.chat_id == l.chat));

    // Five pages back: each continues exactly where the one before ended.
    let mut oldest = latest.messages[49].seq;
    let mut walked: Vec<i64> = seqs(&latest);
    for _ in 0..5 {
        let p = read(&l, s, MessageWindow::Before { seq: oldest }, 50);
        assert!(newest_first(&p) && p.older && p.newer);
        walked.extend(seqs(&p));
        oldest = p.messages[p.messages.len() - 1].seq;
    }
    walked.reverse();
    assert_eq!(walked, all[TOTAL - 300..].to_vec());

    // And forward again from there, up to the newest.
    let mut newest = oldest;
    let mut forward = Vec::new();
    loop {
        let p = read(&l, s, MessageWindow::After { seq: newest }, 200);
        assert!(newest_first(&p) && p.older);
        let mut page = seqs(&p);
        page.reverse();
        forward.extend(page);
        newest = p.messages[0].seq;
        if !p.newer {
            break;
        }
    }
    assert_eq!(forward, all[TOTAL - 299..].to_vec());
}

#[test]
fn a_message_far_back_opens_in_the_middle_of_its_window() {
    let l = long_chat();
    let s = &l.f.admin;
    let all = all_seqs(&l);
    let target: Message =
        read(&l, s, MessageWindow::Before { seq: all[10] }, 1).messages[0].clone();
    assert_eq!(target.seq, all[9], "the 10th message");

    let p = read(&l, s, MessageWindow::Around { id: target.id }, 50);
    assert!(newest_first(&p));
    assert_eq!(p.messages.len(), 50);
    // Only 9 older exist, all in the window, so the rest of the page is newer.
    assert!(!p.older && p.newer);
    let at = p
        .messages
        .iter()
        .position(|m| m.id == target.id)
        .expect("target in its window");
    let mut expected: Vec<i64> = all[..50].to_vec();
    expected.reverse();
    assert_eq!(seqs(&p), expected);
    assert_eq!(at, 40);

    let middle = all[TOTAL / 2];
    let mid_id = read(&l, s, MessageWindow::Before { seq: middle + 1 }, 1).messages[0].id;
    let p = read(&l, s, MessageWindow::Around { id: mid_id }, 50);
    let pos = p
        .messages
        .iter()
        .position(|m| m.id == mid_id)
        .expect("in window");
    assert_eq!(pos, 25, "25 newer, the message, 24 older");

    // The very first message: nothing older.
    let first_id = read(&l, s, MessageWindow::Before { seq: all[1] }, 1).messages[0].id;
    let p = read(&l, s, MessageWindow::Around { id: first_id }, 50);
    assert!(!p.older && p.newer);
    assert_eq!(p.messages.last().map(|m| m.id), Some(first_id));

    // Past either end: an empty window that still says what lies beyond.
    let p = read(&l, s, MessageWindow::Before { seq: all[0] }, 50);
    assert!(p.messages.is_empty() && !p.older && p.newer);
    let p = read(
        &l,
        s,
        MessageWindow::After {
            seq: all[TOTAL - 1],
        },
        50,
    );
    assert!(p.messages.is_empty() && p.older && !p.newer);
}

#[test]
fn every_window_goes_through_the_chat_index_and_is_fast_wherever_it_is() {
    let l = long_chat();
    let s = &l.f.admin;
    let all = all_seqs(&l);
    let plan: Vec<String> =
        l.f.app
            .store()
            .read(|c| {
                let mut st = c
                    .prepare(
                        "EXPLAIN QUERY PLAN SELECT m.seq FROM messages m
                     WHERE m.tenant_id = ?1 AND m.chat_id = ?2 AND m.seq < ?3
                     ORDER BY m.seq DESC LIMIT 50",
                    )
                    .map_err(|e| tourdesk_app::core::AppError::storage(e.to_string()))?;
                let rows = st
                    .query_map(
                        [
                            s.tenant_id.to_string(),
                            l.chat.to_string(),
                            all[100].to_string(),
                        ],
                        |r| r.get::<_, String>("detail"),
                    )
                    .and_then(|r| r.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| tourdesk_app::core::AppError::storage(e.to_string()));
                rows
            })
            .expect("plan");
    assert!(
        plan.iter().any(|d| d.contains("messages_chat"))
            && !plan.iter().any(|d| d.contains("TEMP B-TREE")),
        "the window read does not use the chat index: {plan:?}"
    );

    let mut times: Vec<Duration> = Vec::new();
    for i in 0..40 {
        let seq = all[1 + (i * 499) % (TOTAL - 2)];
        let id: MessageId = read(&l, s, MessageWindow::Before { seq: seq + 1 }, 1).messages[0].id;
        for w in [
            MessageWindow::Around { id },
            MessageWindow::Before { seq },
            MessageWindow::After { seq },
        ] {
            let t = Instant::now();
            let p = read(&l, s, w, 50);
            times.push(t.elapsed());
            assert!(!p.messages.is_empty());
        }
    }
    times.sort();
    let p95 = times[times.len() * 95 / 100];
    // The UI's bar is 300 ms to open a chat; one window read stays far below it.
    assert!(
        p95 < Duration::from_millis(30),
        "p95 of a window read is {p95:?}"
    );
}

#[test]
fn a_chat_or_message_of_another_organisation_is_not_found() {
    let l = long_chat();
    let (other, _) = new_org(&l.f.app, "Other Org", "other@example.com");
    let err =
        l.f.app
            .chat_window(&other, l.chat, MessageWindow::Latest, 50)
            .expect_err("another organisation's chat");
    assert_eq!(err.code, ErrorCode::NotFound);
    // A message id of another chat does not open this one.
    let stranger =
        l.f.app
            .chat_list(&l.f.admin, &Default::default())
            .expect("chats")
            .into_iter()
            .find(|c| c.id != l.chat)
            .expect("the other chat");
    let foreign =
        l.f.app
            .chat_window(&l.f.admin, stranger.id, MessageWindow::Latest, 1)
            .expect("other chat")
            .messages[0]
            .id;
    let err =
        l.f.app
            .chat_window(
                &l.f.admin,
                l.chat,
                MessageWindow::Around { id: foreign },
                50,
            )
            .expect_err("a message of another chat");
    assert_eq!(err.code, ErrorCode::NotFound);
}

//! Inbox use cases on 1 000 000 messages across 20 000 chats: criterion timings plus the
//! p50/p95/p99 of every single call (the bars are p95: chat list 5 ms, open a chat
//! 2 ms, search 30 ms, store one inbound message 1 ms). Under `cargo test --all-targets` it runs
//! once on a small seed so it cannot rot.

mod common;

use std::time::Instant;

use common::{bench_app, benchmarking, record, timed};
use criterion::{criterion_group, Criterion};
use tourdesk_app::core::client::ClientQuery;
use tourdesk_app::core::message::{ChatFilter, ChatKind, Direction, MessageKind, NewMessage};
use tourdesk_app::core::ChatId;
use tourdesk_app::{seed, App, Session};

struct World {
    _dir: tempfile::TempDir,
    app: App,
    s: Session,
    chats: Vec<ChatId>,
}

fn world() -> World {
    let (chats, messages, clients) = if benchmarking() {
        (20_000, 1_000_000, 2_000)
    } else {
        (200, 5_000, 50)
    };
    let (dir, app, s) = bench_app();
    let t = Instant::now();
    let client_ids = seed::seed_bench(&app, &s, clients, 0).expect("seed clients");
    let chat_ids =
        seed::seed_messages(&app, &s, chats, messages, &client_ids).expect("seed messages");
    eprintln!(
        "seeded {clients} clients, {chats} chats and {messages} messages in {:?}",
        t.elapsed()
    );
    World {
        _dir: dir,
        app,
        s,
        chats: chat_ids,
    }
}

fn bench(c: &mut Criterion) {
    let w = world();
    let n = w.chats.len() as u64;
    let mut g = c.benchmark_group("messages");
    g.bench_function("chat_list_first_page", |b| {
        b.iter_custom(|iters| {
            timed("chat_list_first_page", iters, |_| {
                w.app
                    .chat_list(&w.s, &ChatFilter::default())
                    .expect("chat list")
            })
        })
    });
    g.bench_function("chat_list_unread_first_page", |b| {
        b.iter_custom(|iters| {
            timed("chat_list_unread_first_page", iters, |_| {
                let f = ChatFilter {
                    unread_only: true,
                    ..ChatFilter::default()
                };
                w.app.chat_list(&w.s, &f).expect("chat list")
            })
        })
    });
    g.bench_function("open_chat_last_50", |b| {
        b.iter_custom(|iters| {
            timed("open_chat_last_50", iters, |i| {
                let chat = w.chats[((i * 7919) % n) as usize];
                w.app
                    .chat_messages(&w.s, chat, None, 50)
                    .expect("chat messages")
            })
        })
    });
    // A very common word (as typed, so also a prefix, and as a finished word: the trailing space
    // turns the prefix off), a rarer one, an accented one, Cyrillic, Arabic, two words, a prefix.
    let terms = [
        "tour",
        "tour ",
        "Karakol",
        "sejour",
        "озеро",
        "رحلة",
        "hotel visa",
        "Übernacht",
    ];
    // Every search call goes into "search"; each term also gets its own line.
    for term in terms {
        let label = format!("search \"{term}\"");
        g.bench_function(label.as_str(), |b| {
            b.iter_custom(|iters| {
                timed(&label, iters, |_| {
                    let t = Instant::now();
                    let hits = w.app.message_search(&w.s, term).expect("search");
                    record("search (all terms)", t.elapsed());
                    hits
                })
            })
        });
    }
    // The clients table search now also looks in message text (FTS) besides name/phone/e-mail.
    g.bench_function("client_list_search_with_messages", |b| {
        b.iter_custom(|iters| {
            timed("client_list_search_with_messages", iters, |i| {
                let q = ClientQuery {
                    search: Some(["karakol", "smith", "озеро", "555"][(i % 4) as usize].into()),
                    ..ClientQuery::default()
                };
                w.app.client_list(&w.s, &q).expect("client list")
            })
        })
    });
    let mut stored = 0u64;
    g.bench_function("store_one_inbound", |b| {
        b.iter_custom(|iters| {
            timed("store_one_inbound", iters, |i| {
                stored += 1;
                let chat = (i * 104_729) % n;
                let m = NewMessage {
                    wa_chat_id: format!("99670{chat:07}@c.us"),
                    chat_kind: ChatKind::OneToOne,
                    wa_message_id: Some(format!("996700000000:0:LIVE{stored:09}")),
                    direction: Direction::In,
                    sent_at: chrono::Utc::now(),
                    kind: MessageKind::Text,
                    body: format!("Здравствуйте, есть места на тур {stored}?"),
                    ..NewMessage::default()
                };
                let s = w
                    .app
                    .store_incoming(w.s.tenant_id, &m)
                    .expect("store inbound");
                assert!(s.new);
                s
            })
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion_config();
    targets = bench
}

fn main() {
    benches();
    common::finish();
}

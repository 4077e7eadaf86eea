//! The translator's overhead without the model (issue 6: p99 ≤ 5 ms), on 100 000 messages with
//! a catalogue of 200 tours: a cached translation read through the use case, a chat page with its
//! translations attached, and the whole path of a cache miss minus the model call (cache lookup,
//! the organisation's tour-name protector, token protection, placeholder restore and fact
//! check, store write). Prints p50/p95/p99 per call; under `cargo test --all-targets` it runs
//! once on a small seed.

mod common;

use std::time::Instant;

use common::{bench_app, benchmarking, timed};
use criterion::{criterion_group, Criterion};
use tourdesk_ai::translate::finish_translation;
use tourdesk_app::core::tour::{Difficulty, TourInput};
use tourdesk_app::core::translation::{MessageTranslation, TranslationStatus};
use tourdesk_app::core::{ChatId, Language, MessageId};
use tourdesk_app::{seed, App, Session};
use tourdesk_store::translations;

/// What a model would answer for a seeded message (no placeholders, no facts).
const MODEL_OUTPUT: &str = "Здравствуйте! Есть ли места на этот тур в июле?";

struct World {
    _dir: tempfile::TempDir,
    app: App,
    s: Session,
    chats: Vec<ChatId>,
    /// Messages with a cached translation.
    cached: Vec<MessageId>,
    /// Messages without one, with their text.
    uncached: Vec<(MessageId, String)>,
}

fn world() -> World {
    let (chats, messages, clients) = if benchmarking() {
        (2_000, 100_000, 500)
    } else {
        (40, 2_000, 20)
    };
    let (dir, app, s) = bench_app();
    let t = Instant::now();
    for i in 0..200 {
        app.tour_create(
            &s,
            &TourInput {
                title: format!("Catalogue Tour {i}"),
                description: String::new(),
                price_minor: 54_000,
                currency: "USD".into(),
                duration_days: 3,
                season_months: vec![6, 7],
                departures: vec![],
                difficulty: Difficulty::Easy,
                group_min: 1,
                group_max: 10,
                tags: vec![],
                active: true,
            },
        )
        .expect("tour");
    }
    let client_ids = seed::seed_bench(&app, &s, clients, 0).expect("seed clients");
    let chat_ids =
        seed::seed_messages(&app, &s, chats, messages, &client_ids).expect("seed messages");
    // Half of each chat's latest messages are translated already.
    let mut cached = Vec::new();
    let mut uncached = Vec::new();
    let now = chrono::Utc::now();
    for chat in &chat_ids {
        let page = app.chat_messages(&s, *chat, None, 50).expect("page");
        app.store()
            .write(|tx| {
                for (i, m) in page.iter().enumerate() {
                    if i % 2 == 0 {
                        translations::put(tx, s.tenant_id, &translated(m.id), now)?;
                        cached.push(m.id);
                    } else {
                        uncached.push((m.id, m.body.clone()));
                    }
                }
                Ok(())
            })
            .expect("cache");
    }
    eprintln!(
        "seeded 200 tours, {chats} chats, {messages} messages and {} translations in {:?}",
        cached.len(),
        t.elapsed()
    );
    World {
        _dir: dir,
        app,
        s,
        chats: chat_ids,
        cached,
        uncached,
    }
}

fn translated(id: MessageId) -> MessageTranslation {
    MessageTranslation {
        message_id: id,
        language: Language::Ru,
        source_language: Some(Language::En),
        text: Some(MODEL_OUTPUT.into()),
        status: TranslationStatus::Ok,
        error: None,
        flags: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let w = world();
    let tenant = w.s.tenant_id;
    let mut g = c.benchmark_group("translate");
    g.bench_function("cache_hit", |b| {
        b.iter_custom(|iters| {
            timed("translation cache hit", iters, |i| {
                let id = w.cached[((i * 7919) % w.cached.len() as u64) as usize];
                let t = w
                    .app
                    .message_translation(&w.s, id, false)
                    .expect("translation");
                assert_eq!(t.status, TranslationStatus::Ok);
                t
            })
        })
    });
    g.bench_function("open_chat_last_50_with_translations", |b| {
        b.iter_custom(|iters| {
            timed("open chat (50) with translations", iters, |i| {
                let chat = w.chats[((i * 7919) % w.chats.len() as u64) as usize];
                w.app
                    .chat_messages(&w.s, chat, None, 50)
                    .expect("chat messages")
            })
        })
    });
    let mut next = 0usize;
    g.bench_function("miss_overhead_without_model", |b| {
        b.iter_custom(|iters| {
            timed("miss overhead (no model)", iters, |_| {
                let (id, body) = &w.uncached[next % w.uncached.len()];
                next += 1;
                // 1. The cache lookup.
                let hit = w
                    .app
                    .store()
                    .read(|c| translations::get(c, tenant, *id, Language::Ru))
                    .expect("lookup");
                // 2. The organisation's protector (tour names checked, pattern reused) and the
                //    token protection, 3. restore and the fact check.
                let protector = w.app.tour_protector(tenant).expect("protector");
                let protected = protector.protect(body);
                let (text, _flags) = finish_translation(&protected, MODEL_OUTPUT);
                // 4. The store write.
                let mut t = translated(*id);
                t.text = Some(text);
                w.app
                    .store()
                    .write(|tx| translations::put(tx, tenant, &t, chrono::Utc::now()))
                    .expect("store");
                hit
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

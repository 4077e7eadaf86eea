//! Storing a live inbound WhatsApp message while a backfill stores its pages (the bar:
//! p95 of the live store ≤ 5 ms), against the baseline of the same store with no backfill, on
//! the same database (2 000 chats, 200 000 messages). Both sides take the path the host takes:
//! the sidecar's wire message mapped by `tourdesk_wahost::inbound`, then `App::wa_ingest`, one
//! message per transaction; the backfill side stores 500 missed messages per chat in the
//! backfill's pages (newest 50, 200, then all, so the later pages repeat the earlier ones and
//! the upsert absorbs them) without pause, chat after chat, until told to stop (at most
//! `MAX_BACKFILL_CHATS`). Everything is local: a temp SQLite file, no network. Under
//! `cargo test --all-targets` it runs once on a small seed so it cannot rot.

#[path = "../../app/benches/common/mod.rs"]
mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use common::{bench_app, benchmarking, timed};
use criterion::{criterion_group, Criterion};
use tourdesk_app::core::TenantId;
use tourdesk_app::{seed, App};
use tourdesk_wahost::inbound;
use tourdesk_whatsapp::WireMessage;

/// The backfill side stops after this many chats even if never told to.
const MAX_BACKFILL_CHATS: u64 = 20_000;
/// Missed messages per chat, as in the test.
const MISSED: usize = 500;

struct World {
    _dir: tempfile::TempDir,
    app: Arc<App>,
    tenant: TenantId,
    chats: u32,
}

fn world() -> World {
    let (chats, messages) = if benchmarking() {
        (2_000, 200_000)
    } else {
        (50, 2_000)
    };
    let (dir, app, s) = bench_app();
    let t = Instant::now();
    seed::seed_messages(&app, &s, chats, messages, &[]).expect("seed messages");
    eprintln!(
        "seeded {chats} chats and {messages} messages in {:?}",
        t.elapsed()
    );
    World {
        _dir: dir,
        tenant: s.tenant_id,
        app: Arc::new(app),
        chats,
    }
}

/// A message from the contact of seeded chat `chat` (the seed's WhatsApp ids), as the sidecar
/// sends it.
fn wire(chat: u32, id: &str, body: &str) -> WireMessage {
    let digits = format!("99670{chat:07}");
    serde_json::from_value(serde_json::json!({
        "wa_id": {"stable": format!("996700000000:0:{id}"), "serialized": format!("false_{digits}@c.us_{id}"),
                  "account": "996700000000", "from_me": false, "id": id},
        "chat_id": format!("{digits}@c.us"),
        "from_me": false,
        "timestamp": chrono::Utc::now().timestamp(),
        "type": "chat",
        "body": body,
        "notify_name": "Client",
        "sender_phone": digits,
    }))
    .expect("wire message")
}

fn ingest(app: &App, tenant: TenantId, m: &WireMessage) -> bool {
    let item = inbound(m, chrono::Utc::now());
    app.wa_ingest(tenant, &item).expect("store").stored.new
}

/// Stores backfill pages chat after chat until `stop` (or `MAX_BACKFILL_CHATS`); returns how
/// many messages it handed to the store.
fn backfill(
    w: &World,
    stop: Arc<AtomicBool>,
    handed: Arc<AtomicU64>,
    round: u64,
) -> thread::JoinHandle<()> {
    let (app, tenant, chats) = (Arc::clone(&w.app), w.tenant, w.chats);
    thread::spawn(move || {
        for k in 0..MAX_BACKFILL_CHATS {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let chat = u32::try_from(k % u64::from(chats)).unwrap_or(0);
            // Oldest first, as `fetch_messages` answers.
            let missed: Vec<WireMessage> = (0..MISSED)
                .map(|i| {
                    wire(
                        chat,
                        &format!("BF{round}X{k}X{i}"),
                        &format!("пропущенное {i}"),
                    )
                })
                .collect();
            for page in [50, 200, MISSED] {
                for m in &missed[MISSED - page..] {
                    ingest(&app, tenant, m);
                    handed.fetch_add(1, Ordering::Relaxed);
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                }
            }
        }
    })
}

fn live(w: &World, name: &str, c: &mut Criterion, counter: &AtomicU64) {
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            timed(name, iters, |_| {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let chat = u32::try_from(n % u64::from(w.chats)).unwrap_or(0);
                let m = wire(
                    chat,
                    &format!("LIVE{n:09}"),
                    "Здравствуйте, есть места на завтра?",
                );
                assert!(ingest(&w.app, w.tenant, &m), "a live message was not new");
            })
        })
    });
}

fn bench(c: &mut Criterion) {
    let w = world();
    let counter = AtomicU64::new(0);
    live(&w, "live_inbound_no_backfill", c, &counter);

    let stop = Arc::new(AtomicBool::new(false));
    let handed = Arc::new(AtomicU64::new(0));
    let t = Instant::now();
    let worker = backfill(&w, Arc::clone(&stop), Arc::clone(&handed), 1);
    live(&w, "live_inbound_during_backfill", c, &counter);
    stop.store(true, Ordering::Relaxed);
    worker.join().expect("backfill thread");
    let n = handed.load(Ordering::Relaxed);
    eprintln!(
        "the backfill handed {n} messages to the store in {:?} ({:.0}/s) while the live side ran",
        t.elapsed(),
        n as f64 / t.elapsed().as_secs_f64()
    );
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

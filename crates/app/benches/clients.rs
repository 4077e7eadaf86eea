//! Client use cases on a database seeded with 20 000 clients and 200 000 status changes:
//! criterion timings plus the p50/p95/p99 of every single call (the bar is p95).
//! Under `cargo test --all-targets` it runs once on a small seed so it cannot rot.

mod common;

use std::time::{Duration, Instant};

use common::{bench_app, benchmarking, record, timed};
use criterion::{criterion_group, Criterion};
use tourdesk_app::core::client::{ClientInput, ClientQuery, StatusChangeInput};
use tourdesk_app::core::{ClientId, FunnelStatus, Language};
use tourdesk_app::{seed, App, Session};

struct World {
    _dir: tempfile::TempDir,
    app: App,
    s: Session,
    ids: Vec<ClientId>,
}

fn world() -> World {
    let (clients, changes) = if benchmarking() {
        (20_000, 200_000)
    } else {
        (300, 3_000)
    };
    let (dir, app, s) = bench_app();
    let t = Instant::now();
    let ids = seed::seed_bench(&app, &s, clients, changes).expect("seed");
    eprintln!(
        "seeded {clients} clients and {changes} status changes in {:?}",
        t.elapsed()
    );
    World {
        _dir: dir,
        app,
        s,
        ids,
    }
}

fn bench(c: &mut Criterion) {
    let w = world();
    let n = w.ids.len() as u64;
    let mut g = c.benchmark_group("clients");
    g.bench_function("list_search_filter_first_page", |b| {
        b.iter_custom(|iters| {
            timed("list_search_filter_first_page", iters, |i| {
                let q = ClientQuery {
                    search: Some(["smith", "анна", "555", "müller"][(i % 4) as usize].into()),
                    language: Some([Language::En, Language::Ru][(i % 2) as usize]),
                    ..ClientQuery::default()
                };
                w.app.client_list(&w.s, &q).expect("list")
            })
        })
    });
    g.bench_function("list_first_page_no_filter", |b| {
        b.iter_custom(|iters| {
            timed("list_first_page_no_filter", iters, |_| {
                w.app
                    .client_list(&w.s, &ClientQuery::default())
                    .expect("list")
            })
        })
    });
    g.bench_function("client_page", |b| {
        b.iter_custom(|iters| {
            timed("client_page", iters, |i| {
                w.app
                    .client_get(&w.s, w.ids[((i * 7919) % n) as usize])
                    .expect("get")
            })
        })
    });
    let mut created = 0u64;
    g.bench_function("create", |b| {
        b.iter_custom(|iters| {
            timed("create", iters, |_| {
                created += 1;
                let input = ClientInput {
                    name: format!("New lead {created}"),
                    phone: Some(format!("+99677{:07}", created)),
                    ..ClientInput::default()
                };
                w.app.client_create(&w.s, &input).expect("create")
            })
        })
    });
    g.bench_function("update", |b| {
        b.iter_custom(|iters| {
            timed("update", iters, |i| {
                let id = w.ids[((i * 104_729) % n) as usize];
                let input = ClientInput {
                    name: format!("Edited {i}"),
                    notes: "called back".into(),
                    ..ClientInput::default()
                };
                w.app.client_update(&w.s, id, &input).expect("update")
            })
        })
    });
    let mut known: std::collections::HashMap<ClientId, FunnelStatus> =
        std::collections::HashMap::new();
    g.bench_function("status_change", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let id = w.ids[((i * 15_485_863) % n) as usize];
                // The current status is read outside the timed part.
                let current = *known
                    .entry(id)
                    .or_insert_with(|| w.app.client_get(&w.s, id).expect("get").client.status);
                let to = FunnelStatus::ALL[(current.rank() + 1) % 7];
                let input = StatusChangeInput {
                    client_id: id,
                    to,
                    reason: "bench".into(),
                    evidence: None,
                };
                let t = Instant::now();
                w.app.client_change_status(&w.s, &input).expect("status");
                let d = t.elapsed();
                known.insert(id, to);
                record("status_change", d);
                total += d;
            }
            total
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

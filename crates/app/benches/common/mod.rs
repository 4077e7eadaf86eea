//! What the benches share: every single call is timed, and `report` prints p50/p95/p99 per
//! operation after criterion's own summary.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::Criterion;

static SAMPLES: Mutex<Vec<(String, Vec<Duration>)>> = Mutex::new(Vec::new());

/// True under `cargo bench` (full data); false when `cargo test --all-targets` runs it once.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Keeps one call's duration under `name`.
pub fn record(name: &str, d: Duration) {
    let mut s = SAMPLES.lock().unwrap_or_else(|p| p.into_inner());
    match s.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => v.push(d),
        None => s.push((name.to_string(), vec![d])),
    }
}

/// Runs `f` `iters` times, recording each call; returns the total for criterion's iter_custom.
pub fn timed<T>(name: &str, iters: u64, mut f: impl FnMut(u64) -> T) -> Duration {
    let mut total = Duration::ZERO;
    for i in 0..iters {
        let t = Instant::now();
        std::hint::black_box(f(i));
        let d = t.elapsed();
        record(name, d);
        total += d;
    }
    total
}

/// Prints calls and p50/p95/p99 in milliseconds for every operation recorded.
pub fn report() {
    let s = SAMPLES.lock().unwrap_or_else(|p| p.into_inner());
    println!(
        "\n{:<36} {:>8} {:>10} {:>10} {:>10}",
        "operation", "calls", "p50 ms", "p95 ms", "p99 ms"
    );
    for (name, v) in s.iter() {
        let mut v = v.clone();
        v.sort();
        let p = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
        println!(
            "{name:<36} {:>8} {:>10.3} {:>10.3} {:>10.3}",
            v.len(),
            p(0.5),
            p(0.95),
            p(0.99)
        );
    }
}

/// The criterion settings every bench uses: 30 samples, 3 s of measurement.
pub fn criterion_config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500))
}

/// Runs criterion's final summary, then prints the per-call percentiles.
pub fn finish() {
    Criterion::default().configure_from_args().final_summary();
    report();
}

/// A fresh data folder with the "Bench" organisation, and its admin's session.
pub fn bench_app() -> (tempfile::TempDir, tourdesk_app::App, tourdesk_app::Session) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app =
        tourdesk_app::App::open(dir.path(), Box::new(tourdesk_app::SystemClock)).expect("open");
    let s = app
        .org_create_unchecked(&tourdesk_app::core::org::NewOrg {
            org_name: "Bench".into(),
            admin_name: "Admin".into(),
            email: "bench@example.com".into(),
            password: "bench password 1".into(),
        })
        .expect("org")
        .session;
    (dir, app, s)
}

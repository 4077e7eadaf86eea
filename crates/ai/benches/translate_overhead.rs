//! Overhead of the translation path without the model: token protection, placeholder restore
//! and the number/date check on a typical chat message. Prints p50/p99/max per message from
//! per-iteration timings (the goal, with the app's cache lookup and store write, is p99 ≤ 5 ms).

use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use tourdesk_ai::translate::{finish_translation, Protector};

/// A manager's reply as it is typically written.
const MESSAGE: &str =
    "Здравствуйте, Анна! Предлагаю тур Dubai Marina Deluxe 🌴🏖️ с 15 по 22 мая 2025, \
    вылет 15.05 в 10:30, цена 1 200 $ на двоих (завтрак включён). Второй вариант — Золотое кольцо \
    за 95 000 ₽. Подробнее: https://tours.example/dubai?id=42 , вопросы на sales@tours.example \
    или +971 50 123 4567 👍";

/// What a model would answer, placeholders in place.
const MODEL_OUTPUT: &str =
    "Hello, Anna! I suggest the tour ⟦1⟧ ⟦2⟧ from May 15 to 22, 2025, departure \
    15.05 at 10:30 am, price $1,200 for two (breakfast included). A second option is ⟦3⟧ for \
    95,000 ₽. Details: ⟦4⟧ , questions to ⟦5⟧ or ⟦6⟧ ⟦7⟧";

/// A catalogue of 200 tour names, two of which occur in the message.
fn catalogue() -> Vec<String> {
    let mut names: Vec<String> = (1..=198).map(|i| format!("Catalogue Tour {i}")).collect();
    names.push("Dubai Marina Deluxe".to_owned());
    names.push("Золотое кольцо".to_owned());
    names
}

/// The value at quantile `q` of sorted durations.
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn translation_overhead(c: &mut Criterion) {
    let protector = Protector::new(&catalogue());
    let protected = protector.protect(MESSAGE);
    let (restored, flags) = finish_translation(&protected, MODEL_OUTPUT);
    assert_eq!(protected.tokens.len(), 7, "{:?}", protected.tokens);
    assert!(
        flags.is_empty(),
        "the sample translation must check clean: {flags:?}"
    );
    assert!(
        restored.contains("Dubai Marina Deluxe")
            && restored.contains("https://tours.example/dubai?id=42")
    );

    let samples: RefCell<Vec<Duration>> = RefCell::new(Vec::with_capacity(1 << 20));
    c.bench_function("translate_overhead/protect_restore_check", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            let mut samples = samples.borrow_mut();
            for _ in 0..iterations {
                let started = Instant::now();
                let protected = protector.protect(black_box(MESSAGE));
                let result = finish_translation(&protected, black_box(MODEL_OUTPUT));
                black_box(result);
                let elapsed = started.elapsed();
                total += elapsed;
                if samples.len() < samples.capacity() {
                    samples.push(elapsed);
                }
            }
            total
        })
    });
    let mut sorted = samples.into_inner();
    sorted.sort_unstable();
    println!(
        "translate_overhead per message over {} samples: p50 {:?}, p99 {:?}, max {:?} (goal: p99 <= 5 ms with cache lookup and store write)",
        sorted.len(),
        quantile(&sorted, 0.50),
        quantile(&sorted, 0.99),
        sorted.last().copied().unwrap_or_default()
    );

    c.bench_function("translate_overhead/build_protector_200_tours", |b| {
        let names = catalogue();
        b.iter(|| black_box(Protector::new(black_box(&names))))
    });
}

criterion_group!(benches, translation_overhead);
criterion_main!(benches);

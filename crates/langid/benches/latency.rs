//! Latency of single-message detection with the shared, already built detector.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tourdesk_langid::Detector;

const CASES: [(&str, &str); 10] = [
    ("en_1_word", "hello"),
    ("en_3_words", "how much is"),
    ("fr_3_words", "merci beaucoup madame"),
    ("ru_3_words", "сколько стоит тур"),
    ("ar_3_words", "كم سعر الرحلة"),
    ("en_sentence", "Hello, we would like to book a tour to Bali for two adults and a child in July, how much would it cost?"),
    ("de_sentence", "Guten Tag, wir möchten im Juli eine Reise nach Bali für zwei Erwachsene und ein Kind buchen."),
    ("fr_sentence_114_chars", "Bonjour, nous aimerions réserver un voyage à Bali pour deux adultes et un enfant en juillet, quel serait le prix ?"),
    ("es_sentence_112_chars", "Hola, nos gustaría reservar un viaje a Bali para dos adultos y un niño en julio, ¿cuánto costaría todo en total?"),
    ("pl_sentence", "Dzień dobry, chcielibyśmy zarezerwować wycieczkę na Bali dla dwóch dorosłych i dziecka w lipcu."),
];

fn bench(c: &mut Criterion) {
    let detector = Detector::shared();
    for (name, text) in CASES {
        c.bench_function(name, |b| b.iter(|| detector.detect(black_box(text))));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

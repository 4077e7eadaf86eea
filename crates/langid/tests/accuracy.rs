//! The accuracy bar of issue 5, measured on the lingua-rs test corpus copied into tests/corpora (its LICENSE and source commit kept).

use std::path::PathBuf;
use std::sync::OnceLock;

use tourdesk_langid::{ConversationDetector, Detection, Detector, Lang};

/// Baseline (single words, word pairs, sentences) in per mille, and the extra floor for pairs.
const BAR: [(Lang, [usize; 3]); 7] = [
    (Lang::En, [772, 951, 999]),
    (Lang::Ru, [1000, 1000, 1000]),
    (Lang::Ar, [1000, 1000, 1000]),
    (Lang::Fr, [874, 979, 994]),
    (Lang::De, [886, 977, 1000]),
    (Lang::Es, [839, 935, 997]),
    (Lang::Pl, [948, 996, 999]),
];

const FILES: [&str; 3] = ["single-words", "word-pairs", "sentences"];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpora/lingua-rs")
}

fn lines(lang: Lang, file: &str) -> Vec<String> {
    let path = corpus_dir().join(lang.code()).join(format!("{file}.txt"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("corpus file {} unreadable: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every corpus line's detection, per language and file, computed once for all tests (one
/// thread per language: lingua is slow unoptimised, and the tests run in debug by default).
struct Results {
    /// (language, file index, detections in file order).
    files: Vec<(Lang, usize, Vec<Detection>)>,
}

fn results() -> &'static Results {
    static RESULTS: OnceLock<Results> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let detector = Detector::shared();
        let files = std::thread::scope(|scope| {
            let handles: Vec<_> = Lang::ALL
                .into_iter()
                .map(|lang| {
                    scope.spawn(move || {
                        FILES
                            .iter()
                            .enumerate()
                            .map(|(fi, file)| {
                                let found: Vec<Detection> = lines(lang, file)
                                    .iter()
                                    .map(|l| detector.detect(l))
                                    .collect();
                                (lang, fi, found)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        Results { files }
    })
}

/// Correct detections per mille for one language and file.
fn per_mille(lang: Lang, file: usize) -> usize {
    results()
        .files
        .iter()
        .find(|(l, f, _)| *l == lang && *f == file)
        .map_or(0, |(_, _, found)| {
            found.iter().filter(|d| d.lang == lang).count() * 1000 / found.len().max(1)
        })
}

fn detections(lang: Lang, file: usize) -> &'static [Detection] {
    results()
        .files
        .iter()
        .find(|(l, f, _)| *l == lang && *f == file)
        .map_or(&[], |(_, _, found)| found.as_slice())
}

#[test]
fn every_language_meets_the_lingua_baseline_on_every_corpus_file() {
    let mut failures = Vec::new();
    for (lang, floor) in BAR {
        for (fi, (file, floor)) in FILES.iter().zip(floor).enumerate() {
            let got = per_mille(lang, fi);
            eprintln!(
                "{lang} {file}: {:.1} % (baseline {:.1} %)",
                got as f64 / 10.0,
                floor as f64 / 10.0
            );
            if got < floor {
                failures.push(format!("{lang} {file}: {got}‰ < {floor}‰"));
            }
        }
    }
    assert!(failures.is_empty(), "below baseline: {failures:#?}");
}

#[test]
fn word_pairs_reach_97_percent_for_every_language_but_spanish() {
    let mut failures = Vec::new();
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::Es) {
        let got = per_mille(lang, 1);
        if got < 970 {
            failures.push(format!("{lang}: {got}‰"));
        }
    }
    assert!(failures.is_empty(), "word pairs below 97 %: {failures:?}");
}

/// A tiny deterministic generator so the conversation sample is fixed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

#[test]
fn five_short_messages_give_the_right_language_in_99_percent_of_conversations() {
    let detector = Detector::shared();
    let mut rng = XorShift(0x5EED_2026);
    let mut failures = Vec::new();
    for lang in Lang::ALL {
        // Reuse the word-pair detections: feeding a cached detection is the same as feeding text.
        let pairs = detections(lang, 1);
        assert_eq!(pairs.len(), 1000, "{lang} word pairs");
        let total = 1000;
        let mut ok = 0;
        for _ in 0..total {
            let mut conv = ConversationDetector::with_detector(detector);
            for _ in 0..5 {
                conv.add_detection(&pairs[rng.next(pairs.len())]);
            }
            if conv.result().lang == lang {
                ok += 1;
            }
        }
        eprintln!("{lang}: {ok}/{total} five-message conversations right");
        if ok * 100 < total * 99 {
            failures.push(format!("{lang}: {ok}/{total}"));
        }
    }
    assert!(
        failures.is_empty(),
        "conversations below 99 %: {failures:?}"
    );
}

#[test]
fn feeding_a_cached_detection_equals_feeding_the_text() {
    let detector = Detector::shared();
    let lines = lines(Lang::Fr, "word-pairs");
    let mut by_text = ConversationDetector::with_detector(detector);
    let mut by_detection = ConversationDetector::with_detector(detector);
    for (line, d) in lines.iter().zip(detections(Lang::Fr, 1)).take(5) {
        by_text.add(line);
        by_detection.add_detection(d);
    }
    let (a, b) = (by_text.result(), by_detection.result());
    assert_eq!(a.lang, b.lang);
    assert!((a.confidence - b.confidence).abs() < 1e-9, "{a:?} vs {b:?}");
    assert_eq!(a.lang, Lang::Fr);
}

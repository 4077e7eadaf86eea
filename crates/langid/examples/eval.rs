//! Prints accuracy per language and corpus file, plus the most frequent confusions.
use std::collections::BTreeMap;
use tourdesk_langid::{Detector, Lang};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpora/lingua-rs").into());
    let d = Detector::new();
    let t = std::time::Instant::now();
    let mut n = 0usize;
    for lang in Lang::ALL {
        let mut row = String::new();
        let mut conf: BTreeMap<String, usize> = BTreeMap::new();
        for file in ["single-words", "word-pairs", "sentences"] {
            let text = std::fs::read_to_string(format!("{root}/{}/{file}.txt", lang.code()))?;
            let (mut ok, mut all, mut sure) = (0, 0, 0);
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let r = d.detect(line);
                n += 1;
                all += 1;
                if r.lang == lang {
                    ok += 1;
                    if r.is_confident() {
                        sure += 1;
                    }
                } else if file == "word-pairs" {
                    *conf.entry(r.lang.code().to_string()).or_default() += 1;
                }
            }
            row.push_str(&format!(
                " {:>5.1} ({:>5.1} confident)",
                ok as f64 * 100.0 / all as f64,
                sure as f64 * 100.0 / all as f64
            ));
        }
        println!("{}{row}   pairs wrong: {conf:?}", lang.code());
    }
    println!("{n} detections in {:?}", t.elapsed());
    Ok(())
}

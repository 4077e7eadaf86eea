//! A 100 MB export parses with peak memory well under twice its size (own test binary, so the
//! process's peak resident set belongs to this test alone).

use std::io::{BufReader, BufWriter, Write};

use tourdesk_importer::{parse_reader, ParseOptions};

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn a_100_mb_export_parses_with_peak_memory_under_1_5_times_its_size() {
    if status_kib("VmHWM:").is_none() {
        return; // not Linux: nothing to measure with
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.txt");
    let bodies = [
        "Здравствуйте! Сколько стоит тур в Турцию на двоих в июле?",
        "Hello, we are 2 adults and 1 child, is breakfast included?",
        "<Media omitted>",
        "مرحبا، كم سعر الرحلة إلى دبي؟",
        "Dzień dobry, poproszę ofertę\nna wrzesień",
        "OK",
    ];
    let target = 100u64 << 20;
    {
        let mut w = BufWriter::new(std::fs::File::create(&path).expect("create"));
        let (mut written, mut i) = (0u64, 0usize);
        while written < target {
            let line = format!(
                "{:02}/{:02}/2024, {:02}:{:02} - {}: {}\n",
                1 + i % 28,
                1 + (i / 28) % 12,
                i % 24,
                i % 60,
                if i % 3 == 0 {
                    "Tourdesk Sales"
                } else {
                    "Иван Петров"
                },
                bodies[i % bodies.len()]
            );
            w.write_all(line.as_bytes()).expect("write");
            written += line.len() as u64;
            i += 1;
        }
        w.flush().expect("flush");
    }
    let size_kib = std::fs::metadata(&path).expect("meta").len() / 1024;
    // Reset the peak to the current resident set, then parse.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let before = status_kib("VmRSS:").unwrap_or(0);
    let file = std::fs::File::open(&path).expect("open");
    let chat = parse_reader(BufReader::new(file), &ParseOptions::default()).expect("parse");
    let peak = status_kib("VmHWM:").unwrap_or(0);
    let added = peak.saturating_sub(before);
    eprintln!(
        "file {} MiB, {} messages, peak +{} MiB ({:.2}x file size)",
        size_kib / 1024,
        chat.len(),
        added / 1024,
        added as f64 / size_kib as f64
    );
    assert!(chat.len() > 1_000_000, "{} messages", chat.len());
    assert!(
        added > size_kib / 4,
        "peak +{added} KiB is implausibly small"
    );
    assert!(
        (added as f64) < 1.5 * size_kib as f64,
        "peak +{added} KiB for a {size_kib} KiB file"
    );
}

//! The detector must add at most 50 MB of resident memory (own test binary, own process).

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn building_the_detector_adds_at_most_50_mb_of_resident_memory() {
    if !std::path::Path::new("/proc/self/status").exists() {
        return; // not Linux: nothing to measure with
    }
    let before = rss_kib();
    let detector = tourdesk_langid::Detector::new();
    let d = detector.detect("bonjour tout le monde");
    let after = rss_kib();
    let added_mib = after.saturating_sub(before) as f64 / 1024.0;
    eprintln!("detector RSS: +{added_mib:.1} MiB ({before} KiB -> {after} KiB)");
    assert_eq!(d.lang, tourdesk_langid::Lang::Fr);
    assert!(added_mib > 1.0, "suspiciously small: {added_mib} MiB");
    assert!(added_mib <= 50.0, "detector added {added_mib:.1} MiB");
}

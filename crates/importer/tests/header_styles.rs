//! Real-looking exports (tests/fixtures, written for this project) in every header style,
//! calendar and encoding the importer reads: each gives its messages at the Gregorian
//! wall-clock time the phone showed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use tourdesk_importer::{
    dry_run, parse_path, Calendar, Chat, DateOrder, DateOrderBasis, ImportOptions, LocalDateTime,
    MessageKind, ParseOptions,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn options_with_reference(year: u16, month: u8, day: u8) -> ImportOptions {
    ImportOptions {
        parse: ParseOptions {
            reference_date: Some(LocalDateTime {
                year,
                month,
                day,
                hour: 0,
                minute: 0,
                second: 0,
            }),
            ..ParseOptions::default()
        },
        ..ImportOptions::default()
    }
}

fn parse(name: &str) -> Chat {
    parse_with(name, &options_with_reference(2026, 12, 1))
}

fn parse_with(name: &str, options: &ImportOptions) -> Chat {
    parse_path(&fixture(name), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn times(chat: &Chat) -> Vec<String> {
    chat.messages()
        .map(|m| m.at.map(|a| a.to_iso()).unwrap_or_else(|| "?".into()))
        .collect()
}

/// (file, messages, first time, last time as written in the file's order, calendar)
const STYLES: &[(&str, usize, &str, &str, Calendar)] = &[
    (
        "android-time-first-en.txt",
        5,
        "2013-08-28T19:23:00",
        "2013-08-29T08:05:00",
        Calendar::Gregorian,
    ),
    (
        "android-time-first-ru.txt",
        4,
        "2022-03-05T14:20:00",
        "2022-03-06T09:10:00",
        Calendar::Gregorian,
    ),
    (
        "android-month-name-de.txt",
        3,
        "2022-03-05T14:20:00",
        "2022-03-06T09:02:00",
        Calendar::Gregorian,
    ),
    (
        "ios-month-name-ru.txt",
        3,
        "2022-03-05T14:20:11",
        "2022-04-12T09:00:00",
        Calendar::Gregorian,
    ),
    (
        "ios-month-name-es.txt",
        3,
        "2022-03-05T14:20:11",
        "2022-03-13T09:00:00",
        Calendar::Gregorian,
    ),
    (
        "android-month-name-pl.txt",
        3,
        "2022-03-05T14:20:00",
        "2022-04-13T09:02:00",
        Calendar::Gregorian,
    ),
    (
        "android-month-name-fr.txt",
        3,
        "2022-03-05T14:20:00",
        "2022-04-13T09:02:00",
        Calendar::Gregorian,
    ),
    (
        "ios-buddhist-be.txt",
        3,
        "2022-03-05T14:20:11",
        "2022-03-13T09:05:00",
        Calendar::Buddhist,
    ),
    (
        "android-buddhist-th.txt",
        3,
        "2022-03-05T14:20:00",
        "2022-03-13T09:05:00",
        Calendar::Buddhist,
    ),
    (
        "ios-japanese-era.txt",
        3,
        "2022-03-05T14:20:11",
        "2022-03-13T09:00:00",
        Calendar::Japanese,
    ),
    (
        "android-japanese-kanji-era.txt",
        3,
        "2022-03-05T14:20:00",
        "2019-04-30T23:59:00",
        Calendar::Japanese,
    ),
    // 5 and 13 Sha'ban 1443 in the arithmetic Islamic calendar.
    (
        "ios-islamic-ar.txt",
        3,
        "2022-03-09T14:20:11",
        "2022-03-17T09:05:00",
        Calendar::Islamic,
    ),
    // 1 Muharram and 15 Safar 1444.
    (
        "ios-islamic-en.txt",
        3,
        "2022-07-30T10:00:00",
        "2022-09-12T18:30:00",
        Calendar::Islamic,
    ),
    // Nowruz and Sizdah Bedar 1401.
    (
        "android-persian-fa.txt",
        3,
        "2022-03-21T14:20:00",
        "2022-04-02T09:00:00",
        Calendar::Persian,
    ),
    (
        "ios-persian-en.txt",
        2,
        "2022-03-21T14:20:11",
        "2022-04-02T09:00:00",
        Calendar::Persian,
    ),
    (
        "android-turkish-oo-os.txt",
        4,
        "2022-03-05T09:05:00",
        "2022-03-06T00:10:00",
        Calendar::Gregorian,
    ),
    (
        "android-chinese.txt",
        3,
        "2022-03-05T09:05:00",
        "2022-03-13T12:10:00",
        Calendar::Gregorian,
    ),
    (
        "android-korean.txt",
        3,
        "2022-03-05T09:05:00",
        "2022-03-13T12:10:00",
        Calendar::Gregorian,
    ),
    (
        "android-greek.txt",
        3,
        "2022-03-05T09:05:00",
        "2022-03-13T12:10:00",
        Calendar::Gregorian,
    ),
    (
        "ios-utf16le-bom.txt",
        3,
        "2022-03-05T14:20:11",
        "2022-03-13T09:00:00",
        Calendar::Gregorian,
    ),
    (
        "ios-utf16be.txt",
        3,
        "2022-03-05T14:20:11",
        "2022-03-13T09:00:00",
        Calendar::Gregorian,
    ),
    (
        "android-utf8-bom.txt",
        2,
        "2018-06-13T21:25:00",
        "2018-06-13T21:26:00",
        Calendar::Gregorian,
    ),
];

#[test]
fn every_header_style_and_calendar_gives_its_gregorian_wall_clock_times() {
    for (name, count, first, last, calendar) in STYLES {
        let chat = parse(name);
        let t = times(&chat);
        assert_eq!(chat.len(), *count, "{name}: {t:?}");
        assert_eq!(t.first().map(String::as_str), Some(*first), "{name}");
        assert_eq!(t.last().map(String::as_str), Some(*last), "{name}");
        assert!(
            !t.contains(&"?".to_string()),
            "{name}: every date resolves: {t:?}"
        );
        assert_eq!(chat.calendar(), *calendar, "{name}");
        assert!(chat.warnings().is_empty(), "{name}: {:?}", chat.warnings());
        assert!(
            chat.messages()
                .all(|m| m.kind != MessageKind::System || m.author.is_none()),
            "{name}"
        );
        assert_eq!(
            chat.years_inferred(),
            0,
            "{name}: every header has its year"
        );
    }
}

#[test]
fn authors_and_bodies_survive_every_style() {
    let tr = parse("android-turkish-oo-os.txt");
    assert_eq!(tr.participants(), vec!["Ayşe Yılmaz", "Olga Tourdesk"]);
    let ar = parse("ios-islamic-ar.txt");
    assert_eq!(
        ar.message(2).map(|m| (m.author, m.text)),
        Some((Some("أحمد"), "تم الدفع"))
    );
    let en = parse("android-time-first-en.txt");
    assert_eq!(en.message(0).map(|m| m.kind), Some(MessageKind::System));
    assert_eq!(
        en.message(3).map(|m| m.text),
        Some("Great, 2 adults\nand maybe one child")
    );
    let utf16 = parse("ios-utf16le-bom.txt");
    assert_eq!(
        utf16.message(0).map(|m| m.text),
        Some("Bonjour, je voudrais réserver le circuit en Égypte 🇪🇬")
    );
    let bom = parse("android-utf8-bom.txt");
    assert_eq!(bom.message(0).and_then(|m| m.author), Some("Marie Dupont"));
}

#[test]
fn dates_without_a_year_count_back_from_the_files_date_and_are_flagged() {
    let chat = parse_with(
        "android-yearless-month-first.txt",
        &options_with_reference(2023, 3, 10),
    );
    assert_eq!(
        times(&chat),
        vec![
            "2022-12-30T20:11:00",
            "2022-12-30T20:15:00",
            "2023-01-02T09:02:00",
            "2023-03-05T20:11:00",
            "2023-03-05T20:40:00",
        ],
        "the new year between Dec 30 and Jan 2 is crossed going back"
    );
    assert_eq!(chat.years_inferred(), 5);
    assert_eq!(chat.date_order_basis(), DateOrderBasis::MonthNames);
    // A file written on 1 March cannot hold a 5 March message of the same year.
    let earlier = parse_with(
        "android-yearless-month-first.txt",
        &options_with_reference(2023, 3, 1),
    );
    assert_eq!(
        times(&earlier).last().map(String::as_str),
        Some("2022-03-05T20:40:00")
    );
    let gb = parse_with(
        "android-yearless-day-first.txt",
        &options_with_reference(2024, 4, 2),
    );
    assert_eq!(
        times(&gb).first().map(String::as_str),
        Some("2024-03-18T12:14:00")
    );
    assert_eq!(
        times(&gb).last().map(String::as_str),
        Some("2024-04-02T09:00:00")
    );
}

#[test]
fn without_a_reference_the_files_modification_date_dates_a_yearless_export() {
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("WhatsApp Chat with Emma Clarke.txt");
    std::fs::copy(fixture("android-yearless-day-first.txt"), &copy).expect("copy");
    // 2021-05-01T12:00:00Z
    let mtime = UNIX_EPOCH + Duration::from_secs(1_619_870_400);
    File::options()
        .write(true)
        .open(&copy)
        .and_then(|f| f.set_modified(mtime))
        .expect("set mtime");
    let report = dry_run(&copy, &ImportOptions::default());
    assert_eq!(report.first.as_deref(), Some("2021-03-18T12:14:00"));
    assert_eq!(report.last.as_deref(), Some("2021-04-02T09:00:00"));
    assert_eq!(
        report.years_inferred, 4,
        "the review is told to confirm the year"
    );
}

#[test]
fn a_short_us_export_is_flagged_ambiguous_and_can_be_read_the_other_way() {
    let path = fixture("android-us-ambiguous.txt");
    let mut chat = parse("android-us-ambiguous.txt");
    let evidence = chat.date_order_evidence();
    assert!(evidence.ambiguous, "every date is <= 12: {evidence:?}");
    assert_eq!(evidence.first_above_12 + evidence.second_above_12, 0);
    assert_eq!(evidence.numeric_dates, 3);
    assert_eq!(
        chat.date_order(),
        DateOrder::MonthFirst,
        "the day changes, the month does not"
    );
    assert_eq!(chat.date_order_basis(), DateOrderBasis::ChangeFrequency);
    assert_eq!(times(&chat)[2], "2022-03-05T21:01:00");
    chat.set_date_order(DateOrder::DayFirst);
    assert_eq!(times(&chat)[2], "2022-05-03T21:01:00");
    let forced = ImportOptions {
        parse: ParseOptions {
            date_order: Some(DateOrder::DayFirst),
            ..ParseOptions::default()
        },
        ..ImportOptions::default()
    };
    let report = dry_run(&path, &forced);
    assert_eq!(report.date_order.as_deref(), Some("day_first"));
    assert_eq!(report.date_order_basis, Some(DateOrderBasis::Caller));
    assert!(report.date_order_evidence.ambiguous);
    assert_eq!(report.first.as_deref(), Some("2022-04-03T10:15:00"));
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["date_order_evidence"]["ambiguous"], true);
    assert_eq!(json["date_order_basis"], "caller");
}

#[test]
fn a_file_with_a_day_above_12_is_not_ambiguous() {
    let chat = parse("android-greek.txt");
    let e = chat.date_order_evidence();
    assert!(!e.ambiguous);
    assert_eq!(e.first_above_12, 1);
    assert_eq!(chat.date_order_basis(), DateOrderBasis::ComponentAbove12);
}

#[test]
fn the_dry_run_reports_calendar_and_keeps_local_wall_clock_times() {
    let report = dry_run(&fixture("ios-buddhist-be.txt"), &ImportOptions::default());
    assert_eq!(report.calendar, Calendar::Buddhist);
    assert_eq!(report.first.as_deref(), Some("2022-03-05T14:20:11"));
    assert_eq!(report.last.as_deref(), Some("2022-03-13T09:05:00"));
    assert!(report.failure.is_none());
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(json["calendar"], "buddhist");
}

#[test]
fn a_forced_calendar_reads_unmarked_years_in_it() {
    let text = "1/1/1739, 10:00 - Mina: hello\n1/13/1739, 11:00 - Mina: again\n";
    let dir = tempfile::tempdir().expect("dir");
    let path: &Path = &dir.path().join("coptic.txt");
    std::fs::write(path, text).expect("write");
    let options = ImportOptions {
        parse: ParseOptions {
            calendar: Some(Calendar::Coptic),
            date_order: Some(DateOrder::DayFirst),
            ..ParseOptions::default()
        },
        ..ImportOptions::default()
    };
    let chat = parse_path(path, &options).expect("parse");
    assert_eq!(chat.calendar(), Calendar::Coptic);
    // 1 Thout 1739 = 11 September 2022; 1 Pi Kogi Enavot (13th month) 1739 = 6 September 2023.
    assert_eq!(
        times(&chat),
        vec!["2022-09-11T10:00:00", "2023-09-06T11:00:00"]
    );
    let unforced = parse_path(path, &ImportOptions::default()).expect_err("1739 is no year here");
    assert_eq!(unforced.code(), "not_a_whatsapp_export");
    assert_eq!(unforced.line(), Some((1, "1/1/1739, 10:00 - Mina: hello")));
}

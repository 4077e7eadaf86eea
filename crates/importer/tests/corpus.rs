//! Every file of the shared WhatsApp corpus gives the expected messages.

use std::path::{Path, PathBuf};

use tourdesk_importer::{
    dry_run, parse_path, parse_str, Chat, ImportError, ImportOptions, MessageKind, ParseOptions,
};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpora/wa-exports")
}

fn parse(path: &Path) -> Chat {
    parse_path(path, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{} failed: {e}", path.display()))
}

/// (timestamp, author, text) of user messages; multi-line bodies joined with a space as the
/// corpus targets do.
fn user_rows(chat: &Chat) -> Vec<(String, String, String)> {
    chat.messages()
        .filter(|m| m.kind != MessageKind::System)
        .map(|m| {
            (
                m.at.map(|a| a.to_iso()).unwrap_or_default(),
                m.author.unwrap_or("").to_string(),
                m.text.replace('\n', " "),
            )
        })
        .collect()
}

#[test]
fn the_five_header_styles_of_chat_miner_give_the_six_target_messages() {
    let dir = corpus().join("joweich-chat-miner/test/whatsapp");
    let target: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("target.json")).expect("target.json"),
    )
    .expect("target json");
    let mut expected: Vec<(String, String, String)> = target
        .as_array()
        .expect("array")
        .iter()
        .map(|v| {
            (
                v["timestamp"].as_str().unwrap_or("").to_string(),
                v["author"].as_str().unwrap_or("").to_string(),
                v["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    expected.reverse(); // target is newest first
    assert_eq!(expected.len(), 6);
    let files = [
        "test_[mmddyy]_24hrs.txt",
        "test_ddmmyy_24hrs.txt",
        "test_mmddyy_24hrs.txt",
        "test_mmddyyyy_12hrs.txt",
        "test_yyyymmdd_24hrs.txt",
    ];
    for f in files {
        let chat = parse(&dir.join(f));
        assert_eq!(user_rows(&chat), expected, "{f}");
        // The two system lines and the "John Doe:." line are events, not user messages.
        assert_eq!(chat.system_message_count(), 3, "{f}");
        assert_eq!(chat.len(), 9, "{f}");
    }
}

/// Minimal CSV reader for the targets (quoted fields, doubled quotes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn the_older_chat_miner_files_match_their_expected_csvs() {
    let dir = corpus().join("joweich-chat-miner/history/test/whatsapp");
    let files = [
        "test_dateformat1",
        "test_dateformat2",
        "test_dateformat3",
        "test_dateformat4",
        "test_dateformat5",
        "test_dateformat6",
        "test_unicode",
    ];
    for f in files {
        let chat = parse(&dir.join(format!("{f}.txt")));
        let csv = std::fs::read_to_string(dir.join(format!("{f}_target.csv"))).expect("csv");
        let mut expected_user = Vec::new();
        let mut expected_system = Vec::new();
        for row in csv_rows(&csv).into_iter().skip(1) {
            let at = row[0].replace(' ', "T");
            let (author, text) = (row[1].clone(), row[2].clone());
            if author == "System" {
                expected_system.push((at, text));
            } else if text == "<Disappearing Message>" {
                // chat-miner's own rendering of a "John Doe:." line; we keep it as an event.
                expected_system.push((at, format!("{author}:.")));
            } else {
                expected_user.push((at, author, text));
            }
        }
        expected_user.reverse();
        expected_system.reverse();
        assert_eq!(user_rows(&chat), expected_user, "{f} user messages");
        let system: Vec<(String, String)> = chat
            .messages()
            .filter(|m| m.kind == MessageKind::System)
            .map(|m| {
                (
                    m.at.map(|a| a.to_iso()).unwrap_or_default(),
                    m.text.to_string(),
                )
            })
            .collect();
        assert_eq!(system, expected_system, "{f} system events");
    }
}

#[test]
fn the_mixed_testlog_gives_23_messages_of_which_20_from_users() {
    let chat = parse(&corpus().join("joweich-chat-miner/history/test/whatsapp/testlog.txt"));
    assert_eq!(chat.len(), 23);
    assert_eq!(chat.user_message_count(), 20);
    let m = chat.message(17).expect("message 17");
    assert_eq!(m.author, Some("John Doe"));
    assert_eq!(m.text, "Testing abnormal unicode");
    assert_eq!(
        m.at.map(|a| a.to_iso()).as_deref(),
        Some("2022-09-10T22:37:00")
    );
    assert_eq!(
        chat.participants(),
        vec![
            "John Doe",
            "Jahn Doe",
            "+12 345 578",
            "John-John Doe",
            "John Doe 🤓",
            "🤓"
        ]
    );
}

#[test]
fn every_derived_inline_case_parses_to_its_date_author_text_or_attachment() {
    let path = corpus().join("Pustur-whatsapp-chat-parser/DERIVED-inline-cases.jsonl");
    let text = std::fs::read_to_string(path).expect("jsonl");
    let mut cases = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("case json");
        let name = case["case"].as_str().unwrap_or("?");
        let input = case["line"].as_str().expect("line");
        let chat =
            parse_str(input, &ParseOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(chat.len(), 1, "{name}: {input:?}");
        let m = chat.message(0).expect("one message");
        if let Some(at) = case["expected_local_datetime"].as_str() {
            assert_eq!(m.at.map(|a| a.to_iso()).as_deref(), Some(at), "{name}");
            assert_eq!(m.author, case["author"].as_str(), "{name}");
            assert_eq!(Some(m.text), case["message"].as_str(), "{name}");
            assert_eq!(m.kind, MessageKind::Text, "{name}");
        }
        if let Some(file) = case["expected_attachment_filename"].as_str() {
            assert_eq!(m.kind, MessageKind::Attachment, "{name}");
            assert_eq!(
                m.attachment.map(|a| a.file_name.as_str()),
                Some(file),
                "{name}"
            );
            assert_eq!(m.author, Some("a"), "{name}");
        }
        cases += 1;
    }
    assert_eq!(cases, 16);
}

#[test]
fn the_short_sample_chat_has_five_messages_two_of_them_system() {
    let chat = parse(&corpus().join("Pustur-whatsapp-chat-parser/history/samples/short-chat.txt"));
    assert_eq!(chat.len(), 5);
    assert_eq!(chat.system_message_count(), 2);
    let last = chat.message(4).expect("last");
    assert_eq!(last.author, Some("+410123456789"));
    assert_eq!(last.text, "How are you?\n\nIs everything alright?");
    assert_eq!(
        last.at.map(|a| a.to_iso()).as_deref(),
        Some("2017-04-09T01:50:00")
    );
    assert!(chat.is_group());
}

#[test]
fn a_file_that_is_not_a_chat_gives_zero_messages_and_one_clear_error() {
    let path = corpus().join("Pustur-whatsapp-chat-parser/history/samples/not-a-whatsapp-chat.txt");
    let err = parse_path(&path, &ImportOptions::default()).expect_err("must fail");
    assert!(
        matches!(err, ImportError::NotAWhatsAppExport { .. }),
        "{err}"
    );
    assert_eq!(err.code(), "not_a_whatsapp_export");
    let first = std::fs::read_to_string(&path).expect("read");
    let (n, text) = first
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
        .expect("a non-empty line");
    assert_eq!(
        err.line(),
        Some((n + 1, text)),
        "names the first line it could not read"
    );
    let report = dry_run(&path, &ImportOptions::default());
    assert_eq!(report.messages, 0);
    let failure = report.failure.expect("a failure code");
    assert_eq!(failure.code, "not_a_whatsapp_export");
    assert_eq!(failure.line, Some(n + 1));
    assert_eq!(failure.text.as_deref(), Some(text));
    assert_eq!(report.errors.len(), 1);
    assert!(
        report.errors[0].starts_with("not a WhatsApp export"),
        "{:?}",
        report.errors
    );
}

#[test]
fn an_empty_file_gives_zero_messages_without_errors() {
    let path = corpus().join("Pustur-whatsapp-chat-parser/history/samples/empty.txt");
    let report = dry_run(&path, &ImportOptions::default());
    assert_eq!(report.messages, 0);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.first, None);
}

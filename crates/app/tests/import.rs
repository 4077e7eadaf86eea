//! The history import on a real temp data folder: staging export files (project-written
//! one-to-one chats and third-party corpus files in `tests/fixtures/wa-exports`, with their
//! licence), review edits, merge proposals, commit (clients, chats, UTC times, history by
//! actor `import`), no duplicates on repeat or against WhatsApp Web history, undo, `.zip`
//! exports with media, and tenant isolation.

mod common;

use std::io::Write as _;

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use common::*;
use tourdesk_app::core::client::{ClientQuery, StatusChangeInput};
use tourdesk_app::core::import::{
    ImportAction, ImportBatch, ImportBatchStatus, ImportFile, ImportItem, ImportItemUpdate,
    ImportNote, ImportSettings, ImportSource, KeptReason,
};
use tourdesk_app::core::message::{
    ChatFilter, ChatKind, Direction, Message, MessageKind, NewMessage,
};
use tourdesk_app::core::org::Session;
use tourdesk_app::core::{Actor, AppError, ChatId, ErrorCode, FunnelStatus, Language};
use tourdesk_app::{App, Inbound, WaHistoryChat};

const OLGA: &str = "Olga Tourdesk";
const ANNA_FILE: &str = "WhatsApp Chat with +49 151 23456789.txt";
const ANNA_PHONE: &str = "+4915123456789";
const ANNA_CHAT: &str = "4915123456789@c.us";
/// A German lead, one-to-one, exported on an Android phone in Berlin (this project's own text).
const ANNA: &str = "12/03/2026, 09:15 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.
12/03/2026, 09:15 - +49 151 23456789: Guten Tag, ich interessiere mich für die Tour zum Issyk-Kul im Juli.
12/03/2026, 09:20 - Olga Tourdesk: Guten Tag! Für wie viele Personen?
12/03/2026, 09:22 - +49 151 23456789: Wir sind 2 Erwachsene und ein Kind.
12/03/2026, 09:40 - Olga Tourdesk: Der Preis beträgt 540 EUR pro Person.
Das Programm schicke ich gleich.
12/03/2026, 09:41 - +49 151 23456789: Wie kann ich bezahlen?
12/03/2026, 09:41 - +49 151 23456789: Wie kann ich bezahlen?
12/03/2026, 09:45 - Olga Tourdesk: <Media omitted>
";
const ANNA_MESSAGES: u32 = 7;
const IVAN_FILE: &str = "WhatsApp Chat with Ivan.txt";
/// A saved contact's export (no phone), in Russian.
const IVAN: &str = "05/04/2026, 18:02 - Ivan: Здравствуйте! Сколько стоит тур на Сон-Куль?
05/04/2026, 18:10 - Olga Tourdesk: Добрый вечер! Тур стоит 450 USD с человека.
05/04/2026, 18:12 - Ivan: Спасибо, я подумаю и напишу завтра
";
const IVAN_MESSAGES: u32 = 3;
const GROUP_FILE: &str = "short-chat.txt";
const GROUP_MESSAGES: u32 = 3;

fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wa-exports/Pustur-whatsapp-chat-parser")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn file(name: &str, bytes: &[u8]) -> ImportFile {
    ImportFile {
        file_name: name.into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

fn anna() -> ImportFile {
    file(ANNA_FILE, ANNA.as_bytes())
}
fn ivan() -> ImportFile {
    file(IVAN_FILE, IVAN.as_bytes())
}
fn group() -> ImportFile {
    file(GROUP_FILE, &fixture_bytes("short-chat.txt"))
}
fn not_a_chat() -> ImportFile {
    file(
        "not-a-whatsapp-chat.txt",
        &fixture_bytes("not-a-whatsapp-chat.txt"),
    )
}

fn berlin(app: &App, s: &Session) {
    app.import_settings_update(
        s,
        &ImportSettings {
            own_names: vec![],
            time_zone: Some("Europe/Berlin".into()),
        },
    )
    .expect("settings");
}

fn stage(app: &App, s: &Session, files: &[ImportFile]) -> ImportBatch {
    app.import_stage_files(s, files, &[OLGA.to_string()])
        .expect("stage")
}

fn item<'a>(b: &'a ImportBatch, file_name: &str) -> &'a ImportItem {
    b.items
        .iter()
        .find(|i| i.file_name == file_name)
        .unwrap_or_else(|| panic!("no item for {file_name}"))
}

fn update_of(i: &ImportItem) -> ImportItemUpdate {
    ImportItemUpdate {
        name: i.name.clone(),
        phone: i.phone.clone(),
        language: i.language,
        suggested_status: i.suggested_status,
        action: i.action,
        merge_into: i.merge_into,
        time_zone: i.time_zone.clone(),
    }
}

fn set_action(app: &App, s: &Session, i: &ImportItem, action: ImportAction) -> ImportItem {
    let mut u = update_of(i);
    u.action = action;
    app.import_item_update(s, i.id, &u).expect("update item")
}

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> ErrorCode {
    r.expect_err("must fail").code
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, sec: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, sec)
        .single()
        .expect("valid time")
}

fn chat_by_wa(app: &App, s: &Session, wa: &str) -> Option<ChatId> {
    app.chat_list(
        s,
        &ChatFilter {
            limit: 200,
            ..ChatFilter::default()
        },
    )
    .expect("chats")
    .into_iter()
    .find(|c| c.wa_chat_id == wa)
    .map(|c| c.id)
}

/// Oldest first.
fn messages_of(app: &App, s: &Session, chat: ChatId) -> Vec<Message> {
    let mut m = app.chat_messages(s, chat, None, 200).expect("messages");
    m.sort_by_key(|m| (m.sent_at, m.seq));
    m
}

fn client_count(app: &App, s: &Session) -> u32 {
    app.client_list(s, &ClientQuery::default())
        .expect("clients")
        .total
}

#[test]
fn staging_finds_the_client_phone_language_and_status_and_stores_nothing_yet() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let b = stage(&f.app, &f.admin, &[anna(), ivan(), group(), not_a_chat()]);
    assert_eq!(b.status, ImportBatchStatus::Staged);
    assert_eq!(b.source, ImportSource::Files);
    assert_eq!(b.item_count, 3);
    assert_eq!(b.errors.len(), 1, "{:?}", b.errors);
    assert_eq!(b.errors[0].file_name, "not-a-whatsapp-chat.txt");
    assert_eq!(b.errors[0].code, ErrorCode::NotAWhatsappExport);

    let a = item(&b, ANNA_FILE);
    assert_eq!(a.name, "+49 151 23456789");
    assert_eq!(a.phone.as_deref(), Some(ANNA_PHONE));
    assert_eq!(a.language, Language::De);
    assert!(a.language_confidence > 0.5, "{}", a.language_confidence);
    assert_eq!(a.suggested_status, FunnelStatus::Negotiation);
    assert_eq!(a.status_evidence.as_deref(), Some("Wie kann ich bezahlen?"));
    assert!(!a.status_reason.is_empty());
    assert_eq!(a.status_signal, "negotiation", "{}", a.status_reason);
    assert!(!a.status_signal_value.is_empty());
    assert_eq!(a.messages, ANNA_MESSAGES, "system events are not counted");
    assert_eq!(a.first.as_deref(), Some("2026-03-12T09:15:00"));
    assert_eq!(a.last.as_deref(), Some("2026-03-12T09:45:00"));
    assert!(!a.is_group && !a.needs_client_choice);
    assert_eq!(a.action, ImportAction::Import);
    assert_eq!(a.proposed_merge, None);
    assert_eq!(a.time_zone, "Europe/Berlin");

    let i = item(&b, IVAN_FILE);
    assert_eq!(i.name, "Ivan");
    assert_eq!(i.phone, None, "a saved contact's export has no number");
    assert_eq!(i.language, Language::Ru);
    assert_eq!(i.suggested_status, FunnelStatus::ProposalSent);
    assert_eq!(i.messages, IVAN_MESSAGES);
    assert_eq!(i.action, ImportAction::Import);

    let g = item(&b, GROUP_FILE);
    assert!(g.is_group);
    assert_eq!(g.participants.len(), 3);
    assert_eq!(g.messages, GROUP_MESSAGES);
    assert_eq!(g.action, ImportAction::Skip, "a group is never one client");

    // Nothing reached the CRM; the manager's name is remembered.
    assert_eq!(client_count(&f.app, &f.admin), 0);
    assert!(chat_by_wa(&f.app, &f.admin, ANNA_CHAT).is_none());
    let settings = f.app.import_settings_get(&f.admin).expect("settings");
    assert_eq!(settings.own_names, vec![OLGA.to_string()]);
    // The batch reads back the same and is listed.
    assert_eq!(f.app.import_batch_get(&f.admin, b.id).expect("get"), b);
    let list = f.app.import_batch_list(&f.admin).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].item_count, 3);
    assert!(list[0].items.is_empty());
}

#[test]
fn a_file_that_is_not_a_chat_stages_nothing() {
    let f = fixture();
    let b = stage(
        &f.app,
        &f.admin,
        &[
            not_a_chat(),
            file("empty.txt", b""),
            file("x.zip", b"PK\x03\x04broken"),
        ],
    );
    assert!(b.items.is_empty());
    assert_eq!(b.errors.len(), 3);
    assert!(b
        .errors
        .iter()
        .all(|e| e.code == ErrorCode::NotAWhatsappExport));
    let summary = f.app.import_commit(&f.admin, b.id).expect("commit");
    assert_eq!(summary.messages_added, 0);
    assert_eq!(client_count(&f.app, &f.admin), 0);
}

#[test]
fn commit_writes_clients_chats_and_utc_times_with_history_by_import() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let b = stage(&f.app, &f.admin, &[anna(), ivan()]);
    // Ivan's number is typed at review and his export was made in Moscow.
    let i = item(&b, IVAN_FILE);
    let mut u = update_of(i);
    u.phone = Some("+7 916 123-45-67".into());
    u.time_zone = "Europe/Moscow".into();
    u.name = "Ivan Petrov".into();
    let i = f.app.import_item_update(&f.admin, i.id, &u).expect("edit");
    assert_eq!(i.phone.as_deref(), Some("+79161234567"));
    assert_eq!(i.name, "Ivan Petrov");
    assert_eq!(i.time_zone, "Europe/Moscow");

    let summary = f.app.import_commit(&f.admin, b.id).expect("commit");
    assert_eq!(summary.clients_created, 2);
    assert_eq!(summary.clients_merged, 0);
    assert_eq!(summary.messages_added, ANNA_MESSAGES + IVAN_MESSAGES);
    assert_eq!(summary.duplicates_skipped, 0);
    assert_eq!(summary.items_skipped, 0);

    let b = f.app.import_batch_get(&f.admin, b.id).expect("get");
    assert_eq!(b.status, ImportBatchStatus::Committed);
    assert_eq!(b.summary.as_ref(), Some(&summary));
    let a = item(&b, ANNA_FILE);
    let anna_id = a.client_id.expect("client created");
    assert_eq!(a.messages_added, ANNA_MESSAGES);

    let detail = f.app.client_get(&f.admin, anna_id).expect("client");
    assert_eq!(detail.client.fields.phone.as_deref(), Some(ANNA_PHONE));
    assert_eq!(detail.client.fields.language, Language::De);
    assert_eq!(detail.client.status, FunnelStatus::Negotiation);
    assert_eq!(detail.history.len(), 1);
    assert_eq!(detail.history[0].actor, Actor::Import);
    assert_eq!(detail.history[0].from, None);
    assert_eq!(detail.history[0].to, FunnelStatus::Negotiation);
    assert_eq!(
        detail.history[0].evidence.as_deref(),
        Some("Wie kann ich bezahlen?")
    );

    // Anna's chat is her WhatsApp chat id; times are Berlin (UTC+1 in March) → UTC.
    let chat = chat_by_wa(&f.app, &f.admin, ANNA_CHAT).expect("Anna's chat");
    let row = f.app.chat_get(&f.admin, chat).expect("chat row");
    assert_eq!(row.client_id, Some(anna_id));
    assert_eq!(row.kind, ChatKind::OneToOne);
    assert_eq!(row.unread, 0, "history is not unread");
    let msgs = messages_of(&f.app, &f.admin, chat);
    assert_eq!(msgs.len() as u32, ANNA_MESSAGES);
    assert_eq!(msgs[0].sent_at, utc(2026, 3, 12, 8, 15, 0));
    assert_eq!(msgs[0].direction, Direction::In);
    assert_eq!(msgs[1].direction, Direction::Out);
    assert_eq!(
        msgs[3].body,
        "Der Preis beträgt 540 EUR pro Person.\nDas Programm schicke ich gleich."
    );
    assert_eq!(msgs[6].kind, MessageKind::Unsupported, "<Media omitted>");
    assert_eq!(row.last_message_at, Some(utc(2026, 3, 12, 8, 45, 0)));

    // Ivan: Moscow (UTC+3) → UTC, in the chat of the number typed at review.
    let chat = chat_by_wa(&f.app, &f.admin, "79161234567@c.us").expect("Ivan's chat");
    let msgs = messages_of(&f.app, &f.admin, chat);
    assert_eq!(msgs.len() as u32, IVAN_MESSAGES);
    assert_eq!(msgs[0].sent_at, utc(2026, 4, 5, 15, 2, 0));
    assert_eq!(msgs[0].direction, Direction::In);
    assert_eq!(msgs[1].direction, Direction::Out);

    // Twice is a conflict, and so is editing a committed batch.
    assert_eq!(
        code(f.app.import_commit(&f.admin, b.id)),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(f.app.import_item_update(&f.admin, a.id, &update_of(a))),
        ErrorCode::Conflict
    );
    assert_eq!(
        code(f.app.import_batch_discard(&f.admin, b.id)),
        ErrorCode::Conflict
    );
}

#[test]
fn importing_the_same_exports_again_adds_nothing() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let first = stage(&f.app, &f.admin, &[anna(), ivan(), group()]);
    set_action(
        &f.app,
        &f.admin,
        item(&first, GROUP_FILE),
        ImportAction::Import,
    );
    let s1 = f.app.import_commit(&f.admin, first.id).expect("commit");
    assert_eq!(s1.clients_created, 2);
    assert_eq!(
        s1.messages_added,
        ANNA_MESSAGES + IVAN_MESSAGES + GROUP_MESSAGES
    );
    let clients_before = client_count(&f.app, &f.admin);

    // The remembered names are used when none are given.
    let again = f
        .app
        .import_stage_files(&f.admin, &[anna(), ivan(), group()], &[])
        .expect("stage again");
    let a = item(&again, ANNA_FILE);
    assert_eq!(
        a.proposed_merge,
        item(
            &f.app.import_batch_get(&f.admin, first.id).expect("first"),
            ANNA_FILE
        )
        .client_id
    );
    assert_eq!(a.action, ImportAction::Merge, "the same phone is proposed");
    assert!(a.proposed_merge_name.is_some());
    let i = item(&again, IVAN_FILE);
    assert_eq!(
        i.action,
        ImportAction::Merge,
        "the chat an earlier import made is found"
    );
    set_action(
        &f.app,
        &f.admin,
        item(&again, GROUP_FILE),
        ImportAction::Import,
    );
    let s2 = f
        .app
        .import_commit(&f.admin, again.id)
        .expect("commit again");
    assert_eq!(s2.clients_created, 0);
    assert_eq!(s2.clients_merged, 2);
    assert_eq!(s2.messages_added, 0);
    assert_eq!(
        s2.duplicates_skipped,
        ANNA_MESSAGES + IVAN_MESSAGES + GROUP_MESSAGES
    );
    assert_eq!(client_count(&f.app, &f.admin), clients_before);
    let chat = chat_by_wa(&f.app, &f.admin, ANNA_CHAT).expect("chat");
    assert_eq!(
        messages_of(&f.app, &f.admin, chat).len() as u32,
        ANNA_MESSAGES
    );
}

fn wa_message(id: &str, direction: Direction, at: DateTime<Utc>, body: &str) -> NewMessage {
    NewMessage {
        wa_chat_id: ANNA_CHAT.into(),
        chat_kind: ChatKind::OneToOne,
        wa_message_id: Some(format!(
            "4900000001:{}:{id}",
            u8::from(direction == Direction::Out)
        )),
        direction,
        sent_at: at,
        kind: MessageKind::Text,
        body: body.into(),
        ..NewMessage::default()
    }
}

#[test]
fn an_export_overlapping_whatsapp_web_history_is_not_duplicated() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let tenant = f.admin.tenant_id;
    // WhatsApp Web stored three of Anna's conversation's messages (seconds inside the minute,
    // spacing a little different).
    let live = [
        wa_message(
            "IN1",
            Direction::In,
            utc(2026, 3, 12, 8, 15, 37),
            "Guten Tag, ich interessiere mich für die Tour zum Issyk-Kul im Juli.",
        ),
        wa_message(
            "OUT1",
            Direction::Out,
            utc(2026, 3, 12, 8, 20, 5),
            "Guten Tag!  Für wie viele\u{a0}Personen? ",
        ),
        wa_message(
            "IN2",
            Direction::In,
            utc(2026, 3, 12, 8, 41, 10),
            "Wie kann ich bezahlen?",
        ),
    ];
    for m in &live {
        f.app
            .wa_ingest(
                tenant,
                &Inbound {
                    message: m.clone(),
                    contact_name: Some("Anna".into()),
                    phone: Some(ANNA_PHONE.into()),
                    outbox_key: None,
                },
            )
            .expect("ingest");
    }
    let b = stage(&f.app, &f.admin, &[anna()]);
    let a = item(&b, ANNA_FILE);
    assert_eq!(
        a.action,
        ImportAction::Merge,
        "the lead WhatsApp created is proposed"
    );
    assert_eq!(a.proposed_merge_name.as_deref(), Some("Anna"));
    let summary = f.app.import_commit(&f.admin, b.id).expect("commit");
    assert_eq!(summary.clients_created, 0);
    assert_eq!(summary.clients_merged, 1);
    assert_eq!(summary.duplicates_skipped, 3);
    assert_eq!(summary.messages_added, ANNA_MESSAGES - 3);
    let chat = chat_by_wa(&f.app, &f.admin, ANNA_CHAT).expect("chat");
    let msgs = messages_of(&f.app, &f.admin, chat);
    assert_eq!(msgs.len() as u32, ANNA_MESSAGES);
    let asks: Vec<&Message> = msgs
        .iter()
        .filter(|m| m.body == "Wie kann ich bezahlen?")
        .collect();
    assert_eq!(
        asks.len(),
        2,
        "the second identical message of the minute is kept"
    );

    // Then WhatsApp Web history is imported too: a known id, the second "Wie kann ich
    // bezahlen?" (stored from the export without an id: it gets this id), and one new message.
    let adopted = wa_message(
        "IN3",
        Direction::In,
        utc(2026, 3, 12, 8, 41, 50),
        "Wie kann ich bezahlen?",
    );
    let fetched = WaHistoryChat {
        wa_chat_id: ANNA_CHAT.into(),
        title: "Anna".into(),
        is_group: false,
        phone: Some(ANNA_PHONE.into()),
        messages: vec![
            live[0].clone(),
            adopted.clone(),
            wa_message("IN4", Direction::In, utc(2026, 3, 12, 10, 0, 0), "Danke!"),
        ],
        truncated: true,
    };
    let b = f
        .app
        .import_stage_whatsapp(&f.admin, vec![fetched])
        .expect("stage WhatsApp history");
    assert_eq!(b.source, ImportSource::Whatsapp);
    let w = &b.items[0];
    assert_eq!(w.messages, 3);
    assert!(w.history_truncated);
    assert_eq!(w.first.as_deref(), Some("2026-03-12T08:15:37Z"));
    assert_eq!(w.wa_chat_id.as_deref(), Some(ANNA_CHAT));
    assert_eq!(w.action, ImportAction::Merge);
    let summary = f.app.import_commit(&f.admin, b.id).expect("commit");
    assert_eq!(summary.duplicates_skipped, 2);
    assert_eq!(summary.messages_added, 1);
    assert_eq!(
        messages_of(&f.app, &f.admin, chat).len() as u32,
        ANNA_MESSAGES + 1
    );
    let found = f
        .app
        .store()
        .read(|c| {
            tourdesk_store::messages::find_by_wa_id(
                c,
                tenant,
                adopted.wa_message_id.as_deref().expect("id"),
            )
        })
        .expect("lookup");
    assert!(found.is_some(), "the export row took WhatsApp's id");

    // And the same export once more: still nothing new.
    let b = stage(&f.app, &f.admin, &[anna()]);
    let summary = f.app.import_commit(&f.admin, b.id).expect("commit");
    assert_eq!(summary.messages_added, 0);
    assert_eq!(summary.duplicates_skipped, ANNA_MESSAGES);
}

#[test]
fn review_merges_with_the_client_of_the_same_phone_skips_and_checks_edits() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let existing = f
        .app
        .client_create(&f.admin, &client("Anna Schmidt", Some("+49 151 2345 6789")))
        .expect("client");
    let b = stage(&f.app, &f.admin, &[anna(), ivan(), group()]);
    let a = item(&b, ANNA_FILE);
    assert_eq!(a.proposed_merge, Some(existing.id));
    assert_eq!(a.proposed_merge_name.as_deref(), Some("Anna Schmidt"));
    assert_eq!(a.action, ImportAction::Merge);
    assert_eq!(a.merge_into, Some(existing.id));
    assert_eq!(a.merge_name.as_deref(), Some("Anna Schmidt"));

    // Importing her as a new client would duplicate the phone.
    let mut u = update_of(a);
    u.action = ImportAction::Import;
    let e = f
        .app
        .import_item_update(&f.admin, a.id, &u)
        .expect_err("dup");
    assert_eq!(e.code, ErrorCode::DuplicatePhone);
    assert_eq!(e.existing_id, Some(existing.id.to_string()));
    // Bad edits.
    let mut u = update_of(a);
    u.time_zone = "Mars/Olympus".into();
    assert_eq!(
        code(f.app.import_item_update(&f.admin, a.id, &u)),
        ErrorCode::UnknownTimeZone
    );
    let mut u = update_of(a);
    u.phone = Some("12".into());
    assert_eq!(
        code(f.app.import_item_update(&f.admin, a.id, &u)),
        ErrorCode::InvalidPhone
    );
    let mut u = update_of(a);
    u.merge_into = Some(tourdesk_app::core::ClientId(uuid::Uuid::nil()));
    assert_eq!(
        code(f.app.import_item_update(&f.admin, a.id, &u)),
        ErrorCode::NotFound
    );
    let g = item(&b, GROUP_FILE);
    let mut u = update_of(g);
    u.action = ImportAction::Merge;
    u.merge_into = Some(existing.id);
    assert_eq!(
        code(f.app.import_item_update(&f.admin, g.id, &u)),
        ErrorCode::InvalidChoice
    );
    let mut u = update_of(item(&b, IVAN_FILE));
    u.name = " ".into();
    assert_eq!(
        code(
            f.app
                .import_item_update(&f.admin, item(&b, IVAN_FILE).id, &u)
        ),
        ErrorCode::Required
    );
    // Skip Ivan; language edit on Anna's item is kept for the record.
    set_action(&f.app, &f.admin, item(&b, IVAN_FILE), ImportAction::Skip);

    let summary = f.app.import_commit(&f.admin, b.id).expect("commit");
    assert_eq!(summary.clients_created, 0);
    assert_eq!(summary.clients_merged, 1);
    assert_eq!(summary.items_skipped, 2);
    assert_eq!(summary.messages_added, ANNA_MESSAGES);
    assert_eq!(client_count(&f.app, &f.admin), 1);
    let detail = f.app.client_get(&f.admin, existing.id).expect("client");
    assert_eq!(
        detail.client.status,
        FunnelStatus::NewLead,
        "a merge keeps the status"
    );
    assert_eq!(detail.history.len(), 1);
    let chat = chat_by_wa(&f.app, &f.admin, ANNA_CHAT).expect("chat");
    assert_eq!(
        f.app.chat_get(&f.admin, chat).expect("row").client_id,
        Some(existing.id)
    );

    // Undo takes the messages and the chat back and leaves Anna Schmidt alone.
    let report = f.app.import_undo(&f.admin, b.id).expect("undo");
    assert_eq!(report.clients_removed, 0);
    assert_eq!(report.messages_removed, ANNA_MESSAGES);
    assert_eq!(report.chats_removed, 1);
    assert!(report.kept.is_empty(), "{:?}", report.kept);
    assert!(chat_by_wa(&f.app, &f.admin, ANNA_CHAT).is_none());
    assert!(f.app.client_get(&f.admin, existing.id).is_ok());
}

#[test]
fn undo_removes_the_batch_rows_and_keeps_a_client_changed_since() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let b = stage(&f.app, &f.admin, &[anna(), ivan(), group()]);
    set_action(&f.app, &f.admin, item(&b, GROUP_FILE), ImportAction::Import);
    f.app.import_commit(&f.admin, b.id).expect("commit");
    let b = f.app.import_batch_get(&f.admin, b.id).expect("get");
    let ivan_id = item(&b, IVAN_FILE).client_id.expect("Ivan");
    let anna_id = item(&b, ANNA_FILE).client_id.expect("Anna");
    // A manager works with Ivan after the import.
    f.app
        .client_change_status(
            &f.admin,
            &StatusChangeInput {
                client_id: ivan_id,
                to: FunnelStatus::Sold,
                reason: "paid by card".into(),
                evidence: None,
            },
        )
        .expect("status");

    let report = f.app.import_undo(&f.admin, b.id).expect("undo");
    assert_eq!(report.clients_removed, 1);
    assert_eq!(report.chats_removed, 2, "Anna's chat and the group chat");
    assert_eq!(report.messages_removed, ANNA_MESSAGES + GROUP_MESSAGES);
    assert_eq!(report.kept.len(), 1, "{:?}", report.kept);
    match &report.kept[0] {
        ImportNote::ClientKept { name, reasons, .. } => {
            assert!(name.contains("Ivan"), "{name}");
            assert_eq!(reasons, &[KeptReason::ClientChanged]);
        }
        other => panic!("expected the kept client, got {other:?}"),
    }

    assert_eq!(
        code(f.app.client_get(&f.admin, anna_id)),
        ErrorCode::NotFound
    );
    assert!(chat_by_wa(&f.app, &f.admin, ANNA_CHAT).is_none());
    let ivan = f.app.client_get(&f.admin, ivan_id).expect("Ivan kept");
    assert_eq!(ivan.client.status, FunnelStatus::Sold);
    assert_eq!(client_count(&f.app, &f.admin), 1);
    let b = f.app.import_batch_get(&f.admin, b.id).expect("get");
    assert_eq!(b.status, ImportBatchStatus::Undone);
    assert_eq!(b.undo.as_ref(), Some(&report));
    assert_eq!(code(f.app.import_undo(&f.admin, b.id)), ErrorCode::Conflict);
    assert_eq!(
        code(f.app.import_commit(&f.admin, b.id)),
        ErrorCode::Conflict
    );

    // Anna's phone is free again: importing her once more creates her anew.
    let again = stage(&f.app, &f.admin, &[anna()]);
    assert_eq!(item(&again, ANNA_FILE).action, ImportAction::Import);
    let s = f.app.import_commit(&f.admin, again.id).expect("commit");
    assert_eq!(s.clients_created, 1);
    assert_eq!(s.messages_added, ANNA_MESSAGES);
}

#[test]
fn undo_keeps_a_chat_that_got_live_messages_since() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let b = stage(&f.app, &f.admin, &[anna()]);
    f.app.import_commit(&f.admin, b.id).expect("commit");
    // Anna writes on WhatsApp after the import.
    f.app
        .wa_ingest(
            f.admin.tenant_id,
            &Inbound {
                message: wa_message("LATER", Direction::In, utc(2026, 5, 1, 8, 0, 0), "Hallo?"),
                contact_name: Some("Anna".into()),
                phone: Some(ANNA_PHONE.into()),
                outbox_key: None,
            },
        )
        .expect("ingest");
    let report = f.app.import_undo(&f.admin, b.id).expect("undo");
    assert_eq!(report.clients_removed, 0);
    assert_eq!(report.messages_removed, 0);
    assert_eq!(report.kept.len(), 1);
    match &report.kept[0] {
        ImportNote::ClientKept { reasons, .. } => assert!(
            reasons.contains(&KeptReason::ArrivedSince { count: 1 }),
            "{reasons:?}"
        ),
        other => panic!("expected the kept client, got {other:?}"),
    }
    let chat = chat_by_wa(&f.app, &f.admin, ANNA_CHAT).expect("chat kept");
    assert_eq!(
        messages_of(&f.app, &f.admin, chat).len() as u32,
        ANNA_MESSAGES + 1
    );
}

#[test]
fn the_manager_is_told_apart_without_names_and_the_choice_can_be_made_at_review() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    // No names known: with one file nobody can tell who is the client.
    let plain = "01/02/2026, 10:00 - Bakyt: Salam! Is the horse trek still on in June?
01/02/2026, 10:05 - Aizada: Yes, 3 days, 320 USD.
";
    let b = f
        .app
        .import_stage_files(&f.admin, &[file("chat.txt", plain.as_bytes())], &[])
        .expect("stage");
    let i = &b.items[0];
    assert!(i.needs_client_choice);
    assert_eq!(i.action, ImportAction::Skip);
    assert_eq!(i.name, "");
    let mut u = update_of(i);
    u.action = ImportAction::Import;
    u.name = "Bakyt".into();
    let i = f
        .app
        .import_item_update(&f.admin, i.id, &u)
        .expect("choose");
    assert!(!i.needs_client_choice);
    f.app.import_commit(&f.admin, b.id).expect("commit");
    let b = f.app.import_batch_get(&f.admin, b.id).expect("get");
    let client = b.items[0].client_id.expect("client");
    let chat = f
        .app
        .chat_list(&f.admin, &ChatFilter::default())
        .expect("chats")
        .into_iter()
        .find(|c| c.client_id == Some(client))
        .expect("chat")
        .id;
    let msgs = messages_of(&f.app, &f.admin, chat);
    assert_eq!(msgs[0].direction, Direction::In);
    assert_eq!(msgs[1].direction, Direction::Out);

    // With two files the person in both is the manager.
    let other = "02/02/2026, 11:00 - Leyla: Hello, do you do Ala-Kul in August?
02/02/2026, 11:30 - Aizada: Hello! Yes, every week.
";
    let b = f
        .app
        .import_stage_files(
            &f.admin,
            &[
                file("a.txt", plain.as_bytes()),
                file("b.txt", other.as_bytes()),
            ],
            &[],
        )
        .expect("stage");
    let names: Vec<&str> = b.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Bakyt", "Leyla"]);
    assert!(b.items.iter().all(|i| !i.needs_client_choice));
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(data).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn a_zip_export_brings_its_media_and_an_unsafe_zip_is_refused() {
    let f = fixture();
    berlin(&f.app, &f.admin);
    let chat = "[12.03.26, 09:15:02] +49 151 23456789: Hallo, hier ist unser Foto vom letzten Jahr
[12.03.26, 09:16:40] +49 151 23456789: <attached: 00000003-PHOTO-2026-03-12-09-16-40.jpg>
[12.03.26, 09:20:00] Olga Tourdesk: Schön! Wann möchten Sie reisen?
";
    let photo: &[u8] = b"\xFF\xD8\xFF\xE0 not really a jpeg";
    let good = zip_of(&[
        ("_chat.txt", chat.as_bytes()),
        ("00000003-PHOTO-2026-03-12-09-16-40.jpg", photo),
    ]);
    let evil = zip_of(&[("_chat.txt", chat.as_bytes()), ("../../evil.jpg", photo)]);
    let b = stage(
        &f.app,
        &f.admin,
        &[
            file("WhatsApp Chat - +49 151 23456789.zip", &good),
            file("evil.zip", &evil),
        ],
    );
    assert_eq!(b.items.len(), 1);
    assert_eq!(b.errors.len(), 1);
    assert_eq!(b.errors[0].file_name, "evil.zip");
    assert_eq!(b.errors[0].code, ErrorCode::NotAWhatsappExport);
    let i = &b.items[0];
    assert_eq!(i.phone.as_deref(), Some(ANNA_PHONE));
    assert_eq!(i.messages, 3);
    f.app.import_commit(&f.admin, b.id).expect("commit");
    let chat = chat_by_wa(&f.app, &f.admin, ANNA_CHAT).expect("chat");
    let msgs = messages_of(&f.app, &f.admin, chat);
    let image = msgs
        .iter()
        .find(|m| m.kind == MessageKind::Image)
        .expect("image message");
    let path = image.media_path.as_deref().expect("media path");
    assert!(
        path.starts_with(
            &f.dir
                .path()
                .join("media")
                .join("import")
                .display()
                .to_string()
        ),
        "{path}"
    );
    let media = f.app.message_media(&f.admin, image.id).expect("media");
    assert_eq!(media.mime, "image/jpeg");
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(media.data_base64)
            .expect("b64"),
        photo
    );
    assert!(!f.dir.path().join("evil.jpg").exists());
    assert_eq!(msgs[0].sent_at, utc(2026, 3, 12, 8, 15, 2));
    // The media goes when the import is undone.
    f.app.import_undo(&f.admin, b.id).expect("undo");
    assert!(!std::path::Path::new(path).exists());
}

#[test]
fn a_manager_imports_and_another_organisation_sees_nothing() {
    let f = fixture();
    let manager = add_manager(&f.app, &f.admin, "bakyt@soul.kg");
    berlin(&f.app, &manager);
    let b = stage(&f.app, &manager, &[anna()]);
    let (other, _) = new_org(&f.app, "Other Tours", "admin@other.example");
    let i = &b.items[0];
    assert_eq!(
        code(f.app.import_batch_get(&other, b.id)),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(f.app.import_item_update(&other, i.id, &update_of(i))),
        ErrorCode::NotFound
    );
    assert_eq!(code(f.app.import_commit(&other, b.id)), ErrorCode::NotFound);
    assert_eq!(
        code(f.app.import_batch_discard(&other, b.id)),
        ErrorCode::NotFound
    );
    assert!(f.app.import_batch_list(&other).expect("list").is_empty());
    f.app.import_commit(&manager, b.id).expect("commit");
    assert_eq!(code(f.app.import_undo(&other, b.id)), ErrorCode::NotFound);
    assert_eq!(client_count(&f.app, &other), 0);
    // The other organisation's own import of the same file is its own client.
    let ob = stage(&f.app, &other, &[anna()]);
    assert_eq!(ob.items[0].proposed_merge, None);
    assert_eq!(ob.items[0].time_zone, "UTC", "no zone chosen there yet");
    // A deactivated user cannot import.
    f.app
        .user_set_active(&f.admin, manager.user.id, false)
        .expect("deactivate");
    assert_eq!(
        code(f.app.import_stage_files(&manager, &[anna()], &[])),
        ErrorCode::UserInactive
    );
}

#[test]
fn a_staged_batch_can_be_discarded() {
    let f = fixture();
    let b = stage(&f.app, &f.admin, &[anna()]);
    f.app.import_batch_discard(&f.admin, b.id).expect("discard");
    assert_eq!(
        code(f.app.import_batch_get(&f.admin, b.id)),
        ErrorCode::NotFound
    );
    assert_eq!(client_count(&f.app, &f.admin), 0);
}

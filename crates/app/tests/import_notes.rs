//! Import warnings and undo reports are codes with parameters (ImportNote), and sentences an
//! earlier version stored stay readable after the upgrade as legacy notes.

mod common;

use base64::Engine as _;
use tourdesk_app::core::import::{ImportFile, ImportNote};
use tourdesk_app::core::AppError;

fn file(name: &str, bytes: &[u8]) -> ImportFile {
    ImportFile {
        file_name: name.into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

fn sql(f: &common::Fixture, statement: &str) {
    f.app
        .store()
        .write(|tx| {
            tx.execute(statement, [])
                .map_err(|e| AppError::storage(e.to_string()))?;
            Ok(())
        })
        .expect("sql");
}

#[test]
fn an_unreadable_line_is_a_coded_warning_not_an_english_sentence() {
    let f = common::fixture();
    let bytes = b"28/04/2021, 10:00 - Jan: cze\xff\n28/04/2021, 10:01 - Olga: ok\n";
    let b = f
        .app
        .import_stage_files(&f.admin, &[file("chat.txt", bytes)], &["Olga".into()])
        .expect("stage");
    assert_eq!(
        b.items[0].warnings,
        vec![ImportNote::InvalidUtf8 { lines: 1 }]
    );
    let json = serde_json::to_value(&b.items[0].warnings).expect("json");
    assert_eq!(
        json,
        serde_json::json!([{"code": "invalid_utf8", "lines": 1}])
    );
}

#[test]
fn sentences_stored_by_an_earlier_version_read_back_as_legacy_notes() {
    let f = common::fixture();
    let bytes = b"28/04/2021, 10:00 - Jan: hello\n28/04/2021, 10:01 - Olga: ok\n";
    let b = f
        .app
        .import_stage_files(&f.admin, &[file("chat.txt", bytes)], &["Olga".into()])
        .expect("stage");
    f.app.import_commit(&f.admin, b.id).expect("commit");
    f.app.import_undo(&f.admin, b.id).expect("undo");
    // What version 8 wrote: English sentences; then the upgrade runs again on reopen.
    sql(&f, "UPDATE import_items SET warnings = '[\"2 line(s) before the first message were ignored\"]'");
    sql(&f, "UPDATE import_batches SET undo_report = json_set(undo_report, '$.kept', json('[\"Client \\\"Jan\\\" was kept\"]'))");
    sql(&f, "DELETE FROM refinery_schema_history WHERE version = 10");
    let common::Fixture {
        dir, clock, app, ..
    } = f;
    drop(app);
    let app = common::open(dir.path(), &clock);
    let admin = app
        .sign_in("admin@soul.kg", common::PASSWORD)
        .expect("sign in");
    let back = app.import_batch_get(&admin, b.id).expect("readable");
    assert_eq!(
        back.items[0].warnings,
        vec![ImportNote::Legacy {
            text: "2 line(s) before the first message were ignored".into()
        }]
    );
    assert_eq!(
        back.undo.expect("undo report").kept,
        vec![ImportNote::Legacy {
            text: "Client \"Jan\" was kept".into()
        }]
    );
}

//! Writes that fail are visible and leave nothing half-written: a full data file (SQLite's
//! SQLITE_FULL through `PRAGMA max_page_count`) rolls the change back with `disk_full`, reads
//! keep working and the trouble shows until a write succeeds again; attachments and copies of
//! backups written to a disk that fills up leave no partial file.

mod common;

use std::sync::atomic::Ordering;

use base64::Engine as _;
use common::faults::SmallDisk;
use common::*;
use tourdesk_app::core::client::ClientQuery;
use tourdesk_app::core::whatsapp::{Attachment, SendInput};
use tourdesk_app::core::ErrorCode;
use tourdesk_app::App;

fn page_count(app: &App) -> i64 {
    app.store()
        .with_writer(|c| {
            c.query_row("PRAGMA page_count", [], |r| r.get(0))
                .map_err(tourdesk_app::core::AppError::storage)
        })
        .expect("page count")
}

fn cap_pages(app: &App, pages: i64) {
    app.store()
        .with_writer(|c| {
            c.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
                .map_err(tourdesk_app::core::AppError::storage)
        })
        .expect("max_page_count");
}

#[test]
fn a_full_data_file_rolls_back_keeps_reads_and_shows_until_a_write_works() {
    let f = fixture();
    f.app
        .client_create(&f.admin, &client("Before the disk filled", None))
        .expect("client");
    assert_eq!(f.app.write_trouble(), None);
    cap_pages(&f.app, page_count(&f.app));
    // Big notes need new pages; the bounded loop stops at the first refusal.
    let mut refused = None;
    for i in 0..200 {
        let mut input = client(&format!("Big {i}"), None);
        input.notes = "x".repeat(19_000);
        if let Err(e) = f.app.client_create(&f.admin, &input) {
            refused = Some((i, e));
            break;
        }
    }
    let (kept, e) = refused.expect("the capped file must fill up");
    assert_eq!(e.code, ErrorCode::DiskFull, "{e:?}");
    assert_eq!(f.app.write_trouble(), Some(ErrorCode::DiskFull));
    // Reads work, and the refused client left nothing (no row, no history, no search hit).
    let list = f
        .app
        .client_list(&f.admin, &ClientQuery::default())
        .expect("reads still work");
    assert_eq!(list.total as usize, 1 + kept);
    let hits = f
        .app
        .client_list(
            &f.admin,
            &ClientQuery {
                search: Some(format!("Big {kept}")),
                ..ClientQuery::default()
            },
        )
        .expect("search");
    assert_eq!(hits.total, 0);
    // A failed validation is not disk trouble: the banner stays as it was.
    let bad = f.app.client_create(&f.admin, &client("", None));
    assert_eq!(bad.map_err(|e| e.code).err(), Some(ErrorCode::Required));
    assert_eq!(f.app.write_trouble(), Some(ErrorCode::DiskFull));
    // Space again: the next write succeeds and the trouble is gone.
    cap_pages(&f.app, 1_000_000);
    f.app
        .client_create(&f.admin, &client("After space was freed", None))
        .expect("writes work again");
    assert_eq!(f.app.write_trouble(), None);
}

fn files_under(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect()
}

#[test]
fn an_attachment_on_a_full_disk_fails_whole_and_leaves_no_partial_file() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = start_clock();
    let disk = SmallDisk::with_room(1000);
    let app = App::open(dir.path(), Box::new(clock.clone()))
        .expect("open")
        .with_file_sink(Box::new(disk.clone()));
    let (admin, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    let send = |bytes: &[u8]| {
        app.message_send(
            &admin,
            &SendInput {
                phone: Some("+79161234567".into()),
                attachment: Some(Attachment {
                    file_name: "itinerary.pdf".into(),
                    mime: String::new(),
                    data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
                }),
                ..SendInput::default()
            },
        )
    };
    let e = send(&vec![b'%'; 5000]).expect_err("the disk is full");
    assert_eq!(e.code, ErrorCode::DiskFull, "{e:?}");
    let out = app.media_dir().join("out");
    assert_eq!(
        files_under(&out),
        Vec::<String>::new(),
        "nothing half-written"
    );
    assert!(app
        .chat_list(&admin, &Default::default())
        .expect("chats")
        .is_empty());
    disk.room.store(1 << 20, Ordering::SeqCst);
    send(&vec![b'%'; 5000]).expect("room again");
    assert_eq!(files_under(&out).len(), 1);
}

#[test]
fn a_daily_backup_copy_to_a_full_second_disk_fails_visibly_and_the_backup_stands() {
    let dir = tempfile::tempdir().expect("dir");
    let second = tempfile::tempdir().expect("second disk");
    let clock = start_clock();
    let disk = SmallDisk::with_room(1 << 20);
    let app = App::open(dir.path(), Box::new(clock.clone()))
        .expect("open")
        .with_file_sink(Box::new(disk.clone()));
    let (admin, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    let folder = second.path().to_string_lossy().to_string();
    let chosen = app
        .backup_copy_set(&admin, Some(&folder))
        .expect("choose the second folder");
    assert!(chosen.folder.is_some() && chosen.last_error.is_none());
    assert_eq!(
        app.backup_copy_set(&admin, Some("relative/path"))
            .map_err(|e| e.code)
            .err(),
        Some(ErrorCode::InvalidChoice)
    );
    let inside = dir.path().join("backups");
    std::fs::create_dir_all(&inside).expect("inside");
    assert_eq!(
        app.backup_copy_set(&admin, Some(&inside.to_string_lossy()))
            .map_err(|e| e.code)
            .err(),
        Some(ErrorCode::InvalidChoice),
        "not inside the data folder"
    );

    disk.room.store(2000, Ordering::SeqCst);
    let b = app
        .backup_if_due()
        .expect("the daily backup itself works")
        .expect("due");
    assert!(dir.path().join("backups").join(&b.name).exists());
    let copy = app.backup_copy_get(&admin).expect("copy state");
    assert_eq!(copy.last_error.map(|e| e.code), Some(ErrorCode::DiskFull));
    assert_eq!(
        files_under(second.path()),
        Vec::<String>::new(),
        "no partial copy"
    );

    disk.room.store(1 << 30, Ordering::SeqCst);
    clock.advance(chrono::Duration::hours(25));
    let b2 = app.backup_if_due().expect("next day").expect("due");
    assert_eq!(files_under(second.path()), vec![b2.name.clone()]);
    assert_eq!(
        std::fs::read(second.path().join(&b2.name)).expect("copy"),
        std::fs::read(dir.path().join("backups").join(&b2.name)).expect("backup")
    );
    assert!(app
        .backup_copy_get(&admin)
        .expect("state")
        .last_error
        .is_none());
    // Forgetting the folder stops the copies.
    assert!(app
        .backup_copy_set(&admin, None)
        .expect("forget")
        .folder
        .is_none());
}

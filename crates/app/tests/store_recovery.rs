//! A damaged, foreign, newer or locked data file never leaves the app without a way on: the
//! open fails with a code that says what happened, the recovery lists the backups with what
//! they hold, and restoring one sets the bad file aside (never deleting it) and brings the data
//! back. Every case damages a real SQLite file in a temp folder.

mod common;

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use common::*;
use tourdesk_app::core::client::ClientQuery;
use tourdesk_app::core::{AppError, ErrorCode};
use tourdesk_app::{App, Recovery, RecoveryAction, DB_FILE, RUNNING_MARKER, SET_ASIDE_DIR};

/// A folder with an organisation, two clients and a backup holding one of them; closed cleanly.
fn folder_with_backup() -> (tempfile::TempDir, String) {
    let f = fixture();
    f.app
        .client_create(&f.admin, &client("Kept in the backup", None))
        .expect("client");
    let b = f.app.backup_create(&f.admin).expect("backup");
    f.app
        .client_create(&f.admin, &client("Only in the live file", None))
        .expect("client 2");
    drop(f.app);
    (f.dir, b.name)
}

fn db(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

fn overwrite(path: &Path, offset: u64, len: usize) {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open data file");
    file.seek(SeekFrom::Start(offset)).expect("seek");
    let junk: Vec<u8> = (0..len).map(|i| (i * 7 + 13) as u8).collect();
    file.write_all(&junk).expect("overwrite");
}

fn open_err(dir: &Path) -> AppError {
    match App::open(dir, Box::new(start_clock())) {
        Ok(_) => panic!("the damaged folder opened"),
        Err(e) => e,
    }
}

/// Restores the newest usable backup through the recovery and checks the data it held is back.
fn restore_newest(dir: &Path, e: AppError) -> App {
    let damaged = std::fs::read(db(dir)).expect("read the bad file");
    let r = Recovery::new(dir, e);
    let state = r.state();
    assert!(
        state.actions.contains(&RecoveryAction::Restore),
        "{state:?}"
    );
    let newest = state.backups.first().expect("a backup is listed");
    assert!(newest.usable && newest.bytes > 0);
    assert_eq!(newest.clients, Some(1));
    assert_eq!(newest.messages, Some(0));
    let app = r
        .restore(&newest.name, Box::new(start_clock()))
        .expect("restore");
    let s = app.sign_in("admin@soul.kg", PASSWORD).expect("sign in");
    let names: Vec<String> = app
        .client_list(&s, &ClientQuery::default())
        .expect("list")
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(names, ["Kept in the backup"]);
    // The bad file was moved aside whole, not deleted.
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.join(SET_ASIDE_DIR))
        .expect("set-aside folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(aside[0].join(DB_FILE)).expect("set-aside file"),
        damaged
    );
    app
}

#[test]
fn an_overwritten_header_fails_as_damaged_and_the_newest_backup_brings_the_data_back() {
    let (dir, _) = folder_with_backup();
    overwrite(&db(dir.path()), 0, 4096);
    let e = open_err(dir.path());
    assert_eq!(e.code, ErrorCode::StoreDamaged, "{e:?}");
    restore_newest(dir.path(), e);
}

#[test]
fn overwritten_pages_are_found_after_an_unclean_shutdown_and_by_the_background_check() {
    let (dir, _) = folder_with_backup();
    let len = std::fs::metadata(db(dir.path())).expect("size").len();
    assert!(len > 8 * 4096, "a file of several pages: {len}");
    // A few KB in the middle, as a failing disk or a killed copy leaves them.
    overwrite(&db(dir.path()), 4096 * 3, 3 * 4096);

    // After a clean shutdown the open does not pay for a check; the background check finds it.
    if let Ok(app) = App::open(dir.path(), Box::new(start_clock())) {
        let e = app.integrity_check().expect_err("the check must fail");
        assert_eq!(e.code, ErrorCode::StoreDamaged);
        assert_eq!(app.write_trouble(), Some(ErrorCode::StoreDamaged));
        std::mem::forget(app); // as if the process died: the marker stays
    } else {
        std::fs::write(dir.path().join(RUNNING_MARKER), "1").expect("marker");
    }
    // With the marker left behind, the next open checks the file first.
    assert!(dir.path().join(RUNNING_MARKER).exists());
    let e = open_err(dir.path());
    assert_eq!(e.code, ErrorCode::StoreDamaged, "{e:?}");
    restore_newest(dir.path(), e);
}

#[test]
fn a_truncated_file_fails_as_damaged_after_an_unclean_shutdown() {
    let (dir, _) = folder_with_backup();
    let len = std::fs::metadata(db(dir.path())).expect("size").len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(db(dir.path()))
        .expect("open");
    file.set_len(len / 2).expect("truncate");
    std::fs::write(dir.path().join(RUNNING_MARKER), "1").expect("marker");
    let e = open_err(dir.path());
    assert_eq!(e.code, ErrorCode::StoreDamaged, "{e:?}");
    restore_newest(dir.path(), e);
}

#[test]
fn a_wal_from_another_database_is_checked_and_refused() {
    let (dir, _) = folder_with_backup();
    // Another installation's data file with a few fresh pages still in its WAL.
    let other = tempfile::tempdir().expect("other dir");
    let o = open(other.path(), &start_clock());
    let (s, _) = new_org(&o, "Other Tours", "admin@other.example");
    o.store().checkpoint().expect("checkpoint");
    for i in 0..30 {
        o.client_create(&s, &client(&format!("Other {i}"), None))
            .expect("other client");
    }
    let wal = other.path().join(format!("{DB_FILE}-wal"));
    let wal_bytes = std::fs::read(&wal).expect("other WAL");
    assert!(!wal_bytes.is_empty());
    std::mem::forget(o); // its WAL must not be written back
    std::fs::write(dir.path().join(format!("{DB_FILE}-wal")), &wal_bytes).expect("plant WAL");

    let e = open_err(dir.path());
    assert_eq!(e.code, ErrorCode::StoreDamaged, "{e:?}");
    restore_newest(dir.path(), e);
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_set_aside_only_when_a_backup_is_restored() {
    let (dir, _) = folder_with_backup();
    {
        let conn = tourdesk_store::Connection::open(db(dir.path())).expect("open");
        conn.execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (99, 'future', '2030-01-01', '0')",
            [],
        )
        .expect("a newer schema");
    }
    let e = open_err(dir.path());
    assert_eq!(e.code, ErrorCode::StoreTooNew, "{e:?}");
    assert!(db(dir.path()).exists(), "the newer file stays until asked");
    let state = Recovery::new(dir.path(), e.clone()).state();
    assert!(state.actions.contains(&RecoveryAction::Retry));
    restore_newest(dir.path(), e);
}

#[test]
fn a_file_locked_by_another_process_says_so_and_retrying_after_it_ends_works() {
    let (dir, _) = folder_with_backup();
    let holder = tourdesk_store::Connection::open(db(dir.path())).expect("open");
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .expect("take the lock");
    let e = open_err(dir.path());
    assert_eq!(e.code, ErrorCode::StoreLocked, "{e:?}");
    let state = Recovery::new(dir.path(), e).state();
    assert!(!state.actions.contains(&RecoveryAction::Restore));
    assert!(state.actions.contains(&RecoveryAction::Retry));
    drop(holder);
    open(dir.path(), &start_clock());
}

#[test]
fn a_data_folder_on_a_missing_disk_is_not_created_elsewhere() {
    let dir = tempfile::tempdir().expect("dir");
    let gone = dir.path().join("unmounted-disk").join("Tourdesk");
    let e = open_err(&gone);
    assert_eq!(e.code, ErrorCode::FolderMissing);
    assert!(!gone.exists() && !gone.parent().expect("parent").exists());
    let state = Recovery::new(&gone, e).state();
    assert_eq!(
        state.actions,
        [
            RecoveryAction::Retry,
            RecoveryAction::OtherFolder,
            RecoveryAction::Quit
        ]
    );
}

#[test]
fn a_clean_start_skips_the_check_and_a_clean_close_leaves_no_marker() {
    let (dir, _) = folder_with_backup();
    assert!(!dir.path().join(RUNNING_MARKER).exists());
    let wal = dir.path().join(format!("{DB_FILE}-wal"));
    assert!(wal.metadata().map(|m| m.len()).unwrap_or(0) == 0);
    let app = open(dir.path(), &start_clock());
    assert!(dir.path().join(RUNNING_MARKER).exists());
    app.shutdown();
    assert!(!dir.path().join(RUNNING_MARKER).exists());
}

#[test]
fn damaged_backups_are_listed_as_unusable_and_cannot_be_restored() {
    let (dir, name) = folder_with_backup();
    overwrite(&dir.path().join("backups").join(&name), 0, 4096);
    overwrite(&db(dir.path()), 0, 4096);
    let e = open_err(dir.path());
    let r = Recovery::new(dir.path(), e);
    let state = r.state();
    assert_eq!(state.backups.len(), 1);
    assert!(!state.backups[0].usable && state.backups[0].clients.is_none());
    assert!(!state.actions.contains(&RecoveryAction::Restore));
    assert_eq!(
        r.restore(&name, Box::new(start_clock()))
            .map(|_| ())
            .map_err(|e| e.code),
        Err(ErrorCode::NotFound)
    );
    assert!(db(dir.path()).exists(), "nothing was moved");
}

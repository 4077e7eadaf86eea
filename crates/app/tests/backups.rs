//! Backups: daily, before migrations, by hand; the newest N kept; restore by name.

mod common;

use chrono::Duration;
use common::*;
use tourdesk_app::core::client::ClientQuery;
use tourdesk_app::core::org::OrgSettings;
use tourdesk_app::core::ErrorCode;
use tourdesk_app::App;

/// The backup list holds the one taken just before a restore.
fn assert_pre_restore_backup(f: &Fixture) {
    let reasons: Vec<_> = f
        .app
        .backup_list(&f.admin)
        .expect("list")
        .iter()
        .map(|b| format!("{:?}", b.reason))
        .collect();
    assert!(reasons.iter().any(|r| r == "PreRestore"), "{reasons:?}");
}

#[test]
fn a_daily_backup_is_taken_when_due_and_old_ones_are_pruned() {
    let f = fixture();
    f.app
        .settings_update(
            &f.admin,
            &OrgSettings {
                default_region: "KG".into(),
                backups_keep: 3,
            },
        )
        .expect("settings");
    assert!(
        f.app.backup_if_due().expect("first").is_some(),
        "no backup yet, so one is due"
    );
    assert!(
        f.app.backup_if_due().expect("second").is_none(),
        "not due again within a day"
    );
    for _ in 0..4 {
        f.clock.advance(Duration::hours(25));
        assert!(f.app.backup_if_due().expect("due").is_some());
    }
    let list = f.app.backup_list(&f.admin).expect("list");
    assert_eq!(list.len(), 3);
    assert!(list.windows(2).all(|w| w[0].taken_at > w[1].taken_at));
}

#[test]
fn restoring_a_backup_brings_back_the_data_it_held() {
    let f = fixture();
    f.app
        .client_create(&f.admin, &client("Kept", None))
        .expect("kept");
    let b = f.app.backup_create(&f.admin).expect("backup");
    f.app
        .client_create(&f.admin, &client("Added later", None))
        .expect("later");
    assert_eq!(
        f.app
            .client_list(&f.admin, &ClientQuery::default())
            .expect("list")
            .total,
        2
    );
    assert_eq!(
        f.app
            .backup_restore(&f.admin, "../../etc/passwd")
            .map_err(|e| e.code),
        Err(ErrorCode::NotFound)
    );
    f.app.backup_restore(&f.admin, &b.name).expect("restore");
    let rows = f
        .app
        .client_list(&f.admin, &ClientQuery::default())
        .expect("list")
        .rows;
    assert_eq!(
        rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        ["Kept"]
    );
    // The state before the restore was saved too.
    assert_pre_restore_backup(&f);
}

#[test]
fn a_backup_is_taken_before_pending_migrations_run() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = start_clock();
    {
        let old = App::open_at_version(dir.path(), Box::new(clock.clone()), 1).expect("old schema");
        new_org(&old, "Soul KG", "admin@soul.kg");
    }
    let app = open(dir.path(), &clock);
    let s = app.sign_in("admin@soul.kg", PASSWORD).expect("sign in");
    let list = app.backup_list(&s).expect("list");
    assert!(
        list.iter()
            .any(|b| format!("{:?}", b.reason) == "PreMigration"),
        "{list:?}"
    );
    let count = list.len();
    drop(app);
    let app = open(dir.path(), &clock);
    assert_eq!(
        app.backup_list(&s).expect("list").len(),
        count,
        "no migration pending, no new backup"
    );
}

#[test]
fn a_restore_keeps_whatsapp_sessions_and_media_the_backup_does_not_hold() {
    let f = fixture();
    let session = f
        .dir
        .path()
        .join("whatsapp")
        .join(f.admin.tenant_id.to_string());
    std::fs::create_dir_all(session.join("session")).expect("session dir");
    std::fs::write(session.join("session").join("creds.json"), b"{}").expect("session");
    std::fs::write(session.join("linked"), b"1").expect("linked marker");
    let media = f.app.media_dir();
    std::fs::create_dir_all(media.join("in")).expect("media dir");
    std::fs::write(media.join("in").join("before.jpg"), b"jpg").expect("media");
    let b = f.app.backup_create(&f.admin).expect("backup");
    std::fs::write(media.join("in").join("after.jpg"), b"jpg2").expect("newer media");

    f.app.backup_restore(&f.admin, &b.name).expect("restore");
    for p in [
        session.join("session").join("creds.json"),
        session.join("linked"),
        media.join("in").join("before.jpg"),
        media.join("in").join("after.jpg"),
    ] {
        assert!(p.exists(), "{} survived the restore", p.display());
    }
    // A fresh backup was taken first.
    assert_pre_restore_backup(&f);
}

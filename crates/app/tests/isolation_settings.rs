//! Tenant isolation and roles for what came after the foundation: AI settings, the API key,
//! usage, the manager language, WhatsApp settings, import settings, backups and the second
//! backup folder. (The outbox, the inbox, imports and translations have their own cross-
//! organisation tests in whatsapp.rs, import.rs and translate.rs.) Organisation A changes every
//! one of its own; organisation B must see none of it, and B's manager is refused what only an
//! admin may do.

mod common;

use chrono::Utc;
use common::secrets::MemoryKeychain;
use common::*;
use tourdesk_app::core::ai::{AiPreset, AiSettings};
use tourdesk_app::core::import::ImportSettings;
use tourdesk_app::core::org::Session;
use tourdesk_app::core::whatsapp::WaSettings;
use tourdesk_app::core::{AppError, ErrorCode};
use tourdesk_app::App;
use tourdesk_store::llm_usage::{self, UsageRow};

fn code<T: std::fmt::Debug>(r: Result<T, AppError>) -> ErrorCode {
    r.expect_err("must be refused").code
}

/// What organisation B sees of the settings that A changes.
fn view(app: &App, b: &Session) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        app.ai_settings_get(b).expect("ai settings"),
        app.ai_status(b).expect("ai status").key_present,
        app.ai_usage(b)
            .expect("usage")
            .iter()
            .map(|d| d.calls)
            .sum::<u64>(),
        app.ai_language_get(b).expect("language"),
        app.wa_settings_get(b).expect("wa settings"),
        app.import_settings_get(b).expect("import settings"),
    )
}

#[test]
fn settings_keys_and_usage_of_one_organisation_never_reach_another() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = start_clock();
    let app = App::open(dir.path(), Box::new(clock.clone()))
        .expect("open")
        .with_secrets(Box::new(MemoryKeychain::default()));
    let (a, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    let (b, _) = new_org(&app, "Other Tours", "admin@other.example");
    let b_manager = add_manager(&app, &b, "manager@other.example");
    let before = view(&app, &b);
    let before_manager = view(&app, &b_manager);

    app.ai_settings_update(
        &a,
        &AiSettings {
            preset: AiPreset::Ollama,
            base_url: "http://127.0.0.1:11434/v1".into(),
            model: "llama3.1:8b".into(),
        },
    )
    .expect("A ai settings");
    app.ai_key_set(&a, "sk-organisation-a").expect("A key");
    app.ai_language_set(&a, Some("de")).expect("A language");
    app.store()
        .write(|tx| {
            llm_usage::insert(
                tx,
                a.tenant_id,
                &UsageRow {
                    at: Utc::now(),
                    purpose: "settings.test_connection".into(),
                    model: "llama3.1:8b".into(),
                    latency_ms: 12,
                    tokens_in: 10,
                    tokens_out: 2,
                    outcome: "ok".into(),
                    attempts: 1,
                },
            )
        })
        .expect("A usage");
    app.wa_settings_update(
        &a,
        &WaSettings {
            sends_per_minute: 3,
            send_read_receipts: false,
        },
    )
    .expect("A wa settings");
    app.import_settings_update(
        &a,
        &ImportSettings {
            own_names: vec!["Soul KG desk".into()],
            time_zone: Some("Asia/Bishkek".into()),
        },
    )
    .expect("A import settings");

    assert_eq!(view(&app, &b), before, "organisation B's admin sees A's");
    assert_eq!(
        view(&app, &b_manager),
        before_manager,
        "B's manager sees A's"
    );
    assert!(app.ai_status(&a).expect("A status").key_present);
    // B clearing its key leaves A's where it is.
    app.ai_key_clear(&b).expect("B clears its own key");
    assert!(app.ai_status(&a).expect("A status").key_present);

    // B's manager is refused every admin-only call among them, and nothing of A changes.
    let a_view = view(&app, &a);
    let m = &b_manager;
    let refused = [
        code(app.ai_settings_update(m, &app.ai_settings_get(&a).expect("A"))),
        code(app.ai_key_set(m, "sk-manager")),
        code(app.ai_key_clear(m)),
        code(app.ai_test_connection(m)),
        code(app.wa_settings_update(
            m,
            &WaSettings {
                sends_per_minute: 9,
                send_read_receipts: true,
            },
        )),
        code(app.wa_may_manage(m)),
        code(app.backup_list(m)),
        code(app.backup_create(m)),
        code(app.backup_restore(m, "tourdesk-x.sqlite3")),
        code(app.backup_copy_get(m)),
        code(app.backup_copy_set(m, Some("/tmp"))),
        code(app.backup_copy_set(m, None)),
    ];
    assert!(
        refused.iter().all(|c| *c == ErrorCode::Forbidden),
        "{refused:?}"
    );
    assert_eq!(view(&app, &a), a_view);
}

#[test]
fn a_deactivated_user_is_refused_the_new_calls_too() {
    let f = fixture();
    let manager = add_manager(&f.app, &f.admin, "bakyt@soul.kg");
    f.app
        .user_set_active(&f.admin, manager.user.id, false)
        .expect("deactivate");
    let inactive = [
        code(f.app.ai_settings_get(&manager)),
        code(f.app.ai_usage(&manager)),
        code(f.app.ai_language_get(&manager)),
        code(f.app.wa_settings_get(&manager)),
        code(f.app.import_settings_get(&manager)),
        code(f.app.import_batch_list(&manager)),
        code(f.app.backup_copy_get(&manager)),
    ];
    assert!(
        inactive.iter().all(|c| *c == ErrorCode::UserInactive),
        "{inactive:?}"
    );
}

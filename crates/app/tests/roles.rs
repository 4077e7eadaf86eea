//! Every admin-only action, tried as a manager: refused in crates/app, nothing changed.

mod common;

use common::*;
use tourdesk_app::access::Action;
use tourdesk_app::core::ai::{AiPreset, AiSettings};
use tourdesk_app::core::org::{NewUser, OrgSettings};
use tourdesk_app::core::{ErrorCode, Role};

#[test]
fn a_manager_is_refused_every_admin_action_and_nothing_changes() {
    let f = fixture();
    let manager = add_manager(&f.app, &f.admin, "bakyt@soul.kg");
    let tour = f
        .app
        .tour_create(&f.admin, &tour("Song-Kul"))
        .expect("tour");
    let partner = f
        .app
        .partner_create(&f.admin, &partner("Azamat"))
        .expect("partner");
    f.app.backup_create(&f.admin).expect("backup");
    let users_before = f.app.user_list(&f.admin).expect("users");
    let settings_before = f.app.settings_get(&f.admin).expect("settings");
    let backups_before = f.app.backup_list(&f.admin).expect("backups");
    let ai_before = f.app.ai_settings_get(&f.admin).expect("AI settings");

    let mut tried = Vec::new();
    for action in Action::ALL {
        let result: Result<(), tourdesk_app::core::AppError> = match action {
            Action::AddUser => f
                .app
                .user_add(
                    &manager,
                    &NewUser {
                        name: "X".into(),
                        email: "x@soul.kg".into(),
                        password: PASSWORD.into(),
                        role: Role::Admin,
                    },
                )
                .map(|_| ()),
            Action::ChangeRole => f
                .app
                .user_set_role(&manager, manager.user.id, Role::Admin)
                .map(|_| ()),
            Action::SetUserActive => f
                .app
                .user_set_active(&manager, f.admin.user.id, false)
                .map(|_| ()),
            Action::ChangeOrgSettings => f
                .app
                .settings_update(
                    &manager,
                    &OrgSettings {
                        default_region: "DE".into(),
                        backups_keep: 3,
                    },
                )
                .map(|_| ()),
            Action::ManageBackups => {
                let list = f.app.backup_list(&manager).map(|_| ());
                let create = f.app.backup_create(&manager).map(|_| ());
                let restore = f.app.backup_restore(&manager, &backups_before[0].name);
                assert_eq!(list.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                assert_eq!(create.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                let copy_get = f.app.backup_copy_get(&manager).map(|_| ());
                let copy_set = f.app.backup_copy_set(&manager, Some("/tmp")).map(|_| ());
                assert_eq!(copy_get.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                assert_eq!(copy_set.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                restore
            }
            Action::DeleteCatalogue => {
                let t = f.app.tour_delete(&manager, tour.id);
                assert_eq!(t.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                f.app.partner_delete(&manager, partner.id)
            }
            Action::ManageAi => {
                let update = f.app.ai_settings_update(
                    &manager,
                    &AiSettings {
                        preset: AiPreset::Ollama,
                        base_url: "http://127.0.0.1:11434/v1".into(),
                        model: "llama3.1:8b".into(),
                    },
                );
                let key = f.app.ai_key_set(&manager, "sk-manager-key");
                let clear = f.app.ai_key_clear(&manager);
                assert_eq!(update.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                assert_eq!(key.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                assert_eq!(clear.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                f.app.ai_test_connection(&manager).map(|_| ())
            }
            Action::ManageWhatsApp => {
                let logout = f.app.wa_may_manage(&manager);
                assert_eq!(logout.map_err(|e| e.code), Err(ErrorCode::Forbidden));
                assert!(f.app.wa_may_use(&manager).is_ok());
                let settings = tourdesk_app::core::whatsapp::WaSettings {
                    sends_per_minute: 5,
                    send_read_receipts: false,
                };
                f.app.wa_settings_update(&manager, &settings).map(|_| ())
            }
        };
        assert_eq!(
            result.map_err(|e| e.code),
            Err(ErrorCode::Forbidden),
            "{action:?}"
        );
        tried.push(action);
    }
    assert_eq!(tried.len(), Action::ALL.len());
    assert_eq!(f.app.user_list(&f.admin).expect("users"), users_before);
    assert_eq!(
        f.app.wa_settings_get(&f.admin).expect("WhatsApp settings"),
        tourdesk_app::core::whatsapp::WaSettings::default()
    );
    assert_eq!(
        f.app.settings_get(&f.admin).expect("settings"),
        settings_before
    );
    assert_eq!(
        f.app.backup_list(&f.admin).expect("backups"),
        backups_before
    );
    assert_eq!(
        f.app.ai_settings_get(&f.admin).expect("AI settings"),
        ai_before
    );
    assert!(f.app.tour_get(&f.admin, tour.id).is_ok());
    assert!(f.app.partner_get(&f.admin, partner.id).is_ok());
}

#[test]
fn an_admin_can_do_what_a_manager_cannot() {
    let f = fixture();
    let manager = add_manager(&f.app, &f.admin, "bakyt@soul.kg");
    let promoted = f
        .app
        .user_set_role(&f.admin, manager.user.id, Role::Admin)
        .expect("promote");
    assert_eq!(promoted.role, Role::Admin);
    // The promotion applies at once to the manager's existing session.
    assert!(f.app.backup_list(&manager).is_ok());
    f.app
        .user_set_role(&f.admin, manager.user.id, Role::Manager)
        .expect("demote");
    assert_eq!(
        f.app.backup_list(&manager).map_err(|e| e.code),
        Err(ErrorCode::Forbidden)
    );
}

#[test]
fn a_deactivated_user_is_locked_out_at_once_and_can_be_reactivated() {
    let f = fixture();
    let manager = add_manager(&f.app, &f.admin, "bakyt@soul.kg");
    f.app
        .user_set_active(&f.admin, manager.user.id, false)
        .expect("deactivate");
    assert_eq!(
        f.app
            .client_list(&manager, &Default::default())
            .map_err(|e| e.code),
        Err(ErrorCode::UserInactive)
    );
    assert_eq!(
        f.app.sign_in("bakyt@soul.kg", PASSWORD).map_err(|e| e.code),
        Err(ErrorCode::UserInactive)
    );
    f.app
        .user_set_active(&f.admin, manager.user.id, true)
        .expect("reactivate");
    assert!(f.app.sign_in("bakyt@soul.kg", PASSWORD).is_ok());
}

#[test]
fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let f = fixture();
    assert_eq!(
        f.app
            .user_set_role(&f.admin, f.admin.user.id, Role::Manager)
            .map_err(|e| e.code),
        Err(ErrorCode::LastAdmin)
    );
    assert_eq!(
        f.app
            .user_set_active(&f.admin, f.admin.user.id, false)
            .map_err(|e| e.code),
        Err(ErrorCode::LastAdmin)
    );
    let users = f.app.user_list(&f.admin).expect("users");
    assert_eq!(users[0].role, Role::Admin);
    assert!(users[0].active);
}

//! First run, sign-in and recovery.

mod common;

use common::*;
use tourdesk_app::core::org::{NewOrg, NewUser};
use tourdesk_app::core::{ErrorCode, Role};

#[test]
fn the_first_run_creates_one_organisation_and_then_only_sign_in_remains() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = start_clock();
    let app = open(dir.path(), &clock);
    assert!(app.is_first_run().expect("first run"));
    let org = NewOrg {
        org_name: "Soul KG".into(),
        admin_name: "Айгуль".into(),
        email: "aigul@soul.kg".into(),
        password: PASSWORD.into(),
    };
    assert_eq!(
        app.org_create(&NewOrg {
            password: "short".into(),
            ..org.clone()
        })
        .err()
        .map(|e| e.code),
        Some(ErrorCode::PasswordTooShort)
    );
    assert_eq!(
        app.org_create(&NewOrg {
            org_name: " ".into(),
            ..org.clone()
        })
        .err()
        .map(|e| e.code),
        Some(ErrorCode::Required)
    );
    assert!(app.is_first_run().expect("still first run"));
    let created = app.org_create(&org).expect("create");
    assert_eq!(created.recovery_code.len(), 23);
    assert!(!app.is_first_run().expect("not first run"));
    assert_eq!(
        app.org_create(&org).err().map(|e| e.code),
        Some(ErrorCode::OneOrgPerFolder)
    );
    drop(app);
    let app = open(dir.path(), &clock);
    assert!(!app.is_first_run().expect("persisted"));
    let s = app.sign_in("AIGUL@soul.kg ", PASSWORD).expect("sign in");
    assert_eq!(s.user.id, created.session.user.id);
    assert_eq!(
        app.sign_in("aigul@soul.kg", "wrong password!")
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidCredentials)
    );
    assert_eq!(
        app.sign_in("nobody@soul.kg", PASSWORD).map_err(|e| e.code),
        Err(ErrorCode::InvalidCredentials)
    );
}

#[test]
fn the_recovery_code_resets_the_admin_password_once() {
    let f = fixture();
    let new_pw = "a brand new password";
    assert_eq!(
        f.app
            .reset_admin_password("admin@soul.kg", "AAAAA-BBBBB-CCCCC-DDDDD", new_pw)
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidRecoveryCode)
    );
    let lower = f.recovery_code.to_lowercase().replace('-', " ");
    let next = f
        .app
        .reset_admin_password("admin@soul.kg", &lower, new_pw)
        .expect("reset");
    assert_ne!(next, f.recovery_code);
    assert!(f.app.sign_in("admin@soul.kg", new_pw).is_ok());
    assert_eq!(
        f.app.sign_in("admin@soul.kg", PASSWORD).map_err(|e| e.code),
        Err(ErrorCode::InvalidCredentials)
    );
    assert_eq!(
        f.app
            .reset_admin_password("admin@soul.kg", &f.recovery_code, "another password!")
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidRecoveryCode)
    );
    // A manager cannot use the organisation's code.
    add_manager(&f.app, &f.admin, "m@soul.kg");
    assert_eq!(
        f.app
            .reset_admin_password("m@soul.kg", &next, "another password!")
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidRecoveryCode)
    );
}

#[test]
fn a_user_changes_their_own_password() {
    let f = fixture();
    assert_eq!(
        f.app
            .change_password(&f.admin, "wrong one here", "new password 123")
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidCredentials)
    );
    f.app
        .change_password(&f.admin, PASSWORD, "new password 123")
        .expect("change");
    assert!(f.app.sign_in("admin@soul.kg", "new password 123").is_ok());
}

#[test]
fn a_deactivated_admin_cannot_come_back_with_the_recovery_code_while_another_admin_is_active() {
    let f = fixture();
    let second = f
        .app
        .user_add(
            &f.admin,
            &NewUser {
                name: "Second admin".into(),
                email: "second@soul.kg".into(),
                password: PASSWORD.into(),
                role: Role::Admin,
            },
        )
        .expect("second admin");
    f.app
        .user_set_active(&f.admin, f.admin.user.id, false)
        .expect("the first admin is deactivated");
    assert_eq!(
        f.app.sign_in("admin@soul.kg", PASSWORD).map_err(|e| e.code),
        Err(ErrorCode::UserInactive)
    );
    assert_eq!(
        f.app
            .reset_admin_password("admin@soul.kg", &f.recovery_code, "a brand new password")
            .map_err(|e| e.code),
        Err(ErrorCode::UserInactive)
    );
    assert_eq!(
        f.app.sign_in("admin@soul.kg", PASSWORD).map_err(|e| e.code),
        Err(ErrorCode::UserInactive),
        "the refused reset changed nothing"
    );
    // Once no active admin remains (here: the store edited behind the app's back), the code
    // brings the first admin back.
    f.app
        .store()
        .write(|tx| {
            tourdesk_store::users::update_role_active(
                tx,
                f.admin.tenant_id,
                second.id,
                Role::Admin,
                false,
                chrono::Utc::now(),
            )
        })
        .expect("deactivate the second admin directly");
    f.app
        .reset_admin_password("admin@soul.kg", &f.recovery_code, "a brand new password")
        .expect("the last admin comes back");
    assert!(f
        .app
        .sign_in("admin@soul.kg", "a brand new password")
        .is_ok());
    assert_eq!(
        f.app
            .sign_in("second@soul.kg", PASSWORD)
            .map_err(|e| e.code),
        Err(ErrorCode::UserInactive)
    );
}

#[test]
fn the_folder_serves_its_one_organisation_and_the_demo_is_refused_beside_it() {
    let dir = tempfile::tempdir().expect("dir");
    let clock = start_clock();
    let app = open(dir.path(), &clock);
    assert_eq!(app.folder_org().expect("empty folder"), None);
    let (admin, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    assert_eq!(app.folder_org().expect("one"), Some(admin.tenant_id));
    assert_eq!(
        tourdesk_app::seed::seed_demo(&app, "demo@soul.kg")
            .err()
            .map(|e| e.code),
        Some(ErrorCode::OneOrgPerFolder)
    );
    assert_eq!(app.folder_org().expect("still one"), Some(admin.tenant_id));
}

#[test]
fn a_folder_holding_several_organisations_is_refused_rather_than_serving_only_the_first() {
    // Only the store's multi-tenant tests (and a server) put several in one database.
    let f = fixture();
    new_org(&f.app, "Second", "b@second.example");
    assert_eq!(
        f.app.folder_org().err().map(|e| e.code),
        Some(ErrorCode::OneOrgPerFolder)
    );
}

//! Two organisations in one database. Organisation A tries to read, list, update, delete and
//! link every kind of row of organisation B: all refused as not found, B unchanged.

mod common;

use common::*;
use tourdesk_app::core::client::{ClientQuery, StatusChangeInput};
use tourdesk_app::core::org::{OrgSettings, Session};
use tourdesk_app::core::{AppError, ErrorCode, FunnelStatus, Role};

fn not_found<T: std::fmt::Debug>(r: Result<T, AppError>, what: &str) {
    match r {
        Err(e) => assert_eq!(e.code, ErrorCode::NotFound, "{what}: {e:?}"),
        Ok(v) => panic!("{what}: expected not found, got {v:?}"),
    }
}

struct Snapshot(String);

fn snapshot(f: &Fixture, b: &Session, client: tourdesk_app::core::ClientId) -> Snapshot {
    let detail = f.app.client_get(b, client).expect("B client");
    Snapshot(format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        detail.client,
        detail.history,
        f.app.tour_list(b).expect("tours"),
        f.app.partner_list(b).expect("partners"),
        f.app.user_list(b).expect("users"),
        f.app.settings_get(b).expect("settings"),
    ))
}

#[test]
fn one_organisation_cannot_touch_another_organisations_rows() {
    let f = fixture();
    let a = f.admin.clone();
    let (b, _) = new_org(&f.app, "Other Tours", "admin@other.example");
    let b_manager = add_manager(&f.app, &b, "manager@other.example");
    let b_tour = f.app.tour_create(&b, &tour("B tour")).expect("B tour");
    let b_partner = f
        .app
        .partner_create(&b, &partner("B partner"))
        .expect("B partner");
    let mut input = client("Secret Client B", Some("+996 555 000 111"));
    input.tour_ids = vec![b_tour.id];
    input.partner_id = Some(b_partner.id);
    input.manager_id = Some(b_manager.user.id);
    let b_client = f.app.client_create(&b, &input).expect("B client");
    let b_binned = f
        .app
        .client_create(&b, &client("Binned B", None))
        .expect("B client 2");
    f.app.client_delete(&b, b_binned.id).expect("bin B client");
    let a_client = f
        .app
        .client_create(&a, &client("Client A", Some("+996 555 000 222")))
        .expect("A client");
    let before = snapshot(&f, &b, b_client.id);

    // Clients: read, update, delete, restore, merge both ways, status.
    not_found(f.app.client_get(&a, b_client.id), "client_get");
    not_found(
        f.app
            .client_update(&a, b_client.id, &client("Hacked", None)),
        "client_update",
    );
    not_found(f.app.client_delete(&a, b_client.id), "client_delete");
    not_found(f.app.client_restore(&a, b_binned.id), "client_restore");
    not_found(
        f.app.client_merge(&a, a_client.id, b_client.id),
        "merge B into A",
    );
    not_found(
        f.app.client_merge(&a, b_client.id, a_client.id),
        "merge A into B",
    );
    not_found(
        f.app.client_change_status(
            &a,
            &StatusChangeInput {
                client_id: b_client.id,
                to: FunnelStatus::Sold,
                reason: "x".into(),
                evidence: None,
            },
        ),
        "client_change_status",
    );
    // Lists and the board show nothing of B.
    let all = f
        .app
        .client_list(&a, &ClientQuery::default())
        .expect("list");
    assert!(
        all.rows.iter().all(|r| r.id != b_client.id) && all.total == 1,
        "{all:?}"
    );
    let search = f
        .app
        .client_list(
            &a,
            &ClientQuery {
                search: Some("Secret".into()),
                ..Default::default()
            },
        )
        .expect("search");
    assert_eq!(search.total, 0);
    let bin = f
        .app
        .client_list(
            &a,
            &ClientQuery {
                deleted: true,
                ..Default::default()
            },
        )
        .expect("bin");
    assert_eq!(bin.total, 0);
    let by_manager = f
        .app
        .client_list(
            &a,
            &ClientQuery {
                manager_id: Some(b_manager.user.id),
                ..Default::default()
            },
        )
        .expect("by manager");
    assert_eq!(by_manager.total, 0);
    let board: u32 = f
        .app
        .board(&a)
        .expect("board")
        .iter()
        .map(|c| c.total)
        .sum();
    assert_eq!(board, 1);

    // Linking B's manager, partner or tour to A's clients.
    for (field, mut linked) in [
        ("manager", client("L1", None)),
        ("partner", client("L2", None)),
        ("tour", client("L3", None)),
    ] {
        match field {
            "manager" => linked.manager_id = Some(b_manager.user.id),
            "partner" => linked.partner_id = Some(b_partner.id),
            _ => linked.tour_ids = vec![b_tour.id],
        }
        not_found(
            f.app.client_create(&a, &linked),
            &format!("create linking B's {field}"),
        );
        not_found(
            f.app.client_update(&a, a_client.id, &linked),
            &format!("update linking B's {field}"),
        );
    }

    // Tours and partners.
    not_found(f.app.tour_get(&a, b_tour.id), "tour_get");
    not_found(
        f.app.tour_update(&a, b_tour.id, &tour("Hacked")),
        "tour_update",
    );
    not_found(f.app.tour_delete(&a, b_tour.id), "tour_delete");
    assert!(f.app.tour_list(&a).expect("tours").is_empty());
    not_found(f.app.partner_get(&a, b_partner.id), "partner_get");
    not_found(
        f.app.partner_update(&a, b_partner.id, &partner("Hacked")),
        "partner_update",
    );
    not_found(f.app.partner_delete(&a, b_partner.id), "partner_delete");
    assert!(f.app.partner_list(&a).expect("partners").is_empty());

    // Users and settings.
    not_found(
        f.app.user_set_role(&a, b_manager.user.id, Role::Admin),
        "user_set_role",
    );
    not_found(
        f.app.user_set_active(&a, b_manager.user.id, false),
        "user_set_active",
    );
    assert!(f
        .app
        .user_list(&a)
        .expect("users")
        .iter()
        .all(|u| u.id != b_manager.user.id && u.id != b.user.id));
    f.app
        .settings_update(
            &a,
            &OrgSettings {
                default_region: "DE".into(),
                backups_keep: 3,
            },
        )
        .expect("A settings");

    // A session that mixes A's tenant with B's user is not a session at all.
    let mut forged = a.clone();
    forged.user = b.user.clone();
    assert_eq!(
        f.app
            .client_list(&forged, &ClientQuery::default())
            .map_err(|e| e.code),
        Err(ErrorCode::NotSignedIn)
    );

    // The same phone may exist in both organisations, and A's duplicate error never names B's row.
    let same = f
        .app
        .client_create(&a, &client("Same phone", Some("+996 555 000 111")))
        .expect("same phone in A");
    let dup = f
        .app
        .client_create(&a, &client("Dup", Some("+996555000111")))
        .expect_err("duplicate in A");
    assert_eq!(dup.code, ErrorCode::DuplicatePhone);
    assert_eq!(
        dup.existing_id.as_deref(),
        Some(same.id.to_string().as_str())
    );

    assert_eq!(
        snapshot(&f, &b, b_client.id).0,
        before.0,
        "organisation B changed"
    );
}

//! Clients through crates/app: create, edit, bin with undo, duplicates, merge, list.

mod common;

use common::*;
use tourdesk_app::core::client::{
    AddressForm, ClientQuery, ClientSort, CulturalContext, Diet, StatusChangeInput,
};
use tourdesk_app::core::{ErrorCode, FunnelStatus, Language};

#[test]
fn a_client_is_created_with_every_field_normalised_and_read_back() {
    let f = fixture();
    let t = f
        .app
        .tour_create(&f.admin, &tour("Song-Kul"))
        .expect("tour");
    let p = f
        .app
        .partner_create(&f.admin, &partner("Azamat"))
        .expect("partner");
    let mut input = client("  محمد العتيبي  ", Some("+966 50 123 4567"));
    input.email = Some("Mohammed@Example.com".into());
    input.language = Language::Ar;
    input.culture = CulturalContext {
        diet: Diet::Halal,
        address: AddressForm::Formal,
        time_zone: Some("Asia/Riyadh".into()),
        notes: "Prayer breaks".into(),
    };
    input.notes = "Family of five".into();
    input.manager_id = Some(f.admin.user.id);
    input.partner_id = Some(p.id);
    input.tour_ids = vec![t.id, t.id];
    let c = f.app.client_create(&f.admin, &input).expect("create");
    assert_eq!(c.fields.name, "محمد العتيبي");
    assert_eq!(c.fields.phone.as_deref(), Some("+966501234567"));
    assert_eq!(c.fields.email.as_deref(), Some("mohammed@example.com"));
    assert_eq!(c.status, FunnelStatus::NewLead);
    assert_eq!(c.fields.tour_ids, vec![t.id]);
    assert_eq!(c.partner_name.as_deref(), Some("Azamat"));
    let detail = f.app.client_get(&f.admin, c.id).expect("get");
    assert_eq!(detail.client, c);
    assert_eq!(detail.history.len(), 1);
    assert_eq!(detail.history[0].to, FunnelStatus::NewLead);
    assert_eq!(detail.history[0].from, None);
}

#[test]
fn phones_without_country_code_use_the_organisation_region() {
    let f = fixture();
    let c = f
        .app
        .client_create(&f.admin, &client("Aibek", Some("0555 123 456")))
        .expect("create");
    assert_eq!(c.fields.phone.as_deref(), Some("+996555123456"));
}

#[test]
fn a_duplicate_phone_is_refused_with_a_link_to_the_existing_client() {
    let f = fixture();
    let first = f
        .app
        .client_create(&f.admin, &client("Aibek", Some("+996 555 123 456")))
        .expect("first");
    let err = f
        .app
        .client_create(&f.admin, &client("Aibek again", Some("0555123456")))
        .expect_err("dup");
    assert_eq!(err.code, ErrorCode::DuplicatePhone);
    assert_eq!(err.field.as_deref(), Some("phone"));
    assert_eq!(err.existing_id, Some(first.id.to_string()));
    let second = f
        .app
        .client_create(&f.admin, &client("Other", Some("+996 555 123 457")))
        .expect("other");
    let err = f
        .app
        .client_update(&f.admin, second.id, &client("Other", Some("+996555123456")))
        .expect_err("dup on edit");
    assert_eq!(err.code, ErrorCode::DuplicatePhone);
    assert_eq!(
        f.app
            .client_list(&f.admin, &ClientQuery::default())
            .expect("list")
            .total,
        2
    );
}

#[test]
fn a_deleted_client_goes_to_the_bin_and_undo_brings_it_back() {
    let f = fixture();
    let c = f
        .app
        .client_create(&f.admin, &client("Sarah", Some("+44 7911 123456")))
        .expect("create");
    f.app.client_delete(&f.admin, c.id).expect("delete");
    assert_eq!(
        f.app
            .client_list(&f.admin, &ClientQuery::default())
            .expect("list")
            .total,
        0
    );
    let bin = f
        .app
        .client_list(
            &f.admin,
            &ClientQuery {
                deleted: true,
                ..Default::default()
            },
        )
        .expect("bin");
    assert_eq!(bin.rows[0].id, c.id);
    // Its phone is free while it is in the bin, so restoring a client whose phone was taken
    // meanwhile is refused with a link instead of creating a duplicate.
    let taken = f
        .app
        .client_create(&f.admin, &client("Sarah 2", Some("+44 7911 123456")))
        .expect("reuse phone");
    let err = f
        .app
        .client_restore(&f.admin, c.id)
        .expect_err("phone taken");
    assert_eq!(err.code, ErrorCode::DuplicatePhone);
    assert_eq!(err.existing_id, Some(taken.id.to_string()));
    f.app
        .client_delete(&f.admin, taken.id)
        .expect("delete other");
    let back = f.app.client_restore(&f.admin, c.id).expect("undo");
    assert_eq!(back.deleted_at, None);
    assert_eq!(
        f.app
            .client_list(&f.admin, &ClientQuery::default())
            .expect("list")
            .total,
        1
    );
    assert_eq!(
        f.app
            .client_delete(&f.admin, c.id)
            .and_then(|_| f.app.client_delete(&f.admin, c.id))
            .map_err(|e| e.code),
        Err(ErrorCode::NotFound)
    );
}

#[test]
fn merging_moves_history_and_tours_and_fills_empty_fields() {
    let f = fixture();
    let t1 = f.app.tour_create(&f.admin, &tour("Song-Kul")).expect("t1");
    let t2 = f.app.tour_create(&f.admin, &tour("Issyk-Kul")).expect("t2");
    let mut a = client("Jonas Müller", None);
    a.tour_ids = vec![t1.id];
    let keep = f.app.client_create(&f.admin, &a).expect("keep");
    let mut b = client("Jonas M.", Some("+49 151 23456789"));
    b.email = Some("jonas@example.de".into());
    b.language = Language::De;
    b.tour_ids = vec![t2.id];
    b.notes = "Climber".into();
    let gone = f.app.client_create(&f.admin, &b).expect("remove");
    f.app
        .client_change_status(
            &f.admin,
            &StatusChangeInput {
                client_id: gone.id,
                to: FunnelStatus::Qualified,
                reason: "budget ok".into(),
                evidence: None,
            },
        )
        .expect("status");
    let merged = f
        .app
        .client_merge(&f.admin, keep.id, gone.id)
        .expect("merge");
    assert_eq!(merged.fields.name, "Jonas Müller");
    assert_eq!(merged.fields.phone.as_deref(), Some("+4915123456789"));
    assert_eq!(merged.fields.email.as_deref(), Some("jonas@example.de"));
    assert_eq!(merged.fields.language, Language::De);
    assert_eq!(merged.fields.notes, "Climber");
    let mut tours = merged.fields.tour_ids.clone();
    tours.sort();
    let mut want = vec![t1.id, t2.id];
    want.sort();
    assert_eq!(tours, want);
    let history = f.app.client_get(&f.admin, keep.id).expect("get").history;
    assert_eq!(history.len(), 3, "{history:?}");
    let old = f
        .app
        .client_get(&f.admin, gone.id)
        .expect("merged one is kept for the record");
    assert_eq!(old.client.merged_into, Some(keep.id));
    assert_eq!(
        f.app
            .client_list(&f.admin, &ClientQuery::default())
            .expect("list")
            .total,
        1
    );
    assert_eq!(
        f.app
            .client_merge(&f.admin, keep.id, keep.id)
            .map_err(|e| e.code),
        Err(ErrorCode::Conflict)
    );
}

#[test]
fn the_list_searches_filters_sorts_and_pages() {
    let f = fixture();
    let manager = add_manager(&f.app, &f.admin, "bakyt@soul.kg");
    let names = [
        "Анна Смирнова",
        "Sarah Thompson",
        "Camille Dubois",
        "Jonas Müller",
        "Lucía Fernández",
    ];
    let mut ids = Vec::new();
    for (i, n) in names.iter().enumerate() {
        let mut c = client(n, Some(&format!("+996 555 100 20{i}")));
        c.language = [
            Language::Ru,
            Language::En,
            Language::Fr,
            Language::De,
            Language::Es,
        ][i];
        c.email = Some(format!("c{i}@mail.example"));
        if i % 2 == 0 {
            c.manager_id = Some(manager.user.id);
        }
        ids.push(f.app.client_create(&f.admin, &c).expect("create").id);
    }
    f.app
        .client_change_status(
            &f.admin,
            &StatusChangeInput {
                client_id: ids[1],
                to: FunnelStatus::Qualified,
                reason: String::new(),
                evidence: None,
            },
        )
        .expect("status");
    let q = |q: ClientQuery| f.app.client_list(&f.admin, &q).expect("list");
    assert_eq!(
        q(ClientQuery {
            search: Some("смирн".into()),
            ..Default::default()
        })
        .rows[0]
            .id,
        ids[0]
    );
    assert_eq!(
        q(ClientQuery {
            search: Some("MÜLLER".into()),
            ..Default::default()
        })
        .rows[0]
            .id,
        ids[3]
    );
    assert_eq!(
        q(ClientQuery {
            search: Some("100 202".into()),
            ..Default::default()
        })
        .rows[0]
            .id,
        ids[2]
    );
    assert_eq!(
        q(ClientQuery {
            search: Some("c4@mail".into()),
            ..Default::default()
        })
        .rows[0]
            .id,
        ids[4]
    );
    assert_eq!(
        q(ClientQuery {
            search: Some("100%".into()),
            ..Default::default()
        })
        .total,
        0
    );
    assert_eq!(
        q(ClientQuery {
            status: Some(FunnelStatus::Qualified),
            ..Default::default()
        })
        .rows[0]
            .id,
        ids[1]
    );
    assert_eq!(
        q(ClientQuery {
            language: Some(Language::Fr),
            ..Default::default()
        })
        .rows[0]
            .id,
        ids[2]
    );
    assert_eq!(
        q(ClientQuery {
            manager_id: Some(manager.user.id),
            ..Default::default()
        })
        .total,
        3
    );
    let by_name: Vec<_> = q(ClientQuery {
        sort: ClientSort::Name,
        ..Default::default()
    })
    .rows
    .into_iter()
    .map(|r| r.name)
    .collect();
    assert_eq!(
        by_name,
        [
            "Camille Dubois",
            "Jonas Müller",
            "Lucía Fernández",
            "Sarah Thompson",
            "Анна Смирнова"
        ]
    );
    let by_status = q(ClientQuery {
        sort: ClientSort::Status,
        desc: true,
        ..Default::default()
    });
    assert_eq!(by_status.rows[0].id, ids[1]);
    let p0 = q(ClientQuery {
        page_size: 2,
        sort: ClientSort::Created,
        ..Default::default()
    });
    let p2 = q(ClientQuery {
        page_size: 2,
        page: 2,
        sort: ClientSort::Created,
        ..Default::default()
    });
    assert_eq!((p0.total, p0.rows.len(), p2.rows.len()), (5, 2, 1));
    assert_eq!(p0.rows[0].id, ids[0]);
    assert_eq!(p2.rows[0].id, ids[4]);
}

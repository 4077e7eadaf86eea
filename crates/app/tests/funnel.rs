//! The funnel: one function changes status and writes history in the same transaction.

mod common;

use common::*;
use tourdesk_app::core::client::StatusChangeInput;
use tourdesk_app::core::{Actor, ErrorCode, FunnelStatus};

fn change(to: FunnelStatus, id: tourdesk_app::core::ClientId, reason: &str) -> StatusChangeInput {
    StatusChangeInput {
        client_id: id,
        to,
        reason: reason.into(),
        evidence: None,
    }
}

#[test]
fn a_status_change_records_from_to_when_who_why_and_evidence() {
    let f = fixture();
    let c = f
        .app
        .client_create(&f.admin, &client("Aibek", Some("+996 555 123 456")))
        .expect("create");
    let mut input = change(
        FunnelStatus::Qualified,
        c.id,
        "Budget 1500 USD, 4 people, July",
    );
    input.evidence = Some("msg:3EB0A1".into());
    let row = f
        .app
        .client_change_status(&f.admin, &input)
        .expect("change");
    assert_eq!(
        (row.from, row.to),
        (Some(FunnelStatus::NewLead), FunnelStatus::Qualified)
    );
    let agent = f
        .app
        .change_status(
            f.admin.tenant_id,
            Actor::Agent("qualification".into()),
            &change(FunnelStatus::Warmed, c.id, "Asked about yurts"),
        )
        .expect("agent");
    assert_eq!(agent.actor, Actor::Agent("qualification".into()));
    f.app
        .change_status(
            f.admin.tenant_id,
            Actor::Import,
            &change(FunnelStatus::ProposalSent, c.id, "price quoted in export"),
        )
        .expect("import");
    let detail = f.app.client_get(&f.admin, c.id).expect("get");
    assert_eq!(detail.client.status, FunnelStatus::ProposalSent);
    let h = &detail.history;
    assert_eq!(h.len(), 4);
    assert_eq!(h[1].actor, Actor::User(f.admin.user.id));
    assert_eq!(h[1].actor_name.as_deref(), Some("Soul KG admin"));
    assert_eq!(h[1].reason, "Budget 1500 USD, 4 people, July");
    assert_eq!(h[1].evidence.as_deref(), Some("msg:3EB0A1"));
    assert_eq!(h[2].actor_name.as_deref(), Some("qualification"));
    assert_eq!(h[3].actor, Actor::Import);
    assert!(h
        .windows(2)
        .all(|w| w[0].at < w[1].at && w[1].from == Some(w[0].to)));
}

#[test]
fn a_refused_change_leaves_status_and_history_untouched() {
    let f = fixture();
    let c = f
        .app
        .client_create(&f.admin, &client("Aibek", None))
        .expect("create");
    let same = f
        .app
        .client_change_status(&f.admin, &change(FunnelStatus::NewLead, c.id, ""));
    assert_eq!(same.map_err(|e| e.code), Err(ErrorCode::Conflict));
    let long = f.app.client_change_status(
        &f.admin,
        &change(FunnelStatus::Sold, c.id, &"x".repeat(5000)),
    );
    assert_eq!(long.map_err(|e| e.code), Err(ErrorCode::TooLong));
    f.app.client_delete(&f.admin, c.id).expect("delete");
    let binned = f
        .app
        .client_change_status(&f.admin, &change(FunnelStatus::Sold, c.id, "x"));
    assert_eq!(binned.map_err(|e| e.code), Err(ErrorCode::NotFound));
    let detail = f.app.client_get(&f.admin, c.id).expect("get");
    assert_eq!(detail.client.status, FunnelStatus::NewLead);
    assert_eq!(detail.history.len(), 1);
}

#[test]
fn the_board_counts_clients_per_status_in_funnel_order() {
    let f = fixture();
    let a = f
        .app
        .client_create(&f.admin, &client("A", None))
        .expect("a");
    f.app
        .client_create(&f.admin, &client("B", None))
        .expect("b");
    f.app
        .client_change_status(&f.admin, &change(FunnelStatus::Sold, a.id, "deposit"))
        .expect("sold");
    let board = f.app.board(&f.admin).expect("board");
    let statuses: Vec<_> = board.iter().map(|c| c.status).collect();
    assert_eq!(statuses, FunnelStatus::ALL.to_vec());
    assert_eq!(board[0].total, 1);
    assert_eq!(board[5].total, 1);
    assert_eq!(board[5].cards[0].id, a.id);
}

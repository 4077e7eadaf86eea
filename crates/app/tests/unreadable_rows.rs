//! A stored value the store cannot read is an error naming its column, never a nil id or a
//! silent default (a client whose language is unknown is not shown as a Russian new lead).

mod common;

use tourdesk_app::core::ErrorCode;

fn damage(f: &common::Fixture, sql: &str) {
    f.app
        .store()
        .write(|tx| {
            tx.execute(sql, [])
                .map_err(|e| tourdesk_app::core::AppError::storage(e.to_string()))?;
            Ok(())
        })
        .expect("damage a row");
}

#[test]
fn a_client_with_an_unknown_status_or_language_is_an_error_naming_the_column() {
    let f = common::fixture();
    let c = f
        .app
        .client_create(&f.admin, &common::client("Anna", Some("+996700111222")))
        .expect("client");
    damage(&f, "UPDATE clients SET language = 'xx'");
    let err = f
        .app
        .client_get(&f.admin, c.id)
        .expect_err("unreadable language");
    assert_eq!(err.code, ErrorCode::Storage);
    assert!(err.message.contains("column language"), "{}", err.message);

    damage(
        &f,
        "UPDATE clients SET language = 'en', status = 'almost_sold'",
    );
    let err = f
        .app
        .client_get(&f.admin, c.id)
        .expect_err("unreadable status");
    assert!(err.message.contains("column status"), "{}", err.message);
    let listed = f.app.client_list(&f.admin, &Default::default());
    assert!(
        listed.is_err(),
        "the list does not show it under a default status"
    );

    damage(&f, "UPDATE clients SET status = 'new_lead'");
    let back = f.app.client_get(&f.admin, c.id).expect("readable again");
    assert_eq!(back.client.fields.name, "Anna");
}

#[test]
fn a_tour_with_unreadable_departures_or_id_is_an_error_not_an_empty_list() {
    let f = common::fixture();
    let t = f
        .app
        .tour_create(&f.admin, &common::tour("Song-Kul"))
        .expect("tour");
    damage(&f, "UPDATE tours SET departures = '[\"2026-13-40\"]'");
    let err = f
        .app
        .tour_get(&f.admin, t.id)
        .expect_err("unreadable departures");
    assert!(err.message.contains("column departures"), "{}", err.message);

    damage(
        &f,
        "UPDATE tours SET departures = '[]', difficulty = 'extreme'",
    );
    let err = f
        .app
        .tour_list(&f.admin)
        .expect_err("unreadable difficulty");
    assert!(err.message.contains("column difficulty"), "{}", err.message);
}

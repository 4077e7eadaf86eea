//! Bad input through crates/app: a clear error naming the field, and nothing stored half-done.
//! Emoji, Arabic and quotes are good input and must survive every text field unchanged.

mod common;

use common::*;
use tourdesk_app::core::client::{ClientInput, ClientQuery, CulturalContext};
use tourdesk_app::core::org::NewUser;
use tourdesk_app::core::partner::PartnerInput;
use tourdesk_app::core::tour::TourInput;
use tourdesk_app::core::{ErrorCode, Role};

const WILD: &str = "O'Brien \"Бек\" 🏔️🐎 محمد `x` ; DROP TABLE clients; -- <b>";

fn code<T: std::fmt::Debug>(
    r: Result<T, tourdesk_app::core::AppError>,
) -> (ErrorCode, Option<String>) {
    let e = r.expect_err("expected an error");
    (e.code, e.field)
}

#[test]
fn bad_client_input_is_refused_with_the_field_and_nothing_is_stored() {
    let f = fixture();
    let long = "я".repeat(10_000);
    let cases: Vec<(ClientInput, ErrorCode, &str)> = vec![
        (client("", None), ErrorCode::Required, "name"),
        (client("   ", None), ErrorCode::Required, "name"),
        (client(&long, None), ErrorCode::TooLong, "name"),
        (client("Tab\tname", None), ErrorCode::InvalidText, "name"),
        (
            client("Ok", Some("not a phone")),
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (
            client("Ok", Some("+996 555")),
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (
            client("Ok", Some("+1 (555) 🙂")),
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (
            ClientInput {
                email: Some("ana@".into()),
                ..client("Ok", None)
            },
            ErrorCode::InvalidEmail,
            "email",
        ),
        (
            ClientInput {
                email: Some("a b@c.de".into()),
                ..client("Ok", None)
            },
            ErrorCode::InvalidEmail,
            "email",
        ),
        (
            ClientInput {
                culture: CulturalContext {
                    time_zone: Some("Asia/Atlantis".into()),
                    ..Default::default()
                },
                ..client("Ok", None)
            },
            ErrorCode::UnknownTimeZone,
            "time_zone",
        ),
        (
            ClientInput {
                notes: "x".repeat(20_001),
                ..client("Ok", None)
            },
            ErrorCode::TooLong,
            "notes",
        ),
        (
            ClientInput {
                notes: "bell\u{7}".into(),
                ..client("Ok", None)
            },
            ErrorCode::InvalidText,
            "notes",
        ),
    ];
    for (input, want, field) in cases {
        let (got, got_field) = code(f.app.client_create(&f.admin, &input));
        assert_eq!(
            (got, got_field.as_deref()),
            (want, Some(field)),
            "{:?}",
            input.name.chars().take(20).collect::<String>()
        );
    }
    assert_eq!(
        f.app
            .client_list(&f.admin, &ClientQuery::default())
            .expect("list")
            .total,
        0
    );
    let good = f
        .app
        .client_create(&f.admin, &client("Good", Some("+996 555 123 456")))
        .expect("good");
    let (got, _) = code(f.app.client_update(
        &f.admin,
        good.id,
        &client("", Some("+996 555 999 999")),
    ));
    assert_eq!(got, ErrorCode::Required);
    let after = f.app.client_get(&f.admin, good.id).expect("get").client;
    assert_eq!(
        (after.fields.name.as_str(), after.fields.phone.as_deref()),
        ("Good", Some("+996555123456"))
    );
}

#[test]
fn emoji_arabic_and_quotes_survive_every_text_field() {
    let f = fixture();
    let input = ClientInput {
        name: WILD.into(),
        email: Some("o'brien+tour@example.com".into()),
        culture: CulturalContext {
            notes: WILD.into(),
            ..Default::default()
        },
        notes: format!("{WILD}\nвторая строка"),
        ..ClientInput::default()
    };
    let c = f.app.client_create(&f.admin, &input).expect("create");
    let back = f.app.client_get(&f.admin, c.id).expect("get").client;
    assert_eq!(back.fields.name, WILD);
    assert_eq!(back.fields.culture.notes, WILD);
    assert_eq!(back.fields.notes, format!("{WILD}\nвторая строка"));
    assert_eq!(
        back.fields.email.as_deref(),
        Some("o'brien+tour@example.com")
    );
    let found = f
        .app
        .client_list(
            &f.admin,
            &ClientQuery {
                search: Some("DROP TABLE".into()),
                ..Default::default()
            },
        )
        .expect("search");
    assert_eq!(found.total, 1);

    let mut t = tour(WILD);
    t.description = WILD.into();
    t.tags = vec!["حلال".into(), "🐎 horses".into()];
    let t = f.app.tour_create(&f.admin, &t).expect("tour");
    assert_eq!(
        f.app
            .tour_get(&f.admin, t.id)
            .expect("tour")
            .fields
            .description,
        WILD
    );
    let p = f
        .app
        .partner_create(
            &f.admin,
            &PartnerInput {
                name: WILD.into(),
                notes: WILD.into(),
                ..PartnerInput::default()
            },
        )
        .expect("partner");
    assert_eq!(
        f.app
            .partner_get(&f.admin, p.id)
            .expect("partner")
            .fields
            .name,
        WILD
    );
}

#[test]
fn bad_tour_input_is_refused() {
    let f = fixture();
    let cases: Vec<(TourInput, ErrorCode, &str)> = vec![
        (
            TourInput {
                price_minor: -1,
                ..tour("T")
            },
            ErrorCode::OutOfRange,
            "price_minor",
        ),
        (
            TourInput {
                currency: "DOLLARS".into(),
                ..tour("T")
            },
            ErrorCode::InvalidCurrency,
            "currency",
        ),
        (
            TourInput {
                currency: "".into(),
                ..tour("T")
            },
            ErrorCode::InvalidCurrency,
            "currency",
        ),
        (
            TourInput {
                duration_days: 0,
                ..tour("T")
            },
            ErrorCode::OutOfRange,
            "duration_days",
        ),
        (
            TourInput {
                group_min: 5,
                group_max: 2,
                ..tour("T")
            },
            ErrorCode::OutOfRange,
            "group_max",
        ),
        (
            TourInput {
                season_months: vec![13],
                ..tour("T")
            },
            ErrorCode::OutOfRange,
            "season_months",
        ),
        (
            TourInput {
                tags: vec!["".into()],
                ..tour("T")
            },
            ErrorCode::Required,
            "tags",
        ),
        (tour(""), ErrorCode::Required, "title"),
        (tour(&"t".repeat(10_000)), ErrorCode::TooLong, "title"),
    ];
    for (input, want, field) in cases {
        let (got, got_field) = code(f.app.tour_create(&f.admin, &input));
        assert_eq!((got, got_field.as_deref()), (want, Some(field)));
    }
    assert!(f.app.tour_list(&f.admin).expect("tours").is_empty());
    let t = f
        .app
        .tour_create(
            &f.admin,
            &TourInput {
                currency: "kgs".into(),
                ..tour("T")
            },
        )
        .expect("lower-case currency is fine");
    assert_eq!(t.fields.currency, "KGS");
    assert_eq!(t.fields.season_months, vec![6, 7]);
    assert_eq!(t.fields.tags, vec!["halal-friendly"]);
}

#[test]
fn bad_partner_and_user_input_is_refused() {
    let f = fixture();
    for (input, want, field) in [
        (
            PartnerInput {
                telegram_chat: Some("@ab".into()),
                ..partner("P")
            },
            ErrorCode::InvalidChoice,
            "telegram_chat",
        ),
        (
            PartnerInput {
                telegram_chat: Some("t.me/x y".into()),
                ..partner("P")
            },
            ErrorCode::InvalidChoice,
            "telegram_chat",
        ),
        (
            PartnerInput {
                phone: Some("12".into()),
                ..partner("P")
            },
            ErrorCode::InvalidPhone,
            "phone",
        ),
        (partner(""), ErrorCode::Required, "name"),
    ] {
        let (got, got_field) = code(f.app.partner_create(&f.admin, &input));
        assert_eq!((got, got_field.as_deref()), (want, Some(field)));
    }
    assert!(f.app.partner_list(&f.admin).expect("partners").is_empty());
    let user = |email: &str, password: &str| NewUser {
        name: "N".into(),
        email: email.into(),
        password: password.into(),
        role: Role::Manager,
    };
    assert_eq!(
        code(f.app.user_add(&f.admin, &user("bad", PASSWORD))).0,
        ErrorCode::InvalidEmail
    );
    assert_eq!(
        code(f.app.user_add(&f.admin, &user("ok@soul.kg", "short"))).0,
        ErrorCode::PasswordTooShort
    );
    assert_eq!(
        code(f.app.user_add(&f.admin, &user("ADMIN@soul.kg", PASSWORD))).0,
        ErrorCode::DuplicateEmail
    );
    assert_eq!(f.app.user_list(&f.admin).expect("users").len(), 1);
}

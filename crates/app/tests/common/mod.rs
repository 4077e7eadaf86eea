//! Shared test fixtures: a real data folder in a temp dir, a hand-moved clock, an organisation.
#![allow(dead_code)]

pub mod faults;
pub mod secrets;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tourdesk_app::core::client::ClientInput;
use tourdesk_app::core::org::{NewOrg, NewUser, Session};
use tourdesk_app::core::partner::PartnerInput;
use tourdesk_app::core::tour::{Difficulty, TourInput};
use tourdesk_app::core::Role;
use tourdesk_app::{App, ManualClock};

pub const PASSWORD: &str = "correct horse battery";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub app: App,
    pub admin: Session,
    pub recovery_code: String,
}

pub fn start_clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0)
            .single()
            .expect("valid date"),
    ))
}

pub fn open(dir: &std::path::Path, clock: &Arc<ManualClock>) -> App {
    App::open(dir, Box::new(clock.clone())).expect("open app")
}

pub fn new_org(app: &App, name: &str, email: &str) -> (Session, String) {
    let created = app
        .org_create_unchecked(&NewOrg {
            org_name: name.into(),
            admin_name: format!("{name} admin"),
            email: email.into(),
            password: PASSWORD.into(),
        })
        .expect("create organisation");
    (created.session, created.recovery_code)
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = start_clock();
    let app = open(dir.path(), &clock);
    let (admin, recovery_code) = new_org(&app, "Soul KG", "admin@soul.kg");
    Fixture {
        dir,
        clock,
        app,
        admin,
        recovery_code,
    }
}

pub fn add_manager(app: &App, admin: &Session, email: &str) -> Session {
    app.user_add(
        admin,
        &NewUser {
            name: "Бакыт".into(),
            email: email.into(),
            password: PASSWORD.into(),
            role: Role::Manager,
        },
    )
    .expect("add manager");
    app.sign_in(email, PASSWORD).expect("manager signs in")
}

pub fn client(name: &str, phone: Option<&str>) -> ClientInput {
    ClientInput {
        name: name.into(),
        phone: phone.map(String::from),
        ..ClientInput::default()
    }
}

pub fn tour(title: &str) -> TourInput {
    TourInput {
        title: title.into(),
        description: "Lake and yurts".into(),
        price_minor: 54_000,
        currency: "USD".into(),
        duration_days: 3,
        season_months: vec![7, 6],
        departures: vec![],
        difficulty: Difficulty::Moderate,
        group_min: 2,
        group_max: 10,
        tags: vec!["Halal-friendly".into()],
        active: true,
    }
}

pub fn partner(name: &str) -> PartnerInput {
    PartnerInput {
        name: name.into(),
        ..PartnerInput::default()
    }
}

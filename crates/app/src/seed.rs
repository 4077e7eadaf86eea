//! Demo and benchmark data: a realistic Kyrgyzstan tour operator, and bulk clients for speed
//! measurements. Both go through the same store functions the use cases use.

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tourdesk_core::client::{
    AddressForm, ClientInput, CulturalContext, Diet, StatusChange, StatusChangeInput,
};
use tourdesk_core::message::{ChatKind, Direction, MessageKind, NewMessage};
use tourdesk_core::org::{NewOrg, NewUser, OrgCreated};
use tourdesk_core::partner::{PartnerInput, PartnerKind};
use tourdesk_core::tour::{Difficulty, TourInput};
use tourdesk_core::{
    Actor, AppResult, ChatId, ClientId, FunnelStatus, HistoryId, Language, MessageId, Role,
};
use tourdesk_store::chats as chat_store;
use tourdesk_store::messages as message_store;
use tourdesk_store::{clients, history};

use crate::App;

/// The demo admin's password (printed by the CLI; a demo organisation only).
pub const DEMO_PASSWORD: &str = "demo-password-1";

/// One demo tour; the positional arguments read like a row of the demo catalogue table.
#[allow(clippy::too_many_arguments)]
fn tour(
    title: &str,
    desc: &str,
    usd: i64,
    days: u32,
    months: &[u8],
    diff: Difficulty,
    group: (u32, u32),
    tags: &[&str],
) -> TourInput {
    TourInput {
        title: title.into(),
        description: desc.into(),
        price_minor: usd * 100,
        currency: "USD".into(),
        duration_days: days,
        season_months: months.to_vec(),
        departures: Vec::new(),
        difficulty: diff,
        group_min: group.0,
        group_max: group.1,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        active: true,
    }
}

/// Creates the demo organisation "Soul KG": users, Kyrgyzstan tours, partners, and clients in all
/// seven languages with status histories. Returns the admin's session and recovery code.
pub fn seed_demo(app: &App, admin_email: &str) -> AppResult<OrgCreated> {
    let created = app.org_create(&NewOrg {
        org_name: "Soul KG".into(),
        admin_name: "Айгуль Токтогулова".into(),
        email: admin_email.into(),
        password: DEMO_PASSWORD.into(),
    })?;
    let s = &created.session;
    let domain = admin_email
        .split_once('@')
        .map(|(_, d)| d)
        .unwrap_or("soul.kg");
    let bakyt = app.user_add(
        s,
        &NewUser {
            name: "Бакыт Садыков".into(),
            email: format!("bakyt@{domain}"),
            password: DEMO_PASSWORD.into(),
            role: Role::Manager,
        },
    )?;
    let elena = app.user_add(
        s,
        &NewUser {
            name: "Elena Kim".into(),
            email: format!("elena@{domain}"),
            password: DEMO_PASSWORD.into(),
            role: Role::Manager,
        },
    )?;

    let mut song_kul = tour("Song-Kul horse trek", "Three days on horseback to the alpine lake Song-Kul, nights in yurts with a shepherd family.", 540, 3, &[6, 7, 8, 9], Difficulty::Moderate, (2, 10), &["horses", "yurts", "halal-friendly"]);
    song_kul.departures = [(2027, 6, 14), (2027, 7, 12), (2027, 8, 9)]
        .iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
        .collect();
    let tours = [
        song_kul,
        tour(
            "Ala-Archa day hike",
            "A day in the Ala-Archa gorge an hour from Bishkek, waterfall trail, picnic lunch.",
            85,
            1,
            &[5, 6, 7, 8, 9, 10],
            Difficulty::Easy,
            (1, 15),
            &["day trip", "family", "halal-friendly"],
        ),
        tour(
            "Issyk-Kul and the Tian Shan",
            "A week around lake Issyk-Kul: Jeti-Oguz, Karakol, hot springs, eagle hunters.",
            1250,
            7,
            &[5, 6, 7, 8, 9],
            Difficulty::Easy,
            (2, 16),
            &["lake", "culture", "halal-friendly", "vegetarian options"],
        ),
        tour(
            "Silk Road to Tash Rabat",
            "A 15th-century caravanserai near the Chinese border, Naryn and the Kel-Suu lake.",
            980,
            5,
            &[6, 7, 8, 9],
            Difficulty::Moderate,
            (2, 12),
            &["history", "silk road"],
        ),
        tour(
            "Lenin Peak base camp trek",
            "Trek to the 4 400 m advance camp under Lenin Peak with mountain guides.",
            1890,
            10,
            &[7, 8],
            Difficulty::Hard,
            (2, 8),
            &["mountains", "trekking"],
        ),
    ];
    let mut tour_ids = Vec::new();
    for t in &tours {
        tour_ids.push(app.tour_create(s, t)?.id);
    }
    let partners = [
        PartnerInput {
            name: "Азамат Жумабеков".into(),
            kind: PartnerKind::Guide,
            phone: Some("+996 700 111 222".into()),
            telegram_chat: Some("@azamat_guide".into()),
            languages: vec![Language::Ru, Language::En],
            notes: "Horse treks, Song-Kul".into(),
        },
        PartnerInput {
            name: "Нурлан (водитель)".into(),
            kind: PartnerKind::Driver,
            phone: Some("+996 555 333 444".into()),
            telegram_chat: None,
            languages: vec![Language::Ru],
            notes: "Toyota Alphard, 7 seats".into(),
        },
        PartnerInput {
            name: "Karakol Guest House".into(),
            kind: PartnerKind::Hotel,
            phone: Some("+996 3922 5 12 34".into()),
            telegram_chat: Some("-1001234567890".into()),
            languages: vec![Language::En, Language::Ru],
            notes: "Halal kitchen on request".into(),
        },
    ];
    let mut partner_ids = Vec::new();
    for p in &partners {
        partner_ids.push(app.partner_create(s, p)?.id);
    }
    struct Demo {
        name: &'static str,
        phone: &'static str,
        lang: Language,
        diet: Diet,
        address: AddressForm,
        tz: &'static str,
        notes: &'static str,
        path: &'static [(FunnelStatus, &'static str)],
    }
    let demos = [
        Demo {
            name: "Sarah Thompson",
            phone: "+44 7911 123456",
            lang: Language::En,
            diet: Diet::Vegetarian,
            address: AddressForm::Informal,
            tz: "Europe/London",
            notes: "Two adults, wants horses and yurts in July.",
            path: &[
                (FunnelStatus::Qualified, "Dates and group size confirmed"),
                (FunnelStatus::Warmed, "Sent photos of Song-Kul"),
            ],
        },
        Demo {
            name: "Дмитрий Орлов",
            phone: "+7 912 345 67 89",
            lang: Language::Ru,
            diet: Diet::None,
            address: AddressForm::Formal,
            tz: "Asia/Yekaterinburg",
            notes: "Группа 6 человек, август.",
            path: &[
                (FunnelStatus::Qualified, "Бюджет до 1500$ на человека"),
                (FunnelStatus::Warmed, "Обсудили маршрут"),
                (
                    FunnelStatus::ProposalSent,
                    "Отправлено предложение Issyk-Kul",
                ),
            ],
        },
        Demo {
            name: "محمد العتيبي",
            phone: "+966 50 123 4567",
            lang: Language::Ar,
            diet: Diet::Halal,
            address: AddressForm::Formal,
            tz: "Asia/Riyadh",
            notes: "عائلة من خمسة أشخاص، طعام حلال فقط",
            path: &[
                (FunnelStatus::Qualified, "Family of five, halal food"),
                (FunnelStatus::Warmed, "Asked about prayer times on the trek"),
                (FunnelStatus::ProposalSent, "Issyk-Kul week proposal"),
                (FunnelStatus::Negotiation, "Asks for a private driver"),
            ],
        },
        Demo {
            name: "Camille Dubois",
            phone: "+33 6 12 34 56 78",
            lang: Language::Fr,
            diet: Diet::Vegan,
            address: AddressForm::Formal,
            tz: "Europe/Paris",
            notes: "Vouvoiement. Voyage de noces en septembre.",
            path: &[
                (FunnelStatus::Qualified, "Honeymoon in September"),
                (FunnelStatus::Warmed, "Likes yurts"),
                (FunnelStatus::ProposalSent, "Song-Kul + Issyk-Kul"),
                (FunnelStatus::Negotiation, "Wants a discount"),
                (FunnelStatus::Sold, "Deposit paid"),
            ],
        },
        Demo {
            name: "Jonas Müller",
            phone: "+49 151 23456789",
            lang: Language::De,
            diet: Diet::None,
            address: AddressForm::Formal,
            tz: "Europe/Berlin",
            notes: "Bergsteiger, Lenin Peak.",
            path: &[
                (FunnelStatus::Qualified, "Experienced climber"),
                (FunnelStatus::Warmed, "Sent acclimatisation plan"),
                (FunnelStatus::ProposalSent, "Lenin Peak base camp"),
                (FunnelStatus::Negotiation, "Dates"),
                (FunnelStatus::Sold, "Paid in full"),
                (FunnelStatus::Service, "Airport transfer booked"),
            ],
        },
        Demo {
            name: "Lucía Fernández",
            phone: "+34 612 34 56 78",
            lang: Language::Es,
            diet: Diet::None,
            address: AddressForm::Informal,
            tz: "Europe/Madrid",
            notes: "Tutear. Viaja sola.",
            path: &[],
        },
        Demo {
            name: "Katarzyna Nowak",
            phone: "+48 512 345 678",
            lang: Language::Pl,
            diet: Diet::None,
            address: AddressForm::Formal,
            tz: "Europe/Warsaw",
            notes: "Pani Katarzyna, grupa 4 osoby.",
            path: &[(FunnelStatus::Qualified, "Group of four, June")],
        },
        Demo {
            name: "Aidan O'Brien",
            phone: "+1 415 555 2671",
            lang: Language::En,
            diet: Diet::None,
            address: AddressForm::Informal,
            tz: "America/Los_Angeles",
            notes: "Photographer, wants eagle hunters.",
            path: &[(FunnelStatus::Qualified, "Photo tour interest")],
        },
        Demo {
            name: "Анна Смирнова",
            phone: "+7 903 123 45 67",
            lang: Language::Ru,
            diet: Diet::Vegetarian,
            address: AddressForm::Informal,
            tz: "Europe/Moscow",
            notes: "",
            path: &[],
        },
        Demo {
            name: "فاطمة الزهراء",
            phone: "+971 50 765 4321",
            lang: Language::Ar,
            diet: Diet::Halal,
            address: AddressForm::Formal,
            tz: "Asia/Dubai",
            notes: "تفضل مرشدة",
            path: &[(FunnelStatus::Qualified, "Prefers a female guide")],
        },
    ];
    for (i, d) in demos.iter().enumerate() {
        let input = ClientInput {
            name: d.name.into(),
            phone: Some(d.phone.into()),
            email: None,
            language: d.lang,
            culture: CulturalContext {
                diet: d.diet,
                address: d.address,
                time_zone: Some(d.tz.into()),
                notes: String::new(),
            },
            notes: d.notes.into(),
            manager_id: Some(if i % 2 == 0 { bakyt.id } else { elena.id }),
            partner_id: if d.diet == Diet::Halal {
                partner_ids.get(2).copied()
            } else {
                partner_ids.first().copied()
            },
            tour_ids: vec![tour_ids[i % tour_ids.len()]],
        };
        let c = app.client_create(s, &input)?;
        for (to, reason) in d.path {
            app.client_change_status(
                s,
                &StatusChangeInput {
                    client_id: c.id,
                    to: *to,
                    reason: (*reason).into(),
                    evidence: None,
                },
            )?;
        }
    }
    Ok(created)
}

const FIRST: [&str; 14] = [
    "Aibek",
    "Sarah",
    "Дмитрий",
    "محمد",
    "Camille",
    "Jonas",
    "Lucía",
    "Katarzyna",
    "Анна",
    "Omar",
    "Léa",
    "Piotr",
    "Nurlan",
    "Emma",
];
const LAST: [&str; 12] = [
    "Smith",
    "Иванов",
    "العتيبي",
    "Dubois",
    "Müller",
    "García",
    "Nowak",
    "Kim",
    "Абдыкадыров",
    "Martin",
    "Schmidt",
    "Kowalski",
];

/// Adds `n_clients` clients and `n_changes` status changes to the session's organisation in a
/// few large transactions, with a fixed random seed. Returns the new client ids.
pub fn seed_bench(
    app: &App,
    s: &crate::Session,
    n_clients: u32,
    n_changes: u32,
) -> AppResult<Vec<ClientId>> {
    let a = app.actor(s)?;
    let mut rng = StdRng::seed_from_u64(7);
    let start = app.now() - Duration::days(365);
    let mut ids = Vec::with_capacity(n_clients as usize);
    let mut statuses = Vec::with_capacity(n_clients as usize);
    for chunk in (0..n_clients).collect::<Vec<_>>().chunks(5000) {
        app.store.write(|tx| {
            for &i in chunk {
                let id = ClientId(app.new_uuid());
                let lang = Language::ALL[(i % 7) as usize];
                let f = ClientInput {
                    name: format!(
                        "{} {} {i}",
                        FIRST[rng.gen_range(0..FIRST.len())],
                        LAST[rng.gen_range(0..LAST.len())]
                    ),
                    phone: Some(format!("+99655{:07}", i)),
                    email: Some(format!("client{i}@example.com")),
                    language: lang,
                    ..ClientInput::default()
                };
                let at = start + Duration::minutes(i64::from(i) * 20);
                clients::insert(tx, a.tenant, id, &f, FunnelStatus::NewLead, at)?;
                ids.push(id);
                statuses.push(FunnelStatus::NewLead);
            }
            Ok(())
        })?;
    }
    if ids.is_empty() {
        return Ok(ids);
    }
    let mut done = 0u32;
    while done < n_changes {
        let batch = (n_changes - done).min(20_000);
        app.store.write(|tx| {
            for k in 0..batch {
                let idx = rng.gen_range(0..ids.len());
                let from = statuses[idx];
                let to = FunnelStatus::ALL[(from.rank() + 1 + rng.gen_range(0..6)) % 7];
                let at = start + Duration::seconds(i64::from(done + k) * 60);
                history::insert(
                    tx,
                    a.tenant,
                    &StatusChange {
                        id: HistoryId(app.new_uuid()),
                        client_id: ids[idx],
                        from: Some(from),
                        to,
                        at,
                        actor: if k % 3 == 0 {
                            Actor::Agent("qualification".into())
                        } else {
                            Actor::User(a.user)
                        },
                        actor_name: None,
                        reason: "bench".into(),
                        evidence: None,
                    },
                )?;
                clients::set_status(tx, a.tenant, ids[idx], to, at)?;
                statuses[idx] = to;
            }
            Ok(())
        })?;
        done += batch;
    }
    Ok(ids)
}

/// Words the benchmark messages are made of: seven languages, accents, Cyrillic and Arabic.
const MESSAGE_WORDS: &[&str] = &[
    "hello",
    "tour",
    "price",
    "dates",
    "hotel",
    "horse",
    "trek",
    "lake",
    "yurt",
    "guide",
    "thanks",
    "tomorrow",
    "booking",
    "deposit",
    "visa",
    "airport",
    "transfer",
    "group",
    "family",
    "здравствуйте",
    "тур",
    "цена",
    "озеро",
    "Иссык-Куль",
    "юрта",
    "спасибо",
    "бронь",
    "гид",
    "завтра",
    "лошади",
    "Bonjour",
    "séjour",
    "hôtel",
    "réservation",
    "déjà",
    "café",
    "très",
    "Grüß",
    "Reise",
    "Übernachtung",
    "mañana",
    "excursión",
    "niño",
    "merhaba",
    "teşekkürler",
    "مرحبا",
    "رحلة",
    "السعر",
    "شكرا",
    "فندق",
    "Song-Kul",
    "Karakol",
    "Bishkek",
    "Osh",
    "2026",
];

/// Bulk benchmark inbox: `n_chats` one-to-one chats (the first ones linked to `clients`, one
/// each) and `n_messages` messages spread over them, written through the store in large
/// transactions, then every chat's latest message and unread count is computed once.
/// Returns the chat ids.
pub fn seed_messages(
    app: &App,
    s: &crate::Session,
    n_chats: u32,
    n_messages: u32,
    clients: &[ClientId],
) -> AppResult<Vec<ChatId>> {
    let a = app.actor(s)?;
    let mut rng = StdRng::seed_from_u64(11);
    let start = app.now() - Duration::days(365);
    let mut chats = Vec::with_capacity(n_chats as usize);
    app.store.write(|tx| {
        for i in 0..n_chats {
            let id = ChatId(app.new_uuid());
            let wa = format!("99670{:07}@c.us", i);
            let title = format!(
                "{} {}",
                FIRST[rng.gen_range(0..FIRST.len())],
                LAST[rng.gen_range(0..LAST.len())]
            );
            let client = clients.get(i as usize).copied();
            chat_store::insert(
                tx,
                a.tenant,
                id,
                &wa,
                ChatKind::OneToOne,
                &title,
                client,
                start,
            )?;
            chats.push(id);
        }
        Ok(())
    })?;
    if chats.is_empty() {
        return Ok(chats);
    }
    let step_ms = (365 * 24 * 3600 * 1000 / i64::from(n_messages.max(1))).max(1);
    let mut done = 0u32;
    while done < n_messages {
        let batch = (n_messages - done).min(100_000);
        app.store.write(|tx| {
            for i in done..done + batch {
                let chat = chats[rng.gen_range(0..chats.len())];
                let words = rng.gen_range(3..15);
                let mut body = String::new();
                for _ in 0..words {
                    if !body.is_empty() {
                        body.push(' ');
                    }
                    body.push_str(MESSAGE_WORDS[rng.gen_range(0..MESSAGE_WORDS.len())]);
                }
                let m = NewMessage {
                    wa_message_id: Some(format!("996700000000:0:BENCH{i:09}")),
                    direction: if rng.gen_bool(0.6) {
                        Direction::In
                    } else {
                        Direction::Out
                    },
                    sent_at: start + Duration::milliseconds(i64::from(i) * step_ms),
                    kind: MessageKind::Text,
                    body,
                    ..NewMessage::default()
                };
                message_store::insert(tx, a.tenant, MessageId(app.new_uuid()), chat, &m)?;
            }
            Ok(())
        })?;
        done += batch;
    }
    app.store
        .write(|tx| chat_store::refresh_all(tx, a.tenant))?;
    Ok(chats)
}

//! Exactly-once sending across crashes: 50 queued messages, the headless host
//! (`tourdesk-cli wa-host`, the same core as the desktop) killed with SIGKILL at random moments
//! at least ten times (at least five of them while a row is `sending`), then left to finish. The fake WhatsApp side (its state file survives
//! every kill) must show no message delivered twice, every message delivered or left
//! `unconfirmed` for the manager, and never more than 20 sends in any rate window (scaled down
//! to 3 s so the test does not wait for minutes).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use tourdesk_app::core::message::ChatFilter;
use tourdesk_app::core::org::NewOrg;
use tourdesk_app::core::whatsapp::{SendInput, SendStatus};
use tourdesk_app::core::TenantId;
use tourdesk_app::{App, Session, SystemClock};

const WINDOW_MS: u64 = 3_000;
const LIMIT: usize = 20;
const MESSAGES: usize = 50;
const KILLS: usize = 12;

fn cli() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tourdesk-cli"))
}

fn open(dir: &Path) -> App {
    App::open(dir, Box::new(SystemClock)).expect("open app")
}

fn sign_in(app: &App) -> Session {
    app.sign_in("admin@exactly.once", "exactly once 123")
        .expect("sign in")
}

fn start_host(dir: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("host log");
    Command::new(cli())
        .arg("--data-dir")
        .arg(dir)
        .args([
            "wa-host",
            "--adapter",
            "fake",
            "--fake-auto-scan",
            "--rate-window-ms",
            &WINDOW_MS.to_string(),
            "--gap-ms",
            "0-25",
            "--retry-base-ms",
            "200",
            "--adapter-options",
            r#"{"send_latency_ms":60,"qr_rotate_ms":0}"#,
        ])
        .env("TOURDESK_LOG", "info")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start the headless host")
}

fn wa_world(dir: &Path) -> serde_json::Value {
    let root = dir.join("whatsapp");
    let account = std::fs::read_dir(&root)
        .expect("account folder")
        .flatten()
        .next()
        .expect("one account")
        .path();
    let text = std::fs::read_to_string(account.join("fake-whatsapp.json")).expect("fake state");
    serde_json::from_str(&text).expect("fake state JSON")
}

/// Every outgoing message of the organisation: body → (status, wa id).
fn our_messages(app: &App, s: &Session) -> BTreeMap<String, (Option<SendStatus>, Option<String>)> {
    let mut out = BTreeMap::new();
    let chats = app
        .chat_list(
            s,
            &ChatFilter {
                limit: 200,
                ..ChatFilter::default()
            },
        )
        .expect("chats");
    for chat in chats {
        for m in app.chat_messages(s, chat.id, None, 200).expect("messages") {
            if m.direction == tourdesk_app::core::message::Direction::Out {
                let prev = out.insert(m.body.clone(), (m.status, m.wa_message_id.clone()));
                assert!(prev.is_none(), "the conversation shows {:?} twice", m.body);
            }
        }
    }
    out
}

fn pending(app: &App, s: &Session) -> usize {
    our_messages(app, s)
        .values()
        .filter(|(st, _)| matches!(st, Some(SendStatus::Queued | SendStatus::Sending)))
        .count()
}

/// Outbox rows in `sending`: after a kill, the hand-overs it interrupted.
fn in_sending(app: &App, tenant: TenantId) -> usize {
    app.outbox_in_sending(tenant)
        .expect("rows in sending")
        .len()
}

fn kill_hard(child: &mut Child) {
    // Child::kill is SIGKILL on Unix: no clean-up runs in the host.
    child.kill().expect("SIGKILL the host");
    child.wait().expect("reap the host");
}

#[test]
fn messages_survive_repeated_sigkills_without_double_sends_or_rate_bursts() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    let log = tmp.path().join("host.log");
    {
        let app = open(&dir);
        app.org_create_unchecked(&NewOrg {
            org_name: "Exactly once".into(),
            admin_name: "Admin".into(),
            email: "admin@exactly.once".into(),
            password: "exactly once 123".into(),
        })
        .expect("organisation");
        let s = sign_in(&app);
        for i in 0..MESSAGES {
            let phone = format!("+99655500{:04}", i % 5);
            app.message_send(
                &s,
                &SendInput {
                    phone: Some(phone),
                    body: format!("Tour offer #{i:02}: Issyk-Kul, 3 days"),
                    ..SendInput::default()
                },
            )
            .expect("queue a message");
        }
    }

    let mut rng = rand::rngs::StdRng::seed_from_u64(0x7d0c_5eed);
    let watch = open(&dir);
    let tenant = watch
        .folder_org()
        .expect("tenant")
        .expect("the organisation");
    let mut kills = 0;
    let mut kills_while_sending = 0;
    let started = Instant::now();
    while kills < KILLS {
        let mut host = start_host(&dir, &log);
        std::thread::sleep(Duration::from_millis(rng.gen_range(250..1_400)));
        // Every other kill waits for a hand-over in flight, so the hardest moment is hit often.
        if kills % 2 == 1 {
            let until = Instant::now() + Duration::from_secs(5);
            while in_sending(&watch, tenant) == 0 && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        kill_hard(&mut host);
        kills += 1;
        // What the database holds after the kill says where it landed.
        if in_sending(&watch, tenant) > 0 {
            kills_while_sending += 1;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "kill loop overran"
        );
    }
    assert!(
        kills_while_sending >= 5,
        "only {kills_while_sending} of {kills} kills landed while a row was `sending`"
    );

    // Left alone, the host finishes the queue.
    let mut host = start_host(&dir, &log);
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        std::thread::sleep(Duration::from_millis(500));
        let app = open(&dir);
        let s = sign_in(&app);
        if pending(&app, &s) == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the queue did not drain; see {}",
            log.display()
        );
    }
    drop(host.stdin.take()); // stdin closes: the host stops cleanly
    let status = host.wait().expect("host exits");
    assert!(status.success(), "the host exits cleanly when stdin closes");

    let world = wa_world(&dir);
    let delivered: Vec<&serde_json::Value> = world["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["via"] == "api")
        .collect();
    let mut by_body: HashMap<String, Vec<String>> = HashMap::new();
    for m in &delivered {
        let body = m["body"].as_str().expect("body").to_string();
        let id = m["id"].as_str().expect("id").to_string();
        by_body.entry(body).or_default().push(id);
    }
    for (body, ids) in &by_body {
        assert_eq!(ids.len(), 1, "{body:?} was delivered {} times", ids.len());
    }

    let app = open(&dir);
    let s = sign_in(&app);
    let ours = our_messages(&app, &s);
    assert_eq!(ours.len(), MESSAGES);
    let mut unconfirmed = 0;
    for (body, (status, wa)) in &ours {
        match status {
            Some(SendStatus::Sent | SendStatus::Delivered | SendStatus::Read) => {
                let ids = by_body
                    .get(body)
                    .unwrap_or_else(|| panic!("{body:?} marked sent but WhatsApp never got it"));
                let wa = wa
                    .as_deref()
                    .expect("a sent message records its WhatsApp id");
                assert!(
                    wa.ends_with(&format!(":{}", ids[0])),
                    "{body:?}: recorded {wa}, delivered {}",
                    ids[0]
                );
            }
            Some(SendStatus::Unconfirmed) => unconfirmed += 1,
            other => panic!("{body:?} ended as {other:?}"),
        }
    }
    for body in by_body.keys() {
        assert!(
            ours.contains_key(body),
            "WhatsApp got {body:?}, which we never queued"
        );
    }

    let mut times: Vec<u64> = world["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["via"] == "api")
        .map(|m| m["sent_at_ms"].as_u64().expect("send time in ms"))
        .collect();
    times.sort_unstable();
    for (i, t) in times.iter().enumerate() {
        let in_window = times[i..]
            .iter()
            .take_while(|u| **u < t + WINDOW_MS)
            .count();
        assert!(
            in_window <= LIMIT,
            "{in_window} sends within {WINDOW_MS} ms from {t}"
        );
    }
    eprintln!(
        "{kills} kills ({kills_while_sending} while sending); delivered {} of {MESSAGES}, {unconfirmed} unconfirmed (left for the manager)",
        by_body.len()
    );
}

//! The catch-up after a reconnect, end to end: the REAL Node sidecar with the FAKE adapter (its
//! WhatsApp side in `<wa_dir>/fake-whatsapp.json`, each `fetch_messages` slowed down as the real
//! one is by loading from the phone), under the real supervisor, through [`WaHost`], on a real
//! temp data folder. A live message is stored and told to the UI within a second while a
//! 500-message backfill runs; the backfill pages back past the newest stored message; a message
//! delivered late with an older time is stored; the badge shows the progress.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tourdesk_app::core::message::ChatFilter;
use tourdesk_app::core::org::NewOrg;
use tourdesk_app::core::whatsapp::{InboxChange, SyncProgress, WaStatus};
use tourdesk_app::core::{AppError, ChatId, TenantId};
use tourdesk_app::{App, Session, SystemClock};
use tourdesk_wahost::{find_sidecar, HostConfig, HostListener, WaHost, FIRST_PAGE};
use tourdesk_whatsapp::{find_node, AdapterKind};

/// Deadline for the fake's set-up steps on a loaded machine.
const T: Duration = Duration::from_secs(20);
/// How long one `fetch_messages` takes on the fake WhatsApp side.
const FETCH_LATENCY_MS: u64 = 400;
const AIGUL: &str = "+79161234567";
const AIGUL_CHAT: &str = "79161234567@c.us";

/// What the UI is told, with the time it was told.
#[derive(Default)]
struct Told {
    statuses: Mutex<Vec<WaStatus>>,
    inbox: Mutex<Vec<(Instant, InboxChange)>>,
}

impl HostListener for Told {
    fn status_changed(&self, status: &WaStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
    fn inbox_changed(&self, change: &InboxChange) {
        self.inbox
            .lock()
            .unwrap()
            .push((Instant::now(), change.clone()));
    }
}

impl Told {
    fn progress(&self) -> Vec<Option<SyncProgress>> {
        self.statuses
            .lock()
            .unwrap()
            .iter()
            .map(|s| s.sync)
            .collect()
    }
    /// When the UI was first told about something in `chat`.
    fn told_at(&self, chat: ChatId) -> Option<Instant> {
        let inbox = self.inbox.lock().unwrap();
        inbox
            .iter()
            .find(|(_, c)| c.chat_id == Some(chat))
            .map(|(t, _)| *t)
    }
}

struct World {
    _tmp: tempfile::TempDir,
    app: Arc<App>,
    admin: Session,
    tenant: TenantId,
}

fn world() -> World {
    let tmp = tempfile::tempdir().expect("temp dir");
    let app = Arc::new(App::open(&tmp.path().join("data"), Box::new(SystemClock)).expect("open"));
    let admin = app
        .org_create_unchecked(&NewOrg {
            org_name: "Soul KG".into(),
            admin_name: "Admin".into(),
            email: "admin@backfill.test".into(),
            password: "correct horse battery".into(),
        })
        .expect("organisation")
        .session;
    World {
        tenant: admin.tenant_id,
        _tmp: tmp,
        app,
        admin,
    }
}

impl World {
    fn host(&self) -> (WaHost, Arc<Told>) {
        let wa_dir = self
            .app
            .data_dir()
            .join("whatsapp")
            .join(self.tenant.to_string());
        let mut c = HostConfig::new(
            find_node().expect("Node.js must be installed for these tests"),
            find_sidecar(None).expect("the sidecar script"),
            wa_dir,
            self.app.media_dir().join("in"),
        );
        c.adapter = AdapterKind::Fake;
        c.adapter_options = obj(json!({"qr_rotate_ms": 0, "fetch_latency_ms": FETCH_LATENCY_MS}));
        let told = Arc::new(Told::default());
        (
            WaHost::new(self.app.clone(), self.tenant, c, told.clone()),
            told,
        )
    }

    fn chat(&self, wa_chat_id: &str) -> Option<ChatId> {
        let filter = ChatFilter {
            limit: 200,
            ..ChatFilter::default()
        };
        self.app
            .chat_list(&self.admin, &filter)
            .expect("chat list")
            .into_iter()
            .find(|c| c.wa_chat_id == wa_chat_id)
            .map(|c| c.id)
    }

    /// The bodies stored in a chat, counted in the database itself.
    fn bodies(&self, chat: ChatId) -> Vec<String> {
        self.app
            .store()
            .read(|c| {
                let mut st = c
                    .prepare("SELECT body FROM messages WHERE tenant_id = ?1 AND chat_id = ?2")
                    .map_err(AppError::storage)?;
                let rows = st
                    .query_map([self.tenant.to_string(), chat.to_string()], |r| {
                        r.get("body")
                    })
                    .and_then(|r| r.collect::<Result<Vec<String>, _>>())
                    .map_err(AppError::storage);
                rows
            })
            .expect("bodies")
    }
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

async fn until(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !cond() {
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    true
}

async fn cue(host: &WaHost, kind: &str, params: Value) -> Value {
    host.supervisor()
        .fake(kind, obj(params))
        .await
        .unwrap_or_else(|e| panic!("{kind} refused: {e}"))
}

async fn ready(host: &WaHost) {
    let is = |name: &str| host.status().state.name() == name;
    assert!(
        until(T, || is("ready") || is("qr")).await,
        "no QR and not ready: {:?}",
        host.status()
    );
    if is("qr") {
        cue(host, "fake_scan", json!({})).await;
    }
    assert!(
        until(T, || is("ready")).await,
        "not ready: {:?}",
        host.status()
    );
}

/// Linked and ready, with one message from Aigul stored live; returns her chat.
async fn linked_with_aigul(w: &World, host: &WaHost) -> ChatId {
    host.connect().await.expect("connect");
    ready(host).await;
    cue(
        host,
        "fake_incoming",
        json!({"from": AIGUL, "name": "Aigul", "text": "Здравствуйте!"}),
    )
    .await;
    assert!(
        until(T, || w.chat(AIGUL_CHAT).is_some()).await,
        "Aigul's message was not stored"
    );
    w.chat(AIGUL_CHAT).expect("Aigul's chat")
}

/// The network drops, `messages` happen on WhatsApp's side only, the network comes back.
async fn away_and_back(host: &WaHost, meanwhile: impl std::future::Future<Output = ()>) {
    cue(host, "fake_drop", json!({})).await;
    assert!(until(T, || host.status().state.name() == "degraded").await);
    meanwhile.await;
    cue(host, "fake_reconnect", json!({})).await;
    ready(host).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_message_is_stored_and_shown_within_a_second_while_500_missed_ones_are_backfilled() {
    let w = world();
    let (host, told) = w.host();
    let aigul = linked_with_aigul(&w, &host).await;
    let backlog = 500;
    assert!(
        backlog > FIRST_PAGE as usize * 4,
        "the backlog needs several pages"
    );
    let mark = told.progress().len();
    away_and_back(&host, async {
        let r = cue(
            &host,
            "fake_backlog",
            json!({"from": AIGUL, "name": "Aigul", "count": backlog, "text": "Пропущенное"}),
        )
        .await;
        assert_eq!(r["count"], backlog);
    })
    .await;
    assert!(
        until(T, || host.status().sync.is_some()).await,
        "the backfill did not start: {:?}",
        told.progress()
    );

    // A new client writes while the backfill pages through Aigul's chat.
    let sent = Instant::now();
    cue(
        &host,
        "fake_incoming",
        json!({"from": "+79035550202", "name": "Olga", "text": "Срочно: тур на завтра"}),
    )
    .await;
    assert!(
        until(Duration::from_secs(1), || w
            .chat("79035550202@c.us")
            .is_some())
        .await,
        "the live message was not stored within 1 s"
    );
    let olga = w.chat("79035550202@c.us").expect("Olga's chat");
    let shown = told
        .told_at(olga)
        .expect("the UI was told about Olga's message");
    assert!(
        shown - sent <= Duration::from_secs(1),
        "shown after {:?}",
        shown - sent
    );
    eprintln!(
        "the live message was shown {:?} after it was sent",
        shown - sent
    );
    assert!(
        host.status().sync.is_some(),
        "the backfill was already over, so this proves nothing: {:?}",
        told.progress()
    );
    assert!(
        w.bodies(aigul).len() < backlog + 1,
        "the backfill had stored everything before the live message"
    );

    // The backfill pages on to the newest stored message and stores each missed one once.
    assert!(
        until(T, || host.status().sync.is_none()).await,
        "the backfill did not finish"
    );
    let bodies = w.bodies(aigul);
    assert_eq!(bodies.len(), backlog + 1, "missed messages lost or doubled");
    for i in 1..=backlog {
        assert_eq!(
            bodies
                .iter()
                .filter(|b| **b == format!("Пропущенное {i}"))
                .count(),
            1,
            "message {i}"
        );
    }
    let progress: Vec<SyncProgress> = told.progress()[mark..].iter().flatten().copied().collect();
    assert!(
        progress.contains(&SyncProgress { done: 0, total: 1 }),
        "the badge was not told the progress: {progress:?}"
    );
    assert_eq!(
        told.progress().last(),
        Some(&None),
        "the badge still says syncing"
    );
    host.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_delivered_late_with_an_older_time_is_stored_and_nothing_twice() {
    let w = world();
    let (host, told) = w.host();
    let aigul = linked_with_aigul(&w, &host).await;
    let an_hour_ago = chrono::Utc::now().timestamp() - 3600;
    away_and_back(&host, async {
        let r = cue(
            &host,
            "fake_incoming",
            json!({"from": AIGUL, "name": "Aigul", "text": "Написано час назад", "timestamp": an_hour_ago, "offline": true}),
        )
        .await;
        assert_eq!(r["emitted"], false);
    })
    .await;
    assert!(
        until(T, || w.bodies(aigul).len() == 2).await,
        "the late message was skipped: {:?}",
        w.bodies(aigul)
    );
    assert!(until(T, || host.status().sync.is_none()).await);

    // Another reconnect reads the same page again: the stable ids keep it from doubling.
    let mark = told.progress().len();
    away_and_back(&host, async {}).await;
    let ran_and_ended = || {
        let p = told.progress();
        p[mark..].iter().any(Option::is_some) && p.last() == Some(&None)
    };
    assert!(
        until(T, ran_and_ended).await,
        "no second backfill: {:?}",
        told.progress()
    );
    assert_eq!(w.bodies(aigul).len(), 2, "{:?}", w.bodies(aigul));
    host.shutdown().await;
}

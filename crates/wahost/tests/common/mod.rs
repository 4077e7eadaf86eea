//! Helpers for the host tests: a data folder with an organisation, a host on the REAL Node
//! sidecar with the FAKE adapter, a recorder of what the UI is told, and bounded waits.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tourdesk_app::core::message::{ChatFilter, ChatRow, Message};
use tourdesk_app::core::org::NewOrg;
use tourdesk_app::core::whatsapp::{InboxChange, SendInput, WaState, WaStatus};
use tourdesk_app::core::{AppError, ChatId, MessageId, TenantId};
use tourdesk_app::{App, Session, SystemClock};
use tourdesk_wahost::{find_sidecar, HostConfig, HostListener, WaHost, LINKED_MARKER};
use tourdesk_whatsapp::{find_node, AdapterKind};

/// Deadline for anything the fake does (it answers in milliseconds; the slack is for a loaded
/// machine running several sidecars at once).
pub const T: Duration = Duration::from_secs(15);

pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
}

// ---- what the UI is told ----

/// A listener that records every status and inbox change, as the UI would receive them.
#[derive(Default)]
pub struct Recorder {
    pub statuses: Mutex<Vec<WaStatus>>,
    pub inbox: Mutex<Vec<InboxChange>>,
}

impl HostListener for Recorder {
    fn status_changed(&self, status: &WaStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
    fn inbox_changed(&self, change: &InboxChange) {
        self.inbox.lock().unwrap().push(change.clone());
    }
}

impl Recorder {
    /// How many statuses were recorded so far (a mark for [`Recorder::states_since`]).
    pub fn mark(&self) -> usize {
        self.statuses.lock().unwrap().len()
    }

    /// The states told to the UI from `mark` on, in order.
    pub fn states_since(&self, mark: usize) -> Vec<WaState> {
        self.statuses.lock().unwrap()[mark..]
            .iter()
            .map(|s| s.state.clone())
            .collect()
    }

    pub fn state_names_since(&self, mark: usize) -> Vec<&'static str> {
        self.states_since(mark).iter().map(WaState::name).collect()
    }

    pub fn saw_state(&self, mark: usize, name: &str) -> bool {
        self.state_names_since(mark).contains(&name)
    }

    pub fn inbox(&self) -> Vec<InboxChange> {
        self.inbox.lock().unwrap().clone()
    }
}

// ---- a data folder with an organisation, and a host on it ----

pub struct World {
    pub _tmp: tempfile::TempDir,
    pub app: Arc<App>,
    pub admin: Session,
    pub tenant: TenantId,
    pub wa_dir: PathBuf,
}

pub const EMAIL: &str = "admin@host.test";
pub const PASSWORD: &str = "correct horse battery";

pub fn world() -> World {
    init_tracing();
    let tmp = tempfile::tempdir().expect("temp dir");
    let data = tmp.path().join("data");
    let app = Arc::new(App::open(&data, Box::new(SystemClock)).expect("open app"));
    let created = app
        .org_create_unchecked(&NewOrg {
            org_name: "Soul KG".into(),
            admin_name: "Admin".into(),
            email: EMAIL.into(),
            password: PASSWORD.into(),
        })
        .expect("organisation");
    let tenant = created.session.tenant_id;
    let wa_dir = data.join("whatsapp").join(tenant.to_string());
    World {
        _tmp: tmp,
        app,
        admin: created.session,
        tenant,
        wa_dir,
    }
}

impl World {
    /// Fake adapter, QR rotation off, short gaps and back-off.
    pub fn config(&self) -> HostConfig {
        let node = find_node().expect("Node.js must be installed for these tests");
        let script = find_sidecar(None).expect("the sidecar script");
        let mut c = HostConfig::new(
            node,
            script,
            self.wa_dir.clone(),
            self.app.media_dir().join("in"),
        );
        c.adapter = AdapterKind::Fake;
        c.adapter_options = obj(json!({"qr_rotate_ms": 0}));
        c.gap_ms = (0, 10);
        c.retry_base = Duration::from_millis(100);
        c
    }

    pub fn host(&self, config: HostConfig) -> (WaHost, Arc<Recorder>) {
        let rec = Arc::new(Recorder::default());
        let host = WaHost::new(self.app.clone(), self.tenant, config, rec.clone());
        (host, rec)
    }

    /// A fresh session, as a user of the app would have (proves the data is visible through
    /// the ordinary signed-in path).
    pub fn session(&self) -> Session {
        self.app.sign_in(EMAIL, PASSWORD).expect("sign in")
    }

    pub fn marker(&self) -> PathBuf {
        self.wa_dir.join(LINKED_MARKER)
    }

    pub fn chats(&self) -> Vec<ChatRow> {
        self.app
            .chat_list(
                &self.session(),
                &ChatFilter {
                    limit: 200,
                    ..ChatFilter::default()
                },
            )
            .expect("chat list")
    }

    pub fn chat(&self, wa_chat_id: &str) -> Option<ChatRow> {
        self.chats()
            .into_iter()
            .find(|c| c.wa_chat_id == wa_chat_id)
    }

    /// A chat's messages, newest first.
    pub fn messages(&self, chat: ChatId) -> Vec<Message> {
        self.app
            .chat_messages(&self.session(), chat, None, 200)
            .expect("chat messages")
    }

    pub fn message(&self, chat: ChatId, id: MessageId) -> Option<Message> {
        self.messages(chat).into_iter().find(|m| m.id == id)
    }

    /// Rows in `messages` for a chat, counted in the database itself.
    pub fn count_rows(&self, chat: ChatId) -> i64 {
        self.app
            .store()
            .read(|c| {
                c.query_row(
                    "SELECT count(*) FROM messages WHERE tenant_id = ?1 AND chat_id = ?2",
                    [self.tenant.to_string(), chat.to_string()],
                    |r| r.get(0),
                )
                .map_err(AppError::storage)
            })
            .expect("count messages")
    }

    pub fn send(&self, input: SendInput) -> Message {
        self.app
            .message_send(&self.admin, &input)
            .expect("queue a message")
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

pub fn to_chat(chat: ChatId, body: &str) -> SendInput {
    SendInput {
        chat_id: Some(chat),
        body: body.into(),
        ..SendInput::default()
    }
}

pub fn to_phone(phone: &str, body: &str) -> SendInput {
    SendInput {
        phone: Some(phone.into()),
        body: body.into(),
        ..SendInput::default()
    }
}

// ---- waiting ----

/// Polls `cond` until it holds or `limit` passes; true when it held.
pub async fn wait_for(limit: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

pub fn state(host: &WaHost) -> WaState {
    host.status().state
}

pub async fn wait_state(host: &WaHost, name: &str) {
    assert!(
        wait_for(T, || state(host).name() == name).await,
        "state {name} not reached within {T:?}; the state is {:?}",
        state(host)
    );
}

/// A `fake_*` cue; panics when the sidecar refuses it.
pub async fn fake(host: &WaHost, kind: &str, params: Value) -> Value {
    host.supervisor()
        .fake(kind, obj(params))
        .await
        .unwrap_or_else(|e| panic!("{kind} refused: {e}"))
}

/// The fake WhatsApp side's summary (`fake_state`).
pub async fn fake_state(host: &WaHost) -> Value {
    fake(host, "fake_state", json!({})).await
}

/// How many times the fake WhatsApp got a message with this text from us.
pub async fn delivered(host: &WaHost, body: &str) -> u64 {
    fake_state(host).await["delivered_by_text"][body]
        .as_u64()
        .unwrap_or(0)
}

/// A contact writes to us; returns the stable id WhatsApp gave the message.
pub async fn incoming(host: &WaHost, params: Value) -> String {
    let r = fake(host, "fake_incoming", params).await;
    r["wa_id"]["stable"]
        .as_str()
        .expect("stable id of the incoming message")
        .to_string()
}

/// Connects and, when a QR is shown, lets the phone scan it; returns once ready.
pub async fn connect_ready(host: &WaHost) {
    host.connect().await.expect("connect");
    assert!(
        wait_for(T, || matches!(
            state(host),
            WaState::Qr { .. } | WaState::Ready { .. }
        ))
        .await,
        "neither a QR nor ready; the state is {:?}",
        state(host)
    );
    if matches!(state(host), WaState::Qr { .. }) {
        fake(host, "fake_scan", json!({})).await;
    }
    wait_state(host, "ready").await;
}

/// The contact of most tests.
pub const AIGUL: &str = "+79161234567";
pub const AIGUL_CHAT: &str = "79161234567@c.us";

/// Ready, with one message from Aigul stored; returns her chat.
pub async fn ready_with_aigul(w: &World, host: &WaHost) -> ChatRow {
    connect_ready(host).await;
    incoming(
        host,
        json!({"from": AIGUL, "name": "Aigul", "text": "Здравствуйте! Тур на Иссык-Куль?"}),
    )
    .await;
    assert!(
        wait_for(T, || w.chat(AIGUL_CHAT).is_some()).await,
        "Aigul's message was not stored"
    );
    w.chat(AIGUL_CHAT).expect("Aigul's chat")
}

pub fn pids_of(dir: &Path) -> Vec<u32> {
    tourdesk_whatsapp::pids_mentioning(&dir.display().to_string())
}

//! The chat translator against a loopback mock of an OpenAI-compatible server: inbound messages
//! translated once and then read from the cache, every provider fault leaving the message
//! readable with its error code and a working retry, the reply preview with back-translation,
//! preserved tokens and flagged values, the client's formality reaching the prompt, sending
//! with the manager's own text kept, and organisations kept apart.

mod common;

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Duration as Span;
use common::*;
use tourdesk_ai::translate::Protector;
use tourdesk_app::core::ai::{AiFailure, AiPreset, AiSettings};
use tourdesk_app::core::client::{AddressForm, ClientInput};
use tourdesk_app::core::message::{ChatKind, Direction, Message, MessageKind, NewMessage};
use tourdesk_app::core::translation::TranslationStatus;
use tourdesk_app::core::whatsapp::SendInput;
use tourdesk_app::core::{AppError, ChatId, ErrorCode, Language, MessageId};
use tourdesk_app::{App, Clock, Inbound, OutboxPlan, Session, TranslatorLimits};

// ---------------------------------------------------------------------------------------------
// A loopback mock of the chat-completions endpoint. Each connection gets the next scripted
// reply (or the fallback once the script is used up), served on its own thread so a slow reply
// never holds up the next request. Every request body is recorded before the reply is written.

#[derive(Clone)]
enum Reply {
    /// Answer at once with this status and body.
    Now(u16, String),
    /// Answer after a pause (longer than the client's time-out: a time-out).
    After(Duration, u16, String),
}

struct Llm {
    addr: SocketAddr,
    bodies: Arc<Mutex<Vec<String>>>,
    script: Arc<Mutex<VecDeque<Reply>>>,
    fallback: Arc<Mutex<Reply>>,
    stop: Arc<AtomicBool>,
}

impl Llm {
    fn start(fallback: Reply) -> Llm {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let llm = Llm {
            addr,
            bodies: Arc::default(),
            script: Arc::default(),
            fallback: Arc::new(Mutex::new(fallback)),
            stop: Arc::default(),
        };
        let (bodies, script, fallback, stop) = (
            llm.bodies.clone(),
            llm.script.clone(),
            llm.fallback.clone(),
            llm.stop.clone(),
        );
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(120);
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (bodies, script, fallback) =
                            (bodies.clone(), script.clone(), fallback.clone());
                        std::thread::spawn(move || {
                            let Some(body) = read_request(&stream) else {
                                return;
                            };
                            bodies.lock().expect("bodies").push(body);
                            let reply = script
                                .lock()
                                .expect("script")
                                .pop_front()
                                .unwrap_or_else(|| fallback.lock().expect("fallback").clone());
                            answer(stream, reply);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        llm
    }

    fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Replies given to the next requests, in order.
    fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.script.lock().expect("script").extend(replies);
    }

    /// The reply once the script is used up.
    fn recover(&self, reply: Reply) {
        self.script.lock().expect("script").clear();
        *self.fallback.lock().expect("fallback") = reply;
    }

    fn calls(&self) -> usize {
        self.bodies.lock().expect("bodies").len()
    }

    /// The request bodies received so far (the prompt is in there).
    fn bodies(&self) -> Vec<String> {
        self.bodies.lock().expect("bodies").clone()
    }
}

impl Drop for Llm {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one HTTP/1.1 request and returns its body.
fn read_request(mut stream: &TcpStream) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..header_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&data[header_end..]).into_owned())
}

fn answer(mut stream: TcpStream, reply: Reply) {
    let (status, body) = match reply {
        Reply::Now(status, body) => (status, body),
        Reply::After(pause, status, body) => {
            std::thread::sleep(pause);
            (status, body)
        }
    };
    let text = format!(
        "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
}

/// A chat completion whose message content is `content`.
fn completion(content: &str) -> Reply {
    Reply::Now(
        200,
        serde_json::json!({
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52}
        })
        .to_string(),
    )
}

/// The model's JSON answer with a translation.
fn translated(text: &str) -> Reply {
    completion(&serde_json::json!({ "translation": text }).to_string())
}

/// The model's JSON answer with a translation and a back-translation.
fn translated_back(text: &str, back: &str) -> Reply {
    completion(&serde_json::json!({ "translation": text, "back_translation": back }).to_string())
}

fn status(code: u16) -> Reply {
    Reply::Now(code, r#"{"error":{"message":"scripted"}}"#.into())
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

const ARABIC: &str = "مرحبا، كم سعر الجولة إلى البحيرة؟";
const RUSSIAN: &str = "Здравствуйте, сколько стоит тур на озеро?";

fn limits() -> TranslatorLimits {
    TranslatorLimits {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_millis(800),
        max_attempts: 3,
        retry_base_delay: Duration::from_millis(20),
    }
}

/// A fresh organisation whose app uses short translation time-outs.
fn translator_fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = start_clock();
    let app = open(dir.path(), &clock).with_translator_limits(limits());
    let (admin, recovery_code) = new_org(&app, "Soul KG", "admin@soul.kg");
    Fixture {
        dir,
        clock,
        app,
        admin,
        recovery_code,
    }
}

/// Points the organisation at `base_url` (a custom endpoint needs no key).
fn use_provider(f: &Fixture, base_url: &str) {
    f.app
        .ai_settings_update(
            &f.admin,
            &AiSettings {
                preset: AiPreset::Custom,
                base_url: base_url.into(),
                model: "test-model".into(),
            },
        )
        .expect("AI settings");
}

/// Stores an inbound message from `phone` (chat `<digits>@c.us`), as the WhatsApp host does.
fn receive(app: &App, s: &Session, phone: &str, id: &str, body: &str) -> Message {
    let wa_chat = format!("{}@c.us", phone.trim_start_matches('+'));
    let done = app
        .wa_ingest(
            s.tenant_id,
            &Inbound {
                message: NewMessage {
                    wa_chat_id: wa_chat.clone(),
                    chat_kind: ChatKind::OneToOne,
                    wa_message_id: Some(format!("996700000000@c.us:0:{id}")),
                    direction: Direction::In,
                    sent_at: chrono::Utc::now(),
                    kind: MessageKind::Text,
                    body: body.into(),
                    ..NewMessage::default()
                },
                contact_name: Some("Client".into()),
                phone: Some(phone.into()),
                outbox_key: None,
            },
        )
        .expect("ingest");
    message(app, s, done.stored.chat_id, done.stored.id)
}

/// The message as the conversation shows it (with its cached translation).
fn message(app: &App, s: &Session, chat: ChatId, id: MessageId) -> Message {
    app.chat_messages(s, chat, None, 200)
        .expect("chat messages")
        .into_iter()
        .find(|m| m.id == id)
        .expect("the message is in its chat")
}

/// A client with a language and a form of address, and its phone.
fn client_with(f: &Fixture, phone: &str, language: Language, address: AddressForm) {
    let mut input = ClientInput {
        language,
        ..client("Amina", Some(phone))
    };
    input.culture.address = address;
    input.culture.notes = "prefers morning calls".into();
    f.app.client_create(&f.admin, &input).expect("client");
}

fn translation_rows(app: &App) -> i64 {
    app.store()
        .read(|c| {
            c.query_row("SELECT count(*) FROM translations", [], |r| r.get(0))
                .map_err(AppError::storage)
        })
        .expect("count")
}

fn usage_purposes(app: &App) -> Vec<(String, String)> {
    app.store()
        .read(|c| {
            let mut stmt = c
                .prepare("SELECT purpose, outcome FROM llm_usage ORDER BY seq")
                .map_err(AppError::storage)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(AppError::storage)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(AppError::storage)?;
            Ok(rows)
        })
        .expect("usage")
}

// ---------------------------------------------------------------------------------------------
// Inbound: translate once, then the cache.

#[test]
fn an_arabic_message_is_translated_into_russian_on_arrival_and_the_second_view_makes_no_call() {
    let f = translator_fixture();
    let llm = Llm::start(translated("Здравствуйте, сколько стоит тур на озеро?"));
    use_provider(&f, &llm.base_url());
    let (app, admin) = (&f.app, &f.admin);

    let m = receive(app, admin, "+971501234567", "A1", ARABIC);
    assert_eq!(
        m.translation, None,
        "nothing is translated before the host asks"
    );
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("translate on arrival");
    assert_eq!(llm.calls(), 1);

    let shown = message(app, admin, m.chat_id, m.id);
    assert_eq!(shown.language, Some(Language::Ar), "the language is stored");
    assert_eq!(shown.body, ARABIC, "the original stays");
    let t = shown
        .translation
        .expect("the cached translation comes with the page");
    assert_eq!(t.status, TranslationStatus::Ok);
    assert_eq!(t.language, Language::Ru);
    assert_eq!(t.source_language, Some(Language::Ar));
    assert_eq!(
        t.text.as_deref(),
        Some("Здравствуйте, сколько стоит тур на озеро?")
    );
    assert!(t.flags.is_empty(), "{:?}", t.flags);

    // Viewing it again, or asking for it directly, reads the cache.
    let again = app
        .message_translation(admin, m.id, false)
        .expect("translation");
    assert_eq!(again, t);
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("a repeated delivery");
    assert_eq!(llm.calls(), 1, "the second view made no model call");

    // The call went through usage recording, and the prompt named both languages.
    assert_eq!(
        usage_purposes(app),
        vec![("translate.inbound".to_owned(), "ok".to_owned())]
    );
    let prompt = &llm.bodies()[0];
    assert!(prompt.contains("from Arabic into Russian"), "{prompt}");
}

#[test]
fn each_language_the_managers_read_gets_its_own_cached_translation() {
    let f = translator_fixture();
    // Languages are translated in code order: English, then Russian.
    let llm = Llm::start(translated("Здравствуйте, сколько стоит тур на озеро?"));
    llm.script([translated("Hello, how much is the lake tour?")]);
    use_provider(&f, &llm.base_url());
    let (app, admin) = (&f.app, &f.admin);
    let manager = add_manager(app, admin, "bakyt@soul.kg");
    app.ai_language_set(&manager, Some("en")).expect("English");

    let m = receive(app, admin, "+971501234567", "A1", ARABIC);
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("translate");
    assert_eq!(llm.calls(), 2, "one call per distinct manager language");
    assert_eq!(translation_rows(app), 2);

    let for_admin = message(app, admin, m.chat_id, m.id)
        .translation
        .expect("ru");
    let for_manager = message(app, &manager, m.chat_id, m.id)
        .translation
        .expect("en");
    assert_eq!(for_admin.language, Language::Ru);
    assert_eq!(for_manager.language, Language::En);
    assert_eq!(
        for_manager.text.as_deref(),
        Some("Hello, how much is the lake tour?")
    );
    assert_eq!(llm.calls(), 2);
}

#[test]
fn a_message_in_the_managers_language_needs_no_translation_and_no_call() {
    let f = translator_fixture();
    let llm = Llm::start(translated("unused"));
    use_provider(&f, &llm.base_url());
    let (app, admin) = (&f.app, &f.admin);

    let m = receive(app, admin, "+79161234567", "R1", RUSSIAN);
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("translate");
    let t = app
        .message_translation(admin, m.id, false)
        .expect("translation");
    assert_eq!(t.status, TranslationStatus::NotNeeded);
    assert_eq!(t.source_language, Some(Language::Ru));
    assert_eq!(
        message(app, admin, m.chat_id, m.id).language,
        Some(Language::Ru)
    );

    // Too short to tell by itself: the client's language decides.
    client_with(&f, "+79160000001", Language::Ru, AddressForm::Formal);
    let short = receive(app, admin, "+79160000001", "R2", "Да");
    let t = app
        .message_translation(admin, short.id, false)
        .expect("translation");
    assert_eq!(t.status, TranslationStatus::NotNeeded);
    assert_eq!(t.source_language, Some(Language::Ru));

    // Nothing to translate in a message without words.
    let emoji = receive(app, admin, "+971501234567", "E1", "👍 100");
    let t = app
        .message_translation(admin, emoji.id, false)
        .expect("translation");
    assert_eq!(t.status, TranslationStatus::NotNeeded);

    assert_eq!(llm.calls(), 0);
    assert_eq!(translation_rows(app), 0);
}

#[test]
fn without_a_provider_the_translator_says_not_configured_and_calls_nothing() {
    let f = translator_fixture();
    let (app, admin) = (&f.app, &f.admin);
    let m = receive(app, admin, "+971501234567", "A1", ARABIC);
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("the host's call works without AI");
    let t = app
        .message_translation(admin, m.id, false)
        .expect("translation");
    assert_eq!(t.status, TranslationStatus::NotConfigured);
    assert_eq!(t.error, Some(AiFailure::NotConfigured));
    assert_eq!(t.text, None);
    assert_eq!(
        t.source_language,
        Some(Language::Ar),
        "detection needs no AI"
    );

    // OpenAI chosen but no key stored: still not configured, nothing attempted.
    app.ai_settings_update(
        admin,
        &AiSettings {
            preset: AiPreset::Openai,
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
        },
    )
    .expect("settings");
    let t = app
        .message_translation(admin, m.id, true)
        .expect("translation");
    assert_eq!(t.status, TranslationStatus::NotConfigured);
    let preview = app
        .reply_preview(admin, m.chat_id, "Добрый день! Тур стоит 540 $.")
        .expect("preview");
    assert_eq!(preview.status, TranslationStatus::NotConfigured);
    assert!(preview.needed && preview.text.is_empty());

    assert_eq!(translation_rows(app), 0, "not configured is not cached");
    assert!(usage_purposes(app).is_empty(), "no call was made");
    let shown = message(app, admin, m.chat_id, m.id);
    assert_eq!((shown.body.as_str(), shown.translation), (ARABIC, None));
}

#[test]
fn a_new_leads_language_is_learned_from_their_messages_but_a_chosen_one_is_kept() {
    let f = translator_fixture();
    let (app, admin) = (&f.app, &f.admin);
    let lang_of = |chat: ChatId| {
        let row = app.chat_get(admin, chat).expect("chat");
        app.client_get(admin, row.client_id.expect("a lead"))
            .expect("client")
            .client
            .fields
            .language
    };
    // A lead that wrote first starts with an unknown language; its Arabic messages settle it.
    let m = receive(app, admin, "+971501234567", "L1", ARABIC);
    assert_eq!(
        lang_of(m.chat_id),
        Language::Unknown,
        "nothing learned before the host looks"
    );
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("host call");
    let second = receive(
        app,
        admin,
        "+971501234567",
        "L2",
        "شكرا جزيلا، ننتظر البرنامج",
    );
    app.wa_translate_inbound(admin.tenant_id, second.id)
        .expect("host call");
    assert_eq!(lang_of(m.chat_id), Language::Ar);

    // A language someone chose is never overwritten by detection.
    client_with(&f, "+79161234567", Language::En, AddressForm::default());
    let ru = receive(
        app,
        admin,
        "+79161234567",
        "R1",
        "Здравствуйте, хотим тур на Иссык-Куль в июле",
    );
    app.wa_translate_inbound(admin.tenant_id, ru.id)
        .expect("host call");
    assert_eq!(lang_of(ru.chat_id), Language::En);
}

#[test]
fn editing_a_message_forgets_its_translation() {
    let f = translator_fixture();
    let llm = Llm::start(translated("Здравствуйте!"));
    use_provider(&f, &llm.base_url());
    let (app, admin) = (&f.app, &f.admin);
    let m = receive(app, admin, "+971501234567", "A1", ARABIC);
    app.message_translation(admin, m.id, false).expect("first");
    app.store_edit(
        admin.tenant_id,
        m.wa_message_id.as_deref().expect("wa id"),
        "مرحبا، أين نلتقي؟",
        chrono::Utc::now(),
    )
    .expect("edit");
    let shown = message(app, admin, m.chat_id, m.id);
    assert_eq!((shown.translation, shown.language), (None, None));
    app.message_translation(admin, m.id, false).expect("again");
    assert_eq!(llm.calls(), 2, "the new text is translated anew");
}

// ---------------------------------------------------------------------------------------------
// Faults: the message stays readable, the reason is given, retry works once the provider does.

/// Runs one fault: the first attempt fails with `code` after `calls` HTTP requests; the message
/// stays readable with the failure cached; viewing again makes no call; retry succeeds once the
/// provider recovers.
fn fault_then_recovery(
    f: &Fixture,
    llm: &Llm,
    message_id: &str,
    expected: AiFailure,
    calls: usize,
) {
    let (app, admin) = (&f.app, &f.admin);
    let m = receive(app, admin, "+971501234567", message_id, ARABIC);
    let before = llm.calls();
    let started = Instant::now();
    app.wa_translate_inbound(admin.tenant_id, m.id)
        .expect("a fault is not an error");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "faults end quickly"
    );
    assert_eq!(llm.calls() - before, calls, "{expected:?}: HTTP attempts");

    let shown = message(app, admin, m.chat_id, m.id);
    assert_eq!(shown.body, ARABIC, "the message stays readable");
    let t = shown
        .translation
        .expect("the failure is shown with the message");
    assert_eq!(
        (t.status, t.error, t.text.as_deref()),
        (TranslationStatus::Failed, Some(expected), None)
    );
    assert_eq!(
        app.message_translation(admin, m.id, false)
            .expect("view again"),
        t
    );
    assert_eq!(
        llm.calls() - before,
        calls,
        "a cached failure is not retried by itself"
    );

    llm.recover(translated("Здравствуйте, сколько стоит тур на озеро?"));
    let retried = app.message_translation(admin, m.id, true).expect("retry");
    assert_eq!(retried.status, TranslationStatus::Ok, "{retried:?}");
    assert_eq!(retried.error, None);
    assert_eq!(
        message(app, admin, m.chat_id, m.id).translation,
        Some(retried)
    );
}

#[test]
fn an_unreachable_provider_fails_with_unreachable_and_retry_recovers() {
    let f = translator_fixture();
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    use_provider(&f, &format!("http://127.0.0.1:{closed}/v1"));
    let (app, admin) = (&f.app, &f.admin);
    let m = receive(app, admin, "+971501234567", "U1", ARABIC);
    let t = app
        .message_translation(admin, m.id, false)
        .expect("translation");
    assert_eq!(
        (t.status, t.error),
        (TranslationStatus::Failed, Some(AiFailure::Unreachable))
    );
    assert_eq!(message(app, admin, m.chat_id, m.id).translation, Some(t));
    // The provider comes back (here: at another address).
    let llm = Llm::start(translated("Здравствуйте!"));
    use_provider(&f, &llm.base_url());
    let t = app.message_translation(admin, m.id, true).expect("retry");
    assert_eq!(t.status, TranslationStatus::Ok);
    assert_eq!(usage_purposes(app).len(), 2, "both calls were recorded");
}

#[test]
fn a_refused_key_fails_with_unauthorized_without_retrying() {
    let f = translator_fixture();
    let llm = Llm::start(status(401));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "K1", AiFailure::Unauthorized, 1);
}

#[test]
fn a_rate_limit_that_clears_is_absorbed_by_the_retries() {
    let f = translator_fixture();
    let llm = Llm::start(translated("Здравствуйте!"));
    llm.script([status(429)]);
    use_provider(&f, &llm.base_url());
    let (app, admin) = (&f.app, &f.admin);
    let m = receive(app, admin, "+971501234567", "L1", ARABIC);
    let t = app
        .message_translation(admin, m.id, false)
        .expect("translation");
    assert_eq!(t.status, TranslationStatus::Ok, "{t:?}");
    assert_eq!(llm.calls(), 2, "429, then the retry");
}

#[test]
fn a_rate_limit_that_persists_fails_with_rate_limited() {
    let f = translator_fixture();
    let llm = Llm::start(status(429));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "L2", AiFailure::RateLimited, 3);
}

#[test]
fn a_server_error_that_persists_fails_with_server_error() {
    let f = translator_fixture();
    let llm = Llm::start(status(500));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "S1", AiFailure::ServerError, 3);
}

#[test]
fn a_provider_that_does_not_answer_in_time_fails_with_timeout() {
    let f = translator_fixture();
    let llm = Llm::start(Reply::After(Duration::from_secs(3), 200, "{}".into()));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "T1", AiFailure::Timeout, 1);
}

#[test]
fn a_reply_that_is_not_json_fails_with_malformed_output() {
    let f = translator_fixture();
    let llm = Llm::start(Reply::Now(200, "<html>gateway</html>".into()));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "M1", AiFailure::MalformedOutput, 1);
}

#[test]
fn a_translation_that_is_not_json_even_after_the_repair_fails_with_malformed_output() {
    let f = translator_fixture();
    let llm = Llm::start(completion("Здравствуйте, сколько стоит тур?"));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "M2", AiFailure::MalformedOutput, 2);
}

#[test]
fn an_empty_reply_fails_with_empty_output() {
    let f = translator_fixture();
    let llm = Llm::start(completion(""));
    use_provider(&f, &llm.base_url());
    fault_then_recovery(&f, &llm, "E1", AiFailure::EmptyOutput, 1);
}

// ---------------------------------------------------------------------------------------------
// Outbound: the preview, preserved tokens and values, formality, sending.

const REPLY: &str = "Тур Golden Ring 15 мая, цена 1 200 $ на двоих 🌴 https://soul.kg/golden";

/// The protected form of `REPLY` the model receives: Golden Ring, the emoji, the link.
fn reply_placeholders() -> Vec<(String, String)> {
    Protector::new(&["Golden Ring"])
        .protect(REPLY)
        .tokens
        .into_iter()
        .map(|t| (t.placeholder, t.original))
        .collect()
}

/// A chat with a client of this language and address form, with one message from them.
fn chat_with_client(
    f: &Fixture,
    phone: &str,
    language: Language,
    address: AddressForm,
    first: &str,
) -> ChatId {
    client_with(f, phone, language, address);
    let chat = receive(&f.app, &f.admin, phone, &format!("first-{phone}"), first).chat_id;
    let linked: Option<String> = f
        .app
        .store()
        .read(|c| {
            c.query_row(
                "SELECT client_id FROM chats WHERE id = ?1",
                [chat.to_string()],
                |r| r.get(0),
            )
            .map_err(AppError::storage)
        })
        .expect("chat");
    assert!(
        linked.is_some(),
        "the chat of {phone} is linked to its client"
    );
    chat
}

#[test]
fn the_reply_preview_translates_into_arabic_with_a_back_translation_and_keeps_every_token() {
    let f = translator_fixture();
    let llm = Llm::start(status(500));
    use_provider(&f, &llm.base_url());
    f.app
        .tour_create(&f.admin, &tour("Golden Ring"))
        .expect("tour");
    let chat = chat_with_client(
        &f,
        "+971501234567",
        Language::Ar,
        AddressForm::Formal,
        ARABIC,
    );
    let p = reply_placeholders();
    assert_eq!(p.len(), 3, "{p:?}");
    let (tour, emoji, link) = (&p[0].0, &p[1].0, &p[2].0);
    llm.script([translated_back(
        &format!("جولة {tour} في 15 مايو، السعر 1200 $ لشخصين {emoji} {link}"),
        &format!("Тур {tour} 15 мая, цена 1200 $ на двоих {emoji} {link}"),
    )]);

    let preview = f.app.reply_preview(&f.admin, chat, REPLY).expect("preview");
    assert!(preview.needed);
    assert_eq!(preview.status, TranslationStatus::Ok, "{preview:?}");
    assert_eq!(
        (preview.client_language, preview.manager_language),
        (Language::Ar, Language::Ru)
    );
    assert_eq!(
        preview.text,
        "جولة Golden Ring في 15 مايو، السعر 1200 $ لشخصين 🌴 https://soul.kg/golden"
    );
    assert_eq!(
        preview.back_translation,
        "Тур Golden Ring 15 мая, цена 1200 $ на двоих 🌴 https://soul.kg/golden"
    );
    assert!(preview.flags.is_empty(), "{:?}", preview.flags);

    // The model never saw the tour name, the emoji or the link; it was told to address the
    // client formally, and heard the client's notes.
    let body = llm.bodies().pop().expect("the request");
    for hidden in ["Golden Ring", "soul.kg", "🌴"] {
        assert!(!body.contains(hidden), "{hidden} reached the model: {body}");
    }
    assert!(body.contains("حضرتك"), "formal Arabic address: {body}");
    assert!(body.contains("prefers morning calls"), "{body}");
    assert_eq!(
        usage_purposes(&f.app).last().map(|(p, _)| p.as_str()),
        Some("translate.outbound")
    );
}

#[test]
fn a_changed_date_in_the_models_reply_is_flagged_in_the_preview() {
    let f = translator_fixture();
    let llm = Llm::start(status(500));
    use_provider(&f, &llm.base_url());
    f.app
        .tour_create(&f.admin, &tour("Golden Ring"))
        .expect("tour");
    let chat = chat_with_client(
        &f,
        "+447911123456",
        Language::En,
        AddressForm::Formal,
        "Hello, how much is the tour?",
    );
    let p = reply_placeholders();
    let (tour, emoji, link) = (&p[0].0, &p[1].0, &p[2].0);
    llm.script([translated_back(
        &format!("The {tour} tour on 16 May, price $1,200 for two {emoji} {link}"),
        &format!("Тур {tour} 16 мая, цена 1 200 $ на двоих {emoji} {link}"),
    )]);
    let preview = f.app.reply_preview(&f.admin, chat, REPLY).expect("preview");
    assert_eq!(preview.status, TranslationStatus::Ok);
    let flags: Vec<(&str, &str)> = preview
        .flags
        .iter()
        .map(|f| (f.code.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        flags,
        vec![("fact_missing", "15.05"), ("fact_added", "16.05")],
        "the date the model changed is flagged"
    );

    // A hand-edited translation is checked the same way.
    let ok = f
        .app
        .reply_check(
            &f.admin,
            REPLY,
            "The Golden Ring tour on 15 May, $1,200 for two 🌴 https://soul.kg/golden",
        )
        .expect("check");
    assert!(ok.is_empty(), "{ok:?}");
    let lost = f
        .app
        .reply_check(&f.admin, REPLY, "The tour on 15 May, $1,300 for two 🌴")
        .expect("check");
    let codes: Vec<&str> = lost.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"token_missing"), "{lost:?}");
    assert!(codes.contains(&"fact_missing"), "{lost:?}");

    // A tour added later is protected from then on (the cached protector is rebuilt).
    f.app
        .tour_create(&f.admin, &common::tour("Issyk-Kul Yurts"))
        .expect("tour");
    let dropped = f
        .app
        .reply_check(&f.admin, "Тур Issyk-Kul Yurts ждёт!", "The tour awaits!")
        .expect("check");
    assert_eq!(
        dropped
            .iter()
            .map(|f| (f.code.as_str(), f.value.as_str()))
            .collect::<Vec<_>>(),
        vec![("token_missing", "Issyk-Kul Yurts")]
    );
}

#[test]
fn the_clients_formal_or_informal_address_reaches_the_prompt() {
    let f = translator_fixture();
    let llm = Llm::start(translated_back("Hallo!", "Привет!"));
    use_provider(&f, &llm.base_url());
    let formal = chat_with_client(
        &f,
        "+493012345671",
        Language::De,
        AddressForm::Formal,
        "Guten Tag, wie viel kostet die Reise?",
    );
    let informal = chat_with_client(
        &f,
        "+493012345672",
        Language::De,
        AddressForm::Informal,
        "Hallo, was kostet die Reise?",
    );
    f.app
        .reply_preview(&f.admin, formal, "Добрый день, как Ваши дела?")
        .expect("formal");
    f.app
        .reply_preview(&f.admin, informal, "Привет, как дела?")
        .expect("informal");
    let bodies = llm.bodies();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies[0].contains("formally with \\\"Sie\\\""),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[1].contains("informally with \\\"du\\\""),
        "{}",
        bodies[1]
    );
}

#[test]
fn a_reply_needs_no_translation_when_the_client_reads_the_managers_language_or_is_unknown() {
    let f = translator_fixture();
    let llm = Llm::start(status(500));
    use_provider(&f, &llm.base_url());
    let russian = chat_with_client(
        &f,
        "+79161234567",
        Language::Ru,
        AddressForm::Formal,
        RUSSIAN,
    );
    let p = f
        .app
        .reply_preview(&f.admin, russian, "Добрый день! Тур стоит 540 $.")
        .expect("preview");
    assert!(!p.needed);
    assert_eq!(p.status, TranslationStatus::NotNeeded);
    assert_eq!(p.text, "Добрый день! Тур стоит 540 $.");

    // A chat whose language nothing tells (no client language, no words): send as typed.
    let unknown = receive(&f.app, &f.admin, "+996700111222", "N1", "👍").chat_id;
    let p = f
        .app
        .reply_preview(&f.admin, unknown, "Добрый день!")
        .expect("preview");
    assert_eq!((p.needed, p.client_language), (false, Language::Unknown));

    // Without a client language, the conversation tells it.
    let arabic = receive(&f.app, &f.admin, "+971509999999", "N2", ARABIC).chat_id;
    llm.script([translated_back("مرحبا", "Здравствуйте")]);
    let p = f
        .app
        .reply_preview(&f.admin, arabic, "Здравствуйте")
        .expect("preview");
    assert_eq!(
        (p.needed, p.client_language, p.status),
        (true, Language::Ar, TranslationStatus::Ok)
    );
    assert_eq!(llm.calls(), 1);
}

#[test]
fn a_failed_preview_gives_the_reason_and_no_text_to_send_by_accident() {
    let f = translator_fixture();
    let llm = Llm::start(status(401));
    use_provider(&f, &llm.base_url());
    let chat = chat_with_client(
        &f,
        "+971501234567",
        Language::Ar,
        AddressForm::Formal,
        ARABIC,
    );
    let p = f
        .app
        .reply_preview(&f.admin, chat, "Добрый день!")
        .expect("a fault is not an error");
    assert_eq!(
        (p.needed, p.status, p.error),
        (
            true,
            TranslationStatus::Failed,
            Some(AiFailure::Unauthorized)
        )
    );
    assert!(p.text.is_empty() && p.back_translation.is_empty());
    let err = f
        .app
        .reply_preview(&f.admin, chat, "   ")
        .expect_err("empty");
    assert_eq!(err.code, ErrorCode::Required);
}

#[test]
fn a_translated_reply_is_sent_with_the_managers_text_and_the_back_translation_kept() {
    let f = translator_fixture();
    let chat = chat_with_client(
        &f,
        "+971501234567",
        Language::Ar,
        AddressForm::Formal,
        ARABIC,
    );
    let sent = f
        .app
        .message_send(
            &f.admin,
            &SendInput {
                chat_id: Some(chat),
                body: "مرحبا، الجولة تكلف 540 $".into(),
                original_body: Some("Здравствуйте, тур стоит 540 $".into()),
                back_translation: Some("Здравствуйте, тур стоит 540 $".into()),
                ..SendInput::default()
            },
        )
        .expect("send");
    assert_eq!(sent.body, "مرحبا، الجولة تكلف 540 $");
    assert_eq!(
        sent.original_body.as_deref(),
        Some("Здравствуйте, тур стоит 540 $")
    );
    assert_eq!(
        sent.back_translation.as_deref(),
        Some("Здравствуйте, тур стоит 540 $")
    );
    let shown = message(&f.app, &f.admin, chat, sent.id);
    assert_eq!(shown.original_body, sent.original_body);
    assert_eq!(shown.back_translation, sent.back_translation);

    // WhatsApp gets the translation.
    let plan = f
        .app
        .outbox_next(f.admin.tenant_id, f.clock.now(), Span::seconds(60))
        .expect("outbox");
    let OutboxPlan::Send(row) = plan else {
        panic!("the message is queued: {plan:?}");
    };
    assert_eq!(row.body, "مرحبا، الجولة تكلف 540 $");

    // Sent as typed (no translator): nothing extra is stored.
    let plain = f
        .app
        .message_send(
            &f.admin,
            &SendInput {
                chat_id: Some(chat),
                body: "OK".into(),
                ..SendInput::default()
            },
        )
        .expect("send");
    assert_eq!((plain.original_body, plain.back_translation), (None, None));
    let err = f
        .app
        .message_send(
            &f.admin,
            &SendInput {
                chat_id: Some(chat),
                body: "OK".into(),
                original_body: Some("я".repeat(5000)),
                ..SendInput::default()
            },
        )
        .expect_err("too long");
    assert_eq!(err.field.as_deref(), Some("original_body"));
}

#[test]
fn another_organisation_cannot_translate_or_preview_our_messages() {
    let f = translator_fixture();
    let llm = Llm::start(translated_back("مرحبا", "Здравствуйте"));
    use_provider(&f, &llm.base_url());
    let m = receive(&f.app, &f.admin, "+971501234567", "A1", ARABIC);
    let (other, _) = new_org(&f.app, "Other Tours", "admin@other.kg");
    let other_llm = Llm::start(translated("Привет"));
    f.app
        .ai_settings_update(
            &other,
            &AiSettings {
                preset: AiPreset::Custom,
                base_url: other_llm.base_url(),
                model: "test-model".into(),
            },
        )
        .expect("settings");
    for retry in [false, true] {
        let err = f
            .app
            .message_translation(&other, m.id, retry)
            .expect_err("not theirs");
        assert_eq!(err.code, ErrorCode::NotFound);
    }
    let err = f
        .app
        .reply_preview(&other, m.chat_id, "Здравствуйте")
        .expect_err("not theirs");
    assert_eq!(err.code, ErrorCode::NotFound);
    let err = f
        .app
        .wa_translate_inbound(other.tenant_id, m.id)
        .expect_err("not theirs");
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!((llm.calls(), other_llm.calls()), (0, 0));
    assert_eq!(translation_rows(&f.app), 0);
}

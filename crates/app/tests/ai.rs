//! AI settings, the API key in the secret store, "test connection" against a loopback mock
//! OpenAI-compatible server, usage per day, and the key never leaking anywhere.

mod common;

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use common::secrets::*;
use common::*;
use tourdesk_app::core::ai::{AiFailure, AiPreset, AiSettings};
use tourdesk_app::core::ErrorCode;
use tourdesk_app::TEST_PURPOSE;

/// The key used by these tests; it must never appear outside the secret store.
const KEY: &str = "sk-tourdesk-TEST-9d8c7b6a5f4e3d2c1b0a";

// ---------------------------------------------------------------------------------------------
// A loopback mock of the chat-completions endpoint: scripted (status, body) replies, one per
// connection, recording each request's Authorization header.

struct MockServer {
    addr: SocketAddr,
    authorizations: Arc<Mutex<Vec<Option<String>>>>,
    stop: Arc<AtomicBool>,
}

impl MockServer {
    fn start(script: Vec<(u16, String)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("address");
        let authorizations = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (authorizations.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut script: VecDeque<(u16, String)> = script.into();
            let deadline = Instant::now() + Duration::from_secs(60);
            while !stopped.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let reply = script
                            .pop_front()
                            .unwrap_or((500, "script exhausted".into()));
                        // The request is recorded before the reply is written, so a test that
                        // has its answer always sees the request too.
                        let record = |auth: Option<String>| {
                            seen.lock().unwrap_or_else(|p| p.into_inner()).push(auth)
                        };
                        if !serve(stream, reply, &record) {
                            record(None);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Self {
            addr,
            authorizations,
            stop,
        }
    }

    fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.authorizations
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads one HTTP/1.1 request, records its Authorization header, answers it and closes; false
/// when the request could not be read (nothing recorded).
fn serve(stream: TcpStream, reply: (u16, String), record: &dyn Fn(Option<String>)) -> bool {
    read_and_answer(stream, reply, record).is_some()
}

fn read_and_answer(
    mut stream: TcpStream,
    (status, body): (u16, String),
    record: &dyn Fn(Option<String>),
) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if data.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&data[..header_end]).into_owned();
    let header = |name: &str| {
        head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while data.len() < header_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&chunk[..n]);
    }
    record(header("authorization"));
    let reply = format!(
        "HTTP/1.1 {status} Scripted\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
    Some(())
}

fn completion(prompt_tokens: u64, completion_tokens: u64) -> (u16, String) {
    (
        200,
        serde_json::json!({
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens}
        })
        .to_string(),
    )
}

// ---------------------------------------------------------------------------------------------

/// A fixture whose app keeps secrets in a test store the test can look into.
struct AiFixture {
    f: Fixture,
    secrets: Arc<Mutex<HashMap<(String, String), String>>>,
}

fn ai_fixture() -> AiFixture {
    let _ = logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = start_clock();
    let store = MemoryKeychain::default();
    let secrets = store.0.clone();
    let app = open(dir.path(), &clock).with_secrets(Box::new(store));
    let (admin, recovery_code) = new_org(&app, "Soul KG", "admin@soul.kg");
    AiFixture {
        f: Fixture {
            dir,
            clock,
            app,
            admin,
            recovery_code,
        },
        secrets,
    }
}

fn settings(base_url: &str) -> AiSettings {
    AiSettings {
        preset: AiPreset::Custom,
        base_url: base_url.into(),
        model: "test-model".into(),
    }
}

#[test]
fn ai_settings_round_trip_and_default_before_any_save() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let before = app.ai_settings_get(admin).expect("defaults");
    assert_eq!(before.preset, AiPreset::Openai);
    assert_eq!(before.base_url, "https://api.openai.com/v1");
    assert_eq!(before.model, "");

    let saved = app
        .ai_settings_update(
            admin,
            &AiSettings {
                preset: AiPreset::Openrouter,
                base_url: " https://openrouter.ai/api/v1/ ".into(),
                model: " openai/gpt-4o-mini ".into(),
            },
        )
        .expect("save");
    assert_eq!(saved.base_url, "https://openrouter.ai/api/v1");
    assert_eq!(saved.model, "openai/gpt-4o-mini");
    assert_eq!(app.ai_settings_get(admin).expect("read"), saved);

    // Reopening the data folder keeps them.
    drop(t.f.app);
    let reopened = open(t.f.dir.path(), &t.f.clock);
    assert_eq!(reopened.ai_settings_get(admin).expect("reread"), saved);
}

#[test]
fn bad_settings_are_refused_with_the_field_they_are_about() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let err = app
        .ai_settings_update(admin, &settings("https://user:secret@host/v1"))
        .expect_err("credentials in the URL");
    assert_eq!(err.code, ErrorCode::InvalidText);
    assert_eq!(err.field.as_deref(), Some("base_url"));
    let mut no_model = settings("http://127.0.0.1:1/v1");
    no_model.model = "  ".into();
    let err = app.ai_settings_update(admin, &no_model).expect_err("model");
    assert_eq!(err.code, ErrorCode::Required);
    assert_eq!(err.field.as_deref(), Some("model"));
    let err = app.ai_key_set(admin, "  ").expect_err("empty key");
    assert_eq!(err.field.as_deref(), Some("api_key"));
}

#[test]
fn the_key_goes_to_the_secret_store_and_status_reports_only_that_it_is_there() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let before = app.ai_status(admin).expect("status");
    assert!(
        before.key_required && !before.configured,
        "with nothing saved the form shows OpenAI, which needs a key"
    );
    app.ai_settings_update(
        admin,
        &AiSettings {
            preset: AiPreset::Openai,
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
        },
    )
    .expect("settings");
    let status = app.ai_status(admin).expect("status");
    assert!(!status.configured && status.key_required && !status.key_present);
    assert!(status.keychain.available);
    assert_eq!(status.keychain.backend, "test-memory");

    app.ai_key_set(admin, KEY).expect("store the key");
    let stored: Vec<String> = t
        .secrets
        .lock()
        .expect("lock")
        .iter()
        .filter(|((service, _), _)| service == "tourdesk")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(stored, vec![KEY.to_owned()]);
    let status = app.ai_status(admin).expect("status");
    assert!(status.configured && status.key_present);

    app.ai_key_clear(admin).expect("clear");
    assert!(t.secrets.lock().expect("lock").is_empty());
    assert!(!app.ai_status(admin).expect("status").key_present);
}

#[test]
fn the_key_never_reaches_sqlite_logs_returned_values_or_errors() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let ok_server = MockServer::start(vec![completion(11, 7)]);
    let bad_server = MockServer::start(vec![(401, r#"{"error":{"message":"bad key"}}"#.into())]);
    let mut returned = Vec::new();
    let push = |returned: &mut Vec<String>, v: serde_json::Value| returned.push(v.to_string());

    push(
        &mut returned,
        serde_json::json!(app
            .ai_settings_update(admin, &settings(&ok_server.base_url()))
            .expect("settings")),
    );
    app.ai_key_set(admin, KEY).expect("key");
    push(
        &mut returned,
        serde_json::json!(app.ai_status(admin).expect("status")),
    );
    push(
        &mut returned,
        serde_json::json!(app.ai_settings_get(admin).expect("get")),
    );
    let ok = app.ai_test_connection(admin).expect("test");
    assert!(ok.ok, "{ok:?}");
    push(&mut returned, serde_json::json!(ok));
    app.ai_settings_update(admin, &settings(&bad_server.base_url()))
        .expect("settings");
    let refused = app.ai_test_connection(admin).expect("test");
    assert_eq!(refused.failure, Some(AiFailure::Unauthorized));
    push(&mut returned, serde_json::json!(refused));
    push(
        &mut returned,
        serde_json::json!(app.ai_usage(admin).expect("usage")),
    );
    // Errors too: a bad key value, a manager's refusal, a settings error.
    let manager = add_manager(app, admin, "bakyt@soul.kg");
    for e in [
        app.ai_key_set(admin, &format!("{KEY} {KEY}"))
            .expect_err("spaces"),
        app.ai_key_set(&manager, KEY).expect_err("manager"),
        app.ai_test_connection(&manager).expect_err("manager"),
    ] {
        returned.push(e.to_string());
        push(&mut returned, serde_json::json!(e));
    }

    // The key did reach the provider, as a bearer token and nowhere else.
    assert_eq!(
        ok_server.authorizations(),
        vec![Some(format!("Bearer {KEY}"))]
    );
    for text in &returned {
        assert!(
            !text.contains(KEY),
            "a returned value holds the key: {text}"
        );
    }
    // Flush SQLite's WAL into the main file too, then grep every file of the data folder.
    app.backup_create(admin).expect("backup");
    let bytes = all_bytes(t.f.dir.path());
    assert!(bytes.len() > 10_000, "the data folder was read");
    assert!(!contains(&bytes, KEY), "the key is in the data folder");
    assert!(
        !contains(&bytes, "sk-tourdesk"),
        "part of the key is in the data folder"
    );
    let log = log_text();
    assert!(log.contains("ai_test_connection"), "logs were captured");
    assert!(!log.contains(KEY), "the key is in the logs");
}

#[test]
fn test_connection_reports_the_model_and_latency_when_the_provider_answers() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let server = MockServer::start(vec![completion(11, 7)]);
    app.ai_settings_update(admin, &settings(&server.base_url()))
        .expect("settings");
    app.ai_key_set(admin, KEY).expect("key");
    let result = app.ai_test_connection(admin).expect("test");
    assert!(result.ok, "{result:?}");
    assert_eq!(result.model, "test-model");
    assert_eq!(result.failure, None);
    assert!(result.latency_ms < 20_000);
}

#[test]
fn a_refused_key_is_reported_as_unauthorized() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let server = MockServer::start(vec![(401, r#"{"error":{"message":"no"}}"#.into())]);
    app.ai_settings_update(admin, &settings(&server.base_url()))
        .expect("settings");
    app.ai_key_set(admin, KEY).expect("key");
    let result = app.ai_test_connection(admin).expect("test");
    assert!(!result.ok);
    assert_eq!(result.failure, Some(AiFailure::Unauthorized));
    assert_eq!(server.authorizations().len(), 1, "a 401 is not retried");
}

#[test]
fn a_closed_port_is_reported_as_unreachable_quickly() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    app.ai_settings_update(admin, &settings(&format!("http://127.0.0.1:{port}/v1")))
        .expect("settings");
    let started = Instant::now();
    let result = app.ai_test_connection(admin).expect("test");
    assert_eq!(result.failure, Some(AiFailure::Unreachable), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_provider_that_needs_a_key_is_not_configured_without_one() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    assert_eq!(
        app.ai_test_connection(admin).expect("test").failure,
        Some(AiFailure::NotConfigured)
    );
    app.ai_settings_update(
        admin,
        &AiSettings {
            preset: AiPreset::Openai,
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
        },
    )
    .expect("settings");
    let result = app.ai_test_connection(admin).expect("test");
    assert_eq!(result.failure, Some(AiFailure::NotConfigured));
    assert!(
        app.ai_usage(admin).expect("usage").is_empty(),
        "no call was made"
    );
}

#[test]
fn every_call_is_recorded_and_summed_per_day() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let server = MockServer::start(vec![
        completion(11, 7),
        (500, "boom".into()),
        completion(5, 3),
        completion(100, 50),
    ]);
    app.ai_settings_update(admin, &settings(&server.base_url()))
        .expect("settings");
    app.ai_key_set(admin, KEY).expect("key");
    assert!(app.ai_test_connection(admin).expect("1").ok);
    assert_eq!(
        app.ai_test_connection(admin).expect("2").failure,
        Some(AiFailure::ServerError)
    );
    t.f.clock.advance(Days::days(1));
    assert!(app.ai_test_connection(admin).expect("3").ok);

    let usage = app.ai_usage(admin).expect("usage");
    assert_eq!(usage.len(), 2, "{usage:?}");
    assert_eq!(usage[0].day, "2026-05-02");
    assert_eq!((usage[0].calls, usage[0].failures), (1, 0));
    assert_eq!((usage[0].tokens_in, usage[0].tokens_out), (5, 3));
    assert_eq!(usage[1].day, "2026-05-01");
    assert_eq!((usage[1].calls, usage[1].failures), (2, 1));
    assert_eq!((usage[1].tokens_in, usage[1].tokens_out), (11, 7));

    // Forty days later the old days fall out of the 30-day window.
    t.f.clock.advance(Days::days(40));
    assert!(app.ai_test_connection(admin).expect("4").ok);
    let usage = app.ai_usage(admin).expect("usage");
    assert_eq!(usage.len(), 1, "{usage:?}");
    assert_eq!(usage[0].day, "2026-06-11");
    assert_eq!((usage[0].calls, usage[0].tokens_in), (1, 100));

    let rows: Vec<(String, String, String, i64)> = app
        .store()
        .read(|c| {
            let mut stmt = c
                .prepare("SELECT purpose, model, outcome, attempts FROM llm_usage ORDER BY seq")
                .map_err(tourdesk_app::core::AppError::storage)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .map_err(tourdesk_app::core::AppError::storage)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(tourdesk_app::core::AppError::storage)?;
            Ok(rows)
        })
        .expect("rows");
    assert_eq!(rows.len(), 4);
    assert!(rows
        .iter()
        .all(|r| r.0 == TEST_PURPOSE && r.1 == "test-model" && r.3 == 1));
    let outcomes: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(outcomes, ["ok", "server_error", "ok", "ok"]);
}

#[test]
fn without_a_keychain_the_status_says_why_and_the_key_is_refused() {
    let _ = logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = start_clock();
    let app = open(dir.path(), &clock).with_secrets(Box::new(NoKeychain));
    let (admin, _) = new_org(&app, "Soul KG", "admin@soul.kg");
    let status = app.ai_status(&admin).expect("status");
    assert!(!status.keychain.available);
    assert!(status
        .keychain
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("D-Bus")));
    assert_eq!(
        app.ai_key_set(&admin, KEY).map_err(|e| e.code),
        Err(ErrorCode::KeychainUnavailable)
    );

    // An app given no secret store at all says so too, and never keeps the key anywhere.
    let bare = open(tempfile::tempdir().expect("dir").path(), &clock);
    let (admin, _) = new_org(&bare, "Other", "admin@other.kg");
    assert!(!bare.ai_status(&admin).expect("status").keychain.available);
    assert_eq!(
        bare.ai_key_set(&admin, KEY).map_err(|e| e.code),
        Err(ErrorCode::KeychainUnavailable)
    );
}

#[test]
fn the_managers_language_follows_the_ui_until_chosen() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    let manager = add_manager(app, admin, "bakyt@soul.kg");
    app.ui_language_set(&manager, "en").expect("ui language");
    let lang = app.ai_language_get(&manager).expect("get");
    assert_eq!((lang.chosen, lang.effective.as_str()), (None, "en"));
    let lang = app.ai_language_set(&manager, Some("de")).expect("set");
    assert_eq!(
        (lang.chosen.as_deref(), lang.effective.as_str()),
        (Some("de"), "de")
    );
    assert_eq!(
        app.ai_language_set(&manager, Some("xx"))
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidChoice)
    );
    assert_eq!(
        app.ai_language_set(&manager, Some("unknown"))
            .map_err(|e| e.code),
        Err(ErrorCode::InvalidChoice)
    );
    let lang = app.ai_language_set(&manager, None).expect("back to the UI");
    assert_eq!(lang.effective, "en");
    // The admin's own choice is separate.
    assert_eq!(app.ai_language_get(admin).expect("admin").chosen, None);
}

#[test]
fn a_manager_may_read_ai_status_but_not_change_the_provider_or_key() {
    let t = ai_fixture();
    let (app, admin) = (&t.f.app, &t.f.admin);
    app.ai_key_set(admin, KEY).expect("key");
    let manager = add_manager(app, admin, "bakyt@soul.kg");
    assert!(app.ai_status(&manager).expect("status").key_present);
    assert!(app.ai_settings_get(&manager).is_ok());
    assert!(app.ai_usage(&manager).is_ok());
    for result in [
        app.ai_settings_update(&manager, &settings("http://127.0.0.1:1/v1"))
            .map(|_| ()),
        app.ai_key_set(&manager, "sk-other"),
        app.ai_key_clear(&manager),
        app.ai_test_connection(&manager).map(|_| ()),
    ] {
        assert_eq!(result.map_err(|e| e.code), Err(ErrorCode::Forbidden));
    }
    assert_eq!(t.secrets.lock().expect("lock").len(), 1, "the key stayed");
}

//! The OpenAI-compatible provider against a loopback mock server: faults, retries, time-outs,
//! structured output with repair, usage records, and no key anywhere it should not be.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{capture_logs, closed_port_url, fast_config, MockLlm, Scripted, TEST_KEY};
use serde_json::json;
use tourdesk_ai::{
    ChatMessage, ChatRequest, LlmError, LlmProvider, MemoryUsageSink, OpenAiCompatProvider,
    OutputSchema, ProviderConfig, StructuredMode,
};

fn provider(config: ProviderConfig) -> (OpenAiCompatProvider, Arc<MemoryUsageSink>) {
    let sink = Arc::new(MemoryUsageSink::new());
    let provider = OpenAiCompatProvider::new(config, sink.clone()).expect("provider");
    (provider, sink)
}

fn hello() -> ChatRequest {
    ChatRequest::new(
        "test.hello",
        vec![
            ChatMessage::system("Be brief."),
            ChatMessage::user("Say hello"),
        ],
    )
}

fn reply_schema() -> OutputSchema {
    OutputSchema::new(
        "reply",
        json!({
            "type": "object",
            "properties": {"answer": {"type": "string", "minLength": 1}, "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
            "required": ["answer", "confidence"],
            "additionalProperties": false
        }),
    )
    .expect("schema")
}

#[tokio::test]
async fn a_plain_completion_returns_the_content_and_records_usage_from_the_usage_field() {
    let mock = MockLlm::start(vec![Scripted::content("Hello!")]).await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let response = provider.complete(hello()).await.expect("completion");

    assert_eq!(response.content, "Hello!");
    assert_eq!(
        (
            response.usage.input,
            response.usage.output,
            response.attempts
        ),
        (11, 7, 1)
    );
    let records = sink.records();
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(
        (
            record.purpose.as_str(),
            record.model.as_str(),
            record.outcome
        ),
        ("test.hello", "test-model", "ok")
    );
    assert_eq!(
        (record.tokens_in, record.tokens_out, record.attempts),
        (11, 7, 1)
    );
    assert!(record.latency_ms < 3_000);

    let request = &mock.requests()[0];
    assert_eq!(
        request.authorization.as_deref(),
        Some(format!("Bearer {TEST_KEY}").as_str())
    );
    assert_eq!(request.body["model"], "test-model");
    assert_eq!(request.body["stream"], false);
    assert_eq!(request.message("user", 0), "Say hello");
    assert!(request.body.get("response_format").is_none());
}

#[tokio::test]
async fn a_provider_without_a_key_sends_no_authorization_header() {
    let mock = MockLlm::start(vec![Scripted::content("hi")]).await;
    let mut config = ProviderConfig::ollama("llama3.1:8b");
    config.base_url = mock.base_url();
    let (provider, _) = provider(config);
    provider.complete(hello()).await.expect("completion");
    assert_eq!(mock.requests()[0].authorization, None);
}

#[tokio::test]
async fn an_unreachable_provider_is_retried_a_bounded_number_of_times_then_reported() {
    let (provider, sink) = provider(fast_config(&closed_port_url()));
    let error = provider
        .complete(hello())
        .await
        .expect_err("nothing listens");
    assert_eq!(error.code(), "unreachable", "{error}");
    assert!(
        matches!(error, LlmError::Unreachable { attempts: 3, .. }),
        "{error:?}"
    );
    let record = &sink.records()[0];
    assert_eq!((record.outcome, record.attempts), ("unreachable", 3));
}

#[tokio::test]
async fn a_401_is_unauthorized_at_once_without_a_retry() {
    let mock = MockLlm::start(vec![Scripted::status(401), Scripted::content("never")]).await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let error = provider.complete(hello()).await.expect_err("refused");
    assert_eq!(error, LlmError::Unauthorized { status: 401 });
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(sink.records()[0].outcome, "unauthorized");
}

#[tokio::test]
async fn a_403_and_a_404_are_not_retried_either() {
    let mock = MockLlm::start(vec![
        Scripted::status(403),
        Scripted::status(404),
        Scripted::content("never"),
    ])
    .await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    assert_eq!(
        provider.complete(hello()).await.expect_err("403").code(),
        "unauthorized"
    );
    assert_eq!(
        provider.complete(hello()).await.expect_err("404").code(),
        "not_configured"
    );
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_then_succeeds() {
    let mock = MockLlm::start(vec![
        Scripted::status(429).header("retry-after", "1"),
        Scripted::content("after the wait"),
    ])
    .await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let started = Instant::now();
    let response = provider
        .complete(hello())
        .await
        .expect("second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(
        (response.content.as_str(), response.attempts),
        ("after the wait", 2)
    );
    assert_eq!(sink.records()[0].attempts, 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_ends_the_call_as_rate_limited() {
    let mock = MockLlm::start(vec![
        Scripted::status(429).header("retry-after", "120"),
        Scripted::content("never"),
    ])
    .await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    let started = Instant::now();
    let error = provider.complete(hello()).await.expect_err("gives up");
    assert_eq!(error.code(), "rate_limited");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_429_forever_without_retry_after_gives_up_as_rate_limited_after_the_bounded_attempts() {
    let mock = MockLlm::start(vec![Scripted::status(429); 10]).await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let error = provider
        .complete(hello())
        .await
        .expect_err("keeps limiting");
    assert_eq!(
        error,
        LlmError::RateLimited {
            retry_after: None,
            attempts: 3
        }
    );
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(sink.records()[0].outcome, "rate_limited");
}

#[tokio::test]
async fn a_500_then_success_is_retried_once() {
    let mock = MockLlm::start(vec![Scripted::status(500), Scripted::content("recovered")]).await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    let response = provider.complete(hello()).await.expect("recovers");
    assert_eq!(
        (response.content.as_str(), response.attempts),
        ("recovered", 2)
    );
}

#[tokio::test]
async fn a_500_forever_stops_after_the_configured_number_of_attempts() {
    let mock = MockLlm::start(vec![Scripted::status(500); 10]).await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let error = provider.complete(hello()).await.expect_err("keeps failing");
    assert_eq!(
        error,
        LlmError::ServerError {
            status: 500,
            attempts: 3
        }
    );
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(
        (sink.records()[0].outcome, sink.records()[0].attempts),
        ("server_error", 3)
    );
}

#[tokio::test]
async fn a_reply_slower_than_the_time_out_is_a_timeout() {
    let mock = MockLlm::start(vec![
        Scripted::content("too late").after(Duration::from_secs(3))
    ])
    .await;
    let mut config = fast_config(&mock.base_url());
    config.request_timeout = Duration::from_millis(300);
    let (provider, sink) = provider(config);
    let started = Instant::now();
    let error = provider.complete(hello()).await.expect_err("times out");
    assert_eq!(error.code(), "timeout", "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(sink.records()[0].outcome, "timeout");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_malformed_output() {
    let mock = MockLlm::start(vec![Scripted::body(200, "{\"choices\": [ oops")]).await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    assert_eq!(
        provider
            .complete(hello())
            .await
            .expect_err("malformed")
            .code(),
        "malformed_output"
    );
}

#[tokio::test]
async fn empty_content_or_no_choices_is_empty_output() {
    let mock = MockLlm::start(vec![
        Scripted::content("   "),
        Scripted::body(200, json!({"choices": []}).to_string()),
    ])
    .await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    assert_eq!(
        provider.complete(hello()).await.expect_err("blank"),
        LlmError::EmptyOutput
    );
    assert_eq!(
        provider.complete(hello()).await.expect_err("no choices"),
        LlmError::EmptyOutput
    );
    assert_eq!(sink.records()[0].outcome, "empty_output");
}

#[tokio::test]
async fn a_missing_model_or_base_url_is_not_configured_and_sends_nothing() {
    let mock = MockLlm::start(vec![Scripted::content("never")]).await;
    let (no_model, sink) = provider(ProviderConfig::new(mock.base_url(), " ", None));
    let error = no_model.complete(hello()).await.expect_err("no model");
    assert_eq!(error.code(), "not_configured");
    let (no_url, _) = provider(ProviderConfig::new("", "m", None));
    assert_eq!(
        no_url.complete(hello()).await.expect_err("no url").code(),
        "not_configured"
    );
    assert!(mock.requests().is_empty());
    assert_eq!(
        (sink.records()[0].outcome, sink.records()[0].attempts),
        ("not_configured", 0)
    );
}

#[tokio::test]
async fn a_valid_structured_reply_is_parsed_and_json_schema_is_requested() {
    let mock = MockLlm::start(vec![Scripted::json(
        json!({"answer": "yes", "confidence": 0.9}),
    )])
    .await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    let response = provider
        .complete(hello().with_schema(reply_schema()))
        .await
        .expect("valid");
    assert_eq!(
        response.json,
        Some(json!({"answer": "yes", "confidence": 0.9}))
    );
    assert!(!response.repaired);
    let format = &mock.requests()[0].body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["name"], "reply");
    assert_eq!(
        format["json_schema"]["schema"]["required"],
        json!(["answer", "confidence"])
    );
}

#[tokio::test]
async fn a_schema_mismatch_is_repaired_by_sending_the_output_and_the_errors_back() {
    let mock = MockLlm::start(vec![
        Scripted::json(json!({"answer": "yes"})),
        Scripted::json(json!({"answer": "yes", "confidence": 0.5})),
    ])
    .await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let response = provider
        .complete(hello().with_schema(reply_schema()))
        .await
        .expect("repaired");
    assert!(response.repaired);
    assert_eq!(
        response.json,
        Some(json!({"answer": "yes", "confidence": 0.5}))
    );
    assert_eq!(
        (
            response.usage.input,
            response.usage.output,
            response.attempts
        ),
        (22, 14, 2)
    );

    let repair = &mock.requests()[1];
    assert_eq!(
        repair.message("assistant", 0),
        json!({"answer": "yes"}).to_string()
    );
    let instruction = repair.message("user", 1);
    assert!(
        instruction.contains("missing required property 'confidence'"),
        "{instruction}"
    );
    let record = &sink.records()[0];
    assert_eq!(
        (record.outcome, record.attempts, record.tokens_in),
        ("ok", 2, 22)
    );
}

#[tokio::test]
async fn a_schema_mismatch_twice_is_a_typed_schema_mismatch_error() {
    let mock = MockLlm::start(vec![
        Scripted::json(json!({"answer": "yes"})),
        Scripted::json(json!({"answer": 42, "confidence": 2})),
        Scripted::json(json!({"answer": "never asked", "confidence": 0.1})),
    ])
    .await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let error = provider
        .complete(hello().with_schema(reply_schema()))
        .await
        .expect_err("still invalid");
    let LlmError::SchemaMismatch { errors } = &error else {
        panic!("expected schema_mismatch, got {error:?}")
    };
    assert!(errors.iter().any(|e| e.contains("/answer")), "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("/confidence: above the maximum")),
        "{errors:?}"
    );
    assert_eq!(mock.requests().len(), 2, "only one repair attempt");
    assert_eq!(sink.records()[0].outcome, "schema_mismatch");
}

#[tokio::test]
async fn prose_instead_of_json_twice_is_malformed_output() {
    let mock = MockLlm::start(vec![
        Scripted::content("Sure! The answer is yes."),
        Scripted::content("Yes."),
    ])
    .await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    let error = provider
        .complete(hello().with_schema(reply_schema()))
        .await
        .expect_err("never JSON");
    assert_eq!(error.code(), "malformed_output");
}

#[tokio::test]
async fn a_provider_rejecting_json_schema_gets_json_object_with_the_schema_in_the_prompt() {
    let mock = MockLlm::start(vec![
        Scripted::status(400),
        Scripted::json(json!({"answer": "ok", "confidence": 1})),
    ])
    .await;
    let (provider, _) = provider(fast_config(&mock.base_url()));
    let response = provider
        .complete(hello().with_schema(reply_schema()))
        .await
        .expect("fallback works");
    assert_eq!(
        response.json,
        Some(json!({"answer": "ok", "confidence": 1}))
    );
    let fallback = &mock.requests()[1];
    assert_eq!(
        fallback.body["response_format"],
        json!({"type": "json_object"})
    );
    assert!(
        fallback.message("system", 1).contains("\"confidence\""),
        "schema spelled out in a system message"
    );
}

#[tokio::test]
async fn json_object_mode_never_sends_json_schema() {
    let mock = MockLlm::start(vec![Scripted::json(
        json!({"answer": "ok", "confidence": 1}),
    )])
    .await;
    let mut config = fast_config(&mock.base_url());
    config.structured_mode = StructuredMode::JsonObject;
    let (provider, _) = provider(config);
    provider
        .complete(hello().with_schema(reply_schema()))
        .await
        .expect("valid");
    assert_eq!(
        mock.requests()[0].body["response_format"],
        json!({"type": "json_object"})
    );
}

#[tokio::test]
async fn the_key_never_appears_in_errors_debug_output_usage_or_logs() {
    let (logs, _guard) = capture_logs();
    let secret_prompt = "PROMPT-CANARY-4471";
    let request = || ChatRequest::new("test.canary", vec![ChatMessage::user(secret_prompt)]);
    let mock = MockLlm::start(vec![
        Scripted::status(401),
        Scripted::status(500),
        Scripted::status(500),
        Scripted::status(500),
        Scripted::json(json!({"answer": 1})),
        Scripted::json(json!({"answer": 2})),
        Scripted::content("fine"),
    ])
    .await;
    let (provider, sink) = provider(fast_config(&mock.base_url()));
    let mut shown = vec![format!("{provider:?}"), format!("{:?}", provider.config())];
    for result in [
        provider.complete(request()).await,
        provider.complete(request()).await,
        provider
            .complete(request().with_schema(reply_schema()))
            .await,
        provider.complete(request()).await,
    ] {
        match result {
            Ok(response) => shown.push(format!("{response:?}")),
            Err(error) => shown.push(format!("{error} {error:?}")),
        }
    }
    let (unreachable, _) = self::provider(fast_config(&closed_port_url()));
    let error = unreachable
        .complete(request())
        .await
        .expect_err("unreachable");
    shown.push(format!("{error} {error:?}"));
    shown.push(format!("{:?}", sink.records()));
    let logs = logs.text();
    assert!(
        logs.contains("llm call finished"),
        "the capture works: {logs}"
    );

    for text in shown.iter().chain(std::iter::once(&logs)) {
        assert!(!text.contains(TEST_KEY), "the key leaked: {text}");
        assert!(!text.contains("7f3a9c0d"), "part of the key leaked: {text}");
    }
    assert!(
        !logs.contains(secret_prompt),
        "the prompt is logged without debug logging"
    );
    assert_eq!(
        mock.requests()[0].authorization.as_deref(),
        Some(format!("Bearer {TEST_KEY}").as_str())
    );
}

#[tokio::test]
async fn debug_logging_shows_the_prompt_but_still_never_the_key() {
    let (logs, _guard) = capture_logs();
    let mock = MockLlm::start(vec![Scripted::content("hi")]).await;
    let mut config = fast_config(&mock.base_url());
    config.debug_logging = true;
    let (provider, _) = provider(config);
    provider
        .complete(ChatRequest::new(
            "t",
            vec![ChatMessage::user("PROMPT-CANARY-9")],
        ))
        .await
        .expect("ok");
    let logs = logs.text();
    assert!(logs.contains("PROMPT-CANARY-9"), "{logs}");
    assert!(!logs.contains(TEST_KEY));
}

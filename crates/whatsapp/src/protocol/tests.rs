//! Tests of the wire format.

use super::*;
use serde_json::{Map, Value};

#[test]
fn a_request_line_carries_version_id_and_type_and_ends_with_a_newline() {
    let line = Request::SendMessage {
        to: Recipient::Phone("+7 916 123-45-67".into()),
        text: "Hi".into(),
        media: None,
        idempotency_key: Some("k1".into()),
        timeout_ms: None,
    }
    .to_line(7);
    assert!(line.ends_with('\n'));
    let v: Value = serde_json::from_str(line.trim_end()).unwrap();
    assert_eq!(v["v"], 1);
    assert_eq!(v["id"], 7);
    assert_eq!(v["type"], "send_message");
    assert_eq!(v["phone"], "+7 916 123-45-67");
    assert_eq!(v["idempotency_key"], "k1");
    assert!(v.get("chat_id").is_none());
}

#[test]
fn a_fake_request_cannot_overwrite_version_id_or_type() {
    let mut params = Map::new();
    params.insert("id".into(), Value::from("evil"));
    params.insert("text".into(), Value::from("hello"));
    let line = Request::Fake {
        kind: "fake_incoming".into(),
        params,
    }
    .to_line(3);
    let v: Value = serde_json::from_str(line.trim_end()).unwrap();
    assert_eq!(v["id"], 3);
    assert_eq!(v["type"], "fake_incoming");
    assert_eq!(v["text"], "hello");
}

#[test]
fn an_unknown_event_type_is_skipped_not_an_error() {
    let got = decode_line(r#"{"v":1,"type":"battery","level":3}"#);
    assert!(matches!(got, Incoming::Skip(ref why) if why.contains("battery")));
}

#[test]
fn a_line_of_another_protocol_version_is_skipped() {
    let got = decode_line(r#"{"v":2,"type":"state","state":"ready"}"#);
    assert!(matches!(got, Incoming::Skip(_)));
}

#[test]
fn garbage_on_stdout_is_skipped() {
    assert!(matches!(decode_line("hello world"), Incoming::Skip(_)));
    assert!(matches!(decode_line("[1,2]"), Incoming::Skip(_)));
}

#[test]
fn a_degraded_state_event_decodes_with_its_retry_time() {
    let got = decode_line(
        r#"{"v":1,"type":"state","state":"degraded","code":"connection_lost","reason":"x","next_retry_at":1700000000000,"extra":true}"#,
    );
    match got {
        Incoming::Event(SidecarEvent::State(s)) => {
            assert_eq!(s.state, "degraded");
            assert_eq!(s.code.as_deref(), Some("connection_lost"));
            assert_eq!(s.next_retry_at, Some(1_700_000_000_000));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_failed_reply_decodes_its_error_with_maybe_sent() {
    let got = decode_line(
        r#"{"v":1,"type":"reply","id":4,"ok":false,"error":{"code":"timeout","message":"m","transient":true,"maybe_sent":true}}"#,
    );
    match got {
        Incoming::Reply(r) => {
            assert_eq!(r.id, Value::from(4));
            let e = r.error.unwrap();
            assert!(e.transient && e.maybe_sent);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn a_message_with_null_where_a_value_was_expected_is_still_delivered() {
    let line = r#"{"v":1,"type":"message","message":{"wa_id":{"stable":"1:0:AB","serialized":null,"account":"1","from_me":false,"id":"AB"},"chat_id":"2@c.us","timestamp":null,"type":null,"body":null,"from_me":null}}"#;
    match decode_line(line) {
        Incoming::Event(SidecarEvent::Message { message }) => {
            assert_eq!(message.wa_id.stable, "1:0:AB");
            assert_eq!(message.timestamp, 0);
            assert_eq!(message.body, "");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn an_incoming_message_event_decodes_into_a_typed_message() {
    let line = r#"{"v":1,"type":"message","message":{"wa_id":{"stable":"1:0:AB","serialized":"false_2@c.us_AB","account":"1","from_me":false,"id":"AB"},"chat_id":"2@c.us","from":"2@c.us","to":"1@c.us","author":null,"from_me":false,"timestamp":5,"type":"chat","body":"hi","is_group":false,"notify_name":"Ann","sender_phone":"2","quoted":null,"media":null,"ack":0,"is_forwarded":false,"via_sidecar":false}}"#;
    match decode_line(line) {
        Incoming::Event(SidecarEvent::Message { message }) => {
            assert_eq!(message.wa_id.stable, "1:0:AB");
            assert_eq!(message.kind, "chat");
            assert_eq!(message.notify_name.as_deref(), Some("Ann"));
        }
        other => panic!("unexpected {other:?}"),
    }
}

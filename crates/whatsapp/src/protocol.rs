//! Wire format of the sidecar: requests the host writes, replies and events it reads.
//!
//! One JSON object per line, each with `v` (the protocol version) and `type`. Requests carry an
//! `id` and get exactly one `reply` with that id; everything else is an event.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Reads `null` as the type's default, so one unexpected `null` cannot drop a whole event.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Protocol version this crate speaks; lines with another `v` are rejected.
pub const PROTOCOL_VERSION: u64 = 1;

/// Which WhatsApp client the sidecar drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdapterKind {
    /// whatsapp-web.js with a Chromium found on the machine.
    Real,
    /// The scripted fake used by tests (driven by `fake_*` requests).
    Fake,
}

/// A file attached to an outgoing message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutgoingMedia {
    /// Absolute path of the file to send.
    pub path: String,
    /// MIME type, e.g. `application/pdf`.
    pub mimetype: String,
    /// File name shown to the recipient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Send as a document even when it is an image or video.
    #[serde(default, deserialize_with = "null_default")]
    pub as_document: bool,
}

/// Where a message goes: an existing chat id or a phone number (starts a chat).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// A WhatsApp chat id such as `79161234567@c.us`.
    ChatId(String),
    /// A phone number as written by a human; the sidecar normalises it.
    Phone(String),
}

/// Every request the sidecar understands (`fake_*` requests go through [`Request::Fake`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Starts the adapter; must be the first request.
    Hello {
        /// Absolute account data dir (session, fake world, caches).
        data_dir: String,
        /// Absolute media dir; the sidecar defaults to `<data_dir>/media`.
        media_dir: Option<String>,
        /// `real` or `fake`.
        adapter: AdapterKind,
        /// Adapter options (e.g. `browser_path`, `proxy_server`, fake `account`).
        options: Map<String, Value>,
    },
    /// Health check; answered with a [`PingResult`].
    Ping,
    /// Asks for a pairing code for linking with a phone number.
    RequestPairingCode {
        /// The phone number of the WhatsApp account to link.
        phone: String,
    },
    /// Sends a text and/or media message.
    SendMessage {
        /// Chat or phone number.
        to: Recipient,
        /// Text or caption (may be empty with media).
        text: String,
        /// Optional attachment.
        media: Option<OutgoingMedia>,
        /// Host key that makes a repeat within one sidecar process a no-op.
        idempotency_key: Option<String>,
        /// The sidecar's own time-out for this send (ms).
        timeout_ms: Option<u64>,
    },
    /// Lists chats.
    GetChats,
    /// Fetches a chat's messages since a time (backfill).
    FetchMessages {
        /// Chat id.
        chat_id: String,
        /// Unix seconds; messages at or after this time.
        since: u64,
        /// At most this many (the newest), 1..=1000.
        limit: u32,
        /// Download media to the media dir.
        media: bool,
    },
    /// Looks up our own sent messages by text and time (post-crash check).
    FindSentMessage {
        /// Chat or phone number.
        to: Recipient,
        /// Exact text that was sent.
        text: String,
        /// Unix seconds when it was sent.
        around: u64,
        /// Accepted distance from `around` in seconds.
        window_s: Option<u64>,
    },
    /// Marks a chat read on WhatsApp.
    MarkRead {
        /// Chat id.
        chat_id: String,
    },
    /// Logs out and clears the saved session.
    Logout,
    /// Drops the current connection and connects anew (e.g. after `logged_out`).
    Reconnect,
    /// Asks the sidecar to stop its client and exit.
    Shutdown,
    /// A `fake_*` request for tests, passed through as is.
    Fake {
        /// Request type, must start with `fake_`.
        kind: String,
        /// Extra fields of the request object.
        params: Map<String, Value>,
    },
}

impl Request {
    /// The wire `type` of this request.
    pub fn kind(&self) -> &str {
        match self {
            Request::Hello { .. } => "hello",
            Request::Ping => "ping",
            Request::RequestPairingCode { .. } => "request_pairing_code",
            Request::SendMessage { .. } => "send_message",
            Request::GetChats => "get_chats",
            Request::FetchMessages { .. } => "fetch_messages",
            Request::FindSentMessage { .. } => "find_sent_message",
            Request::MarkRead { .. } => "mark_read",
            Request::Logout => "logout",
            Request::Reconnect => "reconnect",
            Request::Shutdown => "shutdown",
            Request::Fake { kind, .. } => kind,
        }
    }

    /// Serialises the request as one protocol line (with `v`, `id`, `type` and a final newline).
    pub fn to_line(&self, id: u64) -> String {
        let mut obj = Map::new();
        obj.insert("v".into(), Value::from(PROTOCOL_VERSION));
        obj.insert("id".into(), Value::from(id));
        obj.insert("type".into(), Value::from(self.kind()));
        self.write_fields(&mut obj);
        let mut line = Value::Object(obj).to_string();
        line.push('\n');
        line
    }

    fn write_fields(&self, obj: &mut Map<String, Value>) {
        let mut put = |k: &str, v: Value| {
            obj.insert(k.to_owned(), v);
        };
        match self {
            Request::Hello {
                data_dir,
                media_dir,
                adapter,
                options,
            } => {
                put("data_dir", Value::from(data_dir.as_str()));
                if let Some(m) = media_dir {
                    put("media_dir", Value::from(m.as_str()));
                }
                let adapter = match adapter {
                    AdapterKind::Real => "real",
                    AdapterKind::Fake => "fake",
                };
                put("adapter", Value::from(adapter));
                put("options", Value::Object(options.clone()));
            }
            Request::RequestPairingCode { phone } => put("phone", Value::from(phone.as_str())),
            Request::SendMessage {
                to,
                text,
                media,
                idempotency_key,
                timeout_ms,
            } => {
                put_recipient(&mut put, to);
                put("text", Value::from(text.as_str()));
                if let Some(m) = media {
                    put("media", serde_json::to_value(m).unwrap_or(Value::Null));
                }
                if let Some(k) = idempotency_key {
                    put("idempotency_key", Value::from(k.as_str()));
                }
                if let Some(t) = timeout_ms {
                    put("timeout_ms", Value::from(*t));
                }
            }
            Request::FetchMessages {
                chat_id,
                since,
                limit,
                media,
            } => {
                put("chat_id", Value::from(chat_id.as_str()));
                put("since", Value::from(*since));
                put("limit", Value::from(*limit));
                put("media", Value::from(*media));
            }
            Request::FindSentMessage {
                to,
                text,
                around,
                window_s,
            } => {
                put_recipient(&mut put, to);
                put("text", Value::from(text.as_str()));
                put("around", Value::from(*around));
                if let Some(w) = window_s {
                    put("window_s", Value::from(*w));
                }
            }
            Request::MarkRead { chat_id } => put("chat_id", Value::from(chat_id.as_str())),
            Request::Fake { params, .. } => {
                for (k, v) in params {
                    if !matches!(k.as_str(), "v" | "id" | "type") {
                        put(k, v.clone());
                    }
                }
            }
            Request::Ping
            | Request::GetChats
            | Request::Logout
            | Request::Reconnect
            | Request::Shutdown => {}
        }
    }
}

fn put_recipient(put: &mut impl FnMut(&str, Value), to: &Recipient) {
    match to {
        Recipient::ChatId(c) => put("chat_id", Value::from(c.as_str())),
        Recipient::Phone(p) => put("phone", Value::from(p.as_str())),
    }
}

/// The `error` object of a failed reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireError {
    /// Machine-readable code, e.g. `not_on_whatsapp`, `not_ready`, `timeout`.
    pub code: String,
    /// Human-readable detail.
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
    /// Whether the same request may succeed later.
    #[serde(default, deserialize_with = "null_default")]
    pub transient: bool,
    /// `send_message` only: the message may have gone out despite the error.
    #[serde(default, deserialize_with = "null_default")]
    pub maybe_sent: bool,
}

/// A `reply` line: the answer to the request with the same id.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Reply {
    /// Id of the request answered.
    pub id: Value,
    /// Whether the request succeeded.
    pub ok: bool,
    /// The result when `ok`.
    #[serde(default)]
    pub result: Option<Value>,
    /// The error when not `ok`.
    #[serde(default)]
    pub error: Option<WireError>,
}

/// Result of `hello`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelloResult {
    /// Protocol version the sidecar speaks.
    pub protocol: u64,
    /// Sidecar package version.
    #[serde(default, deserialize_with = "null_default")]
    pub sidecar_version: String,
    /// Adapter in use.
    #[serde(default, deserialize_with = "null_default")]
    pub adapter: String,
    /// Sidecar process id.
    #[serde(default)]
    pub pid: Option<u32>,
    /// Data dir the sidecar uses.
    #[serde(default, deserialize_with = "null_default")]
    pub data_dir: String,
    /// Media dir the sidecar uses.
    #[serde(default, deserialize_with = "null_default")]
    pub media_dir: String,
}

/// Result of `ping`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PingResult {
    /// Always true.
    #[serde(default, deserialize_with = "null_default")]
    pub pong: bool,
    /// The sidecar's own view of the connection state.
    #[serde(default, deserialize_with = "null_default")]
    pub state: String,
    /// Milliseconds since the sidecar started.
    #[serde(default, deserialize_with = "null_default")]
    pub uptime_ms: u64,
    /// Sidecar process id.
    #[serde(default)]
    pub pid: Option<u32>,
}

/// WhatsApp's id of a message, in the forms the host needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WaMessageId {
    /// `<account>:<0|1>:<id>`: stable across `@c.us`/`@lid`; the host's unique key.
    pub stable: String,
    /// whatsapp-web.js `_serialized` (embeds the chat id).
    #[serde(default, deserialize_with = "null_default")]
    pub serialized: String,
    /// Our own WhatsApp user (digits).
    #[serde(default, deserialize_with = "null_default")]
    pub account: String,
    /// Whether we sent it.
    #[serde(default, deserialize_with = "null_default")]
    pub from_me: bool,
    /// WhatsApp's bare `id.id`.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
}

/// Result of a successful `send_message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    /// The new message's id.
    pub wa_id: WaMessageId,
    /// Chat it went to.
    pub chat_id: String,
    /// WhatsApp's time of the message (unix seconds).
    #[serde(default, deserialize_with = "null_default")]
    pub timestamp: u64,
    /// The key given in the request.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// True when this is the stored outcome of an earlier send with the same key.
    #[serde(default, deserialize_with = "null_default")]
    pub deduplicated: bool,
    /// The message's ack level when the send returned (0: WhatsApp Web holds it, pending; 1:
    /// its server has it); absent from older sidecars.
    #[serde(default)]
    pub ack: Option<i64>,
}

/// One chat from `get_chats`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// Chat id.
    pub id: String,
    /// Display name when known.
    #[serde(default)]
    pub name: Option<String>,
    /// Group chat.
    #[serde(default, deserialize_with = "null_default")]
    pub is_group: bool,
    /// Unread messages on WhatsApp.
    #[serde(default, deserialize_with = "null_default")]
    pub unread_count: u64,
    /// Time of the last message (unix seconds).
    #[serde(default)]
    pub timestamp: Option<u64>,
}

/// Media of a received message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireMedia {
    /// MIME type.
    #[serde(default)]
    pub mimetype: Option<String>,
    /// Original file name.
    #[serde(default)]
    pub filename: Option<String>,
    /// Size in bytes, when known.
    #[serde(default)]
    pub size: Option<u64>,
    /// Absolute path under the media dir; `None` when not downloaded.
    #[serde(default)]
    pub path: Option<String>,
    /// Why the bytes are missing.
    #[serde(default)]
    pub error: Option<String>,
}

/// The message a quoted reply refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedRef {
    /// WhatsApp's bare id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// Stable id when the sidecar knows the quoted message.
    #[serde(default)]
    pub stable: Option<String>,
    /// Who wrote the quoted message.
    #[serde(default)]
    pub participant: Option<String>,
}

/// A message as events and `fetch_messages` carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireMessage {
    /// Message id.
    pub wa_id: WaMessageId,
    /// Chat id.
    pub chat_id: String,
    /// Sender id.
    #[serde(default)]
    pub from: Option<String>,
    /// Recipient id.
    #[serde(default)]
    pub to: Option<String>,
    /// Sender inside a group.
    #[serde(default)]
    pub author: Option<String>,
    /// Sent by our account (from this app or from the phone).
    #[serde(default, deserialize_with = "null_default")]
    pub from_me: bool,
    /// Sent through this sidecar (only meaningful with `from_me`).
    #[serde(default, deserialize_with = "null_default")]
    pub via_sidecar: bool,
    /// With `via_sidecar`: the idempotency key of the send that produced it (finds its outbox
    /// row, and so its chat, whatever chat id WhatsApp used).
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// WhatsApp's time (unix seconds).
    #[serde(default, deserialize_with = "null_default")]
    pub timestamp: u64,
    /// WhatsApp type: chat, image, ptt, document, revoked, ….
    #[serde(default, rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    /// Text or media caption.
    #[serde(default, deserialize_with = "null_default")]
    pub body: String,
    /// Group chat.
    #[serde(default, deserialize_with = "null_default")]
    pub is_group: bool,
    /// The sender's push name.
    #[serde(default)]
    pub notify_name: Option<String>,
    /// Sender's phone digits, when the id carries one.
    #[serde(default)]
    pub sender_phone: Option<String>,
    /// Quoted message.
    #[serde(default)]
    pub quoted: Option<QuotedRef>,
    /// Attachment.
    #[serde(default)]
    pub media: Option<WireMedia>,
    /// Ack level (-1 error, 0 pending, 1 server, 2 device, 3 read, 4 played).
    #[serde(default)]
    pub ack: Option<i64>,
    /// Forwarded message.
    #[serde(default, deserialize_with = "null_default")]
    pub is_forwarded: bool,
}

/// Result of `fetch_messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchedMessages {
    /// Oldest first.
    pub messages: Vec<WireMessage>,
    /// More messages matched than `limit` allowed.
    #[serde(default, deserialize_with = "null_default")]
    pub truncated: bool,
}

/// Result of `find_sent_message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundSent {
    /// Whether a matching message of ours exists.
    pub found: bool,
    /// The oldest match.
    #[serde(default)]
    pub message: Option<WaMessageId>,
    /// Every match, oldest first.
    #[serde(default)]
    pub matches: Vec<WaMessageId>,
    /// The ack level of each match (same order), where WhatsApp Web told it.
    #[serde(default)]
    pub acks: Vec<Option<i64>>,
}

/// A `state` event: the sidecar's connection state changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateEvent {
    /// `starting`, `qr`, `pairing_code`, `authenticated`, `ready`, `degraded`, `logged_out`, `failed`.
    pub state: String,
    /// QR payload (state `qr`).
    #[serde(default)]
    pub qr: Option<String>,
    /// Pairing code (state `pairing_code`).
    #[serde(default)]
    pub code: Option<String>,
    /// Phone being linked (state `pairing_code`).
    #[serde(default)]
    pub phone: Option<String>,
    /// Linked account digits (state `ready`).
    #[serde(default)]
    pub account: Option<String>,
    /// Why (degraded, logged_out, failed).
    #[serde(default)]
    pub reason: Option<String>,
    /// What the user can do.
    #[serde(default)]
    pub advice: Option<String>,
    /// Unix ms of the next connection attempt (degraded).
    #[serde(default)]
    pub next_retry_at: Option<u64>,
    /// Connection attempt number (starting).
    #[serde(default)]
    pub attempt: Option<u32>,
}

/// An `ack` event: delivery status of one of our messages changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AckEvent {
    /// Message id.
    pub wa_id: WaMessageId,
    /// Chat id.
    #[serde(default)]
    pub chat_id: Option<String>,
    /// Ack level (-1 error, 0 pending, 1 server, 2 device, 3 read, 4 played).
    pub ack: i64,
}

/// A `message_edit` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditEvent {
    /// Message id.
    pub wa_id: WaMessageId,
    /// Chat id.
    #[serde(default)]
    pub chat_id: Option<String>,
    /// New text.
    #[serde(default, deserialize_with = "null_default")]
    pub body: String,
    /// Previous text, when known.
    #[serde(default)]
    pub prev_body: Option<String>,
    /// Unix seconds.
    #[serde(default)]
    pub timestamp: Option<u64>,
}

/// A `message_revoke` event (deleted for everyone or for me).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeEvent {
    /// Message id.
    pub wa_id: WaMessageId,
    /// Chat id.
    #[serde(default)]
    pub chat_id: Option<String>,
    /// `everyone` or `me`.
    #[serde(default, deserialize_with = "null_default")]
    pub scope: String,
    /// Unix seconds.
    #[serde(default)]
    pub timestamp: Option<u64>,
}

/// A `reaction` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionEvent {
    /// The message reacted to.
    pub target: WaMessageId,
    /// Chat id.
    #[serde(default)]
    pub chat_id: Option<String>,
    /// Who reacted.
    #[serde(default)]
    pub sender_id: Option<String>,
    /// The emoji; empty when a reaction was removed.
    #[serde(default, deserialize_with = "null_default")]
    pub reaction: String,
    /// Unix seconds.
    #[serde(default)]
    pub timestamp: Option<u64>,
}

/// An `error` event: a line the sidecar could not treat as a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// e.g. `bad_json`, `line_too_long`.
    pub code: String,
    /// Detail.
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
}

/// Every event type the sidecar emits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SidecarEvent {
    /// Connection state changed.
    State(StateEvent),
    /// A message arrived or was sent (also from the phone).
    Message {
        /// The message (boxed: it is much larger than the other events).
        message: Box<WireMessage>,
    },
    /// Delivery status changed.
    Ack(AckEvent),
    /// A message was edited.
    MessageEdit(EditEvent),
    /// A message was deleted.
    MessageRevoke(RevokeEvent),
    /// A reaction was added or removed.
    Reaction(ReactionEvent),
    /// The sidecar rejected an input line that had no id.
    Error(ErrorEvent),
}

/// Event types known to this crate (others are skipped).
const KNOWN_EVENTS: &[&str] = &[
    "state",
    "message",
    "ack",
    "message_edit",
    "message_revoke",
    "reaction",
    "error",
];

/// One decoded output line of the sidecar.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// The answer to a request.
    Reply(Reply),
    /// An event.
    Event(SidecarEvent),
    /// A line to log and skip, with why.
    Skip(String),
}

/// Decodes one stdout line; never fails (bad lines become [`Incoming::Skip`]).
pub fn decode_line(line: &str) -> Incoming {
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return Incoming::Skip(format!("not JSON: {e}")),
    };
    let Some(obj) = value.as_object() else {
        return Incoming::Skip("not a JSON object".into());
    };
    match obj.get("v").and_then(Value::as_u64) {
        Some(PROTOCOL_VERSION) => {}
        other => {
            return Incoming::Skip(format!(
                "protocol version {other:?}, expected {PROTOCOL_VERSION}"
            ))
        }
    }
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    if kind == "reply" {
        return match serde_json::from_value::<Reply>(value.clone()) {
            Ok(r) => Incoming::Reply(r),
            Err(e) => Incoming::Skip(format!("malformed reply: {e}")),
        };
    }
    if !KNOWN_EVENTS.contains(&kind) {
        return Incoming::Skip(format!("unknown event type {kind:?}"));
    }
    match serde_json::from_value::<SidecarEvent>(value.clone()) {
        Ok(ev) => Incoming::Event(ev),
        Err(e) => Incoming::Skip(format!("malformed {kind} event: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

//! Replies and the typed results of requests.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::null_default;

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

//! Events the sidecar emits without a request.

use serde::{Deserialize, Serialize};

use super::null_default;
use super::results::{WaMessageId, WireMessage};

/// A `state` event: the sidecar's connection state changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateEvent {
    /// `starting`, `qr`, `pairing_code`, `authenticated`, `ready`, `degraded`, `conflict`, `banned`,
    /// `logged_out`, `failed`.
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
pub(super) const KNOWN_EVENTS: &[&str] = &[
    "state",
    "message",
    "ack",
    "message_edit",
    "message_revoke",
    "reaction",
    "error",
];

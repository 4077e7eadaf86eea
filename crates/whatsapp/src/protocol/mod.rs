//! Wire format of the sidecar: requests the host writes, replies and events it reads.
//!
//! One JSON object per line, each with `v` (the protocol version) and `type`. Requests carry an
//! `id` and get exactly one `reply` with that id; everything else is an event.

mod events;
mod request;
mod results;
#[cfg(test)]
mod tests;

use serde::Deserialize;
use serde_json::Value;

pub use events::{
    AckEvent, EditEvent, ErrorEvent, ReactionEvent, RevokeEvent, SidecarEvent, StateEvent,
};
pub use request::{AdapterKind, OutgoingMedia, Recipient, Request};
pub use results::{
    Chat, FetchedMessages, FoundSent, HelloResult, PingResult, QuotedRef, Reply, SentMessage,
    WaMessageId, WireError, WireMedia, WireMessage,
};

/// Reads `null` as the type's default, so one unexpected `null` cannot drop a whole event.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Protocol version this crate speaks; lines with another `v` are rejected.
pub const PROTOCOL_VERSION: u64 = 1;

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
    if !events::KNOWN_EVENTS.contains(&kind) {
        return Incoming::Skip(format!("unknown event type {kind:?}"));
    }
    match serde_json::from_value::<SidecarEvent>(value.clone()) {
        Ok(ev) => Incoming::Event(ev),
        Err(e) => Incoming::Skip(format!("malformed {kind} event: {e}")),
    }
}

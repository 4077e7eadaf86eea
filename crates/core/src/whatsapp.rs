//! The WhatsApp account as the app shows it, what the manager sends, and how a sent message is
//! doing. Mirrors the supervisor's connection states without depending on it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ChatId;

/// The most sends in any 60-second window that WhatsApp use tolerates; the setting may only lower it.
pub const MAX_SENDS_PER_MINUTE: u32 = 20;
/// The largest attachment accepted, in bytes (WhatsApp's own limit for documents is higher; a
/// tour operator sends itineraries and photos).
pub const MAX_ATTACHMENT_BYTES: usize = 32 * 1024 * 1024;
/// The longest text of one message, in characters (WhatsApp cuts at about 65 000).
pub const MAX_MESSAGE_CHARS: usize = 4096;

/// Connection state of the organisation's WhatsApp account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WaState {
    /// Never connected on this computer, or stopped.
    NotConnected,
    /// Starting the browser / connecting.
    Starting,
    /// Waiting for the phone to scan this QR payload; it is replaced as WhatsApp rotates it.
    Qr {
        /// The payload to draw as a QR code.
        qr: String,
    },
    /// Waiting for this code to be typed on the phone.
    PairingCode {
        /// Eight characters, shown as `ABCD-EFGH`.
        code: String,
    },
    /// The phone accepted us; WhatsApp is loading chats.
    Authenticated,
    /// Connected: messages flow.
    Ready {
        /// Our own number's digits, when known.
        #[ts(optional = nullable)]
        account: Option<String>,
    },
    /// Reconnecting by itself; nothing is handed to WhatsApp meanwhile.
    Degraded {
        /// Why (`network_timeout`, `reconnecting`, `not_responding`, `proxy_blocked`,
        /// `browser_crashed`, `connection_lost`, `whatsapp_unreachable`, `sidecar_crashed`, …).
        code: String,
        /// Technical detail.
        reason: String,
        /// When the next attempt is made.
        #[ts(optional = nullable)]
        next_retry_at: Option<DateTime<Utc>>,
    },
    /// WhatsApp Web is open with this account in another browser; "use here" takes it back.
    /// Sending is paused; the saved session is kept.
    Conflict {
        /// Technical detail.
        reason: String,
    },
    /// WhatsApp banned the number; sending is paused; the saved session is kept.
    Banned {
        /// `tos_block` or `smb_tos_block` (a WhatsApp Business number).
        code: String,
        /// Technical detail.
        reason: String,
    },
    /// Logged out from the phone or here: linking again needs a QR or a code.
    LoggedOut {
        /// Technical detail.
        reason: String,
    },
    /// Gave up; needs the user (`browser_not_found`, `crash_loop`, `auth_failure`,
    /// `deprecated_version`, …).
    Failed {
        /// Why.
        code: String,
        /// Technical detail.
        reason: String,
    },
}

impl WaState {
    /// The state's name (`ready`, `degraded`, …).
    pub fn name(&self) -> &'static str {
        match self {
            WaState::NotConnected => "not_connected",
            WaState::Starting => "starting",
            WaState::Qr { .. } => "qr",
            WaState::PairingCode { .. } => "pairing_code",
            WaState::Authenticated => "authenticated",
            WaState::Ready { .. } => "ready",
            WaState::Degraded { .. } => "degraded",
            WaState::Conflict { .. } => "conflict",
            WaState::Banned { .. } => "banned",
            WaState::LoggedOut { .. } => "logged_out",
            WaState::Failed { .. } => "failed",
        }
    }
}

/// What the status badge and the WhatsApp settings page show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WaStatus {
    /// The connection state.
    pub state: WaState,
    /// False when this build has no way to run WhatsApp here (no Node.js / no sidecar found);
    /// `problem` then says what is missing.
    pub available: bool,
    /// What is missing, when `available` is false.
    #[ts(optional = nullable)]
    pub problem: Option<String>,
    /// Messages waiting to be sent.
    pub queued: u32,
    /// Messages whose fate after a crash is unknown (need the manager).
    pub unconfirmed: u32,
    /// Messages that failed.
    pub failed: u32,
    /// Messages WhatsApp has held at ack 0 (waiting for network) for 5 minutes while connected.
    pub stuck: u32,
    /// The catch-up after a (re)connect, while it runs (the badge shows "syncing 12/40 chats").
    #[serde(default)]
    #[ts(optional = nullable)]
    pub sync: Option<SyncProgress>,
}

/// How far the catch-up of missed messages has got, in chats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncProgress {
    /// Chats looked at so far.
    pub done: u32,
    /// Chats to look at in this catch-up.
    pub total: u32,
}

/// The organisation's WhatsApp settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WaSettings {
    /// At most this many sends in any 60 seconds (1–20).
    pub sends_per_minute: u32,
    /// Tell WhatsApp when a chat is opened here (blue ticks on the client's phone).
    pub send_read_receipts: bool,
}

impl Default for WaSettings {
    fn default() -> Self {
        WaSettings {
            sends_per_minute: MAX_SENDS_PER_MINUTE,
            send_read_receipts: true,
        }
    }
}

/// How a message we send is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendStatus {
    /// Waiting in the outbox.
    Queued,
    /// Being handed to WhatsApp.
    Sending,
    /// WhatsApp Web holds it but its server has not confirmed it (ack 0): "waiting for network",
    /// a clock, never a tick.
    Waiting,
    /// WhatsApp has it (one tick).
    Sent,
    /// On the client's phone (two ticks).
    Delivered,
    /// Read (two blue ticks).
    Read,
    /// Not sent; `status_reason` says why.
    Failed,
    /// The app stopped while sending and WhatsApp cannot prove whether it went out: the
    /// manager decides ("send again" or "mark as sent"). Never resent automatically.
    Unconfirmed,
}

impl SendStatus {
    /// Every status, in declaration order.
    pub const ALL: [SendStatus; 8] = [
        SendStatus::Queued,
        SendStatus::Sending,
        SendStatus::Waiting,
        SendStatus::Sent,
        SendStatus::Delivered,
        SendStatus::Read,
        SendStatus::Failed,
        SendStatus::Unconfirmed,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            SendStatus::Queued => "queued",
            SendStatus::Sending => "sending",
            SendStatus::Waiting => "waiting",
            SendStatus::Sent => "sent",
            SendStatus::Delivered => "delivered",
            SendStatus::Read => "read",
            SendStatus::Failed => "failed",
            SendStatus::Unconfirmed => "unconfirmed",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<SendStatus> {
        SendStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status a WhatsApp ack level means (-1 error, 0 pending, 1 server, 2 device, 3 read,
    /// 4 played); `None` for a level the library does not define.
    pub fn from_ack(ack: i64) -> Option<SendStatus> {
        match ack {
            -1 => Some(SendStatus::Failed),
            0 => Some(SendStatus::Waiting),
            1 => Some(SendStatus::Sent),
            2 => Some(SendStatus::Delivered),
            3 | 4 => Some(SendStatus::Read),
            _ => None,
        }
    }

    /// Rank among the delivery steps: an ack only ever moves a message forward (an error ack
    /// fails only a message WhatsApp's server never confirmed; see [`SendStatus::moved_by`]).
    pub fn rank(self) -> u8 {
        match self {
            SendStatus::Queued => 0,
            SendStatus::Sending => 1,
            SendStatus::Failed | SendStatus::Unconfirmed => 1,
            SendStatus::Waiting => 2,
            SendStatus::Sent => 3,
            SendStatus::Delivered => 4,
            SendStatus::Read => 5,
        }
    }

    /// The status after an ack that means `ack` arrives for a message now in `self`; `None`
    /// when it changes nothing. Acks only move forward; an error (`Failed`) fails a message
    /// still waiting for WhatsApp's server, never one the server or the phone confirmed.
    pub fn moved_by(self, ack: SendStatus) -> Option<SendStatus> {
        if ack == SendStatus::Failed {
            let unconfirmed_by_server = self.rank() <= SendStatus::Waiting.rank();
            return (unconfirmed_by_server && self != SendStatus::Failed).then_some(ack);
        }
        (ack.rank() > self.rank()).then_some(ack)
    }

    /// True when WhatsApp's server has confirmed the message (a tick or more).
    pub fn on_server(self) -> bool {
        self.rank() >= SendStatus::Sent.rank()
    }
}

/// A file attached to an outgoing message, passed from the page as base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Attachment {
    /// The file's name as the client will see it.
    pub file_name: String,
    /// Its MIME type (`application/pdf`, `image/jpeg`, …); empty means guess from the name.
    #[serde(default)]
    pub mime: String,
    /// The bytes, base64-encoded.
    pub data_base64: String,
}

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendTo {
    /// A stored chat.
    Chat(ChatId),
    /// A phone number, international or in the organisation's default region.
    Phone(String),
}

/// What the manager sends: to an existing chat, or to a phone number (starting a chat).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct SendInput {
    /// The chat to send to.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub chat_id: Option<ChatId>,
    /// Or a phone number, international or in the organisation's default region.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    /// The text (the caption when a file is attached).
    #[serde(default)]
    pub body: String,
    /// An optional file.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub attachment: Option<Attachment>,
    /// Sent through the translator: the manager's own text (`body` is the translation that goes
    /// to WhatsApp). Stored with the message.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub original_body: Option<String>,
    /// Sent through the translator: the back-translation the manager checked.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub back_translation: Option<String>,
}

impl SendInput {
    /// Where the message goes: the chat when one is given, else the phone; neither is an error
    /// on `phone`.
    pub fn to(&self) -> crate::AppResult<SendTo> {
        match (self.chat_id, self.phone.as_deref()) {
            (Some(chat), _) => Ok(SendTo::Chat(chat)),
            (None, Some(phone)) => Ok(SendTo::Phone(phone.to_string())),
            (None, None) => Err(crate::AppError::field(
                crate::ErrorCode::Required,
                "phone",
                "choose a chat or type a phone number",
            )),
        }
    }
}

/// A stored media file handed to the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MediaData {
    /// Its MIME type.
    pub mime: String,
    /// The file name to offer when saving.
    pub file_name: String,
    /// The bytes, base64-encoded.
    pub data_base64: String,
}

/// The `inbox:changed` event: something in the inbox changed (refetch), and whether it was a
/// new message from a contact (notify when the window is not focused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InboxChange {
    /// The chat that changed, when one did.
    #[ts(optional = nullable)]
    pub chat_id: Option<ChatId>,
    /// A new message from a contact arrived.
    pub incoming: bool,
    /// The chat's title, for the notification.
    #[ts(optional = nullable)]
    pub title: Option<String>,
    /// The start of the message, for the notification.
    #[ts(optional = nullable)]
    pub preview: Option<String>,
}

impl InboxChange {
    /// "Refetch": something changed in `chat` (or anywhere, with `None`), nothing to notify.
    pub fn refetch(chat_id: Option<ChatId>) -> Self {
        InboxChange {
            chat_id,
            incoming: false,
            title: None,
            preview: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ack_level_has_its_own_honest_status() {
        assert_eq!(SendStatus::from_ack(-1), Some(SendStatus::Failed));
        assert_eq!(SendStatus::from_ack(0), Some(SendStatus::Waiting));
        assert_eq!(SendStatus::from_ack(1), Some(SendStatus::Sent));
        assert_eq!(SendStatus::from_ack(2), Some(SendStatus::Delivered));
        assert_eq!(SendStatus::from_ack(3), Some(SendStatus::Read));
        assert_eq!(SendStatus::from_ack(4), Some(SendStatus::Read));
        assert_eq!(SendStatus::from_ack(5), None);
        assert_eq!(SendStatus::from_ack(-2), None);
        assert!(!SendStatus::Waiting.on_server());
        assert!(SendStatus::Sent.on_server());
    }

    #[test]
    fn acks_move_forward_and_an_error_fails_only_what_the_server_never_confirmed() {
        use SendStatus::*;
        assert_eq!(Sending.moved_by(Waiting), Some(Waiting));
        assert_eq!(Waiting.moved_by(Sent), Some(Sent));
        assert_eq!(Sent.moved_by(Waiting), None);
        assert_eq!(Read.moved_by(Delivered), None);
        assert_eq!(Waiting.moved_by(Failed), Some(Failed));
        assert_eq!(Sending.moved_by(Failed), Some(Failed));
        assert_eq!(Sent.moved_by(Failed), None);
        assert_eq!(Failed.moved_by(Failed), None);
    }

    #[test]
    fn every_status_round_trips_through_its_code() {
        for s in SendStatus::ALL {
            assert_eq!(SendStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(SendStatus::from_code("lost"), None);
    }

    #[test]
    fn states_serialise_with_their_name_as_the_tag() {
        let v = serde_json::to_value(WaState::Qr { qr: "x".into() }).unwrap();
        assert_eq!(v["state"], "qr");
        assert_eq!(WaState::NotConnected.name(), "not_connected");
    }
}

//! Requests the host writes to the sidecar.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{null_default, PROTOCOL_VERSION};

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
    /// State `conflict` only: takes the WhatsApp Web session back from the other window.
    UseHere,
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
            Request::UseHere => "use_here",
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
            | Request::UseHere
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

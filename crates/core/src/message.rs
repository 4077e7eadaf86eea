//! WhatsApp chats and messages: the stored rows, what the inbox lists, and search hits.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ChatId, ClientId, MessageId};

/// Marks the start of a matched term in [`MessageHit::snippet`] (STX, never typed by people).
pub const SNIPPET_START: &str = "\u{2}";
/// Marks the end of a matched term in [`MessageHit::snippet`] (ETX).
pub const SNIPPET_END: &str = "\u{3}";
/// The most messages one page of a chat returns.
pub const MAX_PAGE: u32 = 200;

/// What kind of chat this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    /// A person (`…@c.us` or `…@lid`); the only kind linked to a client.
    #[default]
    OneToOne,
    /// A group (`…@g.us`).
    Group,
    /// A broadcast list or status (`…@broadcast`, `…@newsletter`).
    Broadcast,
}

impl ChatKind {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ChatKind::OneToOne => "one_to_one",
            ChatKind::Group => "group",
            ChatKind::Broadcast => "broadcast",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<ChatKind> {
        match code {
            "one_to_one" => Some(ChatKind::OneToOne),
            "group" => Some(ChatKind::Group),
            "broadcast" => Some(ChatKind::Broadcast),
            _ => None,
        }
    }

    /// The kind of a WhatsApp chat id by its suffix.
    pub fn of_wa_chat_id(wa_chat_id: &str) -> ChatKind {
        if wa_chat_id.ends_with("@g.us") {
            ChatKind::Group
        } else if wa_chat_id.ends_with("@broadcast") || wa_chat_id.ends_with("@newsletter") {
            ChatKind::Broadcast
        } else {
            ChatKind::OneToOne
        }
    }
}

/// Who wrote a message: the contact (`in`) or our account (`out`, also when typed on the phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Received from the contact.
    #[default]
    In,
    /// Written by our account.
    Out,
}

impl Direction {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Direction> {
        match code {
            "in" => Some(Direction::In),
            "out" => Some(Direction::Out),
            _ => None,
        }
    }
}

/// What a message carries; a type we do not render yet is kept as `unsupported`, never dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Plain text.
    #[default]
    Text,
    /// A picture (body = caption).
    Image,
    /// Audio or a voice note.
    Audio,
    /// A video (body = caption).
    Video,
    /// A file such as a PDF (body = caption).
    Document,
    /// A sticker.
    Sticker,
    /// A shared location.
    Location,
    /// A shared contact card.
    Contact,
    /// A WhatsApp notice (joined, changed number, …).
    System,
    /// Arrived already deleted.
    Deleted,
    /// A type Tourdesk does not render yet.
    Unsupported,
}

impl MessageKind {
    /// Every kind, in declaration order.
    pub const ALL: [MessageKind; 11] = [
        MessageKind::Text,
        MessageKind::Image,
        MessageKind::Audio,
        MessageKind::Video,
        MessageKind::Document,
        MessageKind::Sticker,
        MessageKind::Location,
        MessageKind::Contact,
        MessageKind::System,
        MessageKind::Deleted,
        MessageKind::Unsupported,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Image => "image",
            MessageKind::Audio => "audio",
            MessageKind::Video => "video",
            MessageKind::Document => "document",
            MessageKind::Sticker => "sticker",
            MessageKind::Location => "location",
            MessageKind::Contact => "contact",
            MessageKind::System => "system",
            MessageKind::Deleted => "deleted",
            MessageKind::Unsupported => "unsupported",
        }
    }

    /// Parses a stored code (unknown codes read as `unsupported`).
    pub fn from_code(code: &str) -> MessageKind {
        MessageKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .unwrap_or(MessageKind::Unsupported)
    }

    /// Maps a whatsapp-web.js `type` (`chat`, `ptt`, `vcard`, `revoked`, …) to a kind.
    pub fn from_wa_type(wa_type: &str) -> MessageKind {
        match wa_type {
            "chat" => MessageKind::Text,
            "image" => MessageKind::Image,
            "audio" | "ptt" => MessageKind::Audio,
            "video" => MessageKind::Video,
            "document" => MessageKind::Document,
            "sticker" => MessageKind::Sticker,
            "location" => MessageKind::Location,
            "vcard" | "multi_vcard" => MessageKind::Contact,
            "e2e_notification" | "notification" | "notification_template" | "gp2" | "call_log" => {
                MessageKind::System
            }
            "revoked" => MessageKind::Deleted,
            _ => MessageKind::Unsupported,
        }
    }
}

/// A message as the WhatsApp worker (or an importer) hands it to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewMessage {
    /// WhatsApp's chat id (`…@c.us`, `…@lid`, `…@g.us`, …); used only when the message is new.
    pub wa_chat_id: String,
    /// The chat's kind when the chat is created.
    pub chat_kind: ChatKind,
    /// The chat's title (contact or group name) when the chat is created; empty keeps the old one.
    pub chat_title: String,
    /// The client this chat belongs to, when known at creation.
    pub client_id: Option<ClientId>,
    /// The stable id `account:fromMe:id.id`; `None` for imported messages without one.
    pub wa_message_id: Option<String>,
    /// In or out.
    pub direction: Direction,
    /// When it was sent (WhatsApp's clock).
    pub sent_at: DateTime<Utc>,
    /// The sender inside a group, if any.
    pub author: Option<String>,
    /// What it carries.
    pub kind: MessageKind,
    /// Text or caption (may be empty).
    pub body: String,
    /// The saved media file under the app data dir.
    pub media_path: Option<String>,
    /// The media MIME type.
    pub media_mime: Option<String>,
    /// The stable id of the message this one replies to.
    pub quoted_wa_message_id: Option<String>,
    /// For our own messages: how delivery stands (a message typed on the phone arrives `sent`).
    pub status: Option<crate::whatsapp::SendStatus>,
}

/// What storing a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    /// The message's arrival number.
    pub seq: i64,
    /// Its sync id.
    pub id: MessageId,
    /// The chat it is in.
    pub chat_id: ChatId,
    /// False when the same stable id was already stored (nothing was duplicated).
    pub new: bool,
}

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Message {
    /// Arrival order; pass the smallest one shown as `before_seq` for the next page.
    #[ts(type = "number")]
    pub seq: i64,
    /// The sync id.
    pub id: MessageId,
    /// The chat.
    pub chat_id: ChatId,
    /// WhatsApp's stable id, if known.
    #[ts(optional = nullable)]
    pub wa_message_id: Option<String>,
    /// In or out.
    pub direction: Direction,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// The sender inside a group.
    #[ts(optional = nullable)]
    pub author: Option<String>,
    /// What it carries.
    pub kind: MessageKind,
    /// Text or caption.
    pub body: String,
    /// The media file, when saved.
    #[ts(optional = nullable)]
    pub media_path: Option<String>,
    /// The media MIME type.
    #[ts(optional = nullable)]
    pub media_mime: Option<String>,
    /// The stable id of the message replied to.
    #[ts(optional = nullable)]
    pub quoted_wa_message_id: Option<String>,
    /// When the text was last edited.
    #[ts(optional = nullable)]
    pub edited_at: Option<DateTime<Utc>>,
    /// When it was deleted (the row is kept; show "message deleted").
    #[ts(optional = nullable)]
    pub deleted_at: Option<DateTime<Utc>>,
    /// How an outgoing message is doing; `None` for received ones.
    #[ts(optional = nullable)]
    pub status: Option<crate::whatsapp::SendStatus>,
    /// Why it failed (an error code such as `not_on_whatsapp`), when it did.
    #[ts(optional = nullable)]
    pub status_reason: Option<String>,
    /// WhatsApp has held it at ack 0 ("waiting for network") for 5 minutes while connected:
    /// the manager is told.
    #[serde(default)]
    pub stuck: bool,
    /// Reactions to it (one emoji per person who reacted).
    pub reactions: Vec<String>,
    /// The language `body` is written in, once detected (`None` before: imported history is
    /// detected when its conversation is opened).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub language: Option<crate::Language>,
    /// Outgoing through the translator: the manager's own text before translation (`body` is
    /// what went to WhatsApp).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub original_body: Option<String>,
    /// Outgoing through the translator: `body` rendered back into the manager's language.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub back_translation: Option<String>,
    /// The cached translation into the signed-in user's language, when there is one (filled by
    /// the chat's message list; `None` elsewhere and before anything was translated).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub translation: Option<crate::translation::MessageTranslation>,
}

/// One line of the chat list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChatRow {
    /// The chat.
    pub id: ChatId,
    /// WhatsApp's chat id.
    pub wa_chat_id: String,
    /// Person, group or broadcast.
    pub kind: ChatKind,
    /// The linked client.
    #[ts(optional = nullable)]
    pub client_id: Option<ClientId>,
    /// The linked client's name.
    #[ts(optional = nullable)]
    pub client_name: Option<String>,
    /// Contact or group name from WhatsApp.
    pub title: String,
    /// Arrival number of the latest message (the list's order and paging key).
    #[ts(type = "number | null")]
    pub last_message_seq: Option<i64>,
    /// When the latest message was sent.
    #[ts(optional = nullable)]
    pub last_message_at: Option<DateTime<Utc>>,
    /// Direction of the latest message.
    #[ts(optional = nullable)]
    pub last_direction: Option<Direction>,
    /// Kind of the latest message.
    #[ts(optional = nullable)]
    pub last_kind: Option<MessageKind>,
    /// The start of the latest message's text (at most 120 characters).
    pub preview: String,
    /// Inbound messages not yet read.
    pub unread: u32,
    /// The linked client's funnel status.
    #[ts(optional = nullable)]
    pub client_status: Option<crate::FunnelStatus>,
    /// The linked client's language.
    #[ts(optional = nullable)]
    pub client_language: Option<crate::Language>,
    /// The linked client's phone.
    #[ts(optional = nullable)]
    pub client_phone: Option<String>,
    /// How the latest message is doing, when we sent it.
    #[ts(optional = nullable)]
    pub last_status: Option<crate::whatsapp::SendStatus>,
    /// The partner whose number this is (a guide, a hotel), when it is one.
    #[ts(optional = nullable)]
    pub partner_id: Option<crate::PartnerId>,
    /// That partner's name.
    #[ts(optional = nullable)]
    pub partner_name: Option<String>,
}

/// Which chats the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct ChatFilter {
    /// Only chats with unread messages.
    #[serde(default)]
    pub unread_only: bool,
    /// Next page: chats whose latest message arrived before this `last_message_seq`.
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub before_seq: Option<i64>,
    /// Rows per page (1–200; 0 means 50).
    #[serde(default)]
    pub limit: u32,
    /// Only chats of clients in this status.
    #[serde(default)]
    #[ts(optional)]
    pub status: Option<crate::FunnelStatus>,
    /// Only chats of clients with this language.
    #[serde(default)]
    #[ts(optional)]
    pub language: Option<crate::Language>,
    /// Only chats whose title, client name or phone contains this (case-insensitive; digits
    /// also match a phone written with spaces).
    #[serde(default)]
    pub search: String,
}

impl ChatFilter {
    /// The page size actually used.
    pub fn effective_limit(&self) -> u32 {
        page_size(self.limit)
    }
}

/// A page size clamped to 1–[`MAX_PAGE`], 0 meaning 50.
pub fn page_size(requested: u32) -> u32 {
    match requested {
        0 => 50,
        n => n.min(MAX_PAGE),
    }
}

/// Which part of a chat to read: the newest messages, the ones before or after a message
/// (scrolling up or down), or the ones around a message (a search hit opened far back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MessageWindow {
    /// The newest messages.
    Latest,
    /// The messages that arrived before this `seq`.
    Before {
        /// The oldest `seq` shown so far.
        #[ts(type = "number")]
        seq: i64,
    },
    /// The messages that arrived after this `seq`.
    After {
        /// The newest `seq` shown so far.
        #[ts(type = "number")]
        seq: i64,
    },
    /// This message with about half a page on each side.
    Around {
        /// The message to centre on.
        id: MessageId,
    },
}

/// One window of a chat, newest first, and whether more exist on either side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessagePage {
    /// The messages, newest first.
    pub messages: Vec<Message>,
    /// Older messages exist before the oldest one here.
    pub older: bool,
    /// Newer messages exist after the newest one here.
    pub newer: bool,
}

/// One message found by text search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageHit {
    /// The chat.
    pub chat_id: ChatId,
    /// The chat's title.
    pub chat_title: String,
    /// The linked client.
    #[ts(optional = nullable)]
    pub client_id: Option<ClientId>,
    /// The message.
    pub message: Message,
    /// Text around the match; matched terms are wrapped in [`SNIPPET_START`] and [`SNIPPET_END`].
    pub snippet: String,
}

/// Turns what a person typed into an FTS5 query: every word must occur; the last word also
/// matches as a prefix once it has three characters. `None` when nothing searchable is left.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    let last_len = text
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
        .map(|w| w.chars().count())
        .unwrap_or(0);
    let mut q = words.join(" ");
    if q.is_empty() {
        return None;
    }
    if last_len >= 3 && words.len() < 16 && !text.ends_with(char::is_whitespace) {
        q.push('*');
    }
    Some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_text_becomes_quoted_words_with_a_prefix_on_the_last() {
        assert_eq!(
            fts_query("Иссык кул").as_deref(),
            Some("\"Иссык\" \"кул\"*")
        );
        assert_eq!(
            fts_query("a \"b\" OR").as_deref(),
            Some("\"a\" \"b\" \"OR\"")
        );
        assert_eq!(fts_query("  ,,  "), None);
    }

    #[test]
    fn whatsapp_types_map_to_kinds_and_unknown_ones_are_kept() {
        assert_eq!(MessageKind::from_wa_type("ptt"), MessageKind::Audio);
        assert_eq!(
            MessageKind::from_wa_type("poll_creation"),
            MessageKind::Unsupported
        );
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::from_code(k.code()), k);
        }
        assert_eq!(ChatKind::of_wa_chat_id("123@g.us"), ChatKind::Group);
        assert_eq!(ChatKind::of_wa_chat_id("123@lid"), ChatKind::OneToOne);
    }
}

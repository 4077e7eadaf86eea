//! History import: conversations staged from WhatsApp export files or from WhatsApp Web, the
//! manager's review edits, and what commit and undo did.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ClientId, ErrorCode, FunnelStatus, ImportBatchId, ImportItemId, Language};

/// Where a batch's conversations came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportSource {
    /// WhatsApp "Export chat" files (.txt / .zip).
    Files,
    /// History fetched through the connected WhatsApp Web session.
    Whatsapp,
}

impl ImportSource {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ImportSource::Files => "files",
            ImportSource::Whatsapp => "whatsapp",
        }
    }
    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "files" => Some(ImportSource::Files),
            "whatsapp" => Some(ImportSource::Whatsapp),
            _ => None,
        }
    }
}

/// Where a batch stands: staged (under review) → committed → undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportBatchStatus {
    /// Parsed and waiting for review; nothing is in the CRM yet.
    Staged,
    /// Written into clients, chats and messages.
    Committed,
    /// Committed, then undone.
    Undone,
}

impl ImportBatchStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ImportBatchStatus::Staged => "staged",
            ImportBatchStatus::Committed => "committed",
            ImportBatchStatus::Undone => "undone",
        }
    }
    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "staged" => Some(ImportBatchStatus::Staged),
            "committed" => Some(ImportBatchStatus::Committed),
            "undone" => Some(ImportBatchStatus::Undone),
            _ => None,
        }
    }
}

/// What commit does with one staged conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    /// Create a new client (in the suggested status) with this conversation; for a group, store
    /// the group chat without a client.
    Import,
    /// Leave it out.
    Skip,
    /// Add the conversation to the existing client `merge_into` (its fields and status stay).
    Merge,
}

impl ImportAction {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ImportAction::Import => "import",
            ImportAction::Skip => "skip",
            ImportAction::Merge => "merge",
        }
    }
    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "import" => Some(ImportAction::Import),
            "skip" => Some(ImportAction::Skip),
            "merge" => Some(ImportAction::Merge),
            _ => None,
        }
    }
}

/// One file the manager chose or dropped, as the page read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportFile {
    /// The file's name (the contact is often in it: "WhatsApp Chat with +62 821….txt").
    pub file_name: String,
    /// The file's bytes, base64.
    pub data_base64: String,
}

/// A file that gave nothing to stage, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportFileError {
    /// The file's name as given.
    pub file_name: String,
    /// `not_a_whatsapp_export`, `import_too_large`, `invalid_attachment` (damaged file), …
    pub code: ErrorCode,
    /// English detail.
    pub message: String,
}

/// One conversation in a batch, as the review screen shows and edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportItem {
    /// Id.
    pub id: ImportItemId,
    /// The export file it came from (for WhatsApp Web: the chat's title).
    pub file_name: String,
    /// The conversation's title: the contact or group from the file name or WhatsApp.
    pub chat_title: String,
    /// WhatsApp's chat id, when known (WhatsApp Web; exports carry none).
    #[ts(optional = nullable)]
    pub wa_chat_id: Option<String>,
    /// Everyone who wrote, as written in the export (WhatsApp Web: empty).
    pub participants: Vec<String>,
    /// The client's name (editable; empty when it could not be told, see `needs_client_choice`).
    pub name: String,
    /// The client's phone in E.164 when known (a saved contact's export has none).
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    /// The client's language detected over their messages.
    pub language: Language,
    /// Confidence of `language`, 0..1.
    pub language_confidence: f32,
    /// The first funnel status suggested from the conversation.
    pub suggested_status: FunnelStatus,
    /// Why that status (the signal found).
    pub status_reason: String,
    /// Stable code of that signal, for a translated sentence (`first_contact`, `paid`,
    /// `negotiation`, `price`, `two_way`, `dates_or_party`, `service_after_sale`; empty when
    /// unknown, then show `status_reason`).
    pub status_signal: String,
    /// The signal's value: the quoted word or price, or for `two_way` the client/other message
    /// counts as `"3/2"`.
    pub status_signal_value: String,
    /// The message the signal came from.
    #[ts(optional = nullable)]
    pub status_evidence: Option<String>,
    /// User messages (system events are not imported).
    pub messages: u32,
    /// The earliest message: for files the local date-time as written (`2019-01-30T20:49:00`,
    /// no zone); for WhatsApp Web a UTC time (`2026-04-30T10:00:00Z`).
    #[ts(optional = nullable)]
    pub first: Option<String>,
    /// The latest message, written like `first`.
    #[ts(optional = nullable)]
    pub last: Option<String>,
    /// A group chat (more than two people wrote): never turned into one client.
    pub is_group: bool,
    /// Two or more people wrote and none is known as ours: the manager must say who the client
    /// is (set `name` to one of `participants`) or give their own WhatsApp names.
    pub needs_client_choice: bool,
    /// What commit does with it.
    pub action: ImportAction,
    /// For `merge`: the existing client.
    #[ts(optional = nullable)]
    pub merge_into: Option<ClientId>,
    /// That client's name.
    #[ts(optional = nullable)]
    pub merge_name: Option<String>,
    /// An existing client proposed automatically: the one with the same phone, else the client
    /// of the chat an earlier import (or WhatsApp Web) stored this conversation in, else — when
    /// no phone is known — the only client with exactly this name; `action` starts as `merge`.
    #[ts(optional = nullable)]
    pub proposed_merge: Option<ClientId>,
    /// That client's name.
    #[ts(optional = nullable)]
    pub proposed_merge_name: Option<String>,
    /// The IANA zone the export's times are read in (default: the manager's). WhatsApp Web times
    /// are already UTC and ignore it.
    pub time_zone: String,
    /// WhatsApp Web only: the linked device gave the newest messages up to the limit and older
    /// ones may exist; an export file from the phone has the rest.
    pub history_truncated: bool,
    /// Problems that did not stop staging (invalid UTF-8 read lossily, impossible dates…).
    pub warnings: Vec<ImportNote>,
    /// After commit: the client created or merged into.
    #[ts(optional = nullable)]
    pub client_id: Option<ClientId>,
    /// After commit: messages added.
    pub messages_added: u32,
    /// After commit: messages already stored (not added again).
    pub duplicates_skipped: u32,
}

/// The review screen's edits of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportItemUpdate {
    /// The client's name.
    pub name: String,
    /// The client's phone (any format; read in the organisation's region); empty = none.
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    /// The client's language.
    pub language: Language,
    /// The status a new client starts in.
    pub suggested_status: FunnelStatus,
    /// Import, skip or merge.
    pub action: ImportAction,
    /// For `merge`: the existing client.
    #[ts(optional = nullable)]
    pub merge_into: Option<ClientId>,
    /// IANA zone of the export's times.
    pub time_zone: String,
}

/// What a commit wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    /// New clients.
    pub clients_created: u32,
    /// Conversations added to existing clients.
    pub clients_merged: u32,
    /// Messages stored.
    pub messages_added: u32,
    /// Messages that were already stored (same WhatsApp id, or same chat, direction, text and
    /// minute) and were not added again.
    pub duplicates_skipped: u32,
    /// Conversations skipped.
    pub items_skipped: u32,
}

/// What an undo removed and what it kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UndoReport {
    /// Clients created by the batch and removed.
    pub clients_removed: u32,
    /// Messages added by the batch and removed.
    pub messages_removed: u32,
    /// Chats created by the batch and removed.
    pub chats_removed: u32,
    /// What was kept because someone changed it since.
    pub kept: Vec<ImportNote>,
}

/// Something the import tells the manager (a problem that did not stop staging, or what an undo
/// kept and why): a code with its parameters, translated by the UI, never an English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ImportNote {
    /// Lines that were not valid UTF-8, decoded with replacement characters.
    InvalidUtf8 { lines: u32 },
    /// Unpaired UTF-16 surrogates decoded as replacement characters.
    InvalidUtf16 { count: u32 },
    /// Lines before the first message, ignored.
    LinesBeforeFirstMessage { lines: u32 },
    /// Messages over the size limit, cut.
    MessagesCut { count: u32 },
    /// Messages whose date is impossible in the chosen day/month order.
    ImpossibleDates { count: u32, month_first: bool },
    /// Messages with impossible dates left out of the staged conversation.
    UndatedLeftOut { count: u32 },
    /// A client the batch created was kept with its chat and imported messages.
    ClientKept {
        name: String,
        messages: u32,
        reasons: Vec<KeptReason>,
    },
    /// Imported messages kept in a chat because they were edited, deleted or reacted to.
    MessagesKept { name: String, count: u32 },
    /// A chat the batch created, kept because it has messages from elsewhere.
    ChatKept { name: String },
    /// A note stored by an earlier version as English text.
    Legacy { text: String },
}

/// Why an undo kept a client the batch created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum KeptReason {
    /// The client was changed after the import.
    ClientChanged,
    /// Another chat is linked to the client.
    OtherChat,
    /// Another client was merged into it.
    MergedInto,
    /// Messages arrived in its chat since.
    ArrivedSince { count: u32 },
    /// Imported messages were edited, deleted or reacted to.
    Touched { count: u32 },
}

impl ImportNote {
    /// The note in English, for the command line and logs (the UI translates the code).
    pub fn english(&self) -> String {
        match self {
            ImportNote::InvalidUtf8 { lines } => {
                format!("invalid UTF-8 in {lines} line(s): decoded with U+FFFD replacement characters")
            }
            ImportNote::InvalidUtf16 { count } => {
                format!("invalid UTF-16: {count} unpaired surrogate(s) decoded as U+FFFD")
            }
            ImportNote::LinesBeforeFirstMessage { lines } => {
                format!("{lines} line(s) before the first message were ignored")
            }
            ImportNote::MessagesCut { count } => format!("{count} message(s) over 2 GiB were cut"),
            ImportNote::ImpossibleDates { count, month_first } => format!(
                "{count} message(s) have a date impossible as {}",
                if *month_first { "month_first" } else { "day_first" }
            ),
            ImportNote::UndatedLeftOut { count } => {
                format!("{count} messages with impossible dates were left out")
            }
            ImportNote::ClientKept { name, messages, reasons } => format!(
                "client {name:?} was kept with its chat and {messages} imported messages: {}",
                reasons.iter().map(KeptReason::english).collect::<Vec<_>>().join("; ")
            ),
            ImportNote::MessagesKept { name, count } => format!(
                "{count} imported messages in the chat {name:?} were kept: edited, deleted or reacted to since"
            ),
            ImportNote::ChatKept { name } => {
                format!("the chat {name:?} was kept: it has messages from elsewhere")
            }
            ImportNote::Legacy { text } => text.clone(),
        }
    }
}

impl KeptReason {
    /// The reason in English, for the command line and logs.
    pub fn english(&self) -> String {
        match self {
            KeptReason::ClientChanged => "the client was changed after the import".into(),
            KeptReason::OtherChat => "another chat is linked to the client".into(),
            KeptReason::MergedInto => "another client was merged into it".into(),
            KeptReason::ArrivedSince { count } => {
                format!("{count} messages arrived in its chat since")
            }
            KeptReason::Touched { count } => {
                format!("{count} of its imported messages were edited, deleted or reacted to")
            }
        }
    }
}

/// A batch with its conversations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportBatch {
    /// Id.
    pub id: ImportBatchId,
    /// Files or WhatsApp Web.
    pub source: ImportSource,
    /// Staged, committed or undone.
    pub status: ImportBatchStatus,
    /// When it was staged.
    pub created_at: DateTime<Utc>,
    /// When it was committed.
    #[ts(optional = nullable)]
    pub committed_at: Option<DateTime<Utc>>,
    /// When it was undone.
    #[ts(optional = nullable)]
    pub undone_at: Option<DateTime<Utc>>,
    /// Conversations in it.
    pub item_count: u32,
    /// The conversations (empty in `import_batch_list`).
    pub items: Vec<ImportItem>,
    /// Files that gave nothing to stage.
    pub errors: Vec<ImportFileError>,
    /// What the commit wrote.
    #[ts(optional = nullable)]
    pub summary: Option<ImportSummary>,
    /// What the undo removed and kept.
    #[ts(optional = nullable)]
    pub undo: Option<UndoReport>,
}

/// The organisation's import settings, remembered once asked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportSettings {
    /// The managers' own WhatsApp names, as they appear in exports (to tell the client apart).
    pub own_names: Vec<String>,
    /// The zone export times are read in by default (IANA), when set.
    #[ts(optional = nullable)]
    pub time_zone: Option<String>,
}

/// A WhatsApp chat offered for a history fetch (`import_wa_chats`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WaChatChoice {
    /// WhatsApp's chat id.
    pub id: String,
    /// Its name on WhatsApp, when it has one.
    #[ts(optional = nullable)]
    pub name: Option<String>,
    /// A group chat.
    pub is_group: bool,
    /// Unread messages on the phone.
    pub unread_count: u32,
    /// Last activity (unix seconds), when known.
    #[ts(optional = nullable, type = "number | null")]
    pub timestamp: Option<u64>,
}

/// The `import:progress` event of a WhatsApp history fetch; the last one has `finished`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportProgress {
    /// The batch the fetched history is staged as.
    pub batch_id: String,
    /// Chats fetched so far.
    pub done: u32,
    /// Chats to fetch.
    pub total: u32,
    /// The chat being fetched, when one is.
    #[ts(optional = nullable)]
    pub chat: Option<String>,
    /// The fetch is over (done, cancelled or failed).
    pub finished: bool,
    /// It was cancelled.
    pub cancelled: bool,
    /// Why it failed, when it did.
    #[ts(optional = nullable)]
    pub error: Option<String>,
}

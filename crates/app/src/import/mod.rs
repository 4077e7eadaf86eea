//! The history import: staging → review → commit → undo.
//!
//! - **Staging** parses WhatsApp export files (`.txt`/`.zip`, via `tourdesk-importer`) or takes
//!   chats fetched through WhatsApp Web, works out per conversation who the client is, their
//!   phone, language and a first funnel status, and stores it all in `import_items` /
//!   `import_messages`. Nothing reaches the CRM's clients, chats or messages yet. Media inside a
//!   `.zip` is copied to `<data>/media/import/<batch>/<item>/`.
//! - **Review** edits an item (name, phone, language, status, zone, import / skip / merge). An
//!   existing client with the same phone (or the client an earlier import of the same
//!   conversation went to) is proposed automatically and the item starts as a merge into it.
//! - **Commit** writes the whole batch in **one transaction** (all or nothing; the writer is busy
//!   for its duration): new clients start in the suggested status with a history row by actor
//!   `import` (reason and evidence from the suggestion), chats are `<digits>@c.us` when a phone is
//!   known (so WhatsApp Web later finds the same chat), else a stable synthetic `import:…` id;
//!   export times are read in the item's zone and stored as UTC. Rows are stamped with the batch.
//! - **Undo** removes only the batch's rows nobody changed since (see [`App::import_undo`]).
//!
//! ## The no-duplicate rule
//! A message with a WhatsApp id (WhatsApp Web) is the same message as a stored one with that id.
//! Otherwise a message is the same as a stored one of **the same chat** with the same
//! **direction**, the same **minute** (UTC, seconds dropped), the same **content class** — for
//! text a 64-bit hash of the text after trimming, dropping invisible direction marks and folding
//! every run of white space (incl. no-break spaces and line breaks) into one space; for media
//! ("<Media omitted>", attachments, images…) just "media"; for deleted messages "deleted" — and
//! the same **position among such look-alikes** within that minute: the n-th imported "ok" of a
//! minute matches the n-th stored one. Stored messages from WhatsApp Web count too, so an export
//! overlapping what WhatsApp Web stored adds nothing; an imported WhatsApp Web message that
//! matches an export row without an id gives that row its id.
//!
//! Limits: the zone chosen at review must be the phone's zone of the export (a wrong zone shifts
//! every minute, nothing matches and the history is doubled — undo fixes it); a message sent in
//! the hour a DST change repeats is read in the earlier of the two; an export row whose time the
//! phone showed in a different minute from WhatsApp's timestamp (clock skew) is not matched;
//! media are matched by minute and direction only (two photos in one minute are told apart only
//! by their count); an edited message matches only if its final text is the one exported
//! ("<This message was edited>" is stripped); locations and contact cards, which exports write as
//! text, do not match their WhatsApp Web rows; a chat WhatsApp Web stores under an `@lid` id is
//! the same chat as the `<digits>@c.us` one an export with a phone goes to only once WhatsApp told
//! us that lid's phone (the `wa_lids` pairs).

mod commit;
mod review;
mod rules;
mod stage;
mod undo;

use std::collections::HashMap;
use std::path::PathBuf;

use tourdesk_core::import::ImportSettings;
use tourdesk_core::message::NewMessage;
use tourdesk_core::validate::{self};
use tourdesk_core::{AppResult, ImportItemId};
use tourdesk_importer::Chat;
use tourdesk_store::imports::{self};

use crate::{App, Session};
use rules::clean_own_names;

/// The largest export file accepted, in bytes (a 100 MB export is a very long chat).
pub const MAX_IMPORT_FILE_BYTES: usize = 200 * 1024 * 1024;
/// Sub-folder of the media folder where media from `.zip` exports is copied, per batch.
pub const IMPORT_MEDIA_DIR: &str = "import";
/// The zone export times are read in when the organisation never chose one.
pub const DEFAULT_TIME_ZONE: &str = "UTC";
/// Most names remembered as the managers' own.
const MAX_OWN_NAMES: usize = 50;

/// A chat fetched through WhatsApp Web for the history import (`tourdesk-wahost` fills it from
/// the supervisor's `get_chats` and `fetch_messages`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaHistoryChat {
    /// WhatsApp's chat id (`…@c.us`, `…@lid`, `…@g.us`).
    pub wa_chat_id: String,
    /// The contact's or group's name as WhatsApp shows it (may be empty).
    pub title: String,
    /// A group chat.
    pub is_group: bool,
    /// The contact's phone in E.164 when known.
    pub phone: Option<String>,
    /// The messages, oldest first, with their stable ids and UTC times.
    pub messages: Vec<NewMessage>,
    /// WhatsApp gave the newest `limit` and older ones may exist.
    pub truncated: bool,
}

/// One parsed export before it is staged.
struct ParsedFile {
    file_name: String,
    chat: Chat,
    /// Attachment file name → copied path, for `.zip` exports.
    media: HashMap<String, PathBuf>,
    item_id: ImportItemId,
}

impl App {
    // ---- settings ----

    /// The organisation's import settings: the managers' own WhatsApp names and the default
    /// zone of export times.
    pub fn import_settings_get(&self, s: &Session) -> AppResult<ImportSettings> {
        let a = self.actor(s)?;
        self.store.read(|c| imports::settings_get(c, a.tenant))
    }

    /// Saves the import settings (any active user: they are asked in the import wizard).
    pub fn import_settings_update(
        &self,
        s: &Session,
        new: &ImportSettings,
    ) -> AppResult<ImportSettings> {
        let a = self.actor(s)?;
        let clean = ImportSettings {
            own_names: clean_own_names(&new.own_names)?,
            time_zone: validate::time_zone(new.time_zone.as_deref(), "time_zone")?,
        };
        self.store
            .write(|tx| imports::settings_put(tx, a.tenant, &clean))?;
        Ok(clean)
    }

    // ---- staging ----
}

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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use tourdesk_core::client::ClientInput;
use tourdesk_core::import::{
    ImportAction, ImportBatch, ImportBatchStatus, ImportFile, ImportFileError, ImportItem,
    ImportItemUpdate, ImportSettings, ImportSource, ImportSummary, UndoReport,
};
use tourdesk_core::message::{ChatKind, Direction, MessageKind, NewMessage};
use tourdesk_core::validate::{self, MAX_NAME};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{
    Actor as ChangeActor, AppError, AppResult, ChatId, ClientId, ErrorCode, ImportBatchId,
    ImportItemId, Language, MessageId, TenantId,
};
use tourdesk_importer::{self as importer, Chat, ImportError, ParseOptions, ZipLimits};
use tourdesk_store::clients::{self, Linkable};
use tourdesk_store::imports::{self, ItemResult, ItemRow, StagedMessage, StoredKey};
use tourdesk_store::{chats, messages, wa_lids, Connection};

use crate::clients::NewLead;
use crate::whatsapp::{phone_of_wa_id, wa_id_of_phone, MEDIA_DIR};
use crate::{App, Session};

/// The largest export file accepted, in bytes (a 100 MB export is a very long chat).
pub const MAX_IMPORT_FILE_BYTES: usize = 200 * 1024 * 1024;
/// Sub-folder of the media folder where media from `.zip` exports is copied, per batch.
pub const IMPORT_MEDIA_DIR: &str = "import";
/// The zone export times are read in when the organisation never chose one.
pub const DEFAULT_TIME_ZONE: &str = "UTC";
/// Longest status evidence kept (the history row's limit).
const MAX_EVIDENCE: usize = 500;
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

// ---- small helpers ----

fn file_error(file_name: &str, code: ErrorCode, message: impl Into<String>) -> ImportFileError {
    ImportFileError {
        file_name: file_name.to_string(),
        code,
        message: message.into(),
    }
}

fn importer_error(file_name: &str, e: &ImportError) -> ImportFileError {
    let code = match e {
        ImportError::ZipRefused { reason, .. } if !reason.contains("unsafe") => {
            ErrorCode::ImportTooLarge
        }
        ImportError::Io { .. } | ImportError::Write { .. } => ErrorCode::Storage,
        _ => ErrorCode::NotAWhatsappExport,
    };
    file_error(file_name, code, e.to_string())
}

/// A name compared loosely: invisible marks dropped, trimmed, lower-cased.
fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_lowercase()
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// FNV-1a, 64 bits: stable across builds (the std hasher is not).
fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The text as the duplicate check compares it (see the module docs).
fn normalise_text(text: &str) -> String {
    let mut t = text.trim();
    let edited = "<this message was edited>";
    if t.len() >= edited.len()
        && t.is_char_boundary(t.len() - edited.len())
        && t[t.len() - edited.len()..].eq_ignore_ascii_case(edited)
    {
        t = t[..t.len() - edited.len()].trim_end();
    }
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// What a message is compared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Text(u64),
    Media,
    Deleted,
}

fn class_of(kind: MessageKind, body: &str, deleted: bool) -> Option<Class> {
    if deleted || kind == MessageKind::Deleted {
        return Some(Class::Deleted);
    }
    match kind {
        MessageKind::Text => Some(Class::Text(fnv(&normalise_text(body)))),
        MessageKind::System => None,
        _ => Some(Class::Media),
    }
}

type DedupeKey = (Direction, Class, i64);

fn dedupe_key(direction: Direction, class: Class, at: DateTime<Utc>) -> DedupeKey {
    (direction, class, at.timestamp().div_euclid(60))
}

/// A local date-time as written in an export (`2019-01-30T20:49:00`) in `tz`, as UTC. In a DST
/// overlap the earlier reading is taken; a time inside a DST gap is read an hour later.
fn local_to_utc(local: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").ok()?;
    let zoned = tz.from_local_datetime(&naive).earliest().or_else(|| {
        tz.from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
    })?;
    Some(zoned.with_timezone(&Utc))
}

fn parse_zone(zone: &str, field: &str) -> AppResult<chrono_tz::Tz> {
    let name = validate::time_zone(Some(zone), field)?.ok_or_else(|| {
        AppError::field(
            ErrorCode::Required,
            field,
            "choose the time zone of the export",
        )
    })?;
    name.parse::<chrono_tz::Tz>()
        .map_err(|_| AppError::field(ErrorCode::UnknownTimeZone, field, "unknown time zone"))
}

fn utc_iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A MIME type and message kind from an attachment's file name.
fn media_of_name(name: &str) -> (MessageKind, &'static str) {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => (MessageKind::Image, "image/jpeg"),
        "png" => (MessageKind::Image, "image/png"),
        "gif" => (MessageKind::Image, "image/gif"),
        "heic" => (MessageKind::Image, "image/heic"),
        "webp" => (MessageKind::Sticker, "image/webp"),
        "opus" | "ogg" => (MessageKind::Audio, "audio/ogg"),
        "mp3" => (MessageKind::Audio, "audio/mpeg"),
        "m4a" | "aac" => (MessageKind::Audio, "audio/mp4"),
        "amr" => (MessageKind::Audio, "audio/amr"),
        "wav" => (MessageKind::Audio, "audio/wav"),
        "mp4" => (MessageKind::Video, "video/mp4"),
        "3gp" => (MessageKind::Video, "video/3gpp"),
        "mov" => (MessageKind::Video, "video/quicktime"),
        "pdf" => (MessageKind::Document, "application/pdf"),
        "vcf" => (MessageKind::Contact, "text/vcard"),
        "txt" => (MessageKind::Document, "text/plain"),
        _ => (MessageKind::Document, "application/octet-stream"),
    }
}

/// One line of evidence: line breaks folded, at most [`MAX_EVIDENCE`] characters.
fn evidence_text(text: &str) -> Option<String> {
    let one_line: String = text
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let clipped: String = one_line.chars().take(MAX_EVIDENCE).collect();
    (!clipped.is_empty()).then_some(clipped)
}

/// The managers' names: trimmed, non-empty, one line, de-duplicated (case-insensitively).
fn clean_own_names(names: &[String]) -> AppResult<Vec<String>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in names {
        let Some(n) = validate::optional_text(Some(n), "own_names", MAX_NAME)? else {
            continue;
        };
        if seen.insert(name_key(&n)) {
            out.push(n);
        }
    }
    if out.len() > MAX_OWN_NAMES {
        return Err(AppError::field(
            ErrorCode::OutOfRange,
            "own_names",
            "too many names",
        ));
    }
    Ok(out)
}

/// The participant who writes in every one of at least two files is the manager (used for the
/// batch when the organisation's own names are not known yet).
fn infer_own_names(parsed: &[ParsedFile]) -> Vec<String> {
    let chats: Vec<Vec<&str>> = parsed
        .iter()
        .map(|p| p.chat.participants())
        .filter(|p| p.len() == 2)
        .collect();
    if chats.len() < 2 {
        return Vec::new();
    }
    let mut counts: HashMap<String, (usize, &str)> = HashMap::new();
    for participants in &chats {
        for p in participants {
            counts.entry(name_key(p)).or_insert((0, p)).0 += 1;
        }
    }
    counts
        .into_values()
        .filter(|(n, _)| *n == chats.len())
        .map(|(_, p)| p.to_string())
        .collect()
}

/// Who wrote a message of a conversation: the client's messages come in, ours go out.
fn direction_of(row: &ItemRow, author: Option<&str>) -> Direction {
    let author = author.map(name_key).unwrap_or_default();
    if !row.item.is_group {
        if let Some(client) = row.client_author.as_deref() {
            return if name_key(client) == author {
                Direction::In
            } else {
                Direction::Out
            };
        }
    }
    if row.own_names.iter().any(|o| name_key(o) == author) {
        Direction::Out
    } else {
        Direction::In
    }
}

/// The stable synthetic chat id of a conversation without a phone.
fn chat_key(is_group: bool, title: &str, participants: &[&str]) -> String {
    if is_group {
        let mut p: Vec<String> = participants.iter().map(|p| name_key(p)).collect();
        p.sort();
        format!(
            "import:group:{:016x}",
            fnv(&format!("{}\n{}", name_key(title), p.join("\n")))
        )
    } else {
        format!("import:contact:{:016x}", fnv(&name_key(title)))
    }
}

/// The file name without folders or extension.
fn stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rsplit_once('.') {
        Some((s, ext)) if ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("zip") => {
            s.to_string()
        }
        _ => base.to_string(),
    }
}

/// An existing client to propose for a conversation: the live client with that phone, else the
/// client of the chat an earlier import or WhatsApp Web stored it in, else (no phone known) the
/// only live client with exactly that name.
fn propose(
    c: &Connection,
    tenant: TenantId,
    phone: Option<&str>,
    chat_ids: &[&str],
    name: &str,
) -> AppResult<Option<ClientId>> {
    if let Some(p) = phone {
        if let Some(id) = clients::find_by_phone(c, tenant, p)? {
            return Ok(Some(id));
        }
    }
    for wa in chat_ids {
        if let Some(chat) = wa_lids::chat_of_person(c, tenant, wa)? {
            if let Some(client) = chats::client_of(c, tenant, chat)? {
                if clients::exists_live(c, Linkable::Client, tenant, &client.to_string())? {
                    return Ok(Some(client));
                }
            }
        }
    }
    // By name only without a phone: a client of that name with another phone is someone else.
    if phone.is_some() || name.trim().is_empty() {
        return Ok(None);
    }
    imports::only_client_named(c, tenant, name.trim())
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

    /// Parses export files into a new staged batch. `own_names` are the managers' WhatsApp names
    /// (remembered for next time when given; the remembered ones are used when empty). A file
    /// that is not a chat export, too large, or an unsafe or oversized `.zip` becomes an entry
    /// of `errors` and stages nothing; the other files are staged.
    pub fn import_stage_files(
        &self,
        s: &Session,
        files: &[ImportFile],
        own_names: &[String],
    ) -> AppResult<ImportBatch> {
        let _span = tracing::info_span!("import_stage_files", files = files.len()).entered();
        let a = self.actor(s)?;
        let given = clean_own_names(own_names)?;
        let mut settings = self.store.read(|c| imports::settings_get(c, a.tenant))?;
        if !given.is_empty() && given != settings.own_names {
            settings.own_names = given.clone();
            self.store
                .write(|tx| imports::settings_put(tx, a.tenant, &settings))?;
        }
        let zone = settings
            .time_zone
            .clone()
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_string());
        let region = self.phone_region(a.tenant)?;
        let batch = ImportBatchId(self.new_uuid());
        let batch_media = self
            .data_dir()
            .join(MEDIA_DIR)
            .join(IMPORT_MEDIA_DIR)
            .join(batch.to_string());
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (n, f) in files.iter().enumerate() {
            match self.parse_file(f, n, &batch_media) {
                Ok(p) => parsed.push(p),
                Err(e) => errors.push(e),
            }
        }
        let mut own = settings.own_names.clone();
        if own.is_empty() {
            own = infer_own_names(&parsed);
        }
        let mut items: Vec<(ItemRow, Vec<StagedMessage>)> = Vec::new();
        for (ord, p) in parsed.iter().enumerate() {
            items.push(self.stage_export(a.tenant, batch, ord, p, &own, &zone, &region)?);
        }
        self.store.write(|tx| {
            imports::insert_batch(
                tx,
                a.tenant,
                batch,
                ImportSource::Files,
                a.user,
                self.now(),
                &errors,
            )?;
            for (row, msgs) in &items {
                imports::insert_item(tx, a.tenant, row)?;
                for m in msgs {
                    imports::insert_staged(tx, a.tenant, row.item.id, m)?;
                }
            }
            Ok(())
        })?;
        self.batch_of(a.tenant, batch)
    }

    /// Decodes and parses one file; media of a `.zip` is copied under `batch_media/<item id>`.
    fn parse_file(
        &self,
        f: &ImportFile,
        n: usize,
        batch_media: &Path,
    ) -> Result<ParsedFile, ImportFileError> {
        let name = f.file_name.trim();
        let too_large = || {
            file_error(
                name,
                ErrorCode::ImportTooLarge,
                format!(
                    "the file is larger than {} MiB",
                    MAX_IMPORT_FILE_BYTES / (1024 * 1024)
                ),
            )
        };
        if f.data_base64.len() > MAX_IMPORT_FILE_BYTES / 3 * 4 + 8 {
            return Err(too_large());
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(f.data_base64.trim())
            .map_err(|_| {
                file_error(
                    name,
                    ErrorCode::NotAWhatsappExport,
                    "the file could not be read (bad base64)",
                )
            })?;
        if bytes.len() > MAX_IMPORT_FILE_BYTES {
            return Err(too_large());
        }
        let lower = name.to_ascii_lowercase();
        let is_zip = lower.ends_with(".zip") || bytes.starts_with(b"PK\x03\x04");
        let item_id = ImportItemId(self.new_uuid());
        let options = ParseOptions::default();
        let (chat, media) = if is_zip {
            let tmp_dir = self.data_dir().join("import-tmp");
            std::fs::create_dir_all(&tmp_dir).map_err(|e| {
                file_error(name, ErrorCode::Storage, format!("temporary folder: {e}"))
            })?;
            let tmp = tmp_dir.join(format!("{}-{n}.zip", self.new_uuid()));
            std::fs::write(&tmp, &bytes).map_err(|e| {
                file_error(name, ErrorCode::Storage, format!("temporary file: {e}"))
            })?;
            drop(bytes);
            let limits = ZipLimits::default();
            let result = importer::parse_zip(&tmp, &options, &limits).and_then(|chat| {
                let dest = batch_media.join(item_id.to_string());
                let copied = if chat.attachments().iter().any(|a| a.zip_entry.is_some()) {
                    importer::copy_attachments(&tmp, &chat, &dest, &limits)?
                } else {
                    Vec::new()
                };
                let media = copied
                    .into_iter()
                    .map(|c| (c.file_name, c.path))
                    .collect::<HashMap<_, _>>();
                Ok((chat, media))
            });
            let _ = std::fs::remove_file(&tmp);
            result.map_err(|e| importer_error(name, &e))?
        } else {
            let chat = importer::parse_reader(&bytes[..], &options)
                .map_err(|e| importer_error(name, &e))?;
            (chat, HashMap::new())
        };
        if chat.user_message_count() == 0 {
            return Err(file_error(
                name,
                ErrorCode::NotAWhatsappExport,
                "no messages written by people were found in the file",
            ));
        }
        Ok(ParsedFile {
            file_name: name.to_string(),
            chat,
            media,
            item_id,
        })
    }

    /// Works out the client, language, status and messages of one parsed export.
    #[allow(clippy::too_many_arguments)]
    fn stage_export(
        &self,
        tenant: TenantId,
        batch: ImportBatchId,
        ord: usize,
        p: &ParsedFile,
        own: &[String],
        zone: &str,
        region: &str,
    ) -> AppResult<(ItemRow, Vec<StagedMessage>)> {
        let chat = &p.chat;
        let guess = importer::identify_client(chat, own, Some(&p.file_name));
        let participants = chat.participants();
        let is_group = guess.is_group;
        let client_author = if is_group {
            None
        } else {
            guess
                .name
                .as_deref()
                .and_then(|n| participants.iter().find(|p| **p == n))
                .map(|p| p.to_string())
        };
        let own_keys: HashSet<String> = own.iter().map(|o| name_key(o)).collect();
        let others = participants
            .iter()
            .filter(|p| !own_keys.contains(&name_key(p)))
            .count();
        let needs_client_choice = !is_group && client_author.is_none() && others >= 2;
        let phone = guess
            .phone
            .as_deref()
            .and_then(|ph| validate::phone(ph, region, "phone").ok());
        let title = importer::contact_from_file_name(&p.file_name)
            .or_else(|| guess.name.clone())
            .unwrap_or_else(|| stem(&p.file_name));
        let name = if is_group {
            title.clone()
        } else if needs_client_choice {
            String::new()
        } else {
            guess
                .name
                .clone()
                .or_else(|| importer::contact_from_file_name(&p.file_name))
                .unwrap_or_default()
        };
        let name: String = name.chars().take(MAX_NAME).collect();
        let language = importer::detect_language(chat, client_author.as_deref());
        let suggestion = importer::suggest_status(chat, client_author.as_deref());
        let evidence = suggestion
            .message_index
            .and_then(|i| chat.message(i))
            .and_then(|m| evidence_text(m.text));
        let span = chat.span();
        let key = phone
            .is_none()
            .then(|| chat_key(is_group, &title, &participants));
        let proposed = if is_group {
            None
        } else {
            let keys: Vec<&str> = key.as_deref().into_iter().collect();
            self.store
                .read(|c| propose(c, tenant, phone.as_deref(), &keys, &name))?
        };
        let action = if is_group || needs_client_choice || name.trim().is_empty() {
            ImportAction::Skip
        } else if proposed.is_some() {
            ImportAction::Merge
        } else {
            ImportAction::Import
        };
        let mut warnings: Vec<String> = chat.warnings().to_vec();
        let mut staged = Vec::with_capacity(chat.user_message_count());
        let mut undated = 0usize;
        for m in chat.messages() {
            if m.kind == importer::MessageKind::System {
                continue;
            }
            let Some(at) = m.at else {
                undated += 1;
                continue;
            };
            let (kind, body, media_path, media_mime) = match m.kind {
                importer::MessageKind::Text => (MessageKind::Text, m.text.to_string(), None, None),
                importer::MessageKind::Deleted => (MessageKind::Deleted, String::new(), None, None),
                importer::MessageKind::Attachment => {
                    let file = m.attachment.map(|a| a.file_name.as_str()).unwrap_or("");
                    let (kind, mime) = media_of_name(file);
                    // The caption: the body without the line naming the file.
                    let caption = m
                        .text
                        .lines()
                        .filter(|l| file.is_empty() || !l.contains(file))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let path = p.media.get(file);
                    (
                        kind,
                        if path.is_some() {
                            caption.trim().to_string()
                        } else {
                            m.text.to_string()
                        },
                        path.map(|x| x.to_string_lossy().into_owned()),
                        path.map(|_| mime.to_string()),
                    )
                }
                // "<Media omitted>", view-once: kept as written, shown as an unsupported item.
                _ => (MessageKind::Unsupported, m.text.to_string(), None, None),
            };
            staged.push(StagedMessage {
                ord: u32::try_from(staged.len()).unwrap_or(u32::MAX),
                direction: None,
                local_time: Some(at.to_iso()),
                sent_at: None,
                author: m.author.map(str::to_string),
                kind,
                body,
                media_path,
                media_mime,
                wa_message_id: None,
                quoted_wa_message_id: None,
            });
        }
        if undated > 0 {
            warnings.push(format!(
                "{undated} messages with impossible dates were left out"
            ));
        }
        let row = ItemRow {
            item: ImportItem {
                id: p.item_id,
                file_name: p.file_name.clone(),
                chat_title: title,
                wa_chat_id: None,
                participants: participants.iter().map(|p| p.to_string()).collect(),
                name,
                phone,
                language: Language::from_code(&language.code).unwrap_or_default(),
                language_confidence: language.confidence as f32,
                suggested_status: suggestion.status,
                status_reason: suggestion.reason,
                status_signal: suggestion.signal,
                status_signal_value: suggestion.signal_value,
                status_evidence: evidence,
                messages: u32::try_from(staged.len()).unwrap_or(u32::MAX),
                first: span.map(|s| s.0.to_iso()),
                last: span.map(|s| s.1.to_iso()),
                is_group,
                needs_client_choice,
                action,
                merge_into: proposed.filter(|_| action == ImportAction::Merge),
                merge_name: None,
                proposed_merge: proposed,
                proposed_merge_name: None,
                time_zone: zone.to_string(),
                history_truncated: false,
                warnings,
                client_id: None,
                messages_added: 0,
                duplicates_skipped: 0,
            },
            batch_id: batch,
            ord: u32::try_from(ord).unwrap_or(u32::MAX),
            chat_key: key,
            client_author,
            own_names: own.to_vec(),
            chat_id: None,
            chat_created: false,
            created_client_id: None,
            client_version: None,
        };
        Ok((row, staged))
    }

    /// Stages history fetched through WhatsApp Web (the messages already carry their stable ids
    /// and UTC times) as a new batch, one item per chat — also chats that gave no message, so
    /// the review can say what was fetched. Broadcasts and status updates are left out.
    pub fn import_stage_whatsapp(
        &self,
        s: &Session,
        chats: Vec<WaHistoryChat>,
    ) -> AppResult<ImportBatch> {
        let id = ImportBatchId(self.new_uuid());
        self.import_stage_whatsapp_as(s, id, chats)
    }

    /// A new id for a batch staged later with [`App::import_stage_whatsapp_as`] (the desktop
    /// hands it to the page before the fetch starts, so progress events carry it).
    pub fn import_new_batch_id(&self) -> ImportBatchId {
        ImportBatchId(self.new_uuid())
    }

    /// Like [`App::import_stage_whatsapp`] with the batch id chosen by the caller.
    pub fn import_stage_whatsapp_as(
        &self,
        s: &Session,
        batch: ImportBatchId,
        chats: Vec<WaHistoryChat>,
    ) -> AppResult<ImportBatch> {
        let _span = tracing::info_span!("import_stage_whatsapp", chats = chats.len()).entered();
        let a = self.actor(s)?;
        let settings = self.store.read(|c| imports::settings_get(c, a.tenant))?;
        let zone = settings
            .time_zone
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_string());
        let region = self.phone_region(a.tenant)?;
        let mut items = Vec::new();
        for (ord, chat) in chats.into_iter().enumerate() {
            let kind = if chat.is_group {
                ChatKind::Group
            } else {
                ChatKind::of_wa_chat_id(&chat.wa_chat_id)
            };
            if kind == ChatKind::Broadcast || chat.wa_chat_id.trim().is_empty() {
                continue;
            }
            let is_group = kind == ChatKind::Group;
            let phone = if is_group {
                None
            } else {
                chat.phone
                    .as_deref()
                    .and_then(|p| validate::phone(p, &region, "phone").ok())
                    .or_else(|| phone_of_wa_id(&chat.wa_chat_id))
            };
            let title: String = Some(chat.title.trim().to_string())
                .filter(|t| !t.is_empty())
                .or_else(|| phone.clone())
                .unwrap_or_else(|| chat.wa_chat_id.clone())
                .chars()
                .take(MAX_NAME)
                .collect();
            let mut conv = tourdesk_langid::ConversationDetector::new();
            for m in &chat.messages {
                if m.direction == Direction::In && m.kind == MessageKind::Text && conv.add(&m.body)
                {
                    break;
                }
            }
            let lang = conv.result();
            let texts: Vec<(usize, bool, &str)> = chat
                .messages
                .iter()
                .enumerate()
                .filter(|(_, m)| m.kind == MessageKind::Text)
                .map(|(i, m)| (i, m.direction == Direction::In, m.body.as_str()))
                .collect();
            let suggestion = importer::suggest_status_of(texts, true);
            let evidence = suggestion
                .message_index
                .and_then(|i| chat.messages.get(i))
                .and_then(|m| evidence_text(&m.body));
            let first = chat.messages.iter().map(|m| m.sent_at).min();
            let last = chat.messages.iter().map(|m| m.sent_at).max();
            let proposed = if is_group {
                None
            } else {
                self.store.read(|c| {
                    propose(
                        c,
                        a.tenant,
                        phone.as_deref(),
                        &[chat.wa_chat_id.as_str()],
                        &title,
                    )
                })?
            };
            let action = if is_group || chat.messages.is_empty() {
                ImportAction::Skip
            } else if proposed.is_some() {
                ImportAction::Merge
            } else {
                ImportAction::Import
            };
            let item_id = ImportItemId(self.new_uuid());
            let staged: Vec<StagedMessage> = chat
                .messages
                .iter()
                .filter(|m| m.kind != MessageKind::System)
                .enumerate()
                .map(|(i, m)| StagedMessage {
                    ord: u32::try_from(i).unwrap_or(u32::MAX),
                    direction: Some(m.direction),
                    local_time: None,
                    sent_at: Some(m.sent_at),
                    author: m.author.clone(),
                    kind: m.kind,
                    body: m.body.clone(),
                    media_path: m.media_path.clone(),
                    media_mime: m.media_mime.clone(),
                    wa_message_id: m.wa_message_id.clone(),
                    quoted_wa_message_id: m.quoted_wa_message_id.clone(),
                })
                .collect();
            let row = ItemRow {
                item: ImportItem {
                    id: item_id,
                    file_name: title.clone(),
                    chat_title: title.clone(),
                    wa_chat_id: Some(chat.wa_chat_id.clone()),
                    participants: Vec::new(),
                    name: title,
                    phone,
                    language: Language::from_code(lang.lang.code()).unwrap_or_default(),
                    language_confidence: lang.confidence as f32,
                    suggested_status: suggestion.status,
                    status_reason: suggestion.reason,
                    status_signal: suggestion.signal,
                    status_signal_value: suggestion.signal_value,
                    status_evidence: evidence,
                    messages: u32::try_from(staged.len()).unwrap_or(u32::MAX),
                    first: first.map(utc_iso),
                    last: last.map(utc_iso),
                    is_group,
                    needs_client_choice: false,
                    action,
                    merge_into: proposed.filter(|_| action == ImportAction::Merge),
                    merge_name: None,
                    proposed_merge: proposed,
                    proposed_merge_name: None,
                    time_zone: zone.clone(),
                    history_truncated: chat.truncated,
                    warnings: Vec::new(),
                    client_id: None,
                    messages_added: 0,
                    duplicates_skipped: 0,
                },
                batch_id: batch,
                ord: u32::try_from(ord).unwrap_or(u32::MAX),
                chat_key: None,
                client_author: None,
                own_names: Vec::new(),
                chat_id: None,
                chat_created: false,
                created_client_id: None,
                client_version: None,
            };
            items.push((row, staged));
        }
        self.store.write(|tx| {
            imports::insert_batch(
                tx,
                a.tenant,
                batch,
                ImportSource::Whatsapp,
                a.user,
                self.now(),
                &[],
            )?;
            for (row, msgs) in &items {
                imports::insert_item(tx, a.tenant, row)?;
                for m in msgs {
                    imports::insert_staged(tx, a.tenant, row.item.id, m)?;
                }
            }
            Ok(())
        })?;
        self.batch_of(a.tenant, batch)
    }

    // ---- review ----

    fn batch_of(&self, tenant: TenantId, id: ImportBatchId) -> AppResult<ImportBatch> {
        self.store.read(|c| {
            let mut b = imports::get_batch(c, tenant, id)?.batch;
            b.items = imports::items_of(c, tenant, id)?
                .into_iter()
                .map(|r| r.item)
                .collect();
            Ok(b)
        })
    }

    /// One batch with its conversations (another organisation's is "not found").
    pub fn import_batch_get(&self, s: &Session, id: ImportBatchId) -> AppResult<ImportBatch> {
        let a = self.actor(s)?;
        self.batch_of(a.tenant, id)
    }

    /// The organisation's batches, newest first, without their items (`item_count` says how
    /// many).
    pub fn import_batch_list(&self, s: &Session) -> AppResult<Vec<ImportBatch>> {
        let a = self.actor(s)?;
        self.store.read(|c| imports::list_batches(c, a.tenant))
    }

    /// Drops a staged batch (and the media copied for it) without importing anything.
    pub fn import_batch_discard(&self, s: &Session, id: ImportBatchId) -> AppResult<()> {
        let _span = tracing::info_span!("import_batch_discard").entered();
        let a = self.actor(s)?;
        self.store.write(|tx| {
            // Another organisation's batch is "not found", not a conflict.
            imports::get_batch(tx, a.tenant, id)?;
            imports::delete_staged(tx, a.tenant, id)
        })?;
        let dir = self
            .data_dir()
            .join(MEDIA_DIR)
            .join(IMPORT_MEDIA_DIR)
            .join(id.to_string());
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }

    /// The review's edits of one conversation of a staged batch. Setting `name` to one of the
    /// participants also says that participant is the client (their messages come in).
    pub fn import_item_update(
        &self,
        s: &Session,
        id: ImportItemId,
        u: &ImportItemUpdate,
    ) -> AppResult<ImportItem> {
        let _span = tracing::info_span!("import_item_update").entered();
        let a = self.actor(s)?;
        let region = self.phone_region(a.tenant)?;
        let mut row = self.store.read(|c| imports::get_item(c, a.tenant, id))?;
        let batch = self
            .store
            .read(|c| imports::get_batch(c, a.tenant, row.batch_id))?;
        if batch.batch.status != ImportBatchStatus::Staged {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the import batch was already committed",
            ));
        }
        let zone = parse_zone(&u.time_zone, "time_zone")?;
        let phone = validate::optional_phone(u.phone.as_deref(), &region, "phone")?;
        let name = if u.action == ImportAction::Skip {
            validate::optional_text(Some(&u.name), "name", MAX_NAME)?.unwrap_or_default()
        } else {
            validate::required_text(&u.name, "name", MAX_NAME)?
        };
        if let Some(p) = row
            .item
            .participants
            .iter()
            .find(|p| name_key(p) == name_key(&name))
        {
            if !row.item.is_group {
                row.client_author = Some(p.clone());
                row.item.needs_client_choice = false;
            }
        }
        match u.action {
            ImportAction::Skip => {}
            ImportAction::Merge => {
                if row.item.is_group {
                    return Err(AppError::field(
                        ErrorCode::InvalidChoice,
                        "action",
                        "a group chat cannot be merged into one client",
                    ));
                }
                let target = u.merge_into.ok_or_else(|| {
                    AppError::field(
                        ErrorCode::Required,
                        "merge_into",
                        "choose the client to merge into",
                    )
                })?;
                let live = self.store.read(|c| {
                    clients::exists_live(c, Linkable::Client, a.tenant, &target.to_string())
                })?;
                if !live {
                    return Err(AppError::field(
                        ErrorCode::NotFound,
                        "merge_into",
                        "client not found",
                    ));
                }
            }
            ImportAction::Import => {
                if row.item.needs_client_choice {
                    return Err(AppError::field(
                        ErrorCode::Required,
                        "name",
                        "say which participant is the client",
                    ));
                }
                if !row.item.is_group {
                    if let Some(p) = &phone {
                        if let Some(existing) = self
                            .store
                            .read(|c| clients::find_by_phone(c, a.tenant, p))?
                        {
                            return Err(AppError {
                                code: ErrorCode::DuplicatePhone,
                                message: "a client with this phone exists; merge into it".into(),
                                field: Some("phone".into()),
                                existing_id: Some(existing.to_string()),
                            });
                        }
                    }
                }
            }
        }
        row.item.name = name;
        row.item.phone = if row.item.is_group { None } else { phone };
        row.item.language = u.language;
        row.item.suggested_status = u.suggested_status;
        row.item.action = u.action;
        row.item.merge_into = u.merge_into.filter(|_| u.action == ImportAction::Merge);
        row.item.time_zone = zone.name().to_string();
        self.store
            .write(|tx| imports::update_review(tx, a.tenant, &row))?;
        self.store
            .read(|c| imports::get_item(c, a.tenant, id))
            .map(|r| r.item)
    }

    // ---- commit ----

    /// Writes a staged batch into clients, chats, messages and status history, in one
    /// transaction, skipping messages already stored (the rule in the module docs). Committing a
    /// batch that is not staged is a `conflict`.
    pub fn import_commit(&self, s: &Session, id: ImportBatchId) -> AppResult<ImportSummary> {
        let _span = tracing::info_span!("import_commit").entered();
        let a = self.actor(s)?;
        let region = self.phone_region(a.tenant)?;
        let now = self.now();
        self.store.write(|tx| {
            let batch = imports::get_batch(tx, a.tenant, id)?;
            if batch.batch.status != ImportBatchStatus::Staged {
                return Err(AppError::new(
                    ErrorCode::Conflict,
                    "the import batch was already committed or undone",
                ));
            }
            let mut summary = ImportSummary::default();
            for row in imports::items_of(tx, a.tenant, id)? {
                if row.item.action == ImportAction::Skip {
                    summary.items_skipped += 1;
                    continue;
                }
                let result = self.commit_item(tx, a.tenant, &row, &region, now, &mut summary)?;
                imports::set_item_result(tx, a.tenant, row.item.id, &result)?;
            }
            imports::set_committed(tx, a.tenant, id, now, &summary)?;
            Ok(summary)
        })
    }

    fn commit_item(
        &self,
        tx: &Connection,
        tenant: TenantId,
        row: &ItemRow,
        region: &str,
        now: DateTime<Utc>,
        summary: &mut ImportSummary,
    ) -> AppResult<ItemResult> {
        let item = &row.item;
        let zone = parse_zone(&item.time_zone, "time_zone")?;
        let mut result = ItemResult::default();
        // The client.
        let client = if item.is_group {
            None
        } else if item.action == ImportAction::Merge {
            let target = item.merge_into.ok_or_else(|| {
                AppError::field(ErrorCode::Required, "merge_into", "choose a client")
            })?;
            if !clients::exists_live(tx, Linkable::Client, tenant, &target.to_string())? {
                return Err(AppError {
                    code: ErrorCode::NotFound,
                    message: format!(
                        "the client chosen for \"{}\" no longer exists; choose again",
                        item.name
                    ),
                    field: Some("merge_into".into()),
                    existing_id: Some(item.id.to_string()),
                });
            }
            summary.clients_merged += 1;
            Some(target)
        } else {
            let existing = match &item.phone {
                Some(p) => clients::find_by_phone(tx, tenant, p)?,
                None => None,
            };
            match existing {
                // Someone (or an earlier item of this batch) took the phone since staging.
                Some(c) => {
                    summary.clients_merged += 1;
                    Some(c)
                }
                None => {
                    if row.item.needs_client_choice {
                        return Err(AppError {
                            code: ErrorCode::Required,
                            message: format!(
                                "say which participant of \"{}\" is the client",
                                item.file_name
                            ),
                            field: Some("name".into()),
                            existing_id: Some(item.id.to_string()),
                        });
                    }
                    let input = ClientInput {
                        name: item.name.clone(),
                        phone: item.phone.clone(),
                        language: item.language,
                        ..ClientInput::default()
                    }
                    .normalised(region)?;
                    let id = self.insert_lead(
                        tx,
                        tenant,
                        &NewLead {
                            input: &input,
                            status: item.suggested_status,
                            actor: ChangeActor::Import,
                            reason: if item.status_reason.trim().is_empty() {
                                "imported".into()
                            } else {
                                item.status_reason.clone()
                            },
                            evidence: item.status_evidence.as_deref().and_then(evidence_text),
                            at: now,
                        },
                    )?;
                    result.client_version =
                        Some(imports::mark_client(tx, tenant, id, row.batch_id)?);
                    result.created_client_id = Some(id);
                    summary.clients_created += 1;
                    Some(id)
                }
            }
        };
        result.client_id = client;
        // The chat.
        // WhatsApp Web's own chat id first (it may be an `@lid` one), else the phone's.
        let wa_chat_id = item
            .wa_chat_id
            .clone()
            .or_else(|| item.phone.as_deref().map(wa_id_of_phone));
        // The person's chat under either of their ids (phone or `@lid`): the no-duplicate rule
        // then compares with everything stored for them.
        let mut chat = match &wa_chat_id {
            Some(wa) => wa_lids::chat_of_person(tx, tenant, wa)?,
            None => None,
        };
        if chat.is_none() && wa_chat_id.is_none() && !item.is_group {
            // A conversation without a phone merged into a client: the client's own chat, so a
            // repeated import finds the messages it wrote before.
            if let Some(c) = client {
                chat = imports::latest_one_to_one_chat(tx, tenant, c)?;
            }
        }
        let wa_chat_id = wa_chat_id
            .or_else(|| row.chat_key.clone())
            .unwrap_or_else(|| format!("import:{}", item.id));
        if chat.is_none() {
            chat = wa_lids::chat_of_person(tx, tenant, &wa_chat_id)?;
        }
        let chat = match chat {
            Some(c) => {
                if client.is_some() && chats::client_of(tx, tenant, c)?.is_none() {
                    chats::set_client(tx, tenant, c, client)?;
                }
                c
            }
            None => {
                let c = ChatId(self.new_uuid());
                let kind = if item.is_group {
                    ChatKind::Group
                } else {
                    ChatKind::OneToOne
                };
                chats::insert(
                    tx,
                    tenant,
                    c,
                    &wa_chat_id,
                    kind,
                    &item.chat_title,
                    client,
                    now,
                )?;
                imports::mark_chat(tx, tenant, c, row.batch_id)?;
                result.chat_created = true;
                c
            }
        };
        result.chat_id = Some(chat);
        // The messages.
        let staged = imports::staged_of(tx, tenant, item.id)?;
        let mut prepared: Vec<(NewMessage, Option<Class>)> = Vec::with_capacity(staged.len());
        for m in staged {
            let sent_at = match (m.sent_at, m.local_time.as_deref()) {
                (Some(t), _) => t,
                (None, Some(local)) => match local_to_utc(local, zone) {
                    Some(t) => t,
                    None => continue,
                },
                (None, None) => continue,
            };
            let direction = m
                .direction
                .unwrap_or_else(|| direction_of(row, m.author.as_deref()));
            let class = class_of(m.kind, &m.body, false);
            prepared.push((
                NewMessage {
                    wa_chat_id: wa_chat_id.clone(),
                    chat_kind: if item.is_group {
                        ChatKind::Group
                    } else {
                        ChatKind::OneToOne
                    },
                    client_id: client,
                    wa_message_id: m.wa_message_id,
                    direction,
                    sent_at,
                    author: m.author.filter(|_| item.is_group),
                    kind: m.kind,
                    body: m.body,
                    media_path: m.media_path,
                    media_mime: m.media_mime,
                    quoted_wa_message_id: m.quoted_wa_message_id,
                    status: (direction == Direction::Out).then_some(SendStatus::Sent),
                    ..NewMessage::default()
                },
                class,
            ));
        }
        let (Some(lo), Some(hi)) = (
            prepared.iter().map(|(m, _)| m.sent_at).min(),
            prepared.iter().map(|(m, _)| m.sent_at).max(),
        ) else {
            return Ok(result);
        };
        let stored = imports::chat_messages_between(
            tx,
            tenant,
            chat,
            lo - Duration::minutes(1),
            hi + Duration::minutes(1),
        )?;
        let mut look_alikes = LookAlikes::new(&stored);
        for (m, class) in prepared {
            if let Some(wa) = m.wa_message_id.as_deref() {
                if messages::find_by_wa_id(tx, tenant, wa)?.is_some() {
                    result.duplicates_skipped += 1;
                    continue;
                }
            }
            if let Some(class) = class {
                let key = dedupe_key(m.direction, class, m.sent_at);
                if let Some(seq) = look_alikes.take(&key, m.wa_message_id.is_some()) {
                    if let Some(wa) = m.wa_message_id.as_deref() {
                        imports::adopt_wa_id(tx, tenant, seq, wa)?;
                    }
                    result.duplicates_skipped += 1;
                    continue;
                }
            }
            imports::insert_message(
                tx,
                tenant,
                MessageId(self.new_uuid()),
                chat,
                row.batch_id,
                &m,
            )?;
            result.messages_added += 1;
        }
        imports::refresh_chat(tx, tenant, chat)?;
        summary.messages_added += result.messages_added;
        summary.duplicates_skipped += result.duplicates_skipped;
        Ok(result)
    }

    // ---- undo ----

    /// Undoes a committed batch, removing only its rows that nobody changed since:
    /// - a client the batch created is removed with its chat and imported messages only when
    ///   its `version` is the one recorded at commit (no edit, status change, merge, bin), no
    ///   other chat links to it, its chat got no message from elsewhere (WhatsApp, another
    ///   import) and none of its imported messages was edited, deleted or reacted to; otherwise
    ///   the client is kept **with** its chat and messages (the manager worked with them);
    /// - messages the batch added to existing clients' chats (merges) and to group chats are
    ///   removed one by one, except those edited, deleted or reacted to since;
    /// - a chat the batch created is removed once empty, and kept when messages from elsewhere
    ///   arrived in it.
    ///
    /// `kept` lists in English what stayed and why. Undoing a batch that is not committed is a
    /// `conflict`. Media files copied for removed messages are deleted after the transaction.
    pub fn import_undo(&self, s: &Session, id: ImportBatchId) -> AppResult<UndoReport> {
        let _span = tracing::info_span!("import_undo").entered();
        let a = self.actor(s)?;
        let now = self.now();
        let (report, files) = self.store.write(|tx| {
            let batch = imports::get_batch(tx, a.tenant, id)?;
            if batch.batch.status != ImportBatchStatus::Committed {
                return Err(AppError::new(
                    ErrorCode::Conflict,
                    "only a committed import batch can be undone",
                ));
            }
            let mut report = UndoReport::default();
            let mut files: Vec<String> = Vec::new();
            let mut removed_clients: HashSet<ClientId> = HashSet::new();
            let mut removed_chats: HashSet<ChatId> = HashSet::new();
            for row in imports::items_of(tx, a.tenant, id)? {
                let Some(chat) = row.chat_id else {
                    continue;
                };
                if removed_chats.contains(&chat) || !chats::exists(tx, a.tenant, chat)? {
                    continue;
                }
                let title = if row.item.name.is_empty() {
                    row.item.chat_title.clone()
                } else {
                    row.item.name.clone()
                };
                let imports::BatchMessages { untouched, touched } =
                    imports::batch_messages_in_chat(tx, a.tenant, id, chat)?;
                if let Some(client) = row.created_client_id {
                    if removed_clients.contains(&client) {
                        continue;
                    }
                    let version = imports::client_version(tx, a.tenant, client)?;
                    let others = imports::other_messages_in_chat(tx, a.tenant, id, chat)?;
                    let mut why = Vec::new();
                    if version.is_some() && version != row.client_version {
                        why.push("the client was changed after the import".to_string());
                    }
                    if imports::other_chats_of_client(tx, a.tenant, client, Some(chat))? > 0 {
                        why.push("another chat is linked to the client".to_string());
                    }
                    if imports::merged_into_client(tx, a.tenant, client)? > 0 {
                        why.push("another client was merged into it".to_string());
                    }
                    if others > 0 {
                        why.push(format!("{others} messages arrived in its chat since"));
                    }
                    if touched > 0 {
                        why.push(format!(
                            "{touched} of its imported messages were edited, deleted or reacted to"
                        ));
                    }
                    if version.is_some() && !why.is_empty() {
                        report.kept.push(format!(
                            "Client \"{title}\" was kept with its chat and {} imported messages: {}.",
                            untouched.len() + touched as usize,
                            why.join("; ")
                        ));
                        continue;
                    }
                    files.extend(untouched.iter().filter_map(|(_, p)| p.clone()));
                    let seqs: Vec<i64> = untouched.iter().map(|(s, _)| *s).collect();
                    report.messages_removed += imports::delete_messages(tx, a.tenant, &seqs)?;
                    if imports::delete_empty_chat(tx, a.tenant, chat)? {
                        report.chats_removed += 1;
                        removed_chats.insert(chat);
                    }
                    if version.is_some() {
                        imports::delete_client(tx, a.tenant, client)?;
                        report.clients_removed += 1;
                    }
                    removed_clients.insert(client);
                    continue;
                }
                files.extend(untouched.iter().filter_map(|(_, p)| p.clone()));
                let seqs: Vec<i64> = untouched.iter().map(|(s, _)| *s).collect();
                report.messages_removed += imports::delete_messages(tx, a.tenant, &seqs)?;
                if touched > 0 {
                    report.kept.push(format!(
                        "{touched} imported messages in the chat \"{title}\" were kept: they were edited, deleted or reacted to since."
                    ));
                }
                if row.chat_created {
                    if imports::delete_empty_chat(tx, a.tenant, chat)? {
                        report.chats_removed += 1;
                        removed_chats.insert(chat);
                        continue;
                    }
                    report.kept.push(format!(
                        "The chat \"{title}\" was kept: it has messages that did not come from this import."
                    ));
                }
                imports::refresh_chat(tx, a.tenant, chat)?;
            }
            imports::set_undone(tx, a.tenant, id, now, &report)?;
            Ok((report, files))
        })?;
        let root = self.data_dir().join(MEDIA_DIR).join(IMPORT_MEDIA_DIR);
        for f in files {
            let p = Path::new(&f);
            if p.starts_with(&root) {
                let _ = std::fs::remove_file(p);
            }
        }
        Ok(report)
    }
}

/// Stored messages of a chat grouped by the duplicate key, each group in arrival order; an
/// imported message takes the first stored look-alike not taken yet (so the n-th identical
/// message of a minute matches the n-th stored one).
struct LookAlikes {
    groups: HashMap<DedupeKey, Vec<(i64, bool, bool)>>,
}

impl LookAlikes {
    fn new(stored: &[StoredKey]) -> Self {
        let mut groups: HashMap<DedupeKey, Vec<(i64, bool, bool)>> = HashMap::new();
        for s in stored {
            if let Some(class) = class_of(s.kind, &s.body, s.deleted) {
                groups
                    .entry(dedupe_key(s.direction, class, s.sent_at))
                    .or_default()
                    .push((s.seq, s.wa_message_id.is_some(), false));
            }
        }
        LookAlikes { groups }
    }

    /// The next stored look-alike; a message with a WhatsApp id only takes one without an id
    /// (two different ids are two different messages).
    fn take(&mut self, key: &DedupeKey, has_wa_id: bool) -> Option<i64> {
        let group = self.groups.get_mut(key)?;
        let slot = group
            .iter_mut()
            .find(|(_, with_id, taken)| !*taken && (!has_wa_id || !*with_id))?;
        slot.2 = true;
        Some(slot.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_compare_without_invisible_marks_spacing_or_the_edited_marker() {
        assert_eq!(
            normalise_text("  \u{200E}Hello\u{a0} there\r\nfriend  "),
            "Hello there friend"
        );
        assert_eq!(
            normalise_text("Price is 500 EUR <This message was edited>"),
            "Price is 500 EUR"
        );
        assert_ne!(fnv("a"), fnv("b"));
    }

    #[test]
    fn local_times_are_read_in_the_zone_including_dst_edges() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
        let t = local_to_utc("2024-07-01T10:00:00", berlin).expect("time");
        assert_eq!(utc_iso(t), "2024-07-01T08:00:00Z");
        // 02:30 does not exist on 31 March 2024 in Berlin: read an hour later.
        let gap = local_to_utc("2024-03-31T02:30:00", berlin).expect("time");
        assert_eq!(utc_iso(gap), "2024-03-31T01:30:00Z");
        // 02:30 happens twice on 27 October 2024: the earlier one.
        let twice = local_to_utc("2024-10-27T02:30:00", berlin).expect("time");
        assert_eq!(utc_iso(twice), "2024-10-27T00:30:00Z");
    }
}

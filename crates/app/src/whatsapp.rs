//! WhatsApp in the app: what the manager sends (queued in the outbox with its message), the
//! worker-facing steps of the outbox (claim, sent, failed, unconfirmed), storing what arrives
//! (new leads, partner links, acks, edits, reactions) and the organisation's WhatsApp settings.
//!
//! The async loop that drives these steps against the sidecar lives in `tourdesk-wahost`; every
//! decision about data is made here, so the desktop, the headless host and the tests agree.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use tourdesk_core::client::ClientInput;
use tourdesk_core::client::StatusChange;
use tourdesk_core::message::{ChatKind, Direction, Message, MessageKind, NewMessage, Stored};
use tourdesk_core::whatsapp::{
    MediaData, SendInput, SendStatus, WaSettings, MAX_ATTACHMENT_BYTES, MAX_MESSAGE_CHARS,
    MAX_SENDS_PER_MINUTE,
};
use tourdesk_core::{
    validate, Actor as ChangeActor, AppError, AppResult, ChatId, ClientId, ErrorCode, FunnelStatus,
    HistoryId, Language, MessageId, TenantId,
};
use tourdesk_store::outbox::{self, NewOutbox, OutboxRow};
use tourdesk_store::{
    chats, clients, history, messages, partners, reactions, tenants, wa_settings,
};

use crate::access::Action;
use crate::{App, Session};

/// Sub-folder of the data folder where media (received and sent) is kept.
pub const MEDIA_DIR: &str = "media";

/// A message as the WhatsApp worker hands it in, with what is known about the contact.
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    /// The message (chat id, kind, text, media path, …).
    pub message: NewMessage,
    /// The contact's name from WhatsApp (push name or saved name), if any.
    pub contact_name: Option<String>,
    /// The contact's phone in E.164 (`+…`), when WhatsApp told it (`@lid` chats may not).
    pub phone: Option<String>,
}

/// What storing an inbound message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    /// The stored message.
    pub stored: Stored,
    /// A client created for an unknown sender.
    pub new_client: Option<ClientId>,
}

/// What the outbox worker should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxPlan {
    /// Hand this row over now (it is already claimed: `sending`).
    Send(Box<OutboxRow>),
    /// The send-rate window is full or the next row is not due: try again at this time.
    WaitUntil(DateTime<Utc>),
    /// Nothing is queued.
    Idle,
}

/// The phone behind a WhatsApp user id (`79161234567@c.us` → `+79161234567`); `None` for `@lid`,
/// groups and anything that is not digits.
pub fn phone_of_wa_id(wa_id: &str) -> Option<String> {
    let digits = wa_id
        .strip_suffix("@c.us")
        .or_else(|| wa_id.strip_suffix("@s.whatsapp.net"))?;
    let digits = digits.split(':').next()?;
    (digits.len() >= 7 && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+{digits}"))
}

/// The WhatsApp chat id of a phone in E.164 (`+7916…` → `7916…@c.us`).
pub fn wa_id_of_phone(e164: &str) -> String {
    format!("{}@c.us", e164.trim_start_matches('+'))
}

/// The message kind for a MIME type of a file the manager attaches.
fn kind_of_mime(mime: &str) -> MessageKind {
    if mime.starts_with("image/") {
        MessageKind::Image
    } else if mime.starts_with("audio/") {
        MessageKind::Audio
    } else if mime.starts_with("video/") {
        MessageKind::Video
    } else {
        MessageKind::Document
    }
}

/// A MIME type from a file name when the page gave none.
fn mime_of_name(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "ogg" | "opus" => "audio/ogg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// A file name safe to keep on disk: no folders, no control or reserved characters.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !"<>:\"|?*".contains(*c))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// A text kept beside a translated message: trimmed, empty as `None`, length- and NUL-checked.
fn translator_text(text: Option<&str>, field: &str) -> AppResult<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::field(
            ErrorCode::TooLong,
            field,
            "the text is too long",
        ));
    }
    if text.contains('\0') {
        return Err(AppError::field(
            ErrorCode::InvalidText,
            field,
            "the text has a NUL character",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// The earliest time the next hand-over is allowed: `None` when one may go now. `sent` are the
/// hand-over times of the last `window` (oldest first).
pub fn rate_gate(
    sent: &[DateTime<Utc>],
    now: DateTime<Utc>,
    limit: u32,
    window: Duration,
) -> Option<DateTime<Utc>> {
    // A send exactly `window` ago still counts, so the time returned below is the first at
    // which this function says "go".
    let recent: Vec<_> = sent.iter().filter(|t| **t >= now - window).collect();
    let limit = usize::try_from(limit.max(1)).unwrap_or(1);
    if recent.len() < limit {
        return None;
    }
    // The window frees up when the oldest of the last `limit` sends leaves it.
    let oldest_blocking = recent[recent.len() - limit];
    Some(*oldest_blocking + window + Duration::milliseconds(1))
}

impl App {
    /// The media folder (created on first use).
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir().join(MEDIA_DIR)
    }

    /// Checks that the session may use WhatsApp (any active user) or manage it (`manage`:
    /// admins only — log out, settings); returns the session's organisation.
    pub fn wa_authorize(&self, s: &Session, manage: bool) -> AppResult<TenantId> {
        let a = if manage {
            self.actor_for(s, Action::ManageWhatsApp)?
        } else {
            self.actor(s)?
        };
        Ok(a.tenant)
    }

    /// The organisation's WhatsApp settings.
    pub fn wa_settings_get(&self, s: &Session) -> AppResult<WaSettings> {
        let a = self.actor(s)?;
        self.store.read(|c| wa_settings::get(c, a.tenant))
    }

    /// Changes the WhatsApp settings (admins).
    pub fn wa_settings_update(&self, s: &Session, new: &WaSettings) -> AppResult<WaSettings> {
        let _span = tracing::info_span!("wa_settings_update").entered();
        let a = self.actor_for(s, Action::ManageWhatsApp)?;
        if !(1..=MAX_SENDS_PER_MINUTE).contains(&new.sends_per_minute) {
            return Err(AppError::field(
                ErrorCode::OutOfRange,
                "sends_per_minute",
                "sends per minute must be between 1 and 20",
            ));
        }
        self.store.write(|tx| wa_settings::put(tx, a.tenant, new))?;
        self.store.read(|c| wa_settings::get(c, a.tenant))
    }

    /// The settings of `tenant` for the worker (no session).
    pub fn wa_settings_of(&self, tenant: TenantId) -> AppResult<WaSettings> {
        self.store.read(|c| wa_settings::get(c, tenant))
    }

    /// Queued (incl. sending), unconfirmed and failed outbox rows of `tenant`.
    pub fn outbox_counts(&self, tenant: TenantId) -> AppResult<(u32, u32, u32)> {
        self.store.read(|c| outbox::counts(c, tenant))
    }

    /// Sends a message: to a chat, or to a phone number (finding or starting its chat and
    /// linking the client with that phone, or creating one). The message is stored at once as
    /// `queued` together with its outbox row; the worker hands it to WhatsApp.
    pub fn message_send(&self, s: &Session, input: &SendInput) -> AppResult<Message> {
        let _span = tracing::info_span!("message_send").entered();
        let a = self.actor(s)?;
        let body = input.body.trim_end().to_string();
        if body.chars().count() > MAX_MESSAGE_CHARS {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "body",
                "the message is too long",
            ));
        }
        if body.trim().is_empty() && input.attachment.is_none() {
            return Err(AppError::field(
                ErrorCode::Required,
                "body",
                "type a message",
            ));
        }
        if body.contains('\0') {
            return Err(AppError::field(
                ErrorCode::InvalidText,
                "body",
                "the message has a NUL character",
            ));
        }
        // Sent through the translator: the manager's text and the back-translation they saw.
        let original_body = translator_text(input.original_body.as_deref(), "original_body")?;
        let back_translation =
            translator_text(input.back_translation.as_deref(), "back_translation")?;
        let now = self.now();
        // Where to.
        let (chat, wa_chat_id, new_chat, client_for_new_chat) =
            match (input.chat_id, input.phone.as_deref()) {
                (Some(chat), _) => {
                    let wa = self.store.read(|c| chats::wa_id(c, a.tenant, chat))?;
                    (chat, wa, false, None)
                }
                (None, Some(phone)) => {
                    let region = self
                        .store
                        .read(|c| tenants::get(c, a.tenant))?
                        .settings
                        .default_region;
                    let e164 = validate::phone(phone, &region, "phone")?;
                    let wa = wa_id_of_phone(&e164);
                    match self
                        .store
                        .read(|c| chats::find_by_wa_id(c, a.tenant, &wa))?
                    {
                        Some(chat) => (chat, wa, false, None),
                        None => {
                            let client = self
                                .store
                                .read(|c| clients::find_by_phone(c, a.tenant, &e164))?;
                            (ChatId(self.new_uuid()), wa, true, Some((client, e164)))
                        }
                    }
                }
                (None, None) => {
                    return Err(AppError::field(
                        ErrorCode::Required,
                        "phone",
                        "choose a chat or type a phone number",
                    ));
                }
            };
        if ChatKind::of_wa_chat_id(&wa_chat_id) == ChatKind::Broadcast {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "messages cannot be sent to a broadcast",
            ));
        }
        // The file, saved before the transaction (a failed transaction leaves an orphan file,
        // never a row pointing at nothing).
        let media = match &input.attachment {
            None => None,
            Some(att) => Some(self.save_outgoing_file(att)?),
        };
        let message_id = MessageId(self.new_uuid());
        let outbox_id = self.new_uuid().to_string();
        let kind = media
            .as_ref()
            .map_or(MessageKind::Text, |m| kind_of_mime(&m.1));
        let new_client_id = ClientId(self.new_uuid());
        let history_id = HistoryId(self.new_uuid());
        let region = self
            .store
            .read(|c| tenants::get(c, a.tenant))?
            .settings
            .default_region;
        self.store.write(|tx| {
            if new_chat {
                let mut client = None;
                let mut partner = None;
                if let Some((found, e164)) = &client_for_new_chat {
                    client = *found;
                    if client.is_none() {
                        // A partner's number (a guide, a hotel) is not a lead.
                        partner = partners::find_by_phone(tx, a.tenant, e164)?;
                    }
                    if client.is_none() && partner.is_none() {
                        let input = ClientInput {
                            name: e164.clone(),
                            phone: Some(e164.clone()),
                            ..ClientInput::default()
                        }
                        .normalised(&region)?;
                        insert_lead(
                            tx,
                            a.tenant,
                            new_client_id,
                            history_id,
                            &input,
                            ChangeActor::User(a.user),
                            "created",
                            now,
                        )?;
                        client = Some(new_client_id);
                    }
                }
                chats::insert(
                    tx,
                    a.tenant,
                    chat,
                    &wa_chat_id,
                    ChatKind::of_wa_chat_id(&wa_chat_id),
                    "",
                    client,
                    now,
                )?;
                if partner.is_some() {
                    chats::set_partner(tx, a.tenant, chat, partner)?;
                }
            }
            let m = NewMessage {
                wa_chat_id: wa_chat_id.clone(),
                chat_kind: ChatKind::of_wa_chat_id(&wa_chat_id),
                direction: Direction::Out,
                sent_at: now,
                kind,
                body: body.clone(),
                media_path: media.as_ref().map(|m| m.0.to_string_lossy().into_owned()),
                media_mime: media.as_ref().map(|m| m.1.clone()),
                status: Some(SendStatus::Queued),
                ..NewMessage::default()
            };
            let seq = messages::insert(tx, a.tenant, message_id, chat, &m)?;
            if original_body.is_some() || back_translation.is_some() {
                messages::set_translator_texts(
                    tx,
                    a.tenant,
                    message_id,
                    original_body.as_deref(),
                    back_translation.as_deref(),
                )?;
            }
            chats::note_arrival(tx, a.tenant, chat, seq, now, Direction::Out)?;
            let media_path = m.media_path.clone();
            outbox::insert(
                tx,
                a.tenant,
                &NewOutbox {
                    id: &outbox_id,
                    message_id,
                    chat_id: chat,
                    wa_chat_id: &wa_chat_id,
                    body: &body,
                    media_path: media_path.as_deref(),
                    media_mime: m.media_mime.as_deref(),
                    media_name: media.as_ref().map(|m| m.2.as_str()),
                    created_by: Some(a.user.to_string()),
                },
                now,
            )
        })?;
        self.store.read(|c| messages::get(c, a.tenant, message_id))
    }

    fn save_outgoing_file(
        &self,
        att: &tourdesk_core::whatsapp::Attachment,
    ) -> AppResult<(PathBuf, String, String)> {
        let bad = |msg: &str| AppError::field(ErrorCode::InvalidAttachment, "attachment", msg);
        // base64 is 4/3 of the bytes: refuse oversize input before decoding it.
        if att.data_base64.len() > MAX_ATTACHMENT_BYTES / 3 * 4 + 8 {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "attachment",
                "the file is larger than 32 MiB",
            ));
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(att.data_base64.trim())
            .map_err(|_| bad("the file could not be read"))?;
        if bytes.is_empty() {
            return Err(bad("the file is empty"));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "attachment",
                "the file is larger than 32 MiB",
            ));
        }
        let name = safe_file_name(&att.file_name);
        let mime = if att.mime.trim().is_empty() {
            mime_of_name(&name).to_string()
        } else {
            att.mime.trim().to_string()
        };
        let dir = self.media_dir().join("out");
        std::fs::create_dir_all(&dir)
            .map_err(tourdesk_store::fault::io_err("create media folder"))?;
        let path = dir.join(format!("{}-{name}", self.new_uuid()));
        crate::files::write_whole(&*self.files, &path, &bytes)?;
        Ok((path, mime, name))
    }

    /// "Send again" for a failed or unconfirmed message (the manager checked it did not go out).
    pub fn message_retry(&self, s: &Session, message: MessageId) -> AppResult<()> {
        let _span = tracing::info_span!("message_retry").entered();
        let a = self.actor(s)?;
        let now = self.now();
        self.store.write(|tx| {
            let row = outbox::for_message(tx, a.tenant, message)?;
            outbox::requeue(tx, a.tenant, &row.id, now)
        })
    }

    /// "Mark as sent" for an unconfirmed message (the manager saw it on the phone).
    pub fn message_mark_sent(&self, s: &Session, message: MessageId) -> AppResult<()> {
        let _span = tracing::info_span!("message_mark_sent").entered();
        let a = self.actor(s)?;
        self.store.write(|tx| {
            let row = outbox::for_message(tx, a.tenant, message)?;
            outbox::confirm_sent(tx, a.tenant, &row.id)
        })
    }

    /// A message's media file, for the page to show or save. Only files under the media folder
    /// are ever read.
    pub fn message_media(&self, s: &Session, message: MessageId) -> AppResult<MediaData> {
        let a = self.actor(s)?;
        let m = self.store.read(|c| messages::get(c, a.tenant, message))?;
        let path = m.media_path.ok_or_else(|| AppError::not_found("media"))?;
        let path = Path::new(&path);
        let root = self
            .media_dir()
            .canonicalize()
            .map_err(|_| AppError::not_found("media"))?;
        let real = path
            .canonicalize()
            .map_err(|_| AppError::not_found("media"))?;
        if !real.starts_with(&root) {
            return Err(AppError::not_found("media"));
        }
        let bytes =
            std::fs::read(&real).map_err(|e| AppError::storage(format!("read media: {e}")))?;
        let file_name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Saved names start with a 36-character id and a dash.
        let file_name = if file_name.len() > 37 && file_name.as_bytes()[36] == b'-' {
            file_name[37..].to_string()
        } else {
            file_name
        };
        Ok(MediaData {
            mime: m
                .media_mime
                .unwrap_or_else(|| mime_of_name(&file_name).to_string()),
            file_name,
            data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    /// The organisation whose WhatsApp this installation runs (the first one in the data
    /// folder); `None` before the first run created one.
    pub fn wa_tenant(&self) -> AppResult<Option<TenantId>> {
        Ok(self.store.read(tenants::all)?.into_iter().next())
    }

    // ---- the worker's side (no session: the host serves one organisation's account) ----

    /// Stores an arriving message (upsert by its stable id). A new one-to-one chat is linked to
    /// the client with that phone, else to the partner with that phone, else a client is
    /// created in `new_lead` (history actor "whatsapp"). Groups and broadcasts create no client.
    pub fn wa_ingest(&self, tenant: TenantId, inbound: &Inbound) -> AppResult<Ingested> {
        let _span = tracing::debug_span!("wa_ingest").entered();
        let now = self.now();
        let new_id = MessageId(self.new_uuid());
        let new_chat = ChatId(self.new_uuid());
        let client_id = ClientId(self.new_uuid());
        let history_id = HistoryId(self.new_uuid());
        let region = self
            .store
            .read(|c| tenants::get(c, tenant))?
            .settings
            .default_region;
        let m = &inbound.message;
        let phone = inbound
            .phone
            .as_deref()
            .and_then(|p| validate::phone(p, &region, "phone").ok());
        self.store.write(|tx| {
            let mut new_client = None;
            let known_chat = chats::find_by_wa_id(tx, tenant, &m.wa_chat_id)?;
            let already = match m.wa_message_id.as_deref() {
                Some(wa) => messages::find_by_wa_id(tx, tenant, wa)?.is_some(),
                None => false,
            };
            let mut msg = m.clone();
            // Our own message typed on the phone (also the first one of a new chat) went out.
            if msg.direction == Direction::Out && msg.status.is_none() {
                msg.status = Some(SendStatus::Sent);
            }
            if known_chat.is_none() && !already && m.chat_kind == ChatKind::OneToOne {
                let by_client = match &phone {
                    Some(p) => clients::find_by_phone(tx, tenant, p)?,
                    None => None,
                };
                let by_partner = match (&phone, by_client) {
                    (Some(p), None) => partners::find_by_phone(tx, tenant, p)?,
                    _ => None,
                };
                if let Some(c) = by_client {
                    msg.client_id = Some(c);
                } else if by_partner.is_none() {
                    // A push name may hold line breaks or other control characters, which a
                    // client name may not: they become spaces rather than losing the message.
                    let name = inbound
                        .contact_name
                        .as_deref()
                        .map(|n| {
                            n.split(|c: char| c.is_control() || c.is_whitespace())
                                .filter(|w| !w.is_empty())
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .filter(|n| !n.is_empty())
                        .or_else(|| phone.clone())
                        .unwrap_or_else(|| "WhatsApp contact".to_string());
                    let input = ClientInput {
                        name: name.chars().take(200).collect(),
                        phone: phone.clone(),
                        language: Language::default(),
                        ..ClientInput::default()
                    }
                    .normalised(&region)?;
                    insert_lead(
                        tx,
                        tenant,
                        client_id,
                        history_id,
                        &input,
                        ChangeActor::WhatsApp,
                        "created",
                        now,
                    )?;
                    msg.client_id = Some(client_id);
                    new_client = Some(client_id);
                }
                if msg.chat_title.is_empty() {
                    msg.chat_title = inbound.contact_name.clone().unwrap_or_default();
                }
                let stored = messages::upsert(tx, tenant, new_id, new_chat, &msg, now)?;
                if let Some(p) = by_partner {
                    chats::set_partner(tx, tenant, stored.chat_id, Some(p))?;
                }
                return Ok(Ingested { stored, new_client });
            }
            let stored = messages::upsert(tx, tenant, new_id, new_chat, &msg, now)?;
            Ok(Ingested { stored, new_client })
        })
    }

    /// Moves a message's ticks forward on a WhatsApp ack; false when the message is not stored.
    pub fn wa_ack(&self, tenant: TenantId, wa_message_id: &str, ack: i64) -> AppResult<bool> {
        let Some(status) = SendStatus::from_ack(ack) else {
            return Ok(false);
        };
        self.store
            .write(|tx| outbox::apply_ack(tx, tenant, wa_message_id, status))
    }

    /// Stores (or removes, with an empty emoji) a reaction.
    pub fn wa_reaction(
        &self,
        tenant: TenantId,
        wa_message_id: &str,
        sender: &str,
        emoji: &str,
        at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.store
            .write(|tx| reactions::set(tx, tenant, wa_message_id, sender, emoji, at))
    }

    /// Every chat's WhatsApp id with the time of its newest stored message (backfill starts
    /// there), newest chats first.
    pub fn wa_backfill_marks(
        &self,
        tenant: TenantId,
    ) -> AppResult<Vec<(String, Option<DateTime<Utc>>)>> {
        self.store.read(|c| chats::backfill_marks(c, tenant))
    }

    /// Decides the outbox's next step at `now` and, when a row may go, claims it (`sending`,
    /// hand-over time recorded) in the same transaction. `window` is 60 s in production; tests
    /// scale it down.
    pub fn outbox_next(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
        window: Duration,
    ) -> AppResult<OutboxPlan> {
        self.store.write(|tx| {
            let limit = wa_settings::get(tx, tenant)?
                .sends_per_minute
                .min(MAX_SENDS_PER_MINUTE);
            let sent = outbox::sent_since(tx, tenant, now - window)?;
            if let Some(at) = rate_gate(&sent, now, limit, window) {
                return Ok(match outbox::next_due_at(tx, tenant)? {
                    Some(_) => OutboxPlan::WaitUntil(at),
                    None => OutboxPlan::Idle,
                });
            }
            match outbox::next_due(tx, tenant, now)? {
                Some(row) => Ok(OutboxPlan::Send(Box::new(outbox::mark_sending(
                    tx, tenant, &row.id, now,
                )?))),
                None => Ok(match outbox::next_due_at(tx, tenant)? {
                    Some(at) => OutboxPlan::WaitUntil(at),
                    None => OutboxPlan::Idle,
                }),
            }
        })
    }

    /// Rows left in `sending` when the host stopped (to be looked up before anything else).
    pub fn outbox_in_sending(&self, tenant: TenantId) -> AppResult<Vec<OutboxRow>> {
        self.store.read(|c| outbox::in_sending(c, tenant))
    }

    /// Records WhatsApp's id and marks the row sent; `at` is WhatsApp's time of the message,
    /// `confirmed_at` our time when WhatsApp confirmed it (the rate window counts it).
    pub fn outbox_sent(
        &self,
        tenant: TenantId,
        id: &str,
        wa_message_id: &str,
        at: DateTime<Utc>,
        confirmed_at: DateTime<Utc>,
    ) -> AppResult<()> {
        self.store.write(|tx| {
            outbox::mark_sent(tx, tenant, id, wa_message_id, at)?;
            outbox::confirm_handover(tx, tenant, id, confirmed_at)
        })
    }

    /// Back to the queue after a failure that certainly did not send.
    pub fn outbox_retry_later(
        &self,
        tenant: TenantId,
        id: &str,
        next: DateTime<Utc>,
        reason: &str,
    ) -> AppResult<()> {
        self.store
            .write(|tx| outbox::reschedule(tx, tenant, id, next, reason))
    }

    /// Fails a row for good (e.g. the number is not on WhatsApp).
    pub fn outbox_failed(&self, tenant: TenantId, id: &str, reason: &str) -> AppResult<()> {
        self.store
            .write(|tx| outbox::mark_failed(tx, tenant, id, reason))
    }

    /// Settles a row whose hand-over was uncertain with the result of a lookup among our own
    /// recent messages (`matches`, best first): the first id not recorded on another row is
    /// this row's message → sent. Without one the send is not provable → `unconfirmed`, never
    /// resent automatically. Returns whether it was found.
    pub fn outbox_settle_lookup(
        &self,
        tenant: TenantId,
        id: &str,
        matches: &[String],
        at: DateTime<Utc>,
        confirmed_at: DateTime<Utc>,
    ) -> AppResult<bool> {
        self.store.write(|tx| {
            for wa in matches {
                if !outbox::wa_id_taken(tx, tenant, wa, id)? {
                    outbox::mark_sent(tx, tenant, id, wa, at)?;
                    outbox::confirm_handover(tx, tenant, id, confirmed_at)?;
                    return Ok(true);
                }
            }
            outbox::mark_unconfirmed(tx, tenant, id, "not_confirmed")?;
            Ok(false)
        })
    }

    /// The WhatsApp chat to send read receipts to when the manager opens `chat`: `None` when
    /// the setting is off.
    pub fn wa_read_receipt_target(&self, s: &Session, chat: ChatId) -> AppResult<Option<String>> {
        let a = self.actor(s)?;
        self.store.read(|c| {
            if !wa_settings::get(c, a.tenant)?.send_read_receipts {
                return Ok(None);
            }
            chats::wa_id(c, a.tenant, chat).map(Some)
        })
    }

    /// Marks a row whose hand-over cannot be proven; the manager decides.
    pub fn outbox_unconfirmed(&self, tenant: TenantId, id: &str, reason: &str) -> AppResult<()> {
        self.store
            .write(|tx| outbox::mark_unconfirmed(tx, tenant, id, reason))
    }
}

/// Inserts a client in `new_lead` with its first history row.
#[allow(clippy::too_many_arguments)]
fn insert_lead(
    tx: &tourdesk_store::Connection,
    tenant: TenantId,
    id: ClientId,
    history_id: HistoryId,
    input: &ClientInput,
    actor: ChangeActor,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    clients::insert(tx, tenant, id, input, FunnelStatus::NewLead, now)?;
    history::insert(
        tx,
        tenant,
        &StatusChange {
            id: history_id,
            client_id: id,
            from: None,
            to: FunnelStatus::NewLead,
            at: now,
            actor,
            actor_name: None,
            reason: reason.into(),
            evidence: None,
        },
    )
}

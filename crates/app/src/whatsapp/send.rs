//! What the manager sends: a message queued with its outbox row, "send again" and "mark as sent".

use tourdesk_core::client::ClientInput;
use tourdesk_core::message::{ChatKind, Direction, Message, MessageKind, NewMessage};
use tourdesk_core::whatsapp::{SendInput, SendStatus, SendTo, MAX_MESSAGE_CHARS};
use tourdesk_core::{
    validate, Actor as ChangeActor, AppError, AppResult, ChatId, ErrorCode, FunnelStatus,
    MessageId, TenantId,
};
use tourdesk_store::outbox::{self, NewOutbox};
use tourdesk_store::{chats, clients, messages, partners, wa_lids, Connection};

use super::media::{kind_of_mime, SavedFile};
use super::wa_id_of_phone;
use crate::clients::NewLead;
use crate::{Actor, App, Session};

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

/// Where a message goes once its chat is known.
enum Destination {
    /// A stored chat (picked in the inbox, or the chat of the typed phone's person).
    Chat {
        /// The chat.
        chat: ChatId,
        /// Its WhatsApp id.
        wa_chat_id: String,
    },
    /// A phone number with no chat yet: the chat is started with the message.
    NewChat {
        /// The number in E.164.
        phone: String,
        /// The chat id to give it.
        chat: ChatId,
    },
}

impl Destination {
    fn chat(&self) -> ChatId {
        match self {
            Destination::Chat { chat, .. } | Destination::NewChat { chat, .. } => *chat,
        }
    }

    fn wa_chat_id(&self) -> String {
        match self {
            Destination::Chat { wa_chat_id, .. } => wa_chat_id.clone(),
            Destination::NewChat { phone, .. } => wa_id_of_phone(phone),
        }
    }
}

/// The checked text of a message to send, with what the translator kept beside it.
struct Texts {
    body: String,
    original_body: Option<String>,
    back_translation: Option<String>,
}

/// The body as it is sent: trailing space trimmed, not empty without a file, length- and
/// NUL-checked; and the translator's texts.
fn checked_texts(input: &SendInput) -> AppResult<Texts> {
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
    Ok(Texts {
        body,
        // Sent through the translator: the manager's text and the back-translation they saw.
        original_body: translator_text(input.original_body.as_deref(), "original_body")?,
        back_translation: translator_text(input.back_translation.as_deref(), "back_translation")?,
    })
}

impl App {
    /// Sends a message: to a chat, or to a phone number (finding its person's chat, or
    /// starting one linked to the client or partner with that phone, or to a new lead). The
    /// message is stored at once as `queued` together with its outbox row; the worker hands it
    /// to WhatsApp.
    pub fn message_send(&self, s: &Session, input: &SendInput) -> AppResult<Message> {
        let _span = tracing::info_span!("message_send").entered();
        let a = self.actor(s)?;
        let texts = checked_texts(input)?;
        let dest = self.destination(a.tenant, input.to()?)?;
        if ChatKind::of_wa_chat_id(&dest.wa_chat_id()) == ChatKind::Broadcast {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "messages cannot be sent to a broadcast",
            ));
        }
        // The file, saved before the transaction (a failed transaction leaves an orphan file,
        // never a row pointing at nothing).
        let file = match &input.attachment {
            None => None,
            Some(att) => Some(self.save_outgoing_file(att)?),
        };
        let message_id = MessageId(self.new_uuid());
        self.store.write(|tx| {
            if let Destination::NewChat { phone, chat } = &dest {
                self.start_chat(tx, a.tenant, *chat, phone, ChangeActor::User(a.user))?;
            }
            self.queue_message(tx, a, &dest, &texts, file.as_ref(), message_id)
        })?;
        self.store.read(|c| messages::get(c, a.tenant, message_id))
    }

    /// The chat a message goes to.
    fn destination(&self, tenant: TenantId, to: SendTo) -> AppResult<Destination> {
        match to {
            SendTo::Chat(chat) => Ok(Destination::Chat {
                chat,
                wa_chat_id: self.store.read(|c| chats::wa_id(c, tenant, chat))?,
            }),
            SendTo::Phone(typed) => {
                let phone = validate::phone(&typed, &self.phone_region(tenant)?, "phone")?;
                let wa = wa_id_of_phone(&phone);
                match self
                    .store
                    .read(|c| wa_lids::chat_of_person(c, tenant, &wa))?
                {
                    Some(chat) => Ok(Destination::Chat {
                        chat,
                        wa_chat_id: self.store.read(|c| chats::wa_id(c, tenant, chat))?,
                    }),
                    None => Ok(Destination::NewChat {
                        phone,
                        chat: ChatId(self.new_uuid()),
                    }),
                }
            }
        }
    }

    /// Starts the chat of a phone number: linked to the client with that phone, else to the
    /// partner (a guide, a hotel: not a lead), else to a new lead.
    fn start_chat(
        &self,
        tx: &Connection,
        tenant: TenantId,
        chat: ChatId,
        phone: &str,
        actor: ChangeActor,
    ) -> AppResult<()> {
        let now = self.now();
        let mut client = clients::find_by_phone(tx, tenant, phone)?;
        let partner = match client {
            Some(_) => None,
            None => partners::find_by_phone(tx, tenant, phone)?,
        };
        if client.is_none() && partner.is_none() {
            let input = ClientInput {
                name: phone.to_string(),
                phone: Some(phone.to_string()),
                ..ClientInput::default()
            }
            .normalised(&self.phone_region(tenant)?)?;
            let lead = NewLead {
                input: &input,
                status: FunnelStatus::NewLead,
                actor,
                reason: "created".into(),
                evidence: None,
                at: now,
            };
            client = Some(self.insert_lead(tx, tenant, &lead)?);
        }
        let wa = wa_id_of_phone(phone);
        chats::insert(
            tx,
            tenant,
            chat,
            &wa,
            ChatKind::of_wa_chat_id(&wa),
            "",
            client,
            now,
        )?;
        if partner.is_some() {
            chats::set_partner(tx, tenant, chat, partner)?;
        }
        Ok(())
    }

    /// Stores the outgoing message (`queued`) and its outbox row.
    fn queue_message(
        &self,
        tx: &Connection,
        a: Actor,
        dest: &Destination,
        texts: &Texts,
        file: Option<&SavedFile>,
        message_id: MessageId,
    ) -> AppResult<()> {
        let now = self.now();
        let (chat, wa_chat_id) = (dest.chat(), dest.wa_chat_id());
        let m = NewMessage {
            wa_chat_id: wa_chat_id.clone(),
            chat_kind: ChatKind::of_wa_chat_id(&wa_chat_id),
            direction: Direction::Out,
            sent_at: now,
            kind: file.map_or(MessageKind::Text, |f| kind_of_mime(&f.mime)),
            body: texts.body.clone(),
            media_path: file.map(|f| f.path.to_string_lossy().into_owned()),
            media_mime: file.map(|f| f.mime.clone()),
            status: Some(SendStatus::Queued),
            ..NewMessage::default()
        };
        let seq = messages::insert(tx, a.tenant, message_id, chat, &m)?;
        if texts.original_body.is_some() || texts.back_translation.is_some() {
            messages::set_translator_texts(
                tx,
                a.tenant,
                message_id,
                texts.original_body.as_deref(),
                texts.back_translation.as_deref(),
            )?;
        }
        chats::note_arrival(tx, a.tenant, chat, seq, now, Direction::Out)?;
        outbox::insert(
            tx,
            a.tenant,
            &NewOutbox {
                id: &self.new_uuid().to_string(),
                message_id,
                chat_id: chat,
                wa_chat_id: &wa_chat_id,
                body: &texts.body,
                media_path: m.media_path.as_deref(),
                media_mime: m.media_mime.as_deref(),
                media_name: file.map(|f| f.name.as_str()),
                created_by: Some(a.user.to_string()),
            },
            now,
        )
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
}

//! What the WhatsApp worker hands in: arriving messages (new leads, partner links), acks and
//! reactions.

use chrono::{DateTime, Utc};
use tourdesk_core::client::ClientInput;
use tourdesk_core::message::{ChatKind, Direction, NewMessage, Stored};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{
    validate, Actor as ChangeActor, AppResult, ChatId, ClientId, FunnelStatus, Language, MessageId,
    TenantId,
};
use tourdesk_store::{chats, clients, messages, outbox, partners, reactions, wa_lids, Connection};

use super::phone_of_wa_id;
use crate::clients::NewLead;
use crate::App;

/// A message as the WhatsApp worker hands it in, with what is known about the contact.
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    /// The message (chat id, kind, text, media path, …).
    pub message: NewMessage,
    /// The contact's name from WhatsApp (push name or saved name), if any.
    pub contact_name: Option<String>,
    /// The contact's phone in E.164 (`+…`), when WhatsApp told it (`@lid` chats may not).
    pub phone: Option<String>,
    /// For our own echo of a send: the send's idempotency key (its outbox row's id, reserved
    /// before sending, with the attempt), which finds the chat it belongs to.
    pub outbox_key: Option<String>,
}

/// What storing an inbound message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    /// The stored message.
    pub stored: Stored,
    /// A client created for an unknown sender.
    pub new_client: Option<ClientId>,
}

/// A lead's name from WhatsApp: the push name with line breaks and control characters turned
/// into spaces (a client name may hold none), else the phone, else "WhatsApp contact".
fn lead_name(contact_name: Option<&str>, phone: Option<&str>) -> String {
    let name = contact_name
        .map(|n| {
            n.split(|c: char| c.is_control() || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|n| !n.is_empty())
        .or_else(|| phone.map(str::to_string))
        .unwrap_or_else(|| "WhatsApp contact".to_string());
    name.chars().take(200).collect()
}

/// Keeps the lid ↔ phone pair when a one-to-one `@lid` chat comes with its person's phone.
fn remember_lid(
    tx: &Connection,
    tenant: TenantId,
    wa_chat_id: &str,
    phone: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if wa_chat_id.ends_with("@lid") {
        wa_lids::remember(tx, tenant, wa_chat_id, phone, now)?;
    }
    Ok(())
}

/// The chat id to store our own echo under: the chat of the outbox row its send's key names
/// (reserved before the send), so an echo WhatsApp put in an `@lid` chat joins the phone chat
/// it was sent to — and that lid's phone is kept. An unknown key leaves the chat id as it came.
fn chat_of_own_echo(
    tx: &Connection,
    tenant: TenantId,
    key: &str,
    wa_chat_id: &str,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let row_id = key.split('#').next().unwrap_or(key);
    let Some(row) = outbox::find(tx, tenant, row_id)? else {
        return Ok(wa_chat_id.to_string());
    };
    let ours = chats::wa_id(tx, tenant, row.chat_id)?;
    if let Some(phone) = phone_of_wa_id(&ours) {
        remember_lid(tx, tenant, wa_chat_id, &phone, now)?;
    }
    Ok(ours)
}

impl App {
    /// Stores an arriving message (upsert by its stable id) in the chat of its person, whatever
    /// id WhatsApp used (a phone chat or an `@lid` one: the pair is kept when WhatsApp tells it;
    /// our own echo finds its chat through its outbox row). A new one-to-one chat is linked to
    /// the client with that phone, else to the partner with that phone, else a client is
    /// created in `new_lead` (history actor "whatsapp"). Groups and broadcasts create no client.
    pub fn wa_ingest(&self, tenant: TenantId, inbound: &Inbound) -> AppResult<Ingested> {
        let _span = tracing::debug_span!("wa_ingest").entered();
        let now = self.now();
        let new_id = MessageId(self.new_uuid());
        let new_chat = ChatId(self.new_uuid());
        let region = self.phone_region(tenant)?;
        let phone = inbound
            .phone
            .as_deref()
            .and_then(|p| validate::phone(p, &region, "phone").ok());
        self.store.write(|tx| {
            let mut msg = inbound.message.clone();
            // Our own message typed on the phone (also the first one of a new chat) went out.
            if msg.direction == Direction::Out && msg.status.is_none() {
                msg.status = Some(SendStatus::Sent);
            }
            if msg.chat_kind == ChatKind::OneToOne {
                if let Some(p) = &phone {
                    remember_lid(tx, tenant, &msg.wa_chat_id, p, now)?;
                }
                if let Some(key) = inbound.outbox_key.as_deref() {
                    msg.wa_chat_id = chat_of_own_echo(tx, tenant, key, &msg.wa_chat_id, now)?;
                }
            }
            let known_chat = wa_lids::chat_of_person(tx, tenant, &msg.wa_chat_id)?;
            let already = match msg.wa_message_id.as_deref() {
                Some(wa) => messages::find_by_wa_id(tx, tenant, wa)?.is_some(),
                None => false,
            };
            if known_chat.is_some() || already || msg.chat_kind != ChatKind::OneToOne {
                let stored = messages::upsert(tx, tenant, new_id, new_chat, &msg, now)?;
                return Ok(Ingested {
                    stored,
                    new_client: None,
                });
            }
            self.ingest_new_chat(
                tx,
                tenant,
                inbound,
                phone.as_deref(),
                msg,
                (new_id, new_chat),
            )
        })
    }

    /// The first message of a new one-to-one chat: linked to the client or partner with that
    /// phone, else to a new lead.
    fn ingest_new_chat(
        &self,
        tx: &Connection,
        tenant: TenantId,
        inbound: &Inbound,
        phone: Option<&str>,
        mut msg: NewMessage,
        (new_id, new_chat): (MessageId, ChatId),
    ) -> AppResult<Ingested> {
        let now = self.now();
        let mut new_client = None;
        let by_client = match phone {
            Some(p) => clients::find_by_phone(tx, tenant, p)?,
            None => None,
        };
        let by_partner = match (phone, by_client) {
            (Some(p), None) => partners::find_by_phone(tx, tenant, p)?,
            _ => None,
        };
        if let Some(c) = by_client {
            msg.client_id = Some(c);
        } else if by_partner.is_none() {
            let input = ClientInput {
                name: lead_name(inbound.contact_name.as_deref(), phone),
                phone: phone.map(str::to_string),
                language: Language::default(),
                ..ClientInput::default()
            }
            .normalised(&self.phone_region(tenant)?)?;
            let id = self.insert_lead(
                tx,
                tenant,
                &NewLead {
                    input: &input,
                    status: FunnelStatus::NewLead,
                    actor: ChangeActor::WhatsApp,
                    reason: "created".into(),
                    evidence: None,
                    at: now,
                },
            )?;
            msg.client_id = Some(id);
            new_client = Some(id);
        }
        if msg.chat_title.is_empty() {
            msg.chat_title = inbound.contact_name.clone().unwrap_or_default();
        }
        let stored = messages::upsert(tx, tenant, new_id, new_chat, &msg, now)?;
        if let Some(p) = by_partner {
            chats::set_partner(tx, tenant, stored.chat_id, Some(p))?;
        }
        Ok(Ingested { stored, new_client })
    }

    /// Moves a message's delivery status on a WhatsApp ack (-1 fails it, 0 waits, 1 sent, 2
    /// delivered, 3/4 read); false when the message is not stored.
    pub fn wa_ack(&self, tenant: TenantId, wa_message_id: &str, ack: i64) -> AppResult<bool> {
        let _span = tracing::debug_span!("wa_ack", ack).entered();
        let Some(status) = SendStatus::from_ack(ack) else {
            tracing::warn!(ack, "an ack level WhatsApp does not define: ignored");
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
        let _span = tracing::debug_span!("wa_reaction").entered();
        self.store
            .write(|tx| reactions::set(tx, tenant, wa_message_id, sender, emoji, at))
    }

    /// Every chat's WhatsApp id with the time of its newest stored message (backfill starts
    /// there), newest chats first.
    pub fn wa_backfill_marks(
        &self,
        tenant: TenantId,
    ) -> AppResult<Vec<(String, Option<DateTime<Utc>>)>> {
        let _span = tracing::debug_span!("wa_backfill_marks").entered();
        self.store.read(|c| chats::backfill_marks(c, tenant))
    }
}

//! WhatsApp in the app: what the manager sends (queued in the outbox with its message), the
//! worker-facing steps of the outbox (claim, sent, failed, unconfirmed), storing what arrives
//! (new leads, partner links, acks, edits, reactions) and the organisation's WhatsApp settings.
//!
//! The async loop that drives these steps against the sidecar lives in `tourdesk-wahost`; every
//! decision about data is made here, so the desktop, the headless host and the tests agree.

mod ingest;
mod media;
mod outbox;
mod send;

use tourdesk_core::whatsapp::{WaSettings, MAX_SENDS_PER_MINUTE};
use tourdesk_core::{AppError, AppResult, ChatId, ErrorCode, TenantId};
use tourdesk_store::{chats, wa_settings};

use crate::access::Action;
use crate::{App, Session};

pub use ingest::{Inbound, Ingested};
pub use media::MEDIA_DIR;
pub use outbox::{rate_gate, FoundOwn, Handover, OutboxPlan, STUCK_AFTER};

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

impl App {
    /// The organisation's WhatsApp settings.
    pub fn wa_settings_get(&self, s: &Session) -> AppResult<WaSettings> {
        let _span = tracing::debug_span!("wa_settings_get").entered();
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
        let _span = tracing::debug_span!("wa_settings_of").entered();
        self.store.read(|c| wa_settings::get(c, tenant))
    }

    /// The WhatsApp chat to send read receipts to when the manager opens `chat`: `None` when
    /// the setting is off.
    pub fn wa_read_receipt_target(&self, s: &Session, chat: ChatId) -> AppResult<Option<String>> {
        let _span = tracing::debug_span!("wa_read_receipt_target").entered();
        let a = self.actor(s)?;
        self.store.read(|c| {
            if !wa_settings::get(c, a.tenant)?.send_read_receipts {
                return Ok(None);
            }
            chats::wa_id(c, a.tenant, chat).map(Some)
        })
    }
}

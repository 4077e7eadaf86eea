//! The worker-facing steps of the outbox: claim the next row within the send-rate window, then
//! record what became of it (sent, retry later, failed, unconfirmed).

use chrono::{DateTime, Duration, Utc};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::whatsapp::MAX_SENDS_PER_MINUTE;
use tourdesk_core::{AppResult, TenantId};
use tourdesk_store::outbox::{self, OutboxCounts, OutboxRow};
use tourdesk_store::{wa_lids, wa_settings};

use super::phone_of_wa_id;

use crate::App;

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

/// What WhatsApp answered when it took a message.
#[derive(Debug, Clone, Copy)]
pub struct Handover<'a> {
    /// Its stable WhatsApp id.
    pub wa_message_id: &'a str,
    /// The chat WhatsApp put it in (an `@lid` one for a contact it moved there), when told.
    pub chat_id: Option<&'a str>,
    /// WhatsApp's time of the message.
    pub at: DateTime<Utc>,
    /// Its ack level then, when the sidecar told it.
    pub ack: Option<i64>,
}

/// The delivery status of a message WhatsApp Web just took: ack 0 (or unknown) means it holds
/// it, waiting for the network; 1 and up, its server has it. An error ack is left to the ack
/// event that carries it.
fn delivery_of_handover(ack: Option<i64>) -> SendStatus {
    match ack.and_then(SendStatus::from_ack) {
        Some(s) if s.on_server() => s,
        _ => SendStatus::Waiting,
    }
}

/// One of our own messages a post-crash lookup found on WhatsApp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundOwn {
    /// Its stable WhatsApp id.
    pub wa_message_id: String,
    /// Its ack level, when WhatsApp Web told it.
    pub ack: Option<i64>,
}

/// Stuck messages: WhatsApp has held them at ack 0 this long while connected.
pub const STUCK_AFTER: Duration = Duration::minutes(5);

impl App {
    /// Queued (incl. sending), unconfirmed and failed outbox rows of `tenant`, and its stuck
    /// messages.
    pub fn outbox_counts(&self, tenant: TenantId) -> AppResult<OutboxCounts> {
        let _span = tracing::debug_span!("outbox_counts").entered();
        self.store.read(|c| outbox::counts(c, tenant))
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
        let _span = tracing::debug_span!("outbox_next").entered();
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
        let _span = tracing::debug_span!("outbox_in_sending").entered();
        self.store.read(|c| outbox::in_sending(c, tenant))
    }

    /// Records WhatsApp's id and marks the row handed over; `ack` is the message's ack level
    /// when WhatsApp Web took it (0: it holds it, "waiting for network"), `at` WhatsApp's time
    /// of the message, `confirmed_at` our time when WhatsApp confirmed it (the rate window
    /// counts it).
    pub fn outbox_sent(
        &self,
        tenant: TenantId,
        id: &str,
        handed: &Handover<'_>,
        confirmed_at: DateTime<Utc>,
    ) -> AppResult<()> {
        let _span = tracing::debug_span!("outbox_sent", row = id).entered();
        let delivery = delivery_of_handover(handed.ack);
        let now = self.now();
        self.store.write(|tx| {
            if let Some(lid) = handed.chat_id.filter(|c| c.ends_with("@lid")) {
                // Sent to a phone, landed in an `@lid` chat: the same person.
                let row = outbox::get(tx, tenant, id)?;
                if let Some(phone) = phone_of_wa_id(&row.wa_chat_id) {
                    wa_lids::remember(tx, tenant, lid, &phone, now)?;
                }
            }
            outbox::mark_sent(tx, tenant, id, handed.wa_message_id, handed.at, delivery)?;
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
        let _span = tracing::debug_span!("outbox_retry_later").entered();
        self.store
            .write(|tx| outbox::reschedule(tx, tenant, id, next, reason))
    }

    /// Fails a row for good (e.g. the number is not on WhatsApp).
    pub fn outbox_failed(&self, tenant: TenantId, id: &str, reason: &str) -> AppResult<()> {
        let _span = tracing::debug_span!("outbox_failed").entered();
        self.store
            .write(|tx| outbox::mark_failed(tx, tenant, id, reason))
    }

    /// Settles a row whose hand-over was uncertain with the result of a lookup among our own
    /// recent messages (`matches`, best first): the first id not recorded on another row is
    /// this row's message → handed over, `waiting` or `sent` by its ack. Without one the send is
    /// not provable → `unconfirmed`, never resent automatically. Returns whether it was found.
    pub fn outbox_settle_lookup(
        &self,
        tenant: TenantId,
        id: &str,
        matches: &[FoundOwn],
        at: DateTime<Utc>,
        confirmed_at: DateTime<Utc>,
    ) -> AppResult<bool> {
        let _span = tracing::info_span!("outbox_settle_lookup", row = id).entered();
        self.store.write(|tx| {
            for found in matches {
                let wa = found.wa_message_id.as_str();
                if !outbox::wa_id_taken(tx, tenant, wa, id)? {
                    let delivery = delivery_of_handover(found.ack);
                    outbox::mark_sent(tx, tenant, id, wa, at, delivery)?;
                    outbox::confirm_handover(tx, tenant, id, confirmed_at)?;
                    return Ok(true);
                }
            }
            outbox::mark_unconfirmed(tx, tenant, id, "not_confirmed")?;
            Ok(false)
        })
    }

    /// Marks a row whose hand-over cannot be proven; the manager decides.
    pub fn outbox_unconfirmed(&self, tenant: TenantId, id: &str, reason: &str) -> AppResult<()> {
        let _span = tracing::debug_span!("outbox_unconfirmed").entered();
        self.store
            .write(|tx| outbox::mark_unconfirmed(tx, tenant, id, reason))
    }

    /// Flags messages WhatsApp has held at ack 0 (waiting for network) for `after` while
    /// connected: `ready_since` is when this connection became ready, so only connected time
    /// counts. Returns how many were newly flagged.
    pub fn outbox_flag_stuck(
        &self,
        tenant: TenantId,
        ready_since: DateTime<Utc>,
        now: DateTime<Utc>,
        after: Duration,
    ) -> AppResult<u32> {
        let _span = tracing::debug_span!("outbox_flag_stuck").entered();
        let cutoff = now - after;
        if ready_since > cutoff {
            return Ok(0);
        }
        let n = self
            .store
            .write(|tx| outbox::flag_stuck(tx, tenant, cutoff, now))?;
        if n > 0 {
            tracing::warn!(
                messages = n,
                "messages held at ack 0 while connected: flagged"
            );
        }
        Ok(n)
    }
}

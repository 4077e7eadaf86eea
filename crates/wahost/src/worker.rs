//! The host's two loops: WhatsApp events (store, settle, ask for a backfill) and the outbox
//! worker.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use rand::Rng;
use tokio::sync::broadcast::error::RecvError;
use tourdesk_app::core::message::Direction;
use tourdesk_app::core::whatsapp::InboxChange;
use tourdesk_app::core::{ChatId, MessageId};
use tourdesk_app::{phone_of_wa_id, FoundOwn, Handover, OutboxPlan, OutboxRow};
use tourdesk_whatsapp::{
    ConnectionState, OutgoingMedia, OutgoingMessage, Recipient, SendError, SidecarEvent,
    SupervisorEvent, WireMessage,
};
use tracing::Instrument;

use crate::map::{inbound, wa_time};
use crate::{backfill, status_of, Inner, LINKED_MARKER};

/// Longest wait between two looks at the outbox when nothing wakes the worker.
const IDLE_POLL: Duration = Duration::from_secs(30);
/// How often a worker that is not allowed to send looks at the connection again (a state
/// change also wakes it).
const NOT_READY_POLL: Duration = Duration::from_millis(500);

pub(crate) fn is_ready(inner: &Inner) -> bool {
    matches!(inner.sup.state(), ConnectionState::Ready { .. })
}

/// What storing a new message gives the UI to show.
pub(crate) struct Told {
    pub chat_id: ChatId,
    pub incoming: bool,
    pub title: Option<String>,
}

/// Stores one message, starts its translation and, with `tell`, tells the UI; `None` when it
/// was stored before (or cannot be stored). Errors are logged: one bad message must not stop
/// the stream (and it is fetched again by the next backfill).
pub(crate) fn store(inner: &Inner, m: &WireMessage, tell: bool) -> Option<Told> {
    let now = inner.app_now();
    let item = inbound(m, now);
    match inner.app.wa_ingest(inner.tenant, &item) {
        Ok(done) if done.stored.new => {
            let told = Told {
                chat_id: done.stored.chat_id,
                incoming: item.message.direction == Direction::In,
                title: item
                    .contact_name
                    .clone()
                    .or_else(|| Some(m.chat_id.clone())),
            };
            if tell {
                inner.listener.inbox_changed(&InboxChange {
                    chat_id: Some(told.chat_id),
                    incoming: told.incoming,
                    title: told.title.clone(),
                    preview: Some(item.message.body.chars().take(120).collect()),
                });
            }
            if told.incoming {
                translate_later(inner, done.stored.id, done.stored.chat_id);
            }
            Some(told)
        }
        Ok(_) => None,
        Err(e) => {
            tracing::error!(code = ?e.code, error = %e.message, "cannot store a WhatsApp message");
            None
        }
    }
}

/// At most this many arriving messages are translated at once (a backfill stores hundreds; the
/// provider would answer 429).
static TRANSLATING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Translates a new inbound message off the event loop (its language is detected and stored, and
/// it is translated into the managers' languages; model faults are cached as failed), then tells
/// the UI to refetch the chat. Nothing here can hold up the stream of messages.
fn translate_later(inner: &Inner, id: MessageId, chat: ChatId) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let (app, listener, tenant) = (
        Arc::clone(&inner.app),
        Arc::clone(&inner.listener),
        inner.tenant,
    );
    runtime.spawn(async move {
        let Ok(_permit) = TRANSLATING.acquire().await else {
            return;
        };
        match tokio::task::spawn_blocking(move || app.wa_translate_inbound(tenant, id)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(code = ?e.code, error = %e.message, "cannot translate a message")
            }
            Err(e) => tracing::error!(error = %e, "the translation of a message stopped"),
        }
        listener.inbox_changed(&InboxChange::refetch(Some(chat)));
    });
}

impl Inner {
    fn app_now(&self) -> chrono::DateTime<Utc> {
        Utc::now()
    }

    pub(crate) fn changed(&self) {
        self.listener.inbox_changed(&InboxChange::refetch(None));
    }
}

/// Follows the supervisor's events until the host stops.
pub(crate) async fn events(inner: Arc<Inner>) {
    let mut rx = inner.sup.subscribe();
    let mut stopping = inner.stopping.subscribe();
    loop {
        let ev = tokio::select! {
            ev = rx.recv() => ev,
            _ = stopping.changed() => return,
        };
        match ev {
            Ok(SupervisorEvent::State(state)) => on_state(&inner, &state).await,
            Ok(SupervisorEvent::Inbound(ev)) => on_event(&inner, ev),
            Ok(_) => {}
            Err(RecvError::Lagged(n)) => {
                // Missed events are fetched again by a backfill.
                tracing::warn!(missed = n, "WhatsApp events were dropped; backfilling");
                backfill::request(&inner);
            }
            Err(RecvError::Closed) => return,
        }
    }
}

async fn on_state(inner: &Arc<Inner>, state: &ConnectionState) {
    tracing::info!(state = state.name(), "WhatsApp state");
    inner.note_ready(matches!(state, ConnectionState::Ready { .. }));
    match state {
        ConnectionState::Ready { .. } => {
            let _ = std::fs::write(inner.config.wa_dir.join(LINKED_MARKER), b"1");
            inner.listener.status_changed(&status_of(inner));
            settle_uncertain(inner)
                .instrument(tracing::info_span!("wa_settle_uncertain"))
                .await;
            if is_ready(inner) {
                let _ = inner.settled.send(true);
                inner.nudge.notify_one();
            }
            backfill::request(inner);
        }
        ConnectionState::LoggedOut { .. } => {
            let _ = std::fs::remove_file(inner.config.wa_dir.join(LINKED_MARKER));
            let _ = inner.settled.send(false);
        }
        _ => {
            let _ = inner.settled.send(false);
        }
    }
    inner.listener.status_changed(&status_of(inner));
}

fn on_event(inner: &Inner, ev: SidecarEvent) {
    let t = inner.tenant;
    let result = match ev {
        SidecarEvent::Message { message } => {
            store(inner, &message, true);
            Ok(())
        }
        SidecarEvent::Ack(a) => inner
            .app
            .wa_ack(t, &a.wa_id.stable, a.ack)
            .map(|_| inner.changed()),
        SidecarEvent::MessageEdit(e) => {
            let at = wa_time(e.timestamp.unwrap_or(0), Utc::now());
            inner
                .app
                .store_edit(t, &e.wa_id.stable, &e.body, at)
                .map(|_| inner.changed())
        }
        SidecarEvent::MessageRevoke(r) => {
            let at = wa_time(r.timestamp.unwrap_or(0), Utc::now());
            inner
                .app
                .store_revoke(t, &r.wa_id.stable, at)
                .map(|_| inner.changed())
        }
        SidecarEvent::Reaction(r) => {
            let at = wa_time(r.timestamp.unwrap_or(0), Utc::now());
            let sender = r.sender_id.clone().unwrap_or_default();
            inner
                .app
                .wa_reaction(t, &r.target.stable, &sender, &r.reaction, at)
                .map(|_| inner.changed())
        }
        SidecarEvent::Error(e) => {
            tracing::warn!(code = %e.code, "WhatsApp sidecar reported an error");
            Ok(())
        }
        SidecarEvent::State(_) => Ok(()),
    };
    if let Err(e) = result {
        tracing::error!(code = ?e.code, error = %e.message, "cannot store a WhatsApp event");
    }
}

/// Rows left in `sending` by a stop are looked up among our own recent messages: found → sent;
/// not provable → unconfirmed (never resent automatically).
async fn settle_uncertain(inner: &Inner) {
    let rows = match inner.app.outbox_in_sending(inner.tenant) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e.message, "cannot read the outbox");
            return;
        }
    };
    for row in rows {
        if !is_ready(inner) {
            return; // next ready tries again; the rows stay in `sending`
        }
        settle_one(inner, &row)
            .instrument(tracing::info_span!("wa_settle_one", row = %row.id))
            .await;
    }
}

async fn settle_one(inner: &Inner, row: &OutboxRow) {
    let around = row
        .sent_at
        .map_or(0, |t| u64::try_from(t.timestamp()).unwrap_or(0));
    let lookup = inner
        .sup
        .find_sent_message(
            Recipient::ChatId(row.wa_chat_id.clone()),
            &row.body,
            around,
            Some(inner.config.lookup_window_s),
        )
        .await;
    match lookup {
        Ok(found) => {
            // Best first: the matches with their acks (the first is `message`).
            let acks = found.acks.iter().copied().chain(std::iter::repeat(None));
            let first = found.message.iter().map(|m| (m, None));
            let mut ids: Vec<FoundOwn> = Vec::new();
            for (m, ack) in found.matches.iter().zip(acks).chain(first) {
                if !ids.iter().any(|f| f.wa_message_id == m.stable) {
                    ids.push(FoundOwn {
                        wa_message_id: m.stable.clone(),
                        ack,
                    });
                }
            }
            let at = row.sent_at.unwrap_or_else(Utc::now);
            match inner
                .app
                .outbox_settle_lookup(inner.tenant, &row.id, &ids, at, Utc::now())
            {
                Ok(true) => tracing::info!(row = %row.id, "an interrupted send was found: sent"),
                Ok(false) => {
                    tracing::warn!(row = %row.id, "an interrupted send cannot be confirmed: unconfirmed")
                }
                Err(e) => tracing::error!(error = %e.message, "cannot settle an interrupted send"),
            }
            inner.changed();
        }
        Err(e) if e.is_transient() => {
            tracing::warn!(error = %e, "lookup of an interrupted send failed; will retry on the next ready");
        }
        Err(e) => {
            tracing::warn!(error = %e, "lookup of an interrupted send refused");
            if let Err(e) = inner
                .app
                .outbox_unconfirmed(inner.tenant, &row.id, "lookup_failed")
            {
                tracing::error!(error = %e.message, "cannot mark a send unconfirmed");
            }
            inner.changed();
        }
    }
}

/// The outbox worker: sends one due row at a time while ready and settled, within the rate
/// window, with random gaps; waits for a nudge, a due time or the window otherwise.
pub(crate) async fn outbox(inner: Arc<Inner>) {
    let mut settled = inner.settled.subscribe();
    let stopping = inner.stopping.subscribe();
    // The window counts hand-over times, a confirmed send's from its confirmation
    // (tourdesk_store::outbox::confirm_handover), so the limit holds on WhatsApp's side too.
    let window = chrono::Duration::from_std(inner.config.rate_window)
        .unwrap_or_else(|_| chrono::Duration::seconds(60));
    loop {
        if *stopping.borrow() {
            return;
        }
        // Hand over only in `ready`: the supervisor's state is looked at too, so a drop stops
        // the worker at once, before the event loop has told it.
        if !*settled.borrow() || !is_ready(&inner) {
            tokio::select! {
                _ = settled.changed() => {}
                _ = inner.nudge.notified() => {}
                _ = tokio::time::sleep(NOT_READY_POLL) => {}
            }
            continue;
        }
        let plan = inner.app.outbox_next(inner.tenant, Utc::now(), window);
        match plan {
            Ok(OutboxPlan::Send(row)) => {
                inner.listener.status_changed(&status_of(&inner));
                let span = tracing::info_span!("wa_send_one", row = %row.id);
                send_one(&inner, *row).instrument(span).await;
                inner.changed();
                inner.listener.status_changed(&status_of(&inner));
                let (lo, hi) = inner.config.gap_ms;
                let gap = rand::thread_rng().gen_range(lo..=hi.max(lo));
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(gap)) => {}
                    _ = settled.changed() => {}
                }
            }
            Ok(OutboxPlan::WaitUntil(t)) => {
                let wait = (t - Utc::now())
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(IDLE_POLL);
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = inner.nudge.notified() => {}
                    _ = settled.changed() => {}
                }
            }
            Ok(OutboxPlan::Idle) => {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = inner.nudge.notified() => {}
                    _ = settled.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e.message, "outbox unavailable");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn send_one(inner: &Inner, row: OutboxRow) {
    let t = inner.tenant;
    if !is_ready(inner) {
        // Left `ready` between the claim and now: back to the queue, not counted.
        if let Err(e) = inner
            .app
            .outbox_retry_later(t, &row.id, Utc::now(), "not_ready")
        {
            tracing::error!(error = %e.message, row = %row.id, "cannot put a send back");
        }
        return;
    }
    let media = row.media_path.as_ref().map(|path| {
        let mime = row
            .media_mime
            .clone()
            .unwrap_or_else(|| "application/octet-stream".into());
        let as_document = !(mime.starts_with("image/")
            || mime.starts_with("video/")
            || mime.starts_with("audio/"));
        OutgoingMedia {
            path: path.clone(),
            mimetype: mime,
            filename: row.media_name.clone(),
            as_document,
        }
    });
    // A chat id built from a phone number (`<digits>@c.us`, e.g. a chat started here) goes by
    // the number, so WhatsApp resolves it: `not_on_whatsapp` for a number without an account,
    // and the chat WhatsApp really uses (protocol §9 `send_message`, §13).
    let to = match phone_of_wa_id(&row.wa_chat_id) {
        Some(phone) => Recipient::Phone(phone),
        None => Recipient::ChatId(row.wa_chat_id.clone()),
    };
    let msg = OutgoingMessage {
        to,
        text: row.body.clone(),
        media,
        idempotency_key: row.idempotency_key(),
    };
    let result = inner.sup.send_message(msg).await;
    let outcome = match result {
        Ok(sent) => {
            let handed = Handover {
                wa_message_id: &sent.wa_id.stable,
                chat_id: Some(&sent.chat_id),
                at: wa_time(sent.timestamp, Utc::now()),
                ack: sent.ack,
            };
            inner.app.outbox_sent(t, &row.id, &handed, Utc::now())
        }
        Err(SendError::Permanent { code, .. }) => inner.app.outbox_failed(t, &row.id, &code),
        Err(e) if e.maybe_sent() => {
            // WhatsApp may have it: look it up now if we can, else at the next ready.
            if is_ready(inner) {
                settle_one(inner, &row)
                    .instrument(tracing::info_span!("wa_settle_one", row = %row.id))
                    .await;
            }
            Ok(())
        }
        Err(SendError::Transient { code, .. }) => {
            let backoff = retry_delay(inner.config.retry_base, row.attempts);
            let next = Utc::now() + chrono::Duration::from_std(backoff).unwrap_or_default();
            inner.app.outbox_retry_later(t, &row.id, next, &code)
        }
    };
    if let Err(e) = outcome {
        tracing::error!(error = %e.message, row = %row.id, "cannot record a send");
    }
}

/// Exponential back-off from `base`, doubling per attempt, at most 5 minutes, with ±20 % jitter.
pub(crate) fn retry_delay(base: Duration, attempts: u32) -> Duration {
    let exp = base.saturating_mul(1u32 << attempts.min(10).saturating_sub(1));
    let capped = exp.min(Duration::from_secs(300));
    let jitter = rand::thread_rng().gen_range(0.8..=1.2);
    capped.mul_f64(jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_and_stop_growing_at_five_minutes() {
        let base = Duration::from_secs(5);
        let first = retry_delay(base, 1);
        assert!(first >= Duration::from_secs(4) && first <= Duration::from_secs(6));
        let third = retry_delay(base, 3);
        assert!(third >= Duration::from_secs(16) && third <= Duration::from_secs(24));
        assert!(retry_delay(base, 30) <= Duration::from_secs(360));
    }
}

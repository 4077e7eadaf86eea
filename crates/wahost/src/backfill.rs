//! The catch-up after every `ready` (and after dropped events): its own task with its own queue
//! of chats, so live messages never wait behind it. Each chat is read newest first in pages of
//! growing size until a page reaches back past the newest message stored before (or WhatsApp
//! says there is nothing older), and every message of every page goes through the same upsert
//! as a live one: duplicates are recognised by WhatsApp's stable id, never by their time, so a
//! message delivered late with an older time is stored too. Progress ("syncing 12/40 chats") is
//! part of the WhatsApp status.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tourdesk_app::core::whatsapp::{InboxChange, SyncProgress};
use tourdesk_whatsapp::WireMessage;
use tracing::Instrument;

use crate::worker::{is_ready, store, Told};
use crate::{status_of, Inner};

/// The first page of a chat: enough for a usual gap (a few minutes offline).
pub const FIRST_PAGE: u32 = 50;
/// Each next page asks for this many times more (WhatsApp Web gives the newest `limit`
/// messages, so a deeper page repeats the newer ones; the upsert absorbs them).
const GROWTH: u32 = 4;
/// The deepest page the sidecar gives (its `fetch_messages` cap); older messages are the
/// history import's job.
pub const DEEPEST_PAGE: u32 = 1000;

/// One chat to catch up: WhatsApp's chat id and the time back to which it must be read.
struct Todo {
    chat: String,
    /// The newest message stored before this catch-up (a known chat), or the newest message
    /// of all chats (a chat that became active while we were away).
    back_to: DateTime<Utc>,
}

/// Asks for a catch-up; requests made while one runs are merged into one more run after it.
pub(crate) fn request(inner: &Inner) {
    inner.backfill_wanted.notify_one();
}

/// The catch-up task: waits for a request, then works through its queue of chats while ready.
pub(crate) async fn task(inner: Arc<Inner>) {
    let mut stopping = inner.stopping.subscribe();
    loop {
        tokio::select! {
            _ = inner.backfill_wanted.notified() => {}
            _ = stopping.changed() => return,
        }
        if is_ready(&inner) {
            run(&inner)
                .instrument(tracing::info_span!("wa_backfill"))
                .await;
        }
    }
}

async fn run(inner: &Arc<Inner>) {
    let mut queue = match plan(inner).await {
        Some(q) => q,
        None => return,
    };
    let total = u32::try_from(queue.len()).unwrap_or(u32::MAX);
    let mut done = 0u32;
    let mut stored = 0usize;
    while let Some(todo) = queue.pop_front() {
        if !is_ready(inner) || *inner.stopping.borrow() {
            // The next `ready` asks again and starts from what is stored by then.
            tracing::info!(done, total, "backfill interrupted");
            break;
        }
        set_progress(inner, Some(SyncProgress { done, total }));
        stored += catch_up(inner, &todo).await;
        done += 1;
    }
    set_progress(inner, None);
    tracing::info!(chats = done, stored, "backfill done");
}

fn set_progress(inner: &Inner, progress: Option<SyncProgress>) {
    if let Ok(mut p) = inner.sync.lock() {
        *p = progress;
    }
    inner.listener.status_changed(&status_of(inner));
}

/// The chats to look at: every stored chat back to its newest message, then the chats WhatsApp
/// lists as active since our newest message that we have never stored. Nothing stored at all
/// means nothing to catch up (older history is the history import's job).
async fn plan(inner: &Inner) -> Option<VecDeque<Todo>> {
    let marks = match inner.app.wa_backfill_marks(inner.tenant) {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e.message, "cannot read chats for the backfill");
            return None;
        }
    };
    let newest = marks.iter().filter_map(|(_, t)| *t).max()?;
    let mut queue: VecDeque<Todo> = marks
        .iter()
        .filter_map(|(chat, mark)| {
            mark.map(|back_to| Todo {
                chat: chat.clone(),
                back_to,
            })
        })
        .collect();
    let cutoff = u64::try_from(newest.timestamp()).unwrap_or(0);
    match inner.sup.get_chats().await {
        Ok(chats) => {
            let known: HashSet<&str> = marks.iter().map(|(id, _)| id.as_str()).collect();
            for c in chats {
                if !known.contains(c.id.as_str()) && c.timestamp.is_some_and(|t| t >= cutoff) {
                    queue.push_back(Todo {
                        chat: c.id,
                        back_to: newest,
                    });
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot list chats for the backfill"),
    }
    Some(queue)
}

/// Reads one chat page by page, newest first, until a page reaches back past `back_to` or
/// holds all WhatsApp has; stores every message not seen in this chat yet. Returns how many
/// messages were new.
async fn catch_up(inner: &Arc<Inner>, todo: &Todo) -> usize {
    let mut limit = FIRST_PAGE;
    let mut seen: HashSet<String> = HashSet::new();
    let mut new = 0usize;
    loop {
        let page = match inner.sup.fetch_messages(&todo.chat, 0, limit, true).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, chat = %todo.chat, "backfill of a chat failed");
                return new;
            }
        };
        let fresh: Vec<WireMessage> = page
            .messages
            .iter()
            .filter(|m| seen.insert(m.wa_id.stable.clone()))
            .cloned()
            .collect();
        // Strictly older: a page whose oldest message is as old as the mark (same second) may
        // still miss messages of that second.
        let reached = page.messages.first().is_some_and(|m| {
            i64::try_from(m.timestamp).unwrap_or(i64::MAX) < todo.back_to.timestamp()
        });
        new += store_page(inner, fresh).await;
        if reached || !page.truncated {
            return new;
        }
        if limit >= DEEPEST_PAGE {
            tracing::warn!(chat = %todo.chat, limit, "backfill stopped at the deepest page; older messages are left to the history import");
            return new;
        }
        limit = limit.saturating_mul(GROWTH).min(DEEPEST_PAGE);
    }
}

/// Stores a page off the async threads, one message per transaction (a live message waits for
/// one of them at most), then tells the UI once for the page. Returns how many were new.
async fn store_page(inner: &Arc<Inner>, page: Vec<WireMessage>) -> usize {
    if page.is_empty() {
        return 0;
    }
    let worker = Arc::clone(inner);
    let told = tokio::task::spawn_blocking(move || {
        let mut last: Option<(Told, &WireMessage)> = None;
        let mut new = 0usize;
        for m in &page {
            if let Some(t) = store(&worker, m, false) {
                new += 1;
                if last.as_ref().is_none_or(|(l, _)| !l.incoming || t.incoming) {
                    last = Some((t, m));
                }
            }
        }
        let change = last.map(|(t, m)| InboxChange {
            chat_id: Some(t.chat_id),
            incoming: t.incoming,
            title: t.title,
            preview: Some(m.body.chars().take(120).collect()),
        });
        (new, change)
    })
    .await;
    match told {
        Ok((new, change)) => {
            if let Some(c) = change {
                inner.listener.inbox_changed(&c);
            }
            new
        }
        Err(e) => {
            tracing::error!(error = %e, "storing a backfill page stopped");
            0
        }
    }
}

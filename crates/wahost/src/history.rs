//! History import through WhatsApp Web: fetch as much of each chosen chat as the linked device
//! holds (it has only what the phone synced), with progress and cancel, for
//! [`tourdesk_app::App::import_stage_whatsapp`]. Nothing is stored here.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use tourdesk_app::core::message::ChatKind;
use tourdesk_app::core::{AppError, AppResult, ErrorCode};
use tourdesk_app::phone_of_wa_id;
use tourdesk_whatsapp::ConnectionState;

use crate::map::inbound;
use crate::WaHost;

/// One chat as fetched: WhatsApp's id, title, phone, the messages (oldest first, with stable
/// ids and UTC times) and whether older ones may exist beyond the limit.
pub type FetchedChat = tourdesk_app::WaHistoryChat;

/// The most messages `fetch_messages` gives per chat.
pub const MAX_PER_CHAT: u32 = 1000;

impl WaHost {
    /// Fetches the history of `chat_ids` (default: every one-to-one chat WhatsApp Web has
    /// loaded), up to `per_chat_limit` (1–1000) newest messages each, with media. `progress` is
    /// called before each chat with `(done, total, chat title)` and once more at the end with
    /// `(total, total, "")`. `cancel` is checked between chats: once set, the chats fetched so
    /// far are returned (the caller knows it cancelled and may stage them or not).
    ///
    /// Per chat, the number of messages and the oldest one's date end up in the staged item
    /// (`ImportItem::messages`, `first`); `truncated` becomes `history_truncated` (older messages
    /// may exist: an export file from the phone has them). A chat WhatsApp cannot give
    /// (`chat_not_found`, a media failure) comes back with no messages; losing the connection
    /// fails the whole call with `whatsapp_unavailable`.
    pub async fn fetch_history(
        &self,
        chat_ids: Option<Vec<String>>,
        per_chat_limit: u32,
        progress: impl Fn(u32, u32, &str) + Send,
        cancel: &AtomicBool,
    ) -> AppResult<Vec<FetchedChat>> {
        let sup = &self.inner.sup;
        let not_ready = || {
            AppError::new(
                ErrorCode::WhatsappUnavailable,
                "WhatsApp is not connected; connect it to import history",
            )
        };
        if !matches!(sup.state(), ConnectionState::Ready { .. }) {
            return Err(not_ready());
        }
        let listed = sup
            .get_chats()
            .await
            .map_err(|e| AppError::new(ErrorCode::WhatsappUnavailable, e.to_string()))?;
        // (id, title, is_group) of the chats to fetch.
        let todo: Vec<(String, String, bool)> = match chat_ids {
            Some(ids) => ids
                .into_iter()
                .map(|id| {
                    let known = listed.iter().find(|c| c.id == id);
                    let title = known.and_then(|c| c.name.clone()).unwrap_or_default();
                    let group = known
                        .map_or(ChatKind::of_wa_chat_id(&id) == ChatKind::Group, |c| {
                            c.is_group
                        });
                    (id, title, group)
                })
                .collect(),
            None => listed
                .iter()
                .filter(|c| !c.is_group && ChatKind::of_wa_chat_id(&c.id) == ChatKind::OneToOne)
                .map(|c| (c.id.clone(), c.name.clone().unwrap_or_default(), false))
                .collect(),
        };
        let limit = per_chat_limit.clamp(1, MAX_PER_CHAT);
        let total = u32::try_from(todo.len()).unwrap_or(u32::MAX);
        let mut out = Vec::with_capacity(todo.len());
        for (done, (id, title, is_group)) in todo.into_iter().enumerate() {
            if cancel.load(Ordering::SeqCst) {
                return Ok(out);
            }
            let done = u32::try_from(done).unwrap_or(u32::MAX);
            progress(done, total, if title.is_empty() { &id } else { &title });
            let mut chat = FetchedChat {
                phone: if is_group { None } else { phone_of_wa_id(&id) },
                wa_chat_id: id,
                title,
                is_group,
                messages: Vec::new(),
                truncated: false,
            };
            match sup.fetch_messages(&chat.wa_chat_id, 0, limit, true).await {
                Ok(page) => {
                    let now = Utc::now();
                    chat.truncated = page.truncated;
                    for m in &page.messages {
                        let i = inbound(m, now);
                        if chat.phone.is_none() && !is_group {
                            chat.phone = i.phone.clone();
                        }
                        if chat.title.is_empty() {
                            if let Some(name) = i.contact_name.clone() {
                                chat.title = name;
                            }
                        }
                        chat.messages.push(i.message);
                    }
                }
                Err(e) => {
                    if !matches!(sup.state(), ConnectionState::Ready { .. }) {
                        return Err(not_ready());
                    }
                    tracing::warn!(error = %e, chat = %chat.wa_chat_id, "history of a chat not fetched");
                }
            }
            out.push(chat);
        }
        progress(total, total, "");
        Ok(out)
    }
}

//! The inbox: chat list, a chat's messages, message search, mark read; and the entry point the
//! WhatsApp worker stores messages through.

use tourdesk_core::message::{
    page_size, ChatFilter, ChatRow, Message, MessageHit, MessagePage, MessageWindow, NewMessage,
    Stored,
};
use tourdesk_core::{AppError, AppResult, ChatId, ErrorCode, MessageId, TenantId};
use tourdesk_store::{chats, messages};

use crate::{App, Session};

/// The longest search text accepted, in characters.
const MAX_SEARCH: usize = 200;

impl App {
    /// The chat list, newest first, with unread counts and the latest message's start.
    pub fn chat_list(&self, s: &Session, filter: &ChatFilter) -> AppResult<Vec<ChatRow>> {
        let _span = tracing::info_span!("chat_list").entered();
        let a = self.actor(s)?;
        self.store.read(|c| chats::list(c, a.tenant, filter))
    }

    /// One chat as the list shows it (a chat opened from search or just started).
    pub fn chat_get(&self, s: &Session, chat_id: ChatId) -> AppResult<ChatRow> {
        let a = self.actor(s)?;
        self.store.read(|c| chats::row(c, a.tenant, chat_id))
    }

    /// Unread messages over all chats (the inbox badge and the window title).
    pub fn chat_unread_total(&self, s: &Session) -> AppResult<u32> {
        let a = self.actor(s)?;
        self.store.read(|c| chats::unread_total(c, a.tenant))
    }

    /// A chat's latest `limit` messages (0 means 50, at most 200), newest first, each with its
    /// cached translation into the user's language; with `before_seq`, the page before that
    /// message.
    pub fn chat_messages(
        &self,
        s: &Session,
        chat_id: ChatId,
        before_seq: Option<i64>,
        limit: u32,
    ) -> AppResult<Vec<Message>> {
        let _span = tracing::info_span!("chat_messages").entered();
        let a = self.actor(s)?;
        self.store.read(|c| {
            let mut page = messages::for_chat(c, a.tenant, chat_id, before_seq, page_size(limit))?;
            crate::translate::attach_translations(c, a.tenant, a.user, chat_id, &mut page)?;
            Ok(page)
        })
    }

    /// One window of a chat (the newest messages, those before or after a shown one, or those
    /// around a message opened from search), `limit` at most (0 means 50, at most 200), newest
    /// first, each with its cached translation into the user's language, and whether more lie
    /// on either side. The conversation view reads a long chat this way, a window at a time.
    pub fn chat_window(
        &self,
        s: &Session,
        chat_id: ChatId,
        window: MessageWindow,
        limit: u32,
    ) -> AppResult<MessagePage> {
        let _span = tracing::info_span!("chat_window").entered();
        let a = self.actor(s)?;
        self.store.read(|c| {
            let mut page = messages::window(c, a.tenant, chat_id, window, page_size(limit))?;
            crate::translate::attach_translations(
                c,
                a.tenant,
                a.user,
                chat_id,
                &mut page.messages,
            )?;
            Ok(page)
        })
    }

    /// Messages whose text matches, newest first (at most 50), with a snippet each.
    pub fn message_search(&self, s: &Session, text: &str) -> AppResult<Vec<MessageHit>> {
        let _span = tracing::info_span!("message_search").entered();
        let a = self.actor(s)?;
        if text.chars().count() > MAX_SEARCH {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "search",
                "the search text is too long",
            ));
        }
        self.store.read(|c| messages::search(c, a.tenant, text))
    }

    /// Marks every message of the chat read (unread count 0).
    pub fn chat_mark_read(&self, s: &Session, chat_id: ChatId) -> AppResult<()> {
        let _span = tracing::info_span!("chat_mark_read").entered();
        let a = self.actor(s)?;
        self.store
            .write(|tx| chats::mark_read(tx, a.tenant, chat_id))
    }

    /// Stores a message of `tenant` as it arrives (upsert by its stable WhatsApp id, creating
    /// the chat when needed). Not a user action: the WhatsApp worker and importers call it with
    /// the tenant of the account they serve; no session is checked.
    pub fn store_incoming(&self, tenant: TenantId, msg: &NewMessage) -> AppResult<Stored> {
        let _span = tracing::debug_span!("store_incoming").entered();
        let now = self.now();
        let id = MessageId(self.new_uuid());
        let chat = ChatId(self.new_uuid());
        self.store
            .write(|tx| messages::upsert(tx, tenant, id, chat, msg, now))
    }

    /// Applies an edit reported by WhatsApp; false when the message is not stored. Not a user
    /// action (the WhatsApp worker calls it).
    pub fn store_edit(
        &self,
        tenant: TenantId,
        wa_message_id: &str,
        body: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<bool> {
        let _span = tracing::debug_span!("store_edit").entered();
        self.store
            .write(|tx| messages::edit(tx, tenant, wa_message_id, body, at))
    }

    /// Applies a deletion reported by WhatsApp (the row is kept); false when the message is not
    /// stored. Not a user action (the WhatsApp worker calls it).
    pub fn store_revoke(
        &self,
        tenant: TenantId,
        wa_message_id: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<bool> {
        let _span = tracing::debug_span!("store_revoke").entered();
        self.store
            .write(|tx| messages::revoke(tx, tenant, wa_message_id, at))
    }
}

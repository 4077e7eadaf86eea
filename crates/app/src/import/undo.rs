//! Undo: remove only the batch rows nobody changed since.

use std::collections::HashSet;
use std::path::Path;

use tourdesk_core::import::{ImportBatchStatus, ImportNote, KeptReason, UndoReport};
use tourdesk_core::{AppError, AppResult, ChatId, ClientId, ErrorCode, ImportBatchId};
use tourdesk_store::chats;
use tourdesk_store::imports::{self};

use crate::whatsapp::MEDIA_DIR;
use crate::{App, Session};

use super::*;

impl App {
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
    /// `kept` lists what stayed and why, as codes the UI translates. Undoing a batch that is not committed is a
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
                        why.push(KeptReason::ClientChanged);
                    }
                    if imports::other_chats_of_client(tx, a.tenant, client, Some(chat))? > 0 {
                        why.push(KeptReason::OtherChat);
                    }
                    if imports::merged_into_client(tx, a.tenant, client)? > 0 {
                        why.push(KeptReason::MergedInto);
                    }
                    if others > 0 {
                        why.push(KeptReason::ArrivedSince { count: others });
                    }
                    if touched > 0 {
                        why.push(KeptReason::Touched { count: touched });
                    }
                    if version.is_some() && !why.is_empty() {
                        report.kept.push(ImportNote::ClientKept {
                            name: title,
                            messages: u32::try_from(untouched.len()).unwrap_or(u32::MAX) + touched,
                            reasons: why,
                        });
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
                    report.kept.push(ImportNote::MessagesKept {
                        name: title.clone(),
                        count: touched,
                    });
                }
                if row.chat_created {
                    if imports::delete_empty_chat(tx, a.tenant, chat)? {
                        report.chats_removed += 1;
                        removed_chats.insert(chat);
                        continue;
                    }
                    report.kept.push(ImportNote::ChatKept { name: title });
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

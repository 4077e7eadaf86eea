//! Commit: the whole batch in one transaction.

use chrono::{DateTime, Duration, Utc};
use tourdesk_core::client::ClientInput;
use tourdesk_core::import::{ImportAction, ImportBatchStatus, ImportSummary};
use tourdesk_core::message::{ChatKind, Direction, NewMessage};
use tourdesk_core::whatsapp::SendStatus;
use tourdesk_core::{
    Actor as ChangeActor, AppError, AppResult, ChatId, ErrorCode, ImportBatchId, MessageId,
    TenantId,
};
use tourdesk_store::clients::{self, Linkable};
use tourdesk_store::imports::{self, ItemResult, ItemRow};
use tourdesk_store::{chats, messages, wa_lids, Connection};

use crate::clients::NewLead;
use crate::whatsapp::wa_id_of_phone;
use crate::{App, Session};

use super::rules::*;

impl App {
    /// Writes a staged batch into clients, chats, messages and status history, in one
    /// transaction, skipping messages already stored (the rule in the module docs). Committing a
    /// batch that is not staged is a `conflict`.
    pub fn import_commit(&self, s: &Session, id: ImportBatchId) -> AppResult<ImportSummary> {
        let _span = tracing::info_span!("import_commit").entered();
        let a = self.actor(s)?;
        let region = self.phone_region(a.tenant)?;
        let now = self.now();
        self.store.write(|tx| {
            let batch = imports::get_batch(tx, a.tenant, id)?;
            if batch.batch.status != ImportBatchStatus::Staged {
                return Err(AppError::new(
                    ErrorCode::Conflict,
                    "the import batch was already committed or undone",
                ));
            }
            let mut summary = ImportSummary::default();
            for row in imports::items_of(tx, a.tenant, id)? {
                if row.item.action == ImportAction::Skip {
                    summary.items_skipped += 1;
                    continue;
                }
                let result = self.commit_item(tx, a.tenant, &row, &region, now, &mut summary)?;
                imports::set_item_result(tx, a.tenant, row.item.id, &result)?;
            }
            imports::set_committed(tx, a.tenant, id, now, &summary)?;
            Ok(summary)
        })
    }

    pub(super) fn commit_item(
        &self,
        tx: &Connection,
        tenant: TenantId,
        row: &ItemRow,
        region: &str,
        now: DateTime<Utc>,
        summary: &mut ImportSummary,
    ) -> AppResult<ItemResult> {
        let item = &row.item;
        let zone = parse_zone(&item.time_zone, "time_zone")?;
        let mut result = ItemResult::default();
        // The client.
        let client = if item.is_group {
            None
        } else if item.action == ImportAction::Merge {
            let target = item.merge_into.ok_or_else(|| {
                AppError::field(ErrorCode::Required, "merge_into", "choose a client")
            })?;
            if !clients::exists_live(tx, Linkable::Client, tenant, &target.to_string())? {
                return Err(AppError {
                    code: ErrorCode::NotFound,
                    message: format!(
                        "the client chosen for \"{}\" no longer exists; choose again",
                        item.name
                    ),
                    field: Some("merge_into".into()),
                    existing_id: Some(item.id.to_string()),
                });
            }
            summary.clients_merged += 1;
            Some(target)
        } else {
            let existing = match &item.phone {
                Some(p) => clients::find_by_phone(tx, tenant, p)?,
                None => None,
            };
            match existing {
                // Someone (or an earlier item of this batch) took the phone since staging.
                Some(c) => {
                    summary.clients_merged += 1;
                    Some(c)
                }
                None => {
                    if row.item.needs_client_choice {
                        return Err(AppError {
                            code: ErrorCode::Required,
                            message: format!(
                                "say which participant of \"{}\" is the client",
                                item.file_name
                            ),
                            field: Some("name".into()),
                            existing_id: Some(item.id.to_string()),
                        });
                    }
                    let input = ClientInput {
                        name: item.name.clone(),
                        phone: item.phone.clone(),
                        language: item.language,
                        ..ClientInput::default()
                    }
                    .normalised(region)?;
                    let id = self.insert_lead(
                        tx,
                        tenant,
                        &NewLead {
                            input: &input,
                            status: item.suggested_status,
                            actor: ChangeActor::Import,
                            reason: if item.status_reason.trim().is_empty() {
                                "imported".into()
                            } else {
                                item.status_reason.clone()
                            },
                            evidence: item.status_evidence.as_deref().and_then(evidence_text),
                            at: now,
                        },
                    )?;
                    result.client_version =
                        Some(imports::mark_client(tx, tenant, id, row.batch_id)?);
                    result.created_client_id = Some(id);
                    summary.clients_created += 1;
                    Some(id)
                }
            }
        };
        result.client_id = client;
        // The chat.
        // WhatsApp Web's own chat id first (it may be an `@lid` one), else the phone's.
        let wa_chat_id = item
            .wa_chat_id
            .clone()
            .or_else(|| item.phone.as_deref().map(wa_id_of_phone));
        // The person's chat under either of their ids (phone or `@lid`): the no-duplicate rule
        // then compares with everything stored for them.
        let mut chat = match &wa_chat_id {
            Some(wa) => wa_lids::chat_of_person(tx, tenant, wa)?,
            None => None,
        };
        if chat.is_none() && wa_chat_id.is_none() && !item.is_group {
            // A conversation without a phone merged into a client: the client's own chat, so a
            // repeated import finds the messages it wrote before.
            if let Some(c) = client {
                chat = imports::latest_one_to_one_chat(tx, tenant, c)?;
            }
        }
        let wa_chat_id = wa_chat_id
            .or_else(|| row.chat_key.clone())
            .unwrap_or_else(|| format!("import:{}", item.id));
        if chat.is_none() {
            chat = wa_lids::chat_of_person(tx, tenant, &wa_chat_id)?;
        }
        let chat = match chat {
            Some(c) => {
                if client.is_some() && chats::client_of(tx, tenant, c)?.is_none() {
                    chats::set_client(tx, tenant, c, client)?;
                }
                c
            }
            None => {
                let c = ChatId(self.new_uuid());
                let kind = if item.is_group {
                    ChatKind::Group
                } else {
                    ChatKind::OneToOne
                };
                chats::insert(
                    tx,
                    tenant,
                    c,
                    &wa_chat_id,
                    kind,
                    &item.chat_title,
                    client,
                    now,
                )?;
                imports::mark_chat(tx, tenant, c, row.batch_id)?;
                result.chat_created = true;
                c
            }
        };
        result.chat_id = Some(chat);
        // The messages.
        let staged = imports::staged_of(tx, tenant, item.id)?;
        let mut prepared: Vec<(NewMessage, Option<Class>)> = Vec::with_capacity(staged.len());
        for m in staged {
            let sent_at = match (m.sent_at, m.local_time.as_deref()) {
                (Some(t), _) => t,
                (None, Some(local)) => match local_to_utc(local, zone) {
                    Some(t) => t,
                    None => continue,
                },
                (None, None) => continue,
            };
            let direction = m
                .direction
                .unwrap_or_else(|| direction_of(row, m.author.as_deref()));
            let class = class_of(m.kind, &m.body, false);
            prepared.push((
                NewMessage {
                    wa_chat_id: wa_chat_id.clone(),
                    chat_kind: if item.is_group {
                        ChatKind::Group
                    } else {
                        ChatKind::OneToOne
                    },
                    client_id: client,
                    wa_message_id: m.wa_message_id,
                    direction,
                    sent_at,
                    author: m.author.filter(|_| item.is_group),
                    kind: m.kind,
                    body: m.body,
                    media_path: m.media_path,
                    media_mime: m.media_mime,
                    quoted_wa_message_id: m.quoted_wa_message_id,
                    status: (direction == Direction::Out).then_some(SendStatus::Sent),
                    ..NewMessage::default()
                },
                class,
            ));
        }
        let (Some(lo), Some(hi)) = (
            prepared.iter().map(|(m, _)| m.sent_at).min(),
            prepared.iter().map(|(m, _)| m.sent_at).max(),
        ) else {
            return Ok(result);
        };
        let stored = imports::chat_messages_between(
            tx,
            tenant,
            chat,
            lo - Duration::minutes(1),
            hi + Duration::minutes(1),
        )?;
        let mut look_alikes = LookAlikes::new(&stored);
        for (m, class) in prepared {
            if let Some(wa) = m.wa_message_id.as_deref() {
                if messages::find_by_wa_id(tx, tenant, wa)?.is_some() {
                    result.duplicates_skipped += 1;
                    continue;
                }
            }
            if let Some(class) = class {
                let key = dedupe_key(m.direction, class, m.sent_at);
                if let Some(seq) = look_alikes.take(&key, m.wa_message_id.is_some()) {
                    if let Some(wa) = m.wa_message_id.as_deref() {
                        imports::adopt_wa_id(tx, tenant, seq, wa)?;
                    }
                    result.duplicates_skipped += 1;
                    continue;
                }
            }
            imports::insert_message(
                tx,
                tenant,
                MessageId(self.new_uuid()),
                chat,
                row.batch_id,
                &m,
            )?;
            result.messages_added += 1;
        }
        imports::refresh_chat(tx, tenant, chat)?;
        summary.messages_added += result.messages_added;
        summary.duplicates_skipped += result.duplicates_skipped;
        Ok(result)
    }

    // ---- undo ----
}

//! Review: read, list, discard a batch; edit one conversation; propose an existing client.

use tourdesk_core::import::{
    ImportAction, ImportBatch, ImportBatchStatus, ImportItem, ImportItemUpdate,
};
use tourdesk_core::validate::{self, MAX_NAME};
use tourdesk_core::{
    AppError, AppResult, ClientId, ErrorCode, ImportBatchId, ImportItemId, TenantId,
};
use tourdesk_store::clients::{self, Linkable};
use tourdesk_store::imports::{self};
use tourdesk_store::{chats, wa_lids, Connection};

use crate::whatsapp::MEDIA_DIR;
use crate::{App, Session};

use super::rules::*;
use super::*;

/// An existing client to propose for a conversation: the live client with that phone, else the
/// client of the chat an earlier import or WhatsApp Web stored it in, else (no phone known) the
/// only live client with exactly that name.
pub(super) fn propose(
    c: &Connection,
    tenant: TenantId,
    phone: Option<&str>,
    chat_ids: &[&str],
    name: &str,
) -> AppResult<Option<ClientId>> {
    if let Some(p) = phone {
        if let Some(id) = clients::find_by_phone(c, tenant, p)? {
            return Ok(Some(id));
        }
    }
    for wa in chat_ids {
        if let Some(chat) = wa_lids::chat_of_person(c, tenant, wa)? {
            if let Some(client) = chats::client_of(c, tenant, chat)? {
                if clients::exists_live(c, Linkable::Client, tenant, &client.to_string())? {
                    return Ok(Some(client));
                }
            }
        }
    }
    // By name only without a phone: a client of that name with another phone is someone else.
    if phone.is_some() || name.trim().is_empty() {
        return Ok(None);
    }
    imports::only_client_named(c, tenant, name.trim())
}

impl App {
    // ---- review ----

    pub(super) fn batch_of(&self, tenant: TenantId, id: ImportBatchId) -> AppResult<ImportBatch> {
        self.store.read(|c| {
            let mut b = imports::get_batch(c, tenant, id)?.batch;
            b.items = imports::items_of(c, tenant, id)?
                .into_iter()
                .map(|r| r.item)
                .collect();
            Ok(b)
        })
    }

    /// One batch with its conversations (another organisation's is "not found").
    pub fn import_batch_get(&self, s: &Session, id: ImportBatchId) -> AppResult<ImportBatch> {
        let a = self.actor(s)?;
        self.batch_of(a.tenant, id)
    }

    /// The organisation's batches, newest first, without their items (`item_count` says how
    /// many).
    pub fn import_batch_list(&self, s: &Session) -> AppResult<Vec<ImportBatch>> {
        let a = self.actor(s)?;
        self.store.read(|c| imports::list_batches(c, a.tenant))
    }

    /// Drops a staged batch (and the media copied for it) without importing anything.
    pub fn import_batch_discard(&self, s: &Session, id: ImportBatchId) -> AppResult<()> {
        let _span = tracing::info_span!("import_batch_discard").entered();
        let a = self.actor(s)?;
        self.store.write(|tx| {
            // Another organisation's batch is "not found", not a conflict.
            imports::get_batch(tx, a.tenant, id)?;
            imports::delete_staged(tx, a.tenant, id)
        })?;
        let dir = self
            .data_dir()
            .join(MEDIA_DIR)
            .join(IMPORT_MEDIA_DIR)
            .join(id.to_string());
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }

    /// The review's edits of one conversation of a staged batch. Setting `name` to one of the
    /// participants also says that participant is the client (their messages come in).
    pub fn import_item_update(
        &self,
        s: &Session,
        id: ImportItemId,
        u: &ImportItemUpdate,
    ) -> AppResult<ImportItem> {
        let _span = tracing::info_span!("import_item_update").entered();
        let a = self.actor(s)?;
        let region = self.phone_region(a.tenant)?;
        let mut row = self.store.read(|c| imports::get_item(c, a.tenant, id))?;
        let batch = self
            .store
            .read(|c| imports::get_batch(c, a.tenant, row.batch_id))?;
        if batch.batch.status != ImportBatchStatus::Staged {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "the import batch was already committed",
            ));
        }
        let zone = parse_zone(&u.time_zone, "time_zone")?;
        let phone = validate::optional_phone(u.phone.as_deref(), &region, "phone")?;
        let name = if u.action == ImportAction::Skip {
            validate::optional_text(Some(&u.name), "name", MAX_NAME)?.unwrap_or_default()
        } else {
            validate::required_text(&u.name, "name", MAX_NAME)?
        };
        if let Some(p) = row
            .item
            .participants
            .iter()
            .find(|p| name_key(p) == name_key(&name))
        {
            if !row.item.is_group {
                row.client_author = Some(p.clone());
                row.item.needs_client_choice = false;
            }
        }
        match u.action {
            ImportAction::Skip => {}
            ImportAction::Merge => {
                if row.item.is_group {
                    return Err(AppError::field(
                        ErrorCode::InvalidChoice,
                        "action",
                        "a group chat cannot be merged into one client",
                    ));
                }
                let target = u.merge_into.ok_or_else(|| {
                    AppError::field(
                        ErrorCode::Required,
                        "merge_into",
                        "choose the client to merge into",
                    )
                })?;
                let live = self.store.read(|c| {
                    clients::exists_live(c, Linkable::Client, a.tenant, &target.to_string())
                })?;
                if !live {
                    return Err(AppError::field(
                        ErrorCode::NotFound,
                        "merge_into",
                        "client not found",
                    ));
                }
            }
            ImportAction::Import => {
                if row.item.needs_client_choice {
                    return Err(AppError::field(
                        ErrorCode::Required,
                        "name",
                        "say which participant is the client",
                    ));
                }
                if !row.item.is_group {
                    if let Some(p) = &phone {
                        if let Some(existing) = self
                            .store
                            .read(|c| clients::find_by_phone(c, a.tenant, p))?
                        {
                            return Err(AppError {
                                code: ErrorCode::DuplicatePhone,
                                message: "a client with this phone exists; merge into it".into(),
                                field: Some("phone".into()),
                                existing_id: Some(existing.to_string()),
                            });
                        }
                    }
                }
            }
        }
        row.item.name = name;
        row.item.phone = if row.item.is_group { None } else { phone };
        row.item.language = u.language;
        row.item.suggested_status = u.suggested_status;
        row.item.action = u.action;
        row.item.merge_into = u.merge_into.filter(|_| u.action == ImportAction::Merge);
        row.item.time_zone = zone.name().to_string();
        self.store
            .write(|tx| imports::update_review(tx, a.tenant, &row))?;
        self.store
            .read(|c| imports::get_item(c, a.tenant, id))
            .map(|r| r.item)
    }

    // ---- commit ----
}

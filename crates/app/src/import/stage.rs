//! Staging: parse exports or take WhatsApp Web chats into a batch for review.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use base64::Engine as _;
use tourdesk_core::import::{
    ImportAction, ImportBatch, ImportFile, ImportFileError, ImportItem, ImportNote, ImportSource,
};
use tourdesk_core::message::{ChatKind, Direction, MessageKind};
use tourdesk_core::validate::{self, MAX_NAME};
use tourdesk_core::{
    AppResult, ErrorCode, ImportBatchId, ImportItemId, Language, TenantId, UserId,
};
use tourdesk_importer::{self as importer, ParseOptions, ZipLimits};
use tourdesk_store::imports::{self, ItemRow, StagedMessage};

use crate::whatsapp::{phone_of_wa_id, MEDIA_DIR};
use crate::{App, Session};

use super::review::propose;
use super::rules::*;
use super::*;

impl App {
    /// Parses export files into a new staged batch. `own_names` are the managers' WhatsApp names
    /// (remembered for next time when given; the remembered ones are used when empty). A file
    /// that is not a chat export, too large, or an unsafe or oversized `.zip` becomes an entry
    /// of `errors` and stages nothing; the other files are staged.
    pub fn import_stage_files(
        &self,
        s: &Session,
        files: &[ImportFile],
        own_names: &[String],
    ) -> AppResult<ImportBatch> {
        let _span = tracing::info_span!("import_stage_files", files = files.len()).entered();
        let a = self.actor(s)?;
        let given = clean_own_names(own_names)?;
        let mut settings = self.store.read(|c| imports::settings_get(c, a.tenant))?;
        if !given.is_empty() && given != settings.own_names {
            settings.own_names = given.clone();
            self.store
                .write(|tx| imports::settings_put(tx, a.tenant, &settings))?;
        }
        let zone = settings
            .time_zone
            .clone()
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_string());
        let region = self.phone_region(a.tenant)?;
        let batch = ImportBatchId(self.new_uuid());
        let batch_media = self
            .data_dir()
            .join(MEDIA_DIR)
            .join(IMPORT_MEDIA_DIR)
            .join(batch.to_string());
        let mut errors = Vec::new();
        let mut parsed = Vec::new();
        for (n, f) in files.iter().enumerate() {
            match self.parse_file(f, n, &batch_media) {
                Ok(p) => parsed.push(p),
                Err(e) => errors.push(e),
            }
        }
        let mut own = settings.own_names.clone();
        if own.is_empty() {
            own = infer_own_names(&parsed);
        }
        let mut items: Vec<(ItemRow, Vec<StagedMessage>)> = Vec::new();
        for (ord, p) in parsed.iter().enumerate() {
            items.push(self.stage_export(a.tenant, batch, ord, p, &own, &zone, &region)?);
        }
        self.save_staged(
            a.tenant,
            a.user,
            batch,
            ImportSource::Files,
            &errors,
            &items,
        )
    }

    /// Decodes and parses one file; media of a `.zip` is copied under `batch_media/<item id>`.
    pub(super) fn parse_file(
        &self,
        f: &ImportFile,
        n: usize,
        batch_media: &Path,
    ) -> Result<ParsedFile, ImportFileError> {
        let name = f.file_name.trim();
        let too_large = || {
            file_error(
                name,
                ErrorCode::ImportTooLarge,
                format!(
                    "the file is larger than {} MiB",
                    MAX_IMPORT_FILE_BYTES / (1024 * 1024)
                ),
            )
        };
        if f.data_base64.len() > MAX_IMPORT_FILE_BYTES / 3 * 4 + 8 {
            return Err(too_large());
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(f.data_base64.trim())
            .map_err(|_| {
                file_error(
                    name,
                    ErrorCode::NotAWhatsappExport,
                    "the file could not be read (bad base64)",
                )
            })?;
        if bytes.len() > MAX_IMPORT_FILE_BYTES {
            return Err(too_large());
        }
        let lower = name.to_ascii_lowercase();
        let is_zip = lower.ends_with(".zip") || bytes.starts_with(b"PK\x03\x04");
        let item_id = ImportItemId(self.new_uuid());
        let options = ParseOptions::default();
        let (chat, media) = if is_zip {
            let tmp_dir = self.data_dir().join("import-tmp");
            std::fs::create_dir_all(&tmp_dir).map_err(|e| {
                file_error(name, ErrorCode::Storage, format!("temporary folder: {e}"))
            })?;
            let tmp = tmp_dir.join(format!("{}-{n}.zip", self.new_uuid()));
            std::fs::write(&tmp, &bytes).map_err(|e| {
                file_error(name, ErrorCode::Storage, format!("temporary file: {e}"))
            })?;
            drop(bytes);
            let limits = ZipLimits::default();
            let result = importer::parse_zip(&tmp, &options, &limits).and_then(|chat| {
                let dest = batch_media.join(item_id.to_string());
                let copied = if chat.attachments().iter().any(|a| a.zip_entry.is_some()) {
                    importer::copy_attachments(&tmp, &chat, &dest, &limits)?
                } else {
                    Vec::new()
                };
                let media = copied
                    .into_iter()
                    .map(|c| (c.file_name, c.path))
                    .collect::<HashMap<_, _>>();
                Ok((chat, media))
            });
            let _ = std::fs::remove_file(&tmp);
            result.map_err(|e| importer_error(name, &e))?
        } else {
            let chat = importer::parse_reader(&bytes[..], &options)
                .map_err(|e| importer_error(name, &e))?;
            (chat, HashMap::new())
        };
        if chat.user_message_count() == 0 {
            return Err(file_error(
                name,
                ErrorCode::NotAWhatsappExport,
                "no messages written by people were found in the file",
            ));
        }
        Ok(ParsedFile {
            file_name: name.to_string(),
            chat,
            media,
            item_id,
        })
    }

    /// Works out the client, language, status and messages of one parsed export.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn stage_export(
        &self,
        tenant: TenantId,
        batch: ImportBatchId,
        ord: usize,
        p: &ParsedFile,
        own: &[String],
        zone: &str,
        region: &str,
    ) -> AppResult<(ItemRow, Vec<StagedMessage>)> {
        let chat = &p.chat;
        let guess = importer::identify_client(chat, own, Some(&p.file_name));
        let participants = chat.participants();
        let is_group = guess.is_group;
        let client_author = if is_group {
            None
        } else {
            guess
                .name
                .as_deref()
                .and_then(|n| participants.iter().find(|p| **p == n))
                .map(|p| p.to_string())
        };
        let own_keys: HashSet<String> = own.iter().map(|o| name_key(o)).collect();
        let others = participants
            .iter()
            .filter(|p| !own_keys.contains(&name_key(p)))
            .count();
        let needs_client_choice = !is_group && client_author.is_none() && others >= 2;
        let phone = guess
            .phone
            .as_deref()
            .and_then(|ph| validate::phone(ph, region, "phone").ok());
        let title = importer::contact_from_file_name(&p.file_name)
            .or_else(|| guess.name.clone())
            .unwrap_or_else(|| stem(&p.file_name));
        let name = if is_group {
            title.clone()
        } else if needs_client_choice {
            String::new()
        } else {
            guess
                .name
                .clone()
                .or_else(|| importer::contact_from_file_name(&p.file_name))
                .unwrap_or_default()
        };
        let name: String = name.chars().take(MAX_NAME).collect();
        let language = importer::detect_language(chat, client_author.as_deref());
        let suggestion = importer::suggest_status(chat, client_author.as_deref());
        let evidence = suggestion
            .message_index
            .and_then(|i| chat.message(i))
            .and_then(|m| evidence_text(m.text));
        let span = chat.span();
        let key = phone
            .is_none()
            .then(|| chat_key(is_group, &title, &participants));
        let proposed = if is_group {
            None
        } else {
            let keys: Vec<&str> = key.as_deref().into_iter().collect();
            self.store
                .read(|c| propose(c, tenant, phone.as_deref(), &keys, &name))?
        };
        let action = if is_group || needs_client_choice || name.trim().is_empty() {
            ImportAction::Skip
        } else if proposed.is_some() {
            ImportAction::Merge
        } else {
            ImportAction::Import
        };
        let mut warnings: Vec<ImportNote> = chat.warnings().to_vec();
        let mut staged = Vec::with_capacity(chat.user_message_count());
        let mut undated = 0usize;
        for m in chat.messages() {
            if m.kind == importer::MessageKind::System {
                continue;
            }
            let Some(at) = m.at else {
                undated += 1;
                continue;
            };
            let (kind, body, media_path, media_mime) = match m.kind {
                importer::MessageKind::Text => (MessageKind::Text, m.text.to_string(), None, None),
                importer::MessageKind::Deleted => (MessageKind::Deleted, String::new(), None, None),
                importer::MessageKind::Attachment => {
                    let file = m.attachment.map(|a| a.file_name.as_str()).unwrap_or("");
                    let (kind, mime) = media_of_name(file);
                    // The caption: the body without the line naming the file.
                    let caption = m
                        .text
                        .lines()
                        .filter(|l| file.is_empty() || !l.contains(file))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let path = p.media.get(file);
                    (
                        kind,
                        if path.is_some() {
                            caption.trim().to_string()
                        } else {
                            m.text.to_string()
                        },
                        path.map(|x| x.to_string_lossy().into_owned()),
                        path.map(|_| mime.to_string()),
                    )
                }
                // "<Media omitted>", view-once: kept as written, shown as an unsupported item.
                _ => (MessageKind::Unsupported, m.text.to_string(), None, None),
            };
            staged.push(StagedMessage {
                ord: u32::try_from(staged.len()).unwrap_or(u32::MAX),
                direction: None,
                local_time: Some(at.to_iso()),
                sent_at: None,
                author: m.author.map(str::to_string),
                kind,
                body,
                media_path,
                media_mime,
                wa_message_id: None,
                quoted_wa_message_id: None,
            });
        }
        if undated > 0 {
            warnings.push(ImportNote::UndatedLeftOut {
                count: u32::try_from(undated).unwrap_or(u32::MAX),
            });
        }
        let row = ItemRow {
            item: ImportItem {
                id: p.item_id,
                file_name: p.file_name.clone(),
                chat_title: title,
                wa_chat_id: None,
                participants: participants.iter().map(|p| p.to_string()).collect(),
                name,
                phone,
                language: Language::from_code(&language.code).unwrap_or_default(),
                language_confidence: language.confidence as f32,
                suggested_status: suggestion.status,
                status_reason: suggestion.reason,
                status_signal: suggestion.signal,
                status_signal_value: suggestion.signal_value,
                status_evidence: evidence,
                messages: u32::try_from(staged.len()).unwrap_or(u32::MAX),
                first: span.map(|s| s.0.to_iso()),
                last: span.map(|s| s.1.to_iso()),
                is_group,
                needs_client_choice,
                action,
                merge_into: proposed.filter(|_| action == ImportAction::Merge),
                merge_name: None,
                proposed_merge: proposed,
                proposed_merge_name: None,
                time_zone: zone.to_string(),
                history_truncated: false,
                warnings,
                client_id: None,
                messages_added: 0,
                duplicates_skipped: 0,
            },
            batch_id: batch,
            ord: u32::try_from(ord).unwrap_or(u32::MAX),
            chat_key: key,
            client_author,
            own_names: own.to_vec(),
            chat_id: None,
            chat_created: false,
            created_client_id: None,
            client_version: None,
        };
        Ok((row, staged))
    }

    /// Stages history fetched through WhatsApp Web (the messages already carry their stable ids
    /// and UTC times) as a new batch, one item per chat — also chats that gave no message, so
    /// the review can say what was fetched. Broadcasts and status updates are left out.
    pub fn import_stage_whatsapp(
        &self,
        s: &Session,
        chats: Vec<WaHistoryChat>,
    ) -> AppResult<ImportBatch> {
        let id = ImportBatchId(self.new_uuid());
        self.import_stage_whatsapp_as(s, id, chats)
    }

    /// A new id for a batch staged later with [`App::import_stage_whatsapp_as`] (the desktop
    /// hands it to the page before the fetch starts, so progress events carry it).
    pub fn import_new_batch_id(&self) -> ImportBatchId {
        ImportBatchId(self.new_uuid())
    }

    /// Like [`App::import_stage_whatsapp`] with the batch id chosen by the caller.
    pub fn import_stage_whatsapp_as(
        &self,
        s: &Session,
        batch: ImportBatchId,
        chats: Vec<WaHistoryChat>,
    ) -> AppResult<ImportBatch> {
        let _span = tracing::info_span!("import_stage_whatsapp", chats = chats.len()).entered();
        let a = self.actor(s)?;
        let settings = self.store.read(|c| imports::settings_get(c, a.tenant))?;
        let zone = settings
            .time_zone
            .unwrap_or_else(|| DEFAULT_TIME_ZONE.to_string());
        let region = self.phone_region(a.tenant)?;
        let mut items = Vec::new();
        for (ord, chat) in chats.into_iter().enumerate() {
            let kind = if chat.is_group {
                ChatKind::Group
            } else {
                ChatKind::of_wa_chat_id(&chat.wa_chat_id)
            };
            if kind == ChatKind::Broadcast || chat.wa_chat_id.trim().is_empty() {
                continue;
            }
            let is_group = kind == ChatKind::Group;
            let phone = if is_group {
                None
            } else {
                chat.phone
                    .as_deref()
                    .and_then(|p| validate::phone(p, &region, "phone").ok())
                    .or_else(|| phone_of_wa_id(&chat.wa_chat_id))
            };
            let title: String = Some(chat.title.trim().to_string())
                .filter(|t| !t.is_empty())
                .or_else(|| phone.clone())
                .unwrap_or_else(|| chat.wa_chat_id.clone())
                .chars()
                .take(MAX_NAME)
                .collect();
            let mut conv = tourdesk_langid::ConversationDetector::new();
            for m in &chat.messages {
                if m.direction == Direction::In && m.kind == MessageKind::Text && conv.add(&m.body)
                {
                    break;
                }
            }
            let lang = conv.result();
            let texts: Vec<(usize, bool, &str)> = chat
                .messages
                .iter()
                .enumerate()
                .filter(|(_, m)| m.kind == MessageKind::Text)
                .map(|(i, m)| (i, m.direction == Direction::In, m.body.as_str()))
                .collect();
            let suggestion = importer::suggest_status_of(texts, true);
            let evidence = suggestion
                .message_index
                .and_then(|i| chat.messages.get(i))
                .and_then(|m| evidence_text(&m.body));
            let first = chat.messages.iter().map(|m| m.sent_at).min();
            let last = chat.messages.iter().map(|m| m.sent_at).max();
            let proposed = if is_group {
                None
            } else {
                self.store.read(|c| {
                    propose(
                        c,
                        a.tenant,
                        phone.as_deref(),
                        &[chat.wa_chat_id.as_str()],
                        &title,
                    )
                })?
            };
            let action = if is_group || chat.messages.is_empty() {
                ImportAction::Skip
            } else if proposed.is_some() {
                ImportAction::Merge
            } else {
                ImportAction::Import
            };
            let item_id = ImportItemId(self.new_uuid());
            let staged: Vec<StagedMessage> = chat
                .messages
                .iter()
                .filter(|m| m.kind != MessageKind::System)
                .enumerate()
                .map(|(i, m)| StagedMessage {
                    ord: u32::try_from(i).unwrap_or(u32::MAX),
                    direction: Some(m.direction),
                    local_time: None,
                    sent_at: Some(m.sent_at),
                    author: m.author.clone(),
                    kind: m.kind,
                    body: m.body.clone(),
                    media_path: m.media_path.clone(),
                    media_mime: m.media_mime.clone(),
                    wa_message_id: m.wa_message_id.clone(),
                    quoted_wa_message_id: m.quoted_wa_message_id.clone(),
                })
                .collect();
            let row = ItemRow {
                item: ImportItem {
                    id: item_id,
                    file_name: title.clone(),
                    chat_title: title.clone(),
                    wa_chat_id: Some(chat.wa_chat_id.clone()),
                    participants: Vec::new(),
                    name: title,
                    phone,
                    language: Language::from_code(lang.lang.code()).unwrap_or_default(),
                    language_confidence: lang.confidence as f32,
                    suggested_status: suggestion.status,
                    status_reason: suggestion.reason,
                    status_signal: suggestion.signal,
                    status_signal_value: suggestion.signal_value,
                    status_evidence: evidence,
                    messages: u32::try_from(staged.len()).unwrap_or(u32::MAX),
                    first: first.map(utc_iso),
                    last: last.map(utc_iso),
                    is_group,
                    needs_client_choice: false,
                    action,
                    merge_into: proposed.filter(|_| action == ImportAction::Merge),
                    merge_name: None,
                    proposed_merge: proposed,
                    proposed_merge_name: None,
                    time_zone: zone.clone(),
                    history_truncated: chat.truncated,
                    warnings: Vec::new(),
                    client_id: None,
                    messages_added: 0,
                    duplicates_skipped: 0,
                },
                batch_id: batch,
                ord: u32::try_from(ord).unwrap_or(u32::MAX),
                chat_key: None,
                client_author: None,
                own_names: Vec::new(),
                chat_id: None,
                chat_created: false,
                created_client_id: None,
                client_version: None,
            };
            items.push((row, staged));
        }
        self.save_staged(a.tenant, a.user, batch, ImportSource::Whatsapp, &[], &items)
    }

    /// Writes a staged batch with its items and their messages in one transaction; returns it.
    fn save_staged(
        &self,
        tenant: TenantId,
        user: UserId,
        batch: ImportBatchId,
        source: ImportSource,
        errors: &[ImportFileError],
        items: &[(ItemRow, Vec<StagedMessage>)],
    ) -> AppResult<ImportBatch> {
        self.store.write(|tx| {
            imports::insert_batch(tx, tenant, batch, source, user, self.now(), errors)?;
            for (row, msgs) in items {
                imports::insert_item(tx, tenant, row)?;
                for m in msgs {
                    imports::insert_staged(tx, tenant, row.item.id, m)?;
                }
            }
            Ok(())
        })?;
        self.batch_of(tenant, batch)
    }
}

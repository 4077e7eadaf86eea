//! The shell's side of the history import: files staged from the page (base64), the review
//! edits, commit and undo on the blocking pool, and the WhatsApp Web fetch with its
//! `import:progress` events and cancel.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Emitter, Manager, State};
use tourdesk_app::core::import::{
    ImportBatch, ImportFile, ImportItem, ImportItemUpdate, ImportProgress, ImportSummary,
    UndoReport, WaChatChoice,
};
use tourdesk_app::core::{AppError, ErrorCode, ImportBatchId, ImportItemId};
use tourdesk_app::App;
use tourdesk_wahost::MAX_PER_CHAT;

use crate::commands::{blocking, session, R};
use crate::Desk;

/// Running WhatsApp history fetches by batch id, with their cancel flags.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_stage_files(
    h: AppHandle,
    files: Vec<ImportFile>,
    own_names: Vec<String>,
) -> R<ImportBatch> {
    blocking(h, move |app, s| {
        default_zone(app, s);
        app.import_stage_files(s, &files, &own_names)
    })
    .await
}

/// Export times carry no zone: until the organisation chose one, read them in this computer's
/// zone (the review can change it per conversation).
fn default_zone(app: &App, s: &tourdesk_app::Session) {
    let Ok(mut settings) = app.import_settings_get(s) else {
        return;
    };
    if settings.time_zone.is_some() {
        return;
    }
    if let Ok(zone) = iana_time_zone::get_timezone() {
        settings.time_zone = Some(zone);
        if let Err(e) = app.import_settings_update(s, &settings) {
            tracing::debug!(error = %e.message, "could not remember the import time zone");
        }
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_batch_get(d: State<'_, Desk>, batch_id: ImportBatchId) -> R<ImportBatch> {
    d.app.import_batch_get(&session(&d)?, batch_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_batch_list(d: State<'_, Desk>) -> R<Vec<ImportBatch>> {
    d.app.import_batch_list(&session(&d)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_item_update(
    d: State<'_, Desk>,
    item_id: ImportItemId,
    update: ImportItemUpdate,
) -> R<ImportItem> {
    d.app.import_item_update(&session(&d)?, item_id, &update)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_commit(h: AppHandle, batch_id: ImportBatchId) -> R<ImportSummary> {
    let done = blocking(h.clone(), move |app, s| app.import_commit(s, batch_id)).await?;
    crate::whatsapp::inbox_changed(&h, None);
    Ok(done)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn import_undo(h: AppHandle, batch_id: ImportBatchId) -> R<UndoReport> {
    let done = blocking(h.clone(), move |app, s| app.import_undo(s, batch_id)).await?;
    crate::whatsapp::inbox_changed(&h, None);
    Ok(done)
}

/// The account's chats to choose from (WhatsApp must be ready).
#[tauri::command(rename_all = "snake_case")]
pub async fn import_wa_chats(h: AppHandle, d: State<'_, Desk>) -> R<Vec<WaChatChoice>> {
    d.app.wa_may_use(&session(&d)?)?;
    let host = crate::whatsapp::host(&h)?;
    let chats = host
        .supervisor()
        .get_chats()
        .await
        .map_err(|e| AppError::new(ErrorCode::WhatsappUnavailable, e.to_string()))?;
    Ok(chats
        .into_iter()
        .filter(|c| !c.id.ends_with("@broadcast") && !c.id.ends_with("@newsletter"))
        .map(|c| WaChatChoice {
            id: c.id,
            name: c.name,
            is_group: c.is_group,
            unread_count: u32::try_from(c.unread_count).unwrap_or(u32::MAX),
            timestamp: c.timestamp,
        })
        .collect())
}

/// Starts fetching the chosen chats' history; returns the batch id at once. Progress arrives as
/// `import:progress` events; the last one has `finished: true` (also after a cancel or an
/// error), and by then the fetched history is staged as that batch.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_wa_start(h: AppHandle, d: State<'_, Desk>, chat_ids: Vec<String>) -> R<String> {
    let s = session(&d)?;
    d.app.wa_may_use(&s)?;
    let host = crate::whatsapp::host(&h)?;
    let batch = d.app.import_new_batch_id();
    let key = batch.to_string();
    let cancel = Arc::new(AtomicBool::new(false));
    h.state::<Jobs>()
        .running
        .lock()
        .map_err(|_| AppError::internal("jobs lock poisoned"))?
        .insert(key.clone(), cancel.clone());
    let h2 = h.clone();
    tauri::async_runtime::spawn(async move {
        let emit = |p: ImportProgress| {
            let _ = h2.emit("import:progress", p);
        };
        let progress = {
            let h3 = h2.clone();
            let key = key.clone();
            move |done: u32, total: u32, chat: &str| {
                let _ = h3.emit(
                    "import:progress",
                    ImportProgress {
                        batch_id: key.clone(),
                        done,
                        total,
                        chat: (!chat.is_empty()).then(|| chat.to_string()),
                        finished: false,
                        cancelled: false,
                        error: None,
                    },
                );
            }
        };
        let chosen = (!chat_ids.is_empty()).then_some(chat_ids);
        let fetched = host
            .fetch_history(chosen, MAX_PER_CHAT, progress, &cancel)
            .await;
        let cancelled = cancel.load(Ordering::SeqCst);
        let (total, error) = match fetched {
            Ok(chats) => {
                let total = u32::try_from(chats.len()).unwrap_or(u32::MAX);
                let h4 = h2.clone();
                let staged = tauri::async_runtime::spawn_blocking(move || {
                    let d = h4.state::<Desk>();
                    default_zone(&d.app, &s);
                    d.app.import_stage_whatsapp_as(&s, batch, chats)
                })
                .await;
                match staged {
                    Ok(Ok(_)) => (total, None),
                    Ok(Err(e)) => (total, Some(e.code.as_str().to_string())),
                    Err(e) => (total, Some(e.to_string())),
                }
            }
            Err(e) => (0, Some(e.code.as_str().to_string())),
        };
        if let Ok(mut running) = h2.state::<Jobs>().running.lock() {
            running.remove(&key);
        }
        emit(ImportProgress {
            batch_id: key.clone(),
            done: total,
            total,
            chat: None,
            finished: true,
            cancelled,
            error,
        });
    });
    Ok(batch.to_string())
}

/// Stops a running fetch after the current chat; what was fetched is still staged.
#[tauri::command(rename_all = "snake_case")]
pub async fn import_cancel(h: AppHandle, batch_id: String) -> R<()> {
    if let Some(flag) = h
        .state::<Jobs>()
        .running
        .lock()
        .map_err(|_| AppError::internal("jobs lock poisoned"))?
        .get(&batch_id)
    {
        flag.store(true, Ordering::SeqCst);
    }
    Ok(())
}

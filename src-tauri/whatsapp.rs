//! The shell's side of WhatsApp: one [`WaHost`] for the installation's organisation, created
//! when first needed (or at start-up when the account was linked before, so the session is
//! restored without a scan), its state and inbox changes forwarded to the page as events, and
//! the inbox commands. The host and its sidecar stop when the app exits.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};
use tauri::{AppHandle, Emitter, Manager, State};
use tourdesk_app::core::message::{
    ChatFilter, ChatRow, Message, MessageHit, MessagePage, MessageWindow,
};
use tourdesk_app::core::translation::{MessageTranslation, ReplyPreview, TranslationFlag};
use tourdesk_app::core::whatsapp::{
    InboxChange, MediaData, SendInput, WaSettings, WaState, WaStatus,
};
use tourdesk_app::core::{AppError, ChatId, ErrorCode, MessageId};
use tourdesk_app::App;
use tourdesk_wahost::{find_sidecar, unavailable_status, HostConfig, HostListener, WaHost};
use tourdesk_whatsapp::{find_node_beside, AdapterKind};

use crate::commands::{blocking, session, R};
use crate::Desk;

/// Environment variable choosing the adapter: `fake` runs the scripted WhatsApp (end-to-end
/// tests and demos); anything else is the real WhatsApp Web.
pub const ADAPTER_ENV: &str = "TOURDESK_WA_ADAPTER";
/// JSON object of adapter options (e.g. the fake's `qr_rotate_ms`).
pub const ADAPTER_OPTIONS_ENV: &str = "TOURDESK_WA_OPTIONS";

/// The WhatsApp part of the shell state.
#[derive(Default)]
pub struct Wa {
    host: Mutex<Option<Arc<WaHost>>>,
}

struct Forward(AppHandle);

impl HostListener for Forward {
    fn status_changed(&self, status: &WaStatus) {
        if let Err(e) = self.0.emit("wa:state_changed", status) {
            tracing::debug!(error = %e, "cannot emit wa:state_changed");
        }
    }
    fn inbox_changed(&self, change: &InboxChange) {
        if let Err(e) = self.0.emit("inbox:changed", change) {
            tracing::debug!(error = %e, "cannot emit inbox:changed");
        }
    }
}

fn config(h: &AppHandle, app: &App, tenant: &str) -> Result<HostConfig, String> {
    let resources = h.path().resource_dir().ok();
    let script = find_sidecar(resources.as_deref())?;
    let node = find_node_beside(&script).map_err(|e| e.to_string())?;
    tracing::info!(node = %node.display(), script = %script.display(), "WhatsApp sidecar runtime");
    let wa_dir: PathBuf = app.data_dir().join("whatsapp").join(tenant);
    let mut c = HostConfig::new(node, script, wa_dir, app.media_dir().join("in"));
    if std::env::var(ADAPTER_ENV).is_ok_and(|v| v == "fake") {
        c.adapter = AdapterKind::Fake;
        tracing::warn!("WhatsApp runs on the scripted fake adapter ({ADAPTER_ENV}=fake)");
    }
    if let Ok(text) = std::env::var(ADAPTER_OPTIONS_ENV) {
        match serde_json::from_str::<Map<String, Value>>(&text) {
            Ok(o) => c.adapter_options = o,
            Err(e) => {
                tracing::warn!(error = %e, "{ADAPTER_OPTIONS_ENV} is not a JSON object; ignored")
            }
        }
    }
    Ok(c)
}

/// The host, created on first use; `Err` says why WhatsApp cannot run here (shown as the
/// status's `problem`).
pub(crate) fn host(h: &AppHandle) -> R<Arc<WaHost>> {
    let d = h.state::<Desk>();
    let mut slot =
        d.wa.host
            .lock()
            .map_err(|_| AppError::internal("WhatsApp lock poisoned"))?;
    if let Some(host) = slot.as_ref() {
        return Ok(host.clone());
    }
    let tenant = d
        .app
        .folder_org()?
        .ok_or_else(|| AppError::not_found("organisation"))?;
    let cfg = config(h, &d.app, &tenant.to_string())
        .map_err(|e| AppError::new(ErrorCode::WhatsappUnavailable, e))?;
    // WaHost starts its tasks on the current runtime: enter Tauri's.
    let _rt = tauri::async_runtime::handle().inner().enter();
    let host = Arc::new(WaHost::new(
        d.app.clone(),
        tenant,
        cfg,
        Arc::new(Forward(h.clone())),
    ));
    *slot = Some(host.clone());
    Ok(host)
}

/// At start-up: reconnect an account that was linked before (session restore, no scan).
pub fn start_if_linked(h: &AppHandle) {
    let h = h.clone();
    tauri::async_runtime::spawn(async move {
        let host = match host(&h) {
            Ok(host) => host,
            Err(e) => {
                tracing::info!(reason = %e.message, "WhatsApp not started");
                return;
            }
        };
        if host.was_linked() {
            tracing::info!("restoring the linked WhatsApp account");
            if let Err(e) = host.connect().await {
                tracing::warn!(error = %e.message, "WhatsApp did not start");
            }
        }
    });
}

/// At exit: stop the sidecar and its browser.
pub fn stop(h: &AppHandle) {
    let host = h
        .state::<Desk>()
        .wa
        .host
        .lock()
        .ok()
        .and_then(|mut s| s.take());
    if let Some(host) = host {
        tauri::async_runtime::block_on(host.shutdown());
    }
}

fn status(h: &AppHandle) -> WaStatus {
    match host(h) {
        Ok(host) => host.status(),
        Err(e) if e.code == ErrorCode::NotFound => WaStatus {
            state: WaState::NotConnected,
            available: true,
            problem: None,
            queued: 0,
            unconfirmed: 0,
            failed: 0,
            sync: None,
            stuck: 0,
        },
        Err(e) => unavailable_status(&e.message),
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_status(h: AppHandle, d: State<'_, Desk>) -> R<WaStatus> {
    session(&d)?;
    Ok(status(&h))
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_connect(h: AppHandle, d: State<'_, Desk>) -> R<()> {
    d.app.wa_may_use(&session(&d)?)?;
    host(&h)?.connect().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_pairing_code(h: AppHandle, d: State<'_, Desk>, phone: String) -> R<()> {
    d.app.wa_may_use(&session(&d)?)?;
    host(&h)?.pairing_code(&phone).await.map(|_| ())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_reconnect(h: AppHandle, d: State<'_, Desk>) -> R<()> {
    d.app.wa_may_use(&session(&d)?)?;
    host(&h)?.reconnect().await
}

/// "Use here": takes WhatsApp Web back from another browser (state `conflict`).
#[tauri::command(rename_all = "snake_case")]
pub async fn wa_use_here(h: AppHandle, d: State<'_, Desk>) -> R<()> {
    d.app.wa_may_use(&session(&d)?)?;
    host(&h)?.use_here().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_logout(h: AppHandle, d: State<'_, Desk>) -> R<()> {
    d.app.wa_may_manage(&session(&d)?)?;
    host(&h)?.logout().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_settings_get(d: State<'_, Desk>) -> R<WaSettings> {
    d.app.wa_settings_get(&session(&d)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn wa_settings_update(
    h: AppHandle,
    d: State<'_, Desk>,
    settings: WaSettings,
) -> R<WaSettings> {
    let saved = d.app.wa_settings_update(&session(&d)?, &settings)?;
    nudge(&h);
    Ok(saved)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn chat_list(d: State<'_, Desk>, filter: ChatFilter) -> R<Vec<ChatRow>> {
    d.app.chat_list(&session(&d)?, &filter)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn chat_window(
    d: State<'_, Desk>,
    chat_id: ChatId,
    window: MessageWindow,
    limit: u32,
) -> R<MessagePage> {
    d.app.chat_window(&session(&d)?, chat_id, window, limit)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn chat_get(d: State<'_, Desk>, chat_id: ChatId) -> R<ChatRow> {
    d.app.chat_get(&session(&d)?, chat_id)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn chat_unread_total(d: State<'_, Desk>) -> R<u32> {
    d.app.chat_unread_total(&session(&d)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn message_search(d: State<'_, Desk>, text: String) -> R<Vec<MessageHit>> {
    d.app.message_search(&session(&d)?, &text)
}

/// Opening a chat marks it read here and, when the setting is on, on the client's phone.
#[tauri::command(rename_all = "snake_case")]
pub async fn chat_mark_read(h: AppHandle, d: State<'_, Desk>, chat_id: ChatId) -> R<()> {
    let s = session(&d)?;
    d.app.chat_mark_read(&s, chat_id)?;
    let target = d.app.wa_read_receipt_target(&s, chat_id)?;
    read_receipt(&h, target).await;
    Ok(())
}

/// Wakes the outbox worker (a setting changed), when the host runs.
fn nudge(h: &AppHandle) {
    if let Ok(host) = host(h) {
        host.nudge();
    }
}

/// Sends read receipts for a chat when there is a target and the host runs (best effort).
async fn read_receipt(h: &AppHandle, target: Option<String>) {
    if let (Some(wa), Ok(host)) = (target, host(h)) {
        host.mark_read(&wa).await;
    }
}

/// Tells the page the inbox changed in `chat` (or anywhere).
pub(crate) fn inbox_changed(h: &AppHandle, chat: Option<ChatId>) {
    if let Err(e) = h.emit("inbox:changed", InboxChange::refetch(chat)) {
        tracing::debug!(error = %e, "cannot emit inbox:changed");
    }
}

/// A message was queued or its fate changed: wake the worker, refresh the badge and the inbox.
fn queued(h: &AppHandle, chat: Option<ChatId>) {
    if let Ok(host) = host(h) {
        host.nudge();
        host.status_changed_now();
    }
    inbox_changed(h, chat);
}

/// Attachments are decoded and written to disk: off the async threads.
#[tauri::command(rename_all = "snake_case")]
pub async fn message_send(h: AppHandle, input: SendInput) -> R<Message> {
    let m = blocking(h.clone(), move |app, s| app.message_send(s, &input)).await?;
    queued(&h, Some(m.chat_id));
    Ok(m)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn message_retry(h: AppHandle, d: State<'_, Desk>, message_id: MessageId) -> R<()> {
    d.app.message_retry(&session(&d)?, message_id)?;
    queued(&h, None);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn message_mark_sent(h: AppHandle, d: State<'_, Desk>, message_id: MessageId) -> R<()> {
    d.app.message_mark_sent(&session(&d)?, message_id)?;
    queued(&h, None);
    Ok(())
}

/// The file is read and encoded off the async threads.
#[tauri::command(rename_all = "snake_case")]
pub async fn message_media(h: AppHandle, message_id: MessageId) -> R<MediaData> {
    blocking(h, move |app, s| app.message_media(s, message_id)).await
}

/// Cues for the scripted fake WhatsApp (`fake_scan`, `fake_incoming`, `fake_ack`, …), so the
/// end-to-end test can play the phone and the client. Refused unless the app runs on the fake
/// adapter; the page never calls it.
#[tauri::command(rename_all = "snake_case")]
pub async fn wa_fake(
    h: AppHandle,
    d: State<'_, Desk>,
    kind: String,
    params: Map<String, Value>,
) -> R<Value> {
    session(&d)?;
    fake_allowed()?;
    let cue = host(&h)?.supervisor().fake(&kind, params).await;
    cue.map_err(|e| AppError::new(ErrorCode::WhatsappUnavailable, e.to_string()))
}

/// The fake WhatsApp's cues are refused unless the app runs on the fake adapter.
fn fake_allowed() -> R<()> {
    if std::env::var(ADAPTER_ENV).is_ok_and(|v| v == "fake") {
        Ok(())
    } else {
        Err(AppError::forbidden("use the fake WhatsApp outside tests"))
    }
}

/// A message's translation into the manager's language (cached; `retry` asks the model again).
#[tauri::command(rename_all = "snake_case")]
pub async fn message_translation(
    h: AppHandle,
    message_id: MessageId,
    retry: bool,
) -> R<MessageTranslation> {
    blocking(h, move |app, s| {
        app.message_translation(s, message_id, retry)
    })
    .await
}

/// The manager's reply translated into the client's language, with a back-translation.
#[tauri::command(rename_all = "snake_case")]
pub async fn reply_preview(h: AppHandle, chat_id: ChatId, text: String) -> R<ReplyPreview> {
    blocking(h, move |app, s| app.reply_preview(s, chat_id, &text)).await
}

/// Checks a hand-edited translation against the manager's text (numbers, dates, tour names).
#[tauri::command(rename_all = "snake_case")]
pub async fn reply_check(
    h: AppHandle,
    original: String,
    edited: String,
) -> R<Vec<TranslationFlag>> {
    blocking(h, move |app, s| app.reply_check(s, &original, &edited)).await
}

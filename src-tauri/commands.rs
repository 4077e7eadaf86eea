//! One Tauri command per `crates/app` use case, named `<area>_<verb>`. Each takes the session
//! from shell state, calls the app and returns `{code, message}` errors as they are.

use tauri::{AppHandle, Manager, State};
use tourdesk_app::core::ai::{AiSettings, AiStatus, AiTestResult, AiUsageDay, ManagerLanguage};
use tourdesk_app::core::client::{
    BoardColumn, Client, ClientInput, ClientPage, ClientQuery, StatusChange, StatusChangeInput,
};
use tourdesk_app::core::org::{NewOrg, NewUser, OrgCreated, OrgSettings, StartupState, User};
use tourdesk_app::core::partner::{Partner, PartnerInput};
use tourdesk_app::core::tour::{Tour, TourInput};
use tourdesk_app::core::{AppError, ClientId, ErrorCode, PartnerId, Role, TourId, UserId};
use tourdesk_app::{App, BackupCopy, BackupInfo, ClientDetail, Session};

use crate::Desk;

pub(crate) type R<T> = Result<T, AppError>;

pub(crate) fn session(d: &Desk) -> R<Session> {
    d.session
        .lock()
        .map_err(|_| AppError::internal("session lock poisoned"))?
        .clone()
        .ok_or_else(|| AppError::new(ErrorCode::NotSignedIn, "please sign in"))
}

fn set_session(d: &Desk, s: Option<Session>) -> R<()> {
    *d.session
        .lock()
        .map_err(|_| AppError::internal("session lock poisoned"))? = s;
    Ok(())
}

/// Defines a command that needs a signed-in session: `name(args) -> T => app.method(args)`.
macro_rules! signed_in {
    ($name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty => $method:ident) => {
        #[tauri::command(rename_all = "snake_case")]
        async fn $name(d: State<'_, Desk> $(, $arg: $ty)*) -> R<$ret> {
            d.app.$method(&session(&d)? $(, $arg)*)
        }
    };
}

#[tauri::command(rename_all = "snake_case")]
async fn app_startup_state(d: State<'_, Desk>) -> R<StartupState> {
    Ok(StartupState {
        first_run: d.app.is_first_run()?,
        session: session(&d).ok(),
    })
}

#[tauri::command(rename_all = "snake_case")]
async fn app_data_dir(d: State<'_, Desk>) -> R<String> {
    session(&d)?;
    Ok(d.app.data_dir().display().to_string())
}

#[tauri::command(rename_all = "snake_case")]
async fn org_create(d: State<'_, Desk>, input: NewOrg) -> R<OrgCreated> {
    let created = d.app.org_create(&input)?;
    set_session(&d, Some(created.session.clone()))?;
    unlock_secret_file(&d.app, &created.session, &input.password);
    Ok(created)
}

#[tauri::command(rename_all = "snake_case")]
async fn auth_sign_in(d: State<'_, Desk>, email: String, password: String) -> R<Session> {
    let s = d.app.sign_in(&email, &password)?;
    set_session(&d, Some(s.clone()))?;
    unlock_secret_file(&d.app, &s, &password);
    Ok(s)
}

/// Unlocks the opt-in encrypted key file with the password just typed, so nobody is asked
/// twice. Best effort: no file, or a file sealed with another user's password, leaves the sign-in
/// as it is (the settings page then says "locked"). The password is never logged.
fn unlock_secret_file(app: &App, s: &Session, password: &str) {
    if let Err(e) = app.ai_fallback_unlock(s, password) {
        tracing::info!(
            code = e.code.as_str(),
            "the encrypted key file stays locked"
        );
    }
}

#[tauri::command(rename_all = "snake_case")]
async fn auth_sign_out(d: State<'_, Desk>) -> R<()> {
    d.app.ai_fallback_lock();
    set_session(&d, None)
}

#[tauri::command(rename_all = "snake_case")]
async fn auth_reset_password(
    d: State<'_, Desk>,
    email: String,
    recovery_code: String,
    new_password: String,
) -> R<String> {
    d.app
        .reset_admin_password(&email, &recovery_code, &new_password)
}

#[tauri::command(rename_all = "snake_case")]
async fn auth_change_password(
    d: State<'_, Desk>,
    old_password: String,
    new_password: String,
) -> R<()> {
    d.app
        .change_password(&session(&d)?, &old_password, &new_password)
}

#[tauri::command(rename_all = "snake_case")]
async fn user_add(d: State<'_, Desk>, input: NewUser) -> R<User> {
    d.app.user_add(&session(&d)?, &input)
}

signed_in!(user_list() -> Vec<User> => user_list);
signed_in!(user_set_role(id: UserId, role: Role) -> User => user_set_role);
signed_in!(user_set_active(id: UserId, active: bool) -> User => user_set_active);

#[tauri::command(rename_all = "snake_case")]
async fn client_list(d: State<'_, Desk>, query: ClientQuery) -> R<ClientPage> {
    d.app.client_list(&session(&d)?, &query)
}

#[tauri::command(rename_all = "snake_case")]
async fn client_create(d: State<'_, Desk>, input: ClientInput) -> R<Client> {
    d.app.client_create(&session(&d)?, &input)
}

#[tauri::command(rename_all = "snake_case")]
async fn client_update(d: State<'_, Desk>, id: ClientId, input: ClientInput) -> R<Client> {
    d.app.client_update(&session(&d)?, id, &input)
}

#[tauri::command(rename_all = "snake_case")]
async fn client_change_status(d: State<'_, Desk>, input: StatusChangeInput) -> R<StatusChange> {
    d.app.client_change_status(&session(&d)?, &input)
}

signed_in!(client_get(id: ClientId) -> ClientDetail => client_get);
signed_in!(client_delete(id: ClientId) -> () => client_delete);
signed_in!(client_restore(id: ClientId) -> Client => client_restore);
signed_in!(client_merge(keep: ClientId, remove: ClientId) -> Client => client_merge);
signed_in!(board_get() -> Vec<BoardColumn> => board);

#[tauri::command(rename_all = "snake_case")]
async fn tour_create(d: State<'_, Desk>, input: TourInput) -> R<Tour> {
    d.app.tour_create(&session(&d)?, &input)
}

#[tauri::command(rename_all = "snake_case")]
async fn tour_update(d: State<'_, Desk>, id: TourId, input: TourInput) -> R<Tour> {
    d.app.tour_update(&session(&d)?, id, &input)
}

signed_in!(tour_list() -> Vec<Tour> => tour_list);
signed_in!(tour_delete(id: TourId) -> () => tour_delete);

#[tauri::command(rename_all = "snake_case")]
async fn partner_create(d: State<'_, Desk>, input: PartnerInput) -> R<Partner> {
    d.app.partner_create(&session(&d)?, &input)
}

#[tauri::command(rename_all = "snake_case")]
async fn partner_update(d: State<'_, Desk>, id: PartnerId, input: PartnerInput) -> R<Partner> {
    d.app.partner_update(&session(&d)?, id, &input)
}

signed_in!(partner_list() -> Vec<Partner> => partner_list);
signed_in!(partner_delete(id: PartnerId) -> () => partner_delete);

#[tauri::command(rename_all = "snake_case")]
async fn settings_update(d: State<'_, Desk>, input: OrgSettings) -> R<OrgSettings> {
    d.app.settings_update(&session(&d)?, &input)
}

#[tauri::command(rename_all = "snake_case")]
async fn settings_set_ui_language(d: State<'_, Desk>, lang: String) -> R<()> {
    d.app.ui_language_set(&session(&d)?, &lang)
}

#[tauri::command(rename_all = "snake_case")]
async fn backup_restore(d: State<'_, Desk>, name: String) -> R<()> {
    d.app.backup_restore(&session(&d)?, &name)
}

signed_in!(settings_get() -> OrgSettings => settings_get);
signed_in!(settings_get_ui_language() -> String => ui_language_get);
signed_in!(backup_list() -> Vec<BackupInfo> => backup_list);
signed_in!(backup_create() -> BackupInfo => backup_create);
signed_in!(backup_copy_get() -> BackupCopy => backup_copy_get);

#[tauri::command(rename_all = "snake_case")]
async fn backup_copy_set(d: State<'_, Desk>, folder: Option<String>) -> R<BackupCopy> {
    d.app.backup_copy_set(&session(&d)?, folder.as_deref())
}

/// Runs a use case that blocks (the network, the keychain, file work) on Tokio's blocking pool,
/// so the async workers stay free: the one blocking helper of the shell's commands.
pub(crate) async fn blocking<T: Send + 'static>(
    h: AppHandle,
    f: impl FnOnce(&App, &Session) -> R<T> + Send + 'static,
) -> R<T> {
    tauri::async_runtime::spawn_blocking(move || {
        let d = h.state::<Desk>();
        let s = session(&d)?;
        f(&d.app, &s)
    })
    .await
    .map_err(|e| AppError::internal(format!("background task failed: {e}")))?
}

signed_in!(ai_settings_get() -> AiSettings => ai_settings_get);
signed_in!(ai_usage() -> Vec<AiUsageDay> => ai_usage);
signed_in!(ai_language_get() -> ManagerLanguage => ai_language_get);

#[tauri::command(rename_all = "snake_case")]
async fn ai_settings_update(d: State<'_, Desk>, input: AiSettings) -> R<AiSettings> {
    d.app.ai_settings_update(&session(&d)?, &input)
}

#[tauri::command(rename_all = "snake_case")]
async fn ai_language_set(d: State<'_, Desk>, lang: Option<String>) -> R<ManagerLanguage> {
    d.app.ai_language_set(&session(&d)?, lang.as_deref())
}

/// The key arrives from the settings form and goes straight to the keychain; it is never
/// returned or logged.
#[tauri::command(rename_all = "snake_case")]
async fn ai_key_set(h: AppHandle, key: String) -> R<()> {
    blocking(h, move |app, s| app.ai_key_set(s, &key)).await
}

#[tauri::command(rename_all = "snake_case")]
async fn ai_key_clear(h: AppHandle) -> R<()> {
    blocking(h, |app, s| app.ai_key_clear(s)).await
}

/// Turns on the encrypted key file; `password` is the admin's sign-in password, used only to
/// derive the file's key (never logged or returned).
#[tauri::command(rename_all = "snake_case")]
async fn ai_fallback_enable(h: AppHandle, password: String) -> R<AiStatus> {
    blocking(h, move |app, s| app.ai_fallback_enable(s, &password)).await
}

#[tauri::command(rename_all = "snake_case")]
async fn ai_fallback_disable(h: AppHandle) -> R<AiStatus> {
    blocking(h, |app, s| app.ai_fallback_disable(s)).await
}

#[tauri::command(rename_all = "snake_case")]
async fn ai_status(h: AppHandle) -> R<AiStatus> {
    blocking(h, |app, s| app.ai_status(s)).await
}

#[tauri::command(rename_all = "snake_case")]
async fn ai_test_connection(h: AppHandle) -> R<AiTestResult> {
    blocking(h, |app, s| app.ai_test_connection(s)).await
}

/// Every command, for `invoke_handler`.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_startup_state,
        app_data_dir,
        org_create,
        auth_sign_in,
        auth_sign_out,
        auth_reset_password,
        auth_change_password,
        user_list,
        user_add,
        user_set_role,
        user_set_active,
        client_list,
        client_get,
        client_create,
        client_update,
        client_delete,
        client_restore,
        client_merge,
        client_change_status,
        board_get,
        tour_list,
        tour_create,
        tour_update,
        tour_delete,
        partner_list,
        partner_create,
        partner_update,
        partner_delete,
        settings_get,
        settings_update,
        settings_get_ui_language,
        settings_set_ui_language,
        backup_list,
        backup_create,
        backup_restore,
        backup_copy_get,
        backup_copy_set,
        ai_settings_get,
        ai_settings_update,
        ai_key_set,
        ai_key_clear,
        ai_fallback_enable,
        ai_fallback_disable,
        ai_status,
        ai_test_connection,
        ai_usage,
        ai_language_get,
        ai_language_set,
        crate::whatsapp::wa_status,
        crate::whatsapp::wa_connect,
        crate::whatsapp::wa_pairing_code,
        crate::whatsapp::wa_reconnect,
        crate::whatsapp::wa_use_here,
        crate::whatsapp::wa_logout,
        crate::whatsapp::wa_settings_get,
        crate::whatsapp::wa_settings_update,
        crate::whatsapp::chat_list,
        crate::whatsapp::chat_get,
        crate::whatsapp::chat_unread_total,
        crate::whatsapp::chat_window,
        crate::whatsapp::message_search,
        crate::whatsapp::chat_mark_read,
        crate::whatsapp::message_send,
        crate::whatsapp::message_retry,
        crate::whatsapp::message_mark_sent,
        crate::whatsapp::message_media,
        crate::whatsapp::wa_fake,
        crate::whatsapp::message_translation,
        crate::whatsapp::reply_preview,
        crate::whatsapp::reply_check,
        crate::import::import_stage_files,
        crate::import::import_batch_get,
        crate::import::import_batch_list,
        crate::import::import_item_update,
        crate::import::import_commit,
        crate::import::import_undo,
        crate::import::import_wa_chats,
        crate::import::import_wa_start,
        crate::import::import_cancel,
        crate::desktop::desktop_settings_get,
        crate::desktop::desktop_settings_update,
        crate::desktop::desktop_close_choice,
        crate::desktop::desktop_tray_update,
        crate::desktop::app_version,
        crate::desktop::app_first_screen,
        crate::desktop::update_state,
        crate::desktop::update_check,
        crate::desktop::update_install,
        crate::recovery::recovery_state,
        crate::recovery::recovery_restore,
        crate::recovery::recovery_retry,
        crate::recovery::recovery_open_folder,
        crate::recovery::recovery_show_folder,
        crate::recovery::recovery_quit,
        crate::recovery::app_write_trouble,
    ]
}

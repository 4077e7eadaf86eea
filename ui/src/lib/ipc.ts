// Typed calls into the Rust core. Every function maps to one Tauri command `<area>_<verb>`,
// which maps to one `crates/app` use case. Errors arrive as `AppError` ({code, message, ...}).
import { invoke } from "@tauri-apps/api/core";
import type { AiSettings } from "../bindings/AiSettings";
import type { AiStatus } from "../bindings/AiStatus";
import type { AiTestResult } from "../bindings/AiTestResult";
import type { AiUsageDay } from "../bindings/AiUsageDay";
import type { AppError } from "../bindings/AppError";
import type { BackupCopy } from "../bindings/BackupCopy";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { BoardColumn } from "../bindings/BoardColumn";
import type { ChatFilter } from "../bindings/ChatFilter";
import type { ChatRow } from "../bindings/ChatRow";
import type { Client } from "../bindings/Client";
import type { ClientDetail } from "../bindings/ClientDetail";
import type { ClientInput } from "../bindings/ClientInput";
import type { ClientPage } from "../bindings/ClientPage";
import type { ClientQuery } from "../bindings/ClientQuery";
import type { DesktopSettings } from "../bindings/DesktopSettings";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { ImportBatch } from "../bindings/ImportBatch";
import type { ImportFile } from "../bindings/ImportFile";
import type { ImportItem } from "../bindings/ImportItem";
import type { ImportItemUpdate } from "../bindings/ImportItemUpdate";
import type { ImportSummary } from "../bindings/ImportSummary";
import type { ManagerLanguage } from "../bindings/ManagerLanguage";
import type { MediaData } from "../bindings/MediaData";
import type { Message } from "../bindings/Message";
import type { MessageHit } from "../bindings/MessageHit";
import type { MessagePage } from "../bindings/MessagePage";
import type { MessageWindow } from "../bindings/MessageWindow";
import type { MessageTranslation } from "../bindings/MessageTranslation";
import type { NewOrg } from "../bindings/NewOrg";
import type { NewUser } from "../bindings/NewUser";
import type { OrgCreated } from "../bindings/OrgCreated";
import type { OrgSettings } from "../bindings/OrgSettings";
import type { Partner } from "../bindings/Partner";
import type { PartnerInput } from "../bindings/PartnerInput";
import type { RecoveryState } from "../bindings/RecoveryState";
import type { ReplyPreview } from "../bindings/ReplyPreview";
import type { Role } from "../bindings/Role";
import type { SendInput } from "../bindings/SendInput";
import type { Session } from "../bindings/Session";
import type { StartupState } from "../bindings/StartupState";
import type { StatusChange } from "../bindings/StatusChange";
import type { StatusChangeInput } from "../bindings/StatusChangeInput";
import type { Tour } from "../bindings/Tour";
import type { TourInput } from "../bindings/TourInput";
import type { TranslationFlag } from "../bindings/TranslationFlag";
import type { TrayView } from "../bindings/TrayView";
import type { UndoReport } from "../bindings/UndoReport";
import type { UpdateState } from "../bindings/UpdateState";
import type { User } from "../bindings/User";
import type { WaSettings } from "../bindings/WaSettings";
import type { WaStatus } from "../bindings/WaStatus";
import type { WaChatChoice } from "../bindings/WaChatChoice";

/** True when a thrown value is the core's error shape. */
export function isAppError(e: unknown): e is AppError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Any thrown value as an AppError (a non-core failure becomes `internal`). */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const ipc = {
  recoveryState: () => call<RecoveryState | null>("recovery_state"),
  recoveryRestore: (name: string) => call<void>("recovery_restore", { name }),
  recoveryRetry: () => call<RecoveryState | null>("recovery_retry"),
  recoveryOpenFolder: (path: string) => call<RecoveryState | null>("recovery_open_folder", { path }),
  recoveryShowFolder: () => call<void>("recovery_show_folder"),
  recoveryQuit: () => call<void>("recovery_quit"),
  writeTrouble: () => call<ErrorCode | null>("app_write_trouble"),
  startupState: () => call<StartupState>("app_startup_state"),
  dataDir: () => call<string>("app_data_dir"),
  orgCreate: (input: NewOrg) => call<OrgCreated>("org_create", { input }),
  signIn: (email: string, password: string) => call<Session>("auth_sign_in", { email, password }),
  signOut: () => call<void>("auth_sign_out"),
  resetPassword: (email: string, recovery_code: string, new_password: string) =>
    call<string>("auth_reset_password", { email, recovery_code, new_password }),
  changePassword: (old_password: string, new_password: string) =>
    call<void>("auth_change_password", { old_password, new_password }),

  userList: () => call<User[]>("user_list"),
  userAdd: (input: NewUser) => call<User>("user_add", { input }),
  userSetRole: (id: string, role: Role) => call<User>("user_set_role", { id, role }),
  userSetActive: (id: string, active: boolean) => call<User>("user_set_active", { id, active }),

  clientList: (query: ClientQuery) => call<ClientPage>("client_list", { query }),
  clientGet: (id: string) => call<ClientDetail>("client_get", { id }),
  clientCreate: (input: ClientInput) => call<Client>("client_create", { input }),
  clientUpdate: (id: string, input: ClientInput) => call<Client>("client_update", { id, input }),
  clientDelete: (id: string) => call<void>("client_delete", { id }),
  clientRestore: (id: string) => call<Client>("client_restore", { id }),
  clientMerge: (keep: string, remove: string) => call<Client>("client_merge", { keep, remove }),
  clientChangeStatus: (input: StatusChangeInput) => call<StatusChange>("client_change_status", { input }),
  board: () => call<BoardColumn[]>("board_get"),

  tourList: () => call<Tour[]>("tour_list"),
  tourCreate: (input: TourInput) => call<Tour>("tour_create", { input }),
  tourUpdate: (id: string, input: TourInput) => call<Tour>("tour_update", { id, input }),
  tourDelete: (id: string) => call<void>("tour_delete", { id }),

  partnerList: () => call<Partner[]>("partner_list"),
  partnerCreate: (input: PartnerInput) => call<Partner>("partner_create", { input }),
  partnerUpdate: (id: string, input: PartnerInput) => call<Partner>("partner_update", { id, input }),
  partnerDelete: (id: string) => call<void>("partner_delete", { id }),

  settingsGet: () => call<OrgSettings>("settings_get"),
  settingsUpdate: (input: OrgSettings) => call<OrgSettings>("settings_update", { input }),
  uiLanguageGet: () => call<string>("settings_get_ui_language"),
  uiLanguageSet: (lang: string) => call<void>("settings_set_ui_language", { lang }),

  backupList: () => call<BackupInfo[]>("backup_list"),
  backupCreate: () => call<BackupInfo>("backup_create"),
  backupRestore: (name: string) => call<void>("backup_restore", { name }),
  backupCopyGet: () => call<BackupCopy>("backup_copy_get"),
  backupCopySet: (folder: string | null) => call<BackupCopy>("backup_copy_set", { folder }),

  aiSettingsGet: () => call<AiSettings>("ai_settings_get"),
  aiSettingsUpdate: (input: AiSettings) => call<AiSettings>("ai_settings_update", { input }),
  /** Write-only: the key goes to the OS keychain and is never read back. */
  aiKeySet: (key: string) => call<void>("ai_key_set", { key }),
  aiKeyClear: () => call<void>("ai_key_clear"),
  aiStatus: () => call<AiStatus>("ai_status"),
  /** Opt-in where no keychain works: the key goes to a file sealed with this sign-in password. */
  aiFallbackEnable: (password: string) => call<AiStatus>("ai_fallback_enable", { password }),
  /** Removes the encrypted key file and the key in it. */
  aiFallbackDisable: () => call<AiStatus>("ai_fallback_disable"),
  aiTestConnection: () => call<AiTestResult>("ai_test_connection"),
  aiUsage: () => call<AiUsageDay[]>("ai_usage"),
  aiLanguageGet: () => call<ManagerLanguage>("ai_language_get"),
  aiLanguageSet: (lang: string | null) => call<ManagerLanguage>("ai_language_set", { lang }),

  /** Chats, newest first; the next page passes the last row's `last_message_seq` as `before_seq`. */
  chatList: (filter: ChatFilter) => call<ChatRow[]>("chat_list", { filter }),
  /** One window of a chat (newest, before/after a `seq`, around a message), newest first. */
  chatWindow: (chat_id: string, window: MessageWindow, limit: number) =>
    call<MessagePage>("chat_window", { chat_id, window, limit }),
  messageSearch: (text: string) => call<MessageHit[]>("message_search", { text }),
  chatMarkRead: (chat_id: string) => call<void>("chat_mark_read", { chat_id }),
  /** One chat as the list shows it (opened from search, or just started). */
  chatGet: (chat_id: string) => call<ChatRow>("chat_get", { chat_id }),
  /** Unread messages over all chats. */
  chatUnreadTotal: () => call<number>("chat_unread_total"),
  messageSend: (input: SendInput) => call<Message>("message_send", { input }),
  messageRetry: (message_id: string) => call<void>("message_retry", { message_id }),
  messageMarkSent: (message_id: string) => call<void>("message_mark_sent", { message_id }),
  messageMedia: (message_id: string) => call<MediaData>("message_media", { message_id }),
  /** A message's translation into the signed-in manager's language (cached; `retry` asks the model again). */
  messageTranslation: (message_id: string, retry: boolean) => call<MessageTranslation>("message_translation", { message_id, retry }),
  /** The manager's reply translated into the client's language, with a back-translation (`needed` false: send as typed). */
  replyPreview: (chat_id: string, text: string) => call<ReplyPreview>("reply_preview", { chat_id, text }),
  /** Checks a hand-edited translation against the manager's text (numbers, dates, tour names, links). */
  replyCheck: (original: string, edited: string) => call<TranslationFlag[]>("reply_check", { original, edited }),

  waStatus: () => call<WaStatus>("wa_status"),
  waConnect: () => call<void>("wa_connect"),
  waPairingCode: (phone: string) => call<void>("wa_pairing_code", { phone }),
  waLogout: () => call<void>("wa_logout"),
  waReconnect: () => call<void>("wa_reconnect"),
  waUseHere: () => call<void>("wa_use_here"),
  waSettingsGet: () => call<WaSettings>("wa_settings_get"),
  waSettingsUpdate: (settings: WaSettings) => call<WaSettings>("wa_settings_update", { settings }),

  /** Reads export files into a new staged batch; unreadable files come back in `errors`. */
  importStageFiles: (files: ImportFile[], own_names: string[]) => call<ImportBatch>("import_stage_files", { files, own_names }),
  importBatchGet: (batch_id: string) => call<ImportBatch>("import_batch_get", { batch_id }),
  /** Previous imports, newest first (`items` may be empty in this form). */
  importBatchList: () => call<ImportBatch[]>("import_batch_list"),
  importItemUpdate: (item_id: string, update: ImportItemUpdate) => call<ImportItem>("import_item_update", { item_id, update }),
  importCommit: (batch_id: string) => call<ImportSummary>("import_commit", { batch_id }),
  importUndo: (batch_id: string) => call<UndoReport>("import_undo", { batch_id }),
  /** The connected account's chats, to choose which histories to fetch. */
  importWaChats: () => call<WaChatChoice[]>("import_wa_chats"),
  /** Starts fetching history; returns the batch id at once, progress comes as "import:progress". */
  importWaStart: (chat_ids: string[]) => call<string>("import_wa_start", { chat_ids }),
  importCancel: (batch_id: string) => call<void>("import_cancel", { batch_id }),

  // The app on this computer (no session needed): preferences, tray, updates.
  appVersion: () => call<string>("app_version"),
  /** The first interactive screen is on (the shell logs the start-up time). */
  appFirstScreen: () => call<void>("app_first_screen"),
  desktopSettingsGet: () => call<DesktopSettings>("desktop_settings_get"),
  desktopSettingsUpdate: (settings: DesktopSettings) => call<DesktopSettings>("desktop_settings_update", { settings }),
  desktopCloseChoice: (keep_in_tray: boolean) => call<void>("desktop_close_choice", { keep_in_tray }),
  desktopTrayUpdate: (view: TrayView) => call<void>("desktop_tray_update", { view }),
  updateState: () => call<UpdateState>("update_state"),
  updateCheck: () => call<UpdateState>("update_check"),
  /** Downloads, verifies and installs the offered update; progress comes as "update:state". */
  updateInstall: () => call<UpdateState>("update_install"),
};

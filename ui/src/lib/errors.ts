// Turns a core error into one translated sentence (plus the field it is about).
import type { TFunction } from "i18next";
import type { AppError } from "../bindings/AppError";
import type { ErrorCode } from "../bindings/ErrorCode";

/** Every ErrorCode of crates/core, in the same order (a test compares it to the bindings). */
export const ERROR_CODES: readonly ErrorCode[] = [
  "required",
  "too_long",
  "invalid_text",
  "invalid_phone",
  "invalid_email",
  "unknown_time_zone",
  "invalid_currency",
  "out_of_range",
  "invalid_choice",
  "invalid_date",
  "password_too_short",
  "duplicate_phone",
  "duplicate_email",
  "not_found",
  "forbidden",
  "not_signed_in",
  "invalid_credentials",
  "user_inactive",
  "invalid_recovery_code",
  "last_admin",
  "one_org_per_folder",
  "conflict",
  "keychain_unavailable",
  "whatsapp_unavailable",
  "invalid_attachment",
  "not_a_whatsapp_export",
  "import_too_large",
  "store_damaged",
  "store_locked",
  "store_too_new",
  "disk_full",
  "read_only_storage",
  "folder_missing",
  "disk_error",
  "storage",
  "internal",
];

/** Whether `code` has its own sentence under `errors.`. */
export function isKnownErrorCode(code: string): boolean {
  return (ERROR_CODES as readonly string[]).includes(code);
}

/** What the UI shows for an error: the sentence, prefixed with the field's label when known. */
export function errorSentence(err: AppError, t: TFunction): string {
  const code = isKnownErrorCode(err.code) ? err.code : "internal";
  const sentence = t(`errors.${code}`);
  if (!err.field) return sentence;
  const fieldKey = `fields.${err.field}`;
  const label = t(fieldKey);
  // An unknown field name is not shown raw: the sentence alone stays readable.
  if (label === fieldKey) return sentence;
  return `${label}: ${sentence}`;
}

/** Whether the error is a duplicate phone with a link target. */
export function duplicateTarget(err: AppError): string | null {
  return err.code === "duplicate_phone" && err.existing_id ? err.existing_id : null;
}

// Words for the recovery screen and the write-trouble banner.
import type { ErrorCode } from "../../bindings/ErrorCode";

/** The start-up problems with a sentence of their own under `recovery.problem.`. */
export const STARTUP_PROBLEMS = ["store_damaged", "store_locked", "store_too_new", "disk_full", "read_only_storage", "folder_missing", "disk_error"] as const satisfies readonly ErrorCode[];

/** The i18n key explaining why the folder did not open (any other code: the generic one). */
export function problemKey(code: ErrorCode): string {
  return (STARTUP_PROBLEMS as readonly string[]).includes(code) ? `recovery.problem.${code}` : "recovery.problem.other";
}

/** The codes that mean writes fail for disk reasons (the banner shows while one holds). */
export function isWriteTrouble(code: string): boolean {
  return ["disk_full", "disk_error", "read_only_storage", "store_damaged", "store_locked"].includes(code);
}

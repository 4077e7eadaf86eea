// The updater's state in words and numbers: the failure sentences, the download percentage, and
// when the update dialog opens by itself.
import type { TFunction } from "i18next";
import type { UpdateFailure } from "../../bindings/UpdateFailure";
import type { UpdateState } from "../../bindings/UpdateState";

/** Every UpdateFailure of the bindings (the locale test checks each has its sentence). */
export const UPDATE_FAILURES: readonly UpdateFailure[] = [
  "not_configured",
  "not_packaged",
  "network",
  "manifest_invalid",
  "no_package_for_this_computer",
  "package_missing",
  "download_incomplete",
  "signature_invalid",
  "disk_full",
  "install_refused",
  "busy",
  "nothing_to_install",
  "internal",
];

/** The event carrying every UpdateState change. */
export const UPDATE_EVENT = "update:state";

/** Download progress as 0..100, or null while the size is unknown. */
export function progressPercent(s: UpdateState): number | null {
  if (s.state !== "downloading" || s.total == null || s.total <= 0) return null;
  return Math.min(100, Math.floor((s.received / s.total) * 100));
}

/** The sentence for a failure; the installed version keeps working in every case. */
export function updateFailureText(failure: UpdateFailure, t: TFunction): string {
  return t(`desktop.update.failure.${failure}`);
}

/** True when `next` should open the dialog: a newly offered version the user has not put off,
 * or a step of an install the user started. Background failures and "up to date" stay quiet. */
export function opensDialog(next: UpdateState, dismissedVersion: string | null, installing: boolean): boolean {
  if (next.state === "available") return next.version !== dismissedVersion;
  if (installing) return true;
  return next.state === "downloading" || next.state === "installing" || next.state === "installed";
}

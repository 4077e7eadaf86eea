// The WhatsApp connection state in words: the badge's text and colour, the advice per failure
// code, and the pairing code as ABCD-EFGH.
import type { TFunction } from "i18next";
import type { WaStatus } from "../../bindings/WaStatus";
import { localeFor } from "../../lib/format";

/** Failure codes the core and the sidecar report, each with its own reason and advice text. */
export const WA_FAILURE_CODES = [
  "browser_not_found",
  "browser_start_failed",
  "whatsapp_unreachable",
  "whatsapp_load_failed",
  "connection_lost",
  "network_timeout",
  "reconnecting",
  "unlaunched",
  "proxy_blocked",
  "not_responding",
  "deprecated_version",
  "browser_crashed",
  "sidecar_crashed",
  "sidecar_unresponsive",
  "crash_loop",
  "auth_failure",
  "sidecar_start_failed",
  "hello_rejected",
  "init_failed",
] as const;

/** Every state name of WaState. */
export const WA_STATES = ["not_connected", "starting", "qr", "pairing_code", "authenticated", "ready", "degraded", "conflict", "banned", "logged_out", "failed"] as const;

/** Ban codes: a normal and a WhatsApp Business number. */
export const WA_BAN_CODES = ["tos_block", "smb_tos_block"] as const;

export type WaTone = "ok" | "warn" | "bad" | "idle";

function known(code: string): boolean {
  return (WA_FAILURE_CODES as readonly string[]).includes(code);
}

/** The badge colour: green ready, amber on the way or reconnecting, red when action is needed. */
export function waTone(status: WaStatus): WaTone {
  if (!status.available) return "bad";
  switch (status.state.state) {
    case "ready":
      return "ok";
    case "starting":
    case "qr":
    case "pairing_code":
    case "authenticated":
    case "degraded":
      return "warn";
    case "conflict":
    case "banned":
    case "logged_out":
    case "failed":
      return "bad";
    case "not_connected":
      return "idle";
  }
}

/** A short reason for a failure code ("the browser crashed"). */
export function waReason(code: string, t: TFunction): string {
  return known(code) ? t(`wa.reason.${code}`) : t("wa.reason.generic", { code });
}

/** What to do about a failure code, as one or two sentences. */
export function waAdvice(code: string, t: TFunction): string {
  return known(code) ? t(`wa.advice.${code}`) : t("wa.advice.generic", { code });
}

/** Wall-clock time with seconds in the manager's zone ("14:05:09"). */
export function formatClock(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(d);
}

/** The badge text for a status. */
export function waBadgeText(status: WaStatus, t: TFunction, lang: string): string {
  if (!status.available) return t("wa.state.unavailable");
  const s = status.state;
  switch (s.state) {
    case "not_connected":
    case "starting":
    case "authenticated":
    case "logged_out":
      return t(`wa.state.${s.state}`);
    case "qr":
    case "pairing_code":
      return t("wa.state.waitingPhone");
    case "ready":
      return status.sync ? t("wa.state.syncing", { done: status.sync.done, total: status.sync.total }) : t("wa.state.ready");
    case "degraded":
      return s.next_retry_at ? t("wa.state.degraded", { time: formatClock(s.next_retry_at, lang) }) : t("wa.state.degradedSoon");
    case "conflict":
      return t("wa.state.conflict");
    case "banned":
      return t("wa.state.banned");
    case "failed":
      return t("wa.state.failed", { reason: waReason(s.code, t) });
  }
}

/** What to do about a ban ("open WhatsApp on the phone to appeal"). */
function banAdvice(code: string, t: TFunction): string {
  return t(code === "smb_tos_block" ? "wa.advice.smb_tos_block" : "wa.advice.tos_block");
}

/** The advice shown under the state on the WhatsApp page, if there is any. */
export function waStateAdvice(status: WaStatus, t: TFunction): string | null {
  if (!status.available) return t("wa.advice.unavailable");
  const s = status.state;
  switch (s.state) {
    case "not_connected":
      return t("wa.advice.not_connected");
    case "logged_out":
      return t("wa.advice.logged_out");
    case "degraded":
    case "failed":
      return waAdvice(s.code, t);
    case "conflict":
      return t("wa.advice.conflict");
    case "banned":
      return banAdvice(s.code, t);
    default:
      return null;
  }
}

/** "abcdefgh" or "ABCD-EFGH" → "ABCD-EFGH"; other lengths are only upper-cased. */
export function formatPairingCode(code: string): string {
  const plain = code.replace(/[^0-9a-z]/gi, "").toUpperCase();
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : code.toUpperCase();
}

/** States in which the manager may start linking. */
export function canConnect(status: WaStatus): boolean {
  const s = status.state.state;
  return status.available && (s === "not_connected" || s === "logged_out" || s === "failed");
}

/** States the notice bar shows: those that hold the outbox or need the manager. */
export function needsNotice(status: WaStatus | undefined): boolean {
  const s = status?.state.state;
  return status?.available === true && (s === "degraded" || s === "conflict" || s === "banned" || s === "failed");
}

/** States in which a linking code (QR or pairing code) is on screen. */
export function isLinking(status: WaStatus | undefined): boolean {
  const s = status?.state.state;
  return s === "qr" || s === "pairing_code";
}

// Small wording helpers of the import screens.
import type { TFunction } from "i18next";
import { isKnownErrorCode } from "../../lib/errors";
import { localeFor } from "../../lib/format";
import type { ImportNote } from "../../bindings/ImportNote";
import type { KeptReason } from "../../bindings/KeptReason";

/** A file or fetch error code as one translated sentence; an unknown code gets `fallbackKey`. */
export function fileErrorSentence(code: string, t: TFunction, fallbackKey = "import.fileErrorGeneric"): string {
  return isKnownErrorCode(code) ? t(`errors.${code}`) : t(fallbackKey);
}

/** "996555123456@c.us" → "+996555123456"; other ids as they are. */
export function phoneOfChatId(id: string): string {
  const m = /^(\d{6,15})@c\.us$/.exec(id);
  return m ? `+${m[1]}` : id;
}

/** WhatsApp's chat timestamp (seconds, or milliseconds) as ISO, or null. */
export function timestampToIso(ts: number | null): string | null {
  if (ts === null || !Number.isFinite(ts) || ts <= 0) return null;
  const ms = ts < 1e12 ? ts * 1000 : ts;
  return new Date(ms).toISOString();
}

/** A confidence of 0..1 as a whole percent (a value above 1 is taken as a percent already). */
export function confidencePercent(c: number): number {
  if (!Number.isFinite(c) || c <= 0) return 0;
  return Math.min(100, Math.round(c <= 1 ? c * 100 : c));
}

/** A date, short, in the manager's locale ("05.01.2024"); an unreadable value as it is. */
export function shortDate(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: "short" }).format(d);
}

/** Signal codes the importer gives a suggested status, each with an `import.signal.<code>` sentence. */
const STATUS_SIGNALS = new Set([
  "first_contact",
  "service_after_sale",
  "paid",
  "negotiation",
  "price",
  "two_way",
  "dates_or_party",
]);

/** Why a status was suggested, translated from its signal code; the importer's own (English)
 * reason when the code is empty or unknown. */
export function statusReasonSentence(
  item: { status_signal?: string; status_signal_value?: string; status_reason: string },
  t: TFunction,
): string {
  const code = item.status_signal ?? "";
  return STATUS_SIGNALS.has(code)
    ? t(`import.signal.${code}`, { value: item.status_signal_value ?? "" })
    : item.status_reason;
}

/** Why an undo kept a client, as a translated phrase. */
export function keptReasonText(r: KeptReason, t: TFunction): string {
  return t(`import.note.reason.${r.code}`, { count: "count" in r ? r.count : 0 });
}

/** An import warning or undo note as one translated sentence; a note stored by an earlier
 * version (English text) is shown as it was stored. */
export function importNoteText(n: ImportNote, t: TFunction): string {
  switch (n.code) {
    case "legacy":
      return n.text;
    case "client_kept":
      return t("import.note.client_kept", {
        name: n.name,
        messages: n.messages,
        reasons: n.reasons.map((r) => keptReasonText(r, t)).join("; "),
      });
    case "impossible_dates":
      return t("import.note.impossible_dates", {
        count: n.count,
        order: t(n.month_first ? "import.note.orderMonthFirst" : "import.note.orderDayFirst"),
      });
    default:
      return t(`import.note.${n.code}`, { ...n });
  }
}

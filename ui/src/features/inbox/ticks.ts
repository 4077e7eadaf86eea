// Delivery ticks for outgoing messages, and why a send failed, in words.
import type { TFunction } from "i18next";
import type { SendStatus } from "../../bindings/SendStatus";

export type TickTone = "pending" | "waiting" | "sent" | "delivered" | "read" | "failed" | "unconfirmed";
export type Tick = { symbol: string; tone: TickTone };

/** queued/sending → clock, waiting (ack 0, WhatsApp holds it) → clock, never a tick, sent → ✓, delivered → ✓✓, read → blue ✓✓, failed → red !, unconfirmed → amber ?. */
export function tickFor(status: SendStatus | null | undefined): Tick | null {
  switch (status) {
    case "queued":
    case "sending":
      return { symbol: "🕓", tone: "pending" };
    case "waiting":
      return { symbol: "🕓", tone: "waiting" };
    case "sent":
      return { symbol: "✓", tone: "sent" };
    case "delivered":
      return { symbol: "✓✓", tone: "delivered" };
    case "read":
      return { symbol: "✓✓", tone: "read" };
    case "failed":
      return { symbol: "!", tone: "failed" };
    case "unconfirmed":
      return { symbol: "?", tone: "unconfirmed" };
    default:
      return null;
  }
}

/** Send failure codes with their own sentence. */
export const SEND_FAILURES = ["not_on_whatsapp", "invalid_number", "media_unreadable", "chat_not_found", "timeout", "logged_out", "ack_error", "not_ready"] as const;

/** Why a message failed, translated; an unknown code gets the generic sentence with the code. */
export function failureReason(code: string | null | undefined, t: TFunction): string {
  if (code && (SEND_FAILURES as readonly string[]).includes(code)) return t(`sendFailure.${code}`);
  return t("sendFailure.generic", { code: code || "?" });
}

// Closed sets of choices the forms offer (mirror the Rust enums).
import type { AddressForm } from "../bindings/AddressForm";
import type { AiFailure } from "../bindings/AiFailure";
import type { AiPreset } from "../bindings/AiPreset";
import type { Diet } from "../bindings/Diet";
import type { Difficulty } from "../bindings/Difficulty";
import type { Language } from "../bindings/Language";
import type { MessageKind } from "../bindings/MessageKind";
import type { PartnerKind } from "../bindings/PartnerKind";
import type { Role } from "../bindings/Role";
import type { SendStatus } from "../bindings/SendStatus";

/** The seven client languages, in the order the core lists them. */
export const CLIENT_LANGUAGES: readonly Language[] = ["en", "ru", "ar", "fr", "de", "es", "pl"];
/** Client languages plus "unknown". */
export const LANGUAGES_WITH_UNKNOWN: readonly Language[] = [...CLIENT_LANGUAGES, "unknown"];
export const DIETS: readonly Diet[] = ["none", "halal", "kosher", "vegetarian", "vegan", "other"];
export const ADDRESS_FORMS: readonly AddressForm[] = ["unknown", "formal", "informal"];
export const DIFFICULTIES: readonly Difficulty[] = ["easy", "moderate", "hard", "expert"];
export const PARTNER_KINDS: readonly PartnerKind[] = ["guide", "driver", "hotel", "other"];
export const ROLES: readonly Role[] = ["admin", "manager"];
/** AI provider presets, in the order the settings page lists them. */
export const AI_PRESETS: readonly AiPreset[] = ["openai", "openrouter", "ollama", "custom"];
/** Why a model call can fail (mirrors crates/ai's error codes). */
export const AI_FAILURES: readonly AiFailure[] = [
  "not_configured", "unreachable", "unauthorized", "rate_limited", "server_error", "timeout",
  "malformed_output", "empty_output", "schema_mismatch",
];
/** What a WhatsApp message can carry (mirrors MessageKind). */
export const MESSAGE_KINDS: readonly MessageKind[] = [
  "text", "image", "audio", "video", "document", "sticker", "location", "contact", "system", "deleted", "unsupported",
];
/** How an outgoing message is doing (mirrors SendStatus). */
export const SEND_STATUSES: readonly SendStatus[] = ["queued", "sending", "waiting", "sent", "delivered", "read", "failed", "unconfirmed"];
/** The interface languages. */
export const UI_LANGUAGES = ["ru", "en"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** Common IANA zones for the time-zone datalist (any valid IANA name is accepted). */
export const COMMON_TIME_ZONES: readonly string[] = [
  "Asia/Bishkek", "Asia/Almaty", "Asia/Tashkent", "Asia/Dubai", "Asia/Riyadh", "Asia/Qatar",
  "Asia/Kuwait", "Asia/Bahrain", "Asia/Muscat", "Asia/Baghdad", "Asia/Amman", "Asia/Beirut",
  "Asia/Jerusalem", "Asia/Istanbul", "Asia/Tehran", "Asia/Karachi", "Asia/Kolkata",
  "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul", "Africa/Cairo",
  "Africa/Casablanca", "Africa/Algiers", "Africa/Tunis", "Europe/London", "Europe/Dublin",
  "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels", "Europe/Amsterdam",
  "Europe/Berlin", "Europe/Zurich", "Europe/Vienna", "Europe/Rome", "Europe/Warsaw",
  "Europe/Prague", "Europe/Stockholm", "Europe/Helsinki", "Europe/Kyiv", "Europe/Minsk",
  "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok",
  "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
  "America/Toronto", "America/Mexico_City", "America/Bogota", "America/Lima",
  "America/Santiago", "America/Argentina/Buenos_Aires", "America/Sao_Paulo",
  "Australia/Sydney", "Pacific/Auckland", "UTC",
];

// Text shown for chats: the title, the last-message preview and search snippets.
import type { TFunction } from "i18next";
import type { ChatRow } from "../../bindings/ChatRow";
import type { MessageKind } from "../../bindings/MessageKind";

/** The client's name when linked, else the chat's WhatsApp title, else the phone. */
export function chatTitle(row: Pick<ChatRow, "client_name" | "title" | "client_phone" | "wa_chat_id">): string {
  const phone = row.client_phone || `+${row.wa_chat_id.split("@")[0]}`;
  return row.client_name?.trim() || row.title.trim() || phone;
}

/** Kinds shown by their label instead of (or before) their text. */
export function isMediaKind(kind: MessageKind | null | undefined): boolean {
  return !!kind && kind !== "text";
}

/** "You: " for our messages, the media label for media, then the text. */
export function previewText(row: Pick<ChatRow, "preview" | "last_direction" | "last_kind">, t: TFunction): string {
  const you = row.last_direction === "out" ? t("inbox.you") : "";
  const body = row.preview.trim();
  if (isMediaKind(row.last_kind)) {
    const label = t(`msgKind.${row.last_kind}`);
    return `${you}${body && row.last_kind !== "deleted" ? `${label}: ${body}` : label}`;
  }
  return `${you}${body}`;
}

/** Splits a search snippet into plain and matched parts (matches sit between \u0002 and \u0003). */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const parts: { text: string; hit: boolean }[] = [];
  let hit = false;
  let buf = "";
  for (const ch of snippet) {
    if (ch === "\u0002" || ch === "\u0003") {
      if (buf) parts.push({ text: buf, hit });
      buf = "";
      hit = ch === "\u0002";
    } else {
      buf += ch;
    }
  }
  if (buf) parts.push({ text: buf, hit });
  return parts;
}

// One chat in the list: title, partner mark, time, last message preview with ticks, status, unread.
import { useTranslation } from "react-i18next";
import type { ChatRow } from "../../bindings/ChatRow";
import { StatusPill } from "../../components/StatusPill";
import { formatWhenCompact } from "../../lib/format";
import { chatTitle, previewText } from "./chatText";
import { TickMark } from "./TickMark";

export const CHAT_ROW_HEIGHT = 64;

export function ChatListRow({ row, selected, onOpen }: { row: ChatRow; selected: boolean; onOpen: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <button
      type="button"
      className={selected ? "chat-row selected" : "chat-row"}
      data-testid="chat-row"
      data-chat-id={row.id}
      aria-current={selected ? "true" : undefined}
      onClick={() => onOpen(row.id)}
    >
      <span className="chat-row-line">
        <bdi className="chat-title" dir="auto">
          {chatTitle(row)}
        </bdi>
        {row.partner_name && (
          <span className="partner-mark" title={t("inbox.partner")}>
            ⚑ <bdi dir="auto">{row.partner_name}</bdi>
          </span>
        )}
        {row.kind !== "one_to_one" && <span className="partner-mark">{t(`inbox.kind.${row.kind}`)}</span>}
        <span className="chat-time">{row.last_message_at ? formatWhenCompact(row.last_message_at, i18n.language) : ""}</span>
      </span>
      <span className="chat-row-line">
        {row.last_direction === "out" && <TickMark status={row.last_status} testId="chat-ticks" />}
        <bdi className="chat-preview" dir="auto">
          {previewText(row, t)}
        </bdi>
        {row.client_status && <StatusPill status={row.client_status} />}
        {row.unread > 0 && (
          <span className="unread-badge" data-testid="chat-unread" aria-label={t("inbox.unreadCount", { count: row.unread })}>
            {row.unread}
          </span>
        )}
      </span>
    </button>
  );
}

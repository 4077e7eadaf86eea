// The left pane: search (chats and message text), filters, "New chat", the virtualised chat list
// with paging, and message hits under their own heading. Up/Down move through the chats.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { ChatRow } from "../../bindings/ChatRow";
import type { FunnelStatus } from "../../bindings/FunnelStatus";
import type { Language } from "../../bindings/Language";
import type { Message } from "../../bindings/Message";
import type { MessageHit } from "../../bindings/MessageHit";
import { ErrorMessage } from "../../components/ErrorMessage";
import { VirtualList } from "../../components/VirtualList";
import { LANGUAGES_WITH_UNKNOWN } from "../../lib/choices";
import { formatWhenCompact } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { STATUSES } from "../../lib/status";
import { useDebounced } from "../../lib/useDebounced";
import { CHAT_ROW_HEIGHT, ChatListRow } from "./ChatListRow";
import { snippetParts } from "./chatText";
import type { ChatListFilter } from "./inboxQueries";
import { NewChatForm } from "./NewChatForm";

type Props = {
  rows: ChatRow[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  filter: ChatListFilter;
  onFilter: (f: ChatListFilter) => void;
  selectedId: string | null;
  onOpen: (id: string) => void;
  onOpenHit: (hit: MessageHit) => void;
  onStarted: (m: Message) => void;
};

/** Message search starts at this many characters. */
const MIN_SEARCH = 2;

export function ChatList({ rows, loading, error, hasMore, loadMore, filter, onFilter, selectedId, onOpen, onOpenHit, onStarted }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(filter.search);
  const debounced = useDebounced(text.trim(), 250);
  const [creating, setCreating] = useState(false);
  const [scrollTo, setScrollTo] = useState<number | undefined>(undefined);

  useEffect(() => {
    if (debounced !== filter.search) onFilter({ ...filter, search: debounced });
    // Only a new debounced text changes the filter.
  }, [debounced]);

  const hits = useQuery({
    queryKey: keys.messageSearch(debounced),
    queryFn: () => ipc.messageSearch(debounced),
    enabled: debounced.length >= MIN_SEARCH,
  });

  const move = (e: KeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const target = e.target as HTMLElement;
    if (target.tagName === "SELECT" || target.tagName === "TEXTAREA" || target.closest(".new-chat")) return;
    if (rows.length === 0) return;
    e.preventDefault();
    const at = rows.findIndex((r) => r.id === selectedId);
    const next = at < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)));
    setScrollTo(next);
    onOpen(rows[next].id);
  };

  const filtered = Boolean(filter.search || filter.status || filter.language || filter.unread_only);
  const searching = debounced.length >= MIN_SEARCH;

  return (
    <div className="chat-list" onKeyDown={move}>
      <div className="chat-list-tools">
        <input
          id="chat-search"
          type="search"
          data-testid="chat-search"
          dir="auto"
          placeholder={t("inbox.search")}
          aria-label={t("inbox.search")}
          title={t("inbox.searchHint")}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="chat-filters">
          <select
            data-testid="chat-filter-status"
            aria-label={t("clients.colStatus")}
            value={filter.status ?? ""}
            onChange={(e) => onFilter({ ...filter, status: (e.target.value || undefined) as FunnelStatus | undefined })}
          >
            <option value="">{t("inbox.anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
          <select
            data-testid="chat-filter-language"
            aria-label={t("clients.colLanguage")}
            value={filter.language ?? ""}
            onChange={(e) => onFilter({ ...filter, language: (e.target.value || undefined) as Language | undefined })}
          >
            <option value="">{t("inbox.anyLanguage")}</option>
            {LANGUAGES_WITH_UNKNOWN.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="chat-filters">
          <label className="toggle small">
            <input
              type="checkbox"
              data-testid="chat-filter-unread"
              checked={filter.unread_only}
              onChange={(e) => onFilter({ ...filter, unread_only: e.target.checked })}
            />
            {t("inbox.unreadOnly")}
          </label>
          <button type="button" className="primary small chat-new" data-testid="chat-new" title={t("inbox.newChat")} onClick={() => setCreating(true)}>
            + {t("inbox.newChatShort")}
          </button>
        </div>
        {creating && (
          <NewChatForm
            onCancel={() => setCreating(false)}
            onDone={(m) => {
              setCreating(false);
              onStarted(m);
            }}
          />
        )}
      </div>
      {error !== null && error !== undefined && <ErrorMessage error={error} />}
      {searching && <h3 className="chat-list-heading">{t("inbox.chats")}</h3>}
      {rows.length === 0 && !loading ? (
        <div className="empty small" data-testid="chat-empty">
          {filtered ? (
            t("inbox.noMatches")
          ) : (
            <>
              <p>{t("inbox.noChats")}</p>
              <Link to="/whatsapp">{t("inbox.connectLink")}</Link>
              <br />
              <Link to="/import" data-testid="inbox-import-link">{t("inbox.importLink")}</Link>
            </>
          )}
        </div>
      ) : (
        <VirtualList
          className="chat-rows"
          testId="chat-rows"
          ariaLabel={t("inbox.chats")}
          count={rows.length}
          rowHeight={CHAT_ROW_HEIGHT}
          rowKey={(i) => rows[i].id}
          renderRow={(i) => <ChatListRow row={rows[i]} selected={rows[i].id === selectedId} onOpen={onOpen} />}
          scrollToIndex={scrollTo}
          onEndReached={hasMore ? loadMore : undefined}
        />
      )}
      {searching && <MessageHits hits={hits.data} error={hits.error} loading={hits.isFetching} onOpen={onOpenHit} />}
    </div>
  );
}

function MessageHits({ hits, error, loading, onOpen }: { hits: MessageHit[] | undefined; error: unknown; loading: boolean; onOpen: (h: MessageHit) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="message-hits" data-testid="message-hits">
      <h3 className="chat-list-heading">{t("inbox.messages")}</h3>
      {error !== null && error !== undefined && <ErrorMessage error={error} />}
      {hits && hits.length === 0 && !loading && <p className="muted small hits-empty">{t("inbox.noMessageHits")}</p>}
      <ul>
        {(hits ?? []).map((h) => (
          <li key={h.message.id}>
            <button type="button" className="hit-row" data-testid="message-hit" data-chat-id={h.chat_id} onClick={() => onOpen(h)}>
              <span className="chat-row-line">
                <bdi className="chat-title" dir="auto">
                  {h.chat_title}
                </bdi>
                <span className="chat-time">{formatWhenCompact(h.message.sent_at, i18n.language)}</span>
              </span>
              <span className="hit-snippet" dir="auto">
                {snippetParts(h.snippet).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

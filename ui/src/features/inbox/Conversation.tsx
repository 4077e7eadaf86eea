// The open chat: messages oldest at the top and newest at the bottom in a windowed list (a chat
// of any length keeps a few pages in memory and only the rows in view in the DOM), older and
// newer windows read from the core on scrolling, day separators, "jump to the newest", a message
// opened from search scrolled to, and the composer. Opening it marks the chat read. Client
// messages in another language are shown translated, with a per-chat toggle to the originals.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Message } from "../../bindings/Message";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { VirtualFeed, type VirtualFeedHandle } from "../../components/VirtualFeed";
import { errorSentence } from "../../lib/errors";
import { formatDay } from "../../lib/format";
import { ipc, toAppError } from "../../lib/ipc";
import { invalidateInbox, keys } from "../../lib/queries";
import { chatTitle } from "./chatText";
import { Composer } from "./Composer";
import { orderMessages, useChatWindow } from "./inboxQueries";
import { MessageBubble } from "./MessageBubble";
import { isForeign, storedView, storeView, useManagerLanguage, type TranslationView } from "./translation";

export function Conversation({ chat, focusMessageId }: { chat: ChatRow; focusMessageId?: string | null }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const navigate = useNavigate();
  const query = useChatWindow(chat.id, focusMessageId ?? null);
  const messages = useMemo(() => orderMessages(query.data?.pages), [query.data]);
  const rowKeys = useMemo(() => messages.map((m) => m.id), [messages]);
  const byWaId = useMemo(() => new Map(messages.filter((m) => m.wa_message_id).map((m) => [m.wa_message_id as string, m])), [messages]);
  const list = useRef<VirtualFeedHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const focused = useRef<string | null>(null);
  const managerLanguage = useManagerLanguage();
  const [view, setView] = useState<TranslationView>(() => storedView(chat.id));
  const switchView = () => {
    const next: TranslationView = view === "translations" ? "originals" : "translations";
    storeView(chat.id, next);
    setView(next);
  };
  const foreign =
    managerLanguage !== null &&
    ((!!chat.client_language && chat.client_language !== "unknown" && chat.client_language !== managerLanguage) ||
      messages.some((m) => isForeign(m, managerLanguage)));

  // Read on open, and again when a new incoming message arrives while the manager looks at it
  // (or when the window gets the focus back).
  const newestIn = messages.reduce<number | null>((n, m) => (m.direction === "in" && (n === null || m.seq > n) ? m.seq : n), null);
  const readUpTo = useRef<number | null | undefined>(undefined);
  useEffect(() => {
    const markRead = () => {
      if (readUpTo.current !== undefined && readUpTo.current === newestIn) return;
      readUpTo.current = newestIn;
      ipc
        .chatMarkRead(chat.id)
        .then(() => void qc.invalidateQueries({ queryKey: keys.chats }))
        .catch(() => undefined);
    };
    if (readUpTo.current === undefined || document.hasFocus()) markRead();
    window.addEventListener("focus", markRead);
    return () => window.removeEventListener("focus", markRead);
  }, [chat.id, newestIn, qc]);

  // A message opened from search is scrolled to as soon as its window has arrived.
  useEffect(() => {
    if (!focusMessageId || focused.current === focusMessageId) return;
    focused.current = focusMessageId;
    list.current?.scrollToKey(focusMessageId);
  }, [focusMessageId]);

  const loadOlder = () => {
    if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  };
  const loadNewer = () => {
    if (query.hasPreviousPage && !query.isFetchingPreviousPage) void query.fetchPreviousPage();
  };
  // The window may end before the newest message (opened from search, or scrolled far back):
  // then the newest window is read, which opens at the bottom.
  const jumpToNewest = () => {
    if (query.hasPreviousPage || focusMessageId) {
      focused.current = null;
      navigate(`/inbox/${chat.id}`, { replace: true });
    }
    list.current?.scrollToBottom();
  };
  const showJump = messages.length > 0 && (!atBottom || Boolean(query.hasPreviousPage));

  const act = useMutation({
    mutationFn: ({ m, how }: { m: Message; how: "retry" | "markSent" }) => (how === "retry" ? ipc.messageRetry(m.id) : ipc.messageMarkSent(m.id)),
    onSuccess: (_, { how }) => notice({ text: t(how === "retry" ? "message.retried" : "message.markedSent") }),
    onError: (e) => notice({ text: errorSentence(toAppError(e), t) }),
    onSettled: () => {
      invalidateInbox(qc, chat.id);
      void qc.invalidateQueries({ queryKey: keys.waStatus });
    },
  });

  const jumpTo = (m: Message) => list.current?.scrollToKey(m.id);

  const group = chat.kind !== "one_to_one";
  const phone = chat.client_phone;

  return (
    <div className="conversation-pane">
      <header className="conversation-head">
        <bdi className="conversation-title" dir="auto" data-testid="conversation-title">
          {chatTitle(chat)}
        </bdi>
        {phone && (
          <span className="mono muted" dir="ltr">
            {phone}
          </span>
        )}
        {chat.partner_name && (
          <span className="partner-mark">
            ⚑ <bdi dir="auto">{chat.partner_name}</bdi>
          </span>
        )}
        {foreign && (
          <button
            type="button"
            className="small translation-toggle"
            data-testid="translation-toggle"
            data-view={view}
            aria-pressed={view === "originals"}
            title={t("translator.toggleHint")}
            onClick={switchView}
          >
            {view === "translations" ? t("translator.showOriginals") : t("translator.showTranslations")}
          </button>
        )}
      </header>
      <div className="conversation-body">
        {query.isFetchingNextPage && <div className="conversation-loading muted small">{t("inbox.loadingOlder")}</div>}
        {query.error && <ErrorMessage error={query.error} />}
        {query.isSuccess && messages.length === 0 && <div className="empty">{t("inbox.noMessages")}</div>}
        <VirtualFeed
          ref={list}
          keys={rowKeys}
          className="conversation"
          testId="conversation"
          ariaLabel={chatTitle(chat)}
          onTopReached={loadOlder}
          onBottomReached={loadNewer}
          onAtBottom={setAtBottom}
          renderRow={(i) => {
            const m = messages[i];
            const day = formatDay(m.sent_at, i18n.language);
            const newDay = i === 0 || formatDay(messages[i - 1].sent_at, i18n.language) !== day;
            return (
              <div className="conversation-row">
                {newDay && (
                  <div className="day-separator">
                    <span>{day}</span>
                  </div>
                )}
                <MessageBubble
                  message={m}
                  quoted={m.quoted_wa_message_id ? byWaId.get(m.quoted_wa_message_id) ?? null : undefined}
                  showAuthor={group && m.direction === "in"}
                  highlighted={m.id === focusMessageId}
                  busy={act.isPending}
                  onRetry={(msg) => act.mutate({ m: msg, how: "retry" })}
                  onMarkSent={(msg) => act.mutate({ m: msg, how: "markSent" })}
                  onQuoteClick={jumpTo}
                  managerLanguage={managerLanguage}
                  translationView={view}
                />
              </div>
            );
          }}
        />
        {showJump && (
          <button type="button" className="jump-newest" data-testid="jump-newest" title={t("inbox.jumpNewest")} aria-label={t("inbox.jumpNewest")} onClick={jumpToNewest}>
            ↓
          </button>
        )}
      </div>
      <Composer key={chat.id} chatId={chat.id} clientLanguage={chat.client_language ?? null} managerLanguage={managerLanguage} />
    </div>
  );
}

// The open chat: messages oldest at the top and newest at the bottom, older pages loaded on
// scrolling up, day separators, and the composer. Opening it marks the chat read. Client
// messages in another language are shown translated, with a per-chat toggle to the originals.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Message } from "../../bindings/Message";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { errorSentence } from "../../lib/errors";
import { formatDay } from "../../lib/format";
import { ipc, toAppError } from "../../lib/ipc";
import { invalidateInbox, keys } from "../../lib/queries";
import { chatTitle } from "./chatText";
import { Composer } from "./Composer";
import { orderMessages, useChatMessages } from "./inboxQueries";
import { MessageBubble } from "./MessageBubble";
import { isForeign, storedView, storeView, useManagerLanguage, type TranslationView } from "./translation";

/** Older messages load when the view is this close to its top. */
const TOP_SLACK = 80;
/** Within this distance of the bottom, new messages keep the view at the bottom. */
const BOTTOM_SLACK = 120;
/** A message opened from search is looked for in at most this many pages. */
const MAX_SEEK_PAGES = 20;

/** The bubble of message `id` inside `root`. */
function messageElement(root: HTMLElement, id: string): HTMLElement | null {
  for (const el of root.querySelectorAll<HTMLElement>("[data-message-id]")) if (el.dataset.messageId === id) return el;
  return null;
}

export function Conversation({ chat, focusMessageId }: { chat: ChatRow; focusMessageId?: string | null }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const query = useChatMessages(chat.id);
  const messages = useMemo(() => orderMessages(query.data?.pages), [query.data]);
  const byWaId = useMemo(() => new Map(messages.filter((m) => m.wa_message_id).map((m) => [m.wa_message_id as string, m])), [messages]);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const shown = useRef<{ first: number | null; last: number | null; height: number }>({ first: null, last: null, height: 0 });
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

  // Keep the reading position: stick to the bottom for new messages, stay put when older ones
  // are added above, and jump to a message opened from search (loading older pages to reach it).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = messages.length ? messages[0].seq : null;
    const last = messages.length ? messages[messages.length - 1].seq : null;
    const before = shown.current;
    let jumped = false;
    if (focusMessageId && focused.current !== focusMessageId && messages.length) {
      const target = messageElement(el, focusMessageId);
      if (target) {
        focused.current = focusMessageId;
        target.scrollIntoView?.({ block: "center" });
        jumped = true;
      } else if (query.hasNextPage && !query.isFetchingNextPage && (query.data?.pages.length ?? 0) < MAX_SEEK_PAGES) {
        void query.fetchNextPage();
      }
    }
    if (!jumped) {
      if (before.first !== null && first !== null && first < before.first && last === before.last) {
        el.scrollTop += el.scrollHeight - before.height;
      } else if (last !== before.last && atBottom.current) {
        el.scrollTop = el.scrollHeight;
      }
    }
    shown.current = { first, last, height: el.scrollHeight };
  }, [messages, focusMessageId]);

  // The pane or its content changing size (composer hint, images loading) keeps a reader who
  // was at the bottom at the bottom.
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (!el || !content.current || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
    });
    ro.observe(el);
    ro.observe(content.current);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    if (el.scrollTop < TOP_SLACK && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  };

  const act = useMutation({
    mutationFn: ({ m, how }: { m: Message; how: "retry" | "markSent" }) => (how === "retry" ? ipc.messageRetry(m.id) : ipc.messageMarkSent(m.id)),
    onSuccess: (_, { how }) => notice({ text: t(how === "retry" ? "message.retried" : "message.markedSent") }),
    onError: (e) => notice({ text: errorSentence(toAppError(e), t) }),
    onSettled: () => {
      invalidateInbox(qc, chat.id);
      void qc.invalidateQueries({ queryKey: keys.waStatus });
    },
  });

  const jumpTo = (m: Message) => {
    const el = scroller.current ? messageElement(scroller.current, m.id) : null;
    el?.scrollIntoView?.({ block: "center", behavior: "smooth" });
  };

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
      <div className="conversation" data-testid="conversation" data-chat-id={chat.id} ref={scroller} onScroll={onScroll}>
        <div className="conversation-inner" ref={content}>
          {query.isFetchingNextPage && <div className="muted small center">{t("inbox.loadingOlder")}</div>}
          {query.hasNextPage && !query.isFetchingNextPage && (
            <div className="center">
              <button type="button" className="link-button small" data-testid="load-older" onClick={() => void query.fetchNextPage()}>
                {t("inbox.loadOlder")}
              </button>
            </div>
          )}
          {query.error && <ErrorMessage error={query.error} />}
          {query.isSuccess && messages.length === 0 && <div className="empty">{t("inbox.noMessages")}</div>}
          {messages.map((m, i) => {
            const day = formatDay(m.sent_at, i18n.language);
            const newDay = i === 0 || formatDay(messages[i - 1].sent_at, i18n.language) !== day;
            return (
              <Fragment key={m.id}>
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
              </Fragment>
            );
          })}
        </div>
      </div>
      <Composer key={chat.id} chatId={chat.id} clientLanguage={chat.client_language ?? null} managerLanguage={managerLanguage} />
    </div>
  );
}

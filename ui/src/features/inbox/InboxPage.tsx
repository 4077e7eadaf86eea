// The inbox: chat list | conversation | client panel, like WhatsApp Web; panes resizable and
// remembered. The open chat is in the URL (/inbox/:chatId, ?m=<message id> to jump to a message).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams, useSearchParams } from "react-router-dom";
import type { ChatRow } from "../../bindings/ChatRow";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { ChatList } from "./ChatList";
import { ClientPanel } from "./ClientPanel";
import { Conversation } from "./Conversation";
import { flattenChats, useChatList, type ChatListFilter } from "./inboxQueries";
import { PaneSplitter, usePaneWidth } from "./PaneSplitter";

/** The list's filter, kept while the manager visits other screens. */
let lastFilter: ChatListFilter = { unread_only: false, search: "" };

/** A stand-in row for a chat the list has not loaded (just started, or found by search). */
function stubRow(id: string, title: string, clientId?: string | null): ChatRow {
  return { id, wa_chat_id: "", kind: "one_to_one", client_id: clientId ?? null, title, last_message_seq: null, preview: "", unread: 0 };
}

export function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { chatId = null } = useParams();
  const [params] = useSearchParams();
  const focusMessageId = params.get("m");
  const [filter, setFilterState] = useState<ChatListFilter>(lastFilter);
  const setFilter = (f: ChatListFilter) => {
    lastFilter = f;
    setFilterState(f);
  };
  const list = useChatList(filter);
  const rows = useMemo(() => flattenChats(list.data?.pages), [list.data]);
  // Rows seen while the inbox is open, so an open chat keeps its header when a filter hides it.
  const seenChats = useRef(new Map<string, ChatRow>()).current;
  for (const r of rows) seenChats.set(r.id, r);
  const [listWidth, setListWidth] = usePaneWidth("tourdesk.inbox.listWidth", 330, 240, 560);
  const [panelWidth, setPanelWidth] = usePaneWidth("tourdesk.inbox.panelWidth", 320, 240, 560);
  const listRef = useRef(list);
  listRef.current = list;

  const listed = chatId ? rows.find((r) => r.id === chatId) ?? seenChats.get(chatId) : undefined;
  // A chat not in the loaded list (opened from a search hit, or just started) is read on its own.
  const single = useQuery({
    queryKey: [...keys.chats, "one", chatId ?? ""],
    queryFn: () => ipc.chatGet(chatId ?? ""),
    enabled: !!chatId && !listed,
  });
  const chat = chatId ? listed ?? single.data ?? stubRow(chatId, t("inbox.chat")) : null;

  // Esc closes the open chat.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && chatId && !document.querySelector(".modal")) navigate("/inbox");
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [chatId, navigate]);

  const open = (id: string, messageId?: string) => navigate(messageId ? `/inbox/${id}?m=${encodeURIComponent(messageId)}` : `/inbox/${id}`);

  return (
    <div className="inbox" data-testid="inbox">
      <h1 className="visually-hidden" data-testid="page-title">
        {t("inbox.title")}
      </h1>
      <div className="inbox-list" style={{ width: listWidth }}>
        <ChatList
          rows={rows}
          loading={list.isPending}
          error={list.error}
          hasMore={Boolean(list.hasNextPage)}
          loadMore={() => {
            const l = listRef.current;
            if (l.hasNextPage && !l.isFetchingNextPage) void l.fetchNextPage();
          }}
          filter={filter}
          onFilter={setFilter}
          selectedId={chatId}
          onOpen={(id) => open(id)}
          onOpenHit={(h) => {
            if (!seenChats.has(h.chat_id)) seenChats.set(h.chat_id, stubRow(h.chat_id, h.chat_title, h.client_id));
            open(h.chat_id, h.message.id);
          }}
          onStarted={(m) => open(m.chat_id)}
        />
      </div>
      <PaneSplitter width={listWidth} onWidth={setListWidth} side="left" label={t("inbox.resize")} />
      <section className="inbox-conversation">
        {chat ? (
          <Conversation key={chat.id} chat={chat} focusMessageId={focusMessageId} />
        ) : (
          <div className="empty" data-testid="inbox-pick">
            {t("inbox.pickChat")}
          </div>
        )}
      </section>
      <PaneSplitter width={panelWidth} onWidth={setPanelWidth} side="right" label={t("inbox.resize")} />
      <div className="inbox-panel" style={{ width: panelWidth }}>
        <ClientPanel chat={chat} />
      </div>
    </div>
  );
}

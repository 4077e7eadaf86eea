// The paged chat list and the paged conversation, plus putting a just-sent message on screen.
import { keepPreviousData, useInfiniteQuery, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { ChatFilter } from "../../bindings/ChatFilter";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Message } from "../../bindings/Message";
import type { MessagePage } from "../../bindings/MessagePage";
import type { MessageWindow } from "../../bindings/MessageWindow";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";

export const CHAT_PAGE = 50;
export const MESSAGE_PAGE = 50;
/** Pages of a chat kept loaded at once (older ones are read again when scrolled back to). */
export const MAX_PAGES = 6;

/** The list's filter without paging. */
export type ChatListFilter = Omit<ChatFilter, "before_seq" | "limit">;

export function useChatList(filter: ChatListFilter) {
  return useInfiniteQuery({
    queryKey: keys.chatList(filter),
    queryFn: ({ pageParam }) => ipc.chatList({ ...filter, limit: CHAT_PAGE, ...(pageParam === null ? {} : { before_seq: pageParam }) }),
    initialPageParam: null as number | null,
    getNextPageParam: (last: ChatRow[]) => {
      const seq = last.length < CHAT_PAGE ? null : last[last.length - 1].last_message_seq;
      return seq ?? undefined;
    },
  });
}

/** All loaded chat rows in list order, each chat once. */
export function flattenChats(pages: ChatRow[][] | undefined): ChatRow[] {
  const seen = new Set<string>();
  const rows: ChatRow[] = [];
  for (const page of pages ?? []) {
    for (const r of page) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      rows.push(r);
    }
  }
  return rows;
}

/** The part of a chat the conversation opens at: the newest messages, or a message from search. */
export function openingWindow(focusId: string | null): MessageWindow {
  return focusId ? { kind: "around", id: focusId } : { kind: "latest" };
}

/**
 * A chat read a window at a time: pages (newest page first) are added older on scrolling up
 * and newer on scrolling down; at most MAX_PAGES stay loaded, so a chat of any length holds a
 * few hundred messages in memory.
 */
export function useChatWindow(chatId: string, focusId: string | null) {
  return useInfiniteQuery({
    queryKey: keys.chatWindow(chatId, focusId),
    queryFn: ({ pageParam }) => ipc.chatWindow(chatId, pageParam, MESSAGE_PAGE),
    initialPageParam: openingWindow(focusId),
    getNextPageParam: (last: MessagePage): MessageWindow | undefined =>
      last.older && last.messages.length ? { kind: "before", seq: last.messages[last.messages.length - 1].seq } : undefined,
    getPreviousPageParam: (first: MessagePage): MessageWindow | undefined =>
      first.newer && first.messages.length ? { kind: "after", seq: first.messages[0].seq } : undefined,
    maxPages: MAX_PAGES,
    placeholderData: keepPreviousData,
  });
}

/** Pages arrive newest first; the conversation shows them oldest first, each message once. */
export function orderMessages(pages: MessagePage[] | undefined): Message[] {
  const byId = new Map<string, Message>();
  for (const page of pages ?? []) for (const m of page.messages) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Cached windows of a chat, for updates made before the refetch. */
export type ChatWindowData = InfiniteData<MessagePage, MessageWindow>;

/** Puts a message the core just accepted into the open conversation before the refetch. */
export function addSentMessage(qc: QueryClient, message: Message): void {
  qc.setQueriesData<ChatWindowData>({ queryKey: keys.chatMessages(message.chat_id) }, (data) => {
    if (!data || data.pages.length === 0) return data;
    const [first, ...rest] = data.pages;
    // Only a window that reaches the newest message shows it.
    if (first.newer || first.messages.some((m) => m.id === message.id)) return data;
    return { ...data, pages: [{ ...first, messages: [message, ...first.messages] }, ...rest] };
  });
  void qc.invalidateQueries({ queryKey: keys.chatMessages(message.chat_id) });
  void qc.invalidateQueries({ queryKey: keys.chats });
}

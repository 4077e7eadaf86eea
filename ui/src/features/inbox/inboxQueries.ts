// The paged chat list and the paged conversation, plus putting a just-sent message on screen.
import { useInfiniteQuery, type InfiniteData, type QueryClient } from "@tanstack/react-query";
import type { ChatFilter } from "../../bindings/ChatFilter";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Message } from "../../bindings/Message";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";

export const CHAT_PAGE = 50;
export const MESSAGE_PAGE = 50;

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

export function useChatMessages(chatId: string) {
  return useInfiniteQuery({
    queryKey: keys.chatMessages(chatId),
    queryFn: ({ pageParam }) => ipc.chatMessages(chatId, pageParam, MESSAGE_PAGE),
    initialPageParam: null as number | null,
    getNextPageParam: (last: Message[]) => (last.length < MESSAGE_PAGE ? undefined : Math.min(...last.map((m) => m.seq))),
  });
}

/** Pages arrive newest first; the conversation shows them oldest first, each message once. */
export function orderMessages(pages: Message[][] | undefined): Message[] {
  const byId = new Map<string, Message>();
  for (const page of pages ?? []) for (const m of page) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Puts a message the core just accepted into the open conversation before the refetch. */
export function addSentMessage(qc: QueryClient, message: Message): void {
  qc.setQueryData<InfiniteData<Message[], number | null>>(keys.chatMessages(message.chat_id), (data) => {
    if (!data || data.pages.length === 0) return data;
    const [first, ...rest] = data.pages;
    if (first.some((m) => m.id === message.id)) return data;
    return { ...data, pages: [[message, ...first], ...rest] };
  });
  void qc.invalidateQueries({ queryKey: keys.chatMessages(message.chat_id) });
  void qc.invalidateQueries({ queryKey: keys.chats });
}

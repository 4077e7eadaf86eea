// Query keys and the shared look-up queries (users, tours, partners, WhatsApp state, unread).
import { useQuery, type QueryClient } from "@tanstack/react-query";
import { ipc } from "./ipc";

export const keys = {
  clients: ["clients"] as const,
  client: (id: string) => ["client", id] as const,
  board: ["board"] as const,
  users: ["users"] as const,
  tours: ["tours"] as const,
  partners: ["partners"] as const,
  settings: ["settings"] as const,
  backups: ["backups"] as const,
  dataDir: ["dataDir"] as const,
  aiSettings: ["aiSettings"] as const,
  aiStatus: ["aiStatus"] as const,
  aiUsage: ["aiUsage"] as const,
  aiLanguage: ["aiLanguage"] as const,
  /** Every chat list page set; the filter follows as the third element. */
  chats: ["chats"] as const,
  chatList: (filter: unknown) => ["chats", "list", filter] as const,
  /** The total of unread messages (the Inbox badge and the window title). */
  unreadTotal: ["chats", "unread"] as const,
  messages: ["messages"] as const,
  /** Every cached window of a chat (the prefix of `chatWindow`). */
  chatMessages: (chatId: string) => ["messages", chatId] as const,
  /** A chat opened at its newest messages or at a message from search. */
  chatWindow: (chatId: string, focusId: string | null) => ["messages", chatId, focusId ?? "latest"] as const,
  messageSearch: (text: string) => ["messageSearch", text] as const,
  media: (messageId: string) => ["media", messageId] as const,
  waStatus: ["waStatus"] as const,
  waSettings: ["waSettings"] as const,
  /** Import batches: the list, one batch, the WhatsApp chats offered for a fetch. */
  imports: ["imports"] as const,
  importBatches: ["imports", "list"] as const,
  importBatch: (id: string) => ["imports", "batch", id] as const,
  importWaChats: ["imports", "waChats"] as const,
};

export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: ipc.userList });
export const useTours = () => useQuery({ queryKey: keys.tours, queryFn: ipc.tourList });
export const usePartners = () => useQuery({ queryKey: keys.partners, queryFn: ipc.partnerList });
/** The WhatsApp connection; kept fresh by the "wa:state_changed" event (polled as a safety net). */
export const useWaStatus = () =>
  useQuery({ queryKey: keys.waStatus, queryFn: ipc.waStatus, staleTime: 30_000, refetchInterval: 60_000 });

/** Unread messages over all chats (counted by the core). */
export const useUnreadTotal = () => useQuery({ queryKey: keys.unreadTotal, queryFn: ipc.chatUnreadTotal });

/** Everything that shows clients is stale after a client changes. */
export function invalidateClients(qc: QueryClient, id?: string) {
  void qc.invalidateQueries({ queryKey: keys.clients });
  void qc.invalidateQueries({ queryKey: keys.board });
  if (id) void qc.invalidateQueries({ queryKey: keys.client(id) });
  // Chat rows carry the client's name, status and language.
  void qc.invalidateQueries({ queryKey: keys.chats });
}

/** The chat list (and unread total) and, for one chat or all, the open conversation are stale. */
export function invalidateInbox(qc: QueryClient, chatId?: string | null) {
  void qc.invalidateQueries({ queryKey: keys.chats });
  void qc.invalidateQueries({ queryKey: chatId ? keys.chatMessages(chatId) : keys.messages });
}

// Query keys and the shared look-up queries (users, tours, partners).
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
};

export const useUsers = () => useQuery({ queryKey: keys.users, queryFn: ipc.userList });
export const useTours = () => useQuery({ queryKey: keys.tours, queryFn: ipc.tourList });
export const usePartners = () => useQuery({ queryKey: keys.partners, queryFn: ipc.partnerList });

/** Everything that shows clients is stale after a client changes. */
export function invalidateClients(qc: QueryClient, id?: string) {
  void qc.invalidateQueries({ queryKey: keys.clients });
  void qc.invalidateQueries({ queryKey: keys.board });
  if (id) void qc.invalidateQueries({ queryKey: keys.client(id) });
}

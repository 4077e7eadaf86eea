// The signed-in session as the UI knows it, and signing out (which locks the app).
import { createContext, useContext } from "react";
import type { Session } from "../../bindings/Session";

export type SessionApi = {
  session: Session;
  signOut: () => Promise<void>;
};

export const SessionContext = createContext<SessionApi | null>(null);

/** The current session; only used below the signed-in shell. */
export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside the signed-in shell");
  return s;
}

/** True when the signed-in user is an admin. */
export function useIsAdmin(): boolean {
  return useSession().session.user.role === "admin";
}

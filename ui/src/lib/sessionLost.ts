// Lets the data layer tell the app that the core no longer has a signed-in session.
import { isAppError } from "./ipc";

const EVENT = "tourdesk:session-lost";

/** Called with any failed query or mutation; only "not signed in" and "deactivated" matter. */
export function reportSessionLost(error: unknown): void {
  if (isAppError(error) && (error.code === "not_signed_in" || error.code === "user_inactive")) window.dispatchEvent(new Event(EVENT));
}

/** Subscribes to lost sessions; returns the unsubscribe function. */
export function onSessionLost(handler: () => void): () => void {
  window.addEventListener(EVENT, handler);
  return () => window.removeEventListener(EVENT, handler);
}

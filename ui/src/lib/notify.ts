// OS notifications through the Web Notification API, and the unread count in the window title.
// Both are best-effort: where notifications are missing or refused, nothing happens.

/** Asks once for permission to notify (only while it is still undecided). */
export function askNotifyPermission(): void {
  const N = typeof window !== "undefined" ? window.Notification : undefined;
  if (!N || N.permission !== "default") return;
  try {
    void Promise.resolve(N.requestPermission()).catch(() => undefined);
  } catch {
    // Some webviews throw instead of rejecting.
  }
}

/** Shows an OS notification; `onClick` runs when the manager clicks it. */
export function notify(title: string, body: string, onClick?: () => void): void {
  const N = typeof window !== "undefined" ? window.Notification : undefined;
  if (!N) return;
  if (N.permission === "default") {
    askNotifyPermission();
    return;
  }
  if (N.permission !== "granted") return;
  try {
    const n = new N(title, { body });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
  } catch {
    // A notification that cannot be shown is not an error worth showing.
  }
}

/** "(3) Tourdesk" while messages are unread, else just "Tourdesk". */
export function titleWithUnread(appName: string, unread: number): string {
  return unread > 0 ? `(${unread}) ${appName}` : appName;
}

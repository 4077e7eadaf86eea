// OS notifications (the Tauri notification plugin in the app, the Web Notification API in a plain
// browser), and the unread count in the window title. Both are best-effort: where notifications
// are missing or refused, nothing happens.
import { isTauri } from "@tauri-apps/api/core";
import {
  isPermissionGranted,
  requestPermission,
  sendNotification,
} from "@tauri-apps/plugin-notification";

/** Sends through the OS notification service of the desktop app; false outside the app. */
function notifyNative(title: string, body: string): boolean {
  if (!isTauri()) return false;
  void (async () => {
    try {
      let granted = await isPermissionGranted();
      if (!granted) granted = (await requestPermission()) === "granted";
      if (granted) sendNotification({ title, body });
    } catch {
      // No notification service (e.g. a bare X session): the unread badge still shows.
    }
  })();
  return true;
}

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
  if (notifyNative(title, body)) return;
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

// Events pushed by the core: WhatsApp state changes and inbox changes. One hook, mounted once in
// the shell, turns them into fresh queries, OS notifications and the window title. `subscribe`
// is also used on its own (the import wizard follows "import:progress").
import { isTauri } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import type { InboxChange } from "../bindings/InboxChange";
import type { WaStatus } from "../bindings/WaStatus";
import { askNotifyPermission, notify, titleWithUnread } from "./notify";
import { invalidateInbox, keys, useUnreadTotal } from "./queries";

export const WA_STATE_EVENT = "wa:state_changed";
export const INBOX_EVENT = "inbox:changed";
/** Progress of a WhatsApp history fetch (payload: ImportProgress). */
export const IMPORT_PROGRESS_EVENT = "import:progress";

/** True inside the Tauri window (false in tests and a plain browser). */
function inTauri(): boolean {
  try {
    return isTauri();
  } catch {
    return false;
  }
}

/** Subscribes to `name` when running inside Tauri; returns the unsubscribe function. */
export function subscribe<T>(name: string, handler: (payload: T) => void): () => void {
  if (!inTauri()) return () => {};
  let stopped = false;
  let unlisten: UnlistenFn | null = null;
  listen<T>(name, (e) => handler(e.payload))
    .then((u) => {
      if (stopped) u();
      else unlisten = u;
    })
    .catch(() => undefined);
  return () => {
    stopped = true;
    unlisten?.();
  };
}

export function useBackendEvents(): void {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  // Handlers read the latest translator and router without re-subscribing.
  const latest = useRef({ t, navigate });
  latest.current = { t, navigate };

  useEffect(() => {
    askNotifyPermission();
    const offState = subscribe<WaStatus>(WA_STATE_EVENT, (status) => {
      const before = qc.getQueryData<WaStatus>(keys.waStatus);
      qc.setQueryData(keys.waStatus, status);
      // Coming back to ready brings backfilled history.
      if (status.state.state === "ready" && before?.state.state !== "ready") invalidateInbox(qc);
    });
    const offInbox = subscribe<InboxChange>(INBOX_EVENT, (p) => {
      invalidateInbox(qc, p.chat_id);
      // Queue counts follow sends and acks.
      void qc.invalidateQueries({ queryKey: keys.waStatus });
      if (p.incoming && !document.hasFocus()) {
        const { t: tr, navigate: go } = latest.current;
        notify(p.title || tr("inbox.newMessage"), p.preview ?? "", () => go(p.chat_id ? `/inbox/${p.chat_id}` : "/inbox"));
      }
    });
    return () => {
      offState();
      offInbox();
    };
  }, [qc]);

  // The window title carries the unread count.
  const unread = useUnreadTotal();
  const appName = t("app.name");
  useEffect(() => {
    const title = titleWithUnread(appName, unread.data ?? 0);
    document.title = title;
    // The native window title does not follow the page's; it needs `core:window:allow-set-title`.
    if (inTauri()) {
      try {
        void getCurrentWindow().setTitle(title).catch(() => undefined);
      } catch {
        // No window handle (e.g. in a test); the page title is enough.
      }
    }
  }, [appName, unread.data]);
}

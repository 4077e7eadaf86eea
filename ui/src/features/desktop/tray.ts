// The tray's labels, unread count and tooltip in the user's language, sent to the shell
// whenever one of them changes.
import type { TFunction } from "i18next";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { TrayView } from "../../bindings/TrayView";
import type { WaStatus } from "../../bindings/WaStatus";
import { ipc } from "../../lib/ipc";
import { waBadgeText } from "../whatsapp/waState";

/** The tray view for this unread count and WhatsApp status (null: not signed in). */
export function trayView(t: TFunction, lang: string, unread: number, wa: WaStatus | null): TrayView {
  return {
    open_label: t("desktop.tray.open"),
    whatsapp_label: wa ? waBadgeText(wa, t, lang) : t("desktop.tray.whatsappSignedOut"),
    quit_label: t("desktop.tray.quit"),
    unread,
    tooltip: unread > 0 ? t("desktop.tray.tooltipUnread", { count: unread }) : t("app.name"),
  };
}

/** Keeps the tray in step with the page. */
export function useTraySync(unread: number, wa: WaStatus | null): void {
  const { t, i18n } = useTranslation();
  const view = trayView(t, i18n.language, unread, wa);
  const key = JSON.stringify(view);
  useEffect(() => {
    ipc.desktopTrayUpdate(JSON.parse(key) as TrayView).catch(() => undefined);
  }, [key]);
}

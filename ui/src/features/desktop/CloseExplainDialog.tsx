// The first time the window is closed: Tourdesk says it keeps running in the tray so WhatsApp
// stays connected, and asks whether to keep doing that or to quit. Asked once; the settings page
// changes the answer later.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "../../components/ErrorMessage";
import { subscribe } from "../../lib/events";
import { ipc } from "../../lib/ipc";

/** Sent by the shell when the window is closed for the first time. */
export const CLOSE_EXPLAIN_EVENT = "desktop:close_requested";

export function CloseExplainDialog() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => subscribe<null>(CLOSE_EXPLAIN_EVENT, () => setOpen(true)), []);
  if (!open) return null;
  const choose = (keep: boolean) => {
    ipc.desktopCloseChoice(keep).then(
      () => setOpen(false),
      (e) => setError(e),
    );
  };
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="close-explain-title" data-testid="close-explain-dialog">
        <header className="modal-head">
          <h2 id="close-explain-title">{t("desktop.close.title")}</h2>
        </header>
        <div className="update-body">
          <p>{t("desktop.close.lead")}</p>
          <p className="muted small">{t("desktop.close.later")}</p>
          {error != null && <ErrorMessage error={error} />}
        </div>
        <footer className="modal-foot">
          <button type="button" data-testid="close-quit" onClick={() => choose(false)}>
            {t("desktop.close.quit")}
          </button>
          <button type="button" className="primary" data-testid="close-keep" onClick={() => choose(true)}>
            {t("desktop.close.keep")}
          </button>
        </footer>
      </div>
    </div>
  );
}

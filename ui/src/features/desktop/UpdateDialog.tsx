// The update dialog: "version X is available" with its notes, then the download with a progress
// bar, the install and the restart; a refusal shows the package manager command to run by hand.
import { useTranslation } from "react-i18next";
import type { UpdateState } from "../../bindings/UpdateState";
import { progressPercent, updateFailureText } from "./updateState";

type Props = {
  state: UpdateState;
  onInstall: () => void;
  onLater: () => void;
  onClose: () => void;
};

export function UpdateDialog({ state, onInstall, onLater, onClose }: Props) {
  const { t } = useTranslation();
  const working = state.state === "downloading" || state.state === "installing" || state.state === "installed";
  return (
    <div className="modal-backdrop">
      <div className="modal update-dialog" role="dialog" aria-modal="true" aria-labelledby="update-title" data-testid="update-dialog" data-state={state.state}>
        <header className="modal-head">
          <h2 id="update-title">{t("desktop.update.title")}</h2>
          {!working && (
            <button type="button" className="icon-button" onClick={onClose} aria-label={t("common.close")}>
              ×
            </button>
          )}
        </header>
        <div className="update-body">
          <Body state={state} />
        </div>
        {!working && (
          <footer className="modal-foot">
            {state.state === "available" && (
              <>
                <button type="button" data-testid="update-later" onClick={onLater}>
                  {t("desktop.update.later")}
                </button>
                <button type="button" className="primary" data-testid="update-install" onClick={onInstall}>
                  {t("desktop.update.install")}
                </button>
              </>
            )}
            {state.state !== "available" && (
              <button type="button" data-testid="update-close" onClick={onClose}>
                {t("common.close")}
              </button>
            )}
          </footer>
        )}
      </div>
    </div>
  );
}

function Body({ state }: { state: UpdateState }) {
  const { t } = useTranslation();
  switch (state.state) {
    case "available":
      return (
        <>
          <p className="strong" data-testid="update-version">
            {t("desktop.update.available", { version: state.version })}
          </p>
          <p className="muted small">{t("desktop.update.current", { version: state.current })}</p>
          {state.notes && (
            <>
              <h3 className="update-notes-title">{t("desktop.update.notes")}</h3>
              <div className="update-notes" dir="auto" data-testid="update-notes">
                {state.notes}
              </div>
            </>
          )}
          <p className="field-hint">{t("desktop.update.backupHint")}</p>
        </>
      );
    case "downloading": {
      const pct = progressPercent(state);
      return (
        <>
          <p>{t("desktop.update.downloading", { version: state.version })}</p>
          <progress data-testid="update-progress" max={100} value={pct ?? undefined} aria-label={t("desktop.update.downloading", { version: state.version })} />
          <p className="muted small" data-testid="update-progress-text">
            {pct == null ? t("desktop.update.receivedUnknown", { mb: mb(state.received) }) : t("desktop.update.received", { pct, mb: mb(state.received), total: mb(state.total ?? 0) })}
          </p>
        </>
      );
    }
    case "installing":
      return <p data-testid="update-installing">{t("desktop.update.installing", { version: state.version })}</p>;
    case "installed":
      return <p data-testid="update-installed">{t("desktop.update.installed", { version: state.version })}</p>;
    case "failed":
      return (
        <>
          <p className="error-text" role="alert" data-testid="update-error" data-failure={state.failure}>
            {updateFailureText(state.failure, t)}
          </p>
          {state.command && (
            <>
              <p>{t("desktop.update.byHand")}</p>
              <pre className="update-command" dir="ltr" data-testid="update-command">
                {state.command}
              </pre>
            </>
          )}
          <p className="muted small">{t("desktop.update.keepsWorking")}</p>
          <details>
            <summary className="muted small">{t("desktop.update.detail")}</summary>
            <code className="small" dir="ltr">
              {state.detail}
            </code>
          </details>
        </>
      );
    case "up_to_date":
      return <p data-testid="update-uptodate">{t("desktop.update.upToDate", { version: state.current })}</p>;
    case "checking":
      return <p>{t("desktop.update.checking")}</p>;
    default:
      return null;
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

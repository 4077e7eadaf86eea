// The screen shown when the data folder did not open: what happened, in the UI language, and
// the choices that fit (restore a listed backup, try again, another folder, show it, quit).
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { BackupSummary } from "../../bindings/BackupSummary";
import type { RecoveryState } from "../../bindings/RecoveryState";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatBytes, formatDateTime } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { AuthLayout } from "../auth/AuthLayout";
import { problemKey } from "./recovery";

/** `onOpened` runs once a folder opened (after a restore, a retry or another folder). */
export function RecoveryScreen({ state, onState, onOpened }: { state: RecoveryState; onState: (s: RecoveryState) => void; onOpened: () => void }) {
  const { t } = useTranslation();
  const [folder, setFolder] = useState("");
  const [details, setDetails] = useState(false);
  const after = (next: RecoveryState | null) => (next ? onState(next) : onOpened());
  const retry = useMutation({ mutationFn: ipc.recoveryRetry, onSuccess: after });
  const other = useMutation({ mutationFn: () => ipc.recoveryOpenFolder(folder), onSuccess: after });
  const show = useMutation({ mutationFn: ipc.recoveryShowFolder });
  const has = (a: RecoveryState["actions"][number]) => state.actions.includes(a);
  const error = retry.error ?? other.error ?? show.error;
  return (
    <AuthLayout>
      <div className="recovery" data-testid="recovery-screen" data-code={state.code}>
        <h1>{t("recovery.title")}</h1>
        <p data-testid="recovery-problem">{t(problemKey(state.code))}</p>
        <p className="muted small">
          {t("recovery.folder")}: <code dir="ltr">{state.data_dir}</code>{" "}
          <button type="button" className="link-button small" onClick={() => setDetails(!details)}>
            {details ? t("errors.hideDetails") : t("errors.details")}
          </button>
        </p>
        {details && <pre className="error-details" dir="ltr">{state.detail}</pre>}
        {has("restore") && <BackupList backups={state.backups} onRestored={onOpened} />}
        {error && <ErrorMessage error={error} linkable={false} />}
        <div className="recovery-actions">
          {has("retry") && (
            <button type="button" data-testid="recovery-retry" disabled={retry.isPending} onClick={() => retry.mutate()}>
              {t("recovery.retry")}
            </button>
          )}
          {has("show_folder") && (
            <button type="button" data-testid="recovery-show-folder" onClick={() => show.mutate()}>
              {t("recovery.showFolder")}
            </button>
          )}
          {has("quit") && (
            <button type="button" data-testid="recovery-quit" onClick={() => void ipc.recoveryQuit()}>
              {t("recovery.quit")}
            </button>
          )}
        </div>
        {has("other_folder") && (
          <form
            className="recovery-other"
            onSubmit={(e) => {
              e.preventDefault();
              if (folder.trim()) other.mutate();
            }}
          >
            <label>
              {t("recovery.otherFolder")}
              <input data-testid="recovery-folder-input" dir="ltr" value={folder} onChange={(e) => setFolder(e.target.value)} placeholder="/media/…/Tourdesk" />
            </label>
            <button type="submit" data-testid="recovery-open-folder" disabled={!folder.trim() || other.isPending}>
              {t("recovery.openFolder")}
            </button>
          </form>
        )}
      </div>
    </AuthLayout>
  );
}

function BackupList({ backups, onRestored }: { backups: BackupSummary[]; onRestored: () => void }) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  const restore = useMutation({ mutationFn: (name: string) => ipc.recoveryRestore(name), onSuccess: onRestored });
  return (
    <section className="recovery-backups">
      <h2>{t("recovery.backups")}</h2>
      <p className="muted small">{t("recovery.backupsLead")}</p>
      {restore.error && <ErrorMessage error={restore.error} linkable={false} />}
      <table className="table">
        <thead>
          <tr>
            <th>{t("recovery.takenAt")}</th>
            <th>{t("recovery.size")}</th>
            <th>{t("recovery.clients")}</th>
            <th>{t("recovery.messages")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {backups.map((b, i) => (
            <tr key={b.name} data-testid={`recovery-backup-${i}`} className={b.usable ? "" : "muted"}>
              <td>
                {formatDateTime(b.taken_at, i18n.language)} <span className="muted small">{t(`backupReason.${b.reason}`)}</span>
              </td>
              <td>{formatBytes(b.bytes, i18n.language)}</td>
              <td data-testid={`recovery-backup-${i}-clients`}>{b.clients ?? "—"}</td>
              <td data-testid={`recovery-backup-${i}-messages`}>{b.messages ?? "—"}</td>
              <td>
                {!b.usable ? (
                  <span className="muted small">{t("recovery.unusable")}</span>
                ) : confirming === b.name ? (
                  <button type="button" className="danger" data-testid="recovery-restore-confirm" disabled={restore.isPending} onClick={() => restore.mutate(b.name)}>
                    {restore.isPending ? t("recovery.restoring") : t("recovery.restoreConfirm")}
                  </button>
                ) : (
                  <button type="button" data-testid={`recovery-restore-${i}`} onClick={() => setConfirming(b.name)}>
                    {t("recovery.restore")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

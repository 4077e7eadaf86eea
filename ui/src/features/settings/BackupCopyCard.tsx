// The second backup folder (another disk): daily backups are copied there too (admins only).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { errorSentence } from "../../lib/errors";
import { ipc } from "../../lib/ipc";

const KEY = ["backupCopy"] as const;

export function BackupCopyCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const copy = useQuery({ queryKey: KEY, queryFn: ipc.backupCopyGet });
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (folder: string | null) => ipc.backupCopySet(folder),
    onSuccess: (c) => {
      qc.setQueryData(KEY, c);
      setDraft(null);
      notice({ text: t("settings.backupCopySaved") });
    },
  });
  const value = draft ?? copy.data?.folder ?? "";
  return (
    <div className="card">
      <h2 className="card-title">{t("settings.backupCopy")}</h2>
      <p className="muted small">{t("settings.backupCopyLead")}</p>
      {(copy.error || save.error) && <ErrorMessage error={copy.error ?? save.error} />}
      {copy.data?.last_error && (
        <p className="error" data-testid="backup-copy-failed">
          {t("settings.backupCopyFailed")} {errorSentence(copy.data.last_error, t)}
        </p>
      )}
      <form
        className="recovery-other"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(value.trim() ? value.trim() : null);
        }}
      >
        <input data-testid="backup-copy-folder" dir="ltr" value={value} placeholder={t("settings.backupCopyNone")} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" data-testid="backup-copy-save" disabled={save.isPending}>
          {t("settings.backupCopySave")}
        </button>
      </form>
    </div>
  );
}

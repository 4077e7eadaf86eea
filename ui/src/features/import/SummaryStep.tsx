// Step 3: what the commit added, links onward, and undoing the whole batch (which removes only
// what nobody has changed since, and says what it kept).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { invalidateClients, invalidateInbox, keys } from "../../lib/queries";
import type { ImportBatch } from "../../bindings/ImportBatch";
import type { ImportSummary } from "../../bindings/ImportSummary";
import type { UndoReport } from "../../bindings/UndoReport";
import { importNoteText } from "./importText";

const COUNTS: readonly { key: keyof ImportSummary; id: string; label: string; hint?: string }[] = [
  { key: "clients_created", id: "import-sum-created", label: "import.summary.created" },
  { key: "clients_merged", id: "import-sum-merged", label: "import.summary.merged" },
  { key: "messages_added", id: "import-sum-messages", label: "import.summary.messages" },
  { key: "duplicates_skipped", id: "import-sum-duplicates", label: "import.summary.duplicates", hint: "import.summary.duplicatesHint" },
  { key: "items_skipped", id: "import-sum-skipped", label: "import.summary.skipped" },
];

export function SummaryStep({ batch }: { batch: ImportBatch }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const undo = useMutation({
    mutationFn: () => ipc.importUndo(batch.id),
    onSuccess: () => {
      qc.setQueryData<ImportBatch>(keys.importBatch(batch.id), (b) => ({ ...(b ?? batch), status: "undone" }));
      void qc.invalidateQueries({ queryKey: keys.importBatches });
      invalidateClients(qc);
      invalidateInbox(qc);
    },
  });
  const s = batch.summary;
  const undone = batch.status === "undone";

  return (
    <div className="stack" data-testid="import-summary" data-status={batch.status}>
      <div className="card">
        <h2 className="card-title">{undone ? t("import.summary.titleUndone") : t("import.summary.title")}</h2>
        <p className="muted small">
          {t(`import.source.${batch.source}`)} · {formatDateTime(batch.created_at, i18n.language)}
        </p>
        {s ? (
          <dl className="import-counts">
            {COUNTS.map((c) => (
              <div key={c.key}>
                <dt>{t(c.label)}</dt>
                <dd className="num" data-testid={c.id}>
                  {s[c.key]}
                </dd>
                {c.hint && <dd className="small muted import-count-hint">{t(c.hint)}</dd>}
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">{t("import.summary.noSummary")}</p>
        )}
        {!undone && (
          <div className="form-actions">
            <Link to="/clients" data-testid="import-to-clients">
              {t("import.summary.toClients")} ›
            </Link>
            <Link to="/inbox" data-testid="import-to-inbox">
              {t("import.summary.toInbox")} ›
            </Link>
            <Link to="/import">{t("import.summary.another")}</Link>
          </div>
        )}
      </div>
      {undo.data || batch.undo ? (
        <UndoResult report={(undo.data ?? batch.undo)!} />
      ) : undone ? (
        <p className="muted" data-testid="import-undone">
          {t("import.summary.undoneBefore")}
        </p>
      ) : (
        <div className="card">
          <h2 className="card-title">{t("import.summary.undoTitle")}</h2>
          <p className="muted small">{t("import.summary.undoLead")}</p>
          {undo.error && <ErrorMessage error={undo.error} />}
          <div className="form-actions">
            <button type="button" className="danger" data-testid="import-undo" disabled={undo.isPending} onClick={() => undo.mutate()}>
              {undo.isPending ? t("import.summary.undoing") : t("import.summary.undo")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function UndoResult({ report }: { report: UndoReport }) {
  const { t } = useTranslation();
  return (
    <div className="card" data-testid="import-undo-report">
      <h2 className="card-title">{t("import.summary.undoDone")}</h2>
      <dl className="import-counts">
        <div>
          <dt>{t("import.summary.clientsRemoved")}</dt>
          <dd className="num" data-testid="import-undo-clients">
            {report.clients_removed}
          </dd>
        </div>
        <div>
          <dt>{t("import.summary.messagesRemoved")}</dt>
          <dd className="num" data-testid="import-undo-messages">
            {report.messages_removed}
          </dd>
        </div>
        <div>
          <dt>{t("import.summary.chatsRemoved")}</dt>
          <dd className="num" data-testid="import-undo-chats">
            {report.chats_removed ?? 0}
          </dd>
        </div>
      </dl>
      {report.kept.length > 0 ? (
        <>
          <p>{t("import.summary.keptLead")}</p>
          <ul className="import-kept" data-testid="import-kept">
            {report.kept.map((k, i) => (
              <li key={i} dir="auto" data-testid="import-kept-item">
                {importNoteText(k, t)}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">{t("import.summary.keptNone")}</p>
      )}
      <div className="form-actions">
        <Link to="/import">{t("import.summary.another")}</Link>
      </div>
    </div>
  );
}

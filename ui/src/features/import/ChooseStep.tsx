// Step 1: export files (dropped or picked) or chats fetched through the connected WhatsApp, and
// the list of previous imports.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import type { ErrorCode } from "../../bindings/ErrorCode";
import { useEffect, useMemo, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { formatBytes, formatDateTime } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { keys, useWaStatus } from "../../lib/queries";
import { fileProblem, loadOwnNames, parseOwnNames, readImportFile, saveOwnNames } from "./importFiles";
import { fileErrorSentence, phoneOfChatId, timestampToIso } from "./importText";
import type { ImportBatch } from "../../bindings/ImportBatch";
import { progressPercent, useWaJob, waJob, type WaJob } from "./waJob";

export function ChooseStep() {
  return (
    <>
      <div className="import-sources">
        <FilesSource />
        <WhatsAppSource />
      </div>
      <PreviousImports />
    </>
  );
}

type Picked = { key: string; file: File; problem: ErrorCode | null };

/** A file that FileReader could not read. */
class ReadFailure extends Error {
  constructor(readonly fileName: string) {
    super(`cannot read ${fileName}`);
  }
}

function FilesSource() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [files, setFiles] = useState<Picked[]>([]);
  const [ownNames, setOwnNames] = useState(loadOwnNames);
  const [dragging, setDragging] = useState(false);

  const add = (list: FileList | null) => {
    if (!list) return;
    const incoming = Array.from(list);
    setFiles((prev) => {
      const next = [...prev];
      for (const file of incoming) {
        const key = `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
        if (!next.some((p) => p.key === key)) next.push({ key, file, problem: fileProblem(file) });
      }
      return next;
    });
  };

  const usable = files.filter((f) => !f.problem);
  const stage = useMutation({
    mutationFn: async () => {
      const read = [];
      for (const p of usable) {
        try {
          read.push(await readImportFile(p.file));
        } catch {
          throw new ReadFailure(p.file.name);
        }
      }
      const names = parseOwnNames(ownNames);
      saveOwnNames(names);
      return ipc.importStageFiles(read, names);
    },
    onSuccess: (batch) => {
      qc.setQueryData(keys.importBatch(batch.id), batch);
      void qc.invalidateQueries({ queryKey: keys.importBatches });
      navigate(`/import/${batch.id}`);
    },
  });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  return (
    <div className="card import-source">
      <h2 className="card-title">{t("import.files.title")}</h2>
      <p className="muted small">{t("import.files.lead")}</p>
      <div
        className={dragging ? "drop-zone over" : "drop-zone"}
        data-testid="import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
          if (!dragging) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t("import.files.drop")}</p>
        <input
          type="file"
          multiple
          accept=".txt,.zip"
          data-testid="import-files"
          aria-label={t("import.files.pick")}
          onChange={(e) => {
            add(e.target.files);
            // The same file can be picked again after removing it.
            e.target.value = "";
          }}
        />
      </div>
      {files.length > 0 && (
        <ul className="import-file-list" data-testid="import-file-list">
          {files.map((p) => (
            <li key={p.key} data-testid="import-file" className={p.problem ? "bad" : ""}>
              <bdi dir="auto" className="strong">{p.file.name}</bdi>
              <span className="muted nowrap">{formatBytes(p.file.size, i18n.language)}</span>
              <button
                type="button"
                className="link-button small"
                onClick={() => setFiles((prev) => prev.filter((x) => x.key !== p.key))}
              >
                {t("common.remove")}
              </button>
              {p.problem && (
                <span className="file-problem" data-testid="import-file-problem" role="alert">
                  {t(`errors.${p.problem}`)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <Field label={t("import.files.ownNames")} hint={t("import.files.ownNamesHint")}>
        <input
          data-testid="import-own-names"
          dir="auto"
          value={ownNames}
          placeholder={t("import.files.ownNamesPlaceholder")}
          onChange={(e) => setOwnNames(e.target.value)}
        />
      </Field>
      {stage.error &&
        (stage.error instanceof ReadFailure ? (
          <div className="error" role="alert" data-testid="import-read-error">
            {t("import.files.readFailed", { name: stage.error.fileName })}
          </div>
        ) : (
          <ErrorMessage error={stage.error} />
        ))}
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          data-testid="import-stage"
          disabled={usable.length === 0 || stage.isPending}
          onClick={() => stage.mutate()}
        >
          {stage.isPending ? t("import.files.staging") : t("import.files.stage")}
        </button>
      </div>
    </div>
  );
}

function WhatsAppSource() {
  const { t } = useTranslation();
  const status = useWaStatus();
  const job = useWaJob();
  const [open, setOpen] = useState(false);
  const ready = Boolean(status.data?.available && status.data.state.state === "ready");
  return (
    <div className="card import-source" data-testid="import-wa-source">
      <h2 className="card-title">{t("import.wa.title")}</h2>
      <p className="muted small">{t("import.wa.lead")}</p>
      {job ? (
        <WaProgress job={job} />
      ) : (
        <>
          {!open || !ready ? (
            <div className="form-actions">
              <button type="button" data-testid="import-from-wa" disabled={!ready} onClick={() => setOpen(true)}>
                {t("import.wa.choose")}
              </button>
              {!ready && status.data && (
                <span className="muted small" data-testid="import-wa-not-ready">
                  {t("import.wa.notReady")} <Link to="/whatsapp">{t("import.wa.connect")}</Link>
                </span>
              )}
            </div>
          ) : (
            <WaChatPicker onClose={() => setOpen(false)} />
          )}
        </>
      )}
    </div>
  );
}

function WaChatPicker({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const chats = useQuery({ queryKey: keys.importWaChats, queryFn: ipc.importWaChats, staleTime: 0 });
  const [checked, setChecked] = useState<Set<string> | null>(null);
  const [filter, setFilter] = useState("");

  // By default every one-to-one chat is chosen, groups are not.
  useEffect(() => {
    if (chats.data && checked === null) setChecked(new Set(chats.data.filter((c) => !c.is_group).map((c) => c.id)));
  }, [chats.data, checked]);

  const start = useMutation({ mutationFn: (ids: string[]) => waJob.start(ids) });
  const chosen = checked ?? new Set<string>();
  const needle = filter.trim().toLocaleLowerCase();
  const shown = useMemo(
    () =>
      (chats.data ?? []).filter(
        (c) => !needle || (c.name ?? "").toLocaleLowerCase().includes(needle) || c.id.includes(needle),
      ),
    [chats.data, needle],
  );
  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChecked(next);
  };

  if (chats.error) return <ErrorMessage error={chats.error} />;
  if (!chats.data) return <p className="muted">{t("common.loading")}</p>;
  return (
    <div className="stack" data-testid="import-wa-chats">
      {chats.data.length === 0 ? (
        <p className="muted">{t("import.wa.noChats")}</p>
      ) : (
        <>
          <div className="toolbar">
            <input
              type="search"
              className="search"
              dir="auto"
              placeholder={t("import.wa.filter")}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <button type="button" className="small" onClick={() => setChecked(new Set(chats.data.map((c) => c.id)))}>
              {t("import.wa.all")}
            </button>
            <button type="button" className="small" onClick={() => setChecked(new Set(chats.data.filter((c) => !c.is_group).map((c) => c.id)))}>
              {t("import.wa.oneToOne")}
            </button>
            <button type="button" className="small" onClick={() => setChecked(new Set())}>
              {t("import.wa.none")}
            </button>
          </div>
          <div className="check-list import-wa-list">
            {shown.map((c) => {
              const when = timestampToIso(c.timestamp ?? null);
              return (
                <label key={c.id} className="check import-wa-chat">
                  <input
                    type="checkbox"
                    data-testid="import-wa-chat"
                    data-chat-id={c.id}
                    checked={chosen.has(c.id)}
                    onChange={(e) => toggle(c.id, e.target.checked)}
                  />
                  <bdi dir="auto">{c.name || phoneOfChatId(c.id)}</bdi>
                  {c.is_group && <span className="tag">{t("import.group")}</span>}
                  <span className="spacer" />
                  {when && <span className="muted small nowrap">{formatDateTime(when, i18n.language)}</span>}
                </label>
              );
            })}
          </div>
          <p className="muted small">{t("import.wa.chosen", { count: chosen.size, total: chats.data.length })}</p>
        </>
      )}
      {start.error && <ErrorMessage error={start.error} />}
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          data-testid="import-wa-start"
          disabled={chosen.size === 0 || start.isPending}
          onClick={() => start.mutate([...chosen])}
        >
          {t("import.wa.start")}
        </button>
        <button type="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}

function WaProgress({ job }: { job: WaJob }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [cancelError, setCancelError] = useState<unknown>(null);
  const p = job.progress;
  const clean = Boolean(p?.finished && !p.cancelled && !p.error);

  // A fetch that ended normally goes straight to its review.
  useEffect(() => {
    if (!clean) return;
    waJob.clear();
    void qc.invalidateQueries({ queryKey: keys.imports });
    navigate(`/import/${job.batchId}`);
  }, [clean, job.batchId, navigate, qc]);

  const done = p?.done ?? 0;
  const total = p?.total ?? 0;
  const percent = progressPercent(p);
  const close = () => {
    waJob.clear();
    void qc.invalidateQueries({ queryKey: keys.importBatches });
  };

  if (p?.finished && (p.cancelled || p.error)) {
    return (
      <div className="stack" data-testid="import-wa-ended">
        {p.error ? (
          <div className="error" role="alert">
            <span data-testid="import-wa-error">{fileErrorSentence(p.error, t, "import.wa.failed")}</span>
            <details className="small">
              <summary>{t("errors.details")}</summary>
              <pre className="error-details" dir="auto">{p.error}</pre>
            </details>
          </div>
        ) : (
          <p data-testid="import-wa-cancelled">{t("import.wa.cancelled", { done, total })}</p>
        )}
        <div className="form-actions">
          {done > 0 && (
            <Link to={`/import/${job.batchId}`} onClick={close} className="button-link" data-testid="import-wa-open">
              {t("import.wa.openFetched")}
            </Link>
          )}
          <button type="button" onClick={close}>
            {t("common.close")}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="stack">
      <div
        className="progress"
        role="progressbar"
        data-testid="import-progress"
        aria-label={t("import.wa.fetching")}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="small" data-testid="import-progress-text">
        {p ? t("import.wa.progress", { done, total }) : t("import.wa.starting")}
        {p?.chat && (
          <>
            {" · "}
            <bdi dir="auto">{p.chat}</bdi>
          </>
        )}
      </p>
      {cancelError !== null && <ErrorMessage error={cancelError} />}
      <div className="form-actions">
        <button
          type="button"
          className="danger"
          data-testid="import-cancel"
          disabled={job.cancelling}
          onClick={() => {
            setCancelError(null);
            waJob.cancel().catch((e: unknown) => setCancelError(e));
          }}
        >
          {job.cancelling ? t("import.wa.cancelling") : t("common.cancel")}
        </button>
      </div>
      <p className="muted small">{t("import.wa.olderHint")}</p>
    </div>
  );
}

function PreviousImports() {
  const { t, i18n } = useTranslation();
  const list = useQuery({ queryKey: keys.importBatches, queryFn: ipc.importBatchList });
  if (list.error) return <ErrorMessage error={list.error} />;
  const rows = list.data ?? [];
  if (rows.length === 0) return null;
  return (
    <div className="card" data-testid="import-batches">
      <h2 className="card-title">{t("import.previous.title")}</h2>
      <div className="gt import-batches-gt" role="table">
        <div className="gt-head" role="row">
          <div role="columnheader">{t("import.previous.colDate")}</div>
          <div role="columnheader">{t("import.previous.colSource")}</div>
          <div role="columnheader">{t("import.previous.colStatus")}</div>
          <div role="columnheader">{t("import.previous.colCounts")}</div>
          <div role="columnheader" />
        </div>
        {rows.map((b) => (
          <div key={b.id} role="row" className="gt-row" data-testid="import-batch-row">
            <div role="cell" className="nowrap">{formatDateTime(b.created_at, i18n.language)}</div>
            <div role="cell">{t(`import.source.${b.source}`)}</div>
            <div role="cell">{t(`import.batchStatus.${b.status}`)}</div>
            <div role="cell" className="muted small">{batchCounts(b, t)}</div>
            <div role="cell">
              <Link to={`/import/${b.id}`} data-testid="import-batch-open">
                {t("import.previous.open")}
              </Link>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}

/** "Clients: 3 new, 1 merged · messages: 120" for a committed batch, else what it holds. */
function batchCounts(b: ImportBatch, t: TFunction): string {
  const parts: string[] = [];
  if (b.summary && b.status !== "staged") {
    parts.push(t("import.previous.committedCounts", { created: b.summary.clients_created, merged: b.summary.clients_merged, messages: b.summary.messages_added }));
  } else {
    const n = b.item_count ?? (b.items ?? []).length;
    if (n > 0) parts.push(t("import.previous.items", { count: n }));
  }
  if ((b.errors ?? []).length > 0) parts.push(t("import.previous.errors", { count: b.errors.length }));
  return parts.join(" · ") || "—";
}

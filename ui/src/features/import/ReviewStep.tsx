// Step 2: the staged batch. Files that could not be read, then one row per detected conversation:
// name, phone, language, first status with its reason, counts and dates, time zone, and what to
// do with it (import, skip, merge into an existing client). Every edit is saved as it is made.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { AppError } from "../../bindings/AppError";
import type { ClientRow } from "../../bindings/ClientRow";
import type { FunnelStatus } from "../../bindings/FunnelStatus";
import type { Language } from "../../bindings/Language";
import { ErrorMessage } from "../../components/ErrorMessage";
import { StatusPill } from "../../components/StatusPill";
import { COMMON_TIME_ZONES, LANGUAGES_WITH_UNKNOWN } from "../../lib/choices";
import { formatDateTime } from "../../lib/format";
import { ipc, isAppError } from "../../lib/ipc";
import { invalidateClients, invalidateInbox, keys } from "../../lib/queries";
import { STATUSES } from "../../lib/status";
import { useDebounced } from "../../lib/useDebounced";
import { IMPORT_ACTIONS } from "./choices";
import { confidencePercent, fileErrorSentence, importNoteText, shortDate, statusReasonSentence } from "./importText";
import type { ImportAction } from "../../bindings/ImportAction";
import type { ImportBatch } from "../../bindings/ImportBatch";
import type { ImportFileError } from "../../bindings/ImportFileError";
import type { ImportItem } from "../../bindings/ImportItem";
import { needsTarget, useItemDrafts, type Draft } from "./useItemDrafts";

/** Thrown when a commit is held back because some rows still have errors or no merge target. */
class NotReady extends Error {}

export function ReviewStep({ batch }: { batch: ImportBatch }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { drafts, saved, errors, change, flush } = useItemDrafts(batch.items);
  /** Names of clients picked as merge targets, until the core's answer names them. */
  const [pickedNames, setPickedNames] = useState<Record<string, string>>({});
  const ids = batch.items.map((i) => i.id);
  const count = ids.filter((id) => drafts[id]?.action !== "skip").length;
  const missingTarget = ids.some((id) => drafts[id] && needsTarget(drafts[id]));

  const commit = useMutation({
    mutationFn: async () => {
      if (!(await flush())) throw new NotReady();
      return ipc.importCommit(batch.id);
    },
    onSuccess: (summary) => {
      qc.setQueryData<ImportBatch>(keys.importBatch(batch.id), (b) => ({ ...(b ?? batch), status: "committed", summary }));
      void qc.invalidateQueries({ queryKey: keys.importBatches });
      invalidateClients(qc);
      invalidateInbox(qc);
    },
  });

  // An edit answers a refused commit: its message goes until the next try.
  const edit = (id: string, patch: Partial<Draft>, typed: boolean) => {
    if (commit.error) commit.reset();
    change(id, patch, typed);
  };
  // A commit refused because of one item names it (the core puts the item's id in `existing_id`).
  const commitError = isAppError(commit.error) ? commit.error : null;
  const blamed = commitError?.existing_id ? batch.items.find((i) => i.id === commitError.existing_id) ?? null : null;

  return (
    <div className="stack import-review" data-testid="import-review">
      <div className="import-review-head">
        <span>
          {t(`import.source.${batch.source}`)} · <span className="muted">{formatDateTime(batch.created_at, i18n.language)}</span>
        </span>
        <span className="muted" data-testid="import-review-count">
          {t("import.review.found", { count: batch.items.length })}
        </span>
        <span className="spacer" />
        <Link to="/import">‹ {t("import.backToChoose")}</Link>
      </div>
      {batch.errors.length > 0 && <FileErrors errors={batch.errors} />}
      {batch.source === "whatsapp" && <p className="banner small">{t("import.review.waNote")}</p>}
      {batch.items.length === 0 ? (
        <div className="empty" data-testid="import-nothing">
          {t("import.review.nothing")}
        </div>
      ) : (
        <>
          <p className="muted small">{t("import.review.lead")}</p>
          <div className="table-wrap">
            <div className="gt import-gt" role="table">
              <div className="gt-head" role="row">
                <div role="columnheader">{t("import.review.colClient")}</div>
                <div role="columnheader">{t("import.review.colLanguage")}</div>
                <div role="columnheader">{t("import.review.colStatus")}</div>
                <div role="columnheader">{t("import.review.colMessages")}</div>
                <div role="columnheader">{t("import.review.colTimeZone")}</div>
                <div role="columnheader">{t("import.review.colAction")}</div>
              </div>
              {batch.items.map((item) => (
                <ItemRow
                  key={item.id}
                  original={item}
                  saved={saved[item.id] ?? item}
                  draft={drafts[item.id]}
                  error={errors[item.id] ?? (blamed?.id === item.id ? commitError ?? undefined : undefined)}
                  pickedNames={pickedNames}
                  onChange={(patch, typed) => edit(item.id, patch, typed)}
                  onPick={(row) => {
                    setPickedNames((m) => ({ ...m, [row.id]: row.name }));
                    edit(item.id, { action: "merge", merge_into: row.id }, false);
                  }}
                />
              ))}
            </div>
          </div>
          <datalist id="import-tz-list">
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
      {commit.error &&
        (commit.error instanceof NotReady ? (
          <div className="error" role="alert" data-testid="import-fix-rows">
            {t("import.review.fixRows")}
          </div>
        ) : (
          <>
            <ErrorMessage error={commit.error} linkable={!blamed} />
            {blamed && (
              <p className="small" data-testid="import-commit-blamed">
                {t("import.review.seeRow", { name: blamed.chat_title })}
              </p>
            )}
          </>
        ))}
      {missingTarget && <p className="muted small">{t("import.review.pickTargetFirst")}</p>}
      <div className="form-actions import-commit-bar">
        <button
          type="button"
          className="primary"
          data-testid="import-commit"
          disabled={count === 0 || missingTarget || commit.isPending}
          onClick={() => commit.mutate()}
        >
          {commit.isPending ? t("import.review.committing") : t("import.review.commit", { count })}
        </button>
        <span className="muted small">{t("import.review.commitHint")}</span>
      </div>
    </div>
  );
}

function FileErrors({ errors }: { errors: ImportFileError[] }) {
  const { t } = useTranslation();
  return (
    <div className="error" role="alert" data-testid="import-file-errors">
      <div className="strong">{t("import.review.fileErrors", { count: errors.length })}</div>
      <ul className="import-file-errors">
        {errors.map((e, i) => (
          <li key={`${e.file_name}-${i}`} data-testid="import-file-error" data-code={e.code}>
            <bdi dir="auto" className="strong">{e.file_name}</bdi>: {fileErrorSentence(e.code, t)}
            {e.message && (
              <details className="small">
                <summary>{t("errors.details")}</summary>
                <pre className="error-details" dir="auto">
                  {e.code}: {e.message}
                </pre>
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

type RowProps = {
  original: ImportItem;
  saved: ImportItem;
  draft: Draft;
  error: AppError | undefined;
  pickedNames: Record<string, string>;
  onChange: (patch: Partial<Draft>, typed: boolean) => void;
  onPick: (row: ClientRow) => void;
};

function ItemRow({ original, saved, draft, error, pickedNames, onChange, onPick }: RowProps) {
  const { t, i18n } = useTranslation();
  const [searching, setSearching] = useState(false);
  const lang = i18n.language;
  const bad = (field: string) => error?.field === field || undefined;
  const percent = confidencePercent(original.language_confidence);
  const reason = statusReasonSentence(original, t);

  // The name of the merge target: just picked, or as the core last named it.
  const target = draft.merge_into;
  const targetName = target
    ? pickedNames[target] ??
      (saved.merge_into === target ? saved.merge_name : null) ??
      (original.merge_into === target ? original.merge_name : null) ??
      (original.proposed_merge === target ? original.proposed_merge_name : null) ??
      null
    : null;
  const participants = original.participants ?? [];
  const warnings = original.warnings ?? [];
  const existing = error?.code === "duplicate_phone" && error.existing_id ? error.existing_id : null;
  const proposed = !!target && target === original.proposed_merge;

  const setAction = (action: ImportAction) => {
    if (action === "merge") {
      const into = draft.merge_into ?? original.proposed_merge;
      onChange({ action, merge_into: into }, false);
      if (!into) setSearching(true);
    } else {
      setSearching(false);
      onChange({ action, merge_into: null }, false);
    }
  };

  return (
    <div
      role="row"
      className={draft.action === "skip" ? "gt-row import-row inactive" : "gt-row import-row"}
      data-testid="import-item"
      data-item-id={original.id}
    >
      <div role="cell" className="import-cell">
        <div className="small muted import-chat-title" title={original.file_name}>
          <bdi dir="auto">{original.chat_title}</bdi>
          {original.is_group && (
            <span className="tag" data-testid="import-item-group">
              {t("import.group")}
            </span>
          )}
        </div>
        <input
          data-testid="import-item-name"
          dir="auto"
          aria-label={t("import.review.name")}
          aria-invalid={bad("name")}
          list={participants.length > 0 ? `import-participants-${original.id}` : undefined}
          value={draft.name}
          onChange={(e) => onChange({ name: e.target.value }, true)}
        />
        {participants.length > 0 && (
          <datalist id={`import-participants-${original.id}`}>
            {participants.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        )}
        {saved.needs_client_choice && (
          <span className="field-hint attention" data-testid="import-item-choose-client">
            {t("import.review.chooseClient")}
          </span>
        )}
        {/* A group chat has no one phone. */}
        {!original.is_group && (
          <input
            data-testid="import-item-phone"
            dir="ltr"
            type="tel"
            aria-label={t("import.review.phone")}
            aria-invalid={bad("phone")}
            placeholder={t("import.review.phonePlaceholder")}
            value={draft.phone}
            onChange={(e) => onChange({ phone: e.target.value }, true)}
          />
        )}
        {!original.is_group && draft.phone.trim() === "" && (
          <span className="field-hint" data-testid="import-item-phone-unknown">
            {t("import.review.phoneUnknown")}
          </span>
        )}
        {original.is_group && <span className="field-hint">{t("import.review.groupHint")}</span>}
        {warnings.length > 0 && (
          <details className="small" data-testid="import-item-warnings">
            <summary>{t("import.review.warnings", { count: warnings.length })}</summary>
            <ul className="import-warnings">
              {warnings.map((w, i) => (
                <li key={i} dir="auto">
                  {importNoteText(w, t)}
                </li>
              ))}
            </ul>
          </details>
        )}
      </div>
      <div role="cell" className="import-cell">
        <select
          data-testid="import-item-language"
          aria-label={t("import.review.colLanguage")}
          aria-invalid={bad("language")}
          value={draft.language}
          onChange={(e) => onChange({ language: e.target.value as Language }, false)}
        >
          {LANGUAGES_WITH_UNKNOWN.map((l) => (
            <option key={l} value={l}>
              {t(`lang.${l}`)}
            </option>
          ))}
        </select>
        <span className="small muted" data-testid="import-item-confidence">
          {original.language === "unknown"
            ? t("import.review.notDetected")
            : t("import.review.detected", { language: t(`lang.${original.language}`), percent })}
        </span>
      </div>
      <div role="cell" className="import-cell">
        <select
          data-testid="import-item-status"
          aria-label={t("import.review.colStatus")}
          aria-invalid={bad("suggested_status")}
          value={draft.suggested_status}
          onChange={(e) => onChange({ suggested_status: e.target.value as FunnelStatus }, false)}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        {reason && (
          <span className="small muted" dir="auto" data-testid="import-item-reason">
            {t("import.review.suggested", { status: t(`status.${original.suggested_status}`) })}: {reason}
          </span>
        )}
        {original.status_evidence && (
          <blockquote className="import-evidence small" dir="auto" data-testid="import-item-evidence">
            {original.status_evidence}
          </blockquote>
        )}
      </div>
      <div role="cell" className="import-cell">
        <span className="strong" data-testid="import-item-messages" aria-label={t("import.review.messages", { count: original.messages })}>
          {original.messages}
        </span>
        {(original.first || original.last) && (
          <span className="small muted" data-testid="import-item-dates">
            {original.first ? shortDate(original.first, lang) : "…"} – {original.last ? shortDate(original.last, lang) : "…"}
          </span>
        )}
        {original.history_truncated && (
          <span className="small attention" data-testid="import-item-truncated">
            {t("import.review.truncated")}
          </span>
        )}
      </div>
      <div role="cell" className="import-cell">
        <input
          data-testid="import-item-tz"
          dir="ltr"
          list="import-tz-list"
          aria-label={t("import.review.colTimeZone")}
          aria-invalid={bad("time_zone")}
          value={draft.time_zone}
          onChange={(e) => onChange({ time_zone: e.target.value }, true)}
        />
        <span className="field-hint">{t("import.review.timeZoneHint")}</span>
      </div>
      <div role="cell" className="import-cell">
        <select
          data-testid="import-item-action"
          aria-label={t("import.review.colAction")}
          aria-invalid={bad("action") || bad("merge_into")}
          value={draft.action}
          onChange={(e) => setAction(e.target.value as ImportAction)}
        >
          {IMPORT_ACTIONS.map((a) => (
            // A group chat is never merged into one client.
            <option key={a} value={a} disabled={a === "merge" && original.is_group}>
              {a === "import" && original.is_group ? t("import.review.keepGroup") : t(`import.action.${a}`)}
            </option>
          ))}
        </select>
        {draft.action === "merge" && target && (
          <span className="small" data-testid="import-item-merge-target">
            {proposed
              ? t("import.review.samePhone", { name: targetName ?? "…" })
              : t("import.review.mergeInto", { name: targetName ?? "…" })}
          </span>
        )}
        {draft.action === "merge" && !target && <span className="small attention">{t("import.review.pickTarget")}</span>}
        {draft.action === "merge" &&
          (searching || !target ? (
            <MergeSearch
              onPick={(row) => {
                setSearching(false);
                onPick(row);
              }}
              onClose={target ? () => setSearching(false) : undefined}
            />
          ) : (
            <button type="button" className="link-button small" data-testid="import-merge-other" onClick={() => setSearching(true)}>
              {t("import.review.pickOther")}
            </button>
          ))}
      </div>
      {error && (
        <div role="cell" className="import-row-error" data-testid="import-item-error">
          <ErrorMessage error={error} />
          {existing && (
            <button
              type="button"
              className="small"
              data-testid="import-item-merge-existing"
              onClick={() => onChange({ action: "merge", merge_into: existing }, false)}
            >
              {t("import.review.mergeExisting")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Finds an existing client to merge an item into (reuses the clients search). */
function MergeSearch({ onPick, onClose }: { onPick: (row: ClientRow) => void; onClose?: () => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const term = useDebounced(search.trim(), 250);
  const found = useQuery({
    queryKey: [...keys.clients, "importMerge", term],
    queryFn: () => ipc.clientList({ search: term, deleted: false, sort: "name", desc: false, page: 0, page_size: 10 }),
    enabled: term.length > 0,
  });
  const rows = found.data?.rows ?? [];
  return (
    <div className="import-merge-search">
      <input
        type="search"
        dir="auto"
        data-testid="import-merge-search"
        placeholder={t("import.review.searchClient")}
        value={search}
        autoFocus
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && onClose) onClose();
        }}
      />
      {found.error && <ErrorMessage error={found.error} />}
      {rows.length > 0 && (
        <ul className="pick-list">
          {rows.map((r) => (
            <li key={r.id}>
              <button type="button" className="pick small" data-testid="import-merge-candidate" onClick={() => onPick(r)}>
                <bdi dir="auto" className="strong">{r.name}</bdi>
                <span className="mono muted" dir="ltr">{r.phone ?? ""}</span>
                <StatusPill status={r.status} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {term && found.data && rows.length === 0 && <p className="muted small">{t("merge.noResults")}</p>}
      {onClose && (
        <button type="button" className="link-button small" onClick={onClose}>
          {t("common.cancel")}
        </button>
      )}
    </div>
  );
}

// The client's status: change it (target + optional reason) and read the history beside it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Client } from "../../bindings/Client";
import type { FunnelStatus } from "../../bindings/FunnelStatus";
import type { StatusChange } from "../../bindings/StatusChange";
import { ErrorMessage } from "../../components/ErrorMessage";
import { StatusPill } from "../../components/StatusPill";
import { formatDateTime } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { invalidateClients } from "../../lib/queries";
import { STATUSES, nextStatus } from "../../lib/status";
import { actorLabel } from "./actor";

export function StatusPanel({ client, history, disabled }: { client: Client; history: StatusChange[]; disabled: boolean }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [target, setTarget] = useState<FunnelStatus>(nextStatus(client.status));
  const [reason, setReason] = useState("");
  const change = useMutation({
    mutationFn: () => ipc.clientChangeStatus({ client_id: client.id, to: target, reason: reason.trim() }),
    onSuccess: (row) => {
      setReason("");
      setTarget(nextStatus(row.to));
      invalidateClients(qc, client.id);
    },
  });
  const same = target === client.status;
  const rows = [...history].reverse();

  return (
    <div className="card status-card">
      <h2 className="card-title">{t("client.statusTitle")}</h2>
      <div className="status-current">
        <span className="muted">{t("client.currentStatus")}:</span> <StatusPill status={client.status} />
      </div>
      <ol className="funnel-steps" aria-hidden="true">
        {STATUSES.map((s) => (
          <li key={s} className={s === client.status ? "current" : STATUSES.indexOf(s) < STATUSES.indexOf(client.status) ? "done" : ""} title={t(`status.${s}`)} />
        ))}
      </ol>
      <form
        className="status-change"
        onSubmit={(e) => {
          e.preventDefault();
          if (!same) change.mutate();
        }}
      >
        <fieldset disabled={disabled}>
          <label className="field status-target">
            <span className="field-label">{t("statusChange.target")}</span>
            <select data-testid="client-status" value={target} onChange={(e) => setTarget(e.target.value as FunnelStatus)}>
              {STATUSES.map((s) => (
                <option key={s} value={s} disabled={s === client.status}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field status-reason">
            <span className="field-label">{t("statusChange.reason")}</span>
            <input
              data-testid="status-reason"
              dir="auto"
              value={reason}
              placeholder={t("statusChange.reasonPlaceholder")}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <button type="submit" className="primary" data-testid="status-apply" disabled={same || change.isPending}>
            {change.isPending ? t("statusChange.applying") : t("statusChange.apply")}
          </button>
        </fieldset>
        {same && !disabled && <span className="muted small">{t("statusChange.pickOther")}</span>}
        {change.error && <ErrorMessage error={change.error} />}
      </form>

      <h3 className="section-title">{t("statusChange.history")}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t("statusChange.noHistory")}</p>
      ) : (
        <ol className="history">
          {rows.map((h) => (
            <li key={h.id} className="history-item" data-testid="history-row">
              <div className="history-top">
                <span className="history-change">
                  {h.from ? (
                    <>
                      {t(`status.${h.from}`)} → <strong>{t(`status.${h.to}`)}</strong>
                    </>
                  ) : (
                    <>
                      {t("statusChange.first")} <strong>{t(`status.${h.to}`)}</strong>
                    </>
                  )}
                </span>
                <span className="history-when muted">{formatDateTime(h.at, i18n.language)}</span>
              </div>
              <div className="history-who muted small">
                <bdi dir="auto">{actorLabel(h, t)}</bdi>
              </div>
              {h.reason && (
                <div className="history-reason" dir="auto">
                  {!h.from && h.reason === "created" ? t("statusChange.createdReason") : h.reason}
                </div>
              )}
              {h.evidence && (
                <div className="muted small" dir="auto">
                  {t("statusChange.colEvidence")}: {h.evidence}
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

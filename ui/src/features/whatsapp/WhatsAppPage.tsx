// The WhatsApp page: the connection with advice per failure, connect / reconnect / log out, the
// outgoing queue's counts, and (for admins) the sending settings.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { WaStatus } from "../../bindings/WaStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { PageTitle } from "../../components/PageTitle";
import { ipc } from "../../lib/ipc";
import { keys, useWaStatus } from "../../lib/queries";
import { useIsAdmin } from "../shell/session";
import { useQrDialog } from "./QrDialogHost";
import { WaSettingsCard } from "./WaSettingsCard";
import { canConnect, isLinking, waBadgeText, waStateAdvice, waTone } from "./waState";

export function WhatsAppPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const status = useWaStatus();
  return (
    <section className="page whatsapp-page">
      <PageTitle>{t("wa.page.title")}</PageTitle>
      {status.error && <ErrorMessage error={status.error} />}
      {!status.data ? (
        !status.error && <p className="muted">{t("common.loading")}</p>
      ) : (
        <>
          <ConnectionCard status={status.data} />
          <QueueCard status={status.data} />
        </>
      )}
      {isAdmin && <WaSettingsCard />}
    </section>
  );
}

function ConnectionCard({ status }: { status: WaStatus }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const dialog = useQrDialog();
  const [confirmLogout, setConfirmLogout] = useState(false);
  const refresh = () => void qc.invalidateQueries({ queryKey: keys.waStatus });
  const connect = useMutation({
    mutationFn: ipc.waConnect,
    onMutate: () => dialog.open(),
    onError: () => dialog.close(),
    onSettled: refresh,
  });
  const reconnect = useMutation({ mutationFn: ipc.waReconnect, onSettled: refresh });
  const useHere = useMutation({ mutationFn: ipc.waUseHere, onSettled: refresh });
  const logout = useMutation({
    mutationFn: ipc.waLogout,
    onSuccess: () => {
      setConfirmLogout(false);
      notice({ text: t("wa.page.loggedOut") });
    },
    onSettled: refresh,
  });
  const s = status.state;
  const advice = waStateAdvice(status, t);
  const detail = "reason" in s && s.reason ? s.reason : null;
  const connected = s.state !== "not_connected" && s.state !== "logged_out";
  const busy = connect.isPending || reconnect.isPending || logout.isPending || useHere.isPending;

  return (
    <div className="card">
      <h2 className="card-title">{t("wa.page.connection")}</h2>
      <div className={`wa-state tone-${waTone(status)}`} data-testid="wa-state" data-state={s.state}>
        <span className="wa-dot" aria-hidden="true" />
        <span className="strong">{waBadgeText(status, t, i18n.language)}</span>
        {s.state === "ready" && s.account && (
          <span className="mono muted" dir="ltr">
            +{s.account}
          </span>
        )}
      </div>
      {advice && (
        <p className="wa-advice" data-testid="wa-advice">
          {advice}
        </p>
      )}
      {!status.available && status.problem && (
        <pre className="error-details" data-testid="wa-problem" dir="auto">
          {status.problem}
        </pre>
      )}
      {detail && (
        <details className="small muted">
          <summary>{t("wa.page.details")}</summary>
          <pre className="error-details" dir="auto">{detail}</pre>
        </details>
      )}
      {(connect.error || reconnect.error || logout.error || useHere.error) && <ErrorMessage error={connect.error ?? reconnect.error ?? logout.error ?? useHere.error} />}
      {confirmLogout && (
        <div className="confirm-bar">
          <span>{t("wa.page.logoutConfirm")}</span>
          <button type="button" className="danger" data-testid="wa-logout-confirm" disabled={logout.isPending} onClick={() => logout.mutate()}>
            {t("wa.page.logoutYes")}
          </button>
          <button type="button" onClick={() => setConfirmLogout(false)}>
            {t("common.cancel")}
          </button>
        </div>
      )}
      {status.available && (
        <div className="form-actions">
          {canConnect(status) && (
            <button type="button" className="primary" data-testid="wa-connect" disabled={busy} onClick={() => connect.mutate()}>
              {connect.isPending ? t("wa.page.connecting") : t("wa.page.connect")}
            </button>
          )}
          {s.state === "conflict" && (
            <button type="button" className="primary" data-testid="wa-page-use-here" disabled={busy} onClick={() => useHere.mutate()}>
              {useHere.isPending ? t("wa.page.usingHere") : t("wa.page.useHere")}
            </button>
          )}
          {isLinking(status) && (
            <button type="button" data-testid="wa-show-code" onClick={() => dialog.open()}>
              {t("wa.page.showCode")}
            </button>
          )}
          {connected && (
            <button type="button" data-testid="wa-reconnect" disabled={busy} onClick={() => reconnect.mutate()}>
              {reconnect.isPending ? t("wa.page.reconnecting") : t("wa.page.reconnect")}
            </button>
          )}
          {connected && (
            <button type="button" className="danger" data-testid="wa-logout" disabled={busy} onClick={() => setConfirmLogout(true)}>
              {t("wa.page.logout")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function QueueCard({ status }: { status: WaStatus }) {
  const { t } = useTranslation();
  const items = [
    { key: "queued", n: status.queued },
    { key: "unconfirmed", n: status.unconfirmed },
    { key: "failed", n: status.failed },
    { key: "stuck", n: status.stuck },
  ] as const;
  return (
    <div className="card">
      <h2 className="card-title">{t("wa.page.queue")}</h2>
      <dl className="wa-queue">
        {items.map((i) => (
          <div key={i.key} className={i.n > 0 && i.key !== "queued" ? "attention" : ""}>
            <dt>{t(`wa.page.${i.key}`)}</dt>
            <dd className="num" data-testid={`wa-${i.key}`}>
              {i.n}
            </dd>
          </div>
        ))}
      </dl>
      {(status.unconfirmed > 0 || status.failed > 0 || status.stuck > 0) && <p className="muted small">{t("wa.page.queueHint")}</p>}
    </div>
  );
}

// One client: all fields, the status with its change control and history, bin and merge.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { Client } from "../../bindings/Client";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { StatusPill } from "../../components/StatusPill";
import { errorSentence } from "../../lib/errors";
import { formatDateTime, localTimeIn } from "../../lib/format";
import { ipc, toAppError } from "../../lib/ipc";
import { invalidateClients, keys } from "../../lib/queries";
import { ClientFormView } from "./ClientFormView";
import { clientsListPath } from "./ClientsPage";
import { clientToForm } from "./clientForm";
import { MergePanel } from "./MergePanel";
import { StatusPanel } from "./StatusPanel";

export function ClientPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const detail = useQuery({ queryKey: keys.client(id), queryFn: () => ipc.clientGet(id) });
  const [merging, setMerging] = useState(false);

  if (detail.error) {
    return (
      <section className="page">
        <BackLink />
        <h1 data-testid="page-title">{t("client.details")}</h1>
        <ErrorMessage error={detail.error} />
      </section>
    );
  }
  if (!detail.data) return <section className="page muted">{t("common.loading")}</section>;
  const { client, history } = detail.data;
  const inBin = Boolean(client.deleted_at);

  return (
    <div className="with-panel">
      <section className="page client-page">
        <BackLink />
        <ClientHeader client={client} onMerge={() => setMerging(true)} />
        {client.merged_into ? (
          <div className="banner">
            {t("client.mergedInto")} <Link to={`/clients/${client.merged_into}`}>{t("client.openMerged")}</Link>
          </div>
        ) : inBin ? (
          <BinBanner client={client} />
        ) : null}
        <div className="client-columns">
          <div className="card">
            <h2 className="card-title">{t("client.details")}</h2>
            <ClientEditor key={client.id} client={client} disabled={inBin} />
            <p className="muted small meta">
              {t("client.createdAt", { when: formatDateTime(client.created_at, i18n.language) })},{" "}
              {t("client.updatedAt", { when: formatDateTime(client.updated_at, i18n.language) })}
            </p>
          </div>
          <StatusPanel client={client} history={history} disabled={inBin} />
        </div>
      </section>
      {merging && <MergePanel client={client} onClose={() => setMerging(false)} />}
    </div>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to={clientsListPath()} className="back-link">
      ‹ {t("client.backToList")}
    </Link>
  );
}

/** The client's wall-clock time, refreshed every half minute. */
function useLocalTime(zone: string | undefined, lang: string): string | null {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!zone) return;
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, [zone]);
  return zone ? localTimeIn(zone, lang, now) : null;
}

function ClientHeader({ client, onMerge }: { client: Client; onMerge: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const notice = useNotice();
  const time = useLocalTime(client.culture.time_zone ?? undefined, i18n.language);
  const live = !client.deleted_at;

  const remove = async () => {
    try {
      await ipc.clientDelete(client.id);
      invalidateClients(qc, client.id);
      navigate("/clients");
      notice({
        text: t("client.deleted"),
        actionLabel: t("client.undo"),
        onAction: () => {
          ipc
            .clientRestore(client.id)
            .then(() => {
              invalidateClients(qc, client.id);
              navigate(`/clients/${client.id}`);
            })
            .catch((e) => notice({ text: errorSentence(toAppError(e), t) }));
        },
      });
    } catch (e) {
      notice({ text: errorSentence(toAppError(e), t) });
    }
  };

  return (
    <div className="page-head client-head">
      <div className="client-head-main">
        <h1 data-testid="page-title">
          <span data-testid="client-title" dir="auto">{client.name}</span>
        </h1>
        <StatusPill status={client.status} />
        {time && (
          <span className="local-time" data-testid="client-local-time" title={client.culture.time_zone ?? undefined}>
            🕓 {t("client.localTime", { time })}
          </span>
        )}
        {client.phone && <span className="mono muted" dir="ltr">{client.phone}</span>}
      </div>
      {live && (
        <div className="page-actions">
          <button type="button" data-testid="client-merge" onClick={onMerge}>
            {t("merge.button")}
          </button>
          <button type="button" className="danger" data-testid="client-delete" onClick={() => void remove()}>
            {t("client.delete")}
          </button>
        </div>
      )}
    </div>
  );
}

function BinBanner({ client }: { client: Client }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const restore = async () => {
    try {
      await ipc.clientRestore(client.id);
      invalidateClients(qc, client.id);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="banner">
      {t("client.inBin")}{" "}
      <button type="button" data-testid="client-restore" onClick={() => void restore()}>
        {t("common.restore")}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </div>
  );
}

function ClientEditor({ client, disabled }: { client: Client; disabled: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  return (
    <ClientFormView
      initial={clientToForm(client)}
      submitLabel={t("client.save")}
      disabled={disabled}
      onSubmit={async (input) => {
        const saved = await ipc.clientUpdate(client.id, input);
        invalidateClients(qc, client.id);
        notice({ text: t("client.saved") });
        return saved;
      }}
    />
  );
}

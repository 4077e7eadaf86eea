// The right pane: the chat's client (status with its change control, language, cultural context,
// tours, partner, link to the client page), or the partner, or a note for groups.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Client } from "../../bindings/Client";
import { ErrorMessage } from "../../components/ErrorMessage";
import { LanguageLabel } from "../../components/LanguageLabel";
import { localTimeIn } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { keys, usePartners, useTours } from "../../lib/queries";
import { StatusPanel } from "../clients/StatusPanel";

export function ClientPanel({ chat }: { chat: ChatRow | null }) {
  const { t } = useTranslation();
  let body;
  if (!chat) body = null;
  else if (chat.client_id) body = <ClientSummary id={chat.client_id} />;
  else if (chat.partner_id) body = <PartnerSummary id={chat.partner_id} name={chat.partner_name} />;
  else if (chat.kind === "group") body = <p className="muted">{t("inbox.groupChat")}</p>;
  else if (chat.kind === "broadcast") body = <p className="muted">{t("inbox.broadcastChat")}</p>;
  else body = <p className="muted">{t("inbox.noClient")}</p>;
  return (
    <aside className="client-panel" data-testid="client-panel">
      {body}
    </aside>
  );
}

/** The client's wall-clock time, refreshed every half minute. */
function useLocalTime(zone: string | null | undefined, lang: string): string | null {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!zone) return;
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, [zone]);
  return zone ? localTimeIn(zone, lang, now) : null;
}

function ClientSummary({ id }: { id: string }) {
  const { t } = useTranslation();
  const detail = useQuery({ queryKey: keys.client(id), queryFn: () => ipc.clientGet(id) });
  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <p className="muted">{t("common.loading")}</p>;
  const { client, history } = detail.data;
  return (
    <>
      <ClientCard client={client} />
      <StatusPanel client={client} history={history} disabled={Boolean(client.deleted_at)} />
    </>
  );
}

function ClientCard({ client }: { client: Client }) {
  const { t, i18n } = useTranslation();
  const tours = useTours();
  const time = useLocalTime(client.culture.time_zone, i18n.language);
  const tourTitles = client.tour_ids.map((tid) => tours.data?.find((x) => x.id === tid)?.title ?? "…");
  const c = client.culture;
  return (
    <div className="card panel-card">
      <div className="panel-card-head">
        <Link to={`/clients/${client.id}`} className="panel-name" data-testid="client-panel-link" dir="auto">
          {client.name}
        </Link>
        {time && <span className="local-time">🕓 {t("client.localTime", { time })}</span>}
      </div>
      {client.phone && (
        <div className="mono muted" dir="ltr">
          {client.phone}
        </div>
      )}
      <dl className="panel-facts">
        <dt>{t("client.language")}</dt>
        <dd>
          <LanguageLabel language={client.language} />
        </dd>
        <dt>{t("client.culture")}</dt>
        <dd>
          {t(`diet.${c.diet}`)} · {t(`address.${c.address}`)}
          {c.time_zone && <span className="muted"> · {c.time_zone}</span>}
          {c.notes && (
            <div className="small" dir="auto">
              {c.notes}
            </div>
          )}
        </dd>
        <dt>{t("client.tours")}</dt>
        <dd>{tourTitles.length ? tourTitles.map((x, i) => <span key={i} className="tag" dir="auto">{x}</span>) : <span className="muted">—</span>}</dd>
        <dt>{t("client.partner")}</dt>
        <dd dir="auto">{client.partner_name ?? <span className="muted">{t("client.noPartner")}</span>}</dd>
        <dt>{t("client.manager")}</dt>
        <dd dir="auto">{client.manager_name ?? <span className="muted">{t("client.noManager")}</span>}</dd>
      </dl>
      {client.notes && (
        <p className="small panel-notes" dir="auto">
          {client.notes}
        </p>
      )}
      <Link to={`/clients/${client.id}`} className="small">
        {t("inbox.openClient")} ›
      </Link>
    </div>
  );
}

function PartnerSummary({ id, name }: { id: string; name?: string | null }) {
  const { t } = useTranslation();
  const partners = usePartners();
  const p = partners.data?.find((x) => x.id === id);
  return (
    <div className="card panel-card">
      <div className="muted small">{t("inbox.partner")}</div>
      <div className="panel-name" dir="auto">
        {p?.name ?? name ?? "…"}
      </div>
      {p && (
        <dl className="panel-facts">
          <dt>{t("partners.kind")}</dt>
          <dd>{t(`partnerKind.${p.kind}`)}</dd>
          {p.phone && (
            <>
              <dt>{t("partners.phone")}</dt>
              <dd className="mono" dir="ltr">
                {p.phone}
              </dd>
            </>
          )}
          <dt>{t("partners.languages")}</dt>
          <dd>{p.languages.length ? p.languages.map((l) => <LanguageLabel key={l} language={l} short />) : "—"}</dd>
          {p.notes && (
            <>
              <dt>{t("partners.notes")}</dt>
              <dd dir="auto">{p.notes}</dd>
            </>
          )}
        </dl>
      )}
      <Link to="/partners" className="small">
        {t("inbox.openPartners")} ›
      </Link>
    </div>
  );
}

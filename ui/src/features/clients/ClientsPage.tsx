// The clients table: search, filters, sorting, paging, the bin, and the "new client" editor.
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate, useSearchParams } from "react-router-dom";
import type { ClientQuery } from "../../bindings/ClientQuery";
import type { ClientSort } from "../../bindings/ClientSort";
import type { FunnelStatus } from "../../bindings/FunnelStatus";
import type { Language } from "../../bindings/Language";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { PageTitle } from "../../components/PageTitle";
import { SidePanel } from "../../components/SidePanel";
import { LanguageLabel } from "../../components/LanguageLabel";
import { StatusPill } from "../../components/StatusPill";
import { LANGUAGES_WITH_UNKNOWN } from "../../lib/choices";
import { errorSentence } from "../../lib/errors";
import { formatDateTime } from "../../lib/format";
import { ipc, toAppError } from "../../lib/ipc";
import { invalidateClients, keys, useUsers } from "../../lib/queries";
import { STATUSES } from "../../lib/status";
import { useDebounced } from "../../lib/useDebounced";
import { useSession } from "../shell/session";
import { ClientFormView } from "./ClientFormView";
import { emptyClientForm } from "./clientForm";

const PAGE_SIZE = 50;

/** The clients list's last search and filters, so "All clients" on a client page returns to them. */
let lastListSearch = "";
export function clientsListPath(): string {
  return lastListSearch ? `/clients?${lastListSearch}` : "/clients";
}

export function ClientsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const notice = useNotice();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  useEffect(() => {
    lastListSearch = params.toString();
  }, [params]);
  const [search, setSearch] = useState(params.get("q") ?? "");
  const debounced = useDebounced(search, 250);
  const [creating, setCreating] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const users = useUsers();

  const status = (params.get("status") as FunnelStatus | null) ?? undefined;
  const language = (params.get("lang") as Language | null) ?? undefined;
  const managerId = params.get("manager") ?? undefined;
  const deleted = params.get("bin") === "1";
  const sort = (params.get("sort") as ClientSort | null) ?? "updated";
  const desc = params.get("dir") ? params.get("dir") === "desc" : true;
  const page = Number(params.get("page") ?? "0") || 0;

  /** Changes URL parameters (empty removes one); any filter change goes back to page 0. */
  const update = (changes: Record<string, string | undefined>, keepPage = false) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === "") next.delete(k);
      else next.set(k, v);
    }
    if (!keepPage && !("page" in changes)) next.delete("page");
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if ((params.get("q") ?? "") !== debounced.trim()) update({ q: debounced.trim() || undefined });
    // Only a new debounced text updates the URL; `update` changes on every render.
  }, [debounced]);

  useEffect(() => {
    if ((location.state as { focusSearch?: boolean } | null)?.focusSearch) searchRef.current?.focus();
  }, [location.state]);

  const query: ClientQuery = {
    search: params.get("q") || undefined,
    status,
    language,
    manager_id: managerId,
    deleted,
    sort,
    desc,
    page,
    page_size: PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: [...keys.clients, query],
    queryFn: () => ipc.clientList(query),
    placeholderData: keepPreviousData,
  });

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  const sortBy = (col: ClientSort) => {
    if (sort === col) update({ dir: desc ? "asc" : "desc" }, true);
    else update({ sort: col, dir: col === "name" || col === "status" ? "asc" : "desc" }, true);
  };
  const sortMark = (col: ClientSort) => (sort === col ? (desc ? " ▼" : " ▲") : "");
  const sortHeader = (col: ClientSort, label: string) => (
    <div role="columnheader" aria-sort={sort === col ? (desc ? "descending" : "ascending") : "none"}>
      <button type="button" className="th-button" data-testid={`sort-${col}`} onClick={() => sortBy(col)}>
        {label}
        {sortMark(col)}
      </button>
    </div>
  );

  const restore = async (id: string) => {
    try {
      await ipc.clientRestore(id);
      invalidateClients(qc, id);
      notice({ text: t("clients.restored") });
    } catch (e) {
      notice({ text: errorSentence(toAppError(e), t) });
    }
  };

  const filtered = Boolean(query.search || status || language || managerId);
  const emptyText = deleted ? t("clients.emptyBin") : filtered ? t("clients.emptySearch") : t("clients.empty");

  return (
    <div className="with-panel">
      <section className="page">
        <PageTitle
          actions={
            <button type="button" className="primary" data-testid="client-new" onClick={() => setCreating(true)}>
              + {t("clients.new")}
            </button>
          }
        >
          {deleted ? `${t("clients.title")} · ${t("clients.bin")}` : t("clients.title")}
        </PageTitle>
        <div className="toolbar">
          <input
            id="client-search"
            ref={searchRef}
            data-testid="client-search"
            className="search"
            type="search"
            dir="auto"
            placeholder={t("clients.search")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") setSearch("");
            }}
          />
          <select data-testid="filter-status" value={status ?? ""} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t("clients.anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{t(`status.${s}`)}</option>
            ))}
          </select>
          <select data-testid="filter-language" value={language ?? ""} onChange={(e) => update({ lang: e.target.value })}>
            <option value="">{t("clients.anyLanguage")}</option>
            {LANGUAGES_WITH_UNKNOWN.map((l) => (
              <option key={l} value={l}>{t(`lang.${l}`)}</option>
            ))}
          </select>
          <select data-testid="filter-manager" value={managerId ?? ""} onChange={(e) => update({ manager: e.target.value })}>
            <option value="">{t("clients.anyManager")}</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>{u.name}</option>
            ))}
          </select>
          <label className="toggle">
            <input type="checkbox" data-testid="client-bin" checked={deleted} onChange={(e) => update({ bin: e.target.checked ? "1" : undefined })} />
            {t("clients.bin")}
          </label>
          <span className="spacer" />
          <span className="muted" data-testid="client-total">{t("clients.total", { count: total })}</span>
        </div>
        {deleted && <p className="muted small">{t("clients.binHint")}</p>}
        {list.error && <ErrorMessage error={list.error} />}
        <div className="table-wrap">
          <div className={deleted ? "gt clients-gt with-action" : "gt clients-gt"} role="table">
            <div className="gt-head" role="row">
              {sortHeader("name", t("clients.colName"))}
              <div role="columnheader">{t("clients.colPhone")}</div>
              {sortHeader("status", t("clients.colStatus"))}
              <div role="columnheader">{t("clients.colLanguage")}</div>
              <div role="columnheader">{t("clients.colManager")}</div>
              {sortHeader("updated", t("clients.colUpdated"))}
              {deleted && <div role="columnheader" />}
            </div>
            {(list.data?.rows ?? []).map((r) => (
              <div
                key={r.id}
                role="row"
                data-testid="client-row"
                className="gt-row clickable"
                tabIndex={0}
                onClick={() => navigate(`/clients/${r.id}`)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") navigate(`/clients/${r.id}`);
                }}
              >
                <div role="cell" className="name-cell"><bdi dir="auto">{r.name}</bdi></div>
                <div role="cell" className="mono" dir="ltr">{r.phone ?? ""}</div>
                <div role="cell"><StatusPill status={r.status} /></div>
                <div role="cell"><LanguageLabel language={r.language} /></div>
                <div role="cell"><bdi dir="auto">{r.manager_name ?? ""}</bdi></div>
                <div role="cell" className="nowrap muted">{formatDateTime(r.updated_at, i18n.language)}</div>
                {deleted && (
                  <div role="cell">
                    <button
                      type="button"
                      className="small"
                      data-testid="client-restore"
                      onClick={(e) => {
                        e.stopPropagation();
                        void restore(r.id);
                      }}
                    >
                      {t("common.restore")}
                    </button>
                  </div>
                )}
              </div>
            ))}
          </div>
          {list.data && list.data.rows.length === 0 && <div className="empty">{emptyText}</div>}
          {list.isPending && <div className="empty">{t("common.loading")}</div>}
        </div>
        {pages > 1 && (
          <div className="pager">
            <button type="button" disabled={page <= 0} onClick={() => update({ page: String(page - 1) })}>
              ‹ {t("common.prev")}
            </button>
            <span>{t("common.pageOf", { page: page + 1, pages })}</span>
            <button type="button" disabled={page + 1 >= pages} onClick={() => update({ page: String(page + 1) })}>
              {t("common.next")} ›
            </button>
          </div>
        )}
      </section>
      {creating && (
        <SidePanel title={t("client.newTitle")} onClose={() => setCreating(false)} testId="client-editor">
          <ClientFormView
            initial={emptyClientForm(session.user.id)}
            submitLabel={t("client.create")}
            onSubmit={async (input) => {
              await ipc.clientCreate(input);
              invalidateClients(qc);
              setCreating(false);
              notice({ text: t("client.created") });
              return null;
            }}
          />
        </SidePanel>
      )}
    </div>
  );
}

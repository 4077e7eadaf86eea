// "Merge with…": find the duplicate, choose which client is kept, confirm.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import type { Client } from "../../bindings/Client";
import type { ClientRow } from "../../bindings/ClientRow";
import { ErrorMessage } from "../../components/ErrorMessage";
import { useNotice } from "../../components/Notice";
import { SidePanel } from "../../components/SidePanel";
import { StatusPill } from "../../components/StatusPill";
import { ipc } from "../../lib/ipc";
import { invalidateClients, keys } from "../../lib/queries";
import { useDebounced } from "../../lib/useDebounced";

export function MergePanel({ client, onClose }: { client: Client; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const notice = useNotice();
  const [search, setSearch] = useState("");
  const term = useDebounced(search.trim(), 250);
  const [other, setOther] = useState<ClientRow | null>(null);
  const [keepThis, setKeepThis] = useState(true);
  const found = useQuery({
    queryKey: [...keys.clients, "merge", term],
    queryFn: () => ipc.clientList({ search: term, deleted: false, sort: "name", desc: false, page: 0, page_size: 20 }),
    enabled: term.length > 0,
  });
  const merge = useMutation({
    mutationFn: () => {
      if (!other) throw new Error("no client chosen");
      return keepThis ? ipc.clientMerge(client.id, other.id) : ipc.clientMerge(other.id, client.id);
    },
    onSuccess: (kept) => {
      invalidateClients(qc, client.id);
      if (other) invalidateClients(qc, other.id);
      notice({ text: t("merge.done") });
      onClose();
      navigate(`/clients/${kept.id}`);
    },
  });
  const candidates = (found.data?.rows ?? []).filter((r) => r.id !== client.id);

  return (
    <SidePanel title={t("merge.title")} onClose={onClose} testId="merge-panel">
      <p className="muted">{t("merge.lead")}</p>
      {!other ? (
        <>
          <input
            className="search"
            data-testid="merge-search"
            dir="auto"
            type="search"
            autoFocus
            placeholder={t("merge.search")}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <ul className="pick-list">
            {candidates.map((r) => (
              <li key={r.id}>
                <button type="button" className="pick" data-testid="merge-candidate" onClick={() => setOther(r)}>
                  <bdi dir="auto" className="strong">{r.name}</bdi>
                  <span className="mono muted" dir="ltr">{r.phone ?? ""}</span>
                  <StatusPill status={r.status} />
                </button>
              </li>
            ))}
          </ul>
          {term && found.data && candidates.length === 0 && <p className="muted">{t("merge.noResults")}</p>}
        </>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            merge.mutate();
          }}
        >
          <fieldset className="stack">
            <legend>{t("merge.keep")}</legend>
            <label className="check">
              <input type="radio" name="keep" checked={keepThis} onChange={() => setKeepThis(true)} />
              <bdi dir="auto" className="strong">{client.name}</bdi>
              <span className="mono muted" dir="ltr">{client.phone ?? ""}</span>
            </label>
            <label className="check">
              <input type="radio" name="keep" checked={!keepThis} onChange={() => setKeepThis(false)} />
              <bdi dir="auto" className="strong">{other.name}</bdi>
              <span className="mono muted" dir="ltr">{other.phone ?? ""}</span>
            </label>
          </fieldset>
          {merge.error && <ErrorMessage error={merge.error} />}
          <div className="form-actions">
            <button type="submit" className="primary" data-testid="merge-confirm" disabled={merge.isPending}>
              {merge.isPending ? t("merge.merging") : t("merge.confirm")}
            </button>
            <button type="button" onClick={() => setOther(null)}>
              {t("common.back")}
            </button>
          </div>
        </form>
      )}
    </SidePanel>
  );
}

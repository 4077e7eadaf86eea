// Partners: guides, drivers, hotels; a list with a side editor; admins may delete.
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Language } from "../../bindings/Language";
import type { Partner } from "../../bindings/Partner";
import type { PartnerInput } from "../../bindings/PartnerInput";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { PageTitle } from "../../components/PageTitle";
import { SidePanel } from "../../components/SidePanel";
import { CLIENT_LANGUAGES, PARTNER_KINDS } from "../../lib/choices";
import { ipc } from "../../lib/ipc";
import { keys, usePartners } from "../../lib/queries";
import { useIsAdmin } from "../shell/session";

type Form = { name: string; kind: PartnerInput["kind"]; phone: string; telegram_chat: string; languages: Language[]; notes: string };

const empty: Form = { name: "", kind: "guide", phone: "", telegram_chat: "", languages: [], notes: "" };

function toForm(p: Partner): Form {
  return { name: p.name, kind: p.kind, phone: p.phone ?? "", telegram_chat: p.telegram_chat ?? "", languages: [...p.languages], notes: p.notes };
}

function toInput(f: Form): PartnerInput {
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  return { name: f.name, kind: f.kind, phone: opt(f.phone), telegram_chat: opt(f.telegram_chat), languages: f.languages, notes: f.notes };
}

export function PartnersPage() {
  const { t } = useTranslation();
  const partners = usePartners();
  const [editing, setEditing] = useState<Partner | "new" | null>(null);
  return (
    <div className="with-panel">
      <section className="page">
        <PageTitle
          actions={
            <button type="button" className="primary" data-testid="partner-new" onClick={() => setEditing("new")}>
              + {t("partners.new")}
            </button>
          }
        >
          {t("partners.title")}
        </PageTitle>
        {partners.error && <ErrorMessage error={partners.error} />}
        <div className="table-wrap">
          <div className="gt partners-gt" role="table">
            <div className="gt-head" role="row">
              <div role="columnheader">{t("partners.colName")}</div>
              <div role="columnheader">{t("partners.colKind")}</div>
              <div role="columnheader">{t("partners.colPhone")}</div>
              <div role="columnheader">{t("partners.telegram")}</div>
              <div role="columnheader">{t("partners.colLanguages")}</div>
            </div>
            {(partners.data ?? []).map((p) => (
              <div
                role="row"
                key={p.id}
                data-testid="partner-row"
                className={`gt-row clickable ${editing !== "new" && editing?.id === p.id ? "selected" : ""}`}
                tabIndex={0}
                onClick={() => setEditing(p)}
                onKeyDown={(e) => e.key === "Enter" && setEditing(p)}
              >
                <div role="cell" className="name-cell"><bdi dir="auto">{p.name}</bdi></div>
                <div role="cell">{t(`partnerKind.${p.kind}`)}</div>
                <div role="cell" className="mono" dir="ltr">{p.phone ?? ""}</div>
                <div role="cell" className="mono" dir="ltr">{p.telegram_chat ?? ""}</div>
                <div role="cell">
                  {p.languages.map((l) => (
                    <span key={l} className="lang-tag" title={t(`lang.${l}`)}>{l.toUpperCase()}</span>
                  ))}
                </div>
              </div>
            ))}
          </div>
          {partners.data && partners.data.length === 0 && <div className="empty">{t("partners.empty")}</div>}
        </div>
      </section>
      {editing && (
        <SidePanel
          key={editing === "new" ? "new" : editing.id}
          title={editing === "new" ? t("partners.newTitle") : t("partners.editTitle")}
          onClose={() => setEditing(null)}
          testId="partner-editor"
        >
          <PartnerEditor partner={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
        </SidePanel>
      )}
    </div>
  );
}

function PartnerEditor({ partner, onDone }: { partner: Partner | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const isAdmin = useIsAdmin();
  const [form, setForm] = useState<Form>(partner ? toForm(partner) : empty);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setPending(true);
    try {
      if (partner) await ipc.partnerUpdate(partner.id, toInput(form));
      else await ipc.partnerCreate(toInput(form));
      void qc.invalidateQueries({ queryKey: keys.partners });
      notice({ text: partner ? t("partners.saved") : t("partners.created") });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };
  const remove = async () => {
    if (!partner) return;
    try {
      await ipc.partnerDelete(partner.id);
      void qc.invalidateQueries({ queryKey: keys.partners });
      notice({ text: t("partners.deleted") });
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t("partners.name")}>
        <input data-testid="partner-name" dir="auto" value={form.name} onChange={(e) => set("name", e.target.value)} required autoFocus />
      </Field>
      <Field label={t("partners.kind")}>
        <select data-testid="partner-kind" value={form.kind} onChange={(e) => set("kind", e.target.value as Form["kind"])}>
          {PARTNER_KINDS.map((k) => (
            <option key={k} value={k}>{t(`partnerKind.${k}`)}</option>
          ))}
        </select>
      </Field>
      <Field label={t("partners.phone")}>
        <input data-testid="partner-phone" type="tel" dir="ltr" value={form.phone} onChange={(e) => set("phone", e.target.value)} />
      </Field>
      <Field label={t("partners.telegram")} hint={t("partners.telegramHint")}>
        <input data-testid="partner-telegram" dir="ltr" value={form.telegram_chat} onChange={(e) => set("telegram_chat", e.target.value)} />
      </Field>
      <div className="field">
        <span className="field-label">{t("partners.languages")}</span>
        <div className="check-grid">
          {CLIENT_LANGUAGES.map((l) => (
            <label key={l} className="check">
              <input
                type="checkbox"
                checked={form.languages.includes(l)}
                onChange={(e) => set("languages", e.target.checked ? [...form.languages, l] : form.languages.filter((x) => x !== l))}
              />
              {t(`lang.${l}`)}
            </label>
          ))}
        </div>
      </div>
      <Field label={t("partners.notes")}>
        <textarea dir="auto" rows={4} value={form.notes} onChange={(e) => set("notes", e.target.value)} />
      </Field>
      {error !== null && <ErrorMessage error={error} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="partner-save" disabled={pending}>
          {pending ? t("common.saving") : t("common.save")}
        </button>
        {partner && isAdmin && !confirmDelete && (
          <button type="button" className="danger" data-testid="partner-delete" onClick={() => setConfirmDelete(true)}>
            {t("common.delete")}
          </button>
        )}
      </div>
      {confirmDelete && (
        <div className="confirm-bar">
          <span>{t("partners.deleteConfirm")}</span>
          <button type="button" className="danger" onClick={() => void remove()}>
            {t("common.delete")}
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            {t("common.cancel")}
          </button>
        </div>
      )}
    </form>
  );
}

// Tours: a list with a side editor; admins may delete.
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Tour } from "../../bindings/Tour";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { PageTitle } from "../../components/PageTitle";
import { SidePanel } from "../../components/SidePanel";
import { DIFFICULTIES } from "../../lib/choices";
import { localeFor } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { formatMoney } from "../../lib/money";
import { keys, useTours } from "../../lib/queries";
import { useIsAdmin } from "../shell/session";
import { emptyTourForm, isProblem, tourFormToInput, tourToForm, type TourForm } from "./tourForm";

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

export function ToursPage() {
  const { t, i18n } = useTranslation();
  const tours = useTours();
  const [editing, setEditing] = useState<Tour | "new" | null>(null);

  const season = (months: number[]) =>
    months.length === 0 || months.length === 12 ? t("tours.allYear") : months.map((m) => t(`months.${m}`)).join(", ");

  return (
    <div className="with-panel">
      <section className="page">
        <PageTitle
          actions={
            <button type="button" className="primary" data-testid="tour-new" onClick={() => setEditing("new")}>
              + {t("tours.new")}
            </button>
          }
        >
          {t("tours.title")}
        </PageTitle>
        {tours.error && <ErrorMessage error={tours.error} />}
        <div className="table-wrap">
          <div className="gt tours-gt" role="table">
            <div className="gt-head" role="row">
              <div role="columnheader">{t("tours.colTitle")}</div>
              <div role="columnheader" className="num">{t("tours.colPrice")}</div>
              <div role="columnheader" className="num">{t("tours.colDays")}</div>
              <div role="columnheader">{t("tours.difficulty")}</div>
              <div role="columnheader">{t("tours.colSeason")}</div>
              <div role="columnheader">{t("tours.tags")}</div>
              <div role="columnheader">{t("tours.colActive")}</div>
            </div>
            {(tours.data ?? []).map((tour) => (
              <div
                role="row"
                key={tour.id}
                data-testid="tour-row"
                className={`gt-row clickable ${editing !== "new" && editing?.id === tour.id ? "selected" : ""}`}
                tabIndex={0}
                onClick={() => setEditing(tour)}
                onKeyDown={(e) => e.key === "Enter" && setEditing(tour)}
              >
                <div role="cell" className="name-cell"><bdi dir="auto">{tour.title}</bdi></div>
                <div role="cell" className="num nowrap">{formatMoney(tour.price_minor, tour.currency, localeFor(i18n.language))}</div>
                <div role="cell" className="num">{tour.duration_days}</div>
                <div role="cell">{t(`difficulty.${tour.difficulty}`)}</div>
                <div role="cell" className="muted">{season(tour.season_months)}</div>
                <div role="cell">
                  {tour.tags.map((tag) => (
                    <span key={tag} className="tag" dir="auto">{tag}</span>
                  ))}
                </div>
                <div role="cell">{tour.active ? t("common.yes") : <span className="muted">{t("common.no")}</span>}</div>
              </div>
            ))}
          </div>
          {tours.data && tours.data.length === 0 && <div className="empty">{t("tours.empty")}</div>}
        </div>
      </section>
      {editing && (
        <SidePanel
          key={editing === "new" ? "new" : editing.id}
          title={editing === "new" ? t("tours.newTitle") : t("tours.editTitle")}
          onClose={() => setEditing(null)}
          testId="tour-editor"
        >
          <TourEditor tour={editing === "new" ? null : editing} onDone={() => setEditing(null)} />
        </SidePanel>
      )}
    </div>
  );
}

function TourEditor({ tour, onDone }: { tour: Tour | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const isAdmin = useIsAdmin();
  const [form, setForm] = useState<TourForm>(tour ? tourToForm(tour) : emptyTourForm());
  const [error, setError] = useState<unknown>(null);
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const set = <K extends keyof TourForm>(k: K, v: TourForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const input = tourFormToInput(form);
    if (isProblem(input)) {
      setLocalProblem(input.kind === "currency" ? t("tours.unknownCurrency") : t("tours.invalidPrice", { digits: input.digits }));
      return;
    }
    setLocalProblem(null);
    setPending(true);
    try {
      if (tour) await ipc.tourUpdate(tour.id, input);
      else await ipc.tourCreate(input);
      void qc.invalidateQueries({ queryKey: keys.tours });
      notice({ text: tour ? t("tours.saved") : t("tours.created") });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  const remove = async () => {
    if (!tour) return;
    try {
      await ipc.tourDelete(tour.id);
      void qc.invalidateQueries({ queryKey: keys.tours });
      notice({ text: t("tours.deleted") });
      onDone();
    } catch (err) {
      setError(err);
    }
  };

  const toggleMonth = (m: number) =>
    set("season_months", form.season_months.includes(m) ? form.season_months.filter((x) => x !== m) : [...form.season_months, m]);

  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t("tours.tourTitle")}>
        <input data-testid="tour-title" dir="auto" value={form.title} onChange={(e) => set("title", e.target.value)} required autoFocus />
      </Field>
      <Field label={t("tours.description")}>
        <textarea data-testid="tour-description" dir="auto" rows={4} value={form.description} onChange={(e) => set("description", e.target.value)} />
      </Field>
      <div className="row">
        <Field label={t("tours.price")} hint={t("tours.priceHint", { currency: form.currency.toUpperCase() || "USD" })}>
          <input data-testid="tour-price" inputMode="decimal" dir="ltr" value={form.price} onChange={(e) => set("price", e.target.value)} required />
        </Field>
        <Field label={t("tours.currency")} hint={t("tours.currencyHint")}>
          <input data-testid="tour-currency" className="short mono" dir="ltr" maxLength={3} value={form.currency} onChange={(e) => set("currency", e.target.value.toUpperCase())} required />
        </Field>
      </div>
      <div className="row">
        <Field label={t("tours.duration")}>
          <input data-testid="tour-days" type="number" min={1} max={365} className="short" value={form.duration_days} onChange={(e) => set("duration_days", e.target.value)} />
        </Field>
        <Field label={t("tours.difficulty")}>
          <select data-testid="tour-difficulty" value={form.difficulty} onChange={(e) => set("difficulty", e.target.value as TourForm["difficulty"])}>
            {DIFFICULTIES.map((d) => (
              <option key={d} value={d}>{t(`difficulty.${d}`)}</option>
            ))}
          </select>
        </Field>
      </div>
      <div className="row">
        <Field label={t("tours.groupMin")}>
          <input type="number" min={1} className="short" value={form.group_min} onChange={(e) => set("group_min", e.target.value)} />
        </Field>
        <Field label={t("tours.groupMax")}>
          <input type="number" min={1} className="short" value={form.group_max} onChange={(e) => set("group_max", e.target.value)} />
        </Field>
      </div>
      <div className="field">
        <span className="field-label">{t("tours.season")}</span>
        <div className="month-toggles" role="group" aria-label={t("tours.season")}>
          {MONTHS.map((m) => (
            <button
              key={m}
              type="button"
              className={form.season_months.includes(m) ? "toggle-btn on" : "toggle-btn"}
              aria-pressed={form.season_months.includes(m)}
              onClick={() => toggleMonth(m)}
            >
              {t(`months.${m}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <span className="field-label">{t("tours.departures")}</span>
        {form.departures.length === 0 && <span className="field-hint">{t("tours.noDepartures")}</span>}
        {form.departures.map((d, i) => (
          <div key={i} className="row tight">
            <input
              type="date"
              value={d}
              onChange={(e) => set("departures", form.departures.map((x, j) => (j === i ? e.target.value : x)))}
            />
            <button type="button" className="small" onClick={() => set("departures", form.departures.filter((_, j) => j !== i))}>
              {t("common.remove")}
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="small" onClick={() => set("departures", [...form.departures, ""])}>
            + {t("tours.addDate")}
          </button>
        </div>
      </div>
      <Field label={t("tours.tags")} hint={t("tours.tagsHint")}>
        <input data-testid="tour-tags" dir="auto" value={form.tags} onChange={(e) => set("tags", e.target.value)} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={form.active} onChange={(e) => set("active", e.target.checked)} />
        {t("tours.active")}
      </label>
      {localProblem && (
        <div className="error" role="alert">
          <span data-testid="error-message">{localProblem}</span>
        </div>
      )}
      {error !== null && <ErrorMessage error={error} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="tour-save" disabled={pending}>
          {pending ? t("common.saving") : t("common.save")}
        </button>
        {tour && isAdmin && !confirmDelete && (
          <button type="button" className="danger" data-testid="tour-delete" onClick={() => setConfirmDelete(true)}>
            {t("common.delete")}
          </button>
        )}
      </div>
      {confirmDelete && (
        <div className="confirm-bar">
          <span>{t("tours.deleteConfirm")}</span>
          <button type="button" className="danger" data-testid="tour-delete-confirm" onClick={() => void remove()}>
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

// Every editable field of a client. Keeps what was typed when saving fails.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Client } from "../../bindings/Client";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { ADDRESS_FORMS, COMMON_TIME_ZONES, DIETS, LANGUAGES_WITH_UNKNOWN } from "../../lib/choices";
import { localTimeIn } from "../../lib/format";
import { usePartners, useTours, useUsers } from "../../lib/queries";
import { clientToForm, formToInput, type ClientForm } from "./clientForm";
import type { ClientInput } from "../../bindings/ClientInput";

export function ClientFormView({ initial, submitLabel, onSubmit, disabled }: {
  initial: ClientForm;
  submitLabel: string;
  /** Saves; resolves with the stored client so the form shows the normalised values. */
  onSubmit: (input: ClientInput) => Promise<Client | null>;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<ClientForm>(initial);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const users = useUsers();
  const partners = usePartners();
  const tours = useTours();

  const set = <K extends keyof ClientForm>(k: K, v: ClientForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const text = (k: "name" | "phone" | "email" | "time_zone" | "culture_notes" | "notes") => ({
    value: form[k],
    onChange: (e: { target: { value: string } }) => set(k, e.target.value),
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true);
    setError(null);
    try {
      const saved = await onSubmit(formToInput(form));
      if (saved) setForm(clientToForm(saved));
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };

  const managers = (users.data ?? []).filter((u) => u.active || u.id === form.manager_id);
  const zoneTime = form.time_zone.trim() ? localTimeIn(form.time_zone.trim(), i18n.language) : null;

  return (
    <form className="client-form" onSubmit={submit}>
      <fieldset disabled={disabled} className="grid-2">
        <Field label={t("client.name")} wide>
          <input data-testid="client-name" dir="auto" {...text("name")} required autoFocus={!initial.name} />
        </Field>
        <Field label={t("client.phone")} hint={t("client.phoneHint")}>
          <input data-testid="client-phone" type="tel" dir="ltr" {...text("phone")} />
        </Field>
        <Field label={t("client.email")}>
          <input data-testid="client-email" type="text" inputMode="email" dir="ltr" {...text("email")} />
        </Field>
        <Field label={t("client.language")}>
          <select data-testid="client-language" value={form.language} onChange={(e) => set("language", e.target.value as ClientForm["language"])}>
            {LANGUAGES_WITH_UNKNOWN.map((l) => (
              <option key={l} value={l}>{t(`lang.${l}`)}</option>
            ))}
          </select>
        </Field>
        <Field label={t("client.manager")}>
          <select data-testid="client-manager" value={form.manager_id} onChange={(e) => set("manager_id", e.target.value)}>
            <option value="">{t("client.noManager")}</option>
            {managers.map((u) => (
              <option key={u.id} value={u.id}>{u.name}</option>
            ))}
          </select>
        </Field>
        <Field label={t("client.partner")}>
          <select data-testid="client-partner" value={form.partner_id} onChange={(e) => set("partner_id", e.target.value)}>
            <option value="">{t("client.noPartner")}</option>
            {(partners.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>{p.name} · {t(`partnerKind.${p.kind}`)}</option>
            ))}
          </select>
        </Field>

        <h3 className="wide section-title">{t("client.culture")}</h3>
        <Field label={t("client.diet")}>
          <select data-testid="client-diet" value={form.diet} onChange={(e) => set("diet", e.target.value as ClientForm["diet"])}>
            {DIETS.map((d) => (
              <option key={d} value={d}>{t(`diet.${d}`)}</option>
            ))}
          </select>
        </Field>
        <Field label={t("client.address")}>
          <select data-testid="client-address" value={form.address} onChange={(e) => set("address", e.target.value as ClientForm["address"])}>
            {ADDRESS_FORMS.map((a) => (
              <option key={a} value={a}>{t(`address.${a}`)}</option>
            ))}
          </select>
        </Field>
        <Field
          label={t("client.timeZone")}
          hint={zoneTime ? t("client.localTime", { time: zoneTime }) : t("client.timeZoneHint")}
          wide
        >
          <input data-testid="client-timezone" dir="ltr" list="tz-list" placeholder="Asia/Bishkek" {...text("time_zone")} />
          <datalist id="tz-list">
            {COMMON_TIME_ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </Field>
        <Field label={t("client.cultureNotes")} wide>
          <textarea data-testid="client-culture-notes" dir="auto" rows={2} {...text("culture_notes")} />
        </Field>

        <Field label={t("client.tours")} wide>
          {tours.data && tours.data.length === 0 ? (
            <span className="muted small">{t("client.noTours")}</span>
          ) : (
            <div className="check-list">
              {(tours.data ?? []).map((tour) => (
                <label key={tour.id} className={tour.active ? "check" : "check inactive"}>
                  <input
                    type="checkbox"
                    checked={form.tour_ids.includes(tour.id)}
                    onChange={(e) =>
                      set("tour_ids", e.target.checked ? [...form.tour_ids, tour.id] : form.tour_ids.filter((x) => x !== tour.id))
                    }
                  />
                  <bdi>{tour.title}</bdi>
                </label>
              ))}
            </div>
          )}
        </Field>
        <Field label={t("client.notes")} wide>
          <textarea data-testid="client-notes" dir="auto" rows={4} {...text("notes")} />
        </Field>
      </fieldset>
      {(error !== null || !disabled) && (
        <div className="form-footer">
          {error !== null && <ErrorMessage error={error} />}
          {!disabled && (
            <div className="form-actions">
              <button type="submit" className="primary" data-testid="client-save" disabled={pending}>
                {pending ? t("common.saving") : submitLabel}
              </button>
            </div>
          )}
        </div>
      )}
    </form>
  );
}

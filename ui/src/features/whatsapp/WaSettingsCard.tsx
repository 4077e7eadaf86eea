// Admins only: how fast the queue may send, and whether opening a chat sends read receipts.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { WaSettings } from "../../bindings/WaSettings";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";

export const MIN_PER_MINUTE = 1;
export const MAX_PER_MINUTE = 20;

export function WaSettingsCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const settings = useQuery({ queryKey: keys.waSettings, queryFn: ipc.waSettingsGet });
  const [form, setForm] = useState<{ perMinute: string; receipts: boolean } | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm({ perMinute: String(settings.data.sends_per_minute), receipts: settings.data.send_read_receipts });
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (s: WaSettings) => ipc.waSettingsUpdate(s),
    onSuccess: (s) => {
      qc.setQueryData(keys.waSettings, s);
      setForm({ perMinute: String(s.sends_per_minute), receipts: s.send_read_receipts });
      notice({ text: t("wa.settings.saved") });
    },
  });
  const perMinute = Number(form?.perMinute);
  const valid = Number.isInteger(perMinute) && perMinute >= MIN_PER_MINUTE && perMinute <= MAX_PER_MINUTE;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form && valid) save.mutate({ sends_per_minute: perMinute, send_read_receipts: form.receipts });
  };
  return (
    <form className="card" onSubmit={submit}>
      <h2 className="card-title">{t("wa.settings.title")}</h2>
      {settings.error && <ErrorMessage error={settings.error} />}
      {form && (
        <div className="stack">
          <Field label={t("wa.settings.perMinute")} hint={t("wa.settings.perMinuteHint")}>
            <input
              type="number"
              className="short"
              data-testid="wa-per-minute"
              min={MIN_PER_MINUTE}
              max={MAX_PER_MINUTE}
              value={form.perMinute}
              onChange={(e) => setForm({ ...form, perMinute: e.target.value })}
            />
          </Field>
          <div className="field">
            <label className="check">
              <input type="checkbox" data-testid="wa-read-receipts" checked={form.receipts} onChange={(e) => setForm({ ...form, receipts: e.target.checked })} />
              {t("wa.settings.readReceipts")}
            </label>
            <span className="field-hint">{t("wa.settings.readReceiptsHint")}</span>
          </div>
        </div>
      )}
      {save.error && <ErrorMessage error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="wa-settings-save" disabled={!form || !valid || save.isPending}>
          {save.isPending ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
}

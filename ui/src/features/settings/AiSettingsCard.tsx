// AI provider: preset, base URL, model, the write-only API key, "test connection", the user's
// own language for translations, and model usage per day.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { AiFallbackState } from "../../bindings/AiFallbackState";
import type { AiPreset } from "../../bindings/AiPreset";
import type { AiSettings } from "../../bindings/AiSettings";
import type { AiStatus } from "../../bindings/AiStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { AI_PRESETS, CLIENT_LANGUAGES } from "../../lib/choices";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { baseUrlForPreset, PRESET_MODEL_EXAMPLE, testResultMessage } from "./aiForm";

export function AiSettingsCard({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: keys.aiStatus, queryFn: ipc.aiStatus });
  const keychain = status.data?.keychain;
  return (
    <div className="card ai-card" data-testid="ai-card">
      <h2 className="card-title">{t("ai.title")}</h2>
      <p className="muted small">{t("ai.lead")}</p>
      {status.error && <ErrorMessage error={status.error} />}
      {keychain && !keychain.available && status.data?.fallback !== "enabled_unlocked" && (
        <div className="error" role="alert" data-testid="ai-keychain-unavailable">
          {t("ai.keychainUnavailable")}
          {keychain.reason && <div className="error-details">{keychain.reason}</div>}
        </div>
      )}
      {status.data && <FallbackRow isAdmin={isAdmin} state={status.data.fallback} />}
      <ProviderForm isAdmin={isAdmin} />
      <KeyRow isAdmin={isAdmin} />
      {isAdmin ? <TestRow /> : <p className="field-hint">{t("common.adminsOnly")}</p>}
      <LanguageRow />
      <UsageTable />
    </div>
  );
}

function ProviderForm({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const settings = useQuery({ queryKey: keys.aiSettings, queryFn: ipc.aiSettingsGet });
  const [form, setForm] = useState<AiSettings | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm(settings.data);
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (s: AiSettings) => ipc.aiSettingsUpdate(s),
    onSuccess: (s) => {
      qc.setQueryData(keys.aiSettings, s);
      setForm(s);
      void qc.invalidateQueries({ queryKey: keys.aiStatus });
      notice({ text: t("ai.saved") });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form) save.mutate(form);
  };
  return (
    <form onSubmit={submit}>
      {settings.error && <ErrorMessage error={settings.error} />}
      {form && (
        <fieldset disabled={!isAdmin} className="row">
          <Field label={t("ai.preset")}>
            <select
              data-testid="ai-preset"
              value={form.preset}
              onChange={(e) => {
                const preset = e.target.value as AiPreset;
                setForm({ ...form, preset, base_url: baseUrlForPreset(preset, form.base_url) });
              }}
            >
              {AI_PRESETS.map((p) => (
                <option key={p} value={p}>
                  {t(`aiPreset.${p}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("fields.base_url")} hint={t("ai.baseUrlHint")} wide>
            <input data-testid="ai-base-url" className="mono" dir="ltr" value={form.base_url} onChange={(e) => setForm({ ...form, base_url: e.target.value })} />
          </Field>
          <Field label={t("fields.model")}>
            <input data-testid="ai-model" className="mono" dir="ltr" placeholder={PRESET_MODEL_EXAMPLE[form.preset]} value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} />
          </Field>
        </fieldset>
      )}
      {save.error && <ErrorMessage error={save.error} />}
      {isAdmin && (
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="ai-save" disabled={save.isPending || !form}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      )}
    </form>
  );
}

function KeyRow({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const status = useQuery({ queryKey: keys.aiStatus, queryFn: ipc.aiStatus });
  // Where no keychain works and the admin turned the encrypted file on, the key lives there.
  const inFile = status.data?.keychain.available === false && status.data?.fallback === "enabled_unlocked";
  // The typed key lives only in this input until it is sent; it is never read back.
  const [key, setKey] = useState("");
  const refresh = () => void qc.invalidateQueries({ queryKey: keys.aiStatus });
  const saveKey = useMutation({
    mutationFn: () => ipc.aiKeySet(key),
    onSuccess: () => {
      setKey("");
      refresh();
      notice({ text: t(inFile ? "ai.keySavedInFileNotice" : "ai.keySavedNotice") });
    },
  });
  const clearKey = useMutation({
    mutationFn: ipc.aiKeyClear,
    onSuccess: () => {
      refresh();
      notice({ text: t("ai.keyRemovedNotice") });
    },
  });
  const present = status.data?.key_present ?? false;
  // The key can be written to the keychain, or to the unlocked encrypted file the admin chose.
  const available = (status.data?.keychain.available ?? false) || status.data?.fallback === "enabled_unlocked";
  return (
    <div className="ai-key">
      <p data-testid="ai-key-status" className={present ? "" : "muted"}>
        {t("fields.api_key")}: <strong>{present ? t(inFile ? "ai.keySavedInFile" : "ai.keySaved") : t("ai.noKey")}</strong>
        {status.data && !status.data.key_required && <span className="muted small"> — {t("ai.keyOptional")}</span>}
      </p>
      {isAdmin && available && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (key.trim()) saveKey.mutate();
          }}
        >
          <Field label={present ? t("ai.replaceKey") : t("ai.enterKey")} hint={t(inFile ? "ai.keyHintInFile" : "ai.keyHint")}>
            <input data-testid="ai-key" type="password" autoComplete="off" spellCheck={false} dir="ltr" value={key} onChange={(e) => setKey(e.target.value)} />
          </Field>
          <div className="form-actions">
            <button type="submit" data-testid="ai-key-save" disabled={saveKey.isPending || !key.trim()}>
              {t("ai.saveKey")}
            </button>
            {present && (
              <button type="button" className="danger" data-testid="ai-key-clear" disabled={clearKey.isPending} onClick={() => clearKey.mutate()}>
                {t("ai.removeKey")}
              </button>
            )}
          </div>
        </form>
      )}
      {(saveKey.error || clearKey.error) && <ErrorMessage error={saveKey.error ?? clearKey.error} />}
    </div>
  );
}

/** The opt-in encrypted key file, shown only when no keychain works. */
function FallbackRow({ isAdmin, state }: { isAdmin: boolean; state: AiFallbackState }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  // The sign-in password lives only in this input until it is sent; it is cleared at once.
  const [password, setPassword] = useState("");
  const [confirming, setConfirming] = useState(false);
  const done = (s: AiStatus) => qc.setQueryData(keys.aiStatus, s);
  const enable = useMutation({
    mutationFn: () => ipc.aiFallbackEnable(password),
    onSettled: () => setPassword(""),
    onSuccess: done,
  });
  const disable = useMutation({
    mutationFn: ipc.aiFallbackDisable,
    onSettled: () => setConfirming(false),
    onSuccess: done,
  });
  if (state === "not_offered") return null;
  return (
    <div className="ai-fallback" data-testid="ai-fallback" data-state={state}>
      {state === "offered" && (
        <>
          <p>{t("ai.fallbackOffer")}</p>
          <p className="muted small">{t("ai.fallbackOneUser")}</p>
          {isAdmin ? (
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (password) enable.mutate();
              }}
            >
              <Field label={t("ai.fallbackPassword")}>
                <input data-testid="ai-fallback-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
              </Field>
              <div className="form-actions">
                <button type="submit" data-testid="ai-fallback-enable" disabled={enable.isPending || !password}>
                  {t("ai.fallbackEnable")}
                </button>
              </div>
            </form>
          ) : (
            <p className="field-hint">{t("common.adminsOnly")}</p>
          )}
        </>
      )}
      {state === "enabled_unlocked" && <p data-testid="ai-fallback-unlocked">{t("ai.fallbackUnlocked")}</p>}
      {state === "enabled_locked" && (
        <p className="error" role="alert" data-testid="ai-fallback-locked">
          {t("ai.fallbackLocked")}
        </p>
      )}
      {state !== "offered" && isAdmin && (
        <div className="form-actions">
          {confirming ? (
            <div className="confirm-bar">
              <span>{t("ai.fallbackDisableConfirm")}</span>
              <button type="button" className="danger" data-testid="ai-fallback-disable-confirm" disabled={disable.isPending} onClick={() => disable.mutate()}>
                {t("ai.fallbackDisable")}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t("common.cancel")}
              </button>
            </div>
          ) : (
            <button type="button" className="danger" data-testid="ai-fallback-disable" onClick={() => setConfirming(true)}>
              {t("ai.fallbackDisable")}
            </button>
          )}
        </div>
      )}
      {(enable.error || disable.error) && <ErrorMessage error={enable.error ?? disable.error} />}
    </div>
  );
}

function TestRow() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const test = useMutation({
    mutationFn: ipc.aiTestConnection,
    onSettled: () => void qc.invalidateQueries({ queryKey: keys.aiUsage }),
  });
  const message = test.data ? testResultMessage(test.data) : null;
  return (
    <div className="form-actions ai-test">
      <button type="button" data-testid="ai-test" disabled={test.isPending} onClick={() => test.mutate()}>
        {test.isPending ? t("ai.testing") : t("ai.test")}
      </button>
      {message && test.data && (
        <span data-testid="ai-test-result" data-ok={test.data.ok ? "true" : "false"} className={test.data.ok ? "" : "error"} role="status">
          {t(message.key, message.values)}
        </span>
      )}
      {test.error && <ErrorMessage error={test.error} />}
    </div>
  );
}

function LanguageRow() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const lang = useQuery({ queryKey: keys.aiLanguage, queryFn: ipc.aiLanguageGet });
  const set = useMutation({
    mutationFn: (l: string | null) => ipc.aiLanguageSet(l),
    onSuccess: (l) => qc.setQueryData(keys.aiLanguage, l),
  });
  return (
    <div className="row">
      <Field label={t("ai.managerLanguage")} hint={t("ai.managerLanguageHint")}>
        <select
          data-testid="ai-manager-language"
          value={lang.data?.chosen ?? ""}
          disabled={!lang.data || set.isPending}
          onChange={(e) => set.mutate(e.target.value === "" ? null : e.target.value)}
        >
          <option value="">{t("ai.sameAsUi", { lang: t(`lang.${i18n.language === "en" ? "en" : "ru"}`) })}</option>
          {CLIENT_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {t(`lang.${l}`)}
            </option>
          ))}
        </select>
      </Field>
      {(lang.error || set.error) && <ErrorMessage error={lang.error ?? set.error} />}
    </div>
  );
}

function UsageTable() {
  const { t, i18n } = useTranslation();
  const usage = useQuery({ queryKey: keys.aiUsage, queryFn: ipc.aiUsage });
  const n = (v: number) => v.toLocaleString(i18n.language);
  return (
    <div>
      <h3 className="card-subtitle">{t("ai.usage")}</h3>
      {usage.error && <ErrorMessage error={usage.error} />}
      {usage.data && usage.data.length === 0 ? (
        <p className="muted" data-testid="ai-usage-empty">{t("ai.noUsage")}</p>
      ) : (
        <div className="gt ai-usage-gt" role="table" data-testid="ai-usage">
          <div className="gt-head" role="row">
            <div role="columnheader">{t("ai.colDay")}</div>
            <div role="columnheader" className="num">{t("ai.colCalls")}</div>
            <div role="columnheader" className="num">{t("ai.colFailures")}</div>
            <div role="columnheader" className="num">{t("ai.colTokensIn")}</div>
            <div role="columnheader" className="num">{t("ai.colTokensOut")}</div>
          </div>
          {(usage.data ?? []).map((d) => (
            <div role="row" key={d.day} className="gt-row" data-testid="ai-usage-row">
              <div role="cell" className="nowrap mono">{d.day}</div>
              <div role="cell" className="num">{n(d.calls)}</div>
              <div role="cell" className="num">{n(d.failures)}</div>
              <div role="cell" className="num">{n(d.tokens_in)}</div>
              <div role="cell" className="num">{n(d.tokens_out)}</div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

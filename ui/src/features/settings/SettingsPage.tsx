// Settings: interface language, organisation settings, AI provider, backups, data folder,
// own password.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { OrgSettings } from "../../bindings/OrgSettings";
import { BackupCopyCard } from "./BackupCopyCard";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { LangSwitch } from "../../components/LangSwitch";
import { useNotice } from "../../components/Notice";
import { PageTitle } from "../../components/PageTitle";
import { formatBytes, formatDateTime } from "../../lib/format";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { useIsAdmin } from "../shell/session";
import { useSetUiLanguage } from "../shell/Shell";
import { WaBadge } from "../whatsapp/WaBadge";
import { DesktopSettingsCard } from "../desktop/DesktopSettingsCard";
import { AiSettingsCard } from "./AiSettingsCard";

export function SettingsPage() {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const setLanguage = useSetUiLanguage();
  const dataDir = useQuery({ queryKey: keys.dataDir, queryFn: ipc.dataDir, staleTime: Infinity });
  return (
    <section className="page settings-page">
      <PageTitle>{t("settings.title")}</PageTitle>
      <div className="card">
        <h2 className="card-title">{t("settings.uiLanguage")}</h2>
        <LangSwitch prefix="settings-lang" onPick={(l) => void setLanguage(l)} />
        <p className="field-hint">{t("settings.uiLanguageHint")}</p>
      </div>
      <OrgSettingsCard isAdmin={isAdmin} />
      <div className="card">
        <h2 className="card-title">{t("settings.whatsapp")}</h2>
        <div className="row tight">
          <WaBadge testId="settings-wa-badge" />
          <Link to="/whatsapp" data-testid="settings-whatsapp-link">
            {t("settings.whatsappOpen")} ›
          </Link>
        </div>
      </div>
      <AiSettingsCard isAdmin={isAdmin} />
      {isAdmin ? (
        <>
          <BackupsCard />
          <BackupCopyCard />
        </>
      ) : (
        <p className="muted">{t("settings.adminOnlySection")}</p>
      )}
      <div className="card">
        <h2 className="card-title">{t("settings.dataDir")}</h2>
        {dataDir.error ? <ErrorMessage error={dataDir.error} /> : <code className="path" data-testid="data-dir">{dataDir.data ?? ""}</code>}
      </div>
      <DesktopSettingsCard />
      <PasswordCard />
    </section>
  );
}

function OrgSettingsCard({ isAdmin }: { isAdmin: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const settings = useQuery({ queryKey: keys.settings, queryFn: ipc.settingsGet });
  const [form, setForm] = useState<{ region: string; keep: string } | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm({ region: settings.data.default_region, keep: String(settings.data.backups_keep) });
  }, [settings.data, form]);
  const save = useMutation({
    mutationFn: (s: OrgSettings) => ipc.settingsUpdate(s),
    onSuccess: (s) => {
      qc.setQueryData(keys.settings, s);
      setForm({ region: s.default_region, keep: String(s.backups_keep) });
      notice({ text: t("settings.orgSaved") });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    const keep = Number(form.keep);
    save.mutate({ default_region: form.region.trim().toUpperCase(), backups_keep: Number.isInteger(keep) && keep >= 0 ? keep : 0 });
  };
  return (
    <form className="card" onSubmit={submit}>
      <h2 className="card-title">{t("settings.organisation")}</h2>
      {settings.error && <ErrorMessage error={settings.error} />}
      {form && (
        <fieldset disabled={!isAdmin} className="row">
          <Field label={t("settings.region")} hint={t("settings.regionHint")}>
            <input data-testid="settings-region" className="short mono" maxLength={2} dir="ltr" value={form.region} onChange={(e) => setForm({ ...form, region: e.target.value.toUpperCase() })} />
          </Field>
          <Field label={t("settings.backupsKeep")}>
            <input type="number" min={1} max={100} className="short" value={form.keep} onChange={(e) => setForm({ ...form, keep: e.target.value })} />
          </Field>
        </fieldset>
      )}
      {save.error && <ErrorMessage error={save.error} />}
      {isAdmin ? (
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="settings-save" disabled={save.isPending}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      ) : (
        <p className="field-hint">{t("common.adminsOnly")}</p>
      )}
    </form>
  );
}

function BackupsCard() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const backups = useQuery({ queryKey: keys.backups, queryFn: ipc.backupList });
  const [confirming, setConfirming] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: ipc.backupCreate,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.backups });
      notice({ text: t("settings.backupDone") });
    },
  });
  const restore = useMutation({
    mutationFn: (name: string) => ipc.backupRestore(name),
    onSuccess: () => {
      setConfirming(null);
      // Everything on screen may have changed: refetch it all.
      void qc.invalidateQueries();
      notice({ text: t("settings.restored"), ms: 6000 });
    },
  });
  return (
    <div className="card">
      <div className="card-head">
        <h2 className="card-title">{t("settings.backups")}</h2>
        <button type="button" data-testid="backup-now" onClick={() => create.mutate()} disabled={create.isPending}>
          {create.isPending ? t("settings.backingUp") : t("settings.backupNow")}
        </button>
      </div>
      <p className="muted small">{t("settings.backupsLead")}</p>
      {(backups.error || create.error || restore.error) && <ErrorMessage error={backups.error ?? create.error ?? restore.error} />}
      {confirming && (
        <div className="confirm-bar">
          <span>{t("settings.restoreConfirm", { name: confirming })}</span>
          <button type="button" className="danger" data-testid="backup-restore-confirm" disabled={restore.isPending} onClick={() => restore.mutate(confirming)}>
            {t("settings.restoreYes")}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {t("common.cancel")}
          </button>
        </div>
      )}
      {backups.data && backups.data.length === 0 ? (
        <p className="muted">{t("settings.noBackups")}</p>
      ) : (
        <div className="gt backups-gt" role="table">
          <div className="gt-head" role="row">
            <div role="columnheader">{t("settings.colWhen")}</div>
            <div role="columnheader">{t("settings.colReason")}</div>
            <div role="columnheader" className="num">{t("settings.colSize")}</div>
            <div role="columnheader">{t("settings.colName")}</div>
            <div role="columnheader" />
          </div>
          {(backups.data ?? []).map((b) => (
            <div role="row" key={b.name} className="gt-row" data-testid="backup-row">
              <div role="cell" className="nowrap">{formatDateTime(b.taken_at, i18n.language)}</div>
              <div role="cell">{t(`backupReason.${b.reason}`)}</div>
              <div role="cell" className="num nowrap">{formatBytes(b.bytes, i18n.language)}</div>
              <div role="cell" className="mono muted small">{b.name}</div>
              <div role="cell" className="right">
                <button type="button" className="small" onClick={() => setConfirming(b.name)}>
                  {t("settings.restore")}
                </button>
              </div>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const notice = useNotice();
  const [oldPassword, setOld] = useState("");
  const [newPassword, setNew] = useState("");
  const change = useMutation({
    mutationFn: () => ipc.changePassword(oldPassword, newPassword),
    onSuccess: () => {
      setOld("");
      setNew("");
      notice({ text: t("settings.passwordChanged") });
    },
  });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        change.mutate();
      }}
    >
      <h2 className="card-title">{t("settings.password")}</h2>
      <div className="row">
        <Field label={t("settings.oldPassword")}>
          <input type="password" autoComplete="current-password" value={oldPassword} onChange={(e) => setOld(e.target.value)} required />
        </Field>
        <Field label={t("settings.newPassword")} hint={t("auth.passwordHint")}>
          <input type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} required />
        </Field>
      </div>
      {change.error && <ErrorMessage error={change.error} />}
      <div className="form-actions">
        <button type="submit" data-testid="password-change" disabled={change.isPending}>
          {t("settings.changePassword")}
        </button>
      </div>
    </form>
  );
}

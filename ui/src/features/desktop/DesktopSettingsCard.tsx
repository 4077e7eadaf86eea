// Settings of the app on this computer: version and updates (channel, check now), closing the
// window into the tray, starting at login.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { DesktopSettings } from "../../bindings/DesktopSettings";
import type { UpdateChannel } from "../../bindings/UpdateChannel";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { ipc } from "../../lib/ipc";
import { useUpdates } from "./UpdateHost";
import { updateFailureText } from "./updateState";

const KEY = ["desktopSettings"] as const;
const CHANNELS: readonly UpdateChannel[] = ["stable", "beta"];

export function DesktopSettingsCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const updates = useUpdates();
  const version = useQuery({ queryKey: ["appVersion"], queryFn: ipc.appVersion, staleTime: Infinity });
  const settings = useQuery({ queryKey: KEY, queryFn: ipc.desktopSettingsGet });
  const save = useMutation({
    mutationFn: (s: DesktopSettings) => ipc.desktopSettingsUpdate(s),
    onSuccess: (s) => qc.setQueryData(KEY, s),
  });
  const check = useMutation({ mutationFn: updates.check });
  const s = settings.data ?? (settings.error ? defaults() : null);
  const change = (patch: Partial<DesktopSettings>) => s && save.mutate({ ...s, ...patch });
  const u = updates.state;

  return (
    <div className="card" data-testid="desktop-settings">
      <h2 className="card-title">{t("desktop.settings.title")}</h2>
      <p className="muted small" data-testid="app-version">
        {t("desktop.settings.version", { version: version.data ?? "…" })}
      </p>
      {settings.error && <ErrorMessage error={settings.error} />}
      {s && (
        <div className="row">
          <Field label={t("desktop.settings.channel")} hint={t("desktop.settings.channelHint")}>
            <select data-testid="update-channel" value={s.update_channel} onChange={(e) => change({ update_channel: e.target.value as UpdateChannel })}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`desktop.settings.channels.${c}`)}
                </option>
              ))}
            </select>
          </Field>
          <div className="field">
            <button type="button" data-testid="update-check" disabled={check.isPending || u.state === "downloading"} onClick={() => check.mutate()}>
              {check.isPending ? t("desktop.update.checking") : t("desktop.settings.checkNow")}
            </button>
            <span className="field-hint" data-testid="update-check-result" data-state={u.state} data-failure={u.state === "failed" ? u.failure : undefined}>
              {checkResult(u, t)}
            </span>
          </div>
        </div>
      )}
      {s && (
        <div className="row">
          <div className="field">
            <label className="check">
              <input type="checkbox" data-testid="close-to-tray" checked={s.close_to_tray} onChange={(e) => change({ close_to_tray: e.target.checked, close_to_tray_explained: true })} />
              {t("desktop.settings.closeToTray")}
            </label>
            <span className="field-hint">{t("desktop.settings.closeToTrayHint")}</span>
          </div>
          <div className="field">
            <label className="check">
              <input type="checkbox" data-testid="start-at-login" checked={s.start_at_login} onChange={(e) => change({ start_at_login: e.target.checked })} />
              {t("desktop.settings.startAtLogin")}
            </label>
            <span className="field-hint">{t("desktop.settings.startAtLoginHint")}</span>
          </div>
        </div>
      )}
      {save.error && <ErrorMessage error={save.error} />}
      {check.error && <ErrorMessage error={check.error} />}
    </div>
  );
}

/** What the last check found, in one line. */
function checkResult(u: ReturnType<typeof useUpdates>["state"], t: ReturnType<typeof useTranslation>["t"]): string {
  switch (u.state) {
    case "up_to_date":
      return t("desktop.update.upToDate", { version: u.current });
    case "available":
      return t("desktop.update.available", { version: u.version });
    case "failed":
      return updateFailureText(u.failure, t);
    case "checking":
      return t("desktop.update.checking");
    default:
      return "";
  }
}

/** What applies while the preferences file cannot be read (saving replaces it). */
function defaults(): DesktopSettings {
  return { update_channel: "stable", close_to_tray: true, start_at_login: false, close_to_tray_explained: false };
}

// Users (admins only): roles, deactivation and adding a user.
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { NewUser } from "../../bindings/NewUser";
import type { Role } from "../../bindings/Role";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useNotice } from "../../components/Notice";
import { PageTitle } from "../../components/PageTitle";
import { SidePanel } from "../../components/SidePanel";
import { ROLES } from "../../lib/choices";
import { ipc } from "../../lib/ipc";
import { keys, useUsers } from "../../lib/queries";
import { useSession } from "../shell/session";

export function UsersPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { session } = useSession();
  const users = useUsers();
  const [adding, setAdding] = useState(false);
  const [rowError, setRowError] = useState<unknown>(null);

  const run = async (f: () => Promise<unknown>) => {
    setRowError(null);
    try {
      await f();
      void qc.invalidateQueries({ queryKey: keys.users });
    } catch (e) {
      setRowError(e);
    }
  };

  return (
    <div className="with-panel">
      <section className="page">
        <PageTitle
          actions={
            <button type="button" className="primary" data-testid="user-new" onClick={() => setAdding(true)}>
              + {t("users.add")}
            </button>
          }
        >
          {t("users.title")}
        </PageTitle>
        {(users.error !== null || rowError !== null) && <ErrorMessage error={users.error ?? rowError} />}
        <div className="table-wrap">
          <div className="gt users-gt" role="table">
            <div className="gt-head" role="row">
              <div role="columnheader">{t("users.colName")}</div>
              <div role="columnheader">{t("users.colEmail")}</div>
              <div role="columnheader">{t("users.colRole")}</div>
              <div role="columnheader">{t("users.colState")}</div>
              <div role="columnheader" />
            </div>
            {(users.data ?? []).map((u) => (
              <div role="row" key={u.id} data-testid="user-row" className={u.active ? "gt-row" : "gt-row inactive"}>
                <div role="cell" className="name-cell">
                  <bdi dir="auto">{u.name}</bdi>
                  {u.id === session.user.id && <span className="muted"> ({t("users.you")})</span>}
                </div>
                <div role="cell" dir="ltr" className="mono">{u.email}</div>
                <div role="cell">
                  <select
                    data-testid="user-role"
                    value={u.role}
                    aria-label={t("users.role")}
                    onChange={(e) => void run(() => ipc.userSetRole(u.id, e.target.value as Role))}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>{t(`role.${r}`)}</option>
                    ))}
                  </select>
                </div>
                <div role="cell">{u.active ? t("users.active") : <span className="muted">{t("users.inactive")}</span>}</div>
                <div role="cell" className="right">
                  <button type="button" className="small" data-testid="user-toggle-active" onClick={() => void run(() => ipc.userSetActive(u.id, !u.active))}>
                    {u.active ? t("users.deactivate") : t("users.reactivate")}
                  </button>
                </div>
              </div>
            ))}
          </div>
        </div>
      </section>
      {adding && (
        <SidePanel title={t("users.addTitle")} onClose={() => setAdding(false)} testId="user-editor">
          <AddUser onDone={() => setAdding(false)} />
        </SidePanel>
      )}
    </div>
  );
}

function AddUser({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const notice = useNotice();
  const [form, setForm] = useState<NewUser>({ name: "", email: "", password: "", role: "manager" });
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setPending(true);
    try {
      await ipc.userAdd({ ...form, email: form.email.trim() });
      void qc.invalidateQueries({ queryKey: keys.users });
      notice({ text: t("users.added"), ms: 6000 });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };
  return (
    <form className="stack" onSubmit={submit}>
      <Field label={t("users.name")}>
        <input data-testid="user-name" dir="auto" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required autoFocus />
      </Field>
      <Field label={t("users.email")}>
        <input data-testid="user-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required />
      </Field>
      <Field label={t("users.password")} hint={t("auth.passwordHint")}>
        <input data-testid="user-password" type="text" autoComplete="off" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required />
      </Field>
      <Field label={t("users.role")}>
        <select data-testid="user-new-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>{t(`role.${r}`)}</option>
          ))}
        </select>
      </Field>
      {error !== null && <ErrorMessage error={error} />}
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="user-save" disabled={pending}>
          {pending ? t("common.saving") : t("users.add")}
        </button>
      </div>
    </form>
  );
}

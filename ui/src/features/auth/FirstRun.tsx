// First start: create the organisation and its admin, then show the recovery code once.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { OrgCreated } from "../../bindings/OrgCreated";
import type { Session } from "../../bindings/Session";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { PageTitle } from "../../components/PageTitle";
import { ipc } from "../../lib/ipc";
import { AuthLayout } from "./AuthLayout";
import { RecoveryCode } from "./RecoveryCode";

export function FirstRun({ onDone }: { onDone: (s: Session) => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ org_name: "", admin_name: "", email: "", password: "" });
  const [created, setCreated] = useState<OrgCreated | null>(null);
  const create = useMutation({ mutationFn: () => ipc.orgCreate(form), onSuccess: setCreated });

  if (created) {
    return (
      <RecoveryCode
        code={created.recovery_code}
        title={t("auth.recoveryTitle")}
        lead={t("auth.recoveryLead")}
        continueLabel={t("auth.recoveryContinue")}
        onContinue={() => onDone(created.session)}
      />
    );
  }

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <AuthLayout>
      <PageTitle>{t("auth.firstRunTitle")}</PageTitle>
      <p className="lead">{t("auth.firstRunLead")}</p>
      <form className="stack" onSubmit={submit}>
        <Field label={t("auth.orgName")}>
          <input data-testid="firstrun-org" dir="auto" value={form.org_name} onChange={set("org_name")} autoFocus required />
        </Field>
        <Field label={t("auth.adminName")}>
          <input data-testid="firstrun-admin" dir="auto" value={form.admin_name} onChange={set("admin_name")} required />
        </Field>
        <Field label={t("auth.email")}>
          <input data-testid="firstrun-email" type="email" value={form.email} onChange={set("email")} autoComplete="username" required />
        </Field>
        <Field label={t("auth.password")} hint={t("auth.passwordHint")}>
          <input data-testid="firstrun-password" type="password" value={form.password} onChange={set("password")} autoComplete="new-password" required />
        </Field>
        {create.error && <ErrorMessage error={create.error} />}
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="firstrun-submit" disabled={create.isPending}>
            {create.isPending ? t("auth.creating") : t("auth.create")}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}

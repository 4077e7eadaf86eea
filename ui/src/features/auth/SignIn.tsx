// Sign-in, and the "forgot password" path with the recovery code.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Session } from "../../bindings/Session";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { PageTitle } from "../../components/PageTitle";
import { ipc } from "../../lib/ipc";
import { AuthLayout } from "./AuthLayout";
import { RecoveryCode } from "./RecoveryCode";

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [mode, setMode] = useState<"sign-in" | "reset">("sign-in");
  const [email, setEmail] = useState("");
  if (mode === "reset") return <ResetPassword initialEmail={email} onBack={() => setMode("sign-in")} />;
  return <SignInForm email={email} setEmail={setEmail} onForgot={() => setMode("reset")} onSignedIn={onSignedIn} />;
}

function SignInForm({ email, setEmail, onForgot, onSignedIn }: {
  email: string;
  setEmail: (v: string) => void;
  onForgot: () => void;
  onSignedIn: (s: Session) => void;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState("");
  const signIn = useMutation({ mutationFn: () => ipc.signIn(email.trim(), password), onSuccess: onSignedIn });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <AuthLayout>
      <PageTitle>{t("auth.signInTitle")}</PageTitle>
      <form className="stack" onSubmit={submit}>
        <Field label={t("auth.email")}>
          <input data-testid="signin-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" autoFocus required />
        </Field>
        <Field label={t("auth.password")}>
          <input data-testid="signin-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </Field>
        {signIn.error && <ErrorMessage error={signIn.error} />}
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="signin-submit" disabled={signIn.isPending}>
            {signIn.isPending ? t("auth.signingIn") : t("auth.signIn")}
          </button>
          <button type="button" className="link-button" data-testid="signin-forgot" onClick={onForgot}>
            {t("auth.forgot")}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}

function ResetPassword({ initialEmail, onBack }: { initialEmail: string; onBack: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState({ email: initialEmail, code: "", password: "" });
  const reset = useMutation({ mutationFn: () => ipc.resetPassword(form.email.trim(), form.code.trim(), form.password) });
  if (reset.data) {
    return (
      <RecoveryCode
        code={reset.data}
        title={t("auth.newRecoveryTitle")}
        lead={t("auth.newRecoveryLead")}
        continueLabel={t("auth.newRecoveryContinue")}
        onContinue={onBack}
      />
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate();
  };
  return (
    <AuthLayout>
      <PageTitle>{t("auth.resetTitle")}</PageTitle>
      <p className="lead">{t("auth.resetLead")}</p>
      <form className="stack" onSubmit={submit}>
        <Field label={t("auth.email")}>
          <input data-testid="reset-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required />
        </Field>
        <Field label={t("auth.recoveryCode")}>
          <input data-testid="reset-code" className="mono" value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} placeholder="XXXXX-XXXXX-XXXXX-XXXXX" required />
        </Field>
        <Field label={t("auth.newPassword")} hint={t("auth.passwordHint")}>
          <input data-testid="reset-password" type="password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} autoComplete="new-password" required />
        </Field>
        {reset.error && <ErrorMessage error={reset.error} />}
        <div className="form-actions">
          <button type="submit" className="primary" data-testid="reset-submit" disabled={reset.isPending}>
            {reset.isPending ? t("auth.resetting") : t("auth.reset")}
          </button>
          <button type="button" className="link-button" onClick={onBack}>
            {t("auth.backToSignIn")}
          </button>
        </div>
      </form>
    </AuthLayout>
  );
}

// Shows a recovery code once, with what it is for, and a continue button.
import { PageTitle } from "../../components/PageTitle";
import { AuthLayout } from "./AuthLayout";

export function RecoveryCode({ code, title, lead, continueLabel, onContinue }: {
  code: string;
  title: string;
  lead: string;
  continueLabel: string;
  onContinue: () => void;
}) {
  return (
    <AuthLayout>
      <PageTitle>{title}</PageTitle>
      <p className="lead recovery-lead">{lead}</p>
      <div className="recovery-code" data-testid="recovery-code" dir="ltr">
        {code}
      </div>
      <div className="form-actions">
        <button type="button" className="primary" data-testid="recovery-continue" onClick={onContinue} autoFocus>
          {continueLabel}
        </button>
      </div>
    </AuthLayout>
  );
}

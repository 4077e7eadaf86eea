// One translated sentence for a core error, with the raw details behind a toggle.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { AppError } from "../bindings/AppError";
import { duplicateTarget, errorSentence } from "../lib/errors";
import { toAppError } from "../lib/ipc";

export function ErrorMessage({ error, linkable = true }: { error: unknown; linkable?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (error === null || error === undefined) return null;
  const err: AppError = toAppError(error);
  const existing = linkable ? duplicateTarget(err) : null;
  return (
    <div className="error" role="alert">
      <span data-testid="error-message">{errorSentence(err, t)}</span>
      {existing && (
        <>
          {" "}
          <Link to={`/clients/${existing}`} data-testid="error-existing-link">
            {t("errors.openExisting")}
          </Link>
        </>
      )}{" "}
      <button type="button" className="link-button small" onClick={() => setOpen(!open)}>
        {open ? t("errors.hideDetails") : t("errors.details")}
      </button>
      {open && (
        <pre className="error-details" dir="auto">
          {err.code}
          {err.field ? ` (${err.field})` : ""}: {err.message}
        </pre>
      )}
    </div>
  );
}

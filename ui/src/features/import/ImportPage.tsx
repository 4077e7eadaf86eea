// The history import wizard: choose (files or WhatsApp) → review the staged batch → summary.
// The batch is in the URL (/import/:batchId), so a previous import opens the same way.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { ErrorMessage } from "../../components/ErrorMessage";
import { PageTitle } from "../../components/PageTitle";
import { ipc } from "../../lib/ipc";
import { keys } from "../../lib/queries";
import { ChooseStep } from "./ChooseStep";
import { ReviewStep } from "./ReviewStep";
import { SummaryStep } from "./SummaryStep";

type Step = "choose" | "review" | "summary";
const STEPS: readonly Step[] = ["choose", "review", "summary"];

export function ImportPage() {
  const { t } = useTranslation();
  const { batchId } = useParams();
  const batch = useQuery({
    queryKey: keys.importBatch(batchId ?? ""),
    queryFn: () => ipc.importBatchGet(batchId ?? ""),
    enabled: !!batchId,
  });
  const step: Step = !batchId ? "choose" : batch.data && batch.data.status !== "staged" ? "summary" : "review";

  return (
    <section className="page import-page" data-testid="import-page">
      <PageTitle>{t("import.title")}</PageTitle>
      <ol className="import-steps" aria-label={t("import.stepsLabel")}>
        {STEPS.map((s, i) => (
          <li key={s} className={s === step ? "current" : STEPS.indexOf(step) > i ? "done" : ""} aria-current={s === step ? "step" : undefined}>
            {i + 1}. {t(`import.step.${s}`)}
          </li>
        ))}
      </ol>
      {!batchId ? (
        <ChooseStep />
      ) : batch.error ? (
        <>
          <ErrorMessage error={batch.error} />
          <Link to="/import">‹ {t("import.backToChoose")}</Link>
        </>
      ) : !batch.data ? (
        <p className="muted">{t("common.loading")}</p>
      ) : batch.data.status === "staged" ? (
        <ReviewStep key={batch.data.id} batch={batch.data} />
      ) : (
        <SummaryStep batch={batch.data} />
      )}
    </section>
  );
}

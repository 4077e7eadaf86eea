// The WhatsApp connection state, always visible in the header; a click opens the WhatsApp page.
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useWaStatus } from "../../lib/queries";
import { waBadgeText, waStateAdvice, waTone } from "./waState";

export function WaBadge({ testId = "wa-badge" }: { testId?: string }) {
  const { t, i18n } = useTranslation();
  const status = useWaStatus();
  if (!status.data) {
    return (
      <Link to="/whatsapp" className="wa-badge tone-idle" data-testid={testId} data-state={status.error ? "error" : "loading"}>
        <span className="wa-dot" aria-hidden="true" />
        {status.error ? t("wa.state.unknown") : t("common.loading")}
      </Link>
    );
  }
  const s = status.data;
  // The tooltip says what to do; the technical reason is on the WhatsApp page.
  const detail = !s.available ? s.problem : s.state.state === "ready" ? undefined : waStateAdvice(s, t);
  return (
    <Link
      to="/whatsapp"
      className={`wa-badge tone-${waTone(s)}`}
      data-testid={testId}
      data-state={s.state.state}
      data-available={String(s.available)}
      data-code={"code" in s.state ? s.state.code : undefined}
      title={detail ?? undefined}
    >
      <span className="wa-dot" aria-hidden="true" />
      {waBadgeText(s, t, i18n.language)}
      {s.stuck > 0 && (
        <span className="wa-stuck" data-testid={`${testId}-stuck`} title={t("wa.page.stuck")}>
          🕓 {s.stuck}
        </span>
      )}
    </Link>
  );
}

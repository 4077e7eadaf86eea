// A bar under the header while WhatsApp holds the outbox or needs the manager: the state, its
// advice, and the one action that helps ("Use here" after a conflict, Reconnect otherwise).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { WaStatus } from "../../bindings/WaStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { ipc } from "../../lib/ipc";
import { keys, useWaStatus } from "../../lib/queries";
import { needsNotice, waBadgeText, waStateAdvice, waTone } from "./waState";

export function WaNotice() {
  const status = useWaStatus();
  if (!status.data || !needsNotice(status.data)) return null;
  return <WaNoticeBar status={status.data} />;
}

/** The bar for one status (exported for tests). */
export function WaNoticeBar({ status }: { status: WaStatus }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: keys.waStatus });
  const useHere = useMutation({ mutationFn: ipc.waUseHere, onSettled: refresh });
  const reconnect = useMutation({ mutationFn: ipc.waReconnect, onSettled: refresh });
  const s = status.state;
  const code = "code" in s ? s.code : undefined;
  const manual = s.state === "banned" || s.state === "failed";
  return (
    <div className={`wa-notice tone-${waTone(status)}`} role="status" data-testid="wa-notice" data-state={s.state} data-code={code}>
      <span className="wa-dot" aria-hidden="true" />
      <span className="strong">{waBadgeText(status, t, i18n.language)}</span>
      <span className="wa-notice-advice" data-testid="wa-notice-advice">
        {waStateAdvice(status, t)}
      </span>
      {s.state === "conflict" && (
        <button type="button" className="primary" data-testid="wa-use-here" disabled={useHere.isPending} onClick={() => useHere.mutate()}>
          {useHere.isPending ? t("wa.page.usingHere") : t("wa.page.useHere")}
        </button>
      )}
      {manual && (
        <button type="button" data-testid="wa-notice-reconnect" disabled={reconnect.isPending} onClick={() => reconnect.mutate()}>
          {reconnect.isPending ? t("wa.page.reconnecting") : t("wa.page.reconnect")}
        </button>
      )}
      {(useHere.error || reconnect.error) && <ErrorMessage error={useHere.error ?? reconnect.error} />}
    </div>
  );
}

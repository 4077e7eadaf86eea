// The delivery mark of an outgoing message (clock, ✓, ✓✓, blue ✓✓, red !, amber ?).
import { useTranslation } from "react-i18next";
import type { SendStatus } from "../../bindings/SendStatus";
import { tickFor } from "./ticks";

export function TickMark({ status, testId = "message-ticks" }: { status: SendStatus | null | undefined; testId?: string }) {
  const { t } = useTranslation();
  const tick = tickFor(status);
  if (!tick || !status) return null;
  return (
    <span className={`ticks tick-${tick.tone}`} data-testid={testId} data-status={status} title={t(`sendStatus.${status}`)} aria-label={t(`sendStatus.${status}`)}>
      {tick.symbol}
    </span>
  );
}

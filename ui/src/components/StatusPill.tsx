// A funnel status as a small coloured label.
import { useTranslation } from "react-i18next";
import type { FunnelStatus } from "../bindings/FunnelStatus";

export function StatusPill({ status }: { status: FunnelStatus }) {
  const { t } = useTranslation();
  return <span className={`pill status-${status}`}>{t(`status.${status}`)}</span>;
}

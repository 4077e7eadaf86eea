// A banner while writes to the data file fail (full disk, I/O error, read-only disk): the app
// keeps working for reads; the banner goes once a write succeeds again.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ipc } from "../../lib/ipc";

/** The query key the data layer refreshes after any failed or successful change. */
export const WRITE_TROUBLE_KEY = ["writeTrouble"] as const;

export function WriteTroubleBanner() {
  const { t } = useTranslation();
  const trouble = useQuery({
    queryKey: WRITE_TROUBLE_KEY,
    queryFn: ipc.writeTrouble,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data ? 3_000 : 30_000),
  });
  if (!trouble.data) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="write-trouble" data-code={trouble.data}>
      <strong>{t(trouble.data === "store_damaged" ? "writeTrouble.damagedTitle" : "writeTrouble.title")}</strong> {t(`errors.${trouble.data}`)} {t("writeTrouble.readsWork")}
    </div>
  );
}

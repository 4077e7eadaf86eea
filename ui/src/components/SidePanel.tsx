// A side editor docked on the right; Esc closes it. No modal stacks.
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function SidePanel({ title, onClose, children, testId }: { title: ReactNode; onClose: () => void; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <aside className="side-panel" data-testid={testId}>
      <header className="side-panel-head">
        <h2>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} title={t("common.closeHint")} aria-label={t("common.close")}>
          ×
        </button>
      </header>
      <div className="side-panel-body">{children}</div>
    </aside>
  );
}

// The frame of the screens shown before sign-in: brand, language switch and one card.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { LangSwitch } from "../../components/LangSwitch";
import { applyLanguage } from "../../i18n";

export function AuthLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-screen">
      <div className="auth-top">
        <span className="brand">{t("app.name")}</span>
        <LangSwitch prefix="auth-lang" onPick={(l) => void applyLanguage(l)} />
      </div>
      <div className="auth-card">{children}</div>
    </div>
  );
}

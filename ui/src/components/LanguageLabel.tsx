// A client language as a short code tag plus its translated name.
import { useTranslation } from "react-i18next";
import type { Language } from "../bindings/Language";

export function LanguageLabel({ language, short }: { language: Language; short?: boolean }) {
  const { t } = useTranslation();
  if (language === "unknown") return <span className="muted">{short ? "—" : t("lang.unknown")}</span>;
  return (
    <span title={t(`lang.${language}`)}>
      <span className="lang-tag">{language.toUpperCase()}</span>
      {!short && t(`lang.${language}`)}
    </span>
  );
}

// RU / EN toggle. `prefix` keeps test ids unique per place ("ui-lang" in the header).
import { useTranslation } from "react-i18next";
import { UI_LANGUAGES, type UiLanguage } from "../lib/choices";

export function LangSwitch({ onPick, prefix = "ui-lang" }: { onPick: (l: UiLanguage) => void; prefix?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t("nav.language")}>
      {UI_LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          data-testid={`${prefix}-${l}`}
          className={i18n.language === l ? "active" : ""}
          aria-pressed={i18n.language === l}
          onClick={() => onPick(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

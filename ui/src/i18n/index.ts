// i18next set-up: Russian and English, switched at run time; the last choice is remembered
// locally so the sign-in screen already speaks the manager's language.
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./locales/en.json";
import ru from "./locales/ru.json";
import { UI_LANGUAGES, type UiLanguage } from "../lib/choices";

const STORAGE_KEY = "tourdesk.uiLanguage";

/** The language stored on this computer, Russian by default. */
export function storedLanguage(): UiLanguage {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return (UI_LANGUAGES as readonly string[]).includes(v ?? "") ? (v as UiLanguage) : "ru";
  } catch {
    return "ru";
  }
}

/** Switches the UI language now and remembers it on this computer. */
export async function applyLanguage(lang: string): Promise<void> {
  const l: UiLanguage = lang === "en" ? "en" : "ru";
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    // Storage can be unavailable; the language still switches for this session.
  }
  document.documentElement.lang = l;
  await i18n.changeLanguage(l);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: storedLanguage(),
  fallbackLng: "ru",
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export default i18n;

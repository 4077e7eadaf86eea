import i18n from "i18next";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import type { WaState } from "../../bindings/WaState";
import type { WaStatus } from "../../bindings/WaStatus";
import { WA_FAILURE_CODES, canConnect, formatPairingCode, waAdvice, waBadgeText, waTone } from "./waState";

const inst = i18n.createInstance();
beforeAll(async () => {
  await inst.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: { escapeValue: false } });
});

const status = (state: WaState, available = true): WaStatus => ({ state, available, problem: available ? null : "node not found", queued: 0, unconfirmed: 0, failed: 0, stuck: 0 });

describe("WhatsApp state in words", () => {
  it("gives the badge text for every state", async () => {
    await inst.changeLanguage("en");
    const text = (s: WaState) => waBadgeText(status(s), inst.t, "en");
    expect(text({ state: "not_connected" })).toBe("WhatsApp not connected");
    expect(text({ state: "starting" })).toBe("Connecting…");
    expect(text({ state: "qr", qr: "2@abc" })).toBe("Waiting for the phone");
    expect(text({ state: "pairing_code", code: "ABCDEFGH" })).toBe("Waiting for the phone");
    expect(text({ state: "authenticated" })).toBe("Loading chats…");
    expect(text({ state: "ready", account: "996555" })).toBe("WhatsApp connected");
    expect(text({ state: "logged_out", reason: "x" })).toBe("Logged out — link again");
    expect(text({ state: "failed", code: "browser_not_found", reason: "x" })).toBe("Not working: no browser found");
    expect(text({ state: "failed", code: "martian_code", reason: "x" })).toBe("Not working: error martian_code");
    expect(text({ state: "degraded", code: "connection_lost", reason: "x", next_retry_at: null })).toBe("Reconnecting…");
    const at = new Date(2026, 4, 1, 14, 5, 9).toISOString();
    expect(text({ state: "degraded", code: "connection_lost", reason: "x", next_retry_at: at })).toBe("Reconnecting… next try at 14:05:09");
    expect(waBadgeText(status({ state: "not_connected" }, false), inst.t, "en")).toBe("WhatsApp unavailable on this computer");
    expect(text({ state: "degraded", code: "network_timeout", reason: "x", next_retry_at: null })).toBe("Reconnecting…");
    expect(text({ state: "conflict", reason: "x" })).toBe("Open in another window");
    expect(text({ state: "banned", code: "tos_block", reason: "x" })).toBe("Number banned by WhatsApp");
  });

  it("shows the catch-up after a reconnect as chats synced out of all", async () => {
    const syncing: WaStatus = { ...status({ state: "ready", account: "996555" }), sync: { done: 12, total: 40 } };
    await inst.changeLanguage("en");
    expect(waBadgeText(syncing, inst.t, "en")).toBe("Syncing 12/40 chats");
    await inst.changeLanguage("ru");
    expect(waBadgeText(syncing, inst.t, "ru")).toBe("Синхронизация: 12/40 чатов");
    expect(waBadgeText({ ...syncing, sync: null }, inst.t, "ru")).toBe(ru.wa.state.ready);
  });

  it("speaks Russian too", async () => {
    await inst.changeLanguage("ru");
    expect(waBadgeText(status({ state: "ready" }), inst.t, "ru")).toBe(ru.wa.state.ready);
    expect(waBadgeText(status({ state: "failed", code: "crash_loop", reason: "" }), inst.t, "ru")).toBe(`Не работает: ${ru.wa.reason.crash_loop}`);
  });

  it("colours ready green, the way there amber, what needs action red", () => {
    expect(waTone(status({ state: "ready" }))).toBe("ok");
    expect(waTone(status({ state: "qr", qr: "x" }))).toBe("warn");
    expect(waTone(status({ state: "degraded", code: "connection_lost", reason: "" }))).toBe("warn");
    expect(waTone(status({ state: "failed", code: "crash_loop", reason: "" }))).toBe("bad");
    expect(waTone(status({ state: "logged_out", reason: "" }))).toBe("bad");
    expect(waTone(status({ state: "conflict", reason: "" }))).toBe("bad");
    expect(waTone(status({ state: "banned", code: "tos_block", reason: "" }))).toBe("bad");
    expect(waTone(status({ state: "ready" }, false))).toBe("bad");
    expect(waTone(status({ state: "not_connected" }))).toBe("idle");
  });

  it("has advice for every known failure code and a fallback naming the code", async () => {
    for (const lang of ["en", "ru"]) {
      await inst.changeLanguage(lang);
      for (const code of WA_FAILURE_CODES) {
        const advice = waAdvice(code, inst.t);
        expect(advice, `${lang} ${code}`).not.toContain("wa.advice");
        expect(advice.length).toBeGreaterThan(10);
      }
    }
    await inst.changeLanguage("en");
    expect(waAdvice("browser_not_found", inst.t)).toContain("sudo apt install chromium");
    expect(waAdvice("weird_thing", inst.t)).toContain("weird_thing");
  });

  it("offers Connect only when not linked and WhatsApp can run here", () => {
    expect(canConnect(status({ state: "not_connected" }))).toBe(true);
    expect(canConnect(status({ state: "logged_out", reason: "" }))).toBe(true);
    expect(canConnect(status({ state: "failed", code: "crash_loop", reason: "" }))).toBe(true);
    expect(canConnect(status({ state: "ready" }))).toBe(false);
    expect(canConnect(status({ state: "not_connected" }, false))).toBe(false);
  });

  it("shows the pairing code as ABCD-EFGH", () => {
    expect(formatPairingCode("abcdefgh")).toBe("ABCD-EFGH");
    expect(formatPairingCode("ABCD-EFGH")).toBe("ABCD-EFGH");
    expect(formatPairingCode("12AB34CD")).toBe("12AB-34CD");
    expect(formatPairingCode("abc")).toBe("ABC");
  });
});

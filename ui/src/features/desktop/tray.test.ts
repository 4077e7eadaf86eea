import i18n from "i18next";
import { describe, expect, it } from "vitest";
import "../../i18n";
import type { WaStatus } from "../../bindings/WaStatus";
import { trayView } from "./tray";

const ready: WaStatus = { state: { state: "ready", account: "996555123456" }, available: true, problem: null, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 };

describe("tray view", () => {
  it("words the menu in Russian and English with the unread count in the tooltip", async () => {
    await i18n.changeLanguage("ru");
    const ru = trayView(i18n.t, "ru", 3, ready);
    expect(ru.open_label).toBe("Открыть Tourdesk");
    expect(ru.quit_label).toBe("Выйти");
    expect(ru.whatsapp_label).toContain("WhatsApp подключён");
    expect(ru.tooltip).toContain("3");
    expect(ru.unread).toBe(3);
    await i18n.changeLanguage("en");
    const en = trayView(i18n.t, "en", 0, null);
    expect(en.open_label).toBe("Open Tourdesk");
    expect(en.tooltip).toBe("Tourdesk");
    expect(en.whatsapp_label).toBe("WhatsApp: sign in to see the state");
  });
});

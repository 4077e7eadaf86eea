import i18n from "i18next";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import type { ChatRow } from "../../bindings/ChatRow";
import { chatTitle, previewText, snippetParts } from "./chatText";
import { failureReason, tickFor } from "./ticks";

const inst = i18n.createInstance();
beforeAll(async () => {
  await inst.init({ resources: { en: { translation: en }, ru: { translation: ru } }, lng: "en", interpolation: { escapeValue: false } });
});

describe("delivery ticks", () => {
  it("map every send status to its mark and colour", () => {
    expect(tickFor("queued")).toEqual({ symbol: "🕓", tone: "pending" });
    expect(tickFor("sending")).toEqual({ symbol: "🕓", tone: "pending" });
    expect(tickFor("waiting")).toEqual({ symbol: "🕓", tone: "waiting" });
    expect(tickFor("sent")).toEqual({ symbol: "✓", tone: "sent" });
    expect(tickFor("delivered")).toEqual({ symbol: "✓✓", tone: "delivered" });
    expect(tickFor("read")).toEqual({ symbol: "✓✓", tone: "read" });
    expect(tickFor("failed")).toEqual({ symbol: "!", tone: "failed" });
    expect(tickFor("unconfirmed")?.tone).toBe("unconfirmed");
    expect(tickFor(null)).toBeNull();
    expect(tickFor(undefined)).toBeNull();
  });

  it("translate a failure code, and fall back to a sentence naming an unknown code", async () => {
    await inst.changeLanguage("en");
    expect(failureReason("not_on_whatsapp", inst.t)).toBe(en.sendFailure.not_on_whatsapp);
    expect(failureReason("bogus_code", inst.t)).toBe("WhatsApp refused it (code bogus_code)");
    await inst.changeLanguage("ru");
    expect(failureReason("invalid_number", inst.t)).toBe(ru.sendFailure.invalid_number);
    expect(failureReason("ack_error", inst.t)).toBe(ru.sendFailure.ack_error);
    expect(failureReason(null, inst.t)).toContain("?");
  });
});

const row: ChatRow = {
  id: "c1",
  wa_chat_id: "996555123456@c.us",
  kind: "one_to_one",
  title: "",
  last_message_seq: 5,
  preview: "see you",
  unread: 0,
};

describe("chat text", () => {
  it("titles a chat by client name, then WhatsApp title, then phone", () => {
    expect(chatTitle({ ...row, client_name: "Layla", title: "L." })).toBe("Layla");
    expect(chatTitle({ ...row, title: "Hotel Ala-Too" })).toBe("Hotel Ala-Too");
    expect(chatTitle({ ...row, client_phone: "+996555123456" })).toBe("+996555123456");
    expect(chatTitle(row)).toBe("+996555123456");
  });

  it("prefixes our own messages and labels media", async () => {
    await inst.changeLanguage("en");
    expect(previewText({ ...row, last_direction: "out", last_kind: "text" }, inst.t)).toBe("You: see you");
    expect(previewText({ ...row, last_direction: "in", last_kind: "image", preview: "" }, inst.t)).toBe(en.msgKind.image);
    expect(previewText({ ...row, last_direction: "in", last_kind: "image", preview: "the lake" }, inst.t)).toBe(`${en.msgKind.image}: the lake`);
    await inst.changeLanguage("ru");
    expect(previewText({ ...row, last_direction: "out", last_kind: "audio", preview: "" }, inst.t)).toBe(`Вы: ${ru.msgKind.audio}`);
  });

  it("splits a search snippet into plain and matched parts", () => {
    expect(snippetParts("a \u0002trek\u0003 to \u0002Song-Kul\u0003!")).toEqual([
      { text: "a ", hit: false },
      { text: "trek", hit: true },
      { text: " to ", hit: false },
      { text: "Song-Kul", hit: true },
      { text: "!", hit: false },
    ]);
    expect(snippetParts("plain")).toEqual([{ text: "plain", hit: false }]);
  });
});

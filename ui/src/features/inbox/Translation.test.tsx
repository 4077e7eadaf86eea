import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Message } from "../../bindings/Message";
import type { MessageTranslation } from "../../bindings/MessageTranslation";
import { NoticeProvider } from "../../components/Notice";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import { AI_FAILURES } from "../../lib/choices";
import { Conversation } from "./Conversation";
import { keys } from "../../lib/queries";
import { LIVE_GRACE_MS, MAX_LAZY_TRANSLATIONS } from "./translation";

let page: Message[];
let managerLanguage: string;
const translationCalls: [string, boolean][] = [];
let translate: (id: string, retry: boolean) => Promise<MessageTranslation>;

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      chatWindow: () => Promise.resolve({ messages: [...page].sort((a, b) => b.seq - a.seq), older: false, newer: false }),
      chatMarkRead: () => Promise.resolve(),
      waStatus: () => Promise.resolve({ state: { state: "ready" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 }),
      aiLanguageGet: () => Promise.resolve({ chosen: null, effective: managerLanguage }),
      messageTranslation: (id: string, retry: boolean) => {
        translationCalls.push([id, retry]);
        return translate(id, retry);
      },
    },
  };
});

const chat: ChatRow = {
  id: "c-ar", wa_chat_id: "966501234567@c.us", kind: "one_to_one", client_id: "k1", client_name: "محمد", title: "Mohammed",
  last_message_seq: 9, preview: "", unread: 0, client_language: "ar",
};

const ARABIC = "مرحبا، نريد رحلة إلى Golden Ring في 15.05";
const RUSSIAN = "Здравствуйте, мы хотим тур Golden Ring на 15.05";

const msg = (seq: number, over: Partial<Message> = {}): Message => ({
  seq, id: `m${seq}`, chat_id: chat.id, direction: "in", sent_at: `2026-05-01T10:0${seq % 10}:00Z`, kind: "text", body: ARABIC,
  reactions: [], status: null, stuck: false, language: "ar", ...over,
});

const translated = (id: string, over: Partial<MessageTranslation> = {}): MessageTranslation => ({
  message_id: id, language: "ru", source_language: "ar", text: RUSSIAN, status: "ok", flags: [], ...over,
});

function show(c: ChatRow = chat) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <NoticeProvider>
          <Conversation chat={c} />
        </NoticeProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return { ...view, qc };
}

describe("Translator in the conversation", () => {
  beforeEach(async () => {
    translationCalls.length = 0;
    managerLanguage = "ru";
    translate = (id) => Promise.resolve(translated(id));
    localStorage.clear();
    await applyLanguage("en");
  });

  it("shows an Arabic message translated (right-to-left capable) above its original, and the per-chat toggle switches to the originals and is remembered", async () => {
    page = [msg(1, { translation: translated("m1") })];
    const view = show();
    const tr = await screen.findByTestId("message-translation");
    expect(tr.textContent).toBe(RUSSIAN);
    expect(tr.getAttribute("dir")).toBe("auto");
    expect(screen.getByTestId("translation-label").textContent).toBe("Translated from Arabic");
    const bubble = screen.getByTestId("message");
    const original = within(bubble).getByText(ARABIC);
    expect(original.getAttribute("dir")).toBe("auto");
    // The translation comes first, the original after it.
    expect(tr.compareDocumentPosition(original) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // Cached with the message: no call.
    expect(translationCalls).toHaveLength(0);

    const toggle = screen.getByTestId("translation-toggle");
    expect(toggle.textContent).toBe(en.translator.showOriginals);
    fireEvent.click(toggle);
    expect(screen.queryByTestId("message-translation")).toBeNull();
    expect(within(screen.getByTestId("message")).getByText(ARABIC)).toBeTruthy();
    expect(screen.getByTestId("translation-toggle").textContent).toBe(en.translator.showTranslations);
    view.unmount();

    // Remembered for this chat.
    show();
    await screen.findByTestId("message");
    expect(screen.getByTestId("translation-toggle").textContent).toBe(en.translator.showTranslations);
    expect(screen.queryByTestId("message-translation")).toBeNull();
    fireEvent.click(screen.getByTestId("translation-toggle"));
    expect((await screen.findByTestId("message-translation")).textContent).toBe(RUSSIAN);
  });

  it("names the source language in the UI language", async () => {
    await applyLanguage("ru");
    page = [msg(1, { translation: translated("m1") })];
    show();
    expect((await screen.findByTestId("translation-label")).textContent).toBe(ru.translator.from.ar);
    expect(ru.translator.from.ar).toBe("Перевод с арабского");
  });

  it("keeps a failed message visible untranslated with the reason in the UI language, and Retry asks again and shows the result", async () => {
    page = [msg(1, { translation: translated("m1", { text: null, status: "failed", error: "rate_limited" }) })];
    show();
    const failed = await screen.findByTestId("translation-failed");
    expect(failed.textContent).toContain("Translation failed — Too many requests — try again in a minute");
    expect(within(screen.getByTestId("message")).getByText(ARABIC)).toBeTruthy();
    expect(screen.queryByTestId("message-translation")).toBeNull();
    fireEvent.click(screen.getByTestId("translation-retry"));
    await waitFor(() => expect(translationCalls).toEqual([["m1", true]]));
    expect((await screen.findByTestId("message-translation")).textContent).toBe(RUSSIAN);
    expect(screen.queryByTestId("translation-failed")).toBeNull();
  });

  it("words every AI failure in both languages", () => {
    for (const code of AI_FAILURES) {
      expect(typeof en.translator.reason[code], `en ${code}`).toBe("string");
      expect(typeof ru.translator.reason[code], `ru ${code}`).toBe("string");
    }
    expect(en.translator.reason.unreachable).toBe("The AI service cannot be reached");
    expect(en.translator.reason.unauthorized).toBe("The API key was refused");
  });

  it("without a provider, says how to set one up with a link to the settings", async () => {
    page = [msg(1, { translation: translated("m1", { text: null, status: "not_configured", error: "not_configured" }) })];
    show();
    const notice = await screen.findByTestId("translation-failed");
    expect(notice.textContent).toContain(en.translator.reason.not_configured);
    expect(screen.getByTestId("translation-settings-link").getAttribute("href")).toBe("/settings");
  });

  it("translates untranslated history lazily, a few at a time, with a placeholder, and skips messages already in the manager's language", async () => {
    const answers = new Map<string, (t: MessageTranslation) => void>();
    translate = (id) => new Promise((r) => answers.set(id, r));
    page = [
      ...[1, 2, 3, 4, 5].map((n) => msg(n, { language: n === 5 ? null : "ar" })),
      msg(6, { body: "Спасибо, всё понятно", language: "ru" }),
      msg(7, { direction: "out", status: "read", body: "مرحبا", language: "ar" }),
    ];
    show();
    await waitFor(() => expect(translationCalls).toHaveLength(MAX_LAZY_TRANSLATIONS));
    expect(MAX_LAZY_TRANSLATIONS).toBe(3);
    expect(screen.getAllByTestId("translation-pending").length).toBeGreaterThanOrEqual(3);
    expect(translationCalls.every(([, retry]) => retry === false)).toBe(true);
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(translationCalls).toHaveLength(3);

    await act(async () => answers.get(translationCalls[0][0])?.(translated(translationCalls[0][0])));
    await waitFor(() => expect(translationCalls).toHaveLength(4));
    expect(await screen.findByTestId("message-translation")).toBeTruthy();
    for (let i = 1; i < 4; i++) await act(async () => answers.get(translationCalls[i][0])?.(translated(translationCalls[i][0])));
    await waitFor(() => expect(translationCalls).toHaveLength(5));
    await act(async () => answers.get(translationCalls[4][0])?.(translated(translationCalls[4][0])));
    await waitFor(() => expect(screen.getAllByTestId("message-translation")).toHaveLength(5));
    expect(screen.queryByTestId("translation-pending")).toBeNull();
    // Russian text and our own messages are never sent to the translator.
    expect(translationCalls.map(([id]) => id).sort()).toEqual(["m1", "m2", "m3", "m4", "m5"]);
  });

  it("waits for the core to translate a message that just arrived, and asks itself only after a grace period", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const now = new Date().toISOString();
      page = [msg(1, { sent_at: now, language: null }), msg(2, { sent_at: now, language: null })];
      const { qc } = show();
      await waitFor(() => expect(screen.getAllByTestId("translation-pending")).toHaveLength(2));
      await act(() => vi.advanceTimersByTimeAsync(LIVE_GRACE_MS / 2));
      expect(translationCalls).toHaveLength(0);
      // The core's translation of the first lands ("inbox:changed" refetches the chat).
      page = [msg(1, { sent_at: now, translation: translated("m1") }), msg(2, { sent_at: now, language: "ar" })];
      await act(() => qc.invalidateQueries({ queryKey: keys.chatMessages(chat.id) }));
      expect((await screen.findByTestId("message-translation")).textContent).toBe(RUSSIAN);
      expect(translationCalls).toHaveLength(0);
      // The second never came: after the grace the UI asks for it.
      await act(() => vi.advanceTimersByTimeAsync(LIVE_GRACE_MS));
      await waitFor(() => expect(translationCalls).toEqual([["m2", false]]));
      await waitFor(() => expect(screen.getAllByTestId("message-translation")).toHaveLength(2));
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows nothing extra when no translation is needed", async () => {
    translate = (id) => Promise.resolve(translated(id, { text: null, status: "not_needed", source_language: "ru" }));
    page = [msg(1, { body: "Добрый день", language: null })];
    show({ ...chat, client_language: "ru" });
    await waitFor(() => expect(translationCalls).toEqual([["m1", false]]));
    await waitFor(() => expect(screen.queryByTestId("translation-pending")).toBeNull());
    expect(screen.queryByTestId("message-translation")).toBeNull();
    expect(screen.queryByTestId("translation-failed")).toBeNull();
    expect(screen.queryByTestId("translation-toggle")).toBeNull();
  });

  it("shows a translated reply as sent, with the manager's own text and the back-translation behind a disclosure", async () => {
    page = [
      msg(1, {
        direction: "out", status: "delivered", body: "مرحبا! الجولة تبدأ في 15.05", original_body: "Здравствуйте! Тур начинается 15.05",
        back_translation: "Здравствуйте! Тур стартует 15.05",
      }),
    ];
    show();
    const yours = await screen.findByTestId("message-your-text");
    expect(within(screen.getByTestId("message")).getByText("مرحبا! الجولة تبدأ في 15.05").getAttribute("dir")).toBe("auto");
    expect(yours.tagName).toBe("DETAILS");
    expect(yours.querySelector("summary")?.textContent).toBe("Your text: Здравствуйте! Тур начинается 15.05");
    expect(screen.getByTestId("message-back-translation").textContent).toBe("Здравствуйте! Тур стартует 15.05");
    expect(translationCalls).toHaveLength(0);
  });
});

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import type { Language } from "../../bindings/Language";
import type { ReplyPreview } from "../../bindings/ReplyPreview";
import type { TranslationFlag } from "../../bindings/TranslationFlag";
import type { WaStatus } from "../../bindings/WaStatus";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import { Composer } from "./Composer";
import { setStage } from "./replyPreview";

const sends: unknown[] = [];
const previewCalls: [string, string][] = [];
const checkCalls: [string, string][] = [];
let wa: WaStatus;
let preview: () => Promise<ReplyPreview>;
let checkResult: TranslationFlag[];

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      waStatus: () => Promise.resolve(wa),
      messageSend: (input: unknown) => {
        sends.push(input);
        return Promise.resolve({
          seq: 10, id: "m10", chat_id: "chat-1", direction: "out", sent_at: new Date().toISOString(),
          kind: "text", body: "x", status: "queued", reactions: [], stuck: false,
        });
      },
      replyPreview: (chat_id: string, text: string) => {
        previewCalls.push([chat_id, text]);
        return preview();
      },
      replyCheck: (original: string, edited: string) => {
        checkCalls.push([original, edited]);
        return Promise.resolve(checkResult);
      },
    },
  };
});

const notNeeded = (text: string): ReplyPreview => ({
  needed: false, client_language: "ru", manager_language: "ru", text, back_translation: text, flags: [], status: "not_needed",
});

const TYPED = "Здравствуйте! Тур «Golden Ring» начинается 15.05, цена 540 $.";
const ARABIC = "مرحبا! تبدأ جولة Golden Ring في 15.05، السعر 540 $.";
const BACK = "Здравствуйте! Тур Golden Ring начинается 15.05, цена 540 $.";
const arabicPreview: ReplyPreview = {
  needed: true, client_language: "ar", manager_language: "ru", text: ARABIC, back_translation: BACK,
  flags: [{ code: "token_missing", value: "Golden Ring" }], status: "ok",
};

function show(chatId = "chat-1", clientLanguage: Language | null = null, managerLanguage: string | null = null) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <Composer chatId={chatId} clientLanguage={clientLanguage} managerLanguage={managerLanguage} />
      </QueryClientProvider>
    </MemoryRouter>,
  );
}

function typeAndEnter(text: string) {
  const input = screen.getByTestId("composer-input") as HTMLTextAreaElement;
  fireEvent.change(input, { target: { value: text } });
  fireEvent.keyDown(input, { key: "Enter" });
  return input;
}

describe("Composer", () => {
  beforeEach(async () => {
    sends.length = 0;
    previewCalls.length = 0;
    checkCalls.length = 0;
    checkResult = [];
    preview = () => Promise.resolve(notNeeded(previewCalls[previewCalls.length - 1][1]));
    localStorage.clear();
    for (const id of ["chat-1", "chat-2", "chat-ar"]) setStage(id, null);
    wa = { state: { state: "ready", account: "996" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 };
    await applyLanguage("en");
  });

  it("sends on Enter but not on Shift+Enter, then clears the box (no translation needed)", async () => {
    show();
    const input = screen.getByTestId("composer-input") as HTMLTextAreaElement;
    expect(screen.getByTestId("composer-send").matches(":disabled")).toBe(true);
    fireEvent.change(input, { target: { value: "Salam! 👋" } });
    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    expect(sends).toHaveLength(0);
    expect(previewCalls).toHaveLength(0);
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(sends).toHaveLength(1));
    // The translator was asked first and said the text goes as typed.
    expect(previewCalls).toEqual([["chat-1", "Salam! 👋"]]);
    expect(sends[0]).toEqual({ chat_id: "chat-1", body: "Salam! 👋", attachment: null });
    expect(screen.queryByTestId("reply-preview")).toBeNull();
    await waitFor(() => expect(input.value).toBe(""));
  });

  it("does not send only whitespace", () => {
    show();
    const input = screen.getByTestId("composer-input");
    fireEvent.change(input, { target: { value: "   \n " } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(sends).toHaveLength(0);
    expect(previewCalls).toHaveLength(0);
    expect(screen.getByTestId("composer-send").matches(":disabled")).toBe(true);
  });

  it("says messages wait in the queue while WhatsApp is not connected", async () => {
    wa = { ...wa, state: { state: "degraded", code: "connection_lost", reason: "", next_retry_at: null } };
    show();
    expect((await screen.findByTestId("composer-offline")).textContent).toBe(en.composer.notConnected);
  });

  it("refuses a file over 32 MB with a sentence, and attaches a small one", async () => {
    show();
    const big = new File(["x"], "huge.mov", { type: "video/quicktime" });
    Object.defineProperty(big, "size", { value: 33 * 1024 * 1024 });
    fireEvent.change(screen.getByTestId("composer-attach"), { target: { files: [big] } });
    expect((await screen.findByTestId("composer-file-error")).textContent).toBe(en.composer.tooLarge);
    const small = new File(["%PDF-1.4"], "program.pdf", { type: "application/pdf" });
    fireEvent.change(screen.getByTestId("composer-attach"), { target: { files: [small] } });
    expect((await screen.findByTestId("composer-file")).textContent).toContain("program.pdf");
    fireEvent.click(screen.getByTestId("composer-send"));
    await waitFor(() => expect(sends).toHaveLength(1));
    // Nothing to translate: a file alone goes straight out.
    expect(previewCalls).toHaveLength(0);
    expect(sends[0]).toEqual({ chat_id: "chat-1", body: "", attachment: { file_name: "program.pdf", mime: "application/pdf", data_base64: btoa("%PDF-1.4") } });
  });

  it("opens the preview on Enter: editable right-to-left translation, back-translation and flags; an edit is re-checked; Send translation sends the edited text with the original", async () => {
    preview = () => Promise.resolve(arabicPreview);
    show("chat-ar", "ar", "ru");
    const input = typeAndEnter(TYPED);
    const panel = await screen.findByTestId("reply-preview");
    await waitFor(() => expect(panel.getAttribute("data-status")).toBe("ok"));
    expect(previewCalls).toEqual([["chat-ar", TYPED]]);
    expect(sends).toHaveLength(0);
    expect(screen.getByTestId("reply-language").textContent).toBe(en.translator.into.ar);
    const translation = screen.getByTestId("reply-translation") as HTMLTextAreaElement;
    expect(translation.value).toBe(ARABIC);
    expect(translation.getAttribute("dir")).toBe("auto");
    expect(screen.getByTestId("reply-back-translation").textContent).toBe(BACK);
    expect(screen.getByTestId("reply-back-label").textContent).toBe(en.translator.reply.backTitle);
    expect(screen.getAllByTestId("reply-flag").map((f) => f.textContent)).toEqual(["⚠ “Golden Ring” did not survive the translation"]);
    // The typed text stays in the composer, untouched.
    expect(input.value).toBe(TYPED);

    // The manager edits the translation: after a pause it is checked again, and the
    // back-translation is marked as belonging to the text before the edit.
    checkResult = [{ code: "fact_missing", value: "15.05" }];
    const edited = "مرحبا! تبدأ جولة Golden Ring في 16.05، السعر 540 $.";
    fireEvent.change(translation, { target: { value: edited } });
    expect(checkCalls).toHaveLength(0);
    expect(screen.getByTestId("reply-back-label").textContent).toBe(en.translator.reply.backStale);
    await waitFor(() => expect(checkCalls).toEqual([[TYPED, edited]]));
    await waitFor(() => expect(screen.getAllByTestId("reply-flag").map((f) => f.textContent)).toEqual(["⚠ 15.05 is missing or changed in the translation"]));
    expect(screen.getAllByTestId("reply-flag")[0].getAttribute("data-code")).toBe("fact_missing");

    fireEvent.click(screen.getByTestId("reply-send"));
    await waitFor(() => expect(sends).toHaveLength(1));
    expect(sends[0]).toEqual({ chat_id: "chat-ar", body: edited, attachment: null, original_body: TYPED, back_translation: BACK });
    await waitFor(() => expect(screen.queryByTestId("reply-preview")).toBeNull());
    expect(input.value).toBe("");
  });

  it("sends the translation with Ctrl+Enter from the preview; Cancel goes back to editing; Send my text as is sends the typed text", async () => {
    preview = () => Promise.resolve(arabicPreview);
    show("chat-ar", "ar", "ru");
    const input = typeAndEnter(TYPED);
    await screen.findByTestId("reply-translation");
    // Cancel: back to the composer with the text kept.
    fireEvent.click(screen.getByTestId("reply-cancel"));
    expect(screen.queryByTestId("reply-preview")).toBeNull();
    expect(input.value).toBe(TYPED);
    expect(input.readOnly).toBe(false);
    expect(sends).toHaveLength(0);

    fireEvent.keyDown(input, { key: "Enter" });
    const translation = await screen.findByTestId("reply-translation");
    fireEvent.keyDown(translation, { key: "Enter" });
    expect(sends).toHaveLength(0);
    fireEvent.keyDown(translation, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(sends).toHaveLength(1));
    expect(sends[0]).toEqual({ chat_id: "chat-ar", body: ARABIC, attachment: null, original_body: TYPED, back_translation: BACK });

    await waitFor(() => expect(input.value).toBe(""));
    typeAndEnter("Можно и по-русски");
    await screen.findByTestId("reply-translation");
    fireEvent.click(screen.getByTestId("reply-send-original"));
    await waitFor(() => expect(sends).toHaveLength(2));
    expect(sends[1]).toEqual({ chat_id: "chat-ar", body: "Можно и по-русски", attachment: null });
  });

  it("when the translation fails, says why and offers only Retry, an explicit untranslated send, or Cancel", async () => {
    preview = () => Promise.resolve({ ...arabicPreview, text: "", back_translation: "", flags: [], status: "failed", error: "unauthorized" });
    show("chat-ar", "ar", "ru");
    typeAndEnter(TYPED);
    const panel = await screen.findByTestId("reply-preview");
    await waitFor(() => expect(panel.getAttribute("data-status")).toBe("failed"));
    expect(screen.getByTestId("reply-preview-reason").textContent).toBe(`Translation failed — ${en.translator.reason.unauthorized}`);
    expect(screen.queryByTestId("reply-send")).toBeNull();
    expect(screen.queryByTestId("reply-translation")).toBeNull();
    expect(screen.getByTestId("reply-send-original").textContent).toBe(en.translator.reply.sendUntranslated);
    // Nothing went out on its own.
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(sends).toHaveLength(0);

    fireEvent.click(screen.getByTestId("reply-retry"));
    await waitFor(() => expect(previewCalls).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId("reply-preview").getAttribute("data-status")).toBe("failed"));
    expect(sends).toHaveLength(0);

    fireEvent.click(screen.getByTestId("reply-send-original"));
    await waitFor(() => expect(sends).toHaveLength(1));
    expect(sends[0]).toEqual({ chat_id: "chat-ar", body: TYPED, attachment: null });
  });

  it("without a provider, says how to set one up and links to the settings", async () => {
    preview = () => Promise.resolve({ ...arabicPreview, text: "", back_translation: "", flags: [], status: "not_configured", error: "not_configured" });
    show("chat-ar", "ar", "ru");
    typeAndEnter(TYPED);
    const reason = await screen.findByTestId("reply-preview-reason");
    expect(reason.textContent).toContain(en.translator.reason.not_configured);
    expect(screen.getByTestId("reply-settings-link").getAttribute("href")).toBe("/settings");
    expect(screen.queryByTestId("reply-send")).toBeNull();
    expect(sends).toHaveLength(0);
  });

  it("keeps the text when the preview call itself fails, and sends nothing", async () => {
    preview = () => Promise.reject({ code: "not_found", message: "chat not found" });
    show("chat-ar", "ar", "ru");
    const input = typeAndEnter(TYPED);
    const panel = await screen.findByTestId("reply-preview");
    await waitFor(() => expect(panel.getAttribute("data-status")).toBe("error"));
    expect(screen.getByTestId("reply-preview-reason").textContent).toMatch(/^Translation failed — /);
    expect(screen.queryByTestId("reply-send")).toBeNull();
    expect(input.value).toBe(TYPED);
    expect(sends).toHaveLength(0);
  });

  it("shows a spinner while the translation loads; Esc cancels and a late answer is ignored", async () => {
    let answer: (p: ReplyPreview) => void = () => {};
    preview = () => new Promise((r) => (answer = r));
    show("chat-ar", "ar", "ru");
    const input = typeAndEnter(TYPED);
    const panel = await screen.findByTestId("reply-preview");
    expect(panel.getAttribute("data-status")).toBe("loading");
    expect(screen.getByTestId("reply-preview-spinner")).toBeTruthy();
    expect(screen.getByTestId("composer-send").matches(":disabled")).toBe(true);
    fireEvent.keyDown(input, { key: "Escape" });
    expect(screen.queryByTestId("reply-preview")).toBeNull();
    await act(async () => answer(arabicPreview));
    expect(screen.queryByTestId("reply-preview")).toBeNull();
    expect(sends).toHaveLength(0);
    expect(input.value).toBe(TYPED);
  });

  it("keeps a loading preview with its chat while another chat is open", async () => {
    let answer: (p: ReplyPreview) => void = () => {};
    preview = () => new Promise((r) => (answer = r));
    const view = show("chat-ar", "ar", "ru");
    typeAndEnter(TYPED);
    await screen.findByTestId("reply-preview");
    view.unmount();
    // Another chat's composer is free to use meanwhile.
    const other = show("chat-2", "ru", "ru");
    expect(screen.queryByTestId("reply-preview")).toBeNull();
    expect(screen.getByTestId("composer-send").matches(":disabled")).toBe(true);
    fireEvent.change(screen.getByTestId("composer-input"), { target: { value: "Ok" } });
    expect(screen.getByTestId("composer-send").matches(":disabled")).toBe(false);
    await act(async () => answer(arabicPreview));
    other.unmount();
    show("chat-ar", "ar", "ru");
    expect(((await screen.findByTestId("reply-translation")) as HTMLTextAreaElement).value).toBe(ARABIC);
    expect(sends).toHaveLength(0);
  });

  it("'Translate my replies' is on by default for a client in another language, off for one in the manager's, and remembered per chat", async () => {
    const first = show("chat-ar", "ar", "ru");
    const toggle = screen.getByTestId("reply-translate-toggle") as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    expect(toggle.checked).toBe(false);
    typeAndEnter("مرحبا");
    await waitFor(() => expect(sends).toHaveLength(1));
    expect(previewCalls).toHaveLength(0);
    expect(sends[0]).toEqual({ chat_id: "chat-ar", body: "مرحبا", attachment: null });
    first.unmount();

    const again = show("chat-ar", "ar", "ru");
    expect((screen.getByTestId("reply-translate-toggle") as HTMLInputElement).checked).toBe(false);
    again.unmount();
    show("chat-2", "ru", "ru");
    expect((screen.getByTestId("reply-translate-toggle") as HTMLInputElement).checked).toBe(false);
    fireEvent.click(screen.getByTestId("reply-translate-toggle"));
    expect(localStorage.getItem("tourdesk.translateReplies.chat-2")).toBe("on");
  });
});

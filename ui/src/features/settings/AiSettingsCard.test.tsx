import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import { NoticeProvider } from "../../components/Notice";
import { AiSettingsCard } from "./AiSettingsCard";
import type { AiStatus } from "../../bindings/AiStatus";

const KEY = "sk-ui-TEST-0123456789abcdef";

const calls: { cmd: string; args: unknown[] }[] = [];
let status: AiStatus;

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  const record =
    <T,>(cmd: string, answer: (...args: unknown[]) => T) =>
    (...args: unknown[]) => {
      calls.push({ cmd, args });
      return Promise.resolve(answer(...args));
    };
  return {
    ...real,
    ipc: {
      aiSettingsGet: record("aiSettingsGet", () => ({ preset: "openai", base_url: "https://api.openai.com/v1", model: "" })),
      aiSettingsUpdate: record("aiSettingsUpdate", (s) => s),
      aiStatus: record("aiStatus", () => status),
      aiKeySet: record("aiKeySet", () => {
        status = { ...status, key_present: true };
      }),
      aiKeyClear: record("aiKeyClear", () => undefined),
      aiFallbackEnable: record("aiFallbackEnable", () => {
        status = { ...status, fallback: "enabled_unlocked" };
        return status;
      }),
      aiFallbackDisable: record("aiFallbackDisable", () => {
        status = { ...status, fallback: "offered", key_present: false };
        return status;
      }),
      aiTestConnection: record("aiTestConnection", () => ({ ok: false, model: "gpt-4o-mini", latency_ms: 12, failure: "unauthorized", detail: "HTTP 401" })),
      aiUsage: record("aiUsage", () => [{ day: "2026-05-01", calls: 3, failures: 1, tokens_in: 40, tokens_out: 12 }]),
      aiLanguageGet: record("aiLanguageGet", () => ({ chosen: null, effective: "ru" })),
      aiLanguageSet: record("aiLanguageSet", (l) => ({ chosen: l, effective: l ?? "ru" })),
    },
  };
});

function show(isAdmin: boolean) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <NoticeProvider>
          <AiSettingsCard isAdmin={isAdmin} />
        </NoticeProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
}

describe("AI provider settings", () => {
  beforeEach(async () => {
    calls.length = 0;
    status = { configured: false, key_required: true, key_present: false, keychain: { available: true, backend: "secret-service", reason: null }, fallback: "not_offered" };
    await applyLanguage("en");
  });

  it("fills the base URL from the preset and saves what the form shows", async () => {
    show(true);
    const preset = (await screen.findByTestId("ai-preset")) as HTMLSelectElement;
    fireEvent.change(preset, { target: { value: "ollama" } });
    expect((screen.getByTestId("ai-base-url") as HTMLInputElement).value).toBe("http://127.0.0.1:11434/v1");
    fireEvent.change(screen.getByTestId("ai-model"), { target: { value: "llama3.1:8b" } });
    fireEvent.click(screen.getByTestId("ai-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "aiSettingsUpdate")).toBe(true));
    expect(calls.find((c) => c.cmd === "aiSettingsUpdate")?.args[0]).toEqual({ preset: "ollama", base_url: "http://127.0.0.1:11434/v1", model: "llama3.1:8b" });
  });

  it("sends the key once, then shows only that a key is saved, never the key", async () => {
    const { container } = show(true);
    const input = (await screen.findByTestId("ai-key")) as HTMLInputElement;
    expect(input.type).toBe("password");
    expect(screen.getByTestId("ai-key-status").textContent).toContain(en.ai.noKey);
    fireEvent.change(input, { target: { value: KEY } });
    fireEvent.click(screen.getByTestId("ai-key-save"));
    await waitFor(() => expect(screen.getByTestId("ai-key-status").textContent).toContain(en.ai.keySaved));
    expect(calls.filter((c) => c.cmd === "aiKeySet").map((c) => c.args[0])).toEqual([KEY]);
    expect((screen.getByTestId("ai-key") as HTMLInputElement).value).toBe("");
    expect(container.innerHTML).not.toContain(KEY);
    expect(screen.getByTestId("ai-key-clear")).toBeTruthy();
  });

  it("shows a failed connection test as a translated sentence, not the raw detail", async () => {
    show(true);
    fireEvent.click(await screen.findByTestId("ai-test"));
    const result = await screen.findByTestId("ai-test-result");
    expect(result.textContent).toBe(en.aiFailure.unauthorized);
    expect(result.textContent).not.toContain("HTTP 401");
  });

  it("says when no keychain is available and offers no key input", async () => {
    status = { ...status, keychain: { available: false, backend: "secret-service", reason: "no D-Bus session bus" }, fallback: "offered" };
    await applyLanguage("ru");
    show(true);
    expect((await screen.findByTestId("ai-keychain-unavailable")).textContent).toContain(ru.ai.keychainUnavailable);
    expect(screen.queryByTestId("ai-key")).toBeNull();
  });

  it("offers the encrypted file explicitly when no keychain works, and sends the password once", async () => {
    status = { ...status, keychain: { available: false, backend: "secret-service", reason: "no D-Bus session bus" }, fallback: "offered" };
    const { container } = show(true);
    expect((await screen.findByTestId("ai-fallback")).textContent).toContain(en.ai.fallbackOffer);
    expect(screen.queryByTestId("ai-key")).toBeNull();
    const password = screen.getByTestId("ai-fallback-password") as HTMLInputElement;
    expect(password.type).toBe("password");
    fireEvent.change(password, { target: { value: "my sign-in pw" } });
    fireEvent.click(screen.getByTestId("ai-fallback-enable"));
    expect((await screen.findByTestId("ai-fallback-unlocked")).textContent).toBe(en.ai.fallbackUnlocked);
    expect(calls.filter((c) => c.cmd === "aiFallbackEnable").map((c) => c.args[0])).toEqual(["my sign-in pw"]);
    expect(container.innerHTML).not.toContain("my sign-in pw");
    // The key input works again once the file is unlocked.
    expect(await screen.findByTestId("ai-key")).toBeTruthy();
  });

  it("says the file keeps the key, and stops using it only after a confirmation", async () => {
    status = { ...status, keychain: { available: false, backend: "secret-service", reason: null }, fallback: "enabled_unlocked", key_present: true };
    show(true);
    expect((await screen.findByTestId("ai-fallback-unlocked")).textContent).toBe(en.ai.fallbackUnlocked);
    expect(screen.getByTestId("ai-key")).toBeTruthy();
    fireEvent.click(screen.getByTestId("ai-fallback-disable"));
    expect(calls.some((c) => c.cmd === "aiFallbackDisable")).toBe(false);
    fireEvent.click(screen.getByTestId("ai-fallback-disable-confirm"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "aiFallbackDisable")).toBe(true));
    expect(await screen.findByTestId("ai-fallback-password")).toBeTruthy();
    expect(screen.queryByTestId("ai-key")).toBeNull();
  });

  it("says a locked file needs its creator's sign-in and offers no key input", async () => {
    status = { ...status, keychain: { available: false, backend: "secret-service", reason: null }, fallback: "enabled_locked" };
    await applyLanguage("ru");
    show(true);
    expect((await screen.findByTestId("ai-fallback-locked")).textContent).toBe(ru.ai.fallbackLocked);
    expect(screen.queryByTestId("ai-key")).toBeNull();
    expect(screen.queryByTestId("ai-fallback-password")).toBeNull();
    expect(screen.getByTestId("ai-fallback-disable")).toBeTruthy();
  });

  it("lets a manager see the settings and usage but not change the provider or key", async () => {
    show(false);
    expect((await screen.findByTestId("ai-preset")).matches(":disabled")).toBe(true);
    expect(screen.queryByTestId("ai-save")).toBeNull();
    expect(screen.queryByTestId("ai-key")).toBeNull();
    expect(screen.queryByTestId("ai-test")).toBeNull();
    expect((await screen.findAllByTestId("ai-usage-row")).length).toBe(1);
  });
});

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import type { WaStatus } from "../../bindings/WaStatus";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import { Composer } from "./Composer";

const sends: unknown[] = [];
let wa: WaStatus;

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
          kind: "text", body: "x", status: "queued", reactions: [],
        });
      },
    },
  };
});

function show(chatId = "chat-1") {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <Composer chatId={chatId} />
      </QueryClientProvider>
    </MemoryRouter>,
  );
}

describe("Composer", () => {
  beforeEach(async () => {
    sends.length = 0;
    wa = { state: { state: "ready", account: "996" }, available: true, queued: 0, unconfirmed: 0, failed: 0 };
    await applyLanguage("en");
  });

  it("sends on Enter but not on Shift+Enter, then clears the box", async () => {
    show();
    const input = screen.getByTestId("composer-input") as HTMLTextAreaElement;
    expect(screen.getByTestId("composer-send").matches(":disabled")).toBe(true);
    fireEvent.change(input, { target: { value: "Salam! 👋" } });
    fireEvent.keyDown(input, { key: "Enter", shiftKey: true });
    expect(sends).toHaveLength(0);
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(sends).toHaveLength(1));
    expect(sends[0]).toEqual({ chat_id: "chat-1", body: "Salam! 👋", attachment: null });
    await waitFor(() => expect(input.value).toBe(""));
  });

  it("does not send only whitespace", () => {
    show();
    const input = screen.getByTestId("composer-input");
    fireEvent.change(input, { target: { value: "   \n " } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(sends).toHaveLength(0);
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
    expect(sends[0]).toEqual({ chat_id: "chat-1", body: "", attachment: { file_name: "program.pdf", mime: "application/pdf", data_base64: btoa("%PDF-1.4") } });
  });
});

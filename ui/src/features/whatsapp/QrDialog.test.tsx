import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import type { WaStatus } from "../../bindings/WaStatus";
import { NoticeProvider } from "../../components/Notice";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import { keys } from "../../lib/queries";
import { QrDialog } from "./QrDialog";
import { QrDialogProvider } from "./QrDialogHost";
import { WaBadge } from "./WaBadge";

const pairingRequests: string[] = [];
let wa: WaStatus;

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      waStatus: () => Promise.resolve(wa),
      waPairingCode: (phone: string) => {
        pairingRequests.push(phone);
        return Promise.resolve();
      },
    },
  };
});

const status = (state: WaStatus["state"]): WaStatus => ({ state, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 });

function tree(children: React.ReactNode, qc: QueryClient) {
  return (
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <NoticeProvider>{children}</NoticeProvider>
      </QueryClientProvider>
    </MemoryRouter>
  );
}

function wrap(children: React.ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const r = render(tree(children, qc));
  return { qc, rerender: (next: React.ReactNode) => r.rerender(tree(next, qc)) };
}

describe("QR dialog", () => {
  beforeEach(async () => {
    pairingRequests.length = 0;
    await applyLanguage("en");
  });

  it("draws the QR payload as an image and redraws it when the code rotates", () => {
    const { rerender } = wrap(<QrDialog status={status({ state: "qr", qr: "2@first-payload,abc==" })} onCancel={() => {}} />);
    const img = screen.getByTestId("wa-qr-image") as HTMLImageElement;
    expect(img.tagName).toBe("IMG");
    const first = img.getAttribute("src") ?? "";
    expect(first.startsWith("data:image/svg+xml")).toBe(true);
    // A real QR symbol: many dark modules drawn as path segments.
    expect((decodeURIComponent(first).match(/h1v1h-1z/g) ?? []).length).toBeGreaterThan(100);
    expect(screen.getByTestId("wa-qr-dialog").textContent).toContain(en.wa.qr.scan);
    rerender(<QrDialog status={status({ state: "qr", qr: "2@second-payload,xyz==" })} onCancel={() => {}} />);
    expect(screen.getByTestId("wa-qr-image").getAttribute("src")).not.toBe(first);
  });

  it("asks for a pairing code by phone and shows the code as ABCD-EFGH", async () => {
    const { rerender } = wrap(<QrDialog status={status({ state: "qr", qr: "2@x" })} onCancel={() => {}} />);
    fireEvent.click(screen.getByText(en.wa.qr.usePhone));
    fireEvent.change(screen.getByTestId("wa-pairing-phone"), { target: { value: "+996 555 123 456" } });
    fireEvent.click(screen.getByTestId("wa-pairing-request"));
    await waitFor(() => expect(pairingRequests).toEqual(["+996 555 123 456"]));
    rerender(<QrDialog status={status({ state: "pairing_code", code: "wxyz1234" })} onCancel={() => {}} />);
    expect(screen.getByTestId("wa-pairing-code").textContent).toBe("WXYZ-1234");
    expect(screen.queryByTestId("wa-qr-image")).toBeNull();
  });

  it("opens by itself for a QR code and closes with a notice once linked", async () => {
    wa = status({ state: "qr", qr: "2@auto" });
    const { qc } = wrap(
      <QrDialogProvider>
        <WaBadge />
      </QrDialogProvider>,
    );
    expect(await screen.findByTestId("wa-qr-dialog")).toBeTruthy();
    expect(screen.getByTestId("wa-badge").getAttribute("data-state")).toBe("qr");
    act(() => qc.setQueryData(keys.waStatus, status({ state: "ready", account: "996555123456" })));
    await waitFor(() => expect(screen.queryByTestId("wa-qr-dialog")).toBeNull());
    expect(screen.getByTestId("notice").textContent).toContain(en.wa.qr.linked);
    expect(screen.getByTestId("wa-badge").textContent).toBe(en.wa.state.ready);
  });

  it("stays closed after Cancel while the same code is on offer", async () => {
    wa = status({ state: "qr", qr: "2@a" });
    const { qc } = wrap(<QrDialogProvider>{null}</QrDialogProvider>);
    fireEvent.click(await screen.findByTestId("wa-qr-cancel"));
    expect(screen.queryByTestId("wa-qr-dialog")).toBeNull();
    act(() => qc.setQueryData(keys.waStatus, status({ state: "qr", qr: "2@b" })));
    expect(screen.queryByTestId("wa-qr-dialog")).toBeNull();
  });
});

describe("WhatsApp badge", () => {
  beforeEach(async () => {
    await applyLanguage("en");
  });

  it("shows the translated state with its name and colour", async () => {
    wa = status({ state: "failed", code: "browser_not_found", reason: "no chromium in PATH" });
    wrap(<WaBadge />);
    const badge = await screen.findByTestId("wa-badge");
    await waitFor(() => expect(badge.getAttribute("data-state")).toBe("failed"));
    expect(badge.textContent).toBe(`Not working: ${en.wa.reason.browser_not_found}`);
    expect(badge.className).toContain("tone-bad");
    expect(badge.getAttribute("href")).toBe("/whatsapp");
  });

  it("says when WhatsApp cannot run on this computer, with the problem as its tooltip", async () => {
    await applyLanguage("ru");
    wa = { ...status({ state: "not_connected" }), available: false, problem: "Node.js not found" };
    wrap(<WaBadge />);
    const badge = await screen.findByTestId("wa-badge");
    await waitFor(() => expect(badge.getAttribute("data-available")).toBe("false"));
    expect(badge.textContent).toBe("WhatsApp недоступен на этом компьютере");
    expect(badge.getAttribute("title")).toBe("Node.js not found");
  });
});

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import type { WaStatus } from "../../bindings/WaStatus";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import { WaBadge } from "./WaBadge";

let status: WaStatus;

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return { ...real, ipc: { waStatus: () => Promise.resolve(status) } };
});

function show() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <WaBadge />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("WaBadge", () => {
  beforeEach(async () => {
    await applyLanguage("en");
  });

  it("tells the manager how many messages WhatsApp has held at ack 0 for 5 minutes", async () => {
    status = { state: { state: "ready", account: "996555123456" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 2 };
    show();
    const stuck = await screen.findByTestId("wa-badge-stuck");
    expect(stuck.textContent).toBe("🕓 2");
    expect(stuck.getAttribute("title")).toBe(en.wa.page.stuck);
  });

  it("shows no stuck mark when nothing is stuck", async () => {
    status = { state: { state: "ready", account: "996555123456" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 };
    show();
    await waitFor(() => expect(screen.getByTestId("wa-badge").getAttribute("data-state")).toBe("ready"));
    expect(screen.queryByTestId("wa-badge-stuck")).toBeNull();
  });
});

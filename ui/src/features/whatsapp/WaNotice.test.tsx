import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { WaState } from "../../bindings/WaState";
import type { WaStatus } from "../../bindings/WaStatus";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import { WaNoticeBar } from "./WaNotice";
import { needsNotice } from "./waState";

const calls: string[] = [];

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      waUseHere: () => {
        calls.push("use_here");
        return Promise.resolve();
      },
      waReconnect: () => {
        calls.push("reconnect");
        return Promise.resolve();
      },
    },
  };
});

const status = (state: WaState): WaStatus => ({ state, available: true, queued: 2, unconfirmed: 0, failed: 0, stuck: 0 });

function show(state: WaState) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <WaNoticeBar status={status(state)} />
    </QueryClientProvider>,
  );
}

describe("WhatsApp notice bar", () => {
  beforeEach(async () => {
    calls.length = 0;
    await applyLanguage("en");
  });

  it("is shown only for states that hold the outbox or need the manager", () => {
    expect(needsNotice(status({ state: "ready" }))).toBe(false);
    expect(needsNotice(status({ state: "qr", qr: "x" }))).toBe(false);
    expect(needsNotice(status({ state: "degraded", code: "network_timeout", reason: "" }))).toBe(true);
    expect(needsNotice(status({ state: "conflict", reason: "" }))).toBe(true);
    expect(needsNotice(status({ state: "banned", code: "tos_block", reason: "" }))).toBe(true);
    expect(needsNotice(status({ state: "failed", code: "deprecated_version", reason: "" }))).toBe(true);
  });

  it("a network drop says reconnecting, with the advice for its code", () => {
    show({ state: "degraded", code: "network_timeout", reason: "socket TIMEOUT", next_retry_at: null });
    const bar = screen.getByTestId("wa-notice");
    expect(bar.dataset.state).toBe("degraded");
    expect(bar.dataset.code).toBe("network_timeout");
    expect(bar.textContent).toContain(en.wa.state.degradedSoon);
    expect(screen.getByTestId("wa-notice-advice").textContent).toBe(en.wa.advice.network_timeout);
    expect(screen.queryByTestId("wa-use-here")).toBeNull();
  });

  it("a conflict offers Use here, which asks for the takeover", async () => {
    show({ state: "conflict", reason: "CONFLICT" });
    expect(screen.getByTestId("wa-notice").textContent).toContain(en.wa.state.conflict);
    expect(screen.getByTestId("wa-notice-advice").textContent).toBe(en.wa.advice.conflict);
    fireEvent.click(screen.getByTestId("wa-use-here"));
    await waitFor(() => expect(calls).toEqual(["use_here"]));
  });

  it("a ban names which number kind was banned, and Reconnect is the way back after an appeal", async () => {
    const { unmount } = show({ state: "banned", code: "smb_tos_block", reason: "SMB_TOS_BLOCK" });
    expect(screen.getByTestId("wa-notice-advice").textContent).toBe(en.wa.advice.smb_tos_block);
    fireEvent.click(screen.getByTestId("wa-notice-reconnect"));
    await waitFor(() => expect(calls).toEqual(["reconnect"]));
    unmount();
    show({ state: "banned", code: "tos_block", reason: "TOS_BLOCK" });
    expect(screen.getByTestId("wa-notice-advice").textContent).toBe(en.wa.advice.tos_block);
  });

  it("speaks Russian", async () => {
    await applyLanguage("ru");
    show({ state: "conflict", reason: "CONFLICT" });
    expect(screen.getByTestId("wa-notice").textContent).toContain(ru.wa.state.conflict);
    expect(screen.getByTestId("wa-use-here").textContent).toBe(ru.wa.page.useHere);
    expect(screen.getByTestId("wa-notice-advice").textContent).toBe(ru.wa.advice.conflict);
  });
});

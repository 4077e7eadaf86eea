import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import type { RecoveryState } from "../../bindings/RecoveryState";
import { RecoveryScreen } from "./RecoveryScreen";
import { STARTUP_PROBLEMS, problemKey } from "./recovery";

const calls: { cmd: string; args: unknown[] }[] = [];
let retryAnswer: RecoveryState | null = null;

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
      recoveryRestore: record("recoveryRestore", () => undefined),
      recoveryRetry: record("recoveryRetry", () => retryAnswer),
      recoveryOpenFolder: record("recoveryOpenFolder", () => null),
      recoveryShowFolder: record("recoveryShowFolder", () => undefined),
      recoveryQuit: record("recoveryQuit", () => undefined),
    },
  };
});

const damaged: RecoveryState = {
  code: "store_damaged",
  detail: "open database: database disk image is malformed",
  data_dir: "/home/desk/.local/share/app.tourdesk.desk",
  backups: [
    { name: "tourdesk-20260501T090000.000Z-daily.sqlite3", taken_at: "2026-05-01T09:00:00Z", reason: "daily", bytes: 245760, clients: 42, messages: 1310, usable: true },
    { name: "tourdesk-20260430T090000.000Z-daily.sqlite3", taken_at: "2026-04-30T09:00:00Z", reason: "daily", bytes: 4096, clients: null, messages: null, usable: false },
  ],
  actions: ["restore", "other_folder", "show_folder", "quit"],
};

function show(state: RecoveryState, onOpened = vi.fn(), onState = vi.fn()) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <RecoveryScreen state={state} onState={onState} onOpened={onOpened} />
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return { onOpened, onState };
}

describe("RecoveryScreen", () => {
  beforeEach(async () => {
    calls.length = 0;
    retryAnswer = null;
    await applyLanguage("ru");
  });

  it("says in Russian that the file is damaged and lists the backups with what they hold", () => {
    show(damaged);
    expect(screen.getByText(ru.recovery.title)).toBeTruthy();
    expect(screen.getByTestId("recovery-problem").textContent).toBe(ru.recovery.problem.store_damaged);
    expect(screen.getByTestId("recovery-backup-0-clients").textContent).toBe("42");
    expect(screen.getByTestId("recovery-backup-0-messages").textContent).toBe("1310");
    // The unreadable backup is shown but cannot be restored.
    expect(screen.getByTestId("recovery-backup-1").textContent).toContain(ru.recovery.unusable);
    expect(screen.queryByTestId("recovery-restore-1")).toBeNull();
    // A damaged file is not retried as it is.
    expect(screen.queryByTestId("recovery-retry")).toBeNull();
    expect(screen.getByTestId("recovery-show-folder")).toBeTruthy();
  });

  it("restores the chosen backup only after a confirmation, then opens the app", async () => {
    const { onOpened } = show(damaged);
    fireEvent.click(screen.getByTestId("recovery-restore-0"));
    expect(calls).toEqual([]);
    fireEvent.click(screen.getByTestId("recovery-restore-confirm"));
    await waitFor(() => expect(onOpened).toHaveBeenCalled());
    expect(calls).toEqual([{ cmd: "recoveryRestore", args: [damaged.backups[0].name] }]);
  });

  it("offers try again for a locked folder and shows the new state when it still fails", async () => {
    await applyLanguage("en");
    const locked: RecoveryState = { ...damaged, code: "store_locked", backups: [], actions: ["retry", "other_folder", "show_folder", "quit"] };
    retryAnswer = { ...locked, detail: "still locked" };
    const { onState, onOpened } = show(locked);
    expect(screen.getByTestId("recovery-problem").textContent).toBe(en.recovery.problem.store_locked);
    expect(screen.queryByText(en.recovery.backups)).toBeNull();
    fireEvent.click(screen.getByTestId("recovery-retry"));
    await waitFor(() => expect(onState).toHaveBeenCalledWith(retryAnswer));
    expect(onOpened).not.toHaveBeenCalled();
  });

  it("opens another folder typed by the user, and quits", async () => {
    const { onOpened } = show({ ...damaged, code: "folder_missing", backups: [], actions: ["retry", "other_folder", "quit"] });
    expect(screen.getByTestId("recovery-problem").textContent).toBe(ru.recovery.problem.folder_missing);
    fireEvent.change(screen.getByTestId("recovery-folder-input"), { target: { value: " /media/usb/Tourdesk " } });
    fireEvent.click(screen.getByTestId("recovery-open-folder"));
    await waitFor(() => expect(onOpened).toHaveBeenCalled());
    fireEvent.click(screen.getByTestId("recovery-quit"));
    expect(calls.map((c) => c.cmd)).toEqual(["recoveryOpenFolder", "recoveryQuit"]);
  });

  it("has a sentence for every start-up problem in both languages", () => {
    for (const code of STARTUP_PROBLEMS) {
      expect((ru.recovery.problem as Record<string, string>)[code], code).toBeTruthy();
      expect((en.recovery.problem as Record<string, string>)[code], code).toBeTruthy();
    }
    expect(problemKey("internal")).toBe("recovery.problem.other");
  });
});

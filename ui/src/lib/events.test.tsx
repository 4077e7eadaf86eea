import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import type { WaStatus } from "../bindings/WaStatus";
import { applyLanguage } from "../i18n";
import { useBackendEvents } from "./events";
import { keys } from "./queries";

const handlers = new Map<string, (e: { payload: unknown }) => void>();
let unread = 0;

vi.mock("@tauri-apps/api/core", async (importOriginal) => ({ ...(await importOriginal<object>()), isTauri: () => true }));
vi.mock("@tauri-apps/api/event", () => ({
  listen: (name: string, h: (e: { payload: unknown }) => void) => {
    handlers.set(name, h);
    return Promise.resolve(() => handlers.delete(name));
  },
}));
const windowTitles: string[] = [];
vi.mock("@tauri-apps/api/window", () => ({
  getCurrentWindow: () => ({
    setTitle: (t: string) => {
      windowTitles.push(t);
      return Promise.resolve();
    },
  }),
}));
vi.mock("./ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("./ipc")>();
  return {
    ...real,
    ipc: {
      chatList: () => Promise.resolve(unread ? [{ id: "c1", unread }] : []),
      chatUnreadTotal: () => Promise.resolve(unread),
      waStatus: () => Promise.resolve({ state: { state: "not_connected" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 }),
    },
  };
});

const shown: { title: string; body?: string }[] = [];
// In the app, notifications go through the Tauri notification plugin.
vi.mock("@tauri-apps/plugin-notification", () => ({
  isPermissionGranted: () => Promise.resolve(true),
  requestPermission: () => Promise.resolve("granted"),
  sendNotification: (n: { title: string; body?: string }) => shown.push({ title: n.title, body: n.body }),
}));
class FakeNotification {
  static permission = "granted";
  static requestPermission = () => Promise.resolve("granted");
  onclick: (() => void) | null = null;
  constructor(title: string, opts?: { body?: string }) {
    shown.push({ title, body: opts?.body });
  }
  close() {}
}

function Probe() {
  useBackendEvents();
  return null;
}

function mount() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <Probe />
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return qc;
}

describe("backend events", () => {
  beforeEach(async () => {
    handlers.clear();
    shown.length = 0;
    unread = 0;
    vi.stubGlobal("Notification", FakeNotification);
    await applyLanguage("en");
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("puts a new WhatsApp state straight into the cache", async () => {
    const qc = mount();
    await waitFor(() => expect(handlers.has("wa:state_changed")).toBe(true));
    const ready: WaStatus = { state: { state: "ready", account: "996" }, available: true, queued: 1, unconfirmed: 0, failed: 0, stuck: 0 };
    act(() => handlers.get("wa:state_changed")?.({ payload: ready }));
    expect(qc.getQueryData(keys.waStatus)).toEqual(ready);
  });

  it("refreshes the inbox, counts unread in the title and notifies when the window is in the background", async () => {
    const qc = mount();
    await waitFor(() => expect(document.title).toBe("Tourdesk"));
    await waitFor(() => expect(handlers.has("inbox:changed")).toBe(true));
    qc.setQueryData(keys.chatMessages("c1"), { pages: [[]], pageParams: [null] });
    vi.spyOn(document, "hasFocus").mockReturnValue(false);
    unread = 3;
    act(() => handlers.get("inbox:changed")?.({ payload: { chat_id: "c1", incoming: true, title: "Layla", preview: "Salam" } }));
    expect(qc.getQueryState(keys.chatMessages("c1"))?.isInvalidated).toBe(true);
    await waitFor(() => expect(shown).toEqual([{ title: "Layla", body: "Salam" }]));
    await waitFor(() => expect(document.title).toBe("(3) Tourdesk"));
    expect(windowTitles).toContain("(3) Tourdesk");
  });

  it("does not notify while the manager is looking at the window", async () => {
    mount();
    await waitFor(() => expect(handlers.has("inbox:changed")).toBe(true));
    vi.spyOn(document, "hasFocus").mockReturnValue(true);
    act(() => handlers.get("inbox:changed")?.({ payload: { chat_id: "c1", incoming: true, title: "Layla", preview: "Salam" } }));
    expect(shown).toEqual([]);
  });
});

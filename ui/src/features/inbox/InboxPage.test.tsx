import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import type { ChatFilter } from "../../bindings/ChatFilter";
import type { ChatRow } from "../../bindings/ChatRow";
import type { Message } from "../../bindings/Message";
import { NoticeProvider } from "../../components/Notice";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import { InboxPage } from "./InboxPage";

const listCalls: ChatFilter[] = [];
const readCalls: string[] = [];
const searchCalls: string[] = [];

const chats: ChatRow[] = [
  {
    id: "c1", wa_chat_id: "966501234567@c.us", kind: "one_to_one", client_id: "k1", client_name: "محمد العتيبي", title: "Mohammed",
    last_message_seq: 30, last_message_at: "2026-05-01T10:02:00Z", last_direction: "in", last_kind: "text", preview: "Is it halal?",
    unread: 2, client_status: "warmed", client_language: "ar",
  },
  {
    id: "c2", wa_chat_id: "996700000000@c.us", kind: "one_to_one", title: "Asel (guide)", last_message_seq: 20,
    last_message_at: "2026-05-01T09:00:00Z", last_direction: "out", last_kind: "text", last_status: "delivered", preview: "See you at 8",
    unread: 0, partner_id: "p1", partner_name: "Asel",
  },
];

const msg = (seq: number, direction: "in" | "out", body: string): Message => ({
  seq, id: `m${seq}`, chat_id: "c1", direction, sent_at: `2026-05-01T10:0${seq % 10}:00Z`, kind: "text", body, reactions: [],
  status: direction === "out" ? "sent" : null, stuck: false,
});

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      chatList: (f: ChatFilter) => {
        listCalls.push(f);
        return Promise.resolve(f.status === "sold" ? [] : chats);
      },
      // Newest first, as the core answers.
      chatWindow: () =>
        Promise.resolve({ messages: [msg(3, "in", "Is it halal?"), msg(2, "out", "Hello! Which dates?"), msg(1, "in", "Salam")], older: false, newer: false }),
      chatMarkRead: (id: string) => {
        readCalls.push(id);
        return Promise.resolve();
      },
      messageSearch: (text: string) => {
        searchCalls.push(text);
        return Promise.resolve([{ chat_id: "c1", chat_title: "Mohammed", client_id: "k1", message: msg(3, "in", "Is it halal?"), snippet: "Is it \u0002halal\u0003?" }]);
      },
      waStatus: () => Promise.resolve({ state: { state: "ready" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 }),
      aiLanguageGet: () => Promise.resolve({ chosen: null, effective: "en" }),
      // History not yet detected: the translator finds it already in the manager's language.
      messageTranslation: (message_id: string) =>
        Promise.resolve({ message_id, language: "en", source_language: "en", status: "not_needed", flags: [] }),
      clientGet: () =>
        Promise.resolve({
          client: {
            id: "k1", status: "warmed", created_at: "2026-05-01T00:00:00Z", updated_at: "2026-05-01T00:00:00Z", name: "محمد العتيبي",
            phone: "+966501234567", language: "ar", culture: { diet: "halal", address: "formal", time_zone: "Asia/Riyadh", notes: "" },
            notes: "", tour_ids: [], partner_name: null, manager_name: null,
          },
          history: [],
        }),
      tourList: () => Promise.resolve([]),
      partnerList: () => Promise.resolve([]),
    },
  };
});

function show(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <NoticeProvider>
          <Routes>
            <Route path="/inbox/:chatId?" element={<InboxPage />} />
          </Routes>
        </NoticeProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
}

describe("Inbox", () => {
  beforeEach(async () => {
    listCalls.length = 0;
    readCalls.length = 0;
    searchCalls.length = 0;
    await applyLanguage("en");
  });

  it("lists chats with unread badge, partner mark and status, newest first", async () => {
    show("/inbox");
    const rows = await screen.findAllByTestId("chat-row");
    expect(rows.map((r) => r.getAttribute("data-chat-id"))).toEqual(["c1", "c2"]);
    expect(within(rows[0]).getByTestId("chat-unread").textContent).toBe("2");
    expect(within(rows[0]).getByText(en.status.warmed)).toBeTruthy();
    expect(within(rows[1]).queryByTestId("chat-unread")).toBeNull();
    expect(rows[1].textContent).toContain("Asel");
    expect(rows[1].textContent).toContain("You: See you at 8");
    expect(listCalls[0]).toEqual({ unread_only: false, search: "", limit: 50 });
    expect(screen.getByTestId("inbox-pick")).toBeTruthy();
  });

  it("opens a chat oldest message first, marks it read, and shows the client", async () => {
    show("/inbox/c1");
    const conversation = await screen.findByTestId("conversation");
    await waitFor(() => expect(within(conversation).getAllByTestId("message")).toHaveLength(3));
    const bodies = within(conversation).getAllByTestId("message").map((m) => m.getAttribute("data-message-id"));
    expect(bodies).toEqual(["m1", "m2", "m3"]);
    expect(within(conversation).getAllByTestId("message")[1].getAttribute("data-direction")).toBe("out");
    await waitFor(() => expect(readCalls).toContain("c1"));
    const panel = screen.getByTestId("client-panel");
    expect((await within(panel).findByTestId("client-panel-link")).textContent).toBe("محمد العتيبي");
  });

  it("shows the partner for a partner's chat", async () => {
    show("/inbox/c2");
    const panel = screen.getByTestId("client-panel");
    await waitFor(() => expect(panel.textContent).toContain("Asel"));
    expect(panel.textContent).toContain(en.inbox.partner);
  });

  it("filters by status and searches chats and message text", async () => {
    show("/inbox");
    await screen.findAllByTestId("chat-row");
    fireEvent.change(screen.getByTestId("chat-filter-status"), { target: { value: "sold" } });
    await waitFor(() => expect(listCalls.some((f) => f.status === "sold")).toBe(true));
    expect(await screen.findByTestId("chat-empty")).toBeTruthy();
    fireEvent.change(screen.getByTestId("chat-filter-status"), { target: { value: "" } });
    fireEvent.change(screen.getByTestId("chat-search"), { target: { value: "halal" } });
    const hit = await screen.findByTestId("message-hit", {}, { timeout: 2000 });
    expect(searchCalls).toContain("halal");
    // The chat list and the message search are debounced separately: either may answer first.
    await waitFor(() => expect(listCalls.some((f) => f.search === "halal")).toBe(true));
    expect(hit.querySelector("mark")?.textContent).toBe("halal");
    expect(screen.getByText(en.inbox.messages)).toBeTruthy();
  });
});

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import type { ClientQuery } from "../../bindings/ClientQuery";
import type { WaStatus } from "../../bindings/WaStatus";
import { NoticeProvider } from "../../components/Notice";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import { ImportPage } from "./ImportPage";
import type { ImportBatch } from "../../bindings/ImportBatch";
import type { ImportFile } from "../../bindings/ImportFile";
import type { ImportItem } from "../../bindings/ImportItem";
import type { ImportItemUpdate } from "../../bindings/ImportItemUpdate";
import type { UndoReport } from "../../bindings/UndoReport";
import type { ImportProgress } from "../../bindings/ImportProgress";
import type { WaChatChoice } from "../../bindings/WaChatChoice";
import { waJob } from "./waJob";

// --- The core, faked --------------------------------------------------------------------------

const handlers = new Map<string, (e: { payload: unknown }) => void>();
vi.mock("@tauri-apps/api/core", async (importOriginal) => ({ ...(await importOriginal<object>()), isTauri: () => true }));
vi.mock("@tauri-apps/api/event", () => ({
  listen: (name: string, h: (e: { payload: unknown }) => void) => {
    handlers.set(name, h);
    return Promise.resolve(() => handlers.delete(name));
  },
}));

function emitProgress(p: ImportProgress) {
  const h = handlers.get("import:progress");
  if (!h) throw new Error("nobody listens to import:progress");
  act(() => h({ payload: p }));
}

const item = (over: Partial<ImportItem>): ImportItem => ({
  id: "i1",
  file_name: "WhatsApp Chat with Ivan.txt",
  chat_title: "Ivan",
  name: "Ivan",
  phone: null,
  language: "ru",
  language_confidence: 0.93,
  suggested_status: "warmed",
  status_reason: "dates and party size found",
  status_signal: "two_way",
  status_signal_value: "3/2",
  status_evidence: "Нас 4 человека, 12–15 июня",
  messages: 42,
  first: "2024-01-05T10:00:00",
  last: "2024-03-12T18:30:00",
  is_group: false,
  action: "import",
  merge_into: null,
  merge_name: null,
  proposed_merge: null,
  time_zone: "Asia/Bishkek",
  participants: ["Ivan", "Anna"],
  needs_client_choice: false,
  history_truncated: false,
  warnings: [],
  messages_added: 0,
  duplicates_skipped: 0,
  ...over,
});

const stagedBatch = (): ImportBatch => ({
  id: "b1",
  source: "files",
  status: "staged",
  created_at: "2026-05-01T09:00:00Z",
  item_count: 3,
  items: [
    item({}),
    item({
      id: "i2", file_name: "WhatsApp Chat with +971 50 123 4567.zip", chat_title: "+971 50 123 4567", name: "Ahmed",
      phone: "+971501234567", language: "ar", language_confidence: 0.88, suggested_status: "new_lead",
      status_reason: "first contact only", status_signal: "first_contact", status_signal_value: "", status_evidence: null, action: "merge", merge_into: "k9",
      merge_name: "Ahmed Al-Mansouri", proposed_merge: "k9", time_zone: "Asia/Dubai",
    }),
    item({ id: "i3", file_name: "WhatsApp Chat with Family trip.txt", chat_title: "Family trip", name: "Family trip", is_group: true, action: "skip", status_signal: "", status_signal_value: "" }),
  ],
  errors: [{ file_name: "notes.txt", code: "not_a_whatsapp_export", message: "no line starts with a date and time (12 lines read)" }],
  summary: null,
});

let batch: ImportBatch;
let wa: WaStatus;
let waChats: WaChatChoice[];
const calls = {
  stage: [] as { files: ImportFile[]; own_names: string[] }[],
  update: [] as { item_id: string; update: ImportItemUpdate }[],
  commit: [] as string[],
  undo: [] as string[],
  waStart: [] as string[][],
  cancel: [] as string[],
  batchGet: [] as string[],
  clientList: [] as ClientQuery[],
};
/** The order the core was called in. */
const log: string[] = [];
/** When set, import_item_update fails with this for the given item. */
let failUpdate: { item_id: string; error: unknown } | null = null;
/** When set, import_commit fails with this. */
let failCommit: unknown = null;
const undoKept: UndoReport["kept"] = [
  { code: "client_kept", name: "Ahmed Al-Mansouri", messages: 40, reasons: [{ code: "client_changed" }, { code: "arrived_since", count: 2 }] },
];

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      waStatus: () => Promise.resolve(wa),
      importBatchList: () =>
        Promise.resolve([
          { ...stagedBatch(), id: "old1", status: "committed", items: [], errors: [], summary: { clients_created: 7, clients_merged: 1, messages_added: 900, duplicates_skipped: 0, items_skipped: 2 } },
        ]),
      importStageFiles: (files: ImportFile[], own_names: string[]) => {
        calls.stage.push({ files, own_names });
        return Promise.resolve(batch);
      },
      importBatchGet: (id: string) => {
        calls.batchGet.push(id);
        return Promise.resolve({ ...batch, id });
      },
      importItemUpdate: (item_id: string, update: ImportItemUpdate) => {
        calls.update.push({ item_id, update });
        log.push(`update ${item_id}`);
        if (failUpdate && failUpdate.item_id === item_id) return Promise.reject(failUpdate.error);
        const before = batch.items.find((i) => i.id === item_id)!;
        const isParticipant = before.participants.includes(update.name);
        return Promise.resolve({
          ...before,
          ...update,
          merge_name: update.merge_into === "k5" ? "Olga Smirnova" : before.merge_name,
          needs_client_choice: before.needs_client_choice && !isParticipant,
        });
      },
      importCommit: (id: string) => {
        calls.commit.push(id);
        log.push(`commit ${id}`);
        if (failCommit) return Promise.reject(failCommit);
        return Promise.resolve({ clients_created: 1, clients_merged: 1, messages_added: 57, duplicates_skipped: 12, items_skipped: 1 });
      },
      importUndo: (id: string) => {
        calls.undo.push(id);
        return Promise.resolve({ clients_removed: 1, messages_removed: 40, chats_removed: 1, kept: undoKept });
      },
      importWaChats: () => Promise.resolve(waChats),
      importWaStart: (chat_ids: string[]) => {
        calls.waStart.push(chat_ids);
        // An event can arrive before the start call answers; it must not be lost.
        handlers.get("import:progress")?.({ payload: { batch_id: "b-wa", done: 0, total: chat_ids.length, chat: null, finished: false, cancelled: false, error: null } });
        return Promise.resolve("b-wa");
      },
      importCancel: (id: string) => {
        calls.cancel.push(id);
        return Promise.resolve();
      },
      clientList: (query: ClientQuery) => {
        calls.clientList.push(query);
        return Promise.resolve({
          rows: [{ id: "k5", name: "Olga Smirnova", phone: "+77011234567", status: "qualified", language: "ru", updated_at: "2026-04-01T00:00:00Z" }],
          total: 1,
        });
      },
    },
  };
});

function show(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <QueryClientProvider client={qc}>
        <NoticeProvider>
          <Routes>
            <Route path="/import/:batchId?" element={<ImportPage />} />
          </Routes>
        </NoticeProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return qc;
}

const rowOf = (itemId: string) => screen.getAllByTestId("import-item").find((r) => r.getAttribute("data-item-id") === itemId)!;
const field = <T extends HTMLElement>(row: HTMLElement, id: string) => within(row).getByTestId(id) as T;

beforeEach(async () => {
  batch = stagedBatch();
  wa = { state: { state: "ready", account: "996555000111" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 };
  waChats = [];
  failUpdate = null;
  failCommit = null;
  for (const list of Object.values(calls)) list.length = 0;
  log.length = 0;
  handlers.clear();
  waJob.clear();
  localStorage.clear();
  await applyLanguage("en");
});

// --- Choose → review --------------------------------------------------------------------------

describe("import from files", () => {
  it("reads the picked files, refuses one over 200 MiB, remembers the own names, and opens the review", async () => {
    localStorage.setItem("tourdesk.import.ownNames", "Anna");
    show("/import");
    const ownNames = screen.getByTestId("import-own-names") as HTMLInputElement;
    expect(ownNames.value).toBe("Anna");
    expect(screen.getByTestId("import-stage").matches(":disabled")).toBe(true);

    const chat = new File(["05.01.24, 10:00 - Ivan: Привет"], "WhatsApp Chat with Ivan.txt", { type: "text/plain" });
    const huge = new File(["x"], "big.zip", { type: "application/zip" });
    Object.defineProperty(huge, "size", { value: 201 * 1024 * 1024 });
    fireEvent.change(screen.getByTestId("import-files"), { target: { files: [chat, huge] } });

    const listed = screen.getAllByTestId("import-file");
    expect(listed).toHaveLength(2);
    expect(listed[0].textContent).toContain("WhatsApp Chat with Ivan.txt");
    expect(listed[0].textContent).toContain("36 B");
    expect(within(listed[1]).getByTestId("import-file-problem").textContent).toBe(en.errors.import_too_large);

    fireEvent.change(ownNames, { target: { value: "Anna, Tourdesk Bishkek, anna" } });
    fireEvent.click(screen.getByTestId("import-stage"));

    await screen.findByTestId("import-review");
    expect(calls.stage).toHaveLength(1);
    expect(calls.stage[0].own_names).toEqual(["Anna", "Tourdesk Bishkek"]);
    // Only the file that fits was read and sent, as base64 of its bytes.
    expect(calls.stage[0].files).toEqual([
      { file_name: "WhatsApp Chat with Ivan.txt", data_base64: Buffer.from("05.01.24, 10:00 - Ivan: Привет").toString("base64") },
    ]);
    expect(localStorage.getItem("tourdesk.import.ownNames")).toBe("Anna, Tourdesk Bishkek");
  });

  it("shows the staged items with the proposed merge preselected, groups skipped, and file errors translated", async () => {
    show("/import/b1");
    const review = await screen.findByTestId("import-review");
    expect(screen.getAllByTestId("import-item")).toHaveLength(3);

    const ivan = rowOf("i1");
    expect(field<HTMLInputElement>(ivan, "import-item-name").value).toBe("Ivan");
    expect(field<HTMLInputElement>(ivan, "import-item-phone").value).toBe("");
    expect(field(ivan, "import-item-phone-unknown").textContent).toBe(en.import.review.phoneUnknown);
    expect(field<HTMLSelectElement>(ivan, "import-item-language").value).toBe("ru");
    expect(field(ivan, "import-item-confidence").textContent).toBe("Detected: Russian, 93 %");
    expect(field<HTMLSelectElement>(ivan, "import-item-status").value).toBe("warmed");
    expect(field(ivan, "import-item-evidence").textContent).toBe("Нас 4 человека, 12–15 июня");
    expect(field(ivan, "import-item-reason").textContent).toBe("Suggested “Warmed up”: Two-way conversation (client / other messages: 3/2)");
    expect(field(ivan, "import-item-messages").textContent).toBe("42");
    expect(field(ivan, "import-item-dates").textContent).toBe("05/01/2024 – 12/03/2024");
    expect(field<HTMLInputElement>(ivan, "import-item-tz").value).toBe("Asia/Bishkek");
    expect(field<HTMLSelectElement>(ivan, "import-item-action").value).toBe("import");

    const ahmed = rowOf("i2");
    expect(field<HTMLSelectElement>(ahmed, "import-item-action").value).toBe("merge");
    expect(field(ahmed, "import-item-merge-target").textContent).toBe("Same phone as Ahmed Al-Mansouri");
    expect(within(ahmed).queryByTestId("import-item-phone-unknown")).toBeNull();

    const group = rowOf("i3");
    // No signal code: the importer's own reason.
    expect(field(group, "import-item-reason").textContent).toContain("dates and party size found");
    expect(within(group).getByTestId("import-item-group")).toBeTruthy();
    expect(field<HTMLSelectElement>(group, "import-item-action").value).toBe("skip");
    // A group has no one phone and is never merged into one client.
    expect(within(group).queryByTestId("import-item-phone")).toBeNull();
    expect((within(group).getByRole("option", { name: en.import.action.merge }) as HTMLOptionElement).disabled).toBe(true);

    const fileError = within(review).getByTestId("import-file-error");
    expect(fileError.textContent).toContain("notes.txt");
    expect(fileError.textContent).toContain(en.errors.not_a_whatsapp_export);
    // Two of three are imported; the group is skipped.
    expect(screen.getByTestId("import-commit").textContent).toBe("Import clients: 2");
    expect(calls.update).toHaveLength(0);
  });

  it("saves a name edit after a pause, whole, and a choice at once", async () => {
    show("/import/b1");
    await screen.findByTestId("import-review");
    const ivan = rowOf("i1");
    fireEvent.change(field(ivan, "import-item-name"), { target: { value: "Ivan Petrov" } });
    // Typing is not saved letter by letter.
    expect(calls.update).toHaveLength(0);
    await waitFor(() => expect(calls.update).toHaveLength(1), { timeout: 2000 });
    expect(calls.update[0]).toEqual({
      item_id: "i1",
      update: { name: "Ivan Petrov", phone: null, language: "ru", suggested_status: "warmed", action: "import", merge_into: null, time_zone: "Asia/Bishkek" },
    });

    fireEvent.change(field(ivan, "import-item-status"), { target: { value: "proposal_sent" } });
    expect(calls.update).toHaveLength(2);
    expect(calls.update[1].update).toMatchObject({ name: "Ivan Petrov", suggested_status: "proposal_sent" });

    fireEvent.change(field(rowOf("i3"), "import-item-action"), { target: { value: "import" } });
    await waitFor(() => expect(screen.getByTestId("import-commit").textContent).toBe("Import clients: 3"));
  });

  it("shows a field error in the UI language and keeps what was typed", async () => {
    failUpdate = { item_id: "i1", error: { code: "invalid_phone", message: "phone: not a number", field: "phone" } };
    show("/import/b1");
    await screen.findByTestId("import-review");
    const ivan = rowOf("i1");
    fireEvent.change(field(ivan, "import-item-phone"), { target: { value: "call me" } });
    const err = await within(ivan).findByTestId("import-item-error", {}, { timeout: 2000 });
    expect(within(err).getByTestId("error-message").textContent).toBe(`Phone: ${en.errors.invalid_phone}`);
    expect(field<HTMLInputElement>(ivan, "import-item-phone").value).toBe("call me");
    expect(field(ivan, "import-item-phone").getAttribute("aria-invalid")).toBe("true");
    // The commit waits for the rows to be right.
    fireEvent.click(screen.getByTestId("import-commit"));
    expect(await screen.findByTestId("import-fix-rows")).toBeTruthy();
    expect(calls.commit).toHaveLength(0);
  });

  it("offers to merge when the phone already belongs to a client", async () => {
    failUpdate = { item_id: "i1", error: { code: "duplicate_phone", message: "", field: "phone", existing_id: "k7" } };
    show("/import/b1");
    await screen.findByTestId("import-review");
    const ivan = rowOf("i1");
    fireEvent.change(field(ivan, "import-item-phone"), { target: { value: "+996555123456" } });
    const mergeExisting = await within(ivan).findByTestId("import-item-merge-existing", {}, { timeout: 2000 });
    failUpdate = null;
    fireEvent.click(mergeExisting);
    await waitFor(() => expect(calls.update.at(-1)).toMatchObject({ item_id: "i1", update: { action: "merge", merge_into: "k7", phone: "+996555123456" } }));
    expect(field<HTMLSelectElement>(ivan, "import-item-action").value).toBe("merge");
    await waitFor(() => expect(within(ivan).queryByTestId("import-item-error")).toBeNull());
  });

  it("asks which participant is the client when nobody is known as ours", async () => {
    batch = stagedBatch();
    batch.items[0] = { ...batch.items[0], name: "", participants: ["Ivan", "Tourdesk Anna"], needs_client_choice: true };
    show("/import/b1");
    await screen.findByTestId("import-review");
    const ivan = rowOf("i1");
    expect(field(ivan, "import-item-choose-client").textContent).toBe(en.import.review.chooseClient);
    const name = field<HTMLInputElement>(ivan, "import-item-name");
    const options = [...(document.getElementById(name.getAttribute("list") ?? "")?.querySelectorAll("option") ?? [])].map((o) => o.value);
    expect(options).toEqual(["Ivan", "Tourdesk Anna"]);
    fireEvent.change(name, { target: { value: "Ivan" } });
    await waitFor(() => expect(within(ivan).queryByTestId("import-item-choose-client")).toBeNull(), { timeout: 2000 });
    expect(calls.update[0]).toMatchObject({ item_id: "i1", update: { name: "Ivan" } });
  });

  it("merges into another client found by search", async () => {
    show("/import/b1");
    await screen.findByTestId("import-review");
    const ahmed = rowOf("i2");
    fireEvent.click(field(ahmed, "import-merge-other"));
    fireEvent.change(field(ahmed, "import-merge-search"), { target: { value: "olga" } });
    fireEvent.click(await within(ahmed).findByTestId("import-merge-candidate", {}, { timeout: 2000 }));
    expect(calls.clientList[0]).toMatchObject({ search: "olga", deleted: false });
    await waitFor(() => expect(calls.update).toHaveLength(1));
    expect(calls.update[0]).toMatchObject({ item_id: "i2", update: { action: "merge", merge_into: "k5" } });
    expect(field(ahmed, "import-item-merge-target").textContent).toBe("Into Olga Smirnova");
  });
});

// --- Commit, summary, undo --------------------------------------------------------------------

describe("commit and undo", () => {
  it("commits the batch, saving a pending edit first, and shows the summary", async () => {
    show("/import/b1");
    await screen.findByTestId("import-review");
    fireEvent.change(field(rowOf("i1"), "import-item-name"), { target: { value: "Ivan P." } });
    fireEvent.click(screen.getByTestId("import-commit"));
    const summary = await screen.findByTestId("import-summary");
    // The typed name went out before the commit.
    expect(calls.update.map((c) => c.update.name)).toEqual(["Ivan P."]);
    expect(log).toEqual(["update i1", "commit b1"]);
    expect(screen.getByTestId("import-sum-created").textContent).toBe("1");
    expect(screen.getByTestId("import-sum-merged").textContent).toBe("1");
    expect(screen.getByTestId("import-sum-messages").textContent).toBe("57");
    expect(screen.getByTestId("import-sum-duplicates").textContent).toBe("12");
    expect(screen.getByTestId("import-sum-skipped").textContent).toBe("1");
    expect(summary.textContent).toContain(en.import.summary.duplicatesHint);
    expect(screen.getByTestId("import-to-clients").getAttribute("href")).toBe("/clients");
    expect(screen.getByTestId("import-to-inbox").getAttribute("href")).toBe("/inbox");
  });

  it("marks the row a refused commit is about, and stays on the review", async () => {
    failCommit = { code: "required", message: "say which participant is the client", field: "name", existing_id: "i1" };
    show("/import/b1");
    await screen.findByTestId("import-review");
    fireEvent.click(screen.getByTestId("import-commit"));
    const err = await within(rowOf("i1")).findByTestId("import-item-error");
    expect(within(err).getByTestId("error-message").textContent).toBe(`Name: ${en.errors.required}`);
    expect(within(rowOf("i2")).queryByTestId("import-item-error")).toBeNull();
    expect(screen.getByTestId("import-commit-blamed").textContent).toBe("See the row “Ivan”.");
    expect(screen.queryByTestId("import-summary")).toBeNull();
  });

  it("undoes a committed import and lists what it kept", async () => {
    batch = { ...stagedBatch(), status: "committed", summary: { clients_created: 2, clients_merged: 0, messages_added: 80, duplicates_skipped: 0, items_skipped: 1 } };
    show("/import/b1");
    await screen.findByTestId("import-summary");
    fireEvent.click(screen.getByTestId("import-undo"));
    const report = await screen.findByTestId("import-undo-report");
    expect(calls.undo).toEqual(["b1"]);
    expect(within(report).getByTestId("import-undo-clients").textContent).toBe("1");
    expect(within(report).getByTestId("import-undo-messages").textContent).toBe("40");
    expect(within(report).getByTestId("import-undo-chats").textContent).toBe("1");
    expect(within(report).getAllByTestId("import-kept-item").map((k) => k.textContent)).toEqual([
      "The client “Ahmed Al-Mansouri” was kept with the chat and its imported messages (40): the client was changed after the import; new messages in the chat since: 2.",
    ]);
    expect(screen.queryByTestId("import-undo")).toBeNull();
    expect(screen.getByTestId("import-summary").getAttribute("data-status")).toBe("undone");
  });

  it("speaks Russian too", async () => {
    await applyLanguage("ru");
    batch = { ...stagedBatch(), status: "committed", summary: { clients_created: 2, clients_merged: 0, messages_added: 80, duplicates_skipped: 3, items_skipped: 1 } };
    show("/import/b1");
    const summary = await screen.findByTestId("import-summary");
    expect(summary.textContent).toContain(ru.import.summary.duplicatesHint);
    expect(screen.getByTestId("import-undo").textContent).toBe(ru.import.summary.undo);
    expect(screen.getByTestId("page-title").textContent).toBe("Импорт истории");
  });

  it("shows warnings and what an undo kept in Russian, never as the core's English", async () => {
    await applyLanguage("ru");
    batch = stagedBatch();
    batch.items[0] = { ...batch.items[0], warnings: [{ code: "invalid_utf8", lines: 3 }, { code: "impossible_dates", count: 2, month_first: true }] };
    show("/import/b1");
    await screen.findByTestId("import-review");
    const warnings = within(rowOf("i1")).getByTestId("import-item-warnings").textContent ?? "";
    expect(warnings).toContain("Строк не в кодировке UTF-8 (прочитаны с заменой символов): 3");
    expect(warnings).toContain("Сообщений с невозможной датой при порядке «сначала месяц»: 2");
    cleanup();
    batch = { ...stagedBatch(), status: "committed", summary: { clients_created: 2, clients_merged: 0, messages_added: 80, duplicates_skipped: 0, items_skipped: 1 } };
    show("/import/b1");
    await screen.findByTestId("import-summary");
    fireEvent.click(screen.getByTestId("import-undo"));
    const report = await screen.findByTestId("import-undo-report");
    const text = report.textContent ?? "";
    expect(text).toContain("Клиент «Ahmed Al-Mansouri» оставлен вместе с чатом");
    expect(text).toContain("клиента изменили после импорта; новых сообщений в чате с тех пор: 2");
    for (const english of ["was kept", "messages arrived", "was changed after the import", "invalid UTF-8", "impossible"]) {
      expect(text + warnings).not.toContain(english);
    }
  });

  it("says why a status was suggested in Russian, with the signal's value", async () => {
    await applyLanguage("ru");
    batch = stagedBatch();
    batch.items[0] = { ...batch.items[0], suggested_status: "negotiation", status_signal: "negotiation", status_signal_value: "как оплатить", status_reason: "discount, booking or payment talk: \"как оплатить\"" };
    show("/import/b1");
    await screen.findByTestId("import-review");
    const reason = field(rowOf("i1"), "import-item-reason").textContent;
    expect(reason).toContain("Обсуждают скидку, бронь или оплату: «как оплатить»");
    expect(reason).not.toContain("payment talk");
    expect(field(rowOf("i2"), "import-item-reason").textContent).toContain("Первое обращение: нет дат, числа людей, цены или оплаты");
  });
});

// --- From WhatsApp ----------------------------------------------------------------------------

describe("import from WhatsApp", () => {
  it("is not offered until WhatsApp is ready", async () => {
    wa = { state: { state: "not_connected" }, available: true, queued: 0, unconfirmed: 0, failed: 0, stuck: 0 };
    show("/import");
    expect(await screen.findByTestId("import-wa-not-ready")).toBeTruthy();
    expect(screen.getByTestId("import-from-wa").matches(":disabled")).toBe(true);
    fireEvent.click(screen.getByTestId("import-from-wa"));
    expect(screen.queryByTestId("import-wa-chats")).toBeNull();
  });

  it("fetches the chosen chats with a progress bar, cancel, and opens the review when done", async () => {
    waChats = [
      { id: "996555111222@c.us", name: "Layla", is_group: false, unread_count: 0, timestamp: 1714550400 },
      { id: "120363041234567890@g.us", name: "Tour group June", is_group: true, unread_count: 3, timestamp: null },
      { id: "971501234567@c.us", name: null, is_group: false, unread_count: 1, timestamp: 1714636800 },
    ];
    show("/import");
    const open = await screen.findByTestId("import-from-wa");
    await waitFor(() => expect(open.matches(":disabled")).toBe(false));
    fireEvent.click(open);
    const boxes = (await screen.findAllByTestId("import-wa-chat")) as HTMLInputElement[];
    await waitFor(() => expect(boxes.map((b) => b.checked)).toEqual([true, false, true]));
    expect(screen.getByTestId("import-wa-chats").textContent).toContain("+971501234567");

    fireEvent.click(screen.getByTestId("import-wa-start"));
    await screen.findByTestId("import-progress");
    expect(calls.waStart).toEqual([["996555111222@c.us", "971501234567@c.us"]]);
    // The event sent before the start call answered is shown.
    await waitFor(() => expect(screen.getByTestId("import-progress-text").textContent).toBe("Chats fetched: 0 of 2"));

    emitProgress({ batch_id: "b-wa", done: 1, total: 2, chat: "Layla", finished: false, cancelled: false, error: null });
    const bar = screen.getByTestId("import-progress");
    expect(bar.getAttribute("aria-valuenow")).toBe("1");
    expect(bar.getAttribute("aria-valuemax")).toBe("2");
    expect((bar.firstChild as HTMLElement).style.width).toBe("50%");
    expect(screen.getByTestId("import-progress-text").textContent).toBe("Chats fetched: 1 of 2 · Layla");
    // Another batch's progress is not ours.
    emitProgress({ batch_id: "other", done: 9, total: 9, chat: null, finished: true, cancelled: false, error: null });
    expect(bar.getAttribute("aria-valuenow")).toBe("1");

    fireEvent.click(screen.getByTestId("import-cancel"));
    await waitFor(() => expect(calls.cancel).toEqual(["b-wa"]));

    batch = { ...stagedBatch(), source: "whatsapp", errors: [] };
    emitProgress({ batch_id: "b-wa", done: 2, total: 2, chat: null, finished: true, cancelled: false, error: null });
    await screen.findByTestId("import-review");
    expect(calls.batchGet).toContain("b-wa");
    expect(screen.getByTestId("import-review").textContent).toContain(en.import.review.waNote);
  });

  it("says so when the fetch was cancelled, and offers what was fetched", async () => {
    waChats = [{ id: "996555111222@c.us", name: "Layla", is_group: false, unread_count: 0, timestamp: null }];
    show("/import");
    const open = await screen.findByTestId("import-from-wa");
    await waitFor(() => expect(open.matches(":disabled")).toBe(false));
    fireEvent.click(open);
    await screen.findAllByTestId("import-wa-chat");
    fireEvent.click(screen.getByTestId("import-wa-start"));
    await screen.findByTestId("import-progress");
    emitProgress({ batch_id: "b-wa", done: 1, total: 3, chat: null, finished: true, cancelled: true, error: null });
    expect((await screen.findByTestId("import-wa-cancelled")).textContent).toBe("Cancelled. Chats fetched: 1 of 3.");
    expect(screen.getByTestId("import-wa-open").getAttribute("href")).toBe("/import/b-wa");
    expect(calls.batchGet).toEqual([]);
  });
});

describe("previous imports", () => {
  it("lists earlier batches with their counts and opens one", async () => {
    show("/import");
    const row = await screen.findByTestId("import-batch-row");
    expect(row.textContent).toContain(en.import.batchStatus.committed);
    expect(row.textContent).toContain("new clients: 7, merged: 1, messages: 900");
    expect(within(row).getByTestId("import-batch-open").getAttribute("href")).toBe("/import/old1");
  });
});

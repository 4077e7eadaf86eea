import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import { applyLanguage } from "../../i18n";
import ru from "../../i18n/locales/ru.json";
import { WriteTroubleBanner } from "./WriteTroubleBanner";

let trouble: string | null = null;

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return { ...real, ipc: { writeTrouble: () => Promise.resolve(trouble) } };
});

function show() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <WriteTroubleBanner />
    </QueryClientProvider>,
  );
}

describe("WriteTroubleBanner", () => {
  beforeEach(async () => {
    await applyLanguage("ru");
  });

  it("says in Russian that changes are not saved on a full disk, and that reading works", async () => {
    trouble = "disk_full";
    show();
    const banner = await screen.findByTestId("write-trouble");
    expect(banner.textContent).toContain(ru.writeTrouble.title);
    expect(banner.textContent).toContain(ru.errors.disk_full);
    expect(banner.textContent).toContain(ru.writeTrouble.readsWork);
  });

  it("names a damaged file as such", async () => {
    trouble = "store_damaged";
    show();
    expect((await screen.findByTestId("write-trouble")).textContent).toContain(ru.writeTrouble.damagedTitle);
  });

  it("shows nothing while writes work", async () => {
    trouble = null;
    const { container } = show();
    await waitFor(() => expect(container.textContent).toBe(""));
  });
});

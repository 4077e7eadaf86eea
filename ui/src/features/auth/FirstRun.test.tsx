import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { applyLanguage } from "../../i18n";
import en from "../../i18n/locales/en.json";
import ru from "../../i18n/locales/ru.json";
import { FirstRun } from "./FirstRun";

vi.mock("../../lib/ipc", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../lib/ipc")>();
  return {
    ...real,
    ipc: {
      orgCreate: () => Promise.reject({ code: "one_org_per_folder", message: "this data folder already has an organisation" }),
    },
  };
});

function fillAndSubmit() {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <FirstRun onDone={() => {}} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  fireEvent.change(screen.getByTestId("firstrun-org"), { target: { value: "Second" } });
  fireEvent.change(screen.getByTestId("firstrun-admin"), { target: { value: "B" } });
  fireEvent.change(screen.getByTestId("firstrun-email"), { target: { value: "b@second.example" } });
  fireEvent.change(screen.getByTestId("firstrun-password"), { target: { value: "second password" } });
  fireEvent.click(screen.getByTestId("firstrun-submit"));
}

describe("FirstRun", () => {
  it("says plainly that a data folder holds one organisation (English)", async () => {
    await applyLanguage("en");
    fillAndSubmit();
    expect((await screen.findByTestId("error-message")).textContent).toBe(en.errors.one_org_per_folder);
  });

  it("says it in Russian too", async () => {
    await applyLanguage("ru");
    fillAndSubmit();
    expect((await screen.findByTestId("error-message")).textContent).toBe(ru.errors.one_org_per_folder);
  });
});

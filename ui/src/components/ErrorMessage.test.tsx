import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import i18n, { applyLanguage } from "../i18n";
import ru from "../i18n/locales/ru.json";
import en from "../i18n/locales/en.json";
import { ErrorMessage } from "./ErrorMessage";

function show(error: unknown) {
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <ErrorMessage error={error} />
    </MemoryRouter>,
  );
}

describe("ErrorMessage", () => {
  beforeEach(async () => {
    await applyLanguage("ru");
  });

  it("shows the translated sentence and hides the raw message until asked", () => {
    show({ code: "invalid_phone", message: "phone: not a number (raw)", field: "phone" });
    expect(screen.getByTestId("error-message").textContent).toBe(`Телефон: ${ru.errors.invalid_phone}`);
    expect(screen.queryByText(/raw/)).toBeNull();
    fireEvent.click(screen.getByText(ru.errors.details));
    expect(screen.getByText(/not a number \(raw\)/)).toBeTruthy();
  });

  it("links a duplicate phone to the client that already has it", () => {
    show({ code: "duplicate_phone", message: "", field: "phone", existing_id: "0193-abc" });
    const link = screen.getByTestId("error-existing-link");
    expect(link.getAttribute("href")).toBe("/clients/0193-abc");
    expect(link.textContent).toBe(ru.errors.openExisting);
  });

  it("turns a non-core failure into the internal-error sentence, in English too", async () => {
    await applyLanguage("en");
    show(new Error("socket closed"));
    expect(screen.getByTestId("error-message").textContent).toBe(en.errors.internal);
    expect(i18n.language).toBe("en");
  });
});

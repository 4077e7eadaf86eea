import { act, fireEvent, render, screen } from "@testing-library/react";
import { applyLanguage } from "../i18n";
import en from "../i18n/locales/en.json";
import ru from "../i18n/locales/ru.json";
import { NoticeProvider, useNotice } from "./Notice";

function Raise() {
  const notice = useNotice();
  return (
    <button type="button" data-testid="raise" onClick={() => notice({ textKey: "wa.qr.linked" })}>
      raise
    </button>
  );
}

describe("notice", () => {
  afterEach(async () => {
    await act(() => applyLanguage("ru"));
  });

  it("translates a keyed notice in the language it is shown in, and a switch drops it", async () => {
    await act(() => applyLanguage("ru"));
    render(
      <NoticeProvider>
        <Raise />
      </NoticeProvider>,
    );
    fireEvent.click(screen.getByTestId("raise"));
    expect(screen.getByTestId("notice").textContent).toContain(ru.wa.qr.linked);
    await act(() => applyLanguage("en"));
    expect(screen.queryByTestId("notice")).toBeNull();
    fireEvent.click(screen.getByTestId("raise"));
    expect(screen.getByTestId("notice").textContent).toContain(en.wa.qr.linked);
    expect(screen.getByTestId("notice").textContent).not.toContain(ru.wa.qr.linked);
  });
});
